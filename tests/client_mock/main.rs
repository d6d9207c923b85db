//! The Scalingo client against a tiny in-test axum server that each test scripts: the harness.

mod bodies;
mod errors;
mod redirects;
mod requests;
mod retries;
mod secrets;
mod tokens;

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
                if !read_head(&mut socket).await {
                    return;
                }
                counter.fetch_add(1, Ordering::SeqCst);
                // Let the body arrive, then hang up without a word.
                let mut chunk = [0u8; 4096];
                let _ = tokio::time::timeout(Duration::from_millis(50), socket.read(&mut chunk)).await;
                drop(socket);
            });
        }
    });
    (Url::parse(&format!("http://{addr}")).unwrap(), count)
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Reads a request's head (up to the blank line); false when the peer hung up first.
async fn read_head(socket: &mut tokio::net::TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

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
        pace: None,
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
