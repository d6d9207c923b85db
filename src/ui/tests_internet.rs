//! Snapshots of the Internet Access tab, both views and each of its modals, at 80x24.

use crossterm::event::KeyCode;

use super::Theme;
use super::tests::screen;
use crate::app::fixtures::{key, typed};
use crate::app::internet::fixtures::*;
use crate::app::internet::{InternetEffect, InternetMsg};
use crate::app::{Effect, Msg, update};

#[test]
fn shared_view() {
    let state = shared(&[("force-ssl", "ACTIVATED")]);
    let text = screen(&state, 80, 24);
    assert!(text.contains("TLS enforcement") && text.contains("enabled") && text.contains("disabled"));
    insta::assert_snapshot!("internet_shared_80x24", text);
    let ascii = super::tests::render_with(&state, 80, 24, &Theme::new(true, false));
    insta::assert_snapshot!("internet_shared_80x24_no_color_ascii", ascii);
}

#[test]
fn shared_view_while_a_change_is_pending() {
    let mut state = shared(&[]);
    key(&mut state, KeyCode::Char('t'));
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Internet(InternetEffect::SetFeature { id, feature, enable, .. })] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let result = Ok(crate::api::FeatureChange { status: "PENDING_TO_ACTIVATE".into(), ..Default::default() });
    update(
        &mut state,
        Msg::Internet(InternetMsg::FeatureSet { id: *id, feature: *feature, enable: *enable, result }),
    );
    insta::assert_snapshot!("internet_shared_pending_80x24", screen(&state, 80, 24));
}

#[test]
fn feature_questions() {
    let mut state = shared(&[("force-ssl", "ACTIVATED")]);
    key(&mut state, KeyCode::Char('i'));
    insta::assert_snapshot!("internet_enable_internet_80x24", screen(&state, 80, 24));
    let mut state = shared(&[]);
    key(&mut state, KeyCode::Char('i'));
    insta::assert_snapshot!("internet_tls_prerequisite_80x24", screen(&state, 80, 24));
}

#[test]
fn dedicated_view() {
    let state = seeded();
    let text = screen(&state, 80, 24);
    assert!(
        text.contains("Scalingo osc-fr1 region") && text.contains("Office VPN") && text.contains("(2 of 30)")
    );
    insta::assert_snapshot!("internet_dedicated_80x24", text);
    let empty = dedicated(vec![]);
    let text = screen(&empty, 80, 24);
    assert!(text.contains("No firewall rules: the database is unreachable"), "{text}");
    insta::assert_snapshot!("internet_dedicated_empty_80x24", text);
}

#[test]
fn new_rule_modal() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "198.51.100.7/24");
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "Partner");
    key(&mut state, KeyCode::Enter);
    let text = screen(&state, 80, 24);
    assert!(text.contains("Enter again adds 198.51.100.0/24"), "{text}");
    insta::assert_snapshot!("internet_new_rule_offer_80x24", text);

    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::Char(' '));
    key(&mut state, KeyCode::Tab);
    insta::assert_snapshot!("internet_new_rule_managed_80x24", screen(&state, 80, 24));
}

#[test]
fn rule_confirmations() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "203.0.113");
    insta::assert_snapshot!("internet_delete_rule_80x24", screen(&state, 80, 24));

    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "0.0.0.0/0");
    key(&mut state, KeyCode::Enter);
    insta::assert_snapshot!("internet_allow_everything_80x24", screen(&state, 80, 24));
}
