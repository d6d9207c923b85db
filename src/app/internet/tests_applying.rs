//! A rule just added or deleted is marked "applying" for the 2 minutes the platform takes, then
//! the mark goes by itself when the runtime's wait answers; nothing ticks meanwhile.

use crossterm::event::KeyCode;

use super::fixtures::*;
use super::*;
use crate::app::fixtures::{key, typed};
use crate::app::{Msg, update};

/// The effects' loads and the wait that ends an applying mark, apart.
fn split(effects: Vec<Effect>) -> (Vec<Effect>, (RequestId, std::time::Duration)) {
    let (waits, rest): (Vec<_>, Vec<_>) =
        effects.into_iter().partition(|e| matches!(e, Effect::Internet(InternetEffect::Applied { .. })));
    let [Effect::Internet(InternetEffect::Applied { mark, after })] = <[Effect; 1]>::try_from(waits).unwrap()
    else {
        panic!("one wait")
    };
    (rest, (mark, after))
}

/// The runtime's answer once the wait is over.
fn applied(state: &mut State, mark: RequestId) {
    update(state, Msg::Internet(InternetMsg::Applied { mark }));
}

/// Adds 198.51.100.0/24 through the form; the reloaded list shows it. Returns the applying wait.
fn add_rule(state: &mut State) -> (RequestId, std::time::Duration) {
    key(state, KeyCode::Char('n'));
    typed(state, "198.51.100.0/24");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(state, KeyCode::Enter)) else { panic!() };
    let created = rule("r3", "198.51.100.0/24", None);
    let (reload, wait) =
        split(internet(state, InternetMsg::RuleCreated { id, rule: new, result: Ok(created.clone()) }));
    let InternetEffect::LoadRules { id, .. } = one(reload) else { panic!() };
    let mut rules = state.db().internet.rules.data.clone().unwrap();
    rules.push(created);
    internet(state, InternetMsg::RulesLoaded { id, result: Ok(rules) });
    wait
}

#[test]
fn an_added_rule_is_marked_applying_for_2_minutes() {
    let mut state = seeded();
    assert!(!state.db().internet.added_lately("198.51.100.0/24"));
    let (mark, after) = add_rule(&mut state);
    assert_eq!(after, APPLYING_FOR);
    assert!(state.db().internet.added_lately("198.51.100.0/24"));
    assert!(!state.db().internet.added_lately("203.0.113.0/24"), "only the new rule");
    state.status = None; // the "added" message counts down on its own
    assert!(!state.animating(), "nothing redraws while the platform applies it");
    applied(&mut state, mark - 1);
    assert!(state.db().internet.added_lately("198.51.100.0/24"), "still within 2 minutes");
    applied(&mut state, mark);
    assert!(!state.db().internet.added_lately("198.51.100.0/24"), "2 minutes later");
}

#[test]
fn a_deleted_rule_is_marked_until_applied() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "203.0.113.0/24");
    let InternetEffect::DeleteRule { id, rule: gone, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    let (_, (mark, _)) =
        split(internet(&mut state, InternetMsg::RuleDeleted { id, rule: gone, result: Ok(()) }));
    assert_eq!(state.db().internet.deleted_lately().collect::<Vec<_>>(), ["203.0.113.0/24"]);
    applied(&mut state, mark);
    assert_eq!(state.db().internet.deleted_lately().count(), 0);
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
    assert!(state.db().internet.applying.is_empty());
}
