//! Error values: request ids and field messages, decode errors, addon lookup misses, bad config.

use super::*;

#[tokio::test]
async fn errors_carry_the_request_id_and_field_messages() {
    let (mock, client) = start().await;
    mock.push(
        "POST",
        USERS,
        Canned::json(422, json!({"errors": {"name": ["has already been taken"]}}))
            .header("x-request-id", "req-422"),
    );
    let err = client.create_user(&target(), &new_user(Some("chosen-password-0123456789"))).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "HTTP 422 (request id req-422): Unprocessable Entity; name has already been taken"
    );
    assert!(!err.outcome_unknown());

    mock.push(
        "GET",
        "/api/databases/ad-pg",
        Canned::json(403, json!({"error": "region disabled", "code": "region_disabled"}))
            .header("x-request-id", "req-403"),
    );
    let err = client.database(&target()).await.unwrap_err();
    assert_eq!(err.to_string(), "HTTP 403 (request id req-403): region disabled (region_disabled)");

    for _ in 0..3 {
        mock.push("GET", USERS, Canned::status(503).header("x-request-id", "req-503"));
    }
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Http {
            status: 503,
            message: "Service Unavailable".into(),
            fields: vec![],
            request_id: Some("req-503".into()),
        }
    );
}

#[tokio::test]
async fn malformed_answers_are_decode_errors() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::text(200, "<html>oops</html>"));
    let err = client.list_users(&target()).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn find_addon_resolves_ids_types_and_reports_misses() {
    let (_mock, client) = start().await;
    assert_eq!(client.find_addon("my-app", "ad-pg").await.unwrap().id, "ad-pg");
    let addon = client.find_addon("my-app", "PostgreSQL").await.unwrap();
    assert_eq!(addon.plan.unwrap().name, "postgresql-starter-512");

    let err = client.find_addon("my-app", "mysql").await.unwrap_err();
    let ApiError::Lookup(message) = err else { panic!("{err:?}") };
    assert!(message.starts_with("no 'mysql' addon exists on app 'my-app' (its addons: "), "{message}");
    let err = client.find_addon("my-app", "ad-missing").await.unwrap_err();
    assert!(matches!(err, ApiError::Lookup(_)), "{err:?}");
    let err = client.find_addon("my-app", "ad-redis").await.unwrap_err();
    assert!(err.to_string().contains("only PostgreSQL and MySQL"), "{err}");
    let err = client.find_addon("ghost-app", "pgsql").await.unwrap_err();
    assert!(matches!(err, ApiError::Lookup(_)), "{err:?}");
    assert!(err.to_string().contains("'ghost-app'"), "{err}");
}

#[tokio::test]
async fn new_rejects_unusable_configuration() {
    let base = Url::parse("http://127.0.0.1:1").unwrap();
    let err = ScalingoClient::new(Endpoints::single(base), SecretString::from(" "), options()).unwrap_err();
    assert!(matches!(err, ApiError::Config(_)));
    let file = Url::parse("file:///tmp/x").unwrap();
    let err = ScalingoClient::new(Endpoints::single(file), API_TOKEN.into(), options()).unwrap_err();
    assert!(matches!(err, ApiError::Config(_)));
}
