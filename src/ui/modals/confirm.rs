//! Type-to-confirm for deleting a user or resetting its password, deleting a firewall rule or
//! letting every address in: the modal names the target, and Enter stays inert until the typed
//! text equals it exactly.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};
use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::{ConfirmAction, ConfirmForm};
use crate::app::validation::confirm_problems;
use crate::ui::theme::Theme;
use crate::ui::widgets::input_line;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &ConfirmForm, theme: &Theme) {
    // The name as shown is also what must be typed: hidden characters as their escapes.
    let expected = shown(&form.expected);
    let (title, question, consequence) = match &form.action {
        ConfirmAction::Delete => (
            "Delete user",
            format!("Delete the user {expected} from {}?", shown(state.app_name())),
            "DANGER: this cannot be undone; its connections stop working.".to_owned(),
        ),
        ConfirmAction::ResetPassword => (
            "Reset password",
            format!("Reset the password of {expected} on {}?", shown(state.app_name())),
            "DANGER: the current password stops working at once; the new one is shown once.".to_owned(),
        ),
        ConfirmAction::Internet(action) => match state.dash() {
            Some(dash) => crate::ui::tabs::internet::confirm_text(dash, action),
            None => return,
        },
    };
    let mut body = Body::new();
    body.text(Line::styled(question, theme.text), Keep::Explain);
    body.text(Line::styled(consequence, theme.danger), Keep::Explain);
    body.gap();
    body.text(
        Line::from(vec![
            Span::styled("Type ", theme.text),
            Span::styled(expected.into_owned(), theme.key),
            Span::styled(" to confirm:", theme.text),
        ]),
        Keep::Must,
    );
    let field = body.field();
    let status = form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        .or_else(|| match confirm_problems(form) {
            Some(p) if !form.typed.value().is_empty() => {
                Some(Line::styled(shown(&p).into_owned(), theme.muted))
            }
            Some(_) => None,
            None => Some(Line::styled("It matches: Enter confirms.", theme.warn)),
        });
    if let Some(status) = status {
        body.gap();
        body.text(status, Keep::Must);
    }
    let placed = body.draw(frame, area, 72, title, theme);
    if let Some(row) = placed.get(field) {
        input_line(frame, row, "", &form.typed, form.pending.is_none(), "", theme);
    }
}
