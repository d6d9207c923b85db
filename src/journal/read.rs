//! Reading the journal back: every line, with the ones that do not parse counted rather than
//! fatal (a shared journal may hold lines of another version), filtered by app and time.

use std::path::Path;

use super::{Action, Entry, Event, Outcome};

/// The entries of a journal, in file order (newest last), and the lines that did not parse.
#[derive(Debug, Default)]
pub struct Read {
    /// Each entry with its line as written, for `--json`.
    pub entries: Vec<(Entry, String)>,
    pub skipped: usize,
}

/// Reads `path`; a journal not written yet reads as empty.
pub fn read_entries(path: &Path) -> std::io::Result<Read> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::default()),
        Err(e) => return Err(e),
    };
    let mut read = Read::default();
    for line in bytes.split(|b| *b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)) {
        let line = String::from_utf8_lossy(line);
        match serde_json::from_str::<Entry>(&line) {
            Ok(entry) => read.entries.push((entry, line.into_owned())),
            Err(_) => read.skipped += 1,
        }
    }
    Ok(read)
}

/// Which entries `dbdeck journal` shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The app's name, exactly.
    pub app: Option<String>,
    /// Milliseconds since the epoch: entries at or after.
    pub since: Option<i64>,
}

impl Filter {
    pub fn keeps(&self, entry: &Entry) -> bool {
        let app = self.app.as_deref().is_none_or(|app| entry.app == app);
        let since =
            self.since.is_none_or(|since| super::time::parse_utc(&entry.time).is_some_and(|t| t >= since));
        app && since
    }
}

/// One change as the TUI lists it: its intent, and how it ended as of the latest line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub time: String,
    pub who: String,
    pub action: Action,
    pub target: String,
    /// `done`, `refused`, `unknown`, `settled: done`… or `no outcome recorded`.
    pub status: String,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
}

/// The last `limit` changes made on `addon`, oldest first, each with its latest outcome.
pub fn recent_changes(entries: &[Entry], addon: &str, limit: usize) -> Vec<ChangeRow> {
    let mut rows: Vec<(String, ChangeRow)> = Vec::new();
    for entry in entries.iter().filter(|e| e.addon == addon) {
        if entry.event == Event::Intent {
            rows.push((
                entry.id.clone(),
                ChangeRow {
                    time: entry.time.clone(),
                    who: entry.who(),
                    action: entry.action,
                    target: entry.target.clone(),
                    status: "no outcome recorded".into(),
                    outcome: None,
                    reason: None,
                },
            ));
        } else if let Some((_, row)) = rows.iter_mut().rev().find(|(id, _)| *id == entry.id) {
            row.status = entry.status();
            row.outcome = entry.outcome;
            row.reason = entry.reason.clone();
        }
    }
    let skip = rows.len().saturating_sub(limit);
    rows.into_iter().skip(skip).map(|(_, row)| row).collect()
}
