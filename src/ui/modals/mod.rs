//! One file per modal. A modal owns the keyboard while open (see `app::update`).

mod confirm;
mod create_user;
mod fit;
mod help;
mod journal;
mod new_rule;
mod reveal;
mod rule_label;
mod set_password;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::theme::Theme;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::Modal;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    match &state.modal {
        None => {}
        Some(Modal::Help) => help::draw(frame, area, state, theme),
        Some(Modal::CreateUser(form)) => create_user::draw(frame, area, state, form, theme),
        Some(Modal::SetPassword(form)) => set_password::draw(frame, area, form, state.spinner, theme),
        Some(Modal::Confirm(form)) => confirm::draw(frame, area, state, form, theme),
        Some(Modal::Reveal(reveal)) => reveal::draw(frame, area, reveal, theme),
        Some(Modal::NewRule(form)) => new_rule::draw(frame, area, state, form, theme),
        Some(Modal::RuleLabel(form)) => rule_label::draw(frame, area, state, form, theme),
        Some(Modal::Journal(view)) => journal::draw(frame, area, view, theme),
    }
    if state.modal.as_ref().is_some_and(Modal::discard_asked) {
        draw_discard_question(frame, area, theme);
    }
}

/// Esc on a changed form: a small box over it asks before what was typed is thrown away.
fn draw_discard_question(frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = super::widgets::modal_frame(frame, area, 52, 4, "Discard?", theme);
    let text = ratatui::text::Line::styled(crate::app::DISCARD_QUESTION, theme.warn);
    let paragraph = ratatui::widgets::Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true });
    frame.render_widget(paragraph, inner);
}

/// Where a form stands, for its last line: waiting, refused by the server, or nothing.
fn form_status<'a>(
    pending: bool,
    server_error: Option<&str>,
    state_spinner: usize,
    theme: &Theme,
) -> Option<ratatui::text::Line<'a>> {
    if pending {
        Some(ratatui::text::Line::styled(
            format!(
                "{} Sending{} (waiting for the server's answer)",
                theme.spinner(state_spinner),
                theme.symbols.ellipsis
            ),
            theme.muted,
        ))
    } else {
        server_error.map(|e| ratatui::text::Line::styled(format!("Refused: {}", shown(e)), theme.danger))
    }
}
