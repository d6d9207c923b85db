//! Test helpers shared by the `update` tests and the render snapshots: states reached through
//! `update` itself, never built by hand.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::*;
use super::*;
use crate::api::{Addon, Database, DbTarget, DbmsAttributes, User};
use crate::app::users::{UsersEffect, UsersMsg};

pub fn user(name: &str, read_only: bool, protected: bool) -> User {
    User { name: name.into(), read_only, protected, dbms_attributes: None }
}

pub fn seed_users() -> Vec<User> {
    vec![
        user("shop_prod_4553", false, true),
        user("app_writer", false, false),
        user("app_reporting", true, false),
    ]
}

/// What the runtime answers once a database is found in osc-fr1.
pub fn opened(addon: Addon, database: Database) -> Opened {
    Opened { region: "osc-fr1".into(), addon, database }
}

pub fn target() -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: "shop-prod".into(), addon_id: "ad-pg".into() }
}

/// A state connected to a PostgreSQL database whose users are loaded.
pub fn connected(type_name: &str) -> State {
    let mut state = State::new(Session {
        start: Start::app("shop-prod", "postgresql"),
        region: Some("osc-fr1".into()),
        ..Session::default()
    });
    let effects = start(&mut state);
    let Some(Effect::Connect { id, .. }) = effects.first() else { panic!("start must connect: {effects:?}") };
    let database = Database {
        type_name: type_name.into(),
        readable_version: if type_name == "mysql" { "8.0.36-1" } else { "16.6.0-1" }.into(),
        plan: format!("{type_name}-starter-512"),
        status: "running".into(),
        ..Database::default()
    };
    let addon = Addon { id: "ad-pg".into(), ..Addon::default() };
    let effects = update(&mut state, Msg::Connected { id: *id, result: Ok(opened(addon, database)) });
    let Some(Effect::Users(UsersEffect::Load { id, target: t })) = effects.first() else {
        panic!("then list users: {effects:?}")
    };
    assert_eq!(*t, target());
    let mut users = seed_users();
    if type_name == "postgresql" {
        for u in &mut users {
            u.dbms_attributes = Some(DbmsAttributes { password_encryption: Some("SCRAM-SHA-256".into()) });
        }
    }
    update(&mut state, Msg::Users(UsersMsg::Loaded { id: *id, result: Ok(users) }));
    assert_eq!(state.in_flight, 0);
    state
}

pub fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub fn typed(state: &mut State, text: &str) {
    for c in text.chars() {
        assert!(key(state, KeyCode::Char(c)).is_empty());
    }
}

pub fn select(state: &mut State, name: &str) {
    key(state, KeyCode::Char('g'));
    while state.db().users.selected_user().map(|u| u.name.as_str()) != Some(name) {
        let before = state.db().users.list.selected;
        key(state, KeyCode::Char('j'));
        assert_ne!(before, state.db().users.list.selected, "{name} not found");
    }
}

impl State {
    /// The open database; tests that call it have opened one.
    pub fn db(&self) -> &Dashboard {
        self.dash().expect("a database is open")
    }

    pub fn db_mut(&mut self) -> &mut Dashboard {
        self.dash_mut().expect("a database is open")
    }
}

/// `r` on the Users tab, answered with `users`.
pub fn reload_users(state: &mut State, users: Vec<User>) {
    let effects = key(state, KeyCode::Char('r'));
    let Some(Effect::Users(UsersEffect::Load { id, .. })) = effects.first() else {
        panic!("r lists the users: {effects:?}")
    };
    update(state, Msg::Users(UsersMsg::Loaded { id: *id, result: Ok(users) }));
}

/// `count` users named `user_000` and on.
pub fn many_users(count: usize) -> Vec<User> {
    (0..count).map(|i| user(&format!("user_{i:03}"), i % 2 == 0, false)).collect()
}
