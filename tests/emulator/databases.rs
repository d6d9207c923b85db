//! Database actions (list-extensions) and features (force-ssl, publicly-available).

use super::*;

#[tokio::test]
async fn actions_list_extensions_for_postgresql_only() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let pg = emu.addon_token(&jwt, SHOP_APP, PG_ADDON).await;
    let reply = emu
        .send(
            Method::POST,
            &db_path(PG_ADDON, "/action"),
            Some(&pg),
            Some(json!({"action_name": "list-extensions", "params": null})),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["ok"], 1);
    let result = reply.json["result"].as_array().unwrap();
    assert_eq!(result[0], json!({"name": "plpgsql", "version": "v1.0"}));
    assert!(result.iter().any(|e| e["name"] == "uuid-ossp"));

    let unknown = emu
        .send(
            Method::POST,
            &db_path(PG_ADDON, "/action"),
            Some(&pg),
            Some(json!({"action_name": "drop-everything", "params": null})),
        )
        .await;
    assert_eq!(unknown.json["ok"], 0);
    assert!(unknown.json["error"].is_string());

    let my = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    let mysql = emu
        .send(
            Method::POST,
            &db_path(MYSQL_ADDON, "/action"),
            Some(&my),
            Some(json!({"action_name": "list-extensions", "params": null})),
        )
        .await;
    assert_eq!(mysql.json["ok"], 0);
    assert!(mysql.json["error"].as_str().unwrap().contains("mysql"));
}

#[tokio::test]
async fn features_enable_and_disable() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let my = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    let features = db_path(MYSQL_ADDON, "/features");
    let enable = |name: &str| json!({"feature": {"name": name}});

    let refused = emu.send(Method::POST, &features, Some(&my), Some(enable("publicly-available"))).await;
    assert_eq!(refused.status, 422);
    assert!(refused.json["errors"]["name"].is_array());

    let tls = emu.send(Method::POST, &features, Some(&my), Some(enable("force-ssl"))).await;
    assert_eq!(tls.status, 200);
    assert_eq!(tls.json["name"], "force-ssl");
    assert_eq!(tls.json["status"], "ACTIVATED");
    assert!(tls.json["message"].is_string());
    let public = emu.send(Method::POST, &features, Some(&my), Some(enable("publicly-available"))).await;
    assert_eq!(public.status, 200);
    let db = emu.get(&db_path(MYSQL_ADDON, ""), Some(&my)).await;
    assert_eq!(
        db.json["database"]["features"],
        json!([{"name": "force-ssl", "status": "ACTIVATED"},
               {"name": "publicly-available", "status": "ACTIVATED"}])
    );

    let early = emu.send(Method::DELETE, &format!("{features}?feature=force-ssl"), Some(&my), None).await;
    assert_eq!(early.status, 422);
    let off =
        emu.send(Method::DELETE, &format!("{features}?feature=publicly-available"), Some(&my), None).await;
    assert_eq!(off.status, 200);
    assert!(off.json["message"].is_string());
    let again =
        emu.send(Method::DELETE, &format!("{features}?feature=publicly-available"), Some(&my), None).await;
    assert_eq!(again.status, 404);
    let db = emu.get(&db_path(MYSQL_ADDON, ""), Some(&my)).await;
    assert_eq!(db.json["database"]["features"].as_array().unwrap().len(), 1);
}
