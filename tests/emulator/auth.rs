//! Token exchange, addon tokens scoped to their own database, and token expiry.

use super::*;

#[tokio::test]
async fn token_exchange_accepts_the_demo_token_only() {
    let emu = emulator().await;
    let good =
        emu.send(Method::POST, "/v1/tokens/exchange", Some(&basic(DEMO_API_TOKEN)), Some(json!({}))).await;
    assert_eq!(good.status, 200);
    assert!(good.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    let token = good.json["token"].as_str().unwrap();
    let payload = jwt_payload(token);
    assert_eq!(payload["kind"], "user");
    let exp = payload["exp"].as_u64().unwrap();
    assert!((now_secs() + 3590..=now_secs() + 3601).contains(&exp), "{exp}");

    for bad in [
        basic("tk-us-not-a-known-token"),
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("demo:{DEMO_API_TOKEN}"))
        ),
        format!("Bearer {DEMO_API_TOKEN}"),
    ] {
        let reply = emu.send(Method::POST, "/v1/tokens/exchange", Some(&bad), None).await;
        assert_eq!(reply.status, 401, "{bad}");
        assert!(reply.json["error"].is_string());
    }
    let none = emu.send(Method::POST, "/v1/tokens/exchange", None, None).await;
    assert_eq!(none.status, 401);
}

#[tokio::test]
async fn addon_token_opens_only_its_database() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let reply = emu
        .send(
            Method::POST,
            &format!("/v1/apps/shop-prod/addons/{PG_ADDON}/token"),
            Some(&jwt),
            Some(json!({})),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["addon"]["id"], PG_ADDON);
    assert_eq!(reply.json["addon"]["addon_provider"]["id"], "postgresql");
    let token = reply.json["addon"]["token"].as_str().unwrap().to_owned();
    let payload = jwt_payload(&token);
    assert_eq!(payload["kind"], "addon");
    assert_eq!(payload["sub"], PG_ADDON);

    let db = emu.get(&db_path(PG_ADDON, ""), Some(&token)).await;
    assert_eq!(db.status, 200, "{}", db.text);
    let d = &db.json["database"];
    assert_eq!(d["resource_id"], PG_PROTECTED_USER);
    assert_eq!(d["app_name"], SHOP_APP);
    assert_eq!(d["plan"], "postgresql-starter-512");
    assert_eq!(d["status"], "running");
    assert_eq!(d["type_name"], "postgresql");
    assert_eq!(d["readable_version"], "16.6.0-1");
    assert!(d["hostname"].as_str().unwrap().ends_with(":33517"));
    assert_eq!(d["instances"][0]["port"], 33517);
    assert_eq!(d["features"], json!([{"name": "force-ssl", "status": "ACTIVATED"}]));
    assert_eq!(d["cluster"], false);
    assert!(d["id"].is_string() && d["type_id"].is_string() && d["version_id"].is_string());

    // The user JWT, another addon's token, a main-API call with the addon token: all 401.
    let with_jwt = emu.get(&db_path(PG_ADDON, "/users"), Some(&jwt)).await;
    assert_eq!(with_jwt.status, 401);
    assert!(with_jwt.json["error"].is_string());
    let mysql_token = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    assert_eq!(emu.get(&db_path(PG_ADDON, "/users"), Some(&mysql_token)).await.status, 401);
    assert_eq!(emu.get(&db_path(PG_ADDON, ""), None).await.status, 401);
    assert_eq!(emu.get("/v1/apps", Some(&token)).await.status, 401);
    // The Redis addon has a database but no user management.
    let redis = emu.addon_token(&jwt, BLOG_APP, REDIS_ADDON).await;
    let show = emu.get(&db_path(REDIS_ADDON, ""), Some(&redis)).await;
    assert_eq!(show.json["database"]["type_name"], "redis");
    let users = emu.get(&db_path(REDIS_ADDON, "/users"), Some(&redis)).await;
    assert_eq!(users.status, 400);
    assert!(users.json["error"].as_str().unwrap().contains("redis"));
    let my = emu.get(&db_path(MYSQL_ADDON, ""), Some(&mysql_token)).await;
    assert_eq!(my.json["database"]["type_name"], "mysql");
    assert!(my.json["database"]["readable_version"].as_str().unwrap().starts_with("8.0."));
}

#[tokio::test]
async fn tokens_expire() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let addon = emu.addon_token(&jwt, SHOP_APP, PG_ADDON).await;
    assert_eq!(emu.get("/v1/apps", Some(&jwt)).await.status, 200);

    let reply = emu.control(Method::POST, "expire_tokens", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["expired"], 2);
    let stale = emu.get("/v1/apps", Some(&jwt)).await;
    assert_eq!(stale.status, 401);
    assert_eq!(stale.json["error"], "token expired");
    assert_eq!(emu.get(&db_path(PG_ADDON, ""), Some(&addon)).await.status, 401);

    // A fresh exchange works again; a new lifetime applies to new tokens.
    let settings = emu.control(Method::POST, "settings", Some(json!({"token_lifetime_secs": 120}))).await;
    assert_eq!(settings.json["settings"]["token_lifetime_secs"], 120);
    let fresh = emu.jwt().await;
    let exp = jwt_payload(&fresh)["exp"].as_u64().unwrap();
    assert!((now_secs() + 110..=now_secs() + 121).contains(&exp), "{exp}");
    assert_eq!(emu.get("/v1/apps", Some(&fresh)).await.status, 200);

    emu.control(Method::POST, "settings", Some(json!({"token_lifetime_secs": 0}))).await;
    let dead = emu.jwt().await;
    assert_eq!(emu.get("/v1/apps", Some(&dead)).await.status, 401);
}
