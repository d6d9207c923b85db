//! Selection and filter of a table: shared by every tab that lists things.

use crossterm::event::KeyEvent;

use super::input::TextInput;
use crate::app::keys::{Action, Context, action_for};

/// Rows a PgUp/PgDn jumps.
const PAGE: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct ListState {
    /// Index into the visible (filtered) rows.
    pub selected: usize,
    pub filter: TextInput,
    /// `/` was pressed: keys go to the filter until Enter or Esc.
    pub filter_editing: bool,
}

impl ListState {
    /// Whether a row whose name is `text` passes the filter (a case-insensitive substring of
    /// the name as the screen shows it).
    pub fn matches(&self, text: &str) -> bool {
        super::display::shown(text).to_lowercase().contains(&self.filter.value().to_lowercase())
    }

    /// Clears the filter; with no filter, nothing changes (Esc then keeps the selection).
    pub fn clear_filter(&mut self) {
        if self.filter.value().is_empty() {
            return;
        }
        self.filter = TextInput::plain();
        self.selected = 0;
    }

    /// Moves the selection among `count` rows, or starts the filter. Returns false for an
    /// action that is not about moving.
    pub fn navigate(&mut self, action: Action, count: usize) -> bool {
        let last = count.saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageUp => self.selected.saturating_sub(PAGE),
            Action::PageDown => (self.selected + PAGE).min(last),
            Action::Filter => {
                self.filter_editing = true;
                self.selected
            }
            _ => return false,
        };
        true
    }

    /// A key while the filter is being typed.
    pub fn filter_key(&mut self, key: KeyEvent) {
        match action_for(Context::Filter, &key) {
            Some(Action::Submit) => self.filter_editing = false,
            Some(Action::Cancel) => {
                self.clear_filter();
                self.filter_editing = false;
            }
            _ => {
                if self.filter.handle_key(key) {
                    self.selected = 0;
                }
            }
        }
    }

    /// Keeps `selected` on the row named `name` after the rows changed, else within bounds.
    pub fn reselect(&mut self, names: &[String], name: Option<&str>) {
        self.selected = name
            .and_then(|name| names.iter().position(|n| *n == name))
            .unwrap_or(self.selected)
            .min(names.len().saturating_sub(1));
    }
}
