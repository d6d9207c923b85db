//! The "new user" form: name, access checkbox, password and confirmation (empty = generated).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::{CreateField, CreateUserForm};
use crate::app::validation::create_problems;
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, modal_frame, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &CreateUserForm, theme: &Theme) {
    let title = format!("New {} user on {}", form.engine.label(), shown(&state.current.app));
    let inner = modal_frame(frame, area, 72, 14, &title, theme);
    let existing = state.users.users.data.as_deref().unwrap_or_default();
    let problems = create_problems(form, existing);
    // A field's problem shows once it has text, or after a refused submit.
    let problem = |field: CreateField, has_text: bool| {
        problems.iter().find(|(f, _)| *f == field).filter(|_| has_text || form.tried).map(|(_, p)| p.as_str())
    };

    let mut y = inner.y;
    let mut line = |frame: &mut Frame, content: Option<Line>| {
        if y < inner.bottom() {
            if let Some(content) = content {
                frame.render_widget(content, Rect { y, height: 1, ..inner });
            }
            y += 1;
        }
        y - 1
    };
    let row = |y: u16| Rect { y, height: 1, ..inner };

    let at = line(frame, None);
    input_line(frame, row(at), "Name          ", &form.name, form.focus == CreateField::Name, "", theme);
    let name_problem = problem(CreateField::Name, !form.name.value().is_empty());
    let hint = format!(
        "    6-{} characters: letters, digits and _, starting with a letter",
        form.engine.max_username_len()
    );
    line(
        frame,
        Some(name_problem.map_or_else(|| Line::styled(hint, theme.muted), |p| problem_line(p, theme))),
    );

    let focused = form.focus == CreateField::Access;
    let check = if form.access_checked { theme.symbols.checked } else { theme.symbols.unchecked };
    let marker = if focused { theme.symbols.selected } else { "  " };
    let access = format!("{marker}Access        {check} {}", form.access_label());
    let effect = if form.read_only() { "  (the user will be read-only)" } else { "  (the user can write)" };
    line(
        frame,
        Some(Line::from(vec![
            Span::styled(access, if focused { theme.key } else { theme.text }),
            Span::styled(effect, theme.muted),
        ])),
    );
    line(frame, None);

    let at = line(frame, None);
    let generate = "empty: the platform generates one, shown once";
    let focus = form.focus == CreateField::Password;
    input_line(frame, row(at), "Password      ", &form.password, focus, generate, theme);
    line(
        frame,
        problem(CreateField::Password, !form.password.value().is_empty()).map(|p| problem_line(p, theme)),
    );
    let at = line(frame, None);
    let focus = form.focus == CreateField::Confirmation;
    input_line(frame, row(at), "Confirmation  ", &form.confirmation, focus, "", theme);
    let typed = !form.confirmation.value().is_empty();
    line(frame, problem(CreateField::Confirmation, typed).map(|p| problem_line(p, theme)));

    if let Some(status) =
        form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        && y < inner.bottom()
    {
        let rest = Rect { y, height: inner.bottom() - y, ..inner };
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), rest);
    }
}
