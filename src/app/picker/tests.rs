//! Pure transition tests of the picker: progressive loading with bounded concurrency, the
//! filter, recent databases first, one region failing without hiding the others, opening and
//! switching (`o`), and answers for a database that was left being dropped.

use crossterm::event::KeyCode;

use super::*;
use crate::api::{Addon, AddonProvider, ApiError, App, Database, Plan};
use crate::app::fixtures::{key, opened, typed};
use crate::app::state::{Screen, Session, Start};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Msg, RequestId, update};

pub fn app(name: &str) -> App {
    App { name: name.into(), status: "running".into(), ..App::default() }
}

pub fn addon(id: &str, provider: &str, plan: &str) -> Addon {
    Addon {
        id: id.into(),
        status: "running".into(),
        plan: Some(Plan { name: plan.into(), ..Plan::default() }),
        addon_provider: Some(AddonProvider { id: provider.into(), name: provider.into() }),
        ..Addon::default()
    }
}

pub(super) fn http(status: u16) -> ApiError {
    ApiError::Http { status, message: "unavailable".into(), fields: vec![], request_id: Some("rid-9".into()) }
}

/// The picker's effects, unwrapped.
pub(super) fn picker_effects(effects: Vec<Effect>) -> Vec<PickerEffect> {
    effects
        .into_iter()
        .map(|e| match e {
            Effect::Picker(p) => p,
            other => panic!("a picker effect: {other:?}"),
        })
        .collect()
}

pub(super) fn msg(state: &mut State, msg: PickerMsg) -> Vec<PickerEffect> {
    picker_effects(update(state, Msg::Picker(msg)))
}

/// A state on the picker with the regions loaded: returns each region's (apps, dedicated) ids.
pub fn with_regions(recents: Vec<Recent>, regions: &[&str]) -> (State, Vec<(RequestId, RequestId)>) {
    let mut state = State::new(Session::default());
    state.recents = recents;
    let effects = picker_effects(crate::app::start(&mut state));
    assert!(matches!(state.screen, Screen::Picker));
    let [PickerEffect::LoadRegions { id }] = effects.as_slice() else { panic!("{effects:?}") };
    let names = regions.iter().map(|r| r.to_string()).collect();
    let effects = msg(&mut state, PickerMsg::Regions { id: *id, result: Ok(names) });
    let ids = effects
        .chunks(2)
        .zip(regions)
        .map(|(pair, region)| match pair {
            [
                PickerEffect::ListApps { id: a, region: r1 },
                PickerEffect::ListDedicated { id: d, region: r2 },
            ] => {
                assert_eq!((r1.as_str(), r2.as_str()), (*region, *region));
                (*a, *d)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    (state, ids)
}

/// The addon listings asked for: (id, region, app). The list kept at the end is no listing.
pub(super) fn listings(effects: &[PickerEffect]) -> Vec<(RequestId, String, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            PickerEffect::ListAddons { id, region, app } => Some((*id, region.clone(), app.clone())),
            PickerEffect::SaveCache(_) => None,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn names(state: &State) -> Vec<String> {
    state.picker.visible().iter().map(|r| format!("{} {}", r.app, r.engine.label())).collect()
}

#[test]
fn rows_arrive_progressively_with_at_most_four_listings_in_flight() {
    let (mut state, ids) = with_regions(vec![], &["osc-fr1"]);
    let (apps, dedicated) = ids[0];
    let ten: Vec<App> = (0..10).map(|i| app(&format!("app-{i:02}"))).collect();
    let effects = msg(&mut state, PickerMsg::Apps { id: apps, region: "osc-fr1".into(), result: Ok(ten) });
    let mut waiting = listings(&effects);
    assert_eq!(waiting.len(), MAX_LISTINGS, "bounded concurrency");
    assert!(state.picker.loading());
    msg(&mut state, PickerMsg::Dedicated { id: dedicated, region: "osc-fr1".into(), result: Ok(vec![]) });

    // Each answer shows its rows at once and starts the next listing.
    let mut answered = 0;
    while let Some((id, region, name)) = waiting.pop() {
        let addons = if name == "app-03" {
            vec![addon("ad-r", "redis", "redis-starter-256")] // not a database dbdeck manages
        } else {
            vec![addon(&format!("ad-{name}"), "postgresql", "postgresql-starter-512")]
        };
        let next = msg(&mut state, PickerMsg::Addons { id, region, app: name, result: Ok(addons) });
        answered += 1;
        assert!(state.picker.listing <= MAX_LISTINGS);
        assert_eq!(state.picker.apps_read, answered);
        waiting.extend(listings(&next));
        let expected_rows = answered - usize::from(state.picker.rows.len() < answered);
        assert_eq!(state.picker.rows.len(), expected_rows, "rows appear as answers come");
    }
    assert_eq!(answered, 10);
    assert_eq!(state.picker.rows.len(), 9, "the Redis-only app is skipped");
    assert!(!state.picker.loading());
    assert_eq!(state.in_flight, 0);
    assert_eq!(names(&state)[0], "app-00 PostgreSQL", "sorted by name");
}

#[test]
fn the_filter_narrows_by_name_engine_plan_or_region() {
    let mut state = loaded(vec![]);
    assert_eq!(names(&state).len(), 5);
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "mysql");
    assert_eq!(names(&state), ["shop-prod MySQL"]);
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Esc);
    assert_eq!(names(&state).len(), 5, "Esc clears the filter");
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "secnum");
    assert_eq!(names(&state), ["billing-secure PostgreSQL"]);
}

#[test]
fn recently_opened_databases_come_first() {
    let recents = vec![
        Recent { region: "osc-fr1".into(), app: "shop-prod".into(), addon: "ad-my".into() },
        Recent { region: "osc-secnum-fr1".into(), app: "billing-secure".into(), addon: "ad-bill".into() },
    ];
    let state = loaded(recents);
    assert_eq!(
        names(&state),
        [
            "shop-prod MySQL",
            "billing-secure PostgreSQL",
            "analytics-etl PostgreSQL",
            "orders-db PostgreSQL",
            "shop-prod PostgreSQL"
        ]
    );
}

#[test]
fn a_failing_region_does_not_hide_the_others() {
    let (mut state, ids) = with_regions(vec![], &["osc-fr1", "osc-secnum-fr1"]);
    let (fr_apps, fr_dedicated) = ids[0];
    let (sec_apps, sec_dedicated) = ids[1];
    let effects = msg(
        &mut state,
        PickerMsg::Apps { id: sec_apps, region: "osc-secnum-fr1".into(), result: Err(http(503)) },
    );
    assert!(effects.is_empty());
    msg(
        &mut state,
        PickerMsg::Dedicated { id: sec_dedicated, region: "osc-secnum-fr1".into(), result: Err(http(503)) },
    );
    let effects = msg(
        &mut state,
        PickerMsg::Apps { id: fr_apps, region: "osc-fr1".into(), result: Ok(vec![app("shop-prod")]) },
    );
    let [(id, region, name)] = listings(&effects).try_into().unwrap();
    let addons = vec![addon("ad-pg", "postgresql", "postgresql-starter-512")];
    msg(&mut state, PickerMsg::Addons { id, region, app: name, result: Ok(addons) });
    msg(&mut state, PickerMsg::Dedicated { id: fr_dedicated, region: "osc-fr1".into(), result: Ok(vec![]) });
    assert_eq!(names(&state), ["shop-prod PostgreSQL"]);
    let problems = state.picker.problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("osc-secnum-fr1: apps: HTTP 503") && problems[0].contains("rid-9"));
    assert!(!state.picker.loading());
    assert_eq!(state.in_flight, 0);
}

#[test]
fn a_dedicated_database_from_both_lists_is_one_row() {
    let (mut state, ids) = with_regions(vec![], &["osc-fr1"]);
    let (apps, dedicated) = ids[0];
    // The dedicated list first: a row known by name, its addon looked up when opened.
    let dr = crate::api::DedicatedDatabase {
        name: "orders-db".into(),
        technology: "postgresql-ng".into(),
        plan: "postgresql-dr-starter-4096".into(),
        ..Default::default()
    };
    msg(&mut state, PickerMsg::Dedicated { id: dedicated, region: "osc-fr1".into(), result: Ok(vec![dr]) });
    assert_eq!(names(&state), ["orders-db PostgreSQL"]);
    assert!(state.picker.rows[0].addon.is_none() && state.picker.rows[0].dedicated);
    // Then the app's own addon: the same database, now with its addon.
    let effects = msg(
        &mut state,
        PickerMsg::Apps { id: apps, region: "osc-fr1".into(), result: Ok(vec![app("orders-db")]) },
    );
    let [(id, region, name)] = listings(&effects).try_into().unwrap();
    let addons = vec![addon("ad-dr", "postgresql-ng", "postgresql-dr-starter-4096")];
    msg(&mut state, PickerMsg::Addons { id, region, app: name, result: Ok(addons) });
    assert_eq!(names(&state), ["orders-db PostgreSQL"]);
    let row = &state.picker.rows[0];
    assert!(row.dedicated && row.addon.as_ref().is_some_and(|a| a.id == "ad-dr"));
}

#[test]
fn stale_answers_of_an_earlier_listing_are_dropped() {
    let (mut state, ids) = with_regions(vec![], &["osc-fr1"]);
    let (apps, _) = ids[0];
    key(&mut state, KeyCode::Char('r'));
    let effects =
        msg(&mut state, PickerMsg::Apps { id: apps, region: "osc-fr1".into(), result: Ok(vec![app("x")]) });
    assert!(effects.is_empty());
    assert!(state.picker.queue.is_empty() && state.picker.rows.is_empty());
}

/// shop-prod's two databases, as the main API lists them.
pub fn shop_prod_addons() -> Vec<Addon> {
    vec![addon("ad-pg", "postgresql", "postgresql-starter-512"), addon("ad-my", "mysql", "mysql-starter-512")]
}

/// Every database of the demo: shop-prod (PostgreSQL and MySQL), orders-db (dedicated),
/// analytics-etl, and billing-secure in the restricted region; blog-staging holds only Redis.
pub fn loaded(recents: Vec<Recent>) -> State {
    let (mut state, ids) = with_regions(recents, &["osc-fr1", "osc-secnum-fr1"]);
    let apps: [(&str, Vec<&str>); 2] = [
        ("osc-fr1", vec!["shop-prod", "blog-staging", "orders-db", "analytics-etl"]),
        ("osc-secnum-fr1", vec!["billing-secure"]),
    ];
    let mut waiting = vec![];
    for ((region, list), (apps_id, dedicated_id)) in apps.into_iter().zip(ids) {
        let list = list.into_iter().map(app).collect();
        waiting.extend(listings(&msg(
            &mut state,
            PickerMsg::Apps { id: apps_id, region: region.into(), result: Ok(list) },
        )));
        msg(&mut state, PickerMsg::Dedicated { id: dedicated_id, region: region.into(), result: Ok(vec![]) });
    }
    while let Some((id, region, name)) = waiting.pop() {
        let addons = match name.as_str() {
            "shop-prod" => shop_prod_addons(),
            "blog-staging" => vec![addon("ad-redis", "redis", "redis-starter-256")],
            "orders-db" => vec![addon("ad-dr", "postgresql-ng", "postgresql-dr-starter-4096")],
            "analytics-etl" => vec![addon("ad-etl", "postgresql", "postgresql-business-1024")],
            _ => vec![addon("ad-bill", "postgresql", "postgresql-starter-1024")],
        };
        waiting.extend(listings(&msg(
            &mut state,
            PickerMsg::Addons { id, region, app: name, result: Ok(addons) },
        )));
    }
    assert_eq!(state.in_flight, 0);
    state
}

/// Selects the row `name` (as `names` shows it) with the arrow keys.
pub fn select_row(state: &mut State, name: &str) {
    key(state, KeyCode::Char('g'));
    while names(state).get(state.picker.list.selected).map(String::as_str) != Some(name) {
        let before = state.picker.list.selected;
        key(state, KeyCode::Down);
        assert_ne!(before, state.picker.list.selected, "{name} not found");
    }
}

fn database(type_name: &str) -> Database {
    Database { type_name: type_name.into(), status: "running".into(), ..Database::default() }
}

#[test]
fn enter_opens_then_o_switches_and_answers_for_the_left_database_are_dropped() {
    let mut state = loaded(vec![]);
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "shop");
    key(&mut state, KeyCode::Enter);
    select_row(&mut state, "shop-prod MySQL");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Connect { id, request }] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(matches!(state.screen, Screen::Dashboard(_)));
    assert_eq!(request.region.as_deref(), Some("osc-fr1"));
    assert!(matches!(&request.lookup, Lookup::Known(a) if a.id == "ad-my"), "no lookup: the addon is known");

    let effects = update(
        &mut state,
        Msg::Connected { id: *id, result: Ok(opened(addon("ad-my", "mysql", "p"), database("mysql"))) },
    );
    let [Effect::Users(UsersEffect::Load { id: users, target }), Effect::SaveRecents(recents)] =
        effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        recents[0],
        Recent { region: "osc-fr1".into(), app: "shop-prod".into(), addon: "ad-my".into() }
    );
    assert_eq!(
        (target.region.as_str(), target.app.as_str(), target.addon_id.as_str()),
        ("osc-fr1", "shop-prod", "ad-my")
    );
    let users = *users;

    // o: back to the picker, no new listing, the MySQL database now first; the dashboard is
    // reset and the users answer for the left database is dropped.
    let effects = key(&mut state, KeyCode::Char('o'));
    assert!(effects.is_empty(), "the list is not read again: {effects:?}");
    assert!(matches!(state.screen, Screen::Picker));
    assert!(state.dash().is_none() && state.modal.is_none(), "the dashboard is dropped");
    assert_eq!(names(&state)[0], "shop-prod MySQL");
    assert_eq!(names(&state).len(), 5, "the filter is cleared");
    assert_eq!(state.picker.list.selected, 0, "on the database just left");
    assert_eq!(state.in_flight, 1);
    update(
        &mut state,
        Msg::Users(UsersMsg::Loaded {
            id: users,
            result: Ok(vec![crate::app::fixtures::user("stale", false, false)]),
        }),
    );
    assert!(state.dash().is_none(), "a left database's answer is dropped");
    assert_eq!(state.in_flight, 0);

    // Another database: a dedicated one.
    select_row(&mut state, "orders-db PostgreSQL");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Connect { request, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(request.app, "orders-db");
    assert!(state.db().current.dedicated);
}

#[test]
fn app_alone_without_a_database_falls_back_to_the_picker_filtered_to_it() {
    let mut state = State::new(Session { start: Start::app("blog-staging", ""), ..Session::default() });
    let effects = crate::app::start(&mut state);
    let [Effect::Connect { id, request }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(request.region, None, "looked for in every region");
    assert_eq!(request.lookup, Lookup::Addon(String::new()));
    let refused = ApiError::Lookup("app 'blog-staging' has no PostgreSQL or MySQL addon".into());
    let effects = picker_effects(update(&mut state, Msg::Connected { id: *id, result: Err(refused) }));
    assert!(matches!(effects.as_slice(), [PickerEffect::LoadRegions { .. }]));
    assert!(matches!(state.screen, Screen::Picker));
    assert_eq!(state.picker.list.filter.value(), "blog-staging");
    let status = state.status.as_ref().unwrap();
    assert!(status.text.contains("has no PostgreSQL or MySQL addon"), "{status:?}");
}

#[test]
fn database_flag_opens_the_dedicated_view() {
    let mut state = State::new(Session { start: Start::Database("orders-db".into()), ..Session::default() });
    let effects = crate::app::start(&mut state);
    let [Effect::Connect { request, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!((request.app.as_str(), &request.lookup), ("orders-db", &Lookup::Database));
    assert!(crate::app::internet::is_dedicated(state.db()));
}
