//! INTERFACE SKETCH: the API helper replaces the bodies; the signatures are what the rest of
//! dbdeck calls.

use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use super::error::ApiError;
use super::types::*;

/// The three base URLs, in the CLI's form (scheme, host, port); the client adds `/v1` or `/api`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub auth: Url,
    pub api: Url,
    pub db: Url,
}

impl Endpoints {
    /// The documented endpoints of a region (`scalingo-api.md` §1.6).
    pub fn for_region(region: &str) -> Endpoints {
        let parse = |s: String| Url::parse(&s).expect("region URLs are well formed");
        Endpoints {
            auth: parse("https://auth.scalingo.com".into()),
            api: parse(format!("https://api.{region}.scalingo.com")),
            db: parse(format!("https://db-api.{region}.scalingo.com")),
        }
    }

    /// All three services on one base URL, as the emulator serves them.
    pub fn single(base: Url) -> Endpoints {
        Endpoints { auth: base.clone(), api: base.clone(), db: base }
    }
}

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub total_timeout: Duration,
    /// Longest wait a 429's `Retry-After` may impose.
    pub max_retry_after: Duration,
    /// First backoff delay of idempotent retries (doubled each time, jittered).
    pub backoff_base: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
        }
    }
}

/// How many requests the client made, by kind: for diagnostics and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestStats {
    pub total: u64,
    pub token_exchanges: u64,
    pub addon_tokens: u64,
}

/// Cheap to clone: clones share the token caches and the connection pool.
#[derive(Clone)]
pub struct ScalingoClient {}

impl ScalingoClient {
    pub fn new(
        endpoints: Endpoints,
        api_token: SecretString,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        let _ = (endpoints, api_token, options);
        todo!()
    }

    /// Resolves `--addon`: an `ad-` id as is, else a type or alias matched against the app's
    /// addons; errs when none is a PostgreSQL or MySQL database.
    pub async fn find_addon(&self, app: &str, addon: &str) -> Result<Addon, ApiError> {
        let _ = (app, addon);
        todo!()
    }
    pub async fn database(&self, target: &DbTarget) -> Result<Database, ApiError> {
        let _ = target;
        todo!()
    }
    pub async fn list_users(&self, target: &DbTarget) -> Result<Vec<User>, ApiError> {
        let _ = target;
        todo!()
    }
    pub async fn create_user(&self, target: &DbTarget, user: &NewUser) -> Result<UserWithPassword, ApiError> {
        let _ = (target, user);
        todo!()
    }
    pub async fn set_password(
        &self,
        target: &DbTarget,
        name: &str,
        password: &SecretString,
    ) -> Result<User, ApiError> {
        let _ = (target, name, password);
        todo!()
    }
    pub async fn reset_password(&self, target: &DbTarget, name: &str) -> Result<UserWithPassword, ApiError> {
        let _ = (target, name);
        todo!()
    }
    pub async fn delete_user(&self, target: &DbTarget, name: &str) -> Result<(), ApiError> {
        let _ = (target, name);
        todo!()
    }
    pub fn stats(&self) -> RequestStats {
        todo!()
    }
}
