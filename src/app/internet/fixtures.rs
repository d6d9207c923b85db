//! Helpers for the Internet Access tab's tests and snapshots: states reached through `update`.

use crossterm::event::KeyCode;

use super::*;
use crate::api::{Addon, AddonProvider, ApiError, Database, Feature, FeatureChange};
use crate::app::fixtures::key;
use crate::app::state::{Session, Start};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Msg, start, update};

pub fn http(status: u16, message: &str) -> ApiError {
    ApiError::Http { status, message: message.into(), fields: vec![], request_id: Some("req-7".into()) }
}

pub fn status_text(state: &State) -> String {
    state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

pub fn features(list: &[(&str, &str)]) -> Vec<Feature> {
    list.iter().map(|(n, s)| Feature { name: (*n).into(), status: (*s).into() }).collect()
}

pub fn database(features: Vec<Feature>) -> Database {
    Database {
        type_name: "postgresql".into(),
        readable_version: "16.6.0-1".into(),
        plan: "postgresql-starter-512".into(),
        status: "running".into(),
        hostname: "db.example:5432".into(),
        features,
        ..Database::default()
    }
}

/// Connected (through `update`) to a database of `provider`, on the Internet Access tab, with
/// every request the connection started answered.
pub fn connect(provider: &str, db: Database) -> (State, Vec<Effect>) {
    let app = if provider == "postgresql-ng" { "orders-db" } else { "shop-prod" };
    let mut state = State::new(Session {
        start: Start::app(app, ""),
        region: Some("osc-fr1".into()),
        ..Session::default()
    });
    let Some(Effect::Connect { id, .. }) = start(&mut state).pop() else { panic!() };
    let addon = Addon {
        id: "ad-1".into(),
        addon_provider: Some(AddonProvider { id: provider.into(), name: "PostgreSQL".into() }),
        ..Addon::default()
    };
    let effects =
        update(&mut state, Msg::Connected { id, result: Ok(crate::app::fixtures::opened(addon, db)) });
    key(&mut state, KeyCode::Char('3'));
    (state, effects)
}

pub fn shared(list: &[(&str, &str)]) -> State {
    let (mut state, effects) = connect("postgresql", database(features(list)));
    for effect in effects {
        if let Effect::Users(UsersEffect::Load { id, .. }) = effect {
            update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Ok(vec![]) }));
        }
    }
    state
}

pub fn rule(id: &str, cidr: &str, label: Option<&str>) -> FirewallRule {
    FirewallRule {
        id: id.into(),
        kind: "custom_range".into(),
        cidr: Some(cidr.into()),
        label: label.map(Into::into),
        ..FirewallRule::default()
    }
}

pub fn managed(id: &str, range: &str) -> FirewallRule {
    FirewallRule {
        id: id.into(),
        kind: "managed_range".into(),
        range_id: Some(range.into()),
        ..FirewallRule::default()
    }
}

pub fn ranges() -> Vec<ManagedRange> {
    vec![
        ManagedRange { id: "mr-scalingo-osc-fr1".into(), name: "Scalingo osc-fr1 region".into() },
        ManagedRange {
            id: "mr-scalingo-osc-secnum-fr1".into(),
            name: "Scalingo osc-secnum-fr1 region".into(),
        },
    ]
}

/// A dedicated database whose rules and ranges are loaded.
pub fn dedicated(rules: Vec<FirewallRule>) -> State {
    let (mut state, effects) = connect("postgresql-ng", database(features(&[("force-ssl", "ACTIVATED")])));
    let mut loaded = (false, false);
    for effect in effects {
        match effect {
            Effect::Users(UsersEffect::Load { id, .. }) => {
                update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Ok(vec![]) }));
            }
            Effect::Internet(InternetEffect::LoadRules { id, .. }) => {
                loaded.0 = true;
                internet(&mut state, InternetMsg::RulesLoaded { id, result: Ok(rules.clone()) });
            }
            Effect::Internet(InternetEffect::LoadRanges { id, .. }) => {
                loaded.1 = true;
                internet(&mut state, InternetMsg::RangesLoaded { id, result: Ok(ranges()) });
            }
            Effect::SaveRecents(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(loaded, (true, true), "a dedicated database loads its rules and the ranges at once");
    assert_eq!(state.in_flight, 0);
    state
}

pub fn internet(state: &mut State, msg: InternetMsg) -> Vec<Effect> {
    update(state, Msg::Internet(msg))
}

/// The one effect, besides the wait that ends an applying mark (see `tests_applying`).
pub fn one(effects: Vec<Effect>) -> InternetEffect {
    let effects: Vec<Effect> = effects
        .into_iter()
        .filter(|e| !matches!(e, Effect::Internet(InternetEffect::Applied { .. })))
        .collect();
    match <[Effect; 1]>::try_from(effects) {
        Ok([Effect::Internet(effect)]) => effect,
        Ok(other) => panic!("not an Internet effect: {other:?}"),
        Err(effects) => panic!("expected one effect: {effects:?}"),
    }
}

pub fn poll_answer(state: &mut State, effect: InternetEffect, list: &[(&str, &str)]) -> Vec<Effect> {
    let InternetEffect::PollDatabase { id, .. } = effect else { panic!("{effect:?}") };
    internet(state, InternetMsg::DatabasePolled { id, result: Ok(database(features(list))) })
}

pub fn change(status: &str) -> FeatureChange {
    FeatureChange { name: String::new(), status: status.into(), message: String::new() }
}

/// The demo's dedicated database: a custom rule and a managed-range rule.
pub fn seeded() -> State {
    dedicated(vec![rule("r1", "203.0.113.0/24", Some("Office VPN")), managed("r2", "mr-scalingo-osc-fr1")])
}
