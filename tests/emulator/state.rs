//! The request log (no secrets) and the state file (saved, reloaded, corrupt).

use super::*;

#[tokio::test]
async fn request_log_counts_requests_without_secrets() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let token = emu.addon_token(&jwt, SHOP_APP, PG_ADDON).await;
    emu.create_user(
        &token,
        PG_ADDON,
        json!({"name": "logged_user", "password": "s".repeat(30), "password_confirmation": "s".repeat(30)}),
    )
    .await;
    emu.send(
        Method::DELETE,
        &format!("{}?feature=force-ssl", db_path(PG_ADDON, "/features")),
        Some(&token),
        None,
    )
    .await;
    emu.get("/v1/apps", None).await;
    emu.get("/v1/apps", Some("not-a-token")).await;

    let log = emu.requests().await;
    let summary: Vec<(String, String, Value, String)> = log
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
                r["status"].clone(),
                r["auth"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let token_path = format!("/v1/apps/shop-prod/addons/{PG_ADDON}/token");
    let expected = [
        ("POST", "/v1/tokens/exchange".to_owned(), json!(200), "basic"),
        ("POST", token_path, json!(200), "user"),
        ("POST", db_path(PG_ADDON, "/users"), json!(201), "addon"),
        ("DELETE", db_path(PG_ADDON, "/features"), json!(200), "addon"),
        ("GET", "/v1/apps".to_owned(), json!(401), "none"),
        ("GET", "/v1/apps".to_owned(), json!(401), "invalid"),
    ];
    let expected: Vec<(String, String, Value, String)> =
        expected.into_iter().map(|(m, p, s, a)| (m.to_owned(), p, s, a.to_owned())).collect();
    assert_eq!(summary, expected);
    assert_eq!(log[3]["query"], "feature=force-ssl");
    assert_eq!(log[0]["query"], Value::Null);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(&jwt) && !text.contains(&token) && !text.contains(&"s".repeat(30)));
    assert!(!text.contains(DEMO_API_TOKEN));

    assert_eq!(emu.control(Method::DELETE, "requests", None).await.status, 204);
    assert!(emu.requests().await.is_empty(), "control requests are not logged");
}

#[tokio::test]
async fn state_file_is_saved_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let config = EmulatorConfig { state_file: Some(path.clone()), ..EmulatorConfig::demo() };
    let emu = emulator_with(config.clone()).await;
    let token = emu.pg_token().await;
    assert!(!path.exists(), "nothing saved before a change");
    let created = emu.create_user(&token, PG_ADDON, json!({"name": "kept_user", "read_only": true})).await;
    let password = created.json["database_user"]["password"].as_str().unwrap().to_owned();
    let del = emu.send(Method::DELETE, &db_path(PG_ADDON, "/users/app_writer"), Some(&token), None).await;
    assert_eq!(del.status, 204);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("kept_user"));
    assert!(!saved.contains(&password), "passwords are never stored");
    assert!(saved.contains("\n  "), "pretty JSON");
    let base_before = emu.base.clone();
    emu.emu.shutdown().await;
    assert!(client().get(format!("{base_before}/v1/regions")).send().await.is_err());

    // Restarted with the demo seed in the config: the state file wins.
    let emu = emulator_with(config).await;
    let token = emu.pg_token().await;
    let names = emu.user_names(&token, PG_ADDON).await;
    assert_eq!(names, [PG_PROTECTED_USER, "app_reporting", "kept_user"]);
    let list = emu.get(&db_path(PG_ADDON, "/users"), Some(&token)).await;
    assert_eq!(list.json["database-users"][2]["read_only"], true);
    let state = emu.control(Method::GET, "state", None).await;
    assert_eq!(state.json["apps"][0]["name"], SHOP_APP);

    // A corrupt state file is an error at start, not a silent reseed.
    std::fs::write(&path, "{ not json").unwrap();
    let config = EmulatorConfig { state_file: Some(path), ..EmulatorConfig::demo() };
    assert!(start(config, "127.0.0.1:0".parse().unwrap()).await.is_err());
}
