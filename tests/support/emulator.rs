//! The Scalingo API emulator on a loopback port for the client tests, a client of it with the
//! demo token, and its control endpoints (`/_emulator/...`): faults, the request log, settings.

#![allow(dead_code)]

use std::time::Duration;

use dbdeck::api::{ClientOptions, Endpoints, ScalingoClient};
use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, RunningEmulator, start};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

/// A running emulator and an HTTP client for its control endpoints; it stops when dropped.
pub struct Emulator {
    pub running: RunningEmulator,
    http: reqwest::Client,
    base: String,
}

impl Emulator {
    /// Starts `config` on a free loopback port (rustls' ring provider installed first).
    pub async fn start(config: EmulatorConfig) -> Emulator {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let running = start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let base = running.base_url().as_str().trim_end_matches('/').to_owned();
        Emulator { running, http, base }
    }

    /// The demo emulator: the demo seed, feature changes settling at once.
    pub async fn demo() -> Emulator {
        Emulator::start(EmulatorConfig::demo()).await
    }

    pub fn base_url(&self) -> url::Url {
        self.running.base_url()
    }

    /// A client with the demo token, every API on the emulator's one URL.
    pub fn client(&self, options: ClientOptions) -> ScalingoClient {
        let endpoints = Endpoints::single(self.base_url());
        ScalingoClient::new(endpoints, SecretString::from(DEMO_API_TOKEN), options).unwrap()
    }

    /// A control endpoint call that must succeed; its JSON answer (`Null` for a 204).
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}/_emulator/{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.json().await.unwrap_or(Value::Null)
    }

    /// Changes the emulator's settings (`{"token_lifetime_secs": 1}`, `{"feature_settle_ms": 0}`).
    pub async fn settings(&self, settings: Value) -> Value {
        self.control(Method::POST, "settings", Some(settings)).await
    }

    /// Adds a fault: `{"method", "path", "times"?, "action": {"kind", ...}, "retry_after"?}`.
    pub async fn fault(&self, fault: Value) {
        self.control(Method::POST, "faults", Some(fault)).await;
    }

    /// The faults not used up yet.
    pub async fn faults(&self) -> Value {
        self.control(Method::GET, "faults", None).await["faults"].clone()
    }

    pub async fn clear_faults(&self) {
        self.control(Method::DELETE, "faults", None).await;
    }

    /// Every logged request, as the emulator's JSON entries.
    pub async fn requests(&self) -> Vec<Value> {
        let log = self.control(Method::GET, "requests", None).await;
        log["requests"].as_array().unwrap().clone()
    }

    /// Every logged request as `METHOD path status auth [fault]` (see [`summary`]).
    pub async fn log(&self) -> Vec<String> {
        self.requests().await.iter().map(summary).collect()
    }

    /// `METHOD path` of every logged request.
    pub async fn paths(&self) -> Vec<String> {
        let requests = self.requests().await;
        requests
            .iter()
            .map(|r| format!("{} {}", r["method"].as_str().unwrap(), r["path"].as_str().unwrap()))
            .collect()
    }

    /// The `status auth [fault]` of the logged requests to `method path`.
    pub async fn hits(&self, method: &str, path: &str) -> Vec<String> {
        hits(&self.log().await, method, path)
    }

    pub async fn clear_log(&self) {
        self.control(Method::DELETE, "requests", None).await;
    }
}

/// `METHOD path status auth [fault]`, status `-` for a dropped connection.
pub fn summary(entry: &Value) -> String {
    let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
    let status = entry["status"].as_u64().map_or("-".to_owned(), |s| s.to_string());
    let fault = entry["fault"].as_str().map(|f| format!(" {f}")).unwrap_or_default();
    format!("{} {} {status} {}{fault}", text("method"), text("path"), text("auth"))
}

/// The `status auth [fault]` of the requests to `method path` in a [`Emulator::log`].
pub fn hits(log: &[String], method: &str, path: &str) -> Vec<String> {
    let prefix = format!("{method} {path} ");
    log.iter().filter_map(|l| l.strip_prefix(&prefix)).map(str::to_owned).collect()
}

/// The demo emulator and a client of it with short backoffs, so that a wrongful retry would
/// happen, and show in the log, before the call returns.
pub struct Env {
    pub emu: Emulator,
    pub client: ScalingoClient,
}

pub async fn env() -> Env {
    let emu = Emulator::demo().await;
    let client =
        emu.client(ClientOptions { backoff_base: Duration::from_millis(5), ..ClientOptions::default() });
    Env { emu, client }
}
