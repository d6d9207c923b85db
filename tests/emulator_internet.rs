//! The emulator's Internet Access endpoints over raw HTTP, as any client (the official CLI
//! included) sees them: firewall rule validation, managed ranges, the DR database list that
//! `--database` resolution uses, and feature changes in progress.

use std::time::Duration;

use base64::Engine as _;
use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, RunningEmulator, demo_ids::*, start};
use reqwest::Method;
use serde_json::{Value, json};

struct Emu {
    emu: RunningEmulator,
    http: reqwest::Client,
}

impl Emu {
    async fn new(settle: Duration) -> Emu {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = EmulatorConfig { feature_settle: settle, ..EmulatorConfig::demo() };
        Emu {
            emu: start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap(),
            http: reqwest::Client::new(),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = format!("{}{}", self.emu.base_url(), path.trim_start_matches('/'));
        let mut request = self.http.request(method, url);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null))
    }

    async fn jwt(&self) -> String {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(":{DEMO_API_TOKEN}"));
        let url = format!("{}v1/tokens/exchange", self.emu.base_url());
        let response = self.http.post(url).header("Authorization", format!("Basic {basic}")).json(&json!({}));
        let body: Value = response.send().await.unwrap().json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    async fn token(&self, app: &str, addon: &str) -> String {
        let jwt = self.jwt().await;
        let path = format!("/v1/apps/{app}/addons/{addon}/token");
        let (status, body) = self.send(Method::POST, &path, Some(&jwt), Some(json!({}))).await;
        assert_eq!(status, 200);
        body["addon"]["token"].as_str().unwrap().to_owned()
    }
}

fn rules_path() -> String {
    format!("/api/databases/{DR_ADDON}/firewall_rules")
}

#[tokio::test]
async fn rule_bodies_bare_or_wrapped_and_every_refusal() {
    let emu = Emu::new(Duration::ZERO).await;
    let token = emu.token(DR_APP, DR_ADDON).await;
    let path = rules_path();
    let post = |body: Value| emu.send(Method::POST, &path, Some(&token), Some(body));

    let (status, body) =
        post(json!({"firewall_rule": {"type": "custom_range", "cidr": "192.0.2.0/24"}})).await;
    assert_eq!(status, 201, "the dashboard's wrapped form: {body}");
    assert_eq!(body["rule"]["cidr"], "192.0.2.0/24");
    assert_eq!(body["rule"]["label"], Value::Null);

    let refusals = [
        (json!({"type": "managed_range", "range_id": "mr-scalingo-osc-secnum-fr1", "label": "x"}), "label"),
        (json!({"type": "custom_range", "cidr": "010.0.0.0/8"}), "cidr"),
        (json!({"type": "custom_range", "cidr": "10.0.0.0/33"}), "cidr"),
        (json!({"type": "custom_range", "cidr": "198.51.100.7/24"}), "cidr"),
        (json!({"type": "custom_range", "cidr": "198.51.100.7"}), "cidr"),
        (json!({"type": "custom_range"}), "cidr"),
        (json!({"type": "managed_range", "range_id": "mr-nowhere"}), "range_id"),
        (json!({"type": "managed_range", "range_id": "mr-scalingo-osc-fr1"}), "range_id"),
        (json!({"cidr": "192.0.2.0/24"}), "type"),
    ];
    for (body, field) in refusals {
        let (status, answer) = post(body.clone()).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(answer["errors"][field].is_array(), "{body}: {answer}");
    }
    let (_, answer) = post(json!({"type": "custom_range", "cidr": "198.51.100.7/24"})).await;
    assert!(answer["errors"]["cidr"][0].as_str().unwrap().contains("198.51.100.0/24"), "says which network");

    let (status, body) = emu.send(Method::GET, &rules_path(), Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["rules"].as_array().unwrap().len(), 3, "only the accepted rule was added");

    // Rules exist only on dedicated databases; another database's token is refused.
    let pg = emu.token(SHOP_APP, PG_ADDON).await;
    let shared = format!("/api/databases/{PG_ADDON}/firewall_rules");
    assert_eq!(emu.send(Method::GET, &shared, Some(&pg), None).await.0, 400);
    assert_eq!(emu.send(Method::GET, &rules_path(), Some(&pg), None).await.0, 401);
    let unknown = format!("{}/nope", rules_path());
    assert_eq!(emu.send(Method::DELETE, &unknown, Some(&token), None).await.0, 404);
}

#[tokio::test]
async fn a_label_patch_needs_its_wrapper_and_changes_the_label_only() {
    let emu = Emu::new(Duration::ZERO).await;
    let token = emu.token(DR_APP, DR_ADDON).await;
    let custom = format!("{}/{DR_CUSTOM_RULE}", rules_path());
    let patch = |path: String, body: Value| {
        let token = token.clone();
        let emu = &emu;
        async move { emu.send(Method::PATCH, &path, Some(&token), Some(body)).await }
    };

    let (status, body) = patch(custom.clone(), json!({"label": "bare"})).await;
    assert_eq!(status, 400, "the wrapper is required: {body}");
    assert!(body["error"].as_str().unwrap().contains("firewall_rule"), "{body}");

    let (status, body) = patch(custom.clone(), json!({"firewall_rule": {"label": "Head office"}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rule"]["label"], "Head office");
    assert_eq!(body["rule"]["cidr"], "203.0.113.0/24");
    assert_eq!(body["rule"]["id"], DR_CUSTOM_RULE);

    let long = "x".repeat(256);
    let refusals = [
        (json!({"firewall_rule": {"cidr": "192.0.2.0/24", "label": "x"}}), "base"),
        (json!({"firewall_rule": {"label": 42}}), "label"),
        (json!({"firewall_rule": {"label": long}}), "label"),
    ];
    for (body, field) in refusals {
        let (status, answer) = patch(custom.clone(), body.clone()).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert!(answer["errors"][field].is_array(), "{body}: {answer}");
    }
    let (_, listed) = emu.send(Method::GET, &rules_path(), Some(&token), None).await;
    assert_eq!(listed["rules"][0]["label"], "Head office", "refusals change nothing");
    assert_eq!(listed["rules"][0]["cidr"], "203.0.113.0/24");

    // A managed range has no label; an unknown rule is a 404; an empty label clears it.
    let managed = listed["rules"][1]["id"].as_str().unwrap().to_owned();
    let (status, answer) =
        patch(format!("{}/{managed}", rules_path()), json!({"firewall_rule": {"label": "x"}})).await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer["errors"]["label"].is_array(), "{answer}");
    let (status, _) = patch(format!("{}/nope", rules_path()), json!({"firewall_rule": {"label": "x"}})).await;
    assert_eq!(status, 404);
    let (status, body) = patch(custom, json!({"firewall_rule": {"label": ""}})).await;
    assert_eq!((status, &body["rule"]["label"]), (200, &Value::Null));
}

#[tokio::test]
async fn managed_ranges_want_a_database_token() {
    let emu = Emu::new(Duration::ZERO).await;
    let path = "/api/firewall/managed_ranges";
    let jwt = emu.jwt().await;
    assert_eq!(emu.send(Method::GET, path, Some(&jwt), None).await.0, 401);
    assert_eq!(emu.send(Method::GET, path, None, None).await.0, 401);
    let token = emu.token(DR_APP, DR_ADDON).await;
    let (status, body) = emu.send(Method::GET, path, Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["ranges"][0], json!({"id": "mr-scalingo-osc-fr1", "name": "Scalingo osc-fr1 region"}));
}

#[tokio::test]
async fn the_dedicated_database_resolves_like_the_cli_does() {
    let emu = Emu::new(Duration::ZERO).await;
    let jwt = emu.jwt().await;
    // `IsResourceDatabase`: the app's `dedicated-database` flag.
    let (_, app) = emu.send(Method::GET, &format!("/v1/apps/{DR_APP}"), Some(&jwt), None).await;
    assert_eq!(app["app"]["flags"]["dedicated-database"], true);
    // `--database X`: exactly one addon, whose id is the DB API id.
    let (_, addons) = emu.send(Method::GET, &format!("/v1/apps/{DR_APP}/addons"), Some(&jwt), None).await;
    let addons = addons["addons"].as_array().unwrap();
    assert_eq!(addons.len(), 1);
    assert_eq!(addons[0]["id"], DR_ADDON);
    assert_eq!(addons[0]["addon_provider"]["id"], "postgresql-ng");

    let (status, list) = emu.send(Method::GET, "/v1/databases", Some(&jwt), None).await;
    assert_eq!(status, 200);
    let list = list["databases"].as_array().unwrap();
    assert_eq!(list.len(), 1, "only dedicated databases: {list:?}");
    assert_eq!(list[0]["name"], DR_APP);
    assert_eq!(list[0]["technology"], "postgresql-ng");
    let id = list[0]["id"].as_str().unwrap();
    for key in [DR_APP, id] {
        let (status, one) = emu.send(Method::GET, &format!("/v1/databases/{key}"), Some(&jwt), None).await;
        assert_eq!((status, &one["database"]["name"]), (200, &json!(DR_APP)));
    }
    let (status, missing) = emu.send(Method::GET, "/v1/databases/shop-prod", Some(&jwt), None).await;
    assert_eq!((status, missing), (404, json!({"error": "Database not found"})));
}

#[tokio::test]
async fn features_in_progress_cannot_be_reversed() {
    let emu = Emu::new(Duration::from_secs(3600)).await;
    let token = emu.token(SHOP_APP, PG_ADDON).await;
    let features = format!("/api/databases/{PG_ADDON}/features");
    let enable = |name: &str| json!({"feature": {"name": name}});
    let disable = |name: &str| format!("{features}?feature={name}");
    // The seed's TLS is on: turn it off; it stays pending (an hour).
    let (status, _) = emu.send(Method::DELETE, &disable("force-ssl"), Some(&token), None).await;
    assert_eq!(status, 200);
    let (_, db) = emu.send(Method::GET, &format!("/api/databases/{PG_ADDON}"), Some(&token), None).await;
    assert_eq!(db["database"]["features"], json!([{"name": "force-ssl", "status": "PENDING_TO_REMOVE"}]));
    let (status, body) = emu.send(Method::POST, &features, Some(&token), Some(enable("force-ssl"))).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = emu.send(Method::DELETE, &disable("force-ssl"), Some(&token), None).await;
    assert_eq!(status, 200, "asking again is harmless: {body}");
    // Internet accessibility needs TLS active, not on its way out.
    let (status, _) =
        emu.send(Method::POST, &features, Some(&token), Some(enable("publicly-available"))).await;
    assert_eq!(status, 422);

    let settings = format!("{}_emulator/settings", emu.emu.base_url());
    let current: Value = reqwest::get(&settings).await.unwrap().json().await.unwrap();
    assert_eq!(current["settings"]["feature_settle_ms"], 3_600_000);
    assert_eq!(current["settings"]["fail_next_feature_change"], false);
    let bad =
        emu.http.post(&settings).json(&json!({"fail_next_feature_change": "yes"})).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}
