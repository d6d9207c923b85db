//! The client's Internet Access endpoints against the emulator over loopback: features (with
//! pending statuses settling, failing, and the older `PENDING`), firewall rules, managed ranges.

mod support;

use std::time::Duration;

use dbdeck::api::cidr::Ipv4Cidr;
use dbdeck::api::{
    ClientOptions, DbTarget, FORCE_SSL, FeatureStatus, MAX_FIREWALL_RULES, NewFirewallRule,
    PUBLICLY_AVAILABLE, ScalingoClient,
};
use dbdeck::emulator::{EmulatorConfig, demo_ids::*};
use serde_json::json;
use support::emulator::Emulator;

async fn emulator(settle: Duration) -> (Emulator, ScalingoClient) {
    let emu = Emulator::start(EmulatorConfig { feature_settle: settle, ..EmulatorConfig::demo() }).await;
    let client = emu.client(ClientOptions::default());
    (emu, client)
}

fn mysql() -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: SHOP_APP.into(), addon_id: MYSQL_ADDON.into() }
}

fn dr() -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: DR_APP.into(), addon_id: DR_ADDON.into() }
}

async fn status(client: &ScalingoClient, target: &DbTarget, name: &str) -> FeatureStatus {
    FeatureStatus::of(&client.database(target).await.unwrap().features, name)
}

/// Reads the database until `name` is no longer pending (the emulator settles lazily).
async fn settled(client: &ScalingoClient, target: &DbTarget, name: &str) -> FeatureStatus {
    loop {
        let now = status(client, target, name).await;
        if !now.is_pending() {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn features_go_through_pending_and_settle() {
    let (emu, client) = emulator(Duration::from_millis(300)).await;
    let target = mysql();
    // Internet accessibility needs TLS: refused with the reason.
    let refused = client.enable_feature(&target, PUBLICLY_AVAILABLE).await.unwrap_err();
    assert_eq!(refused.status(), Some(422));
    assert!(refused.to_string().contains("force-ssl"), "{refused}");

    let change = client.enable_feature(&target, FORCE_SSL).await.unwrap();
    assert_eq!((change.name.as_str(), change.status.as_str()), (FORCE_SSL, "PENDING_TO_ACTIVATE"));
    assert!(!change.message.is_empty());
    assert_eq!(status(&client, &target, FORCE_SSL).await, FeatureStatus::Enabling);
    // Not before TLS is active.
    assert_eq!(client.enable_feature(&target, PUBLICLY_AVAILABLE).await.unwrap_err().status(), Some(422));
    assert_eq!(settled(&client, &target, FORCE_SSL).await, FeatureStatus::Enabled);

    client.enable_feature(&target, PUBLICLY_AVAILABLE).await.unwrap();
    assert_eq!(settled(&client, &target, PUBLICLY_AVAILABLE).await, FeatureStatus::Enabled);
    // TLS cannot go while Internet accessibility is on.
    assert_eq!(client.disable_feature(&target, FORCE_SSL).await.unwrap_err().status(), Some(422));

    let off = client.disable_feature(&target, PUBLICLY_AVAILABLE).await.unwrap();
    assert!(off.message.contains("being disabled"), "{off:?}");
    assert_eq!(status(&client, &target, PUBLICLY_AVAILABLE).await, FeatureStatus::Disabling);
    assert_eq!(settled(&client, &target, PUBLICLY_AVAILABLE).await, FeatureStatus::Disabled);

    // The name travels in the query string, with no body.
    let log = emu.requests().await;
    let delete = log.iter().rev().find(|r| r["method"] == "DELETE").unwrap();
    assert_eq!(delete["path"], format!("/api/databases/{MYSQL_ADDON}/features"));
    assert_eq!(delete["query"], "feature=publicly-available");
}

#[tokio::test]
async fn a_failing_change_and_the_older_pending_status() {
    let (emu, client) = emulator(Duration::from_millis(200)).await;
    let target = mysql();
    emu.settings(json!({"fail_next_feature_change": true, "legacy_pending_status": true})).await;
    let change = client.enable_feature(&target, FORCE_SSL).await.unwrap();
    assert_eq!(change.status, "PENDING", "GS's status name");
    assert_eq!(FeatureStatus::from_status(&change.status), FeatureStatus::Enabling);
    assert_eq!(settled(&client, &target, FORCE_SSL).await, FeatureStatus::Failed);
    // Trying again after a failure works (the fault was used up).
    client.enable_feature(&target, FORCE_SSL).await.unwrap();
    assert_eq!(settled(&client, &target, FORCE_SSL).await, FeatureStatus::Enabled);
    // With no delay a change settles at once.
    emu.settings(json!({"feature_settle_ms": 0})).await;
    client.disable_feature(&target, FORCE_SSL).await.unwrap();
    assert_eq!(status(&client, &target, FORCE_SSL).await, FeatureStatus::Disabled);
    assert_eq!(client.disable_feature(&target, FORCE_SSL).await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn firewall_rules_list_add_and_delete() {
    let (_emu, client) = emulator(Duration::ZERO).await;
    let target = dr();
    let rules = client.list_firewall_rules(&target).await.unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0].id, DR_CUSTOM_RULE);
    assert_eq!(
        (rules[0].cidr.as_deref(), rules[0].label.as_deref()),
        (Some("203.0.113.0/24"), Some("Office VPN"))
    );
    assert!(rules[1].is_managed() && rules[1].source() == "mr-scalingo-osc-fr1" && rules[1].label.is_none());

    let ranges = client.managed_ranges(&target).await.unwrap();
    assert!(ranges.iter().any(|r| r.id == "mr-scalingo-osc-fr1" && r.name == "Scalingo osc-fr1 region"));

    let cidr = Ipv4Cidr::parse_canonical("198.51.100.0/24").unwrap();
    let new = NewFirewallRule::Custom { cidr, label: Some("Partner".into()) };
    let created = client.create_firewall_rule(&target, &new).await.unwrap();
    assert_eq!(created.cidr.as_deref(), Some("198.51.100.0/24"));
    assert_eq!(created.label.as_deref(), Some("Partner"));
    assert!(!created.id.is_empty() && !created.database_id.is_empty());
    assert!(new.same_as(&created));
    let again = client.create_firewall_rule(&target, &new).await.unwrap_err();
    assert_eq!(again.status(), Some(422), "the same CIDR twice");
    let secnum = NewFirewallRule::Managed { range_id: "mr-scalingo-osc-secnum-fr1".into() };
    assert!(client.create_firewall_rule(&target, &secnum).await.unwrap().is_managed());
    assert_eq!(client.list_firewall_rules(&target).await.unwrap().len(), 4);

    client.delete_firewall_rule(&target, &created.id).await.unwrap();
    let rules = client.list_firewall_rules(&target).await.unwrap();
    assert!(!rules.iter().any(|r| r.id == created.id));
    assert_eq!(client.delete_firewall_rule(&target, &created.id).await.unwrap_err().status(), Some(404));
}

#[tokio::test]
async fn the_31st_rule_and_shared_databases_are_refused() {
    let (_emu, client) = emulator(Duration::ZERO).await;
    let target = dr();
    for i in 2..MAX_FIREWALL_RULES {
        let cidr = Ipv4Cidr::parse_canonical(&format!("10.0.{i}.0/24")).unwrap();
        client.create_firewall_rule(&target, &NewFirewallRule::Custom { cidr, label: None }).await.unwrap();
    }
    assert_eq!(client.list_firewall_rules(&target).await.unwrap().len(), MAX_FIREWALL_RULES);
    let cidr = Ipv4Cidr::parse_canonical("10.1.0.0/16").unwrap();
    let refused = client.create_firewall_rule(&target, &NewFirewallRule::Custom { cidr, label: None }).await;
    let refused = refused.unwrap_err();
    assert_eq!(refused.status(), Some(422));
    assert!(refused.to_string().contains("30"), "{refused}");

    let shared = DbTarget { region: "osc-fr1".into(), app: SHOP_APP.into(), addon_id: PG_ADDON.into() };
    assert_eq!(client.list_firewall_rules(&shared).await.unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn a_custom_rule_label_is_patched_once_and_a_managed_one_refused() {
    let (emu, client) = emulator(Duration::ZERO).await;
    let target = dr();
    let rules = client.list_firewall_rules(&target).await.unwrap();
    let (custom, managed) = (&rules[0], &rules[1]);
    // The emulator refuses a body without its `firewall_rule` wrapper: this passing shows the
    // client sends it.
    let updated = client.update_firewall_rule_label(&target, &custom.id, "Head office").await.unwrap();
    assert_eq!((updated.id.as_str(), updated.label.as_deref()), (custom.id.as_str(), Some("Head office")));
    assert_eq!(updated.cidr, custom.cidr, "only the label changes");
    let listed = client.list_firewall_rules(&target).await.unwrap();
    assert_eq!(listed[0].label.as_deref(), Some("Head office"));

    let refused = client.update_firewall_rule_label(&target, &managed.id, "x").await.unwrap_err();
    assert_eq!(refused.status(), Some(422));
    assert!(refused.to_string().contains("managed range"), "{refused}");
    let missing = client.update_firewall_rule_label(&target, "nope", "x").await.unwrap_err();
    assert_eq!(missing.status(), Some(404));

    let path = format!("/api/databases/{DR_ADDON}/firewall_rules/{}", custom.id);
    let log = emu.requests().await;
    let patches: Vec<_> = log.iter().filter(|r| r["method"] == "PATCH" && r["path"] == path).collect();
    assert_eq!(patches.len(), 1, "sent once: {log:?}");
    assert_eq!(patches[0]["status"], 200);
    assert_eq!(patches[0]["auth"], "addon");
}
