//! What the forms say on screen: the discard question after Esc on a changed form, and why a
//! typed key went nowhere in the new-rule form.

use crossterm::event::KeyCode;

use super::tests::screen;
use crate::app::fixtures::{connected, key, typed};
use crate::app::internet::fixtures::seeded;

#[test]
fn esc_on_a_changed_form_shows_the_question_at_every_size() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let before = screen(&state, 80, 24);
    assert!(!before.contains("Discard what you typed?"), "{before}");
    key(&mut state, KeyCode::Esc);
    for (width, height) in [(60, 15), (80, 24), (120, 40)] {
        let text = screen(&state, width, height);
        assert!(text.contains("Discard what you typed?"), "{width}x{height}\n{text}");
        assert!(text.contains("Esc again discards"), "{width}x{height}\n{text}");
        assert!(text.contains("keeps editing"), "{width}x{height}\n{text}");
    }
    key(&mut state, KeyCode::Char('s'));
    let text = screen(&state, 80, 24);
    assert!(!text.contains("Discard what you typed?") && text.contains("new_reader"), "{text}");
}

#[test]
fn a_key_typed_where_no_text_goes_is_explained() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::Char(' '));
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Char('1'));
    let text = screen(&state, 80, 24);
    assert!(text.contains("Nothing to type: Space chooses; a CIDR needs the Custom type"), "{text}");
}

#[test]
fn rules_added_or_deleted_lately_say_they_are_applying() {
    use crate::app::internet::fixtures::{one, rule};
    use crate::app::internet::{InternetEffect, InternetMsg};
    use crate::app::{Msg, update};
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "198.51.100.0/24");
    let InternetEffect::CreateRule { id, rule: new, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    let created = rule("r3", "198.51.100.0/24", Some("Partner"));
    let result = Ok(created.clone());
    let reload = update(&mut state, Msg::Internet(InternetMsg::RuleCreated { id, rule: new, result }));
    let InternetEffect::LoadRules { id, .. } = one(reload) else { panic!() };
    let mut rules = state.db().internet.rules.data.clone().unwrap();
    rules.push(created);
    update(&mut state, Msg::Internet(InternetMsg::RulesLoaded { id, result: Ok(rules) }));
    let text = screen(&state, 80, 24);
    let row = text.lines().find(|l| l.contains("198.51.100.0/24")).expect("listed");
    assert!(row.contains("applying"), "{row}");
    let old = text.lines().find(|l| l.contains("203.0.113.0/24")).expect("listed");
    assert!(!old.contains("applying"), "{old}");

    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "203.0.113.0/24");
    let InternetEffect::DeleteRule { id, rule, .. } = one(key(&mut state, KeyCode::Enter)) else { panic!() };
    update(&mut state, Msg::Internet(InternetMsg::RuleDeleted { id, rule, result: Ok(()) }));
    let text = screen(&state, 80, 24);
    assert!(text.contains("Deleted, still applying (about 2 minutes): 203.0.113.0/24"), "{text}");
}

#[test]
fn the_label_form_shows_the_rule_its_label_and_how_to_save_at_every_size() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('l'));
    for (width, height) in [(60, 15), (80, 24), (120, 40)] {
        let text = screen(&state, width, height);
        assert!(text.contains("Label of the rule 203.0.113.0/24"), "{width}x{height}\n{text}");
        assert!(text.contains("Office VPN"), "{width}x{height}\n{text}");
        assert!(text.contains("Enter saves, Esc cancels."), "{width}x{height}\n{text}");
    }
    let footer = screen(&seeded(), 120, 40);
    assert!(footer.contains("l label"), "the footer offers it: {footer}");
}
