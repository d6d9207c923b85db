//! Fault injection and observation: the `/_emulator/` control endpoints. They need no auth and
//! are meant for loopback only. They are never logged, never delayed and never faulted.
//!
//! # Faults
//! `POST /_emulator/faults` → `201 {"fault": {...}}`, with
//! ```json
//! {"method": "POST",                       // optional; absent or "*" matches any method
//!  "path": "/api/databases/ad-.../users",  // exact path (no query), or a prefix ending with "*"
//!  "times": 1,                             // optional, default 1: how many requests it hits
//!  "retry_after": 5,                       // optional: a Retry-After header (seconds) on "status"
//!  "action": {"kind": "status", "status": 500, "body": {...}}   // body optional
//!          | {"kind": "drop_before"}        // close the connection, request not handled
//!          | {"kind": "drop_after"}         // handle it (state changes), then close: no answer
//!          | {"kind": "delay", "ms": 3000}} // wait, then handle normally
//! ```
//! Faults are matched in the order they were added; the first one matching a request is used
//! once (its `times` decreases, and it is removed at zero). A `status` body that is a JSON
//! string is sent as `text/plain` (e.g. the documented 429 `Retry later`); without a body, 429
//! answers `Retry later` as text and other statuses `{"error": "<reason>"}` (500 uses the
//! documented `Internal error occured, we're on it!`). Dropped connections send no HTTP bytes at
//! all: the client sees a connection error, not a status.
//! `GET /_emulator/faults` → `{"faults": [...]}` (pending ones); `DELETE /_emulator/faults` → 204.
//!
//! # Request log
//! `GET /_emulator/requests` → `{"requests": [{"method", "path", "query", "status", "auth",
//! "fault"}]}`: every request except `/_emulator/*` ones, in arrival order. `query` is the raw
//! query string or null; `status` is null for a dropped connection; `auth` is `basic`, `user`,
//! `addon` (a known token, even expired), `invalid` (unknown bearer) or `none`; `fault` is the
//! kind of fault applied, or null. Bodies and tokens are never recorded. Only the last 10 000
//! requests are kept.
//! `DELETE /_emulator/requests` → 204.
//!
//! # Settings and tokens
//! `POST /_emulator/settings` `{"token_lifetime_secs": N, "latency_ms": N}` (each optional) →
//! `200 {"settings": {...}}` (also `GET`). The lifetime applies to tokens issued afterwards.
//! Feature changes take `"feature_settle_ms": N`, `"fail_next_feature_change": bool` and
//! `"legacy_pending_status": bool` (see `features.rs`); the main API's rate limit
//! `"rate_limit": {"requests": N, "per_ms": N} | null` (see `limit.rs`).
//! `POST /_emulator/expire_tokens` → `200 {"expired": N}`: every issued token is expired now.
//! `GET /_emulator/state` → the current data, in the seed format (no passwords are ever stored).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::auth;
use super::conn::ConnHandle;
use super::routes::{Reply, error, parse_body};
use super::state::{LogEntry, Shared, request_id};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Fault {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    #[serde(default = "one")]
    pub times: u32,
    pub action: FaultAction,
    #[serde(default)]
    pub retry_after: Option<u64>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum FaultAction {
    Status {
        status: u16,
        #[serde(default)]
        body: Option<Value>,
    },
    DropBefore,
    DropAfter,
    Delay {
        ms: u64,
    },
}

impl FaultAction {
    fn kind(&self) -> &'static str {
        match self {
            FaultAction::Status { .. } => "status",
            FaultAction::DropBefore => "drop_before",
            FaultAction::DropAfter => "drop_after",
            FaultAction::Delay { .. } => "delay",
        }
    }
}

impl Fault {
    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = match self.method.as_deref() {
            None | Some("*") => true,
            Some(m) => m.eq_ignore_ascii_case(method),
        };
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.path,
        };
        method_ok && path_ok
    }

    fn status_response(&self, status: StatusCode, body: &Option<Value>) -> Response {
        let mut response = match body {
            _ if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED => {
                status.into_response()
            }
            Some(Value::String(text)) => (status, text.clone()).into_response(),
            Some(value) => (status, axum::Json(value.clone())).into_response(),
            None if status == StatusCode::TOO_MANY_REQUESTS => (status, "Retry later").into_response(),
            None if status == StatusCode::INTERNAL_SERVER_ERROR => {
                error(status, "Internal error occured, we're on it!")
            }
            None => error(status, status.canonical_reason().unwrap_or("error")),
        };
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// The `/_emulator/` routes.
pub(crate) fn control_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/faults", post(add_fault).get(list_faults).delete(clear_faults))
        .route("/_emulator/requests", get(list_requests).delete(clear_requests))
        .route("/_emulator/settings", post(set_settings).get(get_settings))
        .route("/_emulator/expire_tokens", post(expire_tokens))
        .route("/_emulator/state", get(dump_state))
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Reply {
    let fault: Fault = serde_json::from_value(parse_body(&body)?)
        .map_err(|e| error(StatusCode::BAD_REQUEST, &format!("invalid fault: {e}")))?;
    if let FaultAction::Status { status, .. } = fault.action
        && StatusCode::from_u16(status).is_err()
    {
        return Err(error(StatusCode::BAD_REQUEST, "invalid fault: bad status"));
    }
    if fault.path.is_empty() || fault.times == 0 {
        return Err(error(StatusCode::BAD_REQUEST, "invalid fault: path must be set and times > 0"));
    }
    let echo = json!({"fault": fault});
    shared.lock().faults.push(fault);
    Ok((StatusCode::CREATED, axum::Json(echo)).into_response())
}

async fn list_faults(State(shared): State<Arc<Shared>>) -> Response {
    let faults = shared.lock().faults.clone();
    axum::Json(json!({"faults": faults})).into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn list_requests(State(shared): State<Arc<Shared>>) -> Response {
    let requests: Vec<Value> = shared.lock().log.iter().map(LogEntry::to_json).collect();
    axum::Json(json!({"requests": requests})).into_response()
}

async fn clear_requests(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().log.clear();
    StatusCode::NO_CONTENT
}

fn settings_json(shared: &Shared) -> Response {
    let inner = shared.lock();
    let mut settings = json!({
        "token_lifetime_secs": inner.token_lifetime.as_secs(),
        "latency_ms": inner.latency.as_millis() as u64,
    });
    let map = settings.as_object_mut().expect("an object");
    map.extend(super::features::settings(&inner));
    map.insert("rate_limit".into(), inner.limiter.settings());
    axum::Json(json!({"settings": settings})).into_response()
}

async fn get_settings(State(shared): State<Arc<Shared>>) -> Response {
    settings_json(&shared)
}

async fn set_settings(State(shared): State<Arc<Shared>>, body: Bytes) -> Reply {
    let value = parse_body(&body)?;
    let field = |name: &str| -> Result<Option<u64>, Response> {
        match value.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                error(StatusCode::BAD_REQUEST, &format!("{name} must be a non-negative integer"))
            }),
        }
    };
    let (lifetime, latency) = (field("token_lifetime_secs")?, field("latency_ms")?);
    {
        let mut inner = shared.lock();
        super::features::apply_settings(&mut inner, &value)
            .and_then(|()| inner.limiter.apply_settings(&value))
            .map_err(|message| error(StatusCode::BAD_REQUEST, &message))?;
        if let Some(secs) = lifetime {
            inner.token_lifetime = Duration::from_secs(secs);
        }
        if let Some(ms) = latency {
            inner.latency = Duration::from_millis(ms);
        }
    }
    Ok(settings_json(&shared))
}

async fn expire_tokens(State(shared): State<Arc<Shared>>) -> Response {
    let expired = shared.lock().expire_all();
    axum::Json(json!({"expired": expired})).into_response()
}

async fn dump_state(State(shared): State<Arc<Shared>>) -> Response {
    let data = shared.lock().data.clone();
    axum::Json(data).into_response()
}

/// The log keeps the most recent requests only, so a long-running emulator stays small.
const MAX_LOG: usize = 10_000;

fn is_control(path: &str) -> bool {
    path == "/_emulator" || path.starts_with("/_emulator/")
}

/// The outermost layer: request id, request log, latency, faults and the rate limit (a
/// request a fault hits is not counted).
pub(crate) async fn front(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let id = HeaderValue::from_str(&request_id()).expect("a request id is a valid header");
    let path = request.uri().path().to_owned();
    if is_control(&path) {
        let mut response = next.run(request).await;
        response.headers_mut().insert("x-request-id", id);
        return response;
    }
    let method = request.method().as_str().to_owned();
    let conn = request.extensions().get::<ConnectInfo<ConnHandle>>().map(|c| c.0.clone());

    let (seq, latency, fault, limited) = {
        let mut inner = shared.lock();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        let entry = LogEntry {
            seq,
            method: method.clone(),
            path: path.clone(),
            query: request.uri().query().map(str::to_owned),
            status: None,
            auth: auth::classify(&inner, request.headers()),
            fault: None,
        };
        if inner.log.len() >= MAX_LOG {
            inner.log.drain(..MAX_LOG / 10);
        }
        inner.log.push(entry);
        let fault = match inner.faults.iter().position(|f| f.matches(&method, &path)) {
            Some(i) => {
                let fault = inner.faults[i].clone();
                inner.faults[i].times -= 1;
                if inner.faults[i].times == 0 {
                    inner.faults.remove(i);
                }
                Some(fault)
            }
            None => None,
        };
        let limited = match fault {
            None => inner.limiter.admit(&path, request.headers(), std::time::Instant::now()).err(),
            Some(_) => None,
        };
        (seq, inner.latency, fault, limited)
    };

    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let (mut response, drop) = match &fault {
        None if let Some(refused) = limited => (refused, false),
        None => (next.run(request).await, false),
        Some(f) => match &f.action {
            FaultAction::Status { status, body } => {
                let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
                (f.status_response(status, body), false)
            }
            FaultAction::DropBefore => (Response::new(Body::empty()), true),
            FaultAction::DropAfter => (next.run(request).await, true),
            FaultAction::Delay { ms } => {
                tokio::time::sleep(Duration::from_millis(*ms)).await;
                (next.run(request).await, false)
            }
        },
    };

    let dropped = drop && conn.is_some();
    {
        let mut inner = shared.lock();
        if let Some(entry) = inner.log.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = (!dropped).then_some(response.status().as_u16());
            entry.fault = fault.as_ref().map(|f| f.action.kind());
        }
    }
    if drop {
        match conn {
            Some(conn) => conn.kill(),
            None => {
                tracing::error!("emulator: cannot drop a connection served without ConnHandle");
                response = error(StatusCode::BAD_GATEWAY, "connection drop unavailable");
            }
        }
    }
    response.headers_mut().insert("x-request-id", id);
    response
}
