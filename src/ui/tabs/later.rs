//! The tabs this version does not manage yet say so plainly, and say where to do it meanwhile.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::ui::theme::Theme;

pub const EXTENSIONS: &[&str] = &[
    "This version of dbdeck does not manage PostgreSQL extensions yet.",
    "",
    "Meanwhile: the web dashboard lists the enabled ones; enable or disable one over SQL with",
    "CREATE EXTENSION IF NOT EXISTS \"name\"; or DROP EXTENSION IF EXISTS \"name\";",
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
