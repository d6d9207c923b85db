//! Leaving a database drops its dashboard whole: opening it again starts from nothing, and an
//! answer still on its way for the first opening lands nowhere.

use crossterm::event::KeyCode;

use super::tests::{addon, loaded, select_row};
use crate::api::{ApiError, Database};
use crate::app::fixtures::{key, opened, seed_users, select, typed};
use crate::app::state::{Screen, Tab};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, State, update};

fn lost() -> ApiError {
    ApiError::Network { message: "connection closed before the answer".into(), sent: true }
}

/// Opens shop-prod's PostgreSQL database from the picker; returns its users request.
fn open(state: &mut State) -> u64 {
    select_row(state, "shop-prod PostgreSQL");
    let effects = key(state, KeyCode::Enter);
    let [Effect::Connect { id, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let database =
        Database { type_name: "postgresql".into(), status: "running".into(), ..Database::default() };
    let connected = opened(addon("ad-pg", "postgresql", "postgresql-starter-512"), database);
    let effects = update(state, Msg::Connected { id: *id, result: Ok(connected) });
    let Some(Effect::Users(UsersEffect::Load { id, .. })) = effects.first() else { panic!("{effects:?}") };
    *id
}

#[test]
fn leaving_and_reopening_a_database_keeps_nothing_from_the_first_visit() {
    let mut state = loaded(vec![]);
    let users = open(&mut state);
    update(&mut state, Msg::Users(UsersMsg::Loaded { id: users, result: Ok(seed_users()) }));

    // A reset whose answer is lost: unsettled, with a users list on its way.
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('p'));
    typed(&mut state, "app_writer");
    let [Effect::Users(UsersEffect::ResetPassword { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::PasswordReset { id, name: "app_writer".into(), result: Err(lost()) }),
    );
    let [Effect::Users(UsersEffect::Load { id: relist, .. })] = effects[..] else { panic!("{effects:?}") };
    assert!(state.db().unsettled.is_some());
    // Another tab, with a filter.
    key(&mut state, KeyCode::Char('2'));
    assert!(state.db().extensions.requested);
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "pg");
    key(&mut state, KeyCode::Enter);
    assert_eq!(state.db().extensions.list.filter.value(), "pg");

    key(&mut state, KeyCode::Char('o'));
    assert!(matches!(state.screen, Screen::Picker) && state.dash().is_none());
    let reopened = open(&mut state);

    // The late list of the first visit is dropped: the second one's is awaited.
    update(&mut state, Msg::Users(UsersMsg::Loaded { id: relist, result: Ok(vec![]) }));
    let dash = state.db();
    assert_eq!(dash.tab, Tab::Users);
    assert!(dash.unsettled.is_none() && dash.users.users.data.is_none());
    assert_eq!(dash.users.users.pending, Some(reopened));
    assert!(!dash.extensions.requested && dash.extensions.list.filter.value().is_empty());
    assert!(dash.internet.rules.data.is_none() && dash.internet.applying.is_empty());
    assert!(state.modal.is_none());
}
