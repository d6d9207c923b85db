//! What the forms say on screen: the discard question after Esc on a changed form, and why a
//! typed key went nowhere in the new-rule form.

use crossterm::event::KeyCode;

use super::tests::screen;
use crate::app::fixtures::{connected, key, typed};
use crate::app::internet::fixtures::seeded;

#[test]
fn esc_on_a_changed_form_shows_the_question_at_every_size() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let before = screen(&state, 80, 24);
    assert!(!before.contains("Discard what you typed?"), "{before}");
    key(&mut state, KeyCode::Esc);
    for (width, height) in [(60, 15), (80, 24), (120, 40)] {
        let text = screen(&state, width, height);
        assert!(text.contains("Discard what you typed?"), "{width}x{height}\n{text}");
        assert!(text.contains("Esc again discards"), "{width}x{height}\n{text}");
        assert!(text.contains("keeps editing"), "{width}x{height}\n{text}");
    }
    key(&mut state, KeyCode::Char('s'));
    let text = screen(&state, 80, 24);
    assert!(!text.contains("Discard what you typed?") && text.contains("new_reader"), "{text}");
}

#[test]
fn a_key_typed_where_no_text_goes_is_explained() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::Char(' '));
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Char('1'));
    let text = screen(&state, 80, 24);
    assert!(text.contains("Nothing to type: Space chooses; a CIDR needs the Custom type"), "{text}");
}
