//! Forms keep what the operator typed: Esc on a changed form asks first, Ctrl-U clears a field
//! (masked ones too), typing reaches a text field or the form says why, and closing a form
//! leaves the table's selection where it was.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fixtures::*;
use super::internet::fixtures::{seeded, status_text};
use super::internet::{RuleField, RuleKind};
use super::state::*;
use super::*;
use crate::app::users::{UsersEffect, UsersMsg};

fn ctrl_u(state: &mut State) {
    update(state, Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
}

fn create(state: &State) -> &CreateUserForm {
    let Some(Modal::CreateUser(form)) = &state.modal else { panic!("{:?}", state.modal) };
    form
}

fn set_pw(state: &State) -> &SetPasswordForm {
    let Some(Modal::SetPassword(form)) = &state.modal else { panic!("{:?}", state.modal) };
    form
}

fn rule_form(state: &State) -> &super::internet::NewRuleForm {
    let Some(Modal::NewRule(form)) = &state.modal else { panic!("{:?}", state.modal) };
    form
}

#[test]
fn esc_on_an_unchanged_form_closes_it_at_once() {
    let mut state = connected("postgresql");
    for open in ['n', 's'] {
        select(&mut state, "app_writer");
        key(&mut state, KeyCode::Char(open));
        assert!(state.modal.is_some());
        key(&mut state, KeyCode::Esc);
        assert!(state.modal.is_none(), "{open}");
    }
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
}

#[test]
fn esc_on_a_changed_form_asks_and_any_other_key_keeps_editing() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    key(&mut state, KeyCode::Esc);
    assert!(create(&state).discard_asked, "the modal asks");
    assert!(state.modal.as_ref().is_some_and(Modal::discard_asked));
    // Enter answers "keep editing": it neither submits nor types.
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let form = create(&state);
    assert!(!form.discard_asked && !form.tried, "kept, not submitted");
    assert_eq!(form.name.value(), "new_reader");
    typed(&mut state, "s");
    assert_eq!(create(&state).name.value(), "new_readers", "editing goes on");
    // Esc twice discards.
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_some());
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
}

#[test]
fn esc_asks_on_the_set_password_and_new_rule_forms_too() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('s'));
    typed(&mut state, "Correct_horse");
    key(&mut state, KeyCode::Esc);
    assert!(set_pw(&state).discard_asked);
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());

    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "198.51.100.0/24");
    key(&mut state, KeyCode::Esc);
    assert!(rule_form(&state).discard_asked);
    key(&mut state, KeyCode::Char('x'));
    assert_eq!(rule_form(&state).cidr.value(), "198.51.100.0/24", "the answering key types nothing");
    key(&mut state, KeyCode::Esc);
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
}

#[test]
fn ctrl_u_clears_the_focused_field_masked_or_not() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "Correct_horse_battery_staple_42");
    assert_eq!(create(&state).focus, CreateField::Password);
    ctrl_u(&mut state);
    let form = create(&state);
    assert_eq!(form.password.value(), "", "the masked password is cleared");
    assert_eq!(form.name.value(), "new_reader", "only the focused field");
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::BackTab);
    ctrl_u(&mut state);
    assert_eq!(create(&state).name.value(), "");

    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "10.0.0.0/8");
    ctrl_u(&mut state);
    assert_eq!(rule_form(&state).cidr.value(), "");
}

#[test]
fn the_new_rule_form_opens_on_the_cidr_and_typing_is_never_lost() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    assert_eq!(rule_form(&state).focus, RuleField::Cidr);
    typed(&mut state, "198.51");
    // Back on the Type choice of a custom rule, typing goes on in the CIDR.
    key(&mut state, KeyCode::BackTab);
    assert_eq!(rule_form(&state).focus, RuleField::Kind);
    typed(&mut state, ".100.0/24");
    let form = rule_form(&state);
    assert_eq!((form.focus, form.cidr.value()), (RuleField::Cidr, "198.51.100.0/24"));

    // A managed range has no text field: the form says why instead of dropping the key.
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::Char(' '));
    key(&mut state, KeyCode::Tab);
    let form = rule_form(&state);
    assert_eq!((form.kind, form.focus, form.hint), (RuleKind::Managed, RuleField::Range, None));
    key(&mut state, KeyCode::Char('1'));
    let hint = rule_form(&state).hint.expect("the form says why");
    assert!(hint.contains("Nothing to type"), "{hint}");
    key(&mut state, KeyCode::Tab);
    assert_eq!(rule_form(&state).hint, None, "the next key clears it");
}

#[test]
fn closing_a_form_keeps_the_selection() {
    let mut state = connected("postgresql");
    select(&mut state, "app_reporting");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "x");
    key(&mut state, KeyCode::Esc);
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
    // One Esc too many lands on the table: with no filter, it keeps the selection.
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.db().users.selected_user().map(|u| u.name.as_str()), Some("app_reporting"));

    // A submitted form too, once its answer came.
    key(&mut state, KeyCode::Char('s'));
    typed(&mut state, "Correct_horse_battery_staple_42");
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "Correct_horse_battery_staple_42");
    let Some(Effect::Users(UsersEffect::SetPassword { id, name, .. })) =
        key(&mut state, KeyCode::Enter).pop()
    else {
        panic!()
    };
    let user = user("app_reporting", true, false);
    update(&mut state, Msg::Users(UsersMsg::PasswordSet { id, name, result: Ok(user) }));
    // The box that offers a connection URL with the typed password; Enter forgets it.
    assert!(matches!(&state.modal, Some(Modal::Reveal(r)) if r.chosen), "{}", status_text(&state));
    key(&mut state, KeyCode::Enter);
    assert!(state.modal.is_none());
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.db().users.selected_user().map(|u| u.name.as_str()), Some("app_reporting"));
}
