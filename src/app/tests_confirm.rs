//! Type-to-confirm against names holding hidden characters: what the screen shows for the name
//! (`display::shown`) is what confirms it, the request still carries the raw name, and two
//! names that differ only by hidden characters are never confirmed by the same text.

use crossterm::event::KeyCode;

use super::extensions::ExtensionsEffect;
use super::extensions::tests::{ext, listing, select_ext, shown};
use super::fixtures::*;
use super::internet::InternetEffect;
use super::internet::fixtures::{dedicated, managed, one};
use super::state::*;
use super::*;
use crate::api::User;
use crate::app::users::{UsersEffect, UsersMsg};
use crate::sql::Change;

/// A PostgreSQL database whose users are `names`.
fn with_users(names: &[&str]) -> State {
    let mut state = connected("postgresql");
    let effects = key(&mut state, KeyCode::Char('r'));
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects.as_slice() else { panic!("{effects:?}") };
    let users: Vec<User> = names.iter().map(|n| user(n, false, false)).collect();
    update(&mut state, Msg::Users(UsersMsg::Loaded { id: *id, result: Ok(users) }));
    state
}

fn select_raw(state: &mut State, raw: &str) {
    key(state, KeyCode::Char('g'));
    while state.db().users.selected_user().map(|u| u.name.as_str()) != Some(raw) {
        let before = state.db().users.list.selected;
        key(state, KeyCode::Char('j'));
        assert_ne!(before, state.db().users.list.selected, "{raw:?} not found");
    }
}

fn clear_typed(state: &mut State) {
    let Some(Modal::Confirm(form)) = &mut state.modal else { panic!("no confirm modal") };
    form.typed = Default::default();
}

#[test]
fn a_user_with_control_and_bidi_characters_is_deleted_by_typing_what_is_shown() {
    let raw = "ali\u{7}ce\u{202e}nimda";
    let mut state = with_users(&[raw, "app_writer"]);
    select_raw(&mut state, raw);
    key(&mut state, KeyCode::Char('d'));
    // What ratatui would have drawn before (controls dropped), and the raw name: neither confirms.
    for wrong in ["alice\u{202e}nimda", "alicenimda", raw] {
        clear_typed(&mut state);
        typed(&mut state, wrong);
        assert!(key(&mut state, KeyCode::Enter).is_empty(), "{wrong:?} must not delete");
    }
    clear_typed(&mut state);
    typed(&mut state, r"ali\u{7}ce\u{202e}nimda");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Delete { name, .. })] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(name, raw, "the request carries the raw name");
}

#[test]
fn names_differing_only_by_invisible_characters_need_different_confirmations() {
    let (plain, hidden) = ("app_writer", "app\u{200b}_writer");
    let mut state = with_users(&[plain, hidden]);
    select_raw(&mut state, hidden);
    key(&mut state, KeyCode::Char('p'));
    typed(&mut state, plain);
    assert!(key(&mut state, KeyCode::Enter).is_empty(), "the look-alike's name must not reset it");
    clear_typed(&mut state);
    typed(&mut state, r"app\u{200b}_writer");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::ResetPassword { name, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(name, hidden);

    let mut state = with_users(&[plain, hidden]);
    select_raw(&mut state, plain);
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, r"app\u{200b}_writer");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    clear_typed(&mut state);
    typed(&mut state, plain);
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Delete { name, .. })] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(name, plain);
}

#[test]
fn an_extension_with_a_hidden_character_is_disabled_by_typing_what_is_shown() {
    let raw = "uuid\u{feff}-ossp";
    let mut state = connected("postgresql");
    let (api, sql) = shown(&mut state);
    update(&mut state, Msg::Extensions(extensions::ExtensionsMsg::ApiLoaded { id: api, result: Ok(vec![]) }));
    let listing = listing(vec![ext(raw, Some("1.1"), Some("1.1"), true)]);
    update(
        &mut state,
        Msg::Extensions(extensions::ExtensionsMsg::SqlLoaded { id: sql, result: Ok(listing) }),
    );
    select_ext(&mut state, raw);
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "uuid-ossp");
    assert!(key(&mut state, KeyCode::Enter).is_empty(), "the name without its hidden character");
    for _ in 0.."uuid-ossp".len() {
        key(&mut state, KeyCode::Backspace);
    }
    typed(&mut state, r"uuid\u{feff}-ossp");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Extensions(ExtensionsEffect::Change { name, change: Change::Disable, .. })] =
        effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(name, raw);
}

#[test]
fn a_rule_with_a_hidden_character_is_deleted_by_typing_what_is_shown() {
    let raw = "mr-scalingo\u{2066}-osc-fr1";
    let mut state = dedicated(vec![managed("r9", raw)]);
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "mr-scalingo-osc-fr1");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    clear_typed(&mut state);
    typed(&mut state, r"mr-scalingo\u{2066}-osc-fr1");
    let InternetEffect::DeleteRule { rule, .. } = one(key(&mut state, KeyCode::Enter)) else { panic!() };
    assert_eq!((rule.id.as_str(), rule.source()), ("r9", raw));
}

#[test]
fn the_filter_matches_names_as_shown() {
    let mut state = with_users(&["app_writer", "app\u{200b}_writer"]);
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, r"p\u{200b}");
    let names: Vec<&str> = state.db().users.visible().iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["app\u{200b}_writer"]);
}
