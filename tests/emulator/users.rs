//! Database users: listing, creating, validation (422), protected users, update, reset and delete.

use super::*;

#[tokio::test]
async fn users_are_listed_with_engine_attributes() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let pg = emu.addon_token(&jwt, SHOP_APP, PG_ADDON).await;
    let reply = emu.get(&db_path(PG_ADDON, "/users"), Some(&pg)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json,
        json!({"database-users": [
            {"name": "shop_prod_4553", "read_only": false, "protected": true,
             "dbms_attributes": {"password_encryption": "SCRAM-SHA-256"}},
            {"name": "app_writer", "read_only": false, "protected": false,
             "dbms_attributes": {"password_encryption": "SCRAM-SHA-256"}},
            {"name": "app_reporting", "read_only": true, "protected": false,
             "dbms_attributes": {"password_encryption": "SCRAM-SHA-256"}},
        ]})
    );
    let my = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    let reply = emu.get(&db_path(MYSQL_ADDON, "/users"), Some(&my)).await;
    assert_eq!(
        reply.json,
        json!({"database-users": [
            {"name": MYSQL_PROTECTED_USER, "read_only": false, "protected": true},
            {"name": "app_analytics", "read_only": true, "protected": false},
        ]})
    );
}

#[tokio::test]
async fn create_user_with_generated_and_chosen_passwords() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    let generated = emu
        .create_user(
            &token,
            PG_ADDON,
            json!({"database_id": PG_ADDON, "name": "new_reader", "read_only": true,
                   "password": "", "password_confirmation": ""}),
        )
        .await;
    assert_eq!(generated.status, 201, "{}", generated.text);
    let user = &generated.json["database_user"];
    assert_eq!(user["name"], "new_reader");
    assert_eq!(user["read_only"], true);
    assert_eq!(user["protected"], false);
    assert_eq!(user["dbms_attributes"]["password_encryption"], "SCRAM-SHA-256");
    assert_generated(user["password"].as_str().unwrap());

    // Absent password fields also mean "generate".
    let absent = emu.create_user(&token, PG_ADDON, json!({"name": "other_user"})).await;
    assert_eq!(absent.status, 201);
    assert_eq!(absent.json["database_user"]["read_only"], false);
    assert_generated(absent.json["database_user"]["password"].as_str().unwrap());

    let chosen = "correct_horse_battery_staple_42";
    let reply = emu
        .create_user(
            &token,
            PG_ADDON,
            json!({"name": "app_chosen", "read_only": false,
                   "password": chosen, "password_confirmation": chosen}),
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.json["database_user"]["password"], chosen);

    let names = emu.user_names(&token, PG_ADDON).await;
    assert_eq!(
        names,
        [PG_PROTECTED_USER, "app_writer", "app_reporting", "new_reader", "other_user", "app_chosen"]
    );
    // Listing never shows a password.
    let list = emu.get(&db_path(PG_ADDON, "/users"), Some(&token)).await;
    assert!(!list.text.contains("password\""));
    assert!(!list.text.contains(chosen));

    // MySQL users carry no dbms_attributes.
    let jwt = emu.jwt().await;
    let my = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    let reply = emu.create_user(&my, MYSQL_ADDON, json!({"name": "mysql_writer", "read_only": false})).await;
    assert_eq!(reply.status, 201);
    assert!(reply.json["database_user"].get("dbms_attributes").is_none());
}

#[tokio::test]
async fn invalid_users_get_422_with_field_errors() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    let good_pw = "a".repeat(30);
    let cases = [
        (json!({"name": "short"}), "name"),
        (json!({"name": "bad-name"}), "name"),
        (json!({"name": "1starts_with_digit"}), "name"),
        (json!({"name": "App_Writer"}), "name"),
        (json!({"name": "app_writer"}), "name"),
        (
            json!({"name": "fine_name", "password": "tooshort", "password_confirmation": "tooshort"}),
            "password",
        ),
        (
            json!({"name": "fine_name", "password": format!("{good_pw}\""), "password_confirmation": format!("{good_pw}\"")}),
            "password",
        ),
        (
            json!({"name": "fine_name", "password": format!("{good_pw}'"), "password_confirmation": format!("{good_pw}'")}),
            "password",
        ),
        (
            json!({"name": "fine_name", "password": "b".repeat(65), "password_confirmation": "b".repeat(65)}),
            "password",
        ),
        (
            json!({"name": "fine_name", "password": good_pw, "password_confirmation": "a".repeat(31)}),
            "password_confirmation",
        ),
        (json!({"name": "fine_name", "password": good_pw}), "password_confirmation"),
        (
            json!({"name": "fine_name", "password": "", "password_confirmation": good_pw}),
            "password_confirmation",
        ),
        (json!({"name": "fine_name", "read_only": "yes"}), "read_only"),
    ];
    for (user, field) in cases {
        let reply = emu.create_user(&token, PG_ADDON, user.clone()).await;
        assert_eq!(reply.status, 422, "{user}: {}", reply.text);
        let errors = reply.json["errors"].as_object().unwrap();
        let messages = errors[field].as_array().unwrap_or_else(|| panic!("{user}: {errors:?}"));
        assert!(!messages.is_empty() && messages.iter().all(Value::is_string));
        // Messages never echo the password.
        assert!(!reply.text.contains(&good_pw), "{}", reply.text);
    }
    // Several problems at once are all reported.
    let both = emu
        .create_user(
            &token,
            PG_ADDON,
            json!({"name": "x", "password": "short", "password_confirmation": "other"}),
        )
        .await;
    let keys: Vec<&String> = both.json["errors"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["name", "password", "password_confirmation"]);

    // MySQL names stop at 16 characters; PostgreSQL allows 32.
    let jwt = emu.jwt().await;
    let my = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    let long = "a".repeat(17);
    assert_eq!(emu.create_user(&my, MYSQL_ADDON, json!({"name": long})).await.status, 422);
    assert_eq!(emu.create_user(&token, PG_ADDON, json!({"name": long})).await.status, 201);
    // Nothing else was created.
    assert_eq!(emu.user_names(&token, PG_ADDON).await.len(), 4);

    // Malformed JSON is a 400 with an error message.
    let reply = emu
        .http
        .post(format!("{}{}", emu.base, db_path(PG_ADDON, "/users")))
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body("{\"database_user\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    let body: Value = reply.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("JSON"));
}

#[tokio::test]
async fn protected_users_cannot_be_deleted_reset_or_updated() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    let path = db_path(PG_ADDON, &format!("/users/{PG_PROTECTED_USER}"));
    let pw = "p".repeat(30);
    let attempts = [
        (Method::DELETE, path.clone(), None),
        (Method::POST, format!("{path}/reset_password"), Some(json!({}))),
        (
            Method::PATCH,
            path.clone(),
            Some(json!({"database_user": {"password": pw, "password_confirmation": pw}})),
        ),
    ];
    for (method, path, body) in attempts {
        let reply = emu.send(method.clone(), &path, Some(&token), body).await;
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(reply.json["code"], "protected_user");
        assert!(reply.json["error"].as_str().unwrap().contains("protected"));
    }
    assert!(emu.user_names(&token, PG_ADDON).await.contains(&PG_PROTECTED_USER.to_owned()));
}

#[tokio::test]
async fn update_reset_and_delete_users() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    let user = db_path(PG_ADDON, "/users/app_writer");
    let pw = "n".repeat(40);

    let patched = emu
        .send(
            Method::PATCH,
            &user,
            Some(&token),
            Some(json!({"database_user": {"database_id": PG_ADDON, "password": pw, "password_confirmation": pw}})),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json["database_user"]["name"], "app_writer");
    assert!(patched.json["database_user"].get("password").is_none());
    assert!(!patched.text.contains(&pw));

    let bad = emu
        .send(
            Method::PATCH,
            &user,
            Some(&token),
            Some(json!({"database_user": {"password": pw, "password_confirmation": "x"}})),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.json["errors"]["password_confirmation"].is_array());
    let empty = emu.send(Method::PATCH, &user, Some(&token), Some(json!({"database_user": {}}))).await;
    assert_eq!(empty.status, 422);
    assert!(empty.json["errors"]["password"].is_array());

    let reset =
        emu.send(Method::POST, &format!("{user}/reset_password"), Some(&token), Some(json!({}))).await;
    assert_eq!(reset.status, 200);
    assert_eq!(reset.json["database_user"]["name"], "app_writer");
    assert_generated(reset.json["database_user"]["password"].as_str().unwrap());
    // No body at all is fine too.
    let reset2 = emu.send(Method::POST, &format!("{user}/reset_password"), Some(&token), None).await;
    assert_eq!(reset2.status, 200);
    assert_ne!(reset.json["database_user"]["password"], reset2.json["database_user"]["password"]);

    let deleted = emu.send(Method::DELETE, &user, Some(&token), None).await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty());
    assert_eq!(emu.user_names(&token, PG_ADDON).await, [PG_PROTECTED_USER, "app_reporting"]);
    for (method, path) in [
        (Method::DELETE, user.clone()),
        (Method::POST, format!("{user}/reset_password")),
        (Method::PATCH, user.clone()),
    ] {
        let reply = emu.send(method, &path, Some(&token), Some(json!({}))).await;
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json["error"], "not found");
    }
}
