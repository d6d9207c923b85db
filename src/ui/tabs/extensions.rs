//! The Extensions tab: the allowed list over SQL (name, state, default version, description), or
//! without SQL the enabled ones from the API with what to do to manage them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::api::Engine;
use crate::app::State;
use crate::app::display::{shell_word, shown};
use crate::app::extensions::{ExtensionRow, ExtensionsTab};
use crate::app::state::Dashboard;
use crate::sql::SqlError;
use crate::ui::columns::{self, Column};
use crate::ui::theme::Theme;
use crate::ui::widgets::wrapped_height;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, dash: &Dashboard, theme: &Theme) {
    let tab = &dash.extensions;
    let total = tab.rows().len();
    let enabled = tab.rows().iter().filter(|r| r.installed.is_some()).count();
    let count = match (&tab.sql.data, tab.list.filter.value()) {
        (_, filter) if !filter.is_empty() => {
            format!("{} of {total}, filter \"{}\"", tab.list.len(), shown(filter))
        }
        (Some(_), _) => format!("{total} listed, {enabled} enabled"),
        (None, _) => format!("{enabled} enabled"),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border)
        .title(Line::from(vec![
            Span::styled(" Extensions ", theme.title),
            Span::styled(
                if dash.engine() == Some(Engine::PostgreSql) { format!("({count}) ") } else { String::new() },
                theme.muted,
            ),
        ]));

    let whole_tab = match dash.engine() {
        Some(Engine::MySql) => Some(Line::styled(
            "Extensions are a PostgreSQL feature: a MySQL database has none to manage.",
            theme.text,
        )),
        None if dash.database.error.is_some() => {
            Some(Line::styled("Not connected to the database.", theme.danger))
        }
        None => Some(Line::styled(
            format!("{} Connecting{}", theme.spinner(state.spinner), theme.symbols.ellipsis),
            theme.muted,
        )),
        Some(Engine::PostgreSql) => None,
    };
    if let Some(line) = whole_tab {
        frame.render_widget(Paragraph::new(line).block(block).wrap(Wrap { trim: true }), area);
        return;
    }

    let inner = block.inner(area);
    frame.render_widget(block, area);
    let notice = notice(state, dash, tab, theme);
    let notice_height = wrapped_height(&notice, inner.width).min(inner.height.saturating_sub(2));
    let [notice_area, table_area] =
        Layout::vertical([Constraint::Length(notice_height), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(notice).wrap(Wrap { trim: true }), notice_area);

    if let Some(line) = empty_message(tab, total, state, theme) {
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), table_area);
        return;
    }
    let columns = [
        Column::new("Name", 12, 0),
        Column::new("State", 13, 1),
        Column::new("Default", 7, 3),
        Column::new("Description", 12, 2).fill(),
    ];
    let row = |i: usize| table_row(&tab.rows()[i], theme);
    columns::draw_list(frame, table_area, None, &columns, &tab.list, row, theme);
}

fn table_row<'a>(row: &ExtensionRow, theme: &Theme) -> Vec<Span<'a>> {
    let state = match (&row.installed, row.allowed, row.available) {
        (Some(version), _, _) => Span::styled(format!("enabled {}", shown(version)), theme.ok),
        (None, _, true) => Span::raw("available"),
        (None, _, false) => Span::styled("not installed", theme.muted),
    };
    let description = row.comment.as_deref().map_or_else(|| "-".into(), |c| shown(c).into_owned());
    // Only SQL knows the allowed list; an enabled extension outside it is shown, never changed.
    let description = if row.default_version.is_some() && !row.allowed {
        format!("(not in the allowed list) {description}")
    } else {
        description
    };
    vec![
        Span::raw(shown(&row.name).into_owned()),
        state,
        Span::raw(shown(row.default_version.as_deref().unwrap_or("-")).into_owned()),
        Span::raw(description),
    ]
}

fn empty_message<'a>(tab: &ExtensionsTab, total: usize, state: &State, theme: &Theme) -> Option<Line<'a>> {
    if !tab.list.is_empty() {
        return None;
    }
    let spinner = theme.spinner(state.spinner);
    Some(match (&tab.sql.data, &tab.api.data) {
        _ if total > 0 => Line::styled("No extension matches the filter (Esc clears it).", theme.muted),
        (None, None) if tab.api.pending.is_some() => Line::styled(
            format!("{spinner} Loading the enabled extensions{}", theme.symbols.ellipsis),
            theme.muted,
        ),
        (None, None) => Line::styled(
            format!(
                "Could not list the enabled extensions: {}",
                shown(tab.api.error.as_deref().unwrap_or("-"))
            ),
            theme.danger,
        ),
        (Some(_), _) => Line::styled("This server allows no extension.", theme.muted),
        (None, Some(_)) => Line::styled("The API reports no enabled extension.", theme.muted),
    })
}

/// What the tab says above the table: the SQL connection, or why there is none and what to do.
fn notice<'a>(state: &State, dash: &Dashboard, tab: &ExtensionsTab, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    if let Some(listing) = &tab.sql.data {
        let tls = if listing.encrypted { "over TLS" } else { "without TLS" };
        let scope = if listing.restricted { "the allowed list" } else { "every available extension" };
        let route = match &listing.via {
            Some(via) => format!("via SSH tunnel through {}", shown(via)),
            None => "direct".into(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("SQL {} {tls}", shown(&listing.endpoint.to_string())), theme.text),
            Span::styled(format!(" (from {}), ", listing.origin.label()), theme.muted),
            Span::styled(route, theme.text),
            Span::styled(format!(": {scope}."), theme.muted),
        ]));
        if let Some(e) = &tab.sql_error {
            lines.push(Line::styled(format!("Refresh failed: {}", shown(&e.to_string())), theme.danger));
        }
        return lines;
    }
    if tab.sql.pending.is_some() {
        lines.push(Line::styled(
            format!(
                "{} Connecting over SQL{} Meanwhile, the enabled extensions from the API:",
                theme.spinner(state.spinner),
                theme.symbols.ellipsis
            ),
            theme.muted,
        ));
        return lines;
    }
    // A command to copy: the app's name made visible, then quoted for the shell (quoting adds
    // only visible characters).
    let app = shell_word(&shown(&dash.current.app)).into_owned();
    let how = format!(
        "To reach it: turn on Internet accessibility with TLS (tab 3), add a firewall rule for this host \
         (dedicated databases), or run `scalingo --app {app} db-tunnel SCALINGO_POSTGRESQL_URL` and set \
         DATABASE_URL to the tunnel. Then press r."
    );
    match &tab.sql_error {
        Some(SqlError::NoUrl) => {
            lines.push(Line::styled(
                format!(
                    "To enable or disable extensions, dbdeck needs a SQL connection: set DATABASE_URL \
                     (postgres://{}), or give the app a SCALINGO_POSTGRESQL_URL variable; then press r.",
                    theme.symbols.ellipsis
                ),
                theme.warn,
            ));
        }
        Some(e @ SqlError::Unreachable { .. }) => {
            lines.push(Line::styled(sentence(format!("{}.", shown(&e.to_string()))), theme.danger));
            lines.push(Line::styled(how, theme.warn));
        }
        Some(e @ SqlError::Tunnel { .. }) => {
            lines.push(Line::styled(format!("No SQL connection: {}", shown(&e.to_string())), theme.danger));
            lines.push(Line::styled(
                "dbdeck reaches the database as `ssh git@<SSH host>` does: your SSH key must be added to your \
                 Scalingo account (--ssh-identity FILE picks it; --no-tunnel connects only directly). Then press r.",
                theme.warn,
            ));
        }
        Some(e) => {
            lines.push(Line::styled(format!("No SQL connection: {}", shown(&e.to_string())), theme.danger))
        }
        None => {}
    }
    if state.session.demo && tab.sql_error.is_some() {
        // The demo's own URL points at a closed port: say how to see enabling and disabling.
        lines.push(Line::styled(
            "Demo: run `dbdeck --demo` with DATABASE_URL pointing at a local PostgreSQL to see the \
             whole flow (enable, disable).",
            theme.warn,
        ));
    }
    lines.push(Line::styled("The enabled extensions, from the Scalingo API:", theme.muted));
    lines
}

/// "cannot reach …" as the start of a sentence.
fn sentence(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}
