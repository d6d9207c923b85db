//! Snapshots of the picker and the token screen at 80x24: loading, loaded with recent databases
//! first and a region that failed, filtered, its help, and the first screen without a token.

use crossterm::event::KeyCode;

use super::Theme;
use super::tests::{render_with, screen};
use crate::api::{ApiError, RequestStats};
use crate::app::fixtures::{key, typed};
use crate::app::picker::tests::{app, loaded, shop_prod_addons, with_regions};
use crate::app::picker::{PickerEffect, PickerMsg, Recent};
use crate::app::state::Session;
use crate::app::{Effect, Msg, State, update};

fn recents() -> Vec<Recent> {
    vec![Recent { region: "osc-fr1".into(), app: "shop-prod".into(), addon: "ad-my".into() }]
}

/// Answers the first addon listing `effects` ask for with shop-prod's two databases.
fn answer_first_listing(state: &mut State, effects: Vec<Effect>) {
    let Some(Effect::Picker(PickerEffect::ListAddons { id, region, app })) = effects.into_iter().next()
    else {
        panic!("an addon listing")
    };
    update(state, Msg::Picker(PickerMsg::Addons { id, region, app, result: Ok(shop_prod_addons()) }));
}

#[test]
fn picker_while_loading() {
    let mut state = State::new(Session { demo: true, ..Session::default() });
    crate::app::start(&mut state);
    insta::assert_snapshot!("picker_regions_80x24", screen(&state, 80, 24));

    let (mut state, ids) = with_regions(vec![], &["osc-fr1", "osc-secnum-fr1"]);
    let (apps, _) = ids[0];
    let list = ["shop-prod", "blog-staging", "orders-db", "analytics-etl", "cms", "jobs"].map(app).to_vec();
    let effects = update(
        &mut state,
        Msg::Picker(PickerMsg::Apps { id: apps, region: "osc-fr1".into(), result: Ok(list) }),
    );
    answer_first_listing(&mut state, effects);
    let text = screen(&state, 80, 24);
    assert!(text.contains("1 of 6 apps read") && text.contains("shop-prod"), "{text}");
    insta::assert_snapshot!("picker_loading_80x24", text);
}

#[test]
fn picker_loaded_recent_first_with_a_failed_region() {
    let mut state = loaded(recents());
    state.session.demo = true;
    // One more listing that fails: the problem shows under the list; the rows stay.
    let effects = update(&mut state, Msg::Key(crossterm::event::KeyEvent::from(KeyCode::Char('r'))));
    let [Effect::Picker(PickerEffect::LoadRegions { id })] = effects.as_slice() else { panic!() };
    let effects = update(
        &mut state,
        Msg::Picker(PickerMsg::Regions {
            id: *id,
            result: Ok(vec!["osc-fr1".into(), "osc-secnum-fr1".into()]),
        }),
    );
    let mut apps_ids = effects.iter().filter_map(|e| match e {
        Effect::Picker(PickerEffect::ListApps { id, region }) => Some((*id, region.clone())),
        _ => None,
    });
    let (fr, _) = apps_ids.next().unwrap();
    let (sec, _) = apps_ids.next().unwrap();
    let down = ApiError::Http {
        status: 503,
        message: "Service Unavailable".into(),
        fields: vec![],
        request_id: Some("b7e1".into()),
    };
    update(
        &mut state,
        Msg::Picker(PickerMsg::Apps { id: sec, region: "osc-secnum-fr1".into(), result: Err(down) }),
    );
    let effects = update(
        &mut state,
        Msg::Picker(PickerMsg::Apps { id: fr, region: "osc-fr1".into(), result: Ok(vec![app("shop-prod")]) }),
    );
    answer_first_listing(&mut state, effects);
    let text = screen(&state, 80, 24);
    assert!(text.contains("osc-secnum-fr1: apps: HTTP 503"), "{text}");
    insta::assert_snapshot!("picker_region_failed_80x24", text);

    let state = loaded(recents());
    let text = screen(&state, 80, 24);
    let first_row = text.lines().find(|l| l.contains("> ")).unwrap();
    assert!(
        first_row.contains("shop-prod") && first_row.contains("MySQL") && first_row.contains('*'),
        "{text}"
    );
    assert!(text.contains("orders-db") && text.contains("PostgreSQL DR"), "{text}");
    insta::assert_snapshot!("picker_loaded_80x24", text);
    insta::assert_snapshot!(
        "picker_loaded_80x24_no_color_ascii",
        render_with(&state, 80, 24, &Theme::new(true, false))
    );
}

#[test]
fn picker_filter_and_help() {
    let mut state = loaded(vec![]);
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "shop");
    insta::assert_snapshot!("picker_filter_80x24", screen(&state, 80, 24));
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Char('?'));
    update(&mut state, Msg::Stats(RequestStats { total: 9, token_exchanges: 1, addon_tokens: 0 }));
    let text = screen(&state, 80, 24);
    assert!(text.contains("Enter open") && text.contains("9 requests this run"), "{text}");
    assert!(!text.contains("Users tab"), "only the picker's keys: {text}");
    insta::assert_snapshot!("picker_help_80x24", text);
}

#[test]
fn token_screen_explains_and_masks() {
    let mut state = State::new(Session { ask_token: Some(None), ..Session::default() });
    assert!(crate::app::start(&mut state).is_empty());
    insta::assert_snapshot!("token_80x24", screen(&state, 80, 24));
    // Enter on an empty field says so; a typed token shows only mask characters.
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    typed(&mut state, "tk-us-secret");
    let text = screen(&state, 80, 24);
    assert!(!text.contains("secret") && text.contains("••••••••••••"), "{text}");
    insta::assert_snapshot!("token_typed_80x24", text);
}
