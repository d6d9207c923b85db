//! The journal's side of the effect runner: the intent written before a change is spawned
//! (or, when it cannot be written, the change's failure answered instead), and the reads for
//! the TUI's overlay, off the loop.

use tokio::sync::mpsc::UnboundedSender;

use super::spawn;
use crate::api::{ApiError, DbTarget};
use crate::app::Msg;
use crate::journal::{Action, Check, Journal, JournalError, Pending};

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

/// A change as the journal records it: what is done to what, and how a later list settles it
/// when its answer is lost.
pub(super) struct Change<'a> {
    pub action: Action,
    pub target: &'a str,
    pub label: Option<&'a str>,
    pub check: Check,
}

/// A journalled API change: its intent recorded first (if that fails, `answer` gets the
/// journal's error at once and nothing is sent), then `request` run in a task, its outcome
/// recorded, and `answer` sent back.
pub(super) fn api_change<T: Send + 'static>(
    journal: &Journal,
    tx: UnboundedSender<Msg>,
    db: &DbTarget,
    change: Change<'_>,
    request: impl Future<Output = Result<T, ApiError>> + Send + 'static,
    answer: impl FnOnce(Result<T, ApiError>) -> Msg + Send + 'static,
) {
    let Change { action, target, label, check } = change;
    match journal.intent(db, action, target, label) {
        Ok(pending) => spawn(tx, async move {
            let result = request.await;
            pending.finish(&result, check);
            answer(result)
        }),
        Err(e) => {
            tracing::error!("{e}");
            let _ = tx.send(answer(Err(e.into())));
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
