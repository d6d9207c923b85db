//! Promise P3 for the creates other than users': a request that creates a firewall rule or
//! enables a feature is sent exactly once, whatever happens to its answer. Against the real
//! emulator over loopback, a lost answer (`drop_after`: the change is committed), a connection
//! closed before handling (`drop_before`: nothing changes) and a 503 (nothing changes) each give
//! an error whose outcome is unknown, and the emulator's request log shows ONE POST. Reading
//! afterwards tells what is true, as the UI does to reconcile.

use std::time::Duration;

use dbdeck::api::cidr::Ipv4Cidr;
use dbdeck::api::{
    ApiError, ClientOptions, DbTarget, Endpoints, FeatureStatus, NewFirewallRule, PUBLICLY_AVAILABLE,
    ScalingoClient,
};
use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, RunningEmulator, demo_ids::*, start};
use reqwest::Method;
use secrecy::SecretString;
use serde_json::{Value, json};

struct Env {
    _emu: RunningEmulator,
    client: ScalingoClient,
    http: reqwest::Client,
    base: String,
}

/// The demo emulator (feature changes settle at once) and a client with short backoffs, so that a
/// wrongful retry would happen, and show in the log, before the call returns.
async fn env() -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = start(EmulatorConfig::demo(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let options = ClientOptions { backoff_base: Duration::from_millis(5), ..ClientOptions::default() };
    let endpoints = Endpoints::single(emu.base_url());
    let client = ScalingoClient::new(endpoints, SecretString::from(DEMO_API_TOKEN), options).unwrap();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    Env { _emu: emu, client, http, base }
}

impl Env {
    async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}/_emulator/{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.json().await.unwrap_or(Value::Null)
    }

    async fn fault(&self, method: &str, path: &str, action: &Value) {
        let fault = json!({"method": method, "path": path, "times": 1, "action": action});
        self.control(Method::POST, "faults", Some(fault)).await;
    }

    async fn clear_log(&self) {
        self.control(Method::DELETE, "requests", None).await;
    }

    /// `status auth [fault]` of every logged `method path` request, `-` for a dropped one.
    async fn hits(&self, method: &str, path: &str) -> Vec<String> {
        let log = self.control(Method::GET, "requests", None).await;
        log["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["method"] == method && e["path"] == path)
            .map(|e| {
                let status = e["status"].as_u64().map_or("-".to_owned(), |s| s.to_string());
                let fault = e["fault"].as_str().map(|f| format!(" {f}")).unwrap_or_default();
                format!("{status} {}{fault}", e["auth"].as_str().unwrap_or_default())
            })
            .collect()
    }

    /// No fault is left over: each one was used by the single request it was meant for.
    async fn faults_used_up(&self) {
        let faults = self.control(Method::GET, "faults", None).await;
        assert_eq!(faults["faults"], json!([]), "a fault was not used");
    }
}

/// The three ways a create can fail with an unknown outcome: the fault, what the single request
/// looks like in the log, and whether the emulator applied it.
fn failures() -> [(Value, &'static str, bool); 3] {
    [
        (json!({"kind": "drop_after"}), "- addon drop_after", true),
        (json!({"kind": "drop_before"}), "- addon drop_before", false),
        (json!({"kind": "status", "status": 503}), "503 addon status", false),
    ]
}

/// An error that says the change may or may not have been made, of the kind the fault causes.
fn assert_unknown(err: &ApiError, action: &Value) {
    assert!(err.outcome_unknown(), "{action}: {err:?}");
    if action["kind"] == "status" {
        assert_eq!(err.status(), Some(503), "{err:?}");
    } else {
        assert!(matches!(err, ApiError::Network { sent: true, .. }), "{action}: {err:?}");
        assert!(err.to_string().contains("outcome is unknown"), "{err}");
    }
}

async fn internet_access(client: &ScalingoClient, target: &DbTarget) -> FeatureStatus {
    FeatureStatus::of(&client.database(target).await.unwrap().features, PUBLICLY_AVAILABLE)
}

#[tokio::test]
async fn a_firewall_rule_create_is_sent_once_when_its_answer_is_lost_or_fails() {
    let e = env().await;
    let (c, dr) =
        (&e.client, DbTarget { region: "osc-fr1".into(), app: DR_APP.into(), addon_id: DR_ADDON.into() });
    let path = format!("/api/databases/{DR_ADDON}/firewall_rules");
    let before = c.list_firewall_rules(&dr).await.unwrap();
    assert_eq!(before.len(), 2, "the seed's custom and managed rules: {before:?}");

    for (i, (action, logged, committed)) in failures().into_iter().enumerate() {
        let cidr = Ipv4Cidr::parse_canonical(&format!("198.51.100.{}/32", 10 + i)).unwrap();
        let rule = NewFirewallRule::Custom { cidr, label: Some(format!("sent once {i}")) };
        e.clear_log().await;
        e.fault("POST", &path, &action).await;
        let err = c.create_firewall_rule(&dr, &rule).await.unwrap_err();
        assert_unknown(&err, &action);
        assert_eq!(e.hits("POST", &path).await, [logged], "{action}: exactly one POST");
        e.faults_used_up().await;

        // Listing settles it: a lost answer hid a committed rule; the others made nothing.
        let rules = c.list_firewall_rules(&dr).await.unwrap();
        let made: Vec<_> = rules.iter().filter(|r| rule.same_as(r)).collect();
        assert_eq!(made.len(), usize::from(committed), "{action}: {rules:?}");
        if let Some(made) = made.first() {
            assert_eq!(made.label.as_deref(), Some(format!("sent once {i}").as_str()));
        }
        assert_eq!(e.hits("POST", &path).await, [logged], "listing sends no POST");
    }
    let rules = c.list_firewall_rules(&dr).await.unwrap();
    assert_eq!(rules.len(), 3, "the seed's two and the one whose answer was lost: {rules:?}");

    // Without a fault the same call succeeds at the first attempt (the path is the right one).
    e.clear_log().await;
    let cidr = Ipv4Cidr::parse_canonical("198.51.100.99/32").unwrap();
    let rule = NewFirewallRule::Custom { cidr, label: None };
    let created = c.create_firewall_rule(&dr, &rule).await.unwrap();
    assert!(rule.same_as(&created), "{created:?}");
    assert_eq!(e.hits("POST", &path).await, ["201 addon"]);
}

#[tokio::test]
async fn a_feature_enable_is_sent_once_when_its_answer_is_lost_or_fails() {
    let e = env().await;
    let (c, pg) =
        (&e.client, DbTarget { region: "osc-fr1".into(), app: SHOP_APP.into(), addon_id: PG_ADDON.into() });
    let path = format!("/api/databases/{PG_ADDON}/features");
    assert_eq!(
        internet_access(c, &pg).await,
        FeatureStatus::Disabled,
        "the seed has TLS enforced, not Internet access"
    );

    // The ones that change nothing first, so that each starts from a disabled feature.
    let mut cases = failures();
    cases.rotate_left(1);
    for (action, logged, committed) in cases {
        e.clear_log().await;
        e.fault("POST", &path, &action).await;
        let err = c.enable_feature(&pg, PUBLICLY_AVAILABLE).await.unwrap_err();
        assert_unknown(&err, &action);
        assert_eq!(e.hits("POST", &path).await, [logged], "{action}: exactly one POST");
        e.faults_used_up().await;
        // Reading the database settles it (the demo emulator applies a change at once).
        let expected = if committed { FeatureStatus::Enabled } else { FeatureStatus::Disabled };
        assert_eq!(internet_access(c, &pg).await, expected, "{action}");
        assert_eq!(e.hits("POST", &path).await, [logged], "reading sends no POST");
    }
}
