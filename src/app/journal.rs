//! The journal overlay (`J`): the recent changes made on this database, from every dbdeck
//! sharing the journal. The runtime reads the file off the loop and answers `JournalRead`.

use crossterm::event::KeyEvent;

use super::msg::Effect;
use super::state::{Modal, State};
use super::update::error;
use crate::app::keys::{Action, Context, action_for};
use crate::journal::ChangeRow;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalView {
    /// Oldest first; `None` while the file is read.
    pub rows: Option<Vec<ChangeRow>>,
    pub error: Option<String>,
    /// Rows scrolled back from the newest.
    pub back: usize,
}

/// `J`: opens the overlay and asks for the file to be read.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    let Some(target) = state.target() else {
        error(state, "Not connected to the database yet");
        return vec![];
    };
    let addon = target.addon_id.clone();
    state.modal = Some(Modal::Journal(JournalView::default()));
    vec![Effect::ReadJournal { addon }]
}

pub(super) fn on_read(state: &mut State, result: Result<Vec<ChangeRow>, String>) {
    // Closed before the answer came: nothing to show it in.
    if let Some(Modal::Journal(view)) = &mut state.modal {
        match result {
            Ok(rows) => view.rows = Some(rows),
            Err(e) => view.error = Some(e),
        }
    }
}

pub(super) fn key(view: JournalView, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    let mut view = view;
    let count = view.rows.as_ref().map_or(0, Vec::len);
    match action_for(Context::Journal, &key) {
        Some(Action::Close) => return (None, vec![]),
        Some(Action::Up) => view.back = (view.back + 1).min(count.saturating_sub(1)),
        Some(Action::Down) => view.back = view.back.saturating_sub(1),
        _ => {}
    }
    (Some(Modal::Journal(view)), vec![])
}
