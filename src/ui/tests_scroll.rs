//! The view scrolls only as far as the selection needs: the scroll offset lives in the list's
//! state, not in a table state made afresh each frame.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::tests::screen;
use crate::app::fixtures::*;
use crate::app::{Msg, update};

/// The screen's line holding the selection marker, and its text.
fn selected_line(text: &str) -> (usize, String) {
    let (at, line) = text.lines().enumerate().find(|(_, l)| l.contains("> ")).expect("a selected row");
    (at, line.to_owned())
}

#[test]
fn after_bottom_then_up_the_selection_moves_not_the_view() {
    let mut state = connected("postgresql");
    reload_users(&mut state, many_users(200));
    update(&mut state, Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)));
    let bottom = screen(&state, 120, 40);
    let (at, line) = selected_line(&bottom);
    assert!(line.contains("user_199"), "{bottom}");
    key(&mut state, KeyCode::Char('k'));
    let up = screen(&state, 120, 40);
    let (now, line) = selected_line(&up);
    assert!(line.contains("user_198"), "{up}");
    assert_eq!(now, at - 1, "the selection moved up one line:\n{up}");
    // The same rows on screen: the last one is still there.
    assert!(up.contains("user_199"), "{up}");
    assert_eq!(bottom.lines().nth(at - 30), up.lines().nth(at - 30));
}

#[test]
fn only_the_rows_on_screen_are_drawn() {
    let mut state = connected("postgresql");
    reload_users(&mut state, many_users(200));
    key(&mut state, KeyCode::Char('j'));
    let text = screen(&state, 120, 40);
    assert!(text.contains("user_000") && text.contains("user_001"), "{text}");
    assert!(!text.contains("user_100"), "{text}");
}
