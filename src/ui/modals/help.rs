//! The `?` overlay: every binding of the key table, grouped by context.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::State;
use crate::ui::keys::{Context, bindings};
use crate::ui::theme::Theme;
use crate::ui::widgets::modal_frame;

const ORDER: [Context; 12] = [
    Context::Global,
    Context::List,
    Context::Users,
    Context::Filter,
    Context::Form,
    Context::Confirm,
    Context::Reveal,
    Context::Extensions,
    Context::ConfirmEnable,
    Context::Internet,
    Context::Firewall,
    Context::Ask,
];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let inner = modal_frame(frame, area, 100, 30, "Help", theme);
    let mut lines = Vec::new();
    for context in ORDER {
        let mut spans = vec![Span::styled(format!("{}: ", context.title()), theme.title)];
        for binding in bindings(context) {
            spans.push(Span::styled(binding.shown, theme.key));
            spans.push(Span::styled(format!(" {}  ", binding.label), theme.text));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    if state.session.read_only {
        lines.push(Line::styled("Read-only mode: n, p, s, d and e are off.", theme.warn));
        lines.push(Line::styled("Read-only mode: every change (n, p, s, d, t, i) is off.", theme.warn));
    }
    lines.push(Line::styled(
        "Protected users are managed by the platform: they cannot be deleted and their password cannot be changed.",
        theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
