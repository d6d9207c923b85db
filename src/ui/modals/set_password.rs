//! Set a chosen password: password and confirmation, masked and validated; never shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};
use super::form_status;
use crate::app::display::shown;
use crate::app::state::{PasswordField, SetPasswordForm};
use crate::app::validation::set_password_problems;
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, form: &SetPasswordForm, spinner: usize, theme: &Theme) {
    let user = shown(&form.user);
    let problems = set_password_problems(form);
    let problem = |field: PasswordField, has_text: bool| {
        problems.iter().find(|(f, _)| *f == field).filter(|_| has_text || form.tried).map(|(_, p)| p.as_str())
    };
    let mut body = Body::new();
    body.text(
        Line::from(vec![
            Span::styled("New password of ", theme.text),
            Span::styled(user.to_string(), theme.key),
            Span::styled(": 24 to 64 characters, no quotes.", theme.text),
        ]),
        Keep::Must,
    );
    body.text(Line::styled("The current password stops working at once.", theme.muted), Keep::Explain);
    body.gap();
    let password = body.field();
    if let Some(p) = problem(PasswordField::Password, !form.password.value().is_empty()) {
        body.text(problem_line(p, theme), Keep::Must);
    }
    let confirmation = body.field();
    if let Some(p) = problem(PasswordField::Confirmation, !form.confirmation.value().is_empty()) {
        body.text(problem_line(p, theme), Keep::Must);
    }
    if let Some(status) = form_status(form.pending.is_some(), form.server_error.as_deref(), spinner, theme) {
        body.text(status, Keep::Must);
    }
    let placed = body.draw(frame, area, 72, &format!("Set the password of {user}"), theme);
    if let Some(row) = placed.get(password) {
        let focus = form.focus == PasswordField::Password;
        input_line(frame, row, "Password      ", &form.password, focus, "", theme);
    }
    if let Some(row) = placed.get(confirmation) {
        let focus = form.focus == PasswordField::Confirmation;
        input_line(frame, row, "Confirmation  ", &form.confirmation, focus, "", theme);
    }
}
