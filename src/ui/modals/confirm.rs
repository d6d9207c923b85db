//! The confirm form, whatever its change: deleting a user or resetting its password, deleting a
//! firewall rule or letting every address in, enabling or disabling an extension, turning TLS
//! enforcement or Internet accessibility on or off. The modal names the target and what will
//! happen; behind a typed-name gate, Enter stays inert until the typed text equals the name
//! exactly.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};
use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::extensions::ExtensionChange;
use crate::app::internet::{FeatureKind, FeatureSwitch};
use crate::app::state::{ConfirmAction, ConfirmForm, Gate};
use crate::app::validation::confirm_problems;
use crate::sql::Change;
use crate::sql::ident::quote_ident;
use crate::ui::theme::Theme;
use crate::ui::widgets::input_line;

/// What a confirm modal says about its change.
struct Text<'a> {
    title: String,
    /// The question, then what it does, each kept as the box allows (`None`: a blank row).
    lines: Vec<Option<(Line<'a>, Keep)>>,
    width: u16,
    /// The last line once the gate is passed, and while the typed text does not match yet.
    ready: Line<'a>,
    mismatch: Option<String>,
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &ConfirmForm, theme: &Theme) {
    // The name as shown is also what must be typed: hidden characters as their escapes.
    let expected = shown(&form.expected);
    let Some(text) = text(state, form, theme) else { return };
    let mut body = Body::new();
    for line in text.lines {
        match line {
            Some((line, keep)) => {
                body.text(line, keep);
            }
            None => body.gap(),
        }
    }
    let mut field = None;
    if form.gate == Gate::TypeName {
        body.gap();
        body.text(
            Line::from(vec![
                Span::styled("Type ", theme.text),
                Span::styled(expected.into_owned(), theme.key),
                Span::styled(" to confirm:", theme.text),
            ]),
            Keep::Must,
        );
        field = Some(body.field());
    }
    let status = form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        .or_else(|| match form.gate {
            Gate::Enter => Some(text.ready),
            Gate::TypeName if form.matches() => Some(text.ready),
            Gate::TypeName if form.typed.value().is_empty() => None,
            Gate::TypeName => text.mismatch.map(|m| Line::styled(m, theme.muted)),
        });
    if let Some(status) = status {
        body.gap();
        body.text(status, Keep::Must);
    }
    let placed = body.draw(frame, area, text.width, &text.title, theme);
    if let Some(row) = field.and_then(|i| placed.get(i)) {
        input_line(frame, row, "", &form.typed, form.pending.is_none(), "", theme);
    }
}

fn text<'a>(state: &State, form: &ConfirmForm, theme: &Theme) -> Option<Text<'a>> {
    let expected = shown(&form.expected);
    let app = shown(state.app_name());
    let (title, question, consequence) = match &form.action {
        ConfirmAction::Extension(change) => return Some(extension(state, change, theme)),
        ConfirmAction::Feature(change) => return Some(feature(&app, change, theme)),
        ConfirmAction::Delete => (
            "Delete user",
            format!("Delete the user {expected} from {app}?"),
            "DANGER: this cannot be undone; its connections stop working.".to_owned(),
        ),
        ConfirmAction::ResetPassword => (
            "Reset password",
            format!("Reset the password of {expected} on {app}?"),
            "DANGER: the current password stops working at once; the new one is shown once.".to_owned(),
        ),
        ConfirmAction::Internet(action) => crate::ui::tabs::internet::confirm_text(state.dash()?, action),
    };
    Some(Text {
        title: title.into(),
        lines: vec![
            Some((Line::styled(question, theme.text), Keep::Explain)),
            Some((Line::styled(consequence, theme.danger), Keep::Explain)),
        ],
        width: 72,
        ready: Line::styled("It matches: Enter confirms.", theme.warn),
        mismatch: confirm_problems(form).map(|p| shown(&p).into_owned()),
    })
}

/// Enabling (Enter) or disabling (type the name) an extension: the database and the exact
/// statement, so PostgreSQL's refusal, if any, reads against it.
fn extension<'a>(state: &State, change: &ExtensionChange, theme: &Theme) -> Text<'a> {
    let database = match state.dash().and_then(|d| d.extensions.sql.data.as_ref()) {
        Some(listing) => shown(&listing.endpoint.to_string()).into_owned(),
        None => shown(state.app_name()).into_owned(),
    };
    // The statement shows the identifier as sent, with its hidden characters made visible.
    let ident = shown(&quote_ident(&change.name).unwrap_or_else(|_| change.name.clone())).into_owned();
    let name = shown(&change.name);
    let version = change.version.as_deref().map(|v| format!(" {}", shown(v))).unwrap_or_default();
    let runs = |statement: String| {
        Line::from(vec![Span::styled("Runs: ", theme.muted), Span::styled(statement, theme.key)])
    };
    match change.change {
        // Confirmed by Enter alone: the question and statement are all there is to read.
        Change::Enable => Text {
            title: "Enable extension".into(),
            lines: vec![
                Some((
                    Line::styled(format!("Enable {name}{version} in {database}?"), theme.text),
                    Keep::Must,
                )),
                Some((runs(format!("CREATE EXTENSION IF NOT EXISTS {ident};")), Keep::Must)),
            ],
            width: 76,
            ready: Line::styled("Enter enables, Esc cancels.", theme.muted),
            mismatch: None,
        },
        Change::Disable => Text {
            title: "Disable extension".into(),
            lines: vec![
                Some((
                    Line::styled(format!("Disable {name}{version} in {database}?"), theme.text),
                    Keep::Explain,
                )),
                Some((runs(format!("DROP EXTENSION IF EXISTS {ident};   (never CASCADE)")), Keep::Explain)),
                Some((
                    Line::styled(
                        "DANGER: its types and functions go (refused while objects use them).",
                        theme.danger,
                    ),
                    Keep::Explain,
                )),
            ],
            width: 76,
            ready: Line::styled("Names match: Enter disables.", theme.warn),
            mismatch: Some(format!("Type {name} exactly")),
        },
    }
}

/// Turning TLS enforcement or Internet accessibility on or off: what will happen, the
/// platform's warning about exposing a database, and the TLS prerequisite.
fn feature<'a>(app: &str, change: &FeatureSwitch, theme: &Theme) -> Text<'a> {
    let verb = if change.enable { "Enable" } else { "Disable" };
    let text = |s: String| Line::styled(s, theme.text);
    let lines = match (change.feature, change.enable) {
        (FeatureKind::Tls, true) if change.prerequisite => vec![
            Line::styled("Internet accessibility requires TLS enforcement, which is off.", theme.warn),
            text(format!("Enter enables TLS enforcement on {app} first; once it is on, press i again.")),
            text("Clients connecting without TLS will be refused.".into()),
        ],
        (FeatureKind::Tls, true) => {
            vec![text(format!("Clients connecting to {app}'s database without TLS will be refused."))]
        }
        (FeatureKind::Tls, false) => {
            vec![text(
                "Clients may then connect without encryption (TLS stays offered, not required).".into(),
            )]
        }
        (FeatureKind::Internet, true) => vec![
            Line::styled(
                "WARNING: exposing a database to the Internet is discouraged. Anyone can then try \
                 to connect; only its passwords protect it. An SSH tunnel (scalingo db-tunnel) is safer.",
                theme.danger,
            ),
            text(format!("{app}'s database will be reachable from the Internet, over TLS only.")),
        ],
        (FeatureKind::Internet, false) => vec![text(format!(
            "Clients outside Scalingo lose access to {app}'s database; apps and SSH tunnels keep it."
        ))],
    };
    // What happens, and what Enter does, are the whole question: they all stay.
    let mut lines: Vec<_> = lines.into_iter().map(|line| Some((line, Keep::Must))).collect();
    lines.push(None);
    let polled = "The change takes a moment: dbdeck checks every 3 s until it is done.";
    lines.push(Some((Line::styled(polled, theme.muted), Keep::Detail)));
    Text {
        title: format!("{verb} {}", change.feature.label()),
        lines,
        width: 72,
        ready: Line::styled(format!("Enter: {} · Esc: cancel", verb.to_lowercase()), theme.key),
        mismatch: None,
    }
}
