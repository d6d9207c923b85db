//! Pure transition tests of the Internet Access tab's firewall rules (dedicated databases):
//! state and effects after each message.

use crossterm::event::KeyCode;

use super::fixtures::*;
use super::*;
use crate::api::ApiError;
use crate::app::fixtures::{key, typed};
use crate::app::keys::Context;
use crate::app::state::{ConfirmAction, Modal};

// ---------------------------------------------------------------------------------------------
// Dedicated databases

fn open_form(state: &mut State, cidr: &str) {
    assert!(key(state, KeyCode::Char('n')).is_empty());
    assert!(matches!(&state.modal, Some(Modal::NewRule(_))));
    typed(state, cidr);
}

#[test]
fn dedicated_databases_list_their_rules() {
    let state = seeded();
    assert!(is_dedicated(state.db()));
    assert_eq!(
        crate::app::keys::contexts(&state),
        [Context::Firewall, Context::List, Context::Global, Context::Dashboard]
    );
    assert_eq!(state.db().internet.visible().len(), 2);
    assert_eq!(state.db().internet.range_name("mr-scalingo-osc-fr1"), Some("Scalingo osc-fr1 region"));
    assert_eq!(state.list_len(), 2);
}

#[test]
fn a_canonical_cidr_is_sent_at_once_with_its_label() {
    let mut state = seeded();
    open_form(&mut state, "198.51.100.0/24");
    key(&mut state, KeyCode::Tab);
    typed(&mut state, " Partner ");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(new.body()["cidr"], "198.51.100.0/24");
    assert_eq!(new.body()["label"], "Partner");
    let created = rule("r3", "198.51.100.0/24", Some("Partner"));
    let effect = one(internet(&mut state, InternetMsg::RuleCreated { id, rule: new, result: Ok(created) }));
    assert!(matches!(effect, InternetEffect::LoadRules { .. }), "the table refreshes");
    assert!(state.modal.is_none());
    assert!(state.db().internet.rules_changed);
    assert!(status_text(&state).contains("about 2 minutes"));
}

#[test]
fn host_bits_and_bare_addresses_are_offered_in_canonical_form() {
    for (typed_text, canonical) in
        [("198.51.100.7/24", "198.51.100.0/24"), ("198.51.100.7", "198.51.100.7/32")]
    {
        let mut state = dedicated(vec![]);
        open_form(&mut state, typed_text);
        assert!(key(&mut state, KeyCode::Enter).is_empty(), "the first Enter only offers");
        let Some(Modal::NewRule(form)) = &state.modal else { panic!() };
        assert_eq!(form.offered.map(|c| c.to_string()).as_deref(), Some(canonical));
        let InternetEffect::CreateRule { rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else {
            panic!()
        };
        assert_eq!(new.body()["cidr"], canonical, "the canonical form is sent, never the typed one");
        assert!(new.body().get("label").is_none());
    }
}

#[test]
fn every_address_needs_a_second_typed_confirmation() {
    let mut state = seeded();
    open_form(&mut state, "0.0.0.0/0");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let Some(Modal::Confirm(form)) = &state.modal else { panic!("type to confirm") };
    assert_eq!(form.expected, "0.0.0.0/0");
    assert!(matches!(&form.action, ConfirmAction::Internet(RuleConfirm::AllowEverything(_))));
    typed(&mut state, "0.0.0.0/");
    assert!(key(&mut state, KeyCode::Enter).is_empty(), "inert until it matches");
    typed(&mut state, "0");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(new.body()["cidr"], "0.0.0.0/0");
    // A refusal stays in the confirm modal.
    internet(
        &mut state,
        InternetMsg::RuleCreated { id, rule: new, result: Err(http(422, "cidr is invalid")) },
    );
    assert!(matches!(&state.modal, Some(Modal::Confirm(f)) if f.server_error.is_some()));
}

#[test]
fn malformed_and_duplicate_cidrs_send_nothing() {
    for bad in ["010.0.0.0/8", "10.0.0.256/32", "10.0.0.0/33", "nonsense", "203.0.113.9/24"] {
        let mut state = seeded();
        open_form(&mut state, bad);
        assert!(key(&mut state, KeyCode::Enter).is_empty(), "{bad}");
        let Some(Modal::NewRule(form)) = &state.modal else { panic!() };
        assert!(form.tried && form.focus == RuleField::Cidr, "{bad}");
        assert!(!rules::rule_problems(form, &state).is_empty(), "{bad}");
    }
}

#[test]
fn the_31st_rule_is_refused_before_sending() {
    let full: Vec<FirewallRule> =
        (0..30).map(|i| rule(&format!("r{i}"), &format!("10.0.{i}.0/24"), None)).collect();
    let mut state = dedicated(full);
    assert!(key(&mut state, KeyCode::Char('n')).is_empty());
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("30 firewall rules"), "{}", status_text(&state));
}

#[test]
fn a_managed_range_takes_no_label() {
    let mut state = dedicated(vec![]);
    for code in [KeyCode::Char('n'), KeyCode::BackTab, KeyCode::Char(' '), KeyCode::Tab] {
        key(&mut state, code);
    }
    let Some(Modal::NewRule(form)) = &state.modal else { panic!() };
    assert_eq!((form.kind, form.focus), (RuleKind::Managed, RuleField::Range));
    key(&mut state, KeyCode::Char(' '));
    let InternetEffect::CreateRule { rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else { panic!() };
    assert_eq!(
        new.body(),
        serde_json::json!({"type": "managed_range", "range_id": "mr-scalingo-osc-secnum-fr1"})
    );
    // The same range twice is refused.
    let mut state = seeded();
    for code in [KeyCode::Char('n'), KeyCode::BackTab, KeyCode::Char(' ')] {
        key(&mut state, code);
    }
    assert!(key(&mut state, KeyCode::Enter).is_empty());
}

#[test]
fn delete_by_typing_the_cidr_or_the_range_id() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('d'));
    let Some(Modal::Confirm(form)) = &state.modal else { panic!() };
    assert_eq!(form.expected, "203.0.113.0/24");
    typed(&mut state, "203.0.113.0/2");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    typed(&mut state, "4");
    let InternetEffect::DeleteRule { id, rule: gone, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(gone.id, "r1");
    let effect = one(internet(&mut state, InternetMsg::RuleDeleted { id, rule: gone, result: Ok(()) }));
    assert!(matches!(effect, InternetEffect::LoadRules { .. }));
    assert!(status_text(&state).contains("deleted") && status_text(&state).contains("2 minutes"));

    let mut state = seeded();
    key(&mut state, KeyCode::Char('j'));
    key(&mut state, KeyCode::Char('d'));
    assert!(matches!(&state.modal, Some(Modal::Confirm(f)) if f.expected == "mr-scalingo-osc-fr1"));
}

#[test]
fn a_lost_create_is_reconciled_by_listing_again() {
    let mut state = seeded();
    open_form(&mut state, "198.51.100.0/24");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    let lost = ApiError::Network { message: "connection closed".into(), sent: true };
    let InternetEffect::LoadRules { id: list, .. } =
        one(internet(&mut state, InternetMsg::RuleCreated { id, rule: new, result: Err(lost) }))
    else {
        panic!()
    };
    assert!(state.modal.is_none());
    let mut rules = state.db().internet.rules.data.clone().unwrap();
    rules.push(rule("r9", "198.51.100.0/24", None));
    internet(&mut state, InternetMsg::RulesLoaded { id: list, result: Ok(rules) });
    assert!(status_text(&state).contains("was added (its answer was lost)"), "{}", status_text(&state));
    assert_eq!(state.in_flight, 0);
}

#[test]
fn an_empty_list_and_a_failed_load() {
    let mut state = dedicated(vec![]);
    assert!(state.db().internet.visible().is_empty());
    assert!(key(&mut state, KeyCode::Char('d')).is_empty());
    assert_eq!(status_text(&state), "No rule selected");
    let effects = key(&mut state, KeyCode::Char('r'));
    let InternetEffect::LoadRules { id, .. } = one(effects) else { panic!() };
    internet(&mut state, InternetMsg::RulesLoaded { id, result: Err(http(500, "boom")) });
    assert!(status_text(&state).contains("Loading the firewall rules"));
    assert_eq!(state.db().internet.rules.data, Some(vec![]), "the last list stays");
}
