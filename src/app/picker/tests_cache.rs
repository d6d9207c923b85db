//! The list kept between runs: shown at once, confirmed or dropped by the listing that follows,
//! kept where the listing could not read, then saved for the next start.

use super::tests::{addon, app, http, listings, msg, picker_effects};
use super::*;
use crate::app::state::{Session, Start};

fn cached(region: &str, app: &str, addon: &str) -> CachedDatabase {
    CachedDatabase {
        region: region.into(),
        app: app.into(),
        addon: addon.into(),
        engine: "postgresql".into(),
        plan: "postgresql-starter-512".into(),
        status: "running".into(),
        dedicated: false,
    }
}

fn apps(state: &State) -> Vec<(String, bool)> {
    state.picker.rows.iter().map(|r| (r.app.clone(), r.cached)).collect()
}

#[test]
fn the_kept_list_shows_at_once_then_the_listing_confirms_drops_or_keeps_each_row() {
    let mut state = State::new(Session::default());
    let kept = [
        cached("osc-fr1", "shop", "ad-shop"),
        cached("osc-fr1", "deleted-since", "ad-old"),
        cached("osc-fr1", "flaky", "ad-flaky"),
    ];
    restore(&mut state, &kept);
    let effects = picker_effects(crate::app::start(&mut state));
    let [PickerEffect::LoadRegions { id }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(apps(&state).len(), 3, "on screen before any answer");
    assert!(state.picker.loading());

    let effects = msg(&mut state, PickerMsg::Regions { id: *id, result: Ok(vec!["osc-fr1".into()]) });
    let [PickerEffect::ListApps { id: apps_id, .. }, PickerEffect::ListDedicated { id: dedicated, .. }] =
        effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let region = || "osc-fr1".to_string();
    let read = vec![app("shop"), app("flaky"), app("new-app")];
    let effects = msg(&mut state, PickerMsg::Apps { id: *apps_id, region: region(), result: Ok(read) });
    msg(&mut state, PickerMsg::Dedicated { id: *dedicated, region: region(), result: Ok(vec![]) });
    let mut saved = None;
    for (id, region, name) in listings(&effects) {
        let result = match name.as_str() {
            "flaky" => Err(http(429)),
            other => Ok(vec![addon(&format!("ad-{other}"), "postgresql", "postgresql-starter-512")]),
        };
        for effect in msg(&mut state, PickerMsg::Addons { id, region, app: name, result }) {
            if let PickerEffect::SaveCache(list) = effect {
                saved = Some(list);
            }
        }
        if state.picker.loading() {
            assert!(apps(&state).contains(&("deleted-since".into(), true)), "kept while listing");
        }
    }
    assert!(!state.picker.loading());
    // Confirmed (no longer marked), new, dropped, and kept because its app could not be read.
    let mut rows = apps(&state);
    rows.sort();
    let expected = [("flaky", true), ("new-app", false), ("shop", false)];
    assert_eq!(rows, expected.map(|(a, c)| (a.to_string(), c)));
    let saved = saved.expect("the list is saved when the listing ends");
    let mut saved: Vec<&str> = saved.iter().map(|c| c.app.as_str()).collect();
    saved.sort();
    assert_eq!(saved, ["flaky", "new-app", "shop"]);
}

#[test]
fn pinned_to_a_region_only_its_rows_are_shown_and_a_failed_region_list_drops_nothing() {
    let session = Session { region: Some("osc-fr1".into()), ..Session::default() };
    let mut state = State::new(session);
    restore(&mut state, &[cached("osc-fr1", "shop", "ad-1"), cached("osc-secnum-fr1", "billing", "ad-2")]);
    assert_eq!(apps(&state), [("shop".to_string(), true)]);

    let effects = picker_effects(crate::app::start(&mut state));
    let [PickerEffect::LoadRegions { id }] = effects.as_slice() else { panic!("{effects:?}") };
    let effects = msg(&mut state, PickerMsg::Regions { id: *id, result: Err(http(503)) });
    assert!(effects.is_empty(), "nothing confirmed, nothing saved: {effects:?}");
    assert_eq!(apps(&state), [("shop".to_string(), true)]);
}

#[test]
fn a_cached_row_opens_by_its_addon_id() {
    let session = Session { start: Start::Picker, ..Session::default() };
    let mut state = State::new(session);
    restore(&mut state, &[cached("osc-fr1", "shop", "ad-1")]);
    crate::app::start(&mut state);
    let effects =
        crate::app::update(&mut state, crate::app::Msg::Key(crossterm::event::KeyCode::Enter.into()));
    let Some(Effect::Connect { request, .. }) = effects.first() else { panic!("{effects:?}") };
    assert_eq!(request.lookup, Lookup::Addon("ad-1".into()));
    assert_eq!(request.region.as_deref(), Some("osc-fr1"));
}
