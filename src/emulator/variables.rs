//! `GET /v1/apps/{app}/variables` (user JWT): the app's environment, as `{"variables": [{"id",
//! "name", "value"}]}`. The demo seed gives `shop-prod` a `SCALINGO_POSTGRESQL_URL` that points at
//! a closed loopback port (127.0.0.1:1), so the demo's Extensions tab shows what happens when the
//! database cannot be reached, without sending a packet off this machine.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::{Value, json};

use super::routes::{Region, Reply, ok, user_app};
use super::state::Shared;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/v1/apps/{app}/variables", get(list_variables))
}

async fn list_variables(
    State(shared): State<Arc<Shared>>,
    Extension(Region(region)): Extension<Region>,
    headers: HeaderMap,
    Path(app): Path<String>,
) -> Reply {
    let inner = shared.lock();
    let app = user_app(&inner, &headers, region, &app)?;
    let variables: Vec<Value> = app
        .variables
        .iter()
        .enumerate()
        .map(|(i, v)| json!({"id": format!("var-{}-{i}", app.id), "name": v.name, "value": v.value}))
        .collect();
    Ok(ok(json!({"variables": variables})))
}
