//! Pure transitions of the Extensions tab: loading both sources, `e`/`d` through their modals,
//! PostgreSQL's refusals, stale answers, MySQL and `--read-only`.

use crossterm::event::KeyCode;

use super::*;
use crate::api::EnabledExtension;
use crate::app::fixtures::*;
use crate::app::users::UsersEffect;
use crate::app::{Msg, update};
use crate::sql::{Endpoint, Extension, Listing, PgMessage, SqlError, UrlOrigin};

pub fn ext(name: &str, default: Option<&str>, installed: Option<&str>, allowed: bool) -> Extension {
    Extension {
        name: name.into(),
        default_version: default.map(Into::into),
        installed_version: installed.map(Into::into),
        comment: Some(format!("{name} things")),
        allowed,
    }
}

pub fn listing(extensions: Vec<Extension>) -> Listing {
    Listing {
        endpoint: Endpoint { host: "127.0.0.1".into(), port: 5432, dbname: "shop_prod_4553".into() },
        origin: UrlOrigin::Env,
        encrypted: true,
        restricted: true,
        extensions,
        via: None,
    }
}

pub fn sample() -> Listing {
    listing(vec![
        ext("citext", Some("1.6"), None, true),
        ext("hstore", Some("1.8"), None, true),
        ext("pg_stat_statements", Some("1.10"), None, true),
        ext("plpgsql", Some("1.0"), Some("1.0"), false),
        ext("uuid-ossp", Some("1.1"), Some("1.1"), true),
    ])
}

pub fn api_list() -> Vec<EnabledExtension> {
    ["plpgsql=v1.0", "pgcrypto=1.3"]
        .iter()
        .map(|s| {
            let (name, version) = s.split_once('=').unwrap();
            EnabledExtension { name: name.into(), version: version.into() }
        })
        .collect()
}

/// The tab shown on a connected PostgreSQL database: its two loads, by request id.
pub fn shown(state: &mut State) -> (RequestId, RequestId) {
    let effects = key(state, KeyCode::Char('2'));
    match effects.as_slice() {
        [
            Effect::Extensions(ExtensionsEffect::LoadApi { id: api, target: t }),
            Effect::Extensions(ExtensionsEffect::LoadSql { id: sql, target: sql_target }),
        ] => {
            assert_eq!((t, sql_target), (&target(), &target()));
            (*api, *sql)
        }
        other => panic!("both loads: {other:?}"),
    }
}

fn msg(state: &mut State, msg: ExtensionsMsg) -> Vec<Effect> {
    update(state, Msg::Extensions(msg))
}

/// A state on the tab with the SQL listing loaded.
pub fn with_sql() -> State {
    let mut state = connected("postgresql");
    let (api, sql) = shown(&mut state);
    msg(&mut state, ExtensionsMsg::ApiLoaded { id: api, result: Ok(api_list()) });
    msg(&mut state, ExtensionsMsg::SqlLoaded { id: sql, result: Ok(sample()) });
    assert_eq!(state.in_flight, 0);
    state
}

pub fn select_ext(state: &mut State, name: &str) {
    key(state, KeyCode::Char('g'));
    while state.db().extensions.selected().map(|r| r.name.clone()) != Some(name.into()) {
        let before = state.db().extensions.list.selected;
        key(state, KeyCode::Char('j'));
        assert_ne!(before, state.db().extensions.list.selected, "{name} not found");
    }
}

#[test]
fn loads_once_when_first_shown_and_again_on_r() {
    let mut state = connected("postgresql");
    let (api, sql) = shown(&mut state);
    assert_eq!(state.in_flight, 2);
    // Leaving and coming back does not load again.
    key(&mut state, KeyCode::Char('1'));
    assert!(key(&mut state, KeyCode::Char('2')).is_empty());
    msg(&mut state, ExtensionsMsg::ApiLoaded { id: api, result: Ok(api_list()) });
    // Without SQL yet, the rows are the API's, sorted.
    let names: Vec<String> = state.db().extensions.rows().iter().map(|r| r.name.clone()).collect();
    assert_eq!(names, ["pgcrypto", "plpgsql"]);
    msg(&mut state, ExtensionsMsg::SqlLoaded { id: sql, result: Ok(sample()) });
    assert_eq!(state.db().extensions.rows().len(), 5, "SQL replaces the API's view");
    assert_eq!(state.in_flight, 0);
    let effects = key(&mut state, KeyCode::Char('r'));
    assert_eq!(effects.len(), 2);
}

#[test]
fn shown_before_connected_loads_once_connected() {
    let mut state = crate::app::State::new(crate::app::state::Session {
        start: crate::app::state::Start::app("shop-prod", ""),
        ..Default::default()
    });
    let effects = crate::app::start(&mut state);
    let [Effect::Connect { id, .. }] = effects.as_slice() else { panic!() };
    assert!(key(&mut state, KeyCode::Char('2')).is_empty(), "nothing to load yet");
    let database = crate::api::Database { type_name: "postgresql".into(), ..Default::default() };
    let addon = crate::api::Addon { id: "ad-pg".into(), ..Default::default() };
    let effects = update(&mut state, Msg::Connected { id: *id, result: Ok(opened(addon, database)) });
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::Users(UsersEffect::Load { .. }),
            Effect::SaveRecents(_),
            Effect::Extensions(_),
            Effect::Extensions(_)
        ]
    ));
}

#[test]
fn without_sql_the_api_list_stays_and_e_says_why() {
    let mut state = connected("postgresql");
    let (api, sql) = shown(&mut state);
    msg(&mut state, ExtensionsMsg::ApiLoaded { id: api, result: Ok(api_list()) });
    let unreachable = SqlError::Unreachable { endpoint: "127.0.0.1:1/db".into(), detail: "refused".into() };
    msg(&mut state, ExtensionsMsg::SqlLoaded { id: sql, result: Err(unreachable.clone()) });
    assert_eq!(state.db().extensions.sql_error, Some(unreachable));
    assert_eq!(state.db().extensions.rows().len(), 2);
    assert!(key(&mut state, KeyCode::Char('e')).is_empty());
    assert!(state.modal.is_none());
    assert!(state.status.as_ref().unwrap().text.contains("need a SQL connection"));
}

#[test]
fn enable_asks_then_sends_the_selected_allowed_name() {
    let mut state = with_sql();
    select_ext(&mut state, "hstore");
    assert!(key(&mut state, KeyCode::Char('e')).is_empty(), "a request opens the modal only");
    let Some(Modal::Confirm(ConfirmForm { action: ConfirmAction::Extension(form), .. })) = &state.modal
    else {
        panic!("confirm modal")
    };
    assert_eq!(
        (form.change, form.name.as_str(), form.version.as_deref()),
        (Change::Enable, "hstore", Some("1.8"))
    );
    // Esc cancels without effect.
    assert!(key(&mut state, KeyCode::Esc).is_empty());
    assert!(state.modal.is_none());
    key(&mut state, KeyCode::Char('e'));
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Extensions(ExtensionsEffect::Change { id, target: t, name, change })] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!((t, name.as_str(), *change), (&target(), "hstore", Change::Enable));
    // While waiting, Esc keeps the modal so the answer has somewhere to land.
    key(&mut state, KeyCode::Esc);
    assert!(matches!(&state.modal, Some(Modal::Confirm(f)) if f.pending == Some(*id)));

    let mut after = sample();
    after.extensions[1].installed_version = Some("1.8".into());
    let id = *id;
    msg(
        &mut state,
        ExtensionsMsg::Changed { id, name: "hstore".into(), change: Change::Enable, result: Ok(after) },
    );
    assert!(state.modal.is_none());
    assert_eq!(state.status.as_ref().unwrap().text, "hstore enabled (version 1.8)");
    assert_eq!(state.db().extensions.selected().unwrap().installed.as_deref(), Some("1.8"));
    assert_eq!(state.in_flight, 0);
}

#[test]
fn disable_needs_the_exact_name_typed() {
    let mut state = with_sql();
    select_ext(&mut state, "uuid-ossp");
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "uuid-oss");
    assert!(key(&mut state, KeyCode::Enter).is_empty(), "inert until the name matches");
    typed(&mut state, "P");
    assert!(key(&mut state, KeyCode::Enter).is_empty(), "byte for byte");
    key(&mut state, KeyCode::Backspace);
    typed(&mut state, "p");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Extensions(ExtensionsEffect::Change { name, change: Change::Disable, .. })] =
        effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "uuid-ossp");
}

#[test]
fn postgresqls_refusal_stays_in_the_modal_and_nothing_changes() {
    let mut state = with_sql();
    select_ext(&mut state, "pg_stat_statements");
    key(&mut state, KeyCode::Char('e'));
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Extensions(ExtensionsEffect::Change { id, .. })] = effects.as_slice() else { panic!() };
    let refusal = SqlError::Postgres(PgMessage {
        code: "42501".into(),
        message: "permission denied to create extension \"pg_stat_statements\"".into(),
        detail: None,
        hint: Some("Must be superuser to create this extension.".into()),
    });
    let id = *id;
    msg(
        &mut state,
        ExtensionsMsg::Changed {
            id,
            name: "pg_stat_statements".into(),
            change: Change::Enable,
            result: Err(refusal),
        },
    );
    let Some(Modal::Confirm(form)) = &state.modal else { panic!("the modal stays") };
    assert!(form.pending.is_none());
    assert!(form.server_error.as_deref().unwrap().contains("Must be superuser"));
    assert_eq!(state.db().extensions.sql.data, Some(sample()), "the list is as it was");
}

#[test]
fn names_outside_the_allowed_list_never_reach_an_effect() {
    let mut state = with_sql();
    select_ext(&mut state, "plpgsql");
    for k in ['e', 'd'] {
        assert!(key(&mut state, KeyCode::Char(k)).is_empty());
        assert!(state.modal.is_none());
    }
    assert!(state.status.as_ref().unwrap().text.contains("not in this database's allowed list"));
    // Already enabled / not enabled: said, not sent.
    select_ext(&mut state, "uuid-ossp");
    key(&mut state, KeyCode::Char('e'));
    assert!(state.modal.is_none() && state.status.as_ref().unwrap().text.contains("already enabled"));
    select_ext(&mut state, "citext");
    key(&mut state, KeyCode::Char('d'));
    assert!(state.modal.is_none() && state.status.as_ref().unwrap().text.contains("not enabled"));
}

#[test]
fn stale_answers_are_dropped() {
    let mut state = connected("postgresql");
    let (_, old_sql) = shown(&mut state);
    let effects = key(&mut state, KeyCode::Char('r'));
    let [_, Effect::Extensions(ExtensionsEffect::LoadSql { id: new_sql, .. })] = effects.as_slice() else {
        panic!()
    };
    let new_sql = *new_sql;
    msg(&mut state, ExtensionsMsg::SqlLoaded { id: old_sql, result: Ok(sample()) });
    assert!(state.db().extensions.sql.data.is_none(), "the older answer is ignored");
    msg(&mut state, ExtensionsMsg::SqlLoaded { id: new_sql, result: Ok(sample()) });
    assert!(state.db().extensions.sql.data.is_some());
}

#[test]
fn a_failed_refresh_keeps_the_listing() {
    let mut state = with_sql();
    let effects = key(&mut state, KeyCode::Char('r'));
    let [_, Effect::Extensions(ExtensionsEffect::LoadSql { id, .. })] = effects.as_slice() else { panic!() };
    let id = *id;
    msg(&mut state, ExtensionsMsg::SqlLoaded { id, result: Err(SqlError::Other("boom".into())) });
    assert_eq!(state.db().extensions.sql.data, Some(sample()));
    assert_eq!(state.db().extensions.sql_error, Some(SqlError::Other("boom".into())));
}

#[test]
fn mysql_loads_nothing_and_read_only_turns_e_and_d_off() {
    let mut state = connected("mysql");
    assert!(key(&mut state, KeyCode::Char('2')).is_empty());
    key(&mut state, KeyCode::Char('e'));
    assert!(state.status.as_ref().unwrap().text.contains("PostgreSQL feature"));

    let mut state = with_sql();
    state.session.read_only = true;
    select_ext(&mut state, "hstore");
    for k in ['e', 'd'] {
        assert!(key(&mut state, KeyCode::Char(k)).is_empty());
        assert!(state.modal.is_none());
        assert!(state.status.as_ref().unwrap().text.contains("Read-only"));
    }
}

#[test]
fn the_filter_applies_to_extensions() {
    let mut state = with_sql();
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "st");
    key(&mut state, KeyCode::Enter);
    let names: Vec<String> = state.db().extensions.visible().into_iter().map(|r| r.name.clone()).collect();
    assert_eq!(names, ["hstore", "pg_stat_statements"]);
}

#[test]
fn a_refresh_sent_before_a_change_cannot_undo_what_the_change_showed() {
    let mut state = with_sql();
    let effects = key(&mut state, KeyCode::Char('r'));
    let [_, Effect::Extensions(ExtensionsEffect::LoadSql { id: refresh, .. })] = effects.as_slice() else {
        panic!()
    };
    let refresh = *refresh;
    select_ext(&mut state, "hstore");
    key(&mut state, KeyCode::Char('e'));
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Extensions(ExtensionsEffect::Change { id, .. })] = effects.as_slice() else { panic!() };
    let mut after = sample();
    after.extensions[1].installed_version = Some("1.8".into());
    let id = *id;
    let result = Ok(after);
    msg(&mut state, ExtensionsMsg::Changed { id, name: "hstore".into(), change: Change::Enable, result });
    msg(&mut state, ExtensionsMsg::SqlLoaded { id: refresh, result: Ok(sample()) });
    assert_eq!(state.db().extensions.selected().unwrap().installed.as_deref(), Some("1.8"));
}

#[test]
fn an_unknown_outcome_closes_the_question_and_says_so() {
    let mut state = with_sql();
    select_ext(&mut state, "hstore");
    key(&mut state, KeyCode::Char('e'));
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Extensions(ExtensionsEffect::Change { id, .. })] = effects.as_slice() else { panic!() };
    let lost = SqlError::Other("hstore was changed, but listing the extensions again failed: press r".into());
    let id = *id;
    msg(
        &mut state,
        ExtensionsMsg::Changed { id, name: "hstore".into(), change: Change::Enable, result: Err(lost) },
    );
    assert!(state.modal.is_none(), "no 'Refused' for a change that may have been made");
    assert!(state.status.as_ref().unwrap().text.contains("press r"));
}
