//! The question before turning TLS enforcement or Internet accessibility on or off: what will
//! happen, the platform's warning about exposing a database, and the TLS prerequisite.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::fit::{Body, Keep};
use super::form_status;
use crate::app::State;
use crate::app::display::shown;
use crate::app::internet::{FeatureForm, FeatureKind};
use crate::ui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &FeatureForm, theme: &Theme) {
    let verb = if form.enable { "Enable" } else { "Disable" };
    let title = format!("{verb} {}", form.feature.label());
    let app = shown(state.app_name());
    let mut lines = Vec::new();
    match (form.feature, form.enable) {
        (FeatureKind::Tls, true) if form.prerequisite => {
            lines.push(Line::styled(
                "Internet accessibility requires TLS enforcement, which is off.",
                theme.warn,
            ));
            lines.push(Line::styled(
                format!("Enter enables TLS enforcement on {app} first; once it is on, press i again."),
                theme.text,
            ));
            lines.push(Line::styled("Clients connecting without TLS will be refused.", theme.text));
        }
        (FeatureKind::Tls, true) => lines.push(Line::styled(
            format!("Clients connecting to {app}'s database without TLS will be refused."),
            theme.text,
        )),
        (FeatureKind::Tls, false) => lines.push(Line::styled(
            "Clients may then connect without encryption (TLS stays offered, not required).",
            theme.text,
        )),
        (FeatureKind::Internet, true) => {
            lines.push(Line::styled(
                "WARNING: exposing a database to the Internet is discouraged. Anyone can then try \
                 to connect; only its passwords protect it. An SSH tunnel (scalingo db-tunnel) is safer.",
                theme.danger,
            ));
            lines.push(Line::styled(
                format!("{app}'s database will be reachable from the Internet, over TLS only."),
                theme.text,
            ));
        }
        (FeatureKind::Internet, false) => lines.push(Line::styled(
            format!(
                "Clients outside Scalingo lose access to {app}'s database; apps and SSH tunnels keep it."
            ),
            theme.text,
        )),
    }
    // What happens, and what Enter does, are the whole question: they all stay.
    let mut body = Body::new();
    for line in lines {
        body.text(line, Keep::Must);
    }
    body.gap();
    body.text(
        Line::styled("The change takes a moment: dbdeck checks every 3 s until it is done.", theme.muted),
        Keep::Detail,
    );
    body.gap();
    body.text(
        form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
            .unwrap_or_else(|| {
                Line::styled(format!("Enter: {} · Esc: cancel", verb.to_lowercase()), theme.key)
            }),
        Keep::Must,
    );
    body.draw(frame, area, 72, &title, theme);
}
