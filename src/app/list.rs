//! Selection, filter and scroll of a table: shared by every tab that lists things. The rows
//! passing the filter are kept as an index, computed when the rows or the filter change, so
//! that a frame or a key costs the same at 100,000 rows as at 100.

use std::cell::Cell;
use std::ops::Range;

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
    /// The rows passing the filter: indices into the tab's rows, in order.
    shown: Vec<usize>,
    /// The filter `shown` was computed for.
    shown_for: String,
    /// The first row on screen. Only the draw knows the page height, so it keeps this (hence
    /// the `Cell`): a move within the page then moves the selection, not the view.
    offset: Cell<usize>,
}

impl ListState {
    /// Computes which rows pass the filter, from each row's filter text: called when the rows
    /// change, and (through `State::refilter`) when the filter does.
    pub fn refilter<S: AsRef<str>>(&mut self, texts: impl IntoIterator<Item = S>) {
        let needle = self.filter.value().to_lowercase();
        self.shown.clear();
        self.shown.extend(
            texts.into_iter().enumerate().filter(|(_, text)| matches(text.as_ref(), &needle)).map(|(i, _)| i),
        );
        self.shown_for.clear();
        self.shown_for.push_str(self.filter.value());
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// Whether the filter changed since the index was computed.
    pub fn filter_changed(&self) -> bool {
        self.filter.value() != self.shown_for
    }

    /// The rows passing the filter, as indices into the tab's rows.
    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// How many rows pass the filter.
    pub fn len(&self) -> usize {
        self.shown.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The selected row, as an index into the tab's rows.
    pub fn selected_row(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }

    /// The rows on screen for a page `height` rows high (positions in [`Self::shown`]): the
    /// view scrolls only as far as the selection needs.
    pub fn window(&self, height: usize) -> Range<usize> {
        let (len, height) = (self.shown.len(), height.max(1));
        // A shorter list (a filter, a refresh) leaves no blank page below its end.
        let mut offset = self.offset.get().min(len.saturating_sub(height));
        if self.selected < offset {
            offset = self.selected;
        } else if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        self.offset.set(offset);
        offset..(offset + height).min(len)
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

    /// Keeps `selected` on the row `is_it` finds (given an index into the tab's rows) after
    /// the rows changed, else within bounds.
    pub fn reselect(&mut self, is_it: impl Fn(usize) -> bool) {
        self.selected = self
            .shown
            .iter()
            .position(|&i| is_it(i))
            .unwrap_or(self.selected)
            .min(self.shown.len().saturating_sub(1));
    }
}

/// Whether `text` passes a filter lowercased as `needle`: a case-insensitive substring of the
/// text as the screen shows it. ASCII (nearly every name) is matched in place, without
/// allocating.
fn matches(text: &str, needle: &str) -> bool {
    let text = super::display::shown(text);
    if text.is_ascii() && needle.is_ascii() {
        let (text, needle) = (text.as_bytes(), needle.as_bytes());
        needle.is_empty() || text.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
    } else {
        text.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn list(filter: &str, texts: &[&str]) -> ListState {
        let mut list = ListState::default();
        list.filter.paste(filter);
        list.refilter(texts);
        list
    }

    #[test]
    fn the_window_scrolls_only_as_far_as_the_selection_needs() {
        let texts: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let mut list = ListState::default();
        list.refilter(&texts);
        assert_eq!(list.window(10), 0..10);
        list.navigate(Action::Bottom, 100);
        assert_eq!(list.window(10), 90..100);
        list.navigate(Action::Up, 100);
        assert_eq!(list.window(10), 90..100, "a move within the page keeps the view");
        list.navigate(Action::PageUp, 100);
        assert_eq!(list.window(10), 88..98);
        // A shorter list keeps the selection in bounds, with no blank page below its end.
        list.filter.paste("9");
        list.refilter(&texts);
        assert_eq!((list.len(), list.selected), (19, 18));
        assert_eq!(list.window(10), 9..19);
    }

    #[test]
    fn matches_ignore_case_beyond_ascii() {
        assert_eq!(list("ÉTÉ", &["été_user", "ete", "x_ÉtÉ"]).shown(), [0, 2]);
        assert_eq!(list("Shop", &["shop_prod", "SHOP", "sho"]).shown(), [0, 1]);
        // The text as shown: a hidden character is matched by what the screen prints for it.
        assert_eq!(list("u{200b}", &["a\u{200b}b", "ab"]).shown(), [0]);
    }

    proptest! {
        #[test]
        fn the_index_matches_the_lowercased_search(
            texts in proptest::collection::vec("[a-zA-Z_É\u{200b}é]{0,6}", 0..20),
            filter in "[a-zA-Z_Éé]{0,2}",
        ) {
            let list = list(&filter, &texts.iter().map(String::as_str).collect::<Vec<_>>());
            let expected: Vec<usize> = texts
                .iter()
                .enumerate()
                .filter(|(_, t)| crate::app::display::shown(t).to_lowercase().contains(&filter.to_lowercase()))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(list.shown(), expected.as_slice());
        }
    }
}
