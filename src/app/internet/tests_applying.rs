//! A rule just added or deleted is marked "applying" for the 2 minutes the platform takes, then
//! the mark goes by itself; the time comes as ticks, so this is all pure.

use crossterm::event::KeyCode;

use super::fixtures::*;
use super::*;
use crate::app::fixtures::{key, typed};
use crate::app::{Msg, update};

fn tick(state: &mut State, times: u32) {
    for _ in 0..times {
        update(state, Msg::Tick);
    }
}

/// Adds 198.51.100.0/24 through the form; the reloaded list shows it.
fn add_rule(state: &mut State) {
    key(state, KeyCode::Char('n'));
    typed(state, "198.51.100.0/24");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(state, KeyCode::Enter)) else { panic!() };
    let created = rule("r3", "198.51.100.0/24", None);
    let reload = internet(state, InternetMsg::RuleCreated { id, rule: new, result: Ok(created.clone()) });
    let InternetEffect::LoadRules { id, .. } = one(reload) else { panic!() };
    let mut rules = state.internet.rules.data.clone().unwrap();
    rules.push(created);
    internet(state, InternetMsg::RulesLoaded { id, result: Ok(rules) });
}

#[test]
fn an_added_rule_is_marked_applying_for_2_minutes() {
    let mut state = seeded();
    assert!(!state.internet.added_lately("198.51.100.0/24"));
    add_rule(&mut state);
    assert!(state.internet.added_lately("198.51.100.0/24"));
    assert!(!state.internet.added_lately("203.0.113.0/24"), "only the new rule");
    assert!(state.animating(), "ticks keep coming while a mark counts down");
    tick(&mut state, APPLYING_TICKS - 1);
    assert!(state.internet.added_lately("198.51.100.0/24"), "still within 2 minutes");
    tick(&mut state, 1);
    assert!(!state.internet.added_lately("198.51.100.0/24"), "2 minutes later");
    assert!(!state.animating(), "idle again: no more ticks");
}

#[test]
fn a_deleted_rule_is_marked_until_applied() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "203.0.113.0/24");
    let InternetEffect::DeleteRule { id, rule: gone, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    internet(&mut state, InternetMsg::RuleDeleted { id, rule: gone, result: Ok(()) });
    assert_eq!(state.internet.deleted_lately().collect::<Vec<_>>(), ["203.0.113.0/24"]);
    tick(&mut state, APPLYING_TICKS);
    assert_eq!(state.internet.deleted_lately().count(), 0);
}

#[test]
fn a_refused_change_is_not_marked() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "198.51.100.0/24");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    internet(
        &mut state,
        InternetMsg::RuleCreated { id, rule: new, result: Err(http(422, "cidr is invalid")) },
    );
    assert!(state.internet.applying.is_empty());
}
