//! Dedicated-resources (DR) databases: firewall rules, managed ranges and the main API's DR
//! database list. A DR database is an app flagged
//! `dedicated-database` holding one addon whose provider is `postgresql-ng`.
//!
//! - `GET /api/databases/{db}/firewall_rules` → `{"rules": [Rule]}`;
//!   `POST` (the rule bare, as GS and the CLI send it, or wrapped in `firewall_rule`, as the
//!   dashboard does) → 201 `{"rule": Rule}`; `DELETE …/firewall_rules/{id}` → 204;
//!   `PATCH …/firewall_rules/{id}` `{"firewall_rule": {"label": "..."}}` → 200 `{"rule": Rule}`,
//!   the label only (the dashboard's client is the only one that sends it).
//! - `GET /api/firewall/managed_ranges` → `{"ranges": [{"id", "name"}]}` (any database token).
//! - `GET /v1/databases` → `{"databases": [{id, name, project_id, technology, plan}]}` and
//!   `GET /v1/databases/{id-or-name}` → `{"database": {...}}`, 404 `{"error": "Database not
//!   found"}` (user JWT).
//!
//! Choices where the platform is undocumented: rules on a shared-resources database → 400
//! `{"error"}`; a CIDR must be canonical IPv4 (`203.0.113.7/24` is refused with the network it
//! meant: the server never guesses); the same CIDR or range twice, a label with a managed
//! range, an unknown range and the 31st rule are refused with 422 `{"errors": {field: [...]}}`
//! (`base` for the cap). A PATCH without its `firewall_rule` wrapper is a 400; one that names
//! another field, labels a managed range, or sends a label that is not a string or is longer
//! than 255 characters is a 422.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Extension, Router};
use serde_json::{Value, json};

use super::auth::{require_any_addon, require_user};
use super::db::{authorize, unprocessable};
use super::routes::{Region, Reply, error, not_found, ok, parse_body};
use super::seed::{SeedAddon, SeedApp, SeedDatabase, SeedFirewallRule};
use super::state::{Inner, Shared, request_id};
use crate::api::MAX_FIREWALL_RULES;
use crate::api::cidr::Ipv4Cidr;
use crate::journal::time::rfc3339;

/// The Scalingo-managed ranges (documentation: one per region).
const MANAGED_RANGES: [(&str, &str); 2] = [
    ("mr-scalingo-osc-fr1", "Scalingo osc-fr1 region"),
    ("mr-scalingo-osc-secnum-fr1", "Scalingo osc-secnum-fr1 region"),
];

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/databases/{db}/firewall_rules", get(list_rules).post(create_rule))
        .route("/api/databases/{db}/firewall_rules/{rule}", delete(delete_rule).patch(update_label))
        .route("/api/firewall/managed_ranges", get(managed_ranges))
        .route("/v1/databases", get(list_databases))
        .route("/v1/databases/{db}", get(show_database))
}

pub(crate) fn is_dedicated(app: &SeedApp, addon: &SeedAddon) -> bool {
    addon.addon_provider.id.eq_ignore_ascii_case("postgresql-ng")
        || app.flags.get("dedicated-database").copied().unwrap_or(false)
}

fn rule_json(db: &SeedDatabase, rule: &SeedFirewallRule) -> Value {
    json!({
        "id": rule.id,
        "type": rule.kind,
        "cidr": rule.cidr,
        "label": rule.label,
        "range_id": rule.range_id,
        "database_id": db.id,
        "created_at": rule.created_at,
        "updated_at": rule.created_at,
    })
}

/// Auth, then the database, which must be a dedicated one.
fn dedicated<'a>(
    inner: &'a Inner,
    headers: &HeaderMap,
    addon_id: &str,
) -> Result<&'a SeedDatabase, Response> {
    let (app, addon, db) = authorize(inner, headers, addon_id)?;
    if !is_dedicated(app, addon) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "firewall rules are only available for Dedicated Resources databases",
        ));
    }
    Ok(db)
}

async fn list_rules(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(addon_id): Path<String>,
) -> Reply {
    let inner = shared.lock();
    let db = dedicated(&inner, &headers, &addon_id)?;
    let rules: Vec<Value> = db.firewall_rules.iter().map(|r| rule_json(db, r)).collect();
    Ok(ok(json!({"rules": rules})))
}

/// Checks a create body against the rules of the module doc; the rule to store, or the 422.
fn new_rule(
    db: &SeedDatabase,
    body: &Value,
) -> Result<SeedFirewallRule, BTreeMap<&'static str, Vec<String>>> {
    let fields = body.get("firewall_rule").filter(|v| v.is_object()).unwrap_or(body);
    let text = |name: &str| fields.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
    let mut errors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut problem = |field: &'static str, message: String| errors.entry(field).or_default().push(message);
    let taken = |kind: &str, value: &str| {
        db.firewall_rules
            .iter()
            .any(|r| r.kind == kind && [&r.cidr, &r.range_id].contains(&&Some(value.into())))
    };
    let (mut cidr, mut range_id) = (None, None);
    match text("type") {
        Some("custom_range") => match text("cidr").map(Ipv4Cidr::parse_canonical) {
            None => problem("cidr", "can't be blank".into()),
            Some(Err(e)) => problem("cidr", format!("is invalid: {e}")),
            Some(Ok(c)) if taken("custom_range", &c.to_string()) => {
                problem("cidr", "has already been taken".into())
            }
            Some(Ok(c)) => cidr = Some(c.to_string()),
        },
        Some("managed_range") => {
            if text("label").is_some() {
                problem("label", "must be blank with a managed range".into());
            }
            if text("cidr").is_some() {
                problem("cidr", "must be blank with a managed range".into());
            }
            match text("range_id") {
                None => problem("range_id", "can't be blank".into()),
                Some(id) if !MANAGED_RANGES.iter().any(|(known, _)| *known == id) => {
                    problem("range_id", format!("{id} is not a managed range"))
                }
                Some(id) if taken("managed_range", id) => {
                    problem("range_id", "has already been taken".into())
                }
                Some(id) => range_id = Some(id.to_owned()),
            }
        }
        _ => problem("type", "must be custom_range or managed_range".into()),
    }
    if db.firewall_rules.len() >= MAX_FIREWALL_RULES {
        problem("base", format!("a database cannot have more than {MAX_FIREWALL_RULES} firewall rules"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SeedFirewallRule {
        id: request_id(),
        kind: if cidr.is_some() { "custom_range" } else { "managed_range" }.into(),
        label: cidr.as_ref().and_then(|_| text("label")).map(str::to_owned),
        cidr,
        range_id,
        created_at: rfc3339(SystemTime::now()),
    })
}

async fn create_rule(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(addon_id): Path<String>,
    body: Bytes,
) -> Reply {
    let mut inner = shared.lock();
    let db = dedicated(&inner, &headers, &addon_id)?;
    let body = parse_body(&body)?;
    let rule = new_rule(db, &body).map_err(unprocessable)?;
    let value = rule_json(db, &rule);
    inner.data.database_mut(&addon_id).expect("authorized").firewall_rules.push(rule);
    shared.save(&inner);
    Ok((StatusCode::CREATED, axum::Json(json!({"rule": value}))).into_response())
}

async fn delete_rule(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((addon_id, rule_id)): Path<(String, String)>,
) -> Reply {
    let mut inner = shared.lock();
    let db = dedicated(&inner, &headers, &addon_id)?;
    if !db.firewall_rules.iter().any(|r| r.id == rule_id) {
        return Err(not_found("firewall_rule"));
    }
    inner.data.database_mut(&addon_id).expect("authorized").firewall_rules.retain(|r| r.id != rule_id);
    shared.save(&inner);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Longest label the emulator keeps (the platform's limit is undocumented).
const MAX_LABEL: usize = 255;

/// Checks a label PATCH against `rule`: the new label (`None`: cleared), or the 422.
fn new_label(
    rule: &SeedFirewallRule,
    fields: &serde_json::Map<String, Value>,
) -> Result<Option<String>, BTreeMap<&'static str, Vec<String>>> {
    let mut errors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for name in ["type", "cidr", "range_id", "database_id", "id"] {
        if fields.contains_key(name) {
            errors.entry("base").or_default().push(format!("{name} cannot be changed: only label can"));
        }
    }
    let label = match fields.get("label") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()).filter(|t| !t.is_empty()),
        Some(_) => {
            errors.entry("label").or_default().push("must be a string".into());
            None
        }
    };
    if rule.kind == "managed_range" && label.is_some() {
        errors.entry("label").or_default().push("must be blank with a managed range".into());
    }
    if label.as_ref().is_some_and(|l| l.chars().count() > MAX_LABEL) {
        errors.entry("label").or_default().push(format!("is too long (maximum is {MAX_LABEL} characters)"));
    }
    if errors.is_empty() { Ok(label) } else { Err(errors) }
}

async fn update_label(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((addon_id, rule_id)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let mut inner = shared.lock();
    let db = dedicated(&inner, &headers, &addon_id)?;
    let body = parse_body(&body)?;
    let Some(fields) = body.get("firewall_rule").and_then(Value::as_object) else {
        return Err(error(StatusCode::BAD_REQUEST, "param is missing or the value is empty: firewall_rule"));
    };
    let rule =
        db.firewall_rules.iter().find(|r| r.id == rule_id).ok_or_else(|| not_found("firewall_rule"))?;
    let label = new_label(rule, fields).map_err(unprocessable)?;
    let db = inner.data.database_mut(&addon_id).expect("authorized");
    let rule = db.firewall_rules.iter_mut().find(|r| r.id == rule_id).expect("found above");
    rule.label = label;
    let rule = rule.clone();
    let value = rule_json(db, &rule);
    shared.save(&inner);
    Ok(ok(json!({"rule": value})))
}

async fn managed_ranges(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Reply {
    require_any_addon(&shared.lock(), &headers)?;
    let ranges: Vec<Value> =
        MANAGED_RANGES.iter().map(|(id, name)| json!({"id": id, "name": name})).collect();
    Ok(ok(json!({"ranges": ranges})))
}

fn dr_database_json(app: &SeedApp, addon: &SeedAddon) -> Value {
    json!({
        "id": app.id,
        "name": app.name,
        "project_id": app.project.as_ref().map(|p| p.id.clone()),
        "technology": addon.addon_provider.id,
        "plan": addon.plan.name,
    })
}

/// The dedicated databases of `region`: apps holding exactly one dedicated addon.
fn dr_databases<'a>(inner: &'a Inner, region: &'a str) -> impl Iterator<Item = (&'a SeedApp, &'a SeedAddon)> {
    inner.data.apps.iter().filter(move |app| app.region == region).filter_map(|app| {
        match app.addons.as_slice() {
            [addon] if is_dedicated(app, addon) => Some((app, addon)),
            _ => None,
        }
    })
}

async fn list_databases(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
) -> Reply {
    let inner = shared.lock();
    require_user(&inner, &headers)?;
    let list: Vec<Value> =
        dr_databases(&inner, region).map(|(app, addon)| dr_database_json(app, addon)).collect();
    Ok(ok(json!({"databases": list})))
}

async fn show_database(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Reply {
    let inner = shared.lock();
    require_user(&inner, &headers)?;
    let (app, addon) = dr_databases(&inner, region)
        .find(|(app, _)| app.id == key || app.name == key)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Database not found"))?;
    Ok(ok(json!({"database": dr_database_json(app, addon)})))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(SystemTime::UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(rfc3339(leap), "2024-02-29T12:34:56.000Z");
    }
}
