//! Enabling an extension (confirm with Enter) and disabling one (type its name): the modal names
//! the database and the exact statement, and keeps PostgreSQL's refusal in view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};
use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::extensions::ExtensionConfirm;
use crate::sql::Change;
use crate::sql::ident::quote_ident;
use crate::ui::theme::Theme;
use crate::ui::widgets::input_line;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &ExtensionConfirm, theme: &Theme) {
    let database = match state.dash().and_then(|d| d.extensions.sql.data.as_ref()) {
        Some(listing) => shown(&listing.endpoint.to_string()).into_owned(),
        None => shown(state.app_name()).into_owned(),
    };
    // The statement shows the identifier as sent, with its hidden characters made visible.
    let ident = shown(&quote_ident(&form.name).unwrap_or_else(|_| form.name.clone())).into_owned();
    let name = shown(&form.name);
    let version = form.version.as_deref().map(|v| format!(" {}", shown(v))).unwrap_or_default();
    let (title, question, statement, consequence) = match form.change {
        Change::Enable => (
            "Enable extension",
            format!("Enable {name}{version} in {database}?"),
            format!("CREATE EXTENSION IF NOT EXISTS {ident};"),
            None,
        ),
        Change::Disable => (
            "Disable extension",
            format!("Disable {name}{version} in {database}?"),
            format!("DROP EXTENSION IF EXISTS {ident};   (never CASCADE)"),
            Some("DANGER: its types and functions go (refused while objects use them)."),
        ),
    };
    let disable = form.change == Change::Disable;
    let mut body = Body::new();
    // Enabling is confirmed by Enter alone: the question and statement are all there is to read.
    let explain = if disable { Keep::Explain } else { Keep::Must };
    body.text(Line::styled(question, theme.text), explain);
    body.text(
        Line::from(vec![Span::styled("Runs: ", theme.muted), Span::styled(statement, theme.key)]),
        explain,
    );
    let mut field = None;
    if let Some(consequence) = consequence {
        body.text(Line::styled(consequence, theme.danger), Keep::Explain);
        body.gap();
        body.text(
            Line::from(vec![
                Span::styled("Type ", theme.text),
                Span::styled(name.to_string(), theme.key),
                Span::styled(" to confirm:", theme.text),
            ]),
            Keep::Must,
        );
        field = Some(body.field());
    }
    let status = form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        .or_else(|| match form.change {
            Change::Enable => Some(Line::styled("Enter enables, Esc cancels.", theme.muted)),
            Change::Disable if form.ready() => Some(Line::styled("Names match: Enter disables.", theme.warn)),
            Change::Disable if form.typed.value().is_empty() => None,
            Change::Disable => Some(Line::styled(format!("Type {name} exactly"), theme.muted)),
        });
    if let Some(status) = status {
        body.gap();
        body.text(status, Keep::Must);
    }
    let placed = body.draw(frame, area, 76, title, theme);
    if let Some(row) = field.and_then(|i| placed.get(i)) {
        input_line(frame, row, "", &form.typed, form.pending.is_none(), "", theme);
    }
}
