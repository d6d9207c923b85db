//! Promise P3 for the creates other than users': a request that creates a firewall rule or
//! enables a feature is sent exactly once, whatever happens to its answer. Against the real
//! emulator over loopback, a lost answer (`drop_after`: the change is committed), a connection
//! closed before handling (`drop_before`: nothing changes) and a 503 (nothing changes) each give
//! an error whose outcome is unknown, and the emulator's request log shows ONE POST. Reading
//! afterwards tells what is true, as the UI does to reconcile.

mod support;

use dbdeck::api::cidr::Ipv4Cidr;
use dbdeck::api::{ApiError, DbTarget, FeatureStatus, NewFirewallRule, PUBLICLY_AVAILABLE, ScalingoClient};
use dbdeck::emulator::demo_ids::*;
use serde_json::{Value, json};
use support::emulator::{Env, env};

/// A fault for the next request to `method path` only.
fn once(method: &str, path: &str, action: &Value) -> Value {
    json!({"method": method, "path": path, "times": 1, "action": action})
}

/// No fault is left over: each one was used by the single request it was meant for.
async fn faults_used_up(e: &Env) {
    assert_eq!(e.emu.faults().await, json!([]), "a fault was not used");
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
        e.emu.clear_log().await;
        e.emu.fault(once("POST", &path, &action)).await;
        let err = c.create_firewall_rule(&dr, &rule).await.unwrap_err();
        assert_unknown(&err, &action);
        assert_eq!(e.emu.hits("POST", &path).await, [logged], "{action}: exactly one POST");
        faults_used_up(&e).await;

        // Listing settles it: a lost answer hid a committed rule; the others made nothing.
        let rules = c.list_firewall_rules(&dr).await.unwrap();
        let made: Vec<_> = rules.iter().filter(|r| rule.same_as(r)).collect();
        assert_eq!(made.len(), usize::from(committed), "{action}: {rules:?}");
        if let Some(made) = made.first() {
            assert_eq!(made.label.as_deref(), Some(format!("sent once {i}").as_str()));
        }
        assert_eq!(e.emu.hits("POST", &path).await, [logged], "listing sends no POST");
    }
    let rules = c.list_firewall_rules(&dr).await.unwrap();
    assert_eq!(rules.len(), 3, "the seed's two and the one whose answer was lost: {rules:?}");

    // Without a fault the same call succeeds at the first attempt (the path is the right one).
    e.emu.clear_log().await;
    let cidr = Ipv4Cidr::parse_canonical("198.51.100.99/32").unwrap();
    let rule = NewFirewallRule::Custom { cidr, label: None };
    let created = c.create_firewall_rule(&dr, &rule).await.unwrap();
    assert!(rule.same_as(&created), "{created:?}");
    assert_eq!(e.emu.hits("POST", &path).await, ["201 addon"]);
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
        e.emu.clear_log().await;
        e.emu.fault(once("POST", &path, &action)).await;
        let err = c.enable_feature(&pg, PUBLICLY_AVAILABLE).await.unwrap_err();
        assert_unknown(&err, &action);
        assert_eq!(e.emu.hits("POST", &path).await, [logged], "{action}: exactly one POST");
        faults_used_up(&e).await;
        // Reading the database settles it (the demo emulator applies a change at once).
        let expected = if committed { FeatureStatus::Enabled } else { FeatureStatus::Disabled };
        assert_eq!(internet_access(c, &pg).await, expected, "{action}");
        assert_eq!(e.emu.hits("POST", &path).await, [logged], "reading sends no POST");
    }
}
