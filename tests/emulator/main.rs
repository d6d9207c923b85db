//! The emulator over real loopback HTTP: the shared harness (client, tokens, control API).

mod auth;
mod databases;
mod faults;
mod limits;
mod main_api;
mod state;
mod users;

use std::time::{Duration, Instant};

use base64::Engine as _;
use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, RunningEmulator, demo_ids::*, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Emu {
    emu: RunningEmulator,
    http: reqwest::Client,
    base: String,
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
    json: Value,
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

async fn emulator_with(config: EmulatorConfig) -> Emu {
    let emu = start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    Emu { emu, http: client(), base }
}

async fn emulator() -> Emu {
    emulator_with(EmulatorConfig::demo()).await
}

fn basic(token: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!(":{token}")))
}

fn db_path(addon: &str, rest: &str) -> String {
    format!("/api/databases/{addon}{rest}")
}

impl Emu {
    async fn try_send(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).header("Accept", "application/json");
        if let Some(auth) = auth {
            let value = if auth.starts_with("Basic ") { auth.to_owned() } else { format!("Bearer {auth}") };
            request = request.header("Authorization", value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply { status, headers, text, json })
    }

    async fn send(&self, method: Method, path: &str, auth: Option<&str>, body: Option<Value>) -> Reply {
        self.try_send(method, path, auth, body).await.unwrap()
    }

    async fn get(&self, path: &str, auth: Option<&str>) -> Reply {
        self.send(Method::GET, path, auth, None).await
    }

    async fn jwt(&self) -> String {
        let reply = self
            .send(Method::POST, "/v1/tokens/exchange", Some(&basic(DEMO_API_TOKEN)), Some(json!({})))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["token"].as_str().unwrap().to_owned()
    }

    async fn addon_token(&self, jwt: &str, app: &str, addon: &str) -> String {
        let reply = self
            .send(Method::POST, &format!("/v1/apps/{app}/addons/{addon}/token"), Some(jwt), Some(json!({})))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["addon"]["token"].as_str().unwrap().to_owned()
    }

    async fn pg_token(&self) -> String {
        let jwt = self.jwt().await;
        self.addon_token(&jwt, SHOP_APP, PG_ADDON).await
    }

    async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(method, &format!("/_emulator/{path}"), None, body).await
    }

    async fn fault(&self, fault: Value) {
        let reply = self.control(Method::POST, "faults", Some(fault)).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }

    async fn requests(&self) -> Vec<Value> {
        let reply = self.control(Method::GET, "requests", None).await;
        reply.json["requests"].as_array().unwrap().clone()
    }

    async fn user_names(&self, token: &str, addon: &str) -> Vec<String> {
        let reply = self.get(&db_path(addon, "/users"), Some(token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["database-users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn create_user(&self, token: &str, addon: &str, user: Value) -> Reply {
        self.send(Method::POST, &db_path(addon, "/users"), Some(token), Some(json!({"database_user": user})))
            .await
    }

    /// Creates the PostgreSQL user `name` behind a `kind` fault (`drop_before`, `drop_after`):
    /// the connection error the create gets, which has no HTTP status.
    async fn create_user_dropped(&self, token: &str, kind: &str, name: &str) -> reqwest::Error {
        let path = db_path(PG_ADDON, "/users");
        self.fault(json!({"method": "POST", "path": path, "action": {"kind": kind}})).await;
        let body = json!({"database_user": {"name": name}});
        let sent = self.try_send(Method::POST, &path, Some(token), Some(body)).await;
        let err = sent.err().expect("a connection error, not an HTTP status");
        assert!(err.status().is_none(), "{err:?}");
        err
    }
}

fn jwt_payload(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "JWT-shaped: {token}");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

fn assert_generated(password: &str) {
    assert_eq!(password.len(), 64, "{password}");
    assert!(password.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{password}");
}
