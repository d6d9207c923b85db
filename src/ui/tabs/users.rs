//! The Users tab: name, access, protected, password encryption.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::api::Engine;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::Dashboard;
use crate::ui::columns::{self, Column};
use crate::ui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, dash: &Dashboard, theme: &Theme) {
    let tab = &dash.users;
    let matching = tab.list.len();
    let total = tab.users.data.as_ref().map_or(0, Vec::len);
    let count = if tab.list.filter.value().is_empty() {
        format!("{total}")
    } else {
        format!("{} of {total}, filter \"{}\"", matching, shown(tab.list.filter.value()))
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border)
        .title(Line::from(vec![
            Span::styled(" Users ", theme.title),
            Span::styled(format!("({count}) "), theme.muted),
        ]));

    let message = match (&tab.users.data, &tab.users.error) {
        (None, Some(e)) => Some(Line::styled(
            format!("Could not load the users: {}. Press r to retry.", shown(e)),
            theme.danger,
        )),
        (None, None) if let Some(e) = &dash.database.error => Some(Line::styled(
            format!("Not connected to the database: {}. Press r to try again.", shown(e)),
            theme.danger,
        )),
        (None, None) => Some(Line::styled(
            format!("{} Loading users{}", theme.spinner(state.spinner), theme.symbols.ellipsis),
            theme.muted,
        )),
        (Some(_), _) if matching == 0 && total > 0 => {
            Some(Line::styled("No user matches the filter (Esc clears it).", theme.muted))
        }
        (Some(_), _) if matching == 0 => Some(Line::styled("This database has no users.", theme.muted)),
        _ => None,
    };
    if let Some(line) = message {
        frame.render_widget(Paragraph::new(line).block(block).wrap(Wrap { trim: true }), area);
        return;
    }

    // Password encryption is a PostgreSQL attribute; MySQL users have none.
    let show_encryption = dash.engine() != Some(Engine::MySql);
    let mut columns =
        vec![Column::new("Name", 12, 0).fill(), Column::new("Access", 10, 1), Column::new("Protected", 9, 2)];
    if show_encryption {
        columns.push(Column::new("Password encryption", 13, 3));
    }
    let users = tab.users.data.as_deref().unwrap_or_default();
    let row = |i: usize| {
        let user = &users[i];
        let access =
            if user.read_only { Span::raw("read-only") } else { Span::styled("read-write", theme.text) };
        let protected = if user.protected { Span::styled("protected", theme.warn) } else { Span::raw("-") };
        let mut cells = vec![Span::raw(shown(&user.name).into_owned()), access, protected];
        if show_encryption {
            cells.push(Span::raw(shown(user.password_encryption().unwrap_or("-")).into_owned()));
        }
        cells
    };
    columns::draw_list(frame, area, Some(block), &columns, &tab.list, row, theme);
}
