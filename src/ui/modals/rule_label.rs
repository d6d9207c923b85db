//! The label of a custom firewall rule: one field, laid out with `Layout` and wrapped, so every
//! line shows from 60x15 up.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::internet::LabelForm;
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, modal_frame, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &LabelForm, theme: &Theme) {
    let title = format!("Label of the rule {}", shown(form.rule.source()));
    let inner = modal_frame(frame, area, 72, 9, &title, theme);
    let [intro, _, field, problem, status] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    let text = "Only the label changes; the rule keeps letting the same addresses in. Empty: no label.";
    frame.render_widget(Paragraph::new(Line::styled(text, theme.muted)).wrap(Wrap { trim: true }), intro);
    input_line(frame, field, "Label         ", &form.label, true, "e.g. Office VPN", theme);
    if let Some(p) = form.problem() {
        frame.render_widget(problem_line(&p, theme), problem);
    }
    let line = form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        .unwrap_or_else(|| Line::styled("Enter saves, Esc cancels.", theme.muted));
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status);
}
