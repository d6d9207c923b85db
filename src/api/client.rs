//! The Scalingo client: the user JWT and per-addon token caches, addon lookup and the database
//! API wrappers. The send/retry core lives in `http.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use super::error::ApiError;
use super::http::{Auth, Call, Kind, Reply, Retry, Transport, build_url};
use super::lookup::select_addon;
use super::tokens::{ADDON_TOKEN_FALLBACK, CachedToken, TokenCache, USER_TOKEN_FALLBACK};
use super::types::*;

/// The three base URLs, in the CLI's form (scheme, host, port); the client adds `/v1` or `/api`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub auth: Url,
    pub api: Url,
    pub db: Url,
}

impl Endpoints {
    /// The documented endpoints of a region. `region` must be a plain name (`config::endpoints`
    /// checks it).
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
    /// How fast main-API requests may go (`None`: unpaced); shared by every region's client.
    pub pace: Option<super::Pace>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
            pace: Some(super::Pace::DEFAULT),
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

/// Cheap to clone: clones share the token caches and the connection pool, and so do the clients
/// of other regions made by [`ScalingoClient::for_region`].
#[derive(Clone)]
pub struct ScalingoClient {
    inner: Arc<Inner>,
}

struct Inner {
    endpoints: Endpoints,
    shared: Arc<Shared>,
}

/// What every region's client shares: the auth service is global, so one JWT serves them all;
/// addon tokens are keyed by target (region included); one connection pool, one set of counters.
struct Shared {
    api_token: SecretString,
    transport: Transport,
    tokens: TokenCache,
}

impl fmt::Debug for ScalingoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScalingoClient").field("endpoints", &self.inner.endpoints).finish_non_exhaustive()
    }
}

/// Which service a URL belongs to.
#[derive(Clone, Copy)]
pub(super) enum Service {
    Auth,
    Api,
    Db,
}

impl ScalingoClient {
    pub fn new(
        endpoints: Endpoints,
        api_token: SecretString,
        options: ClientOptions,
    ) -> Result<Self, ApiError> {
        if api_token.expose_secret().trim().is_empty() {
            return Err(ApiError::Config("the Scalingo API token is empty".into()));
        }
        check_endpoints(&endpoints)?;
        let shared = Shared { api_token, transport: Transport::new(options)?, tokens: TokenCache::default() };
        Ok(ScalingoClient { inner: Arc::new(Inner { endpoints, shared: Arc::new(shared) }) })
    }

    /// A client for another region's API and database API (the auth URL stays this one's). It
    /// shares this client's JWT, addon tokens, connections and request counters.
    pub fn for_region(&self, api: Url, db: Url) -> Result<ScalingoClient, ApiError> {
        let endpoints = Endpoints { auth: self.inner.endpoints.auth.clone(), api, db };
        check_endpoints(&endpoints)?;
        Ok(ScalingoClient { inner: Arc::new(Inner { endpoints, shared: self.inner.shared.clone() }) })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Resolves `--addon`: an `ad-` id as is, a type or alias matched against the app's addons,
    /// or, when empty, the app's PostgreSQL (else MySQL) addon; errs when the match is not a
    /// PostgreSQL or MySQL database.
    pub async fn find_addon(&self, app: &str, addon: &str) -> Result<Addon, ApiError> {
        select_addon(app, addon, self.app_addons(app).await?)
    }

    pub async fn database(&self, target: &DbTarget) -> Result<Database, ApiError> {
        #[derive(Deserialize)]
        struct Wrapped {
            database: Database,
        }
        let url = self.url(Service::Db, &["databases", &target.addon_id])?;
        let reply = self.db_call(target, Method::GET, url, None, Retry::Idempotent).await?;
        let wrapped: Wrapped = decode(expect(reply, &[200])?, "the database")?;
        Ok(wrapped.database)
    }

    pub fn stats(&self) -> RequestStats {
        self.inner.shared.transport.counters.snapshot()
    }

    pub(super) fn url(&self, service: Service, segments: &[&str]) -> Result<Url, ApiError> {
        let endpoints = &self.inner.endpoints;
        match service {
            Service::Auth => build_url(&endpoints.auth, "v1", segments),
            Service::Api => build_url(&endpoints.api, "v1", segments),
            Service::Db => build_url(&endpoints.db, "api", segments),
        }
    }

    async fn send(
        &self,
        method: Method,
        url: Url,
        auth: Auth<'_>,
        body: Option<Zeroizing<Vec<u8>>>,
        retry: Retry,
        kind: Kind,
    ) -> Result<Reply, ApiError> {
        let call = Call { method, url, auth, body, retry, kind };
        self.inner.shared.transport.send(&call).await
    }

    /// The user JWT, exchanged when missing or about to expire. The lock is held during the
    /// exchange, so concurrent callers share one.
    async fn user_token(&self) -> Result<SecretString, ApiError> {
        let mut cached = self.inner.shared.tokens.user.lock().await;
        if let Some(token) = cached.as_ref().filter(|c| c.fresh_at(SystemTime::now())) {
            return Ok(token.token.clone());
        }
        #[derive(Deserialize)]
        struct Exchanged {
            token: SecretString,
        }
        let url = self.url(Service::Auth, &["tokens", "exchange"])?;
        let reply = self
            .send(
                Method::POST,
                url,
                Auth::BasicToken(&self.inner.shared.api_token),
                Some(empty_body()),
                Retry::Idempotent,
                Kind::Exchange,
            )
            .await?;
        if reply.status == 401 {
            return Err(match reply.into_error() {
                ApiError::Http { status, message, fields, request_id } => ApiError::Http {
                    status,
                    message: format!("the auth service refused the API token: {message}"),
                    fields,
                    request_id,
                },
                other => other,
            });
        }
        let exchanged: Exchanged = decode(expect(reply, &[200])?, "the token exchange")?;
        let fresh = CachedToken::new(exchanged.token, SystemTime::now(), USER_TOKEN_FALLBACK);
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// A main-API call with the user JWT: on a 401, one fresh JWT and one replay.
    pub(super) async fn api_call(
        &self,
        method: Method,
        url: Url,
        body: Option<Zeroizing<Vec<u8>>>,
        retry: Retry,
    ) -> Result<Reply, ApiError> {
        let jwt = self.user_token().await?;
        let reply = self
            .send(method.clone(), url.clone(), Auth::Bearer(&jwt), body.clone(), retry, Kind::Main)
            .await?;
        if reply.status != 401 {
            return Ok(reply);
        }
        self.inner.shared.tokens.drop_user(&jwt).await;
        let jwt = self.user_token().await?;
        let reply = self.send(method, url, Auth::Bearer(&jwt), body, retry, Kind::Main).await?;
        if reply.status == 401 {
            return Err(ApiError::SessionExpired { request_id: reply.request_id });
        }
        Ok(reply)
    }

    /// The addon token of `target`, minted when missing or about to expire.
    async fn addon_token(&self, target: &DbTarget) -> Result<SecretString, ApiError> {
        let mut addons = self.inner.shared.tokens.addons.lock().await;
        if let Some(token) = addons.get(target).filter(|c| c.fresh_at(SystemTime::now())) {
            return Ok(token.token.clone());
        }
        #[derive(Deserialize)]
        struct Minted {
            addon: MintedAddon,
        }
        #[derive(Deserialize)]
        struct MintedAddon {
            token: SecretString,
        }
        let url = self.url(Service::Api, &["apps", &target.app, "addons", &target.addon_id, "token"])?;
        let mut jwt = self.user_token().await?;
        let mut reply = self.mint(&url, &jwt).await?;
        if reply.status == 401 {
            self.inner.shared.tokens.drop_user(&jwt).await;
            jwt = self.user_token().await?;
            reply = self.mint(&url, &jwt).await?;
            if reply.status == 401 {
                return Err(ApiError::SessionExpired { request_id: reply.request_id });
            }
        }
        let minted: Minted = decode(expect(reply, &[200])?, "the addon token")?;
        let fresh = CachedToken::new(minted.addon.token, SystemTime::now(), ADDON_TOKEN_FALLBACK);
        let token = fresh.token.clone();
        addons.insert(target.clone(), fresh);
        Ok(token)
    }

    async fn mint(&self, url: &Url, jwt: &SecretString) -> Result<Reply, ApiError> {
        self.send(
            Method::POST,
            url.clone(),
            Auth::Bearer(jwt),
            Some(empty_body()),
            Retry::Idempotent,
            Kind::AddonToken,
        )
        .await
    }

    /// A DB API call with the addon token (never the user JWT): on a 401, one fresh addon
    /// token and one replay.
    pub(super) async fn db_call(
        &self,
        target: &DbTarget,
        method: Method,
        url: Url,
        body: Option<Zeroizing<Vec<u8>>>,
        retry: Retry,
    ) -> Result<Reply, ApiError> {
        let token = self.addon_token(target).await?;
        let reply = self
            .send(method.clone(), url.clone(), Auth::Bearer(&token), body.clone(), retry, Kind::Other)
            .await?;
        if reply.status != 401 {
            return Ok(reply);
        }
        self.inner.shared.tokens.drop_addon(target, &token).await;
        let token = self.addon_token(target).await?;
        let reply = self.send(method, url, Auth::Bearer(&token), body, retry, Kind::Other).await?;
        if reply.status == 401 {
            return Err(ApiError::SessionExpired { request_id: reply.request_id });
        }
        Ok(reply)
    }
}

/// Each URL is http(s) with a host.
pub fn check_endpoints(endpoints: &Endpoints) -> Result<(), ApiError> {
    for (name, url) in [("auth", &endpoints.auth), ("API", &endpoints.api), ("database API", &endpoints.db)] {
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(ApiError::Config(format!("the {name} URL must be an http(s) URL with a host")));
        }
    }
    Ok(())
}

pub(super) fn request_id_suffix(reply: &Reply) -> String {
    reply.request_id.as_deref().map(|r| format!(" (request id {r})")).unwrap_or_default()
}

/// The reply when its status is one of `ok`, else the error its body describes.
pub(super) fn expect(reply: Reply, ok: &[u16]) -> Result<Reply, ApiError> {
    if ok.contains(&reply.status) { Ok(reply) } else { Err(reply.into_error()) }
}

/// Parses a success body. The detail names only the position, never a value (serde_json quotes
/// unexpected strings, which could be a password).
pub(super) fn decode<T: DeserializeOwned>(reply: Reply, what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(&reply.body).map_err(|e| decode_error(what, &e, &reply))
}

pub(super) fn decode_error(what: &str, e: &serde_json::Error, reply: &Reply) -> ApiError {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected shape",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    ApiError::Decode {
        what: what.into(),
        detail: format!(
            "{kind} at line {} column {} (HTTP {}){}",
            e.line(),
            e.column(),
            reply.status,
            request_id_suffix(reply)
        ),
    }
}

pub(super) fn empty_body() -> Zeroizing<Vec<u8>> {
    Zeroizing::new(b"{}".to_vec())
}

// Endpoints added after the core, in their own files (children, so they reuse the helpers above).
pub(super) mod apps;
pub(super) mod extensions;
pub(super) mod regions;
pub(super) mod users;
pub(super) mod variables;
