//! The DB API under `/api`: database show, users (with the platform's name and password rules)
//! and action. Every route wants the addon token minted for the addon in the path; anything else
//! is a 401.
//!
//! Choices where the platform's behaviour is undocumented:
//! - A protected user cannot be deleted, reset or updated: `403 {"error": "...", "code":
//!   "protected_user"}` (checked after the 404 for an unknown user, before body validation).
//! - `password` is returned by create (generated or chosen) and by reset_password, never by
//!   PATCH, so a chosen password is echoed only at creation.
//! - Create with a password needs a matching `password_confirmation` (absent counts as a
//!   mismatch). An absent or empty password with an empty confirmation is generated.
//! - An existing name is refused case-insensitively (`name: ["has already been taken"]`); user
//!   lookups by path are exact.
//! - User routes on an engine other than PostgreSQL/MySQL: `400 {"error": ...}`.
//! - `action`: always 200, `{"ok": 1, "result": ...}` or `{"ok": 0, "error": ...}`. Known:
//!   `list-extensions`, `pg-list-queries` (PostgreSQL), `list-databases` (MySQL).
//! - Features (`features` route, status changes over time): see `features.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde_json::{Value, json};

use super::auth::require_addon;
use super::routes::{Reply, error, not_found, ok, parse_body};
use super::seed::{SeedAddon, SeedApp, SeedDatabase, SeedDbUser};
use super::state::{Inner, Shared, generate_password};
use crate::api::types::Engine;
use crate::api::validate::{password_problem, username_problem};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/databases/{db}", get(show_database))
        .route("/api/databases/{db}/users", get(list_users).post(create_user))
        .route("/api/databases/{db}/users/{name}", patch(update_user).delete(delete_user))
        .route("/api/databases/{db}/users/{name}/reset_password", post(reset_password))
        .route("/api/databases/{db}/action", post(action))
}

fn database_json(app: &SeedApp, addon: &SeedAddon, db: &SeedDatabase) -> Value {
    let (host, port) = match db.hostname.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().unwrap_or(0)),
        None => (db.hostname.as_str(), 0),
    };
    let features: Vec<Value> =
        db.features.iter().map(|f| json!({"name": f.name, "status": f.status})).collect();
    let mut value = json!({
        "id": db.id,
        "resource_id": addon.resource_id,
        "app_name": app.name,
        "created_at": db.created_at,
        "encryption_at_rest": db.encryption_at_rest,
        "plan": addon.plan.name,
        "status": db.status,
        "type_id": db.type_id,
        "type_name": db.type_name,
        "version_id": db.version_id,
        "readable_version": db.readable_version,
        "next_version_id": null,
        "hostname": db.hostname,
        "instances": [{
            "id": format!("{}-0", db.id),
            "hostname": host,
            "port": port,
            "status": "running",
            "type": "db-node",
            "features": [],
            "private_ip": "10.0.12.7",
        }],
        "features": features,
        "current_operation_id": null,
        "cluster": false,
        "periodic_backups_enabled": true,
        "periodic_backups_scheduled_at": [1],
        "maintenance_window": {"weekday_utc": 1, "starting_hour_utc": 2, "duration_in_hour": 8},
        "mongo_repl_set_name": "",
        "first_pitr_backup": null,
        "flags": [],
    });
    if db.engine() == Some(Engine::PostgreSql) {
        value["postgresql_config"] = json!({"timescaledb_enabled": false});
    }
    value
}

fn db_user_json(engine: Engine, user: &SeedDbUser, password: Option<&str>) -> Value {
    let mut value = json!({
        "name": user.name,
        "read_only": user.read_only,
        "protected": user.protected,
    });
    let attributes = match (&user.dbms_attributes, engine) {
        (Some(attributes), _) => Some(attributes.clone()),
        (None, Engine::PostgreSql) => Some(json!({"password_encryption": "SCRAM-SHA-256"})),
        (None, Engine::MySql) => None,
    };
    if let Some(attributes) = attributes {
        value["dbms_attributes"] = attributes;
    }
    if let Some(password) = password {
        value["password"] = json!(password);
    }
    value
}

/// Checks the addon token, then finds the database. Use the returned addon id with
/// `Seed::database_mut` for changes.
pub(crate) fn authorize<'a>(
    inner: &'a Inner,
    headers: &HeaderMap,
    addon_id: &str,
) -> Result<(&'a SeedApp, &'a SeedAddon, &'a SeedDatabase), Response> {
    require_addon(inner, headers, addon_id)?;
    let (app, addon) = inner.data.addon_by_id(addon_id).ok_or_else(|| not_found("database"))?;
    let db = addon.database.as_ref().ok_or_else(|| not_found("database"))?;
    Ok((app, addon, db))
}

fn user_engine(db: &SeedDatabase) -> Result<Engine, Response> {
    db.engine().ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            &format!("user management is not available for {} databases", db.type_name),
        )
    })
}

fn protected(name: &str, what: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        axum::Json(json!({
            "error": format!("user {name} is protected and cannot be {what}"),
            "code": "protected_user",
        })),
    )
        .into_response()
}

pub(crate) fn unprocessable(errors: BTreeMap<&str, Vec<String>>) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(json!({"errors": errors}))).into_response()
}

/// The `database_user` object of a request body (`{}` when absent or not an object).
fn database_user(body: &Value) -> serde_json::Map<String, Value> {
    body.get("database_user").and_then(Value::as_object).cloned().unwrap_or_default()
}

/// A string field: `Ok(None)` when absent or null, `Err` when of another type.
fn string_field<'a>(obj: &'a serde_json::Map<String, Value>, name: &str) -> Result<Option<&'a str>, ()> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}

/// Validates a chosen password and its confirmation into `errors`.
fn check_password(
    errors: &mut BTreeMap<&'static str, Vec<String>>,
    password: &str,
    confirmation: Option<&str>,
) {
    if let Some(problem) = password_problem(password) {
        errors.entry("password").or_default().push(problem);
    }
    if confirmation != Some(password) {
        errors.entry("password_confirmation").or_default().push("doesn't match password".into());
    }
}

/// Reads `password` and `password_confirmation`, recording type errors.
fn password_fields<'a>(
    errors: &mut BTreeMap<&'static str, Vec<String>>,
    obj: &'a serde_json::Map<String, Value>,
) -> (Option<&'a str>, Option<&'a str>) {
    let mut read = |name: &'static str| match string_field(obj, name) {
        Ok(value) => value,
        Err(()) => {
            errors.entry(name).or_default().push("must be a string".into());
            None
        }
    };
    (read("password"), read("password_confirmation"))
}

async fn show_database(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(db): Path<String>,
) -> Reply {
    let mut inner = shared.lock();
    super::features::settle(&shared, &mut inner);
    let (app, addon, db) = authorize(&inner, &headers, &db)?;
    let mut value = database_json(app, addon, db);
    super::features::present(&inner, &mut value["features"]);
    Ok(ok(json!({"database": value})))
}

async fn list_users(State(shared): State<Arc<Shared>>, headers: HeaderMap, Path(db): Path<String>) -> Reply {
    let inner = shared.lock();
    let (_, _, db) = authorize(&inner, &headers, &db)?;
    let engine = user_engine(db)?;
    let users: Vec<Value> = db.users.iter().map(|u| db_user_json(engine, u, None)).collect();
    Ok(ok(json!({"database-users": users})))
}

async fn create_user(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(addon_id): Path<String>,
    body: Bytes,
) -> Reply {
    let mut inner = shared.lock();
    let (_, _, db) = authorize(&inner, &headers, &addon_id)?;
    let engine = user_engine(db)?;
    let body = parse_body(&body)?;
    let obj = database_user(&body);
    let mut errors: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();

    let name = match string_field(&obj, "name") {
        Ok(name) => name.unwrap_or(""),
        Err(()) => {
            errors.entry("name").or_default().push("must be a string".into());
            ""
        }
    };
    if !errors.contains_key("name") {
        if let Some(problem) = username_problem(engine, name) {
            errors.entry("name").or_default().push(problem);
        } else if db.users.iter().any(|u| u.name.eq_ignore_ascii_case(name)) {
            errors.entry("name").or_default().push("has already been taken".into());
        }
    }
    let read_only = match obj.get("read_only") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.entry("read_only").or_default().push("must be a boolean".into());
            false
        }
    };
    let (password, confirmation) = password_fields(&mut errors, &obj);
    let password = match password.filter(|p| !p.is_empty()) {
        Some(password) => {
            check_password(&mut errors, password, confirmation);
            password.to_owned()
        }
        None => {
            if confirmation.is_some_and(|c| !c.is_empty()) {
                errors.entry("password_confirmation").or_default().push("doesn't match password".into());
            }
            generate_password()
        }
    };
    if !errors.is_empty() {
        return Err(unprocessable(errors));
    }

    let user = SeedDbUser {
        name: name.to_owned(),
        read_only,
        protected: false,
        dbms_attributes: (engine == Engine::PostgreSql)
            .then(|| json!({"password_encryption": "SCRAM-SHA-256"})),
    };
    let value = db_user_json(engine, &user, Some(&password));
    inner.data.database_mut(&addon_id).expect("authorize found it").users.push(user);
    shared.save(&inner);
    Ok((StatusCode::CREATED, axum::Json(json!({"database_user": value}))).into_response())
}

/// Common start of the per-user routes: auth, database, engine, user, not protected.
fn find_user<'a>(
    inner: &'a Inner,
    headers: &HeaderMap,
    addon_id: &str,
    name: &str,
    what: &str,
) -> Result<(Engine, &'a SeedDbUser), Response> {
    let (_, _, db) = authorize(inner, headers, addon_id)?;
    let engine = user_engine(db)?;
    let user = db.users.iter().find(|u| u.name == name).ok_or_else(|| not_found("database_user"))?;
    if user.protected {
        return Err(protected(name, what));
    }
    Ok((engine, user))
}

async fn update_user(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((addon_id, name)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let inner = shared.lock();
    let (engine, user) = find_user(&inner, &headers, &addon_id, &name, "updated")?;
    let body = parse_body(&body)?;
    let obj = database_user(&body);
    let mut errors = BTreeMap::new();
    let (password, confirmation) = password_fields(&mut errors, &obj);
    if !errors.contains_key("password") {
        check_password(&mut errors, password.unwrap_or(""), confirmation);
    }
    if !errors.is_empty() {
        return Err(unprocessable(errors));
    }
    // Passwords are not stored, so nothing changes in the saved state.
    Ok(ok(json!({"database_user": db_user_json(engine, user, None)})))
}

async fn reset_password(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((addon_id, name)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    let inner = shared.lock();
    let (engine, user) = find_user(&inner, &headers, &addon_id, &name, "reset")?;
    parse_body(&body)?;
    let password = generate_password();
    Ok(ok(json!({"database_user": db_user_json(engine, user, Some(&password))})))
}

async fn delete_user(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path((addon_id, name)): Path<(String, String)>,
) -> Reply {
    let mut inner = shared.lock();
    find_user(&inner, &headers, &addon_id, &name, "deleted")?;
    let db = inner.data.database_mut(&addon_id).expect("find_user found it");
    db.users.retain(|u| u.name != name);
    shared.save(&inner);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn action(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(addon_id): Path<String>,
    body: Bytes,
) -> Reply {
    let inner = shared.lock();
    let (_, addon, db) = authorize(&inner, &headers, &addon_id)?;
    let body = parse_body(&body)?;
    let Some(name) = body.get("action_name").and_then(Value::as_str) else {
        return Ok(ok(json!({"ok": 0, "error": "action_name is required"})));
    };
    Ok(match (db.engine(), name) {
        (Some(Engine::PostgreSql), "list-extensions") => {
            let result: Vec<Value> =
                db.extensions.iter().map(|e| json!({"name": e.name, "version": e.version})).collect();
            ok(json!({"ok": 1, "result": result}))
        }
        (Some(Engine::PostgreSql), "pg-list-queries") => ok(json!({"ok": 1, "result": []})),
        (Some(Engine::MySql), "list-databases") => {
            ok(json!({"ok": 1, "result": [{"name": addon.resource_id}]}))
        }
        _ => ok(json!({
            "ok": 0,
            "error": format!("action {name} is not available for {} databases", db.type_name),
        })),
    })
}
