//! The Scalingo client: the user JWT and per-addon token caches, addon lookup and the database
//! API wrappers (`scalingo-api.md` §1-§4). The send/retry core lives in `http.rs`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;
use zeroize::Zeroizing;

use super::error::{ApiError, FieldError};
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
    /// The documented endpoints of a region (`scalingo-api.md` §1.6). `region` must be a plain
    /// name (`config::endpoints` checks it).
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

    pub async fn list_users(&self, target: &DbTarget) -> Result<Vec<User>, ApiError> {
        #[derive(Deserialize)]
        struct Users {
            #[serde(rename = "database-users")]
            users: Vec<User>,
        }
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users"])?;
        let reply = self.db_call(target, Method::GET, url, None, Retry::Idempotent).await?;
        let users: Users = decode(expect(reply, &[200])?, "the user list")?;
        Ok(users.users)
    }

    pub async fn create_user(&self, target: &DbTarget, user: &NewUser) -> Result<UserWithPassword, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users"])?;
        let mut fields = serde_json::Map::new();
        fields.insert("database_id".into(), target.addon_id.clone().into());
        fields.insert("name".into(), user.name.clone().into());
        fields.insert("read_only".into(), user.read_only.into());
        let body = match &user.password {
            Some(password) => secret_body(fields, password),
            None => plain_body(fields),
        };
        let result = self
            .db_call(target, Method::POST, url, Some(body), Retry::Once)
            .await
            .and_then(|reply| user_with_password(expect(reply, &[201])?, "the created user"));
        match &user.password {
            Some(password) => result.map_err(|e| redact(e, password)),
            None => result,
        }
    }

    pub async fn set_password(
        &self,
        target: &DbTarget,
        name: &str,
        password: &SecretString,
    ) -> Result<User, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users", name])?;
        let mut fields = serde_json::Map::new();
        fields.insert("database_id".into(), target.addon_id.clone().into());
        let body = secret_body(fields, password);
        self.db_call(target, Method::PATCH, url, Some(body), Retry::Once)
            .await
            // The answer may echo the password: read it into a secret and drop it.
            .and_then(|reply| user_with_password(expect(reply, &[200])?, "the updated user"))
            .map(|u| u.user)
            .map_err(|e| redact(e, password))
    }

    pub async fn reset_password(&self, target: &DbTarget, name: &str) -> Result<UserWithPassword, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users", name, "reset_password"])?;
        let reply = self.db_call(target, Method::POST, url, Some(empty_body()), Retry::Once).await?;
        user_with_password(expect(reply, &[200])?, "the reset user")
    }

    pub async fn delete_user(&self, target: &DbTarget, name: &str) -> Result<(), ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users", name])?;
        let reply = self.db_call(target, Method::DELETE, url, None, Retry::Idempotent).await?;
        // A retried DELETE that finds nothing: the lost first attempt did the work.
        if reply.status == 404 && reply.after_unknown {
            return Ok(());
        }
        expect(reply, &[204]).map(drop)
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
            .send(method.clone(), url.clone(), Auth::Bearer(&jwt), body.clone(), retry, Kind::Other)
            .await?;
        if reply.status != 401 {
            return Ok(reply);
        }
        self.inner.shared.tokens.drop_user(&jwt).await;
        let jwt = self.user_token().await?;
        let reply = self.send(method, url, Auth::Bearer(&jwt), body, retry, Kind::Other).await?;
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

/// Masks `secret` in an error built from a server's words, should the server echo it (a raw
/// 422 body is kept as the message).
fn redact(err: ApiError, secret: &SecretString) -> ApiError {
    let secret = secret.expose_secret();
    if secret.is_empty() {
        return err;
    }
    let escaped = serde_json::to_string(secret).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    let mask = |text: String| {
        let text = text.replace(secret, "[redacted]");
        if escaped.is_empty() { text } else { text.replace(escaped, "[redacted]") }
    };
    match err {
        ApiError::Http { status, message, fields, request_id } => ApiError::Http {
            status,
            message: mask(message),
            fields: fields
                .into_iter()
                .map(|f| FieldError {
                    field: mask(f.field),
                    messages: f.messages.into_iter().map(mask).collect(),
                })
                .collect(),
            request_id,
        },
        other => other,
    }
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

fn plain_body(fields: serde_json::Map<String, serde_json::Value>) -> Zeroizing<Vec<u8>> {
    let body = serde_json::json!({ "database_user": fields });
    Zeroizing::new(serde_json::to_vec(&body).expect("a JSON value serializes"))
}

/// `{"database_user": {…fields, "password", "password_confirmation"}}`, the secret exposed only
/// while the bytes are written, into a buffer zeroed on drop.
fn secret_body(
    fields: serde_json::Map<String, serde_json::Value>,
    password: &SecretString,
) -> Zeroizing<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        database_user: Fields<'a>,
    }
    #[derive(serde::Serialize)]
    struct Fields<'a> {
        #[serde(flatten)]
        fields: serde_json::Map<String, serde_json::Value>,
        password: &'a str,
        password_confirmation: &'a str,
    }
    let secret = password.expose_secret();
    let body = Body { database_user: Fields { fields, password: secret, password_confirmation: secret } };
    let mut out = Zeroizing::new(Vec::with_capacity(256));
    serde_json::to_writer(&mut *out, &body).expect("a JSON body serializes");
    out
}

/// A user as create/reset/update answer it: wrapped in `database_user` or bare (trap 4), its
/// password read straight into a secret.
fn user_with_password(reply: Reply, what: &str) -> Result<UserWithPassword, ApiError> {
    #[derive(Deserialize)]
    struct Wrapped {
        database_user: UserPw,
    }
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct UserPw {
        name: String,
        read_only: bool,
        protected: bool,
        dbms_attributes: Option<DbmsAttributes>,
        password: Option<SecretString>,
    }
    let parsed = match serde_json::from_slice::<Wrapped>(&reply.body) {
        Ok(wrapped) => wrapped.database_user,
        Err(_) => {
            serde_json::from_slice::<UserPw>(&reply.body).map_err(|e| decode_error(what, &e, &reply))?
        }
    };
    if parsed.name.is_empty() {
        return Err(ApiError::Decode {
            what: what.into(),
            detail: format!(
                "no user name in the answer (HTTP {}){}",
                reply.status,
                request_id_suffix(&reply)
            ),
        });
    }
    Ok(UserWithPassword {
        user: User {
            name: parsed.name,
            read_only: parsed.read_only,
            protected: parsed.protected,
            dbms_attributes: parsed.dbms_attributes,
        },
        password: parsed.password.filter(|p| !p.expose_secret().is_empty()),
    })
}

// Endpoints added after the core, in their own files (children, so they reuse the helpers above).
pub(super) mod apps;
pub(super) mod extensions;
pub(super) mod regions;
pub(super) mod variables;

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            request_id: Some("rid".into()),
            body: Zeroizing::new(body.as_bytes().to_vec()),
            after_unknown: false,
        }
    }

    #[test]
    fn create_body_carries_both_password_fields_or_none() {
        let mut fields = serde_json::Map::new();
        fields.insert("database_id".into(), "ad-1".into());
        fields.insert("name".into(), "reader".into());
        fields.insert("read_only".into(), true.into());
        let body = secret_body(fields.clone(), &"s3cret".into());
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"database_user": {"database_id": "ad-1", "name": "reader",
                "read_only": true, "password": "s3cret", "password_confirmation": "s3cret"}})
        );
        let value: serde_json::Value = serde_json::from_slice(&plain_body(fields)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"database_user": {"database_id": "ad-1", "name": "reader",
                "read_only": true}})
        );
    }

    #[test]
    fn reads_wrapped_and_bare_users_with_passwords() {
        let wrapped = r#"{"database_user": {"name": "reader", "read_only": true, "password": "pw1"}}"#;
        let bare = r#"{"name": "reader", "read_only": true, "protected": false, "password": "pw1"}"#;
        for body in [wrapped, bare] {
            let user = user_with_password(reply(201, body), "x").unwrap();
            assert_eq!(user.user.name, "reader");
            assert!(user.user.read_only);
            assert_eq!(user.password.unwrap().expose_secret(), "pw1");
        }
        let no_pw = user_with_password(reply(200, r#"{"database_user": {"name": "a"}}"#), "x");
        assert!(no_pw.unwrap().password.is_none());
    }

    #[test]
    fn decode_errors_never_quote_the_body() {
        let body = r#"{"database_user": {"name": "reader", "password": 12345678}}"#;
        let err = user_with_password(reply(201, body), "the created user").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("12345678"), "{text}");
        assert!(text.contains("the created user") && text.contains("rid"), "{text}");
        let err = user_with_password(reply(201, "{}"), "the created user").unwrap_err();
        assert!(matches!(err, ApiError::Decode { .. }));
        let err = decode::<serde_json::Value>(reply(200, r#""secret"x"#), "it").unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }
}
