//! A local HTTP server that behaves like Scalingo's auth, main and database APIs for everything
//! dbdeck uses, so `dbdeck --demo`, the tests and scripts run without an account. One listener
//! serves all three, so the three base URLs can all point at it:
//!
//! - auth: `POST /v1/tokens/exchange` (Basic, empty user, API token as password),
//!   `GET /v1/users/self`, `GET /v1/regions` (the restricted region only with a JWT);
//! - main API (user JWT): `GET /v1/apps`, `/v1/apps/{app}`, `/v1/apps/{app}/addons`,
//!   `/v1/apps/{app}/addons/{id}`, `POST /v1/apps/{app}/addons/{id}/token`,
//!   `GET /v1/apps/{app}/variables` (see `variables.rs`), `GET /v1/databases` (`firewall.rs`);
//! - DB API (that addon's token only): `/api/databases/{addon_id}` and its `users`,
//!   `users/{name}`, `users/{name}/reset_password`, `action` and `features` routes (see `db.rs`
//!   for the choices made where the platform is undocumented);
//! - control endpoints under `/_emulator/` for faults, the request log and settings (see
//!   `faults.rs`).
//!
//! Two regions: the apps of `osc-fr1` (the seed's default) at the root, those of
//! `osc-secnum-fr1` under `/osc-secnum-fr1` (the URLs `/v1/regions` gives for it). Each region's
//! main API knows only its own apps; the database API is the same under both.
//!
//! Every response carries a fresh `X-Request-Id`. Tokens are JWT-shaped
//! (`base64url(header).base64url(payload).base64url(random)`, payload with `kind`, `sub` and
//! `exp`) and checked by lookup in the table of issued tokens.

// Handlers return `Result<_, Response>` so `?` can carry a ready error response; the size of
// `Response` is irrelevant at this rate of requests.
#![allow(clippy::result_large_err)]

mod auth;
mod conn;
mod db;
mod faults;
mod features;
mod firewall;
mod limit;
mod routes;
mod seed;
mod state;
mod variables;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use limit::RateLimit;
pub use seed::SeedFirewallRule;
pub use seed::{
    Seed, SeedAddon, SeedApp, SeedDatabase, SeedDbUser, SeedExtension, SeedFeature, SeedPlan, SeedProject,
    SeedProvider, SeedUser, SeedVariable,
};

use conn::{ConnHandle, KillableListener};
use state::Shared;

/// The API token the demo seed accepts. Well known, not a secret.
pub const DEMO_API_TOKEN: &str = "tk-us-demo-dbdeck-emulator-not-a-secret";

/// The stable ids of the demo seed, for tests and docs.
pub mod demo_ids {
    pub const SHOP_APP: &str = "shop-prod";
    pub const BLOG_APP: &str = "blog-staging";
    pub const PG_ADDON: &str = "ad-0b9a3c1e-4d2f-4a6b-9c8d-7e6f5a4b3c21";
    pub const MYSQL_ADDON: &str = "ad-5e8d2f7a-1c3b-4e9d-8a6f-2b4c6d8e0f13";
    pub const REDIS_ADDON: &str = "ad-9c7b5a3e-2f1d-4c8b-a6e4-d2c0b8a6f4e2";
    pub const PG_PROTECTED_USER: &str = "shop_prod_4553";
    pub const MYSQL_PROTECTED_USER: &str = "shop_prod_7281";
    /// A dedicated (DR) PostgreSQL database: an app flagged `dedicated-database` holding one
    /// `postgresql-ng` addon, with a custom CIDR rule and a managed-range rule.
    pub const DR_APP: &str = "orders-db";
    pub const DR_ADDON: &str = "ad-7d41c0e2-93b5-4f6a-8e2d-1a5c9b3f7e60";
    pub const DR_CUSTOM_RULE: &str = "6b1f0e2a-4c3d-4e5f-9a8b-7c6d5e4f3a21";
    pub const DR_MANAGED_RULE: &str = "0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c65";
    /// A second PostgreSQL database in the default region.
    pub const ANALYTICS_APP: &str = "analytics-etl";
    pub const ANALYTICS_ADDON: &str = "ad-2a6c8e0f-3b5d-4f7a-9c1e-5d7f9b1d3f58";
    /// An app in the restricted region (osc-secnum-fr1), served under `/osc-secnum-fr1`.
    pub const SECNUM_APP: &str = "billing-secure";
    pub const SECNUM_ADDON: &str = "ad-4f8b2d6e-0a1c-4e3b-8d5f-9a7c1e3b5d79";
    pub const SECNUM_REGION: &str = "osc-secnum-fr1";
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub seed: Seed,
    /// Lifetime of user JWTs and addon tokens (default 1 h); changeable at run time through
    /// `POST /_emulator/settings`.
    pub token_lifetime: Duration,
    /// Added to every request except the control endpoints (default 0).
    pub latency: Duration,
    /// When set: the state is loaded from it if it exists (instead of `seed`) and saved back,
    /// as pretty JSON in the seed format, after each change.
    pub state_file: Option<PathBuf>,
    /// How long a feature change stays pending before it settles (default 0: at once); the
    /// `feature_settle_ms` setting changes it at run time (see `features.rs`).
    pub feature_settle: Duration,
    /// The main API's rate limit, per token (default: none; see `limit.rs`).
    pub rate_limit: Option<RateLimit>,
}

impl EmulatorConfig {
    /// The demo seed, 1 h tokens, no latency, no state file, features settling at once, no
    /// rate limit.
    pub fn demo() -> Self {
        EmulatorConfig {
            seed: Seed::demo(),
            token_lifetime: Duration::from_secs(3600),
            latency: Duration::ZERO,
            state_file: None,
            feature_settle: Duration::ZERO,
            rate_limit: None,
        }
    }
}

/// A running emulator. Dropping it leaves the server running until the runtime stops; call
/// [`RunningEmulator::shutdown`] to stop it.
pub struct RunningEmulator {
    pub addr: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningEmulator {
    /// `http://ADDR`, the base URL of all three services.
    pub fn base_url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}", self.addr)).expect("a socket address is a valid host")
    }

    /// Stops accepting, lets in-flight requests finish (at most 2 s), then stops.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(2), &mut task).await.is_err() {
            task.abort();
        }
    }
}

/// Binds `listen` (e.g. `127.0.0.1:0`), spawns the server as a tokio task, returns at once.
/// Fails when the address cannot be bound or the state file cannot be read or parsed.
pub async fn start(config: EmulatorConfig, listen: SocketAddr) -> std::io::Result<RunningEmulator> {
    let data = match &config.state_file {
        Some(path) if path.exists() => {
            let text = std::fs::read_to_string(path)?;
            Seed::from_json(&text).map_err(|e| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
            })?
        }
        _ => config.seed,
    };
    let shared = Arc::new(Shared::new(data, config.token_lifetime, config.latency, config.state_file));
    {
        let mut inner = shared.lock();
        inner.features.settle = config.feature_settle;
        inner.limiter.limit = config.rate_limit;
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let app = routes::router(shared).into_make_service_with_connect_info::<ConnHandle>();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(KillableListener(listener), app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!("emulator stopped: {e}");
        }
    });
    tracing::info!("emulator listening on http://{addr}");
    Ok(RunningEmulator { addr, shutdown: tx, task })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_parses_and_holds_the_documented_account() {
        let seed = Seed::demo();
        assert!(seed.api_tokens.iter().any(|t| t == DEMO_API_TOKEN));
        let shop = seed.app(demo_ids::SHOP_APP).expect("shop-prod");
        assert_eq!(shop.region, "osc-fr1");
        let (_, pg) = seed.addon_by_id(demo_ids::PG_ADDON).unwrap();
        assert_eq!(pg.addon_provider.id, "postgresql");
        let pg_db = pg.database.as_ref().unwrap();
        assert_eq!(pg_db.readable_version, "16.6.0-1");
        let protected: Vec<_> = pg_db.users.iter().filter(|u| u.protected).collect();
        assert_eq!(protected.len(), 1);
        assert_eq!(protected[0].name, demo_ids::PG_PROTECTED_USER);
        assert!(pg_db.users.iter().any(|u| u.name == "app_reporting" && u.read_only));
        let (_, my) = seed.addon_by_id(demo_ids::MYSQL_ADDON).unwrap();
        assert_eq!(my.addon_provider.name, "MySQL");
        let (blog, redis) = seed.addon_by_id(demo_ids::REDIS_ADDON).unwrap();
        assert_eq!(blog.name, demo_ids::BLOG_APP);
        assert_eq!(redis.addon_provider.id, "redis");
        // Names valid per engine, as the server would enforce them.
        for (id, engine) in [
            (demo_ids::PG_ADDON, crate::api::types::Engine::PostgreSql),
            (demo_ids::MYSQL_ADDON, crate::api::types::Engine::MySql),
        ] {
            let db = seed.addon_by_id(id).unwrap().1.database.as_ref().unwrap();
            for user in &db.users {
                assert_eq!(crate::api::validate::username_problem(engine, &user.name), None);
            }
        }
    }

    #[test]
    fn seeds_with_repeated_ids_are_refused() {
        let mut seed = Seed::demo();
        let copy = seed.apps[0].clone();
        seed.apps.push(copy);
        let text = serde_json::to_string(&seed).unwrap();
        assert!(Seed::from_json(&text).unwrap_err().contains("repeated"));
        assert!(Seed::from_json("{").is_err());
    }

    #[test]
    fn seed_round_trips_through_json() {
        let seed = Seed::demo();
        let text = serde_json::to_string_pretty(&seed).unwrap();
        assert_eq!(Seed::from_json(&text).unwrap(), seed);
    }
}
