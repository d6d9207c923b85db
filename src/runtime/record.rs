//! The journal's side of the effect runner: the intent written before a change is spawned
//! (or, when it cannot be written, the change's failure answered instead), and the reads for
//! the TUI's overlay, off the loop.

use tokio::sync::mpsc::UnboundedSender;

use crate::api::DbTarget;
use crate::app::Msg;
use crate::journal::{Action, Journal, JournalError, Pending};

/// How many changes the overlay lists.
const RECENT: usize = 200;

/// Records that a change is about to be sent. When the journal cannot be written, answers
/// with `refuse(error)` and returns `None`: the change is not made.
pub(super) fn intent(
    journal: &Journal,
    tx: &UnboundedSender<Msg>,
    db: &DbTarget,
    action: Action,
    target: &str,
    label: Option<&str>,
    refuse: impl FnOnce(JournalError) -> Msg,
) -> Option<Pending> {
    match journal.intent(db, action, target, label) {
        Ok(pending) => Some(pending),
        Err(e) => {
            tracing::error!("{e}");
            let _ = tx.send(refuse(e));
            None
        }
    }
}

/// Reads this database's recent changes for the overlay.
pub(super) fn read_recent(journal: &Journal, addon: String, tx: UnboundedSender<Msg>) {
    let Some(path) = journal.path().map(ToOwned::to_owned) else {
        let _ = tx.send(Msg::JournalRead(Err(
            "The journal is off (--no-journal): changes are not recorded".into()
        )));
        return;
    };
    tokio::task::spawn_blocking(move || {
        let result = crate::journal::read_entries(&path)
            .map(|read| {
                let entries: Vec<_> = read.entries.into_iter().map(|(entry, _)| entry).collect();
                crate::journal::recent_changes(&entries, &addon, RECENT)
            })
            .map_err(|e| format!("Reading the journal {}: {e}", path.display()));
        let _ = tx.send(Msg::JournalRead(result));
    });
}
