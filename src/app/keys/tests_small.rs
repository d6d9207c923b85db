//! While "Terminal too small" is all the screen shows, only the quit keys act.

use crossterm::event::KeyCode;

use crate::app::fixtures::{connected, key};
use crate::app::state::Modal;
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, update};

#[test]
fn at_50x10_keys_change_nothing_and_q_quits() {
    let mut state = crate::app::picker::tests::loaded(vec![]);
    update(&mut state, Msg::Resize(50, 10));
    let before = format!("{state:?}");
    for code in
        [KeyCode::Char('j'), KeyCode::Char('j'), KeyCode::Char('j'), KeyCode::Enter, KeyCode::Char('n')]
    {
        assert!(key(&mut state, code).is_empty(), "{code:?} acted");
    }
    assert_eq!(format!("{state:?}"), before, "nothing opened, moved or typed");
    assert!(matches!(key(&mut state, KeyCode::Char('q'))[..], [Effect::Quit]));
    assert!(state.quit);
}

#[test]
fn back_to_a_usable_size_keys_act_again() {
    let mut state = connected("postgresql");
    update(&mut state, Msg::Resize(59, 40));
    key(&mut state, KeyCode::Char('n'));
    assert!(state.modal.is_none());
    update(&mut state, Msg::Resize(60, 15));
    key(&mut state, KeyCode::Char('n'));
    assert!(matches!(state.modal, Some(Modal::CreateUser(_))));
}

#[test]
fn q_in_the_reveal_reminds_how_to_close_and_keeps_the_password() {
    let mut state = connected("postgresql");
    crate::app::fixtures::select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('p'));
    crate::app::fixtures::typed(&mut state, "app_writer");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::ResetPassword { id, name, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let user = crate::app::fixtures::user(name, false, false);
    let reset = crate::api::UserWithPassword { user, password: Some("server-made".into()) };
    update(
        &mut state,
        Msg::Users(UsersMsg::PasswordReset { id: *id, name: name.clone(), result: Ok(reset) }),
    );
    assert!(key(&mut state, KeyCode::Char('q')).is_empty());
    assert!(!state.quit);
    assert!(matches!(&state.modal, Some(Modal::Reveal(r)) if r.close_hint), "the reminder is shown");
    key(&mut state, KeyCode::Enter);
    assert!(state.modal.is_none());
    assert!(matches!(key(&mut state, KeyCode::Char('q'))[..], [Effect::Quit]), "then q quits");
}
