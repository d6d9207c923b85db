//! `l` edits a custom rule's label: the form starts with the current label, Enter sends the
//! label only, a refusal stays in the form, and a managed range is refused before any request.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fixtures::*;
use super::*;
use crate::app::fixtures::{key, typed};
use crate::app::state::Modal;
use crate::app::{Msg, update};

fn label_form(state: &State) -> &LabelForm {
    let Some(Modal::RuleLabel(form)) = &state.modal else { panic!("{:?}", state.modal) };
    form
}

fn clear(state: &mut State) {
    update(state, Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
}

#[test]
fn l_edits_the_label_of_the_selected_custom_rule() {
    let mut state = seeded();
    assert!(key(&mut state, KeyCode::Char('l')).is_empty());
    assert_eq!(label_form(&state).label.value(), "Office VPN", "starts with the current label");
    // Unchanged: Enter closes without a request.
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    assert!(state.modal.is_none());

    key(&mut state, KeyCode::Char('l'));
    clear(&mut state);
    typed(&mut state, "Head office");
    let InternetEffect::UpdateLabel { id, rule, label, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!((rule.id.as_str(), label.as_str()), ("r1", "Head office"));
    // Refused: the form stays, with the server's reason.
    let refused = Err(http(422, "label is too long"));
    let msg = InternetMsg::LabelUpdated { id, rule: rule.clone(), label: label.clone(), result: refused };
    assert!(internet(&mut state, msg).is_empty());
    let form = label_form(&state);
    assert!(form.server_error.as_deref().is_some_and(|e| e.contains("too long")), "{form:?}");

    let InternetEffect::UpdateLabel { id, .. } = one(key(&mut state, KeyCode::Enter)) else { panic!() };
    let mut updated = rule.clone();
    updated.label = Some(label.clone());
    let msg = InternetMsg::LabelUpdated { id, rule, label, result: Ok(updated) };
    let reload = one(internet(&mut state, msg));
    assert!(matches!(reload, InternetEffect::LoadRules { .. }), "the table refreshes");
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("now labelled Head office"), "{}", status_text(&state));
}

#[test]
fn a_managed_range_has_no_label_to_edit() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('j'));
    assert!(state.db().internet.selected_rule().unwrap().is_managed());
    assert!(key(&mut state, KeyCode::Char('l')).is_empty());
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("managed range has no label"), "{}", status_text(&state));
}

#[test]
fn esc_on_a_changed_label_asks_first() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('l'));
    typed(&mut state, "!");
    key(&mut state, KeyCode::Esc);
    assert!(label_form(&state).discard_asked);
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
    // Read-only mode: no form at all.
    let mut state = seeded();
    state.session.read_only = true;
    key(&mut state, KeyCode::Char('l'));
    assert!(state.modal.is_none());
}
