//! `dbdeck journal`'s output: a table with one row per line of the journal (newest last), or
//! the lines as they were written (`--json`).

use super::Entry;
use crate::app::display::shown;

const HEADERS: [&str; 9] =
    ["TIME (UTC)", "CHANGE", "WHO", "APP", "DATABASE", "ACTION", "TARGET", "STATUS", "DETAIL"];

fn cells(entry: &Entry) -> [String; 9] {
    // `2026-11-24T10:15:02.123Z` reads as `2026-11-24 10:15:02`.
    let time = entry.time.get(..19).unwrap_or(&entry.time).replacen('T', " ", 1);
    let database = entry.engine.clone().unwrap_or_else(|| entry.addon.clone());
    let target = match &entry.label {
        Some(label) => format!("{} ({label})", entry.target),
        None => entry.target.clone(),
    };
    let mut detail = entry.reason.clone().unwrap_or_default();
    if let Some(rid) = entry.request_id.as_deref().filter(|rid| !detail.contains(*rid)) {
        detail = if detail.is_empty() {
            format!("request id {rid}")
        } else {
            format!("{detail} (request id {rid})")
        };
    }
    [
        time,
        entry.id.chars().take(8).collect(),
        entry.who(),
        entry.app.clone(),
        database,
        entry.action.name().to_owned(),
        target,
        entry.status(),
        detail,
    ]
    .map(|cell| shown(&cell).into_owned())
}

/// The entries as an aligned table; the last column is not padded.
pub fn render_table<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let rows: Vec<[String; 9]> = entries.into_iter().map(cells).collect();
    let mut widths = HEADERS.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let headers = HEADERS.map(str::to_owned);
    let mut out = String::new();
    for row in std::iter::once(&headers).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The lines as written, one per line.
pub fn render_json<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    lines.into_iter().map(|l| format!("{l}\n")).collect()
}
