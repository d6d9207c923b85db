//! Database features: `POST /api/databases/{db}/features` and `DELETE
//! /api/databases/{db}/features?feature=NAME`.
//!
//! A change is not instant on the platform. Here an enable answers `PENDING_TO_ACTIVATE` and a
//! disable turns the feature `PENDING_TO_REMOVE`; each settles after the configured delay
//! (`EmulatorConfig::feature_settle`, setting `feature_settle_ms`), lazily, at the next request
//! that reads or changes features: to `ACTIVATED` (or removed), or to `FAILED` when the setting
//! `fail_next_feature_change` was set as the change was asked (it is then cleared). With a zero
//! delay a change settles at once, and the enable answer says `ACTIVATED`. The setting
//! `legacy_pending_status` reports every pending status as the older `PENDING` (GS's name).
//!
//! Rules (422 `{"errors": {"name": [...]}}`): `publicly-available` needs `force-ssl` to be
//! `ACTIVATED`; `force-ssl` cannot be disabled while `publicly-available` is present in any
//! state; a feature being disabled cannot be enabled, nor one being enabled disabled, until it
//! settles. Enabling an enabled (or pending) feature answers 200 with its status; enabling a
//! `FAILED` one tries again. Disabling an absent feature: 404 `{"resource": "feature", ...}`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Value, json};

use super::db::{authorize, unprocessable};
use super::routes::{Reply, not_found, ok, parse_body};
use super::seed::SeedFeature;
use super::state::{Inner, Shared};

const SQL_FEATURES: [&str; 2] = ["force-ssl", "publicly-available"];
const REDIS_FEATURES: [&str; 3] = ["redis-rdb", "redis-aof", "redis-cache"];

const ACTIVATED: &str = "ACTIVATED";
const FAILED: &str = "FAILED";
const TO_ACTIVATE: &str = "PENDING_TO_ACTIVATE";
const TO_REMOVE: &str = "PENDING_TO_REMOVE";

/// The run-time side of features: the settle delay, the fault switch and the pending changes.
#[derive(Debug, Default)]
pub(crate) struct FeatureClock {
    pub settle: Duration,
    /// The next change asked for will settle as `FAILED`.
    pub fail_next: bool,
    /// Report pending statuses as `PENDING`.
    pub legacy_pending: bool,
    /// (addon id, feature name) → when it settles and whether it fails. A pending status with
    /// no entry here (a state file from an earlier run) settles at the next request.
    pending: HashMap<(String, String), Due>,
}

#[derive(Debug, Clone, Copy)]
struct Due {
    at: Instant,
    fail: bool,
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/api/databases/{db}/features", post(enable_feature).delete(disable_feature))
}

/// Settles every pending change that is due, and saves the state if anything changed.
pub(crate) fn settle(shared: &Shared, inner: &mut Inner) {
    let now = Instant::now();
    let clock = &mut inner.features;
    let mut changed = false;
    for app in &mut inner.data.apps {
        for addon in &mut app.addons {
            let Some(db) = addon.database.as_mut() else { continue };
            db.features.retain_mut(|f| {
                if !f.status.starts_with("PENDING") {
                    return true;
                }
                let key = (addon.id.clone(), f.name.clone());
                let due = clock.pending.get(&key).copied().unwrap_or(Due { at: now, fail: false });
                if due.at > now {
                    return true;
                }
                clock.pending.remove(&key);
                changed = true;
                let removing = f.status == TO_REMOVE;
                f.status = if due.fail { FAILED } else { ACTIVATED }.into();
                // A removal that succeeded takes the feature away.
                due.fail || !removing
            });
        }
    }
    if changed {
        shared.save(inner);
    }
}

/// Rewrites the `features` array of a database answer for the legacy status setting.
pub(crate) fn present(inner: &Inner, features: &mut Value) {
    if !inner.features.legacy_pending {
        return;
    }
    for feature in features.as_array_mut().into_iter().flatten() {
        if feature["status"].as_str().is_some_and(|s| s.starts_with("PENDING")) {
            feature["status"] = json!("PENDING");
        }
    }
}

fn shown(inner: &Inner, status: &str) -> String {
    if inner.features.legacy_pending && status.starts_with("PENDING") { "PENDING" } else { status }.to_owned()
}

/// Starts a change of `name` on `addon_id` towards `pending` (or, with no delay, settles it
/// now) and returns the status it has afterwards.
fn begin_change(inner: &mut Inner, addon_id: &str, name: &str, pending: &str) -> Option<String> {
    let fail = std::mem::take(&mut inner.features.fail_next);
    let settle = inner.features.settle;
    let db = inner.data.database_mut(addon_id).expect("authorized");
    let status = match (settle.is_zero(), fail) {
        (false, _) => pending,
        (true, true) => FAILED,
        (true, false) if pending == TO_REMOVE => {
            db.features.retain(|f| f.name != name);
            return None;
        }
        (true, false) => ACTIVATED,
    };
    match db.features.iter_mut().find(|f| f.name == name) {
        Some(f) => f.status = status.into(),
        None => db.features.push(SeedFeature { name: name.into(), status: status.into() }),
    }
    if !settle.is_zero() {
        let due = Due { at: Instant::now() + settle, fail };
        inner.features.pending.insert((addon_id.to_owned(), name.to_owned()), due);
    }
    Some(status.to_owned())
}

fn feature_error(message: &str) -> Response {
    unprocessable(BTreeMap::from([("name", vec![message.to_owned()])]))
}

async fn enable_feature(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(addon_id): Path<String>,
    body: Bytes,
) -> Reply {
    let mut inner = shared.lock();
    settle(&shared, &mut inner);
    let (_, _, db) = authorize(&inner, &headers, &addon_id)?;
    let body = parse_body(&body)?;
    let name = body.pointer("/feature/name").and_then(Value::as_str).unwrap_or("").to_owned();
    let supported = SQL_FEATURES.contains(&name.as_str())
        || (db.type_name == "redis" && REDIS_FEATURES.contains(&name.as_str()));
    if name.is_empty() {
        return Err(feature_error("can't be blank"));
    }
    if !supported {
        return Err(feature_error(&format!("{name} is not supported by this database")));
    }
    let status = |n: &str| db.features.iter().find(|f| f.name == n).map(|f| f.status.as_str());
    match status(&name) {
        Some(TO_REMOVE) => return Err(feature_error(&format!("{name} is being disabled: wait until it is"))),
        Some(current) if current != FAILED => {
            let message = if current == ACTIVATED {
                format!("Feature {name} is already enabled")
            } else {
                format!("Feature {name} is being enabled")
            };
            return Ok(ok(json!({"name": name, "status": shown(&inner, current), "message": message})));
        }
        _ => {}
    }
    if name == "publicly-available" && status("force-ssl") != Some(ACTIVATED) {
        return Err(feature_error("publicly-available requires force-ssl to be enabled first"));
    }
    let status = begin_change(&mut inner, &addon_id, &name, TO_ACTIVATE).unwrap_or_default();
    shared.save(&inner);
    let message = match status.as_str() {
        ACTIVATED => format!("Feature {name} has been enabled"),
        FAILED => format!("Feature {name} could not be enabled, contact the support"),
        _ => format!("Feature {name} is being enabled"),
    };
    Ok(ok(json!({"name": name, "status": shown(&inner, &status), "message": message})))
}

async fn disable_feature(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(addon_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let mut inner = shared.lock();
    settle(&shared, &mut inner);
    let (_, _, db) = authorize(&inner, &headers, &addon_id)?;
    let name = query.get("feature").cloned().unwrap_or_default();
    if name.is_empty() {
        return Err(feature_error("can't be blank"));
    }
    let Some(current) = db.features.iter().find(|f| f.name == name).map(|f| f.status.clone()) else {
        return Err(not_found("feature"));
    };
    if name == "force-ssl" && db.features.iter().any(|f| f.name == "publicly-available") {
        return Err(feature_error("disable publicly-available before force-ssl"));
    }
    match current.as_str() {
        TO_REMOVE => return Ok(ok(json!({"message": format!("Feature {name} is being disabled")}))),
        TO_ACTIVATE => return Err(feature_error(&format!("{name} is being enabled: wait until it is"))),
        _ => {}
    }
    let message = match begin_change(&mut inner, &addon_id, &name, TO_REMOVE).as_deref() {
        None => format!("Feature {name} has been disabled"),
        Some(FAILED) => format!("Feature {name} could not be disabled, contact the support"),
        Some(_) => format!("Feature {name} is being disabled"),
    };
    shared.save(&inner);
    Ok(ok(json!({"message": message})))
}

/// The settings keys of features, for `GET`/`POST /_emulator/settings`.
pub(crate) fn settings(inner: &Inner) -> serde_json::Map<String, Value> {
    let clock = &inner.features;
    let mut map = serde_json::Map::new();
    map.insert("feature_settle_ms".into(), json!(clock.settle.as_millis() as u64));
    map.insert("fail_next_feature_change".into(), json!(clock.fail_next));
    map.insert("legacy_pending_status".into(), json!(clock.legacy_pending));
    map
}

/// Reads the feature keys of a settings body, all checked before any is applied.
pub(crate) fn apply_settings(inner: &mut Inner, body: &Value) -> Result<(), String> {
    let settle = match body.get("feature_settle_ms") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or("feature_settle_ms must be a non-negative integer")?),
    };
    let flag = |name: &str| match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_bool().map(Some).ok_or(format!("{name} must be a boolean")),
    };
    let (fail, legacy) = (flag("fail_next_feature_change")?, flag("legacy_pending_status")?);
    let clock = &mut inner.features;
    if let Some(ms) = settle {
        clock.settle = Duration::from_millis(ms);
    }
    if let Some(fail) = fail {
        clock.fail_next = fail;
    }
    if let Some(legacy) = legacy {
        clock.legacy_pending = legacy;
    }
    Ok(())
}
