//! The tabs this version does not manage yet say so plainly, and say where to do it meanwhile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::ui::theme::Theme;

pub const INTERNET: &[&str] = &[
    "This version of dbdeck does not manage Internet access yet.",
    "",
    "Meanwhile: TLS enforcement and Internet accessibility are under Settings > Internet Access",
    "in the web dashboard, or `scalingo database-enable-feature` with the official CLI.",
];

pub fn draw(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: &[&str]) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border)
        .title(format!(" {title} "));
    let text: Vec<Line> = lines.iter().map(|l| Line::styled(*l, theme.text)).collect();
    frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: false }), area);
}
