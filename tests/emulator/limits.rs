//! Scalingo's rate limit on the main API (429 `Retry later` with `Retry-After`, per token), and
//! a large generated account.

use dbdeck::emulator::{RateLimit, Seed};

use super::*;

#[tokio::test]
async fn the_main_api_answers_429_with_retry_after_past_its_limit_per_token() {
    let limit = RateLimit { requests: 3, per: Duration::from_secs(60) };
    let emu = emulator_with(EmulatorConfig { rate_limit: Some(limit), ..EmulatorConfig::demo() }).await;
    let (a, b) = (emu.jwt().await, emu.jwt().await);
    for path in ["/v1/apps", "/osc-secnum-fr1/v1/apps", &format!("/v1/apps/{SHOP_APP}/addons")] {
        assert_eq!(emu.get(path, Some(&a)).await.status, 200, "{path}");
    }
    let refused = emu.get("/v1/apps", Some(&a)).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.text, "Retry later");
    let wait: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((59..=60).contains(&wait), "{wait}");
    // Another token, the auth API and the database API are not held back.
    assert_eq!(emu.get("/v1/apps", Some(&b)).await.status, 200);
    assert_eq!(emu.get("/v1/users/self", Some(&a)).await.status, 200);
    let log = emu.requests().await;
    assert_eq!(log.iter().filter(|r| r["status"] == 429).count(), 1);

    // Off through the settings, then on again.
    let settings = emu.control(Method::POST, "settings", Some(json!({"rate_limit": null}))).await;
    assert_eq!(settings.json["settings"]["rate_limit"], Value::Null);
    assert_eq!(emu.get("/v1/apps", Some(&a)).await.status, 200);
    let on = json!({"rate_limit": {"requests": 1, "per_ms": 60000}});
    let settings = emu.control(Method::POST, "settings", Some(on)).await;
    assert_eq!(settings.json["settings"]["rate_limit"]["requests"], 1);
    assert_eq!(emu.get("/v1/apps", Some(&a)).await.status, 200);
    assert_eq!(emu.get("/v1/apps", Some(&a)).await.status, 429);
}

#[tokio::test]
async fn no_limit_by_default() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    for _ in 0..80 {
        assert_eq!(emu.get("/v1/apps", Some(&jwt)).await.status, 200);
    }
}

#[tokio::test]
async fn five_hundred_generated_apps_in_two_regions() {
    let seed = Seed::demo().with_extra_apps(500);
    let emu = emulator_with(EmulatorConfig { seed, ..EmulatorConfig::demo() }).await;
    let jwt = emu.jwt().await;
    let fr1 = emu.get("/v1/apps", Some(&jwt)).await.json["apps"].as_array().unwrap().len();
    let secnum = emu.get("/osc-secnum-fr1/v1/apps", Some(&jwt)).await.json["apps"].as_array().unwrap().len();
    let demo = Seed::demo().apps.len();
    assert_eq!(fr1 + secnum, demo + 500);
    assert!(fr1 >= 250 && secnum >= 250, "{fr1} and {secnum}");
    let addons = emu.get("/osc-secnum-fr1/v1/apps/extra-499/addons", Some(&jwt)).await;
    let addons = addons.json["addons"].as_array().unwrap().clone();
    assert_eq!(addons.len(), 1);
    assert_eq!(addons[0]["id"], "ad-extra-499-0");
    assert_eq!(addons[0]["addon_provider"]["id"], "postgresql");
}
