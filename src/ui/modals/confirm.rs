//! Type-to-confirm for deleting a user or resetting its password, deleting a firewall rule or
//! letting every address in: the modal names the target, and Enter stays inert until the typed
//! text equals it exactly.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::{ConfirmAction, ConfirmForm};
use crate::app::validation::confirm_problems;
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, modal_frame};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &ConfirmForm, theme: &Theme) {
    // The name as shown is also what must be typed: hidden characters as their escapes.
    let expected = shown(&form.expected);
    let (title, question, consequence) = match &form.action {
        ConfirmAction::Delete => (
            "Delete user",
            format!("Delete the user {expected} from {}?", shown(&state.current.app)),
            "DANGER: this cannot be undone; its connections stop working.".to_owned(),
        ),
        ConfirmAction::ResetPassword => (
            "Reset password",
            format!("Reset the password of {expected} on {}?", shown(&state.current.app)),
            "DANGER: the current password stops working at once; the new one is shown once.".to_owned(),
        ),
        ConfirmAction::Internet(action) => crate::ui::tabs::internet::confirm_text(state, action),
    };
    let inner = modal_frame(frame, area, 72, 10, title, theme);
    let text = vec![
        Line::styled(question, theme.text),
        Line::styled(consequence, theme.danger),
        Line::from(vec![
            Span::styled("Type ", theme.text),
            Span::styled(expected.into_owned(), theme.key),
            Span::styled(" to confirm:", theme.text),
        ]),
    ];
    let body_height = 3.min(inner.height);
    frame
        .render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), Rect { height: body_height, ..inner });
    if inner.height < 5 {
        return;
    }
    let input_row = Rect { y: inner.y + 4, height: 1, ..inner };
    input_line(frame, input_row, "", &form.typed, form.pending.is_none(), "", theme);
    let status = form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        .or_else(|| match confirm_problems(form) {
            Some(p) if !form.typed.value().is_empty() => {
                Some(Line::styled(format!("  {}", shown(&p)), theme.muted))
            }
            Some(_) => None,
            None => Some(Line::styled("  It matches: Enter confirms.", theme.warn)),
        });
    if let Some(status) = status
        && inner.height > 6
    {
        let rest = Rect { y: inner.y + 6, height: inner.height - 6, ..inner };
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), rest);
    }
}
