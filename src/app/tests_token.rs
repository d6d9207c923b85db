//! A token the platform refuses (a 401 at the token exchange) brings the token screen back,
//! saying so and where the token came from, whatever was asking: the picker's listing, opening
//! a database, or a tab of an open one.

use crossterm::event::KeyCode;
use secrecy::ExposeSecret;

use super::fixtures::*;
use super::picker::{PickerEffect, PickerMsg};
use super::state::*;
use super::*;
use crate::api::ApiError;
use crate::app::users::{UsersEffect, UsersMsg};
use crate::credentials::TokenSource;

const LOGIN_FILE: &str = "the Scalingo CLI login in /home/ops/.config/scalingo/auth";

/// What the client says when the auth service refuses the API token.
pub fn refused() -> ApiError {
    ApiError::Http {
        status: 401,
        message: "the auth service refused the API token: invalid API token".into(),
        fields: vec![],
        request_id: Some("rid-401".into()),
    }
}

fn problem(state: &State) -> String {
    assert!(matches!(state.screen, Screen::Token), "the token screen is back");
    assert!(state.token.refused);
    state.token.problem.clone().unwrap_or_default()
}

fn picker_msg(state: &mut State, msg: PickerMsg) -> Vec<Effect> {
    update(state, Msg::Picker(msg))
}

#[test]
fn the_picker_listing_refused_brings_back_the_token_screen_naming_the_variable() {
    let mut state = State::new(Session { token_source: "SCALINGO_API_TOKEN".into(), ..Session::default() });
    let [Effect::Picker(PickerEffect::LoadRegions { id })] = start(&mut state)[..] else { panic!() };
    assert!(picker_msg(&mut state, PickerMsg::Regions { id, result: Err(refused()) }).is_empty());
    let text = problem(&state);
    assert!(text.contains("refused the API token from SCALINGO_API_TOKEN"), "{text}");
    assert!(text.contains("HTTP 401") && text.contains("rid-401"), "{text}");
    assert!(text.contains("Fix or unset SCALINGO_API_TOKEN"), "{text}");
    assert_eq!(state.in_flight, 0);

    // Another token, typed: the listing starts again, with it.
    for c in "tk-us-other".chars() {
        key(&mut state, KeyCode::Char(c));
    }
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::UseToken(token), Effect::Picker(PickerEffect::LoadRegions { .. })] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(token.expose_secret(), "tk-us-other");
    assert!(matches!(state.screen, Screen::Picker));
    assert_eq!(state.session.token_source, TokenSource::Typed.to_string());
}

#[test]
fn a_pinned_region_whose_listing_is_refused_is_not_an_empty_account() {
    // The region list needs no token when pinned: the first refusal comes with the apps.
    let (mut state, ids) = super::picker::tests::with_regions(vec![], &["osc-fr1"]);
    state.session.token_source = LOGIN_FILE.into();
    let (apps, dedicated) = ids[0];
    picker_msg(&mut state, PickerMsg::Apps { id: apps, region: "osc-fr1".into(), result: Err(refused()) });
    let text = problem(&state);
    assert!(text.contains(LOGIN_FILE) && text.contains("Run scalingo login again"), "{text}");
    // The other request of that listing answers later: dropped, the screen stays.
    let late = PickerMsg::Dedicated { id: dedicated, region: "osc-fr1".into(), result: Err(refused()) };
    assert!(picker_msg(&mut state, late).is_empty());
    assert!(matches!(state.screen, Screen::Token));
    assert_eq!(state.in_flight, 0);
}

#[test]
fn opening_with_app_refused_brings_back_the_token_screen_naming_the_login_file() {
    let mut state = State::new(Session {
        start: Start::app("shop-prod", ""),
        token_source: LOGIN_FILE.into(),
        ..Session::default()
    });
    let Some(Effect::Connect { id, .. }) = start(&mut state).pop() else { panic!() };
    assert!(update(&mut state, Msg::Connected { id, result: Err(refused()) }).is_empty());
    let text = problem(&state);
    assert!(text.contains(&format!("refused the API token from {LOGIN_FILE}")), "{text}");
    assert!(state.status.is_none() && state.dash().is_none(), "not the picker's status line");
}

#[test]
fn a_token_refused_mid_session_on_the_users_tab_brings_back_the_token_screen() {
    let mut state = connected("postgresql");
    state.session.token_source = TokenSource::Typed.to_string();
    let [Effect::Users(UsersEffect::Load { id, .. })] = key(&mut state, KeyCode::Char('r'))[..] else {
        panic!()
    };
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(refused()) }));
    let text = problem(&state);
    assert!(text.starts_with("The token you typed was refused: HTTP 401"), "{text}");
    assert!(state.dash().is_none(), "the dashboard is left");
}

#[test]
fn a_change_refused_for_its_token_drops_the_form_for_the_token_screen() {
    let mut state = connected("postgresql");
    state.session.token_source = "SCALINGO_API_TOKEN".into();
    key(&mut state, KeyCode::Char('n'));
    for c in "new_reader".chars() {
        key(&mut state, KeyCode::Char(c));
    }
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id, name: "new_reader".into(), result: Err(refused()) }),
    );
    assert!(effects.is_empty(), "nothing is retried with a refused token");
    assert!(state.modal.is_none());
    assert!(problem(&state).contains("SCALINGO_API_TOKEN"));
}

#[test]
fn a_refused_token_with_a_change_unsettled_says_that_too() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    for c in "new_reader".chars() {
        key(&mut state, KeyCode::Char(c));
    }
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let lost = ApiError::Network { message: "connection closed".into(), sent: true };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id, name: "new_reader".into(), result: Err(lost) }),
    );
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects[..] else { panic!("{effects:?}") };
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(refused()) }));
    let text = problem(&state);
    assert!(text.contains("creating the user new_reader on shop-prod is still unknown"), "{text}");
}

#[test]
fn other_errors_stay_where_they_happened() {
    let mut state = State::new(Session { token_source: "SCALINGO_API_TOKEN".into(), ..Session::default() });
    let [Effect::Picker(PickerEffect::LoadRegions { id })] = start(&mut state)[..] else { panic!() };
    let unavailable =
        ApiError::Http { status: 503, message: "unavailable".into(), fields: vec![], request_id: None };
    picker_msg(&mut state, PickerMsg::Regions { id, result: Err(unavailable) });
    assert!(matches!(state.screen, Screen::Picker));
    assert!(state.picker.problems()[0].contains("HTTP 503"));
}
