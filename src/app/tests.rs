//! Pure transition tests of `update`: each asserts the new state and the effects returned.

use crossterm::event::KeyCode;
use secrecy::{ExposeSecret, SecretString};

use super::fixtures::*;
use super::state::*;
use super::*;
use crate::api::{Addon, ApiError, Database, UserWithPassword};
use crate::app::users::{UsersEffect, UsersMsg};

fn http(status: u16, message: &str) -> ApiError {
    ApiError::Http { status, message: message.into(), fields: vec![], request_id: Some("req-42".into()) }
}

fn lost() -> ApiError {
    ApiError::Network { message: "connection closed before the answer".into(), sent: true }
}

fn status_text(state: &State) -> String {
    state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

const PASSWORD: &str = "Correct_horse_battery_staple_42";

/// Fills the create form with `name` and `PASSWORD` twice, and submits it.
fn create_with_chosen_password(state: &mut State, name: &str) -> Vec<Effect> {
    key(state, KeyCode::Char('n'));
    typed(state, name);
    key(state, KeyCode::Tab);
    key(state, KeyCode::Tab);
    typed(state, PASSWORD);
    key(state, KeyCode::Tab);
    typed(state, PASSWORD);
    key(state, KeyCode::Enter)
}

#[test]
fn start_connects_then_lists_users() {
    let state = connected("postgresql");
    assert_eq!(state.db().users.visible().len(), 3);
    assert_eq!(state.db().target, Some(target()));
}

#[test]
fn a_database_that_is_neither_postgresql_nor_mysql_is_refused() {
    let mut state = State::new(Session { start: Start::app("blog-staging", "redis"), ..Session::default() });
    let Some(Effect::Connect { id, .. }) = start(&mut state).pop() else { panic!() };
    let db = Database { type_name: "redis".into(), ..Database::default() };
    let effects = update(&mut state, Msg::Connected { id, result: Ok(opened(Addon::default(), db)) });
    assert!(effects.is_empty());
    assert!(state.db().target.is_none());
    assert!(status_text(&state).contains("not 'redis'"));
}

#[test]
fn create_with_generated_password_reveals_it_once_then_wipes_it() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Char(' ')); // Read only
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Create { id, target: t, user: new })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*t, target());
    assert_eq!(new.name, "new_reader");
    assert!(new.read_only);
    assert!(new.password.is_none(), "empty password fields ask the platform to generate one");

    let created = UserWithPassword {
        user: user("new_reader", true, false),
        password: Some(SecretString::from("generated-secret-value-0123456789")),
    };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id: *id, name: "new_reader".into(), result: Ok(created) }),
    );
    assert!(effects.is_empty(), "the answer adds the user: the list is not read again");
    let names: Vec<_> = state.db().users.visible().iter().map(|u| (u.name.clone(), u.read_only)).collect();
    assert_eq!(names.last(), Some(&("new_reader".to_owned(), true)));
    let Some(Modal::Reveal(reveal)) = &state.modal else { panic!("the password is revealed") };
    assert_eq!(reveal.password.expose_secret(), "generated-secret-value-0123456789");

    let effects = key(&mut state, KeyCode::Char('c'));
    let [Effect::Copy(secret)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(secret.expose_secret(), "generated-secret-value-0123456789");
    update(&mut state, Msg::ClipboardStatus("Copied".into()));

    // A lone Esc is harmless: it only reminds how to close.
    key(&mut state, KeyCode::Esc);
    assert!(matches!(&state.modal, Some(Modal::Reveal(r)) if r.close_hint));
    key(&mut state, KeyCode::Enter);
    assert!(state.modal.is_none(), "closing drops the secret with the modal");
}

#[test]
fn create_with_chosen_password_never_reveals_it() {
    let mut state = connected("postgresql");
    let effects = create_with_chosen_password(&mut state, "new_writer");
    let [Effect::Users(UsersEffect::Create { id, user: new, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(!new.read_only);
    assert_eq!(new.password.as_ref().map(|p| p.expose_secret().to_owned()), Some(PASSWORD.to_owned()));
    let echoed = UserWithPassword { user: user("new_writer", false, false), password: Some(PASSWORD.into()) };
    update(
        &mut state,
        Msg::Users(UsersMsg::Created { id: *id, name: "new_writer".into(), result: Ok(echoed) }),
    );
    assert!(state.modal.is_none(), "a chosen password is never shown");
    assert!(status_text(&state).contains("created"));
}

#[test]
fn mysql_users_are_read_only_unless_write_is_checked() {
    let mut state = connected("mysql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "reporter");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Create { user: new, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(new.read_only, "MySQL's Write box starts unchecked");
}

#[test]
fn invalid_create_input_sends_nothing_and_keeps_what_was_typed() {
    let mut state = connected("mysql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "a_name_far_too_long_for_mysql");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!() };
    assert!(form.tried);
    assert_eq!(form.focus, CreateField::Name);
    assert_eq!(form.name.value(), "a_name_far_too_long_for_mysql");

    // Existing name (any case), bad password, mismatched confirmation: all refused locally.
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "App_Writer");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!() };
    let problems = validation::create_problems(form, state.db().users.users.data.as_deref().unwrap());
    assert!(problems[0].1.contains("already exists"));

    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "fresh_user");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, PASSWORD);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "something else entirely, 30 chars");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!() };
    assert_eq!(form.focus, CreateField::Confirmation);
}

#[test]
fn a_refused_create_keeps_the_form_and_shows_the_reason() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Create { id, .. })] = effects.as_slice() else { panic!() };
    // Esc while the request is in flight keeps the form: its answer must land somewhere.
    key(&mut state, KeyCode::Esc);
    assert!(matches!(state.modal, Some(Modal::CreateUser(_))));
    let err = http(422, "Unprocessable Entity");
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id: *id, name: "new_reader".into(), result: Err(err) }),
    );
    assert!(effects.is_empty());
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!("the form stays") };
    assert_eq!(form.name.value(), "new_reader");
    assert!(form.server_error.as_deref().unwrap().contains("HTTP 422"));
    assert!(form.server_error.as_deref().unwrap().contains("req-42"));
    assert_eq!(state.in_flight, 0);
}

#[test]
fn a_create_whose_answer_is_lost_is_reconciled_by_listing_again() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Create { id, .. })] = effects.as_slice() else { panic!() };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id: *id, name: "new_reader".into(), result: Err(lost()) }),
    );
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects.as_slice() else {
        panic!("lists again, never re-posts")
    };
    assert!(state.modal.is_none());
    // No second create until the list says what happened to the first.
    assert!(key(&mut state, KeyCode::Char('n')).is_empty());
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("Not now: the outcome of creating the user new_reader is unknown"));
    let mut users = seed_users();
    users.push(user("new_reader", false, false));
    update(&mut state, Msg::Users(UsersMsg::Loaded { id: *id, result: Ok(users) }));
    let text = status_text(&state);
    assert!(text.contains("new_reader was created"), "{text}");
    assert!(text.contains("Reset it"), "{text}");
}

#[test]
fn delete_needs_the_exact_name() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('d'));
    for wrong in ["", "app_write", "APP_WRITER", "app_writer ", " app_writer"] {
        let Some(Modal::Confirm(form)) = &mut state.modal else { panic!() };
        form.typed = Default::default();
        form.typed.paste(wrong);
        assert!(key(&mut state, KeyCode::Enter).is_empty(), "{wrong:?} must not delete");
    }
    let Some(Modal::Confirm(form)) = &mut state.modal else { panic!() };
    form.typed = Default::default();
    typed(&mut state, "app_writer");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Delete { id, name, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "app_writer");
    let effects =
        update(&mut state, Msg::Users(UsersMsg::Deleted { id: *id, name: name.clone(), result: Ok(()) }));
    assert!(effects.is_empty(), "the answer removes the user: the list is not read again");
    let names: Vec<_> = state.db().users.visible().iter().map(|u| u.name.clone()).collect();
    assert_eq!(names, ["shop_prod_4553", "app_reporting"]);
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("deleted"));
}

#[test]
fn protected_users_cannot_be_deleted_reset_or_changed() {
    let mut state = connected("postgresql");
    select(&mut state, "shop_prod_4553");
    for c in ['d', 'p', 's'] {
        assert!(key(&mut state, KeyCode::Char(c)).is_empty());
        assert!(state.modal.is_none());
        assert!(status_text(&state).contains("protected"));
    }
}

#[test]
fn read_only_mode_turns_every_change_off() {
    let mut state = connected("postgresql");
    state.session.read_only = true;
    select(&mut state, "app_writer");
    for c in ['n', 'd', 'p', 's'] {
        assert!(key(&mut state, KeyCode::Char(c)).is_empty());
        assert!(state.modal.is_none());
        assert!(status_text(&state).contains("Read-only"));
    }
}

#[test]
fn reset_confirms_by_name_then_reveals() {
    let mut state = connected("postgresql");
    select(&mut state, "app_reporting");
    key(&mut state, KeyCode::Char('p'));
    typed(&mut state, "app_reporting");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::ResetPassword { id, name, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let reset =
        UserWithPassword { user: user(name, true, false), password: Some("server-made-password".into()) };
    update(
        &mut state,
        Msg::Users(UsersMsg::PasswordReset { id: *id, name: name.clone(), result: Ok(reset) }),
    );
    assert!(matches!(&state.modal, Some(Modal::Reveal(r)) if r.user == "app_reporting"));
}

#[test]
fn set_password_validates_then_sends_the_chosen_password() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('s'));
    typed(&mut state, "too-short");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let Some(Modal::SetPassword(form)) = &mut state.modal else { panic!() };
    form.password = crate::app::input::TextInput::masked();
    typed(&mut state, PASSWORD);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, PASSWORD);
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::SetPassword { id, name, password, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "app_writer");
    assert_eq!(password.expose_secret(), PASSWORD);
    update(
        &mut state,
        Msg::Users(UsersMsg::PasswordSet {
            id: *id,
            name: name.clone(),
            result: Ok(user(name, false, false)),
        }),
    );
    assert!(matches!(&state.modal, Some(Modal::Reveal(r)) if r.chosen), "the URL offer");
    assert!(status_text(&state).contains("changed"));
}

#[test]
fn stale_answers_are_dropped() {
    let mut state = connected("postgresql");
    let first = key(&mut state, KeyCode::Char('r'));
    let second = key(&mut state, KeyCode::Char('r'));
    let [Effect::Users(UsersEffect::Load { id: old, .. })] = first.as_slice() else { panic!() };
    let [Effect::Users(UsersEffect::Load { id: new, .. })] = second.as_slice() else { panic!() };
    update(
        &mut state,
        Msg::Users(UsersMsg::Loaded { id: *new, result: Ok(vec![user("only_new", false, false)]) }),
    );
    update(
        &mut state,
        Msg::Users(UsersMsg::Loaded { id: *old, result: Ok(vec![user("stale_one", false, false)]) }),
    );
    assert_eq!(state.db().users.visible()[0].name, "only_new");
    assert_eq!(state.in_flight, 0);
}

#[test]
fn a_failed_refresh_keeps_the_list_and_says_why() {
    let mut state = connected("postgresql");
    let effects = key(&mut state, KeyCode::Char('r'));
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects.as_slice() else { panic!() };
    update(
        &mut state,
        Msg::Users(UsersMsg::Loaded { id: *id, result: Err(http(503, "Service Unavailable")) }),
    );
    assert_eq!(state.db().users.visible().len(), 3);
    let status = state.status.clone().unwrap();
    assert_eq!(status.level, Level::Error);
    assert!(status.text.contains("HTTP 503") && status.text.contains("req-42"));
    key(&mut state, KeyCode::Esc);
    assert!(state.status.is_none(), "Esc dismisses an error");
}

#[test]
fn a_lost_create_with_a_chosen_password_does_not_ask_for_a_reset() {
    let mut state = connected("postgresql");
    let effects = create_with_chosen_password(&mut state, "new_writer");
    let [Effect::Users(UsersEffect::Create { id, .. })] = effects.as_slice() else { panic!() };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id: *id, name: "new_writer".into(), result: Err(lost()) }),
    );
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects.as_slice() else { panic!() };
    let mut users = seed_users();
    users.push(user("new_writer", false, false));
    update(&mut state, Msg::Users(UsersMsg::Loaded { id: *id, result: Ok(users) }));
    let text = status_text(&state);
    assert!(text.contains("created with the password you chose") && !text.contains("Reset"), "{text}");
}

#[test]
fn r_tries_again_after_opening_failed() {
    let mut state = State::new(Session {
        start: Start::App { app: "shop-prod".into(), addon: "postgresql".into() },
        ..Session::default()
    });
    let Some(Effect::Connect { id, .. }) = start(&mut state).pop() else { panic!() };
    update(&mut state, Msg::Connected { id, result: Err(http(503, "Service Unavailable")) });
    assert!(state.db().target.is_none());
    let effects = key(&mut state, KeyCode::Char('r'));
    assert!(matches!(effects.as_slice(), [Effect::Connect { .. }]), "{effects:?}");
}
