//! Set a chosen password: password and confirmation, masked and validated; never shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::form_status;
use crate::app::display::shown;
use crate::app::state::{PasswordField, SetPasswordForm};
use crate::app::validation::set_password_problems;
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, modal_frame, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, form: &SetPasswordForm, spinner: usize, theme: &Theme) {
    let inner =
        modal_frame(frame, area, 72, 11, &format!("Set the password of {}", shown(&form.user)), theme);
    let problems = set_password_problems(form);
    let problem = |field: PasswordField, has_text: bool| {
        problems.iter().find(|(f, _)| *f == field).filter(|_| has_text || form.tried).map(|(_, p)| p.as_str())
    };
    let row = |offset: u16| Rect { y: inner.y + offset, height: 1, ..inner };
    if inner.height < 6 {
        return;
    }
    frame.render_widget(
        Line::styled(
            "24 to 64 characters, no quotes. The current password stops working at once.",
            theme.muted,
        ),
        row(0),
    );
    let focus = form.focus == PasswordField::Password;
    input_line(frame, row(2), "Password      ", &form.password, focus, "", theme);
    if let Some(p) = problem(PasswordField::Password, !form.password.value().is_empty()) {
        frame.render_widget(problem_line(p, theme), row(3));
    }
    let focus = form.focus == PasswordField::Confirmation;
    input_line(frame, row(4), "Confirmation  ", &form.confirmation, focus, "", theme);
    if let Some(p) = problem(PasswordField::Confirmation, !form.confirmation.value().is_empty()) {
        frame.render_widget(problem_line(p, theme), row(5));
    }
    if let Some(status) = form_status(form.pending.is_some(), form.server_error.as_deref(), spinner, theme) {
        let rest = Rect { y: inner.y + 6, height: inner.height - 6, ..inner };
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), rest);
    }
}
