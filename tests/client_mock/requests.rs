//! The exact requests: order, token per API, headers, user-write wrappers, statuses, path encoding.

use super::*;

#[tokio::test]
async fn sends_the_documented_requests_with_the_right_token() {
    let (mock, client) = start().await;
    let addon = client.find_addon("my-app", "postgres").await.unwrap();
    assert_eq!(addon.id, "ad-pg");
    let database = client.database(&target()).await.unwrap();
    assert_eq!(database.type_name, "postgresql");
    let users = client.list_users(&target()).await.unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].password_encryption(), Some("SCRAM-SHA-256"));

    let seen = mock.seen();
    let order: Vec<String> = seen.iter().map(|s| format!("{} {}", s.method, s.path)).collect();
    assert_eq!(
        order,
        [
            "POST /v1/tokens/exchange",
            "GET /v1/apps/my-app/addons",
            "POST /v1/apps/my-app/addons/ad-pg/token",
            "GET /api/databases/ad-pg",
            "GET /api/databases/ad-pg/users",
        ]
    );
    // Exchange: Basic with an empty user and the API token as password, body {}.
    let exchange = &seen[0];
    let basic = exchange.auth.strip_prefix("Basic ").unwrap();
    assert_eq!(STANDARD.decode(basic).unwrap(), format!(":{API_TOKEN}").as_bytes());
    assert_eq!(exchange.body, "{}");
    // Main API: the user JWT; the addon token mint too, with body {}.
    assert_eq!(bearer_sub(&seen[1].auth).as_deref(), Some("user-0"));
    assert_eq!(bearer_sub(&seen[2].auth).as_deref(), Some("user-0"));
    assert_eq!(seen[2].body, "{}");
    // DB API: the addon token, never the JWT.
    assert_eq!(bearer_sub(&seen[3].auth).as_deref(), Some("addon-1"));
    assert_eq!(bearer_sub(&seen[4].auth).as_deref(), Some("addon-1"));
    for s in &seen {
        assert_eq!(s.headers["user-agent"], concat!("dbdeck/", env!("CARGO_PKG_VERSION")));
        assert_eq!(s.headers["accept"], "application/json");
        assert_eq!(s.headers["content-type"], "application/json");
    }
    assert_eq!(client.stats(), stats(5, 1, 1));
}

#[tokio::test]
async fn user_writes_use_the_exact_wrappers() {
    let (mock, client) = start().await;

    let created = client.create_user(&target(), &new_user(Some("chosen-password-0123456789"))).await.unwrap();
    assert_eq!(created.user.name, "new_reader");
    assert!(created.user.read_only);
    assert!(created.password.is_none());
    let body: Value = serde_json::from_str(&mock.last("POST", USERS).body).unwrap();
    assert_eq!(
        body,
        json!({"database_user": {"database_id": "ad-pg", "name": "new_reader", "read_only": true,
            "password": "chosen-password-0123456789",
            "password_confirmation": "chosen-password-0123456789"}})
    );

    let created = client.create_user(&target(), &new_user(None)).await.unwrap();
    assert_eq!(created.password.unwrap().expose_secret(), "server-generated-password-123");
    let body: Value = serde_json::from_str(&mock.last("POST", USERS).body).unwrap();
    assert_eq!(
        body,
        json!({"database_user": {"database_id": "ad-pg", "name": "new_reader", "read_only": true}})
    );

    let user = client.set_password(&target(), "reader", &"another-password-0123456789".into()).await.unwrap();
    assert_eq!(user.name, "reader");
    let patch = mock.last("PATCH", "/api/databases/ad-pg/users/reader");
    let body: Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(
        body,
        json!({"database_user": {"database_id": "ad-pg",
            "password": "another-password-0123456789",
            "password_confirmation": "another-password-0123456789"}})
    );

    let reset = client.reset_password(&target(), "reader").await.unwrap();
    assert_eq!(reset.password.unwrap().expose_secret(), "reset-password-456");
    let post = mock.last("POST", "/api/databases/ad-pg/users/reader/reset_password");
    assert_eq!(post.body, "{}");

    client.delete_user(&target(), "reader").await.unwrap();
    let delete = mock.last("DELETE", "/api/databases/ad-pg/users/reader");
    assert_eq!(bearer_sub(&delete.auth).as_deref(), Some("addon-1"));
    assert_eq!(client.stats(), stats(7, 1, 1));
}

#[tokio::test]
async fn create_and_reset_accept_bare_users() {
    let (mock, client) = start().await;
    mock.push(
        "POST",
        USERS,
        Canned::json(
            201,
            json!({"name": "new_reader", "read_only": true, "protected": false,
                "password": "bare-created-password"}),
        ),
    );
    let created = client.create_user(&target(), &new_user(None)).await.unwrap();
    assert_eq!(created.user.name, "new_reader");
    assert_eq!(created.password.unwrap().expose_secret(), "bare-created-password");
    mock.push(
        "POST",
        "/api/databases/ad-pg/users/reader/reset_password",
        Canned::json(200, json!({"name": "reader", "password": "bare-reset-password"})),
    );
    let reset = client.reset_password(&target(), "reader").await.unwrap();
    assert_eq!(reset.user.name, "reader");
    assert_eq!(reset.password.unwrap().expose_secret(), "bare-reset-password");
}

#[tokio::test]
async fn other_success_statuses_are_errors() {
    let (mock, client) = start().await;
    // A create must answer 201, a delete 204.
    mock.push("POST", USERS, Canned::json(200, json!({"database_user": {"name": "new_reader"}})));
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert_eq!(err.status(), Some(200));
    mock.push("DELETE", "/api/databases/ad-pg/users/reader", Canned::status(200));
    let err = client.delete_user(&target(), "reader").await.unwrap_err();
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn path_segments_are_percent_encoded() {
    let (mock, client) = start().await;
    let odd = DbTarget { region: "osc-fr1".into(), app: "my app".into(), addon_id: "ad-pg".into() };
    client.delete_user(&odd, "a b/c%d").await.unwrap();
    let paths: Vec<String> = mock.seen().iter().map(|s| s.path.clone()).collect();
    assert!(paths.contains(&"/v1/apps/my%20app/addons/ad-pg/token".to_string()));
    assert!(paths.contains(&"/api/databases/ad-pg/users/a%20b%2Fc%25d".to_string()));
}
