//! At 80x24, nothing cut: a refused token (the token screen, from each path and each source) and
//! a change whose outcome is unknown (its line, under a long error in the status).

use crossterm::event::KeyCode;

use super::tests::screen;
use crate::api::ApiError;
use crate::app::fixtures::{connected, key, typed};
use crate::app::picker::{PickerEffect, PickerMsg};
use crate::app::state::{Session, Start};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, State, start, unsettled, update};
use crate::credentials::TokenSource;

fn refused() -> ApiError {
    ApiError::Http {
        status: 401,
        message: "the auth service refused the API token: invalid API token".into(),
        fields: vec![],
        request_id: Some("863c0e51-4e82-4cca-a297-774c855d0ddc".into()),
    }
}

/// The screen's text as one line: borders dropped, rows joined by a space, so that a sentence
/// wrapped over several rows is found whole (and a cut one is not).
fn flat(screen: &str) -> String {
    let text: String = screen
        .lines()
        .map(|l| l.trim_matches('"').replace(['│', '╭', '╮', '╰', '╯', '─'], " "))
        .collect::<Vec<_>>()
        .join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_whole(state: &State, text: &str) -> String {
    let shown = screen(state, 80, 24);
    let flat_text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat(&shown).contains(&flat_text), "not whole on screen: {text}\n{shown}");
    shown
}

#[test]
fn a_token_refused_by_the_picker_listing_is_said_whole_with_its_variable() {
    let mut state =
        State::new(Session { token_source: TokenSource::Environment.to_string(), ..Session::default() });
    let [Effect::Picker(PickerEffect::LoadRegions { id })] = start(&mut state)[..] else { panic!() };
    update(&mut state, Msg::Picker(PickerMsg::Regions { id, result: Err(refused()) }));
    let problem = state.token.problem.clone().unwrap();
    assert!(problem.contains("SCALINGO_API_TOKEN") && problem.contains("863c0e51"), "{problem}");
    let shown = assert_whole(&state, &problem);
    assert!(shown.contains("The API token was refused") && !shown.contains("No PostgreSQL"), "{shown}");
    insta::assert_snapshot!("token_refused_80x24", shown);
}

#[test]
fn a_token_refused_when_opening_with_app_is_said_whole_with_the_login_file() {
    let source = TokenSource::CliLogin("/home/operations-team/.config/scalingo/auth".into()).to_string();
    let mut state = State::new(Session {
        start: Start::app("shop-prod", ""),
        token_source: source,
        ..Session::default()
    });
    let Some(Effect::Connect { id, .. }) = start(&mut state).pop() else { panic!() };
    update(&mut state, Msg::Connected { id, result: Err(refused()) });
    let problem = state.token.problem.clone().unwrap();
    assert!(problem.contains("/home/operations-team/.config/scalingo/auth"), "{problem}");
    assert_whole(&state, &problem);
}

#[test]
fn a_token_refused_mid_session_is_said_whole_with_an_unsettled_change() {
    let mut state = connected("postgresql");
    state.session.token_source = TokenSource::Typed.to_string();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let lost = ApiError::Network { message: "connection closed".into(), sent: true };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id, name: "new_reader".into(), result: Err(lost) }),
    );
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects[..] else { panic!() };
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(refused()) }));
    let problem = state.token.problem.clone().unwrap();
    assert!(
        problem.contains("The token you typed was refused") && problem.contains("new_reader"),
        "{problem}"
    );
    assert_whole(&state, &problem);
}

#[test]
fn an_unknown_outcome_stays_whole_under_a_long_error() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader_with_a_long_name");
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let lost = ApiError::Network { message: "connection closed before message completed".into(), sent: true };
    let name = "new_reader_with_a_long_name".to_owned();
    let effects = update(&mut state, Msg::Users(UsersMsg::Created { id, name, result: Err(lost) }));
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects[..] else { panic!() };
    let failed = ApiError::Http {
        status: 503,
        message: "Service Unavailable: the database API is in maintenance, try again in a few minutes".into(),
        fields: vec![],
        request_id: Some("03a64d67-915f-4c9c-a2b2-4b07e9953d0c".into()),
    };
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(failed) }));
    let line = unsettled::line(&state).unwrap();
    let shown = assert_whole(&state, &line);
    assert!(shown.contains("Loading users: HTTP 503"), "the list's error too: {shown}");
    assert!(shown.contains("app_reporting"), "the list stays: {shown}");
    insta::assert_snapshot!("unsettled_80x24", shown);
    // The footer dims every key that changes data, and only those.
    use crate::app::keys::{Context, Reason, bindings, check};
    for binding in [Context::Users, Context::Global].into_iter().flat_map(bindings) {
        let unsettled = check(&state, binding.action) == Err(Reason::Unsettled);
        assert_eq!(unsettled, binding.action.mutates(), "{}", binding.shown);
    }
}

#[test]
fn a_listing_that_failed_everywhere_is_not_an_empty_account_and_its_cause_wraps() {
    let (mut state, ids) = crate::app::picker::tests::with_regions(vec![], &["osc-fr1"]);
    let (apps, dedicated) = ids[0];
    let down = |request_id: &str| ApiError::Http {
        status: 503,
        message: "Service Unavailable: the API is in maintenance, try again in a few minutes".into(),
        fields: vec![],
        request_id: Some(request_id.into()),
    };
    let region = || "osc-fr1".to_owned();
    let rid = "6571c339-ad92-42d6-ab10-a4402f6f41d1";
    update(&mut state, Msg::Picker(PickerMsg::Apps { id: apps, region: region(), result: Err(down(rid)) }));
    let result = Err(down(rid));
    update(&mut state, Msg::Picker(PickerMsg::Dedicated { id: dedicated, region: region(), result }));
    let shown = screen(&state, 80, 24);
    assert!(!shown.contains("No PostgreSQL or MySQL database found"), "{shown}");
    assert_whole(&state, "No database could be listed: see why below. Press r to list again.");
    for problem in state.picker.problems() {
        assert_whole(&state, &format!("! {problem}"));
    }
}
