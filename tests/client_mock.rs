//! The Scalingo client against a tiny in-test axum server that each test scripts: exact
//! requests, token caching and refresh, 401 handling, retries, 429, request ids and answer
//! shapes. (Tests against the real emulator come later.)

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use dbdeck::api::{ApiError, ClientOptions, DbTarget, Endpoints, NewUser, RequestStats, ScalingoClient};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use url::Url;

const API_TOKEN: &str = "tk-us-test-token";

// ---------------------------------------------------------------------------------------------
// The scripted server

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    auth: String,
    body: String,
    headers: HeaderMap,
}

#[derive(Clone)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Canned {
    fn status(status: u16) -> Canned {
        Canned { status, headers: vec![], body: String::new() }
    }
    fn json(status: u16, body: Value) -> Canned {
        Canned { status, headers: vec![], body: body.to_string() }
    }
    fn text(status: u16, body: &str) -> Canned {
        Canned { status, headers: vec![], body: body.into() }
    }
    fn header(mut self, name: &'static str, value: &str) -> Canned {
        self.headers.push((name, value.into()));
        self
    }
}

impl IntoResponse for Canned {
    fn into_response(self) -> Response {
        let mut response = (StatusCode::from_u16(self.status).unwrap(), self.body).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value.parse().expect("a header value"));
        }
        response
    }
}

struct Mock {
    seen: Mutex<Vec<Seen>>,
    /// Replies for the next requests matching (method, path), used before the defaults.
    queued: Mutex<VecDeque<(String, String, Canned)>>,
    /// Lifetimes of the tokens the server mints, in seconds from now.
    user_ttl: AtomicI64,
    addon_ttl: AtomicI64,
    minted: AtomicU64,
    /// Every token the server handed out.
    tokens: Mutex<Vec<String>>,
}

impl Mock {
    fn new() -> Arc<Mock> {
        Arc::new(Mock {
            seen: Mutex::new(vec![]),
            queued: Mutex::new(VecDeque::new()),
            user_ttl: AtomicI64::new(3600),
            addon_ttl: AtomicI64::new(3600),
            minted: AtomicU64::new(0),
            tokens: Mutex::new(vec![]),
        })
    }

    fn push(&self, method: &str, path: &str, reply: Canned) {
        self.queued.lock().unwrap().push_back((method.into(), path.into(), reply));
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, method: &str, path: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method && s.path == path).count()
    }

    fn last(&self, method: &str, path: &str) -> Seen {
        self.seen()
            .into_iter()
            .rev()
            .find(|s| s.method == method && s.path == path)
            .unwrap_or_else(|| panic!("no {method} {path} was seen"))
    }

    fn mint(&self, kind: &str, ttl: &AtomicI64) -> String {
        let n = self.minted.fetch_add(1, Ordering::SeqCst);
        let token = jwt(&format!("{kind}-{n}"), Some(now_secs() + ttl.load(Ordering::SeqCst)));
        self.tokens.lock().unwrap().push(token.clone());
        token
    }

    fn respond(&self, seen: &Seen) -> Canned {
        let queued = {
            let mut queue = self.queued.lock().unwrap();
            let at = queue.iter().position(|(m, p, _)| *m == seen.method && *p == seen.path);
            at.and_then(|i| queue.remove(i))
        };
        if let Some((_, _, reply)) = queued {
            return reply;
        }
        let parts: Vec<&str> = seen.path.trim_start_matches('/').split('/').collect();
        let sub = bearer_sub(&seen.auth);
        let user_auth = sub.as_deref().is_some_and(|s| s.starts_with("user-"));
        let addon_auth = sub.as_deref().is_some_and(|s| s.starts_with("addon-"));
        let unauthorized = Canned::json(401, json!({"error": "not authenticated"}));
        match (seen.method.as_str(), parts.as_slice()) {
            ("POST", ["v1", "tokens", "exchange"]) => {
                let expected = format!("Basic {}", STANDARD.encode(format!(":{API_TOKEN}")));
                if seen.auth != expected {
                    return unauthorized;
                }
                Canned::json(200, json!({"token": self.mint("user", &self.user_ttl)}))
            }
            _ if parts.first() == Some(&"v1") && !user_auth => unauthorized,
            _ if parts.first() == Some(&"api") && !addon_auth => unauthorized,
            ("GET", ["v1", "apps", "my-app", "addons"]) => Canned::json(
                200,
                json!({"addons": [
                    {"id": "ad-redis", "app_id": "app-1", "addon_provider": {"id": "redis", "name": "Redis® OSS"}},
                    {"id": "ad-pg", "app_id": "app-1", "resource_id": "my_app_1", "status": "running",
                     "plan": {"id": "p1", "name": "postgresql-starter-512", "display_name": "Starter 512M"},
                     "addon_provider": {"id": "postgresql", "name": "PostgreSQL"}},
                ]}),
            ),
            ("GET", ["v1", "apps", _, "addons"]) => {
                Canned::json(404, json!({"resource": "app", "error": "not found"}))
            }
            ("POST", ["v1", "apps", _, "addons", id, "token"]) => {
                Canned::json(200, json!({"addon": {"id": id, "token": self.mint("addon", &self.addon_ttl)}}))
            }
            ("GET", ["api", "databases", id]) => Canned::json(
                200,
                json!({"database": {"id": "db-1", "resource_id": "my_app_1", "app_name": "my-app",
                    "plan": "postgresql-starter-512", "status": "running", "type_name": "postgresql",
                    "readable_version": "16.6.0-1", "hostname": format!("{id}.example:5432"),
                    "features": [{"name": "force-ssl", "status": "ACTIVATED"}], "cluster": false}}),
            ),
            ("GET", ["api", "databases", _, "users"]) => Canned::json(
                200,
                json!({"database-users": [
                    {"name": "my_app_1", "read_only": false, "protected": true,
                     "dbms_attributes": {"password_encryption": "SCRAM-SHA-256"}},
                    {"name": "reader", "read_only": true, "protected": false},
                ]}),
            ),
            ("POST", ["api", "databases", _, "users"]) => {
                let body: Value = serde_json::from_str(&seen.body).unwrap_or(Value::Null);
                let user = &body["database_user"];
                let mut out = json!({"name": user["name"], "read_only": user["read_only"],
                    "protected": false});
                if user.get("password").is_none() {
                    out["password"] = "server-generated-password-123".into();
                }
                Canned::json(201, json!({"database_user": out}))
            }
            ("PATCH", ["api", "databases", _, "users", name]) => Canned::json(
                200,
                json!({"database_user": {"name": name, "read_only": false, "protected": false}}),
            ),
            ("POST", ["api", "databases", _, "users", name, "reset_password"]) => Canned::json(
                200,
                json!({"database_user": {"name": name, "read_only": false, "protected": false,
                    "password": "reset-password-456"}}),
            ),
            ("DELETE", ["api", "databases", _, "users", _]) => Canned::status(204),
            _ => Canned::json(404, json!({"error": "not found"})),
        }
    }
}

async fn handle(
    State(mock): State<Arc<Mock>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Canned {
    let seen = Seen {
        method: method.to_string(),
        path: uri.path().to_string(),
        auth: headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string(),
        body: String::from_utf8_lossy(&body).into_owned(),
        headers,
    };
    mock.seen.lock().unwrap().push(seen.clone());
    mock.respond(&seen)
}

async fn serve(mock: Arc<Mock>) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new().fallback(handle).with_state(mock);
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Url::parse(&format!("http://{addr}")).unwrap()
}

/// A server that reads each request and closes the connection without answering.
async fn serve_dropping() -> (Url, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicU64::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                // Let the body arrive, then hang up without a word.
                let _ = tokio::time::timeout(Duration::from_millis(50), socket.read(&mut chunk)).await;
                drop(socket);
            });
        }
    });
    (Url::parse(&format!("http://{addr}")).unwrap(), count)
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn jwt(sub: &str, exp: Option<i64>) -> String {
    let mut claims = json!({"sub": sub});
    if let Some(exp) = exp {
        claims["exp"] = exp.into();
    }
    format!(
        "{}.{}.signature",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The `sub` of the JWT in a `Bearer` header.
fn bearer_sub(auth: &str) -> Option<String> {
    let token = auth.strip_prefix("Bearer ")?;
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims["sub"].as_str().map(str::to_string)
}

fn options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        max_retry_after: Duration::from_secs(3),
        backoff_base: Duration::from_millis(5),
    }
}

fn client(endpoints: Endpoints) -> ScalingoClient {
    ScalingoClient::new(endpoints, SecretString::from(API_TOKEN), options()).unwrap()
}

async fn start() -> (Arc<Mock>, ScalingoClient) {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    (mock, client(Endpoints::single(base)))
}

fn target() -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: "my-app".into(), addon_id: "ad-pg".into() }
}

const USERS: &str = "/api/databases/ad-pg/users";

fn new_user(password: Option<&str>) -> NewUser {
    NewUser { name: "new_reader".into(), read_only: true, password: password.map(SecretString::from) }
}

fn stats(total: u64, token_exchanges: u64, addon_tokens: u64) -> RequestStats {
    RequestStats { total, token_exchanges, addon_tokens }
}

// ---------------------------------------------------------------------------------------------
// Requests and tokens

#[tokio::test]
async fn sends_the_documented_requests_with_the_right_token() {
    let (mock, client) = start().await;
    let addon = client.find_addon("my-app", "postgres").await.unwrap();
    assert_eq!(addon.id, "ad-pg");
    let database = client.database(&target()).await.unwrap();
    assert_eq!(database.type_name, "postgresql");
    let users = client.list_users(&target()).await.unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].password_encryption(), Some("SCRAM-SHA-256"));

    let seen = mock.seen();
    let order: Vec<String> = seen.iter().map(|s| format!("{} {}", s.method, s.path)).collect();
    assert_eq!(
        order,
        [
            "POST /v1/tokens/exchange",
            "GET /v1/apps/my-app/addons",
            "POST /v1/apps/my-app/addons/ad-pg/token",
            "GET /api/databases/ad-pg",
            "GET /api/databases/ad-pg/users",
        ]
    );
    // Exchange: Basic with an empty user and the API token as password, body {}.
    let exchange = &seen[0];
    let basic = exchange.auth.strip_prefix("Basic ").unwrap();
    assert_eq!(STANDARD.decode(basic).unwrap(), format!(":{API_TOKEN}").as_bytes());
    assert_eq!(exchange.body, "{}");
    // Main API: the user JWT; the addon token mint too, with body {}.
    assert_eq!(bearer_sub(&seen[1].auth).as_deref(), Some("user-0"));
    assert_eq!(bearer_sub(&seen[2].auth).as_deref(), Some("user-0"));
    assert_eq!(seen[2].body, "{}");
    // DB API: the addon token, never the JWT.
    assert_eq!(bearer_sub(&seen[3].auth).as_deref(), Some("addon-1"));
    assert_eq!(bearer_sub(&seen[4].auth).as_deref(), Some("addon-1"));
    for s in &seen {
        assert_eq!(s.headers["user-agent"], concat!("dbdeck/", env!("CARGO_PKG_VERSION")));
        assert_eq!(s.headers["accept"], "application/json");
        assert_eq!(s.headers["content-type"], "application/json");
    }
    assert_eq!(client.stats(), stats(5, 1, 1));
}

#[tokio::test]
async fn user_writes_use_the_exact_wrappers() {
    let (mock, client) = start().await;

    let created = client.create_user(&target(), &new_user(Some("chosen-password-0123456789"))).await.unwrap();
    assert_eq!(created.user.name, "new_reader");
    assert!(created.user.read_only);
    assert!(created.password.is_none());
    let body: Value = serde_json::from_str(&mock.last("POST", USERS).body).unwrap();
    assert_eq!(
        body,
        json!({"database_user": {"database_id": "ad-pg", "name": "new_reader", "read_only": true,
            "password": "chosen-password-0123456789",
            "password_confirmation": "chosen-password-0123456789"}})
    );

    let created = client.create_user(&target(), &new_user(None)).await.unwrap();
    assert_eq!(created.password.unwrap().expose_secret(), "server-generated-password-123");
    let body: Value = serde_json::from_str(&mock.last("POST", USERS).body).unwrap();
    assert_eq!(
        body,
        json!({"database_user": {"database_id": "ad-pg", "name": "new_reader", "read_only": true}})
    );

    let user = client.set_password(&target(), "reader", &"another-password-0123456789".into()).await.unwrap();
    assert_eq!(user.name, "reader");
    let patch = mock.last("PATCH", "/api/databases/ad-pg/users/reader");
    let body: Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(
        body,
        json!({"database_user": {"database_id": "ad-pg",
            "password": "another-password-0123456789",
            "password_confirmation": "another-password-0123456789"}})
    );

    let reset = client.reset_password(&target(), "reader").await.unwrap();
    assert_eq!(reset.password.unwrap().expose_secret(), "reset-password-456");
    let post = mock.last("POST", "/api/databases/ad-pg/users/reader/reset_password");
    assert_eq!(post.body, "{}");

    client.delete_user(&target(), "reader").await.unwrap();
    let delete = mock.last("DELETE", "/api/databases/ad-pg/users/reader");
    assert_eq!(bearer_sub(&delete.auth).as_deref(), Some("addon-1"));
    assert_eq!(client.stats(), stats(7, 1, 1));
}

#[tokio::test]
async fn create_and_reset_accept_bare_users() {
    let (mock, client) = start().await;
    mock.push(
        "POST",
        USERS,
        Canned::json(
            201,
            json!({"name": "new_reader", "read_only": true, "protected": false,
                "password": "bare-created-password"}),
        ),
    );
    let created = client.create_user(&target(), &new_user(None)).await.unwrap();
    assert_eq!(created.user.name, "new_reader");
    assert_eq!(created.password.unwrap().expose_secret(), "bare-created-password");
    mock.push(
        "POST",
        "/api/databases/ad-pg/users/reader/reset_password",
        Canned::json(200, json!({"name": "reader", "password": "bare-reset-password"})),
    );
    let reset = client.reset_password(&target(), "reader").await.unwrap();
    assert_eq!(reset.user.name, "reader");
    assert_eq!(reset.password.unwrap().expose_secret(), "bare-reset-password");
}

#[tokio::test]
async fn other_success_statuses_are_errors() {
    let (mock, client) = start().await;
    // A create must answer 201, a delete 204.
    mock.push("POST", USERS, Canned::json(200, json!({"database_user": {"name": "new_reader"}})));
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert_eq!(err.status(), Some(200));
    mock.push("DELETE", "/api/databases/ad-pg/users/reader", Canned::status(200));
    let err = client.delete_user(&target(), "reader").await.unwrap_err();
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn path_segments_are_percent_encoded() {
    let (mock, client) = start().await;
    let odd = DbTarget { region: "osc-fr1".into(), app: "my app".into(), addon_id: "ad-pg".into() };
    client.delete_user(&odd, "a b/c%d").await.unwrap();
    let paths: Vec<String> = mock.seen().iter().map(|s| s.path.clone()).collect();
    assert!(paths.contains(&"/v1/apps/my%20app/addons/ad-pg/token".to_string()));
    assert!(paths.contains(&"/api/databases/ad-pg/users/a%20b%2Fc%25d".to_string()));
}

#[tokio::test]
async fn tokens_are_cached_across_calls_and_clones() {
    let (mock, client) = start().await;
    for _ in 0..4 {
        client.list_users(&target()).await.unwrap();
    }
    let clone = client.clone();
    clone.database(&target()).await.unwrap();
    assert_eq!(client.stats(), stats(7, 1, 1));
    assert_eq!(mock.count("POST", "/v1/tokens/exchange"), 1);

    // A second database gets its own addon token, but the same JWT.
    let other = DbTarget { region: "osc-fr1".into(), app: "my-app".into(), addon_id: "ad-other".into() };
    client.list_users(&other).await.unwrap();
    assert_eq!(client.stats(), stats(9, 1, 2));
}

#[tokio::test]
async fn concurrent_callers_share_one_exchange_and_one_addon_token() {
    let (_mock, client) = start().await;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_users(&target()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(client.stats(), stats(10, 1, 1));
}

#[tokio::test]
async fn tokens_close_to_expiry_are_refreshed() {
    let (mock, client) = start().await;
    // Both tokens expire in 2 minutes: inside the 5-minute window, so each call renews them.
    mock.user_ttl.store(120, Ordering::SeqCst);
    mock.addon_ttl.store(120, Ordering::SeqCst);
    for _ in 0..3 {
        client.list_users(&target()).await.unwrap();
    }
    assert_eq!(client.stats(), stats(9, 3, 3));

    // Once tokens last long again, they are kept.
    mock.user_ttl.store(3600, Ordering::SeqCst);
    mock.addon_ttl.store(3600, Ordering::SeqCst);
    for _ in 0..3 {
        client.list_users(&target()).await.unwrap();
    }
    assert_eq!(client.stats(), stats(9 + 2 + 3, 4, 4));
}

#[tokio::test]
async fn addon_token_expiry_alone_does_not_renew_the_jwt() {
    let (mock, client) = start().await;
    mock.addon_ttl.store(60, Ordering::SeqCst);
    for _ in 0..3 {
        client.list_users(&target()).await.unwrap();
    }
    assert_eq!(client.stats(), stats(7, 1, 3));
}

// ---------------------------------------------------------------------------------------------
// 401

#[tokio::test]
async fn a_401_from_the_db_api_renews_the_addon_token_and_replays_once() {
    let (mock, client) = start().await;
    client.list_users(&target()).await.unwrap();
    mock.push("GET", USERS, Canned::json(401, json!({"error": "token expired"})));
    let users = client.list_users(&target()).await.unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(mock.count("GET", USERS), 3);
    assert_eq!(client.stats(), stats(6, 1, 2));
    let last = mock.last("GET", USERS);
    assert_eq!(bearer_sub(&last.auth).as_deref(), Some("addon-2"));
}

#[tokio::test]
async fn two_401s_in_a_row_mean_the_session_expired() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::json(401, json!({"error": "no"})));
    mock.push("GET", USERS, Canned::json(401, json!({"error": "no"})).header("x-request-id", "req-401"));
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err, ApiError::SessionExpired { request_id: Some("req-401".into()) });
    assert_eq!(mock.count("GET", USERS), 2);
    assert_eq!(client.stats(), stats(5, 1, 2));
}

#[tokio::test]
async fn a_401_on_the_addon_token_renews_the_jwt() {
    let (mock, client) = start().await;
    let mint = "/v1/apps/my-app/addons/ad-pg/token";
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    client.list_users(&target()).await.unwrap();
    assert_eq!(client.stats(), stats(5, 2, 2));
    assert_eq!(bearer_sub(&mock.last("POST", mint).auth).as_deref(), Some("user-1"));

    // A DB 401 whose new addon token is refused too: JWT renewed once more, then it works.
    mock.push("GET", USERS, Canned::json(401, json!({"error": "expired"})));
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    client.list_users(&target()).await.unwrap();
    assert_eq!(client.stats(), stats(5 + 5, 3, 4));

    // Refused twice: the session is over.
    mock.push("GET", USERS, Canned::json(401, json!({"error": "expired"})));
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    let err = client.list_users(&target()).await.unwrap_err();
    assert!(matches!(err, ApiError::SessionExpired { .. }), "{err:?}");
}

#[tokio::test]
async fn a_401_on_the_main_api_renews_the_jwt_once() {
    let (mock, client) = start().await;
    let addons = "/v1/apps/my-app/addons";
    mock.push("GET", addons, Canned::json(401, json!({"error": "expired"})));
    client.find_addon("my-app", "pgsql").await.unwrap();
    assert_eq!(client.stats(), stats(4, 2, 0));
    mock.push("GET", addons, Canned::json(401, json!({"error": "expired"})));
    mock.push("GET", addons, Canned::json(401, json!({"error": "expired"})));
    let err = client.find_addon("my-app", "pgsql").await.unwrap_err();
    assert!(matches!(err, ApiError::SessionExpired { .. }), "{err:?}");
}

#[tokio::test]
async fn a_refused_api_token_is_reported_plainly() {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    let client =
        ScalingoClient::new(Endpoints::single(base), SecretString::from("tk-us-wrong"), options()).unwrap();
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.to_string().contains("refused the API token"), "{err}");
    assert!(!err.to_string().contains("tk-us-wrong"));
    assert_eq!(client.stats(), stats(1, 1, 0));
}

// ---------------------------------------------------------------------------------------------
// Retries

#[tokio::test]
async fn gets_are_retried_on_503_up_to_three_attempts() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::status(503));
    mock.push("GET", USERS, Canned::status(502));
    client.list_users(&target()).await.unwrap();
    assert_eq!(mock.count("GET", USERS), 3);

    for _ in 0..4 {
        mock.push("GET", USERS, Canned::status(503));
    }
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(mock.count("GET", USERS), 6);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::status(500));
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err.to_string(), "HTTP 500: Internal Server Error");
    assert_eq!(mock.count("GET", USERS), 1);
}

#[tokio::test]
async fn creates_are_never_retried_on_503() {
    let (mock, client) = start().await;
    mock.push("POST", USERS, Canned::status(503));
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.outcome_unknown());
    assert_eq!(mock.count("POST", USERS), 1);

    let reset = "/api/databases/ad-pg/users/reader/reset_password";
    mock.push("POST", reset, Canned::status(504));
    let err = client.reset_password(&target(), "reader").await.unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(mock.count("POST", reset), 1);

    let patch = "/api/databases/ad-pg/users/reader";
    mock.push("PATCH", patch, Canned::status(502));
    let err = client.set_password(&target(), "reader", &"p".repeat(30).into()).await.unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(mock.count("PATCH", patch), 1);
}

/// Auth and main API on the scripted server, the DB API on one that hangs up.
async fn start_with_db(db: Url) -> (Arc<Mock>, ScalingoClient) {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    let client = client(Endpoints { auth: base.clone(), api: base, db });
    (mock, client)
}

#[tokio::test]
async fn a_dropped_create_is_sent_once_and_its_outcome_is_unknown() {
    let (db, count) = serve_dropping().await;
    let (_mock, client) = start_with_db(db).await;
    let err = client.create_user(&target(), &new_user(Some("chosen-password-0123456789"))).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert!(err.outcome_unknown(), "{err:?}");
    let text = err.to_string();
    assert!(matches!(err, ApiError::Network { sent: true, .. }), "{err:?}");
    assert!(text.contains("outcome is unknown"), "{text}");
    assert!(!text.contains("chosen-password"), "{text}");

    let err = client.reset_password(&target(), "reader").await.unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_dropped_get_is_retried() {
    let (db, count) = serve_dropping().await;
    let (_mock, client) = start_with_db(db).await;
    let err = client.list_users(&target()).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_refused_connection_is_not_sent() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let db = Url::parse(&format!("http://{}", closed.local_addr().unwrap())).unwrap();
    drop(closed);
    let (_mock, client) = start_with_db(db).await;
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { sent: false, .. }), "{err:?}");
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_succeeded() {
    let (mock, client) = start().await;
    let path = "/api/databases/ad-pg/users/reader";
    mock.push("DELETE", path, Canned::status(503));
    mock.push("DELETE", path, Canned::json(404, json!({"error": "not found"})));
    client.delete_user(&target(), "reader").await.unwrap();
    assert_eq!(mock.count("DELETE", path), 2);

    // A first-time 404 is an error.
    mock.push("DELETE", path, Canned::json(404, json!({"error": "user not found"})));
    let err = client.delete_user(&target(), "reader").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

// ---------------------------------------------------------------------------------------------
// 429

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let (mock, client) = start().await;
    client.list_users(&target()).await.unwrap();
    mock.push("GET", USERS, Canned::text(429, "Retry later").header("retry-after", "1"));
    let started = Instant::now();
    client.list_users(&target()).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
    assert_eq!(mock.count("GET", USERS), 3);
}

#[tokio::test]
async fn retry_after_is_capped() {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    let client = ScalingoClient::new(
        Endpoints::single(base),
        SecretString::from(API_TOKEN),
        ClientOptions { max_retry_after: Duration::from_millis(20), ..options() },
    )
    .unwrap();
    mock.push("GET", USERS, Canned::text(429, "Retry later").header("retry-after", "3600"));
    let started = Instant::now();
    client.list_users(&target()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_create_refused_with_429_is_sent_again_but_not_forever() {
    let (mock, client) = start().await;
    mock.push("POST", USERS, Canned::text(429, "Retry later"));
    client.create_user(&target(), &new_user(None)).await.unwrap();
    assert_eq!(mock.count("POST", USERS), 2);

    for _ in 0..5 {
        mock.push("POST", USERS, Canned::text(429, "Retry later").header("x-request-id", "req-429"));
    }
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Http {
            status: 429,
            message: "Retry later".into(),
            fields: vec![],
            request_id: Some("req-429".into()),
        }
    );
    assert!(!err.outcome_unknown());
    assert_eq!(mock.count("POST", USERS), 2 + 3);
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test]
async fn errors_carry_the_request_id_and_field_messages() {
    let (mock, client) = start().await;
    mock.push(
        "POST",
        USERS,
        Canned::json(422, json!({"errors": {"name": ["has already been taken"]}}))
            .header("x-request-id", "req-422"),
    );
    let err = client.create_user(&target(), &new_user(Some("chosen-password-0123456789"))).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "HTTP 422 (request id req-422): Unprocessable Entity; name has already been taken"
    );
    assert!(!err.outcome_unknown());

    mock.push(
        "GET",
        "/api/databases/ad-pg",
        Canned::json(403, json!({"error": "region disabled", "code": "region_disabled"}))
            .header("x-request-id", "req-403"),
    );
    let err = client.database(&target()).await.unwrap_err();
    assert_eq!(err.to_string(), "HTTP 403 (request id req-403): region disabled (region_disabled)");

    for _ in 0..3 {
        mock.push("GET", USERS, Canned::status(503).header("x-request-id", "req-503"));
    }
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Http {
            status: 503,
            message: "Service Unavailable".into(),
            fields: vec![],
            request_id: Some("req-503".into()),
        }
    );
}

#[tokio::test]
async fn malformed_answers_are_decode_errors() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::text(200, "<html>oops</html>"));
    let err = client.list_users(&target()).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Addon lookup

#[tokio::test]
async fn find_addon_resolves_ids_types_and_reports_misses() {
    let (_mock, client) = start().await;
    assert_eq!(client.find_addon("my-app", "ad-pg").await.unwrap().id, "ad-pg");
    let addon = client.find_addon("my-app", "PostgreSQL").await.unwrap();
    assert_eq!(addon.plan.unwrap().name, "postgresql-starter-512");

    let err = client.find_addon("my-app", "mysql").await.unwrap_err();
    assert_eq!(err, ApiError::Lookup("no 'mysql' addon exists on app 'my-app'".into()));
    let err = client.find_addon("my-app", "ad-missing").await.unwrap_err();
    assert!(matches!(err, ApiError::Lookup(_)), "{err:?}");
    let err = client.find_addon("my-app", "ad-redis").await.unwrap_err();
    assert!(err.to_string().contains("only PostgreSQL and MySQL"), "{err}");
    let err = client.find_addon("ghost-app", "pgsql").await.unwrap_err();
    assert!(matches!(err, ApiError::Lookup(_)), "{err:?}");
    assert!(err.to_string().contains("'ghost-app'"), "{err}");
}

#[tokio::test]
async fn new_rejects_unusable_configuration() {
    let base = Url::parse("http://127.0.0.1:1").unwrap();
    let err = ScalingoClient::new(Endpoints::single(base), SecretString::from(" "), options()).unwrap_err();
    assert!(matches!(err, ApiError::Config(_)));
    let file = Url::parse("file:///tmp/x").unwrap();
    let err = ScalingoClient::new(Endpoints::single(file), API_TOKEN.into(), options()).unwrap_err();
    assert!(matches!(err, ApiError::Config(_)));
}

// ---------------------------------------------------------------------------------------------
// Secrets stay out of logs and errors

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn passwords_and_tokens_never_reach_logs_or_errors() {
    const CANARY: &str = "CANARY-p4ssw0rd-0123456789abcdef";
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (mock, client) = start().await;
    client.create_user(&target(), &new_user(Some(CANARY))).await.unwrap();
    mock.push(
        "POST",
        "/api/databases/ad-pg/users/reader/reset_password",
        Canned::json(200, json!({"database_user": {"name": "reader", "password": CANARY}})),
    );
    let reset = client.reset_password(&target(), "reader").await.unwrap();
    assert_eq!(reset.password.unwrap().expose_secret(), CANARY);
    // A server that echoes the chosen password in a raw 422 body.
    mock.push(
        "PATCH",
        "/api/databases/ad-pg/users/reader",
        Canned::json(422, json!({"message": format!("password {CANARY} is weak")}))
            .header("x-request-id", "req-echo"),
    );
    let err = client.set_password(&target(), "reader", &CANARY.into()).await.unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(CANARY), "{text}");
    assert!(text.contains("[redacted]") && text.contains("req-echo"), "{text}");
    assert!(!format!("{err:?}").contains(CANARY));
    assert!(!format!("{client:?}").contains(API_TOKEN));

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/api/databases/ad-pg/users"), "{logs}");
    assert!(logs.contains("status=201"), "{logs}");
    assert!(logs.contains("req-echo"), "{logs}");
    let tokens = mock.tokens.lock().unwrap().clone();
    assert_eq!(tokens.len(), 2);
    for secret in tokens.iter().map(String::as_str).chain([CANARY, API_TOKEN]) {
        assert!(!logs.contains(secret), "{secret} in {logs}");
        assert!(!text.contains(secret));
    }
    let encoded = STANDARD.encode(format!(":{API_TOKEN}"));
    assert!(!logs.contains(&encoded));
}
