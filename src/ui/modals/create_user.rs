//! The "new user" form: name, access checkbox, password and confirmation (empty = generated).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};
use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::{CreateField, CreateUserForm};
use crate::app::validation::create_problems;
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &CreateUserForm, theme: &Theme) {
    let title = format!("New {} user on {}", form.engine.label(), shown(state.app_name()));
    let existing = state.dash().and_then(|d| d.users.users.data.as_deref()).unwrap_or_default();
    let problems = create_problems(form, existing);
    // A field's problem shows once it has text, or after a refused submit.
    let problem = |field: CreateField, has_text: bool| {
        problems.iter().find(|(f, _)| *f == field).filter(|_| has_text || form.tried).map(|(_, p)| p.as_str())
    };

    let mut body = Body::new();
    let name = body.field();
    match problem(CreateField::Name, !form.name.value().is_empty()) {
        Some(p) => body.text(problem_line(p, theme), Keep::Must),
        None => {
            let hint = format!(
                "    6-{} characters: letters, digits and _, starting with a letter",
                form.engine.max_username_len()
            );
            body.text(Line::styled(hint, theme.muted), Keep::Detail)
        }
    };

    let focused = form.focus == CreateField::Access;
    let check = if form.access_checked { theme.symbols.checked } else { theme.symbols.unchecked };
    let marker = if focused { theme.symbols.selected } else { "  " };
    let access = format!("{marker}Access        {check} {}", form.access_label());
    let effect = if form.read_only() { "  (the user will be read-only)" } else { "  (the user can write)" };
    body.text(
        Line::from(vec![
            Span::styled(access, if focused { theme.key } else { theme.text }),
            Span::styled(effect, theme.muted),
        ]),
        Keep::Must,
    );
    body.gap();

    let password = body.field();
    if let Some(p) = problem(CreateField::Password, !form.password.value().is_empty()) {
        body.text(problem_line(p, theme), Keep::Must);
    }
    let confirmation = body.field();
    if let Some(p) = problem(CreateField::Confirmation, !form.confirmation.value().is_empty()) {
        body.text(problem_line(p, theme), Keep::Must);
    }
    if let Some(status) =
        form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
    {
        body.gap();
        body.text(status, Keep::Must);
    }

    let placed = body.draw(frame, area, 72, &title, theme);
    if let Some(row) = placed.get(name) {
        input_line(frame, row, "Name          ", &form.name, form.focus == CreateField::Name, "", theme);
    }
    if let Some(row) = placed.get(password) {
        let generate = "empty: the platform generates one, shown once";
        let focus = form.focus == CreateField::Password;
        input_line(frame, row, "Password      ", &form.password, focus, generate, theme);
    }
    if let Some(row) = placed.get(confirmation) {
        let focus = form.focus == CreateField::Confirmation;
        input_line(frame, row, "Confirmation  ", &form.confirmation, focus, "", theme);
    }
}
