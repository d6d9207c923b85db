//! Pure transition tests of `update` for input: the filter, messages that expire, `q`, what
//! `Debug` shows of a password field, pasting, and an empty confirm target.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use secrecy::SecretString;

use super::fixtures::*;
use super::state::*;
use super::*;

#[test]
fn filter_narrows_the_list_and_esc_clears_it() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "REPORT");
    assert_eq!(state.db().users.visible().len(), 1);
    key(&mut state, KeyCode::Enter);
    assert!(!state.db().users.list.filter_editing);
    assert_eq!(state.db().users.selected_user().unwrap().name, "app_reporting");
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.db().users.visible().len(), 3);
}

#[test]
fn info_messages_expire_but_errors_stay() {
    let mut state = connected("postgresql");
    update(&mut state, Msg::ClipboardStatus("Copied".into()));
    assert!(state.animating());
    for _ in 0..INFO_TICKS {
        update(&mut state, Msg::Tick);
    }
    assert!(state.status.is_none());
    assert!(!state.animating(), "idle: no ticks needed");
    key(&mut state, KeyCode::Char('d')); // protected user selected first: an error
    for _ in 0..INFO_TICKS * 2 {
        update(&mut state, Msg::Tick);
    }
    assert!(state.status.is_some());
}

#[test]
fn q_quits_at_top_level_but_is_a_letter_in_a_field() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    assert!(key(&mut state, KeyCode::Char('q')).is_empty());
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!() };
    assert_eq!(form.name.value(), "q");
    // Changed: Esc asks, a second Esc discards.
    key(&mut state, KeyCode::Esc);
    key(&mut state, KeyCode::Esc);
    assert!(matches!(key(&mut state, KeyCode::Char('q')).as_slice(), [Effect::Quit]));
    assert!(state.quit);

    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(matches!(update(&mut state, Msg::Key(ctrl_c)).as_slice(), [Effect::Quit]));
}

proptest::proptest! {
    /// Promise P2: typing anything but the exact name never deletes or resets.
    #[test]
    fn only_the_exact_name_confirms(typed_text in "\\PC{0,24}", reset in proptest::bool::ANY) {
        proptest::prop_assume!(typed_text != "app_writer");
        let mut state = connected("postgresql");
        select(&mut state, "app_writer");
        key(&mut state, KeyCode::Char(if reset { 'p' } else { 'd' }));
        let Some(Modal::Confirm(form)) = &mut state.modal else { panic!() };
        form.typed.paste(&typed_text);
        let effects = key(&mut state, KeyCode::Enter);
        proptest::prop_assert!(effects.is_empty(), "{typed_text:?} confirmed");
    }
}

#[test]
fn debug_output_never_shows_what_was_typed_or_pasted_into_a_password_field() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "canary_user");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "Typed_canary_password_123456");
    key(&mut state, KeyCode::Tab);
    let pasted = Msg::Paste(SecretString::from("Pasted_canary_password_123456"));
    assert!(!format!("{pasted:?}").contains("Pasted_canary"));
    update(&mut state, pasted);
    let debug = format!("{state:?}");
    assert!(!debug.contains("Typed_canary") && !debug.contains("Pasted_canary"), "{debug}");
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!() };
    assert_eq!(form.confirmation.value(), "Pasted_canary_password_123456", "the paste landed");
}

#[test]
fn a_pasted_filter_starts_from_the_first_row() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('G'));
    key(&mut state, KeyCode::Char('/'));
    update(&mut state, Msg::Paste(SecretString::from("app_")));
    assert_eq!(state.db().users.list.selected, 0);
    assert_eq!(state.db().users.selected_user().unwrap().name, "app_writer");
}

#[test]
fn an_empty_target_never_confirms() {
    let form = ConfirmForm::new(ConfirmAction::Delete, String::new());
    assert!(!form.matches(), "a rule without its CIDR must not be deleted by an empty Enter");
}
