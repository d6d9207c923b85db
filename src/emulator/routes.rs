//! The router, the shared response helpers, and the auth and main API handlers (token exchange,
//! user, regions, apps, addons, addon tokens). The DB API lives in `db.rs`.

use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::auth::{basic_api_token, require_user};
use super::db;
use super::faults::{control_routes, front};
use super::seed::{SeedAddon, SeedApp, SeedUser};
use super::state::{Grant, Inner, Shared};

/// The region the unprefixed main and database API routes serve.
pub(crate) const DEFAULT_REGION: &str = "osc-fr1";
/// The restricted region: listed only to an authenticated caller, served under `/osc-secnum-fr1`.
pub(crate) const RESTRICTED_REGION: &str = "osc-secnum-fr1";

/// Which region's main API a request reached: each sees only its own apps. The database API
/// routes are the same under both (addon ids are unique; the token was minted by the right
/// region).
#[derive(Debug, Clone)]
pub(crate) struct Region(pub &'static str);

/// The main and database API routes of one region.
fn regional(region: &'static str) -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/apps", get(list_apps))
        .route("/v1/apps/{app}", get(show_app))
        .route("/v1/apps/{app}/addons", get(list_addons))
        .route("/v1/apps/{app}/addons/{addon}", get(show_addon))
        .route("/v1/apps/{app}/addons/{addon}/token", post(addon_token))
        .merge(db::routes())
        .merge(super::variables::routes())
        .merge(super::features::routes())
        .merge(super::firewall::routes())
        .layer(axum::Extension(Region(region)))
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/v1/tokens/exchange", post(exchange))
        .route("/v1/users/self", get(users_self))
        .route("/v1/regions", get(regions))
        .merge(regional(DEFAULT_REGION))
        .nest(&format!("/{RESTRICTED_REGION}"), regional(RESTRICTED_REGION))
        .merge(control_routes())
        .fallback(|| async { error(StatusCode::NOT_FOUND, "not found") })
        .method_not_allowed_fallback(|| async { error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed") })
        .layer(axum::middleware::from_fn_with_state(shared.clone(), front))
        .with_state(shared)
}

/// What a handler returns: `Err` carries a ready error response, so `?` can end the handler.
pub(crate) type Reply = Result<Response, Response>;

/// `{"error": message}` with `status`.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

/// The platform's not-found body: `{"resource": "app", "error": "not found"}`.
pub(crate) fn not_found(resource: &str) -> Response {
    (StatusCode::NOT_FOUND, axum::Json(json!({"resource": resource, "error": "not found"}))).into_response()
}

pub(crate) fn ok(value: Value) -> Response {
    (StatusCode::OK, axum::Json(value)).into_response()
}

/// The JSON body; an empty body counts as `{}`. Malformed JSON → `400 {"error": ...}`.
pub(crate) fn parse_body(body: &Bytes) -> Result<Value, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body)
        .map_err(|e| error(StatusCode::BAD_REQUEST, &format!("invalid JSON body: {e}")))
}

fn user_json(user: &SeedUser) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "fullname": user.fullname,
        "email": user.email,
        "flags": user.flags,
    })
}

fn app_json(app: &SeedApp, owner: &SeedUser) -> Value {
    json!({
        "id": app.id,
        "name": app.name,
        "region": app.region,
        "status": app.status,
        "created_at": app.created_at,
        "updated_at": app.created_at,
        "owner": {"id": owner.id, "username": owner.username, "email": owner.email},
        "project": app.project.as_ref().map(|p| json!({"id": p.id, "name": p.name})),
        "flags": app.flags,
        "hds_resource": false,
        "data_access_consent": null,
        "url": format!("https://{}.{}.scalingo.io", app.name, app.region),
        "git_url": format!("git@ssh.{}.scalingo.com:{}.git", app.region, app.name),
        "force_https": false,
        "sticky_session": false,
        "router_logs": false,
        "last_deployed_at": null,
    })
}

pub(crate) fn addon_json(app: &SeedApp, addon: &SeedAddon) -> Value {
    let plan = &addon.plan;
    json!({
        "id": addon.id,
        "app_id": app.id,
        "resource_id": addon.resource_id,
        "status": addon.status,
        "provisioned_at": addon.provisioned_at,
        "deprovisioned_at": null,
        "updated_at": addon.updated_at,
        "plan": {
            "id": plan.id,
            "name": plan.name,
            "display_name": plan.display_name,
            "description": plan.description,
            "position": plan.position,
            "price": plan.price,
            "on_demand": false,
            "disabled": false,
            "disabled_alternative_plan_id": null,
            "sku": plan.sku,
            "hds_available": plan.hds_available,
            "to_be_discontinued": false,
            "trial_available": false,
        },
        "addon_provider": {
            "id": addon.addon_provider.id,
            "name": addon.addon_provider.name,
            "logo_url": addon.addon_provider.logo_url,
        },
    })
}

async fn exchange(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Reply {
    parse_body(&body)?;
    let mut inner = shared.lock();
    let accepted = basic_api_token(&headers).filter(|t| inner.data.api_tokens.contains(t));
    if accepted.is_none() {
        return Err(error(StatusCode::UNAUTHORIZED, "invalid API token"));
    }
    let user_id = inner.data.user.id.clone();
    let token = inner.issue(Grant::User { user_id });
    Ok(ok(json!({"token": token})))
}

async fn users_self(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Reply {
    let inner = shared.lock();
    require_user(&inner, &headers)?;
    Ok(ok(json!({"user": user_json(&inner.data.user)})))
}

/// `GET /v1/regions`. The `api` and `database_api` of every region point back at this emulator:
/// the default region at its root, the restricted one under `/osc-secnum-fr1`. Without
/// authentication the restricted region is hidden, as on the platform.
async fn regions(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Reply {
    let authenticated = headers.contains_key(header::AUTHORIZATION);
    if authenticated {
        require_user(&shared.lock(), &headers)?;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let region = |name: &str, display: &str, default: bool| {
        let base =
            if name == DEFAULT_REGION { format!("http://{host}") } else { format!("http://{host}/{name}") };
        json!({
            "name": name,
            "display_name": display,
            "api": base,
            "database_api": base,
            "dashboard": format!("https://dashboard.scalingo.com?region={name}"),
            "ssh": format!("ssh.{name}.scalingo.com:22"),
            "default": default,
        })
    };
    let mut list = vec![region(DEFAULT_REGION, "Paris - Outscale", true)];
    if authenticated {
        list.push(region(RESTRICTED_REGION, "Paris - SecNumCloud - Outscale", false));
    }
    Ok(ok(json!({"regions": list})))
}

async fn list_apps(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
) -> Reply {
    let inner = shared.lock();
    require_user(&inner, &headers)?;
    let data = &inner.data;
    let apps: Vec<Value> =
        data.apps.iter().filter(|a| a.region == region).map(|a| app_json(a, &data.user)).collect();
    Ok(ok(json!({"apps": apps})))
}

/// The app `key` of `region`, for a request carrying the user's JWT; else the 401 or the 404.
pub(crate) fn user_app<'a>(
    inner: &'a Inner,
    headers: &HeaderMap,
    region: &str,
    key: &str,
) -> Result<&'a SeedApp, Response> {
    require_user(inner, headers)?;
    inner.data.app_in(region, key).ok_or_else(|| not_found("app"))
}

async fn show_app(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
    Path(app): Path<String>,
) -> Reply {
    let inner = shared.lock();
    let app = user_app(&inner, &headers, region, &app)?;
    Ok(ok(json!({"app": app_json(app, &inner.data.user)})))
}

async fn list_addons(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
    Path(app): Path<String>,
) -> Reply {
    let inner = shared.lock();
    let app = user_app(&inner, &headers, region, &app)?;
    let addons: Vec<Value> = app.addons.iter().map(|a| addon_json(app, a)).collect();
    Ok(ok(json!({"addons": addons})))
}

async fn show_addon(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
    Path((app, addon)): Path<(String, String)>,
) -> Reply {
    let inner = shared.lock();
    let app = user_app(&inner, &headers, region, &app)?;
    let addon = app.addons.iter().find(|a| a.id == addon).ok_or_else(|| not_found("addon"))?;
    Ok(ok(json!({"addon": addon_json(app, addon)})))
}

/// `POST …/addons/{id}/token`: a token for the DB API of this addon only, valid for the
/// configured lifetime.
async fn addon_token(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
    Path((app, addon)): Path<(String, String)>,
    body: Bytes,
) -> Reply {
    parse_body(&body)?;
    let mut inner = shared.lock();
    let app = user_app(&inner, &headers, region, &app)?;
    let addon = app.addons.iter().find(|a| a.id == addon).ok_or_else(|| not_found("addon"))?;
    let mut value = addon_json(app, addon);
    let addon_id = addon.id.clone();
    let token = inner.issue(Grant::Addon { addon_id });
    value["token"] = json!(token);
    Ok(ok(json!({"addon": value})))
}
