//! The database picker screen: what is being listed, the databases (recent first), and the
//! regions or apps that could not be read, under the list, so one failing region never hides
//! the others.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::columns::{self, Column};
use super::header::badges;
use super::theme::Theme;
use super::widgets::wrapped_height;
use crate::api::Engine;
use crate::app::State;
use crate::app::display::shown;
use crate::app::picker::{Picker, PickerRow};

/// The database's name and region tell rows apart, so they go last; the plan goes first.
const COLUMNS: [Column; 6] = [
    Column::new("", 1, 0),
    Column::new("Database", 14, 0).fill(),
    Column::new("Engine", 13, 2),
    Column::new("Plan", 10, 4),
    Column::new("Region", 14, 1),
    Column::new("Status", 7, 3),
];

/// Problems shown at most under the list, and the rows they may wrap to.
const MAX_PROBLEMS: usize = 3;
const MAX_PROBLEM_ROWS: u16 = 6;

pub fn draw_header(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut first = badges(state, theme);
    first.push(Span::styled("Choose a database", theme.text));
    frame.render_widget(Line::from(first), Rect { height: 1, ..area });
    if area.height > 1 {
        let second = Line::from(progress(state, theme));
        frame.render_widget(second, Rect { y: area.y + 1, height: 1, ..area });
    }
}

/// What is being listed, or what was found.
fn progress<'a>(state: &State, theme: &Theme) -> Vec<Span<'a>> {
    let picker = &state.picker;
    let regions = picker.regions.data.as_deref().unwrap_or_default();
    let names: Vec<String> = regions.iter().map(|r| shown(&r.name).into_owned()).collect();
    if picker.loading() {
        let what = if picker.regions.pending.is_some() {
            format!("Listing the regions{}", theme.symbols.ellipsis)
        } else {
            format!("Listing databases: {} of {} apps read", picker.apps_read, picker.apps_total)
        };
        return vec![Span::styled(format!(" {} {what}", theme.spinner(state.spinner)), theme.muted)];
    }
    let count = picker.rows.len();
    let noun = if count == 1 { "database" } else { "databases" };
    let mut spans = vec![Span::styled(format!(" {count} {noun}"), theme.text)];
    if !names.is_empty() {
        spans.push(Span::styled(format!(" in {}", names.join(", ")), theme.muted));
    }
    if !state.recents.is_empty() {
        spans.push(Span::styled("   * opened lately", theme.muted));
    }
    spans
}

/// The list and, under it, what could not be read.
pub fn draw_body(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let picker = &state.picker;
    let problems = picker.problems();
    let lines: Vec<Line> = problems
        .iter()
        .take(MAX_PROBLEMS)
        .map(|p| Line::styled(format!(" ! {}", theme.spelled(&shown(p))), theme.danger))
        .collect();
    // Wrapped, not cut: the cause is at the end of the line (after the request id).
    let rows = wrapped_height(&lines, area.width).min(MAX_PROBLEM_ROWS);
    let rows = if lines.is_empty() { 0 } else { rows };
    let [list_area, problems_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(rows)]).areas(area);
    draw_list(frame, list_area, state, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), problems_area);
}

fn draw_list(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let picker = &state.picker;
    let total = picker.rows.len();
    let count = if picker.list.filter.value().is_empty() {
        format!("{total}")
    } else {
        format!("{} of {total}, filter \"{}\"", picker.list.len(), shown(picker.list.filter.value()))
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border)
        .title(Line::from(vec![
            Span::styled(" Databases ", theme.title),
            Span::styled(format!("({count}) "), theme.muted),
        ]));
    if let Some(line) = placeholder(state, picker, picker.list.is_empty(), theme) {
        frame.render_widget(Paragraph::new(line).block(block).wrap(Wrap { trim: true }), area);
        return;
    }
    let row = |i: usize| {
        let row = &picker.rows[i];
        let recent = if is_recent(state, row) { "*" } else { " " };
        let status_style = if row.status == "running" { theme.ok } else { theme.warn };
        vec![
            Span::styled(recent, theme.key),
            Span::raw(shown(&row.app).into_owned()),
            Span::raw(engine_label(row)),
            Span::raw(shown(short_plan(row)).into_owned()),
            Span::raw(shown(&row.region).into_owned()),
            Span::styled(shown(&row.status).into_owned(), status_style),
        ]
    };
    columns::draw_list(frame, area, Some(block), &COLUMNS, &picker.list, row, theme);
}

/// Dedicated (Dedicated Resources) databases say so next to their engine.
fn engine_label(row: &PickerRow) -> String {
    match (row.engine, row.dedicated) {
        (Engine::PostgreSql, true) => "PostgreSQL DR".into(),
        (engine, true) => format!("{} DR", engine.label()),
        (engine, false) => engine.label().into(),
    }
}

/// The plan without the engine's name in front (`postgresql-starter-512` → `starter-512`): the
/// Engine column says it already, and 80 columns are few.
fn short_plan(row: &PickerRow) -> &str {
    let plan = row.plan.as_str();
    ["postgresql-", "mysql-"].iter().find_map(|prefix| plan.strip_prefix(prefix)).unwrap_or(plan)
}

fn is_recent(state: &State, row: &PickerRow) -> bool {
    let addon = row.addon.as_ref().map_or("", |a| a.id.as_str());
    state.recents.iter().any(|r| r.region == row.region && r.app == row.app && r.addon == addon)
}

fn placeholder(state: &State, picker: &Picker, empty: bool, theme: &Theme) -> Option<Line<'static>> {
    if !empty {
        return None;
    }
    let line = if let Some(e) = &picker.regions.error {
        Line::styled(format!("Could not list the regions: {}. Press r to retry.", shown(e)), theme.danger)
    } else if picker.loading() {
        Line::styled(
            format!("{} Listing your databases{}", theme.spinner(state.spinner), theme.symbols.ellipsis),
            theme.muted,
        )
    } else if !picker.rows.is_empty() {
        Line::styled("No database matches the filter (Esc clears it).", theme.muted)
    } else if !picker.problems().is_empty() {
        // Not "none found": what could not be read may hold them.
        Line::styled("No database could be listed: see why below. Press r to list again.", theme.danger)
    } else {
        Line::styled("No PostgreSQL or MySQL database found. Press r to list again.", theme.muted)
    };
    Some(line)
}
