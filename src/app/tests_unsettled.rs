//! A change whose answer was lost, when the list meant to settle it fails too: the unknown
//! outcome stays (a line of its own, not the status), changes stay refused with the reason, and
//! `r` lists again until a list settles it.

use crossterm::event::KeyCode;

use super::extensions::ExtensionsEffect;
use super::extensions::ExtensionsMsg;
use super::fixtures::*;
use super::internet::{InternetEffect, InternetMsg};
use super::state::*;
use super::*;
use crate::api::ApiError;
use crate::app::users::{UsersEffect, UsersMsg};
use crate::sql::SqlError;

fn lost() -> ApiError {
    ApiError::Network { message: "connection closed before the answer".into(), sent: true }
}

fn unavailable() -> ApiError {
    ApiError::Http { status: 503, message: "Service Unavailable".into(), fields: vec![], request_id: None }
}

fn status_text(state: &State) -> String {
    state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

fn line(state: &State) -> String {
    unsettled::line(state).unwrap_or_default()
}

/// The answer to a create is lost, and the list that follows fails: returns the state.
fn lost_create_then_failed_list() -> State {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id, name: "new_reader".into(), result: Err(lost()) }),
    );
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects[..] else { panic!("{effects:?}") };
    assert!(line(&state).contains("listing them…"), "{}", line(&state));
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(unavailable()) }));
    state
}

#[test]
fn a_lost_create_whose_list_fails_stays_on_screen_and_blocks_changes_until_r_settles_it() {
    let mut state = lost_create_then_failed_list();
    assert!(status_text(&state).contains("Loading users: HTTP 503"), "the list's error is said");
    let text = line(&state);
    assert!(text.contains("creating the user new_reader was lost"), "{text}");
    assert!(text.contains("the user may have been created") && text.contains("press r"), "{text}");

    // The status line is overwritten by what comes next; the unknown outcome is not.
    key(&mut state, KeyCode::Esc);
    for _ in 0..100 {
        update(&mut state, Msg::Tick);
    }
    assert!(state.status.is_none());
    assert_eq!(line(&state), text);

    // No change meanwhile, each key saying why.
    select(&mut state, "app_writer");
    for c in ['n', 'd', 'p', 's'] {
        assert!(key(&mut state, KeyCode::Char(c)).is_empty(), "{c}");
        assert!(state.modal.is_none());
        assert!(status_text(&state).contains("Not now: the outcome of creating the user new_reader"));
    }
    // Nor on another tab.
    key(&mut state, KeyCode::Char('3'));
    key(&mut state, KeyCode::Char('t'));
    assert!(state.modal.is_none() && status_text(&state).starts_with("Not now"), "{}", status_text(&state));

    // r, from any tab, lists the users again (once at a time).
    let [Effect::Users(UsersEffect::Load { id, .. })] = key(&mut state, KeyCode::Char('r'))[..] else {
        panic!()
    };
    assert!(key(&mut state, KeyCode::Char('r')).is_empty(), "one list at a time");
    assert!(line(&state).contains("listing them…"));
    let mut users = seed_users();
    users.push(user("new_reader", false, false));
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Ok(users) }));
    assert!(state.db().unsettled.is_none() && unsettled::line(&state).is_none());
    assert!(status_text(&state).contains("new_reader was created"), "{}", status_text(&state));
    key(&mut state, KeyCode::Char('1'));
    key(&mut state, KeyCode::Char('n'));
    assert!(matches!(state.modal, Some(Modal::CreateUser(_))), "changes are accepted again");
}

#[test]
fn lost_resets_sets_and_deletes_stay_unsettled_when_the_list_fails() {
    for (c, what, maybe) in [
        ('p', "resetting the password of app_writer", "the password may have changed"),
        ('s', "setting the password of app_writer", "the password may have changed"),
        ('d', "deleting the user app_writer", "the user may have been deleted"),
    ] {
        let mut state = connected("postgresql");
        select(&mut state, "app_writer");
        key(&mut state, KeyCode::Char(c));
        let text = if c == 's' { "Correct_horse_battery_staple_42" } else { "app_writer" };
        typed(&mut state, text);
        if c == 's' {
            key(&mut state, KeyCode::Tab);
            typed(&mut state, text);
        }
        let effects = key(&mut state, KeyCode::Enter);
        let name = "app_writer".to_owned();
        let answer = match effects[..] {
            [Effect::Users(UsersEffect::ResetPassword { id, .. })] => {
                Msg::Users(UsersMsg::PasswordReset { id, name, result: Err(lost()) })
            }
            [Effect::Users(UsersEffect::SetPassword { id, .. })] => {
                Msg::Users(UsersMsg::PasswordSet { id, name, result: Err(lost()) })
            }
            [Effect::Users(UsersEffect::Delete { id, .. })] => {
                Msg::Users(UsersMsg::Deleted { id, name, result: Err(lost()) })
            }
            _ => panic!("{effects:?}"),
        };
        let effects = update(&mut state, answer);
        let [Effect::Users(UsersEffect::Load { id, .. })] = effects[..] else { panic!("{c}: {effects:?}") };
        update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(unavailable()) }));
        let text = line(&state);
        assert!(text.contains(what) && text.contains(maybe), "{c}: {text}");
    }
}

#[test]
fn a_lost_rule_whose_list_fails_stays_unsettled_until_a_list_settles_it() {
    let mut state = super::internet::fixtures::seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "198.51.100.0/24");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Internet(InternetEffect::CreateRule { id, ref rule, .. })] = effects[..] else { panic!() };
    let created = InternetMsg::RuleCreated { id, rule: rule.clone(), result: Err(lost()) };
    let effects = update(&mut state, Msg::Internet(created));
    let [Effect::Internet(InternetEffect::LoadRules { id, .. })] = effects[..] else { panic!() };
    update(&mut state, Msg::Internet(InternetMsg::RulesLoaded { id, result: Err(unavailable()) }));
    assert!(line(&state).contains("adding the rule 198.51.100.0/24 was lost"), "{}", line(&state));
    assert!(key(&mut state, KeyCode::Char('n')).is_empty() && state.modal.is_none());
    assert!(status_text(&state).starts_with("Not now"));

    let [Effect::Internet(InternetEffect::LoadRules { id, .. })] = key(&mut state, KeyCode::Char('r'))[..]
    else {
        panic!()
    };
    let rules = state.db().internet.rules.data.clone().unwrap();
    update(&mut state, Msg::Internet(InternetMsg::RulesLoaded { id, result: Ok(rules) }));
    assert!(state.db().unsettled.is_none());
    assert!(status_text(&state).contains("was not added"), "{}", status_text(&state));
}

#[test]
fn a_lost_extension_change_is_listed_again_and_settled_by_the_listing() {
    let mut state = super::extensions::tests::with_sql();
    super::extensions::tests::select_ext(&mut state, "hstore");
    key(&mut state, KeyCode::Char('e'));
    let [Effect::Extensions(ExtensionsEffect::Change { id, .. })] = key(&mut state, KeyCode::Enter)[..]
    else {
        panic!()
    };
    let lost = SqlError::Other("the connection was lost after the statement was sent".into());
    let changed = ExtensionsMsg::Changed {
        id,
        name: "hstore".into(),
        change: crate::sql::Change::Enable,
        result: Err(lost),
    };
    let effects = update(&mut state, Msg::Extensions(changed));
    let [_, Effect::Extensions(ExtensionsEffect::LoadSql { id, .. })] = effects[..] else {
        panic!("{effects:?}")
    };
    update(
        &mut state,
        Msg::Extensions(ExtensionsMsg::SqlLoaded { id, result: Err(SqlError::Other("x".into())) }),
    );
    assert!(
        line(&state).contains("enabling hstore was lost, so it may have been enabled"),
        "{}",
        line(&state)
    );
    assert!(key(&mut state, KeyCode::Char('e')).is_empty() && state.modal.is_none());

    let effects = key(&mut state, KeyCode::Char('r'));
    let [_, Effect::Extensions(ExtensionsEffect::LoadSql { id, .. })] = effects[..] else {
        panic!("{effects:?}")
    };
    let mut after = super::extensions::tests::sample();
    after
        .extensions
        .iter_mut()
        .filter(|e| e.name == "hstore")
        .for_each(|e| e.installed_version = Some("1.8".into()));
    update(&mut state, Msg::Extensions(ExtensionsMsg::SqlLoaded { id, result: Ok(after) }));
    assert!(state.db().unsettled.is_none());
    assert!(
        status_text(&state).contains("hstore is enabled (its answer was lost)"),
        "{}",
        status_text(&state)
    );
}

#[test]
fn leaving_the_database_with_a_change_unsettled_says_so_on_the_list() {
    let mut state = lost_create_then_failed_list();
    key(&mut state, KeyCode::Char('o'));
    assert!(matches!(state.screen, Screen::Picker));
    let text = status_text(&state);
    assert!(text.contains("creating the user new_reader on shop-prod is still unknown"), "{text}");
}
