//! The Users tab: name, access, protected, password encryption.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::api::Engine;
use crate::app::State;
use crate::app::display::shown;
use crate::ui::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let tab = &state.users;
    let visible = tab.visible();
    let total = tab.users.data.as_ref().map_or(0, Vec::len);
    let count = if tab.list.filter.value().is_empty() {
        format!("{total}")
    } else {
        format!("{} of {total}, filter \"{}\"", visible.len(), shown(tab.list.filter.value()))
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
        (None, None) if let Some(e) = &state.database.error => Some(Line::styled(
            format!("Not connected to the database: {}. Press r to try again.", shown(e)),
            theme.danger,
        )),
        (None, None) => {
            Some(Line::styled(format!("{} Loading users…", theme.spinner(state.spinner)), theme.muted))
        }
        (Some(_), _) if visible.is_empty() && total > 0 => {
            Some(Line::styled("No user matches the filter (Esc clears it).", theme.muted))
        }
        (Some(_), _) if visible.is_empty() => Some(Line::styled("This database has no users.", theme.muted)),
        _ => None,
    };
    if let Some(line) = message {
        frame.render_widget(Paragraph::new(line).block(block).wrap(Wrap { trim: true }), area);
        return;
    }

    // Password encryption is a PostgreSQL attribute; MySQL users have none.
    let show_encryption = state.engine() != Some(Engine::MySql);
    let mut header = vec!["Name", "Access", "Protected"];
    let mut widths = vec![Constraint::Min(16), Constraint::Length(11), Constraint::Length(10)];
    if show_encryption {
        header.push("Password encryption");
        widths.push(Constraint::Length(20));
    }
    let rows = visible.iter().map(|user| {
        let access = if user.read_only {
            Cell::from("read-only")
        } else {
            Cell::from(Span::styled("read-write", theme.text))
        };
        let protected =
            if user.protected { Cell::from(Span::styled("protected", theme.warn)) } else { Cell::from("-") };
        let mut cells = vec![Cell::from(shown(&user.name).into_owned()), access, protected];
        if show_encryption {
            cells.push(Cell::from(shown(user.password_encryption().unwrap_or("-")).into_owned()));
        }
        Row::new(cells)
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .block(block)
        .row_highlight_style(theme.selected)
        .highlight_symbol(theme.symbols.selected)
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut table_state = TableState::default().with_selected(Some(tab.list.selected));
    frame.render_stateful_widget(table, area, &mut table_state);
}
