//! Retries (503, dropped and refused connections, idempotent deletes) and 429 with Retry-After.

use super::*;

#[tokio::test]
async fn gets_are_retried_on_503_up_to_three_attempts() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::status(503));
    mock.push("GET", USERS, Canned::status(502));
    client.list_users(&target()).await.unwrap();
    assert_eq!(mock.count("GET", USERS), 3);

    for _ in 0..4 {
        mock.push("GET", USERS, Canned::status(503));
    }
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(mock.count("GET", USERS), 6);
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::status(500));
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err.to_string(), "HTTP 500: Internal Server Error");
    assert_eq!(mock.count("GET", USERS), 1);
}

#[tokio::test]
async fn creates_are_never_retried_on_503() {
    let (mock, client) = start().await;
    mock.push("POST", USERS, Canned::status(503));
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.outcome_unknown());
    assert_eq!(mock.count("POST", USERS), 1);

    let reset = "/api/databases/ad-pg/users/reader/reset_password";
    mock.push("POST", reset, Canned::status(504));
    let err = client.reset_password(&target(), "reader").await.unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(mock.count("POST", reset), 1);

    let patch = "/api/databases/ad-pg/users/reader";
    mock.push("PATCH", patch, Canned::status(502));
    let err = client.set_password(&target(), "reader", &"p".repeat(30).into()).await.unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(mock.count("PATCH", patch), 1);
}

/// Auth and main API on the scripted server, the DB API on one that hangs up.
async fn start_with_db(db: Url) -> (Arc<Mock>, ScalingoClient) {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    let client = client(Endpoints { auth: base.clone(), api: base, db });
    (mock, client)
}

#[tokio::test]
async fn a_dropped_create_is_sent_once_and_its_outcome_is_unknown() {
    let (db, count) = serve_dropping().await;
    let (_mock, client) = start_with_db(db).await;
    let err = client.create_user(&target(), &new_user(Some("chosen-password-0123456789"))).await.unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1);
    assert!(err.outcome_unknown(), "{err:?}");
    let text = err.to_string();
    assert!(matches!(err, ApiError::Network { sent: true, .. }), "{err:?}");
    assert!(text.contains("outcome is unknown"), "{text}");
    assert!(!text.contains("chosen-password"), "{text}");

    let err = client.reset_password(&target(), "reader").await.unwrap_err();
    assert!(err.outcome_unknown());
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_dropped_get_is_retried() {
    let (db, count) = serve_dropping().await;
    let (_mock, client) = start_with_db(db).await;
    let err = client.list_users(&target()).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_refused_connection_is_not_sent() {
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let db = Url::parse(&format!("http://{}", closed.local_addr().unwrap())).unwrap();
    drop(closed);
    let (_mock, client) = start_with_db(db).await;
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { sent: false, .. }), "{err:?}");
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_succeeded() {
    let (mock, client) = start().await;
    let path = "/api/databases/ad-pg/users/reader";
    mock.push("DELETE", path, Canned::status(503));
    mock.push("DELETE", path, Canned::json(404, json!({"error": "not found"})));
    client.delete_user(&target(), "reader").await.unwrap();
    assert_eq!(mock.count("DELETE", path), 2);

    // A first-time 404 is an error.
    mock.push("DELETE", path, Canned::json(404, json!({"error": "user not found"})));
    let err = client.delete_user(&target(), "reader").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

// ---------------------------------------------------------------------------------------------
// 429

#[tokio::test]
async fn a_429_waits_for_retry_after() {
    let (mock, client) = start().await;
    client.list_users(&target()).await.unwrap();
    mock.push("GET", USERS, Canned::text(429, "Retry later").header("retry-after", "1"));
    let started = Instant::now();
    client.list_users(&target()).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
    assert_eq!(mock.count("GET", USERS), 3);
}

#[tokio::test]
async fn retry_after_is_capped() {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    let client = ScalingoClient::new(
        Endpoints::single(base),
        SecretString::from(API_TOKEN),
        ClientOptions { max_retry_after: Duration::from_millis(20), ..options() },
    )
    .unwrap();
    mock.push("GET", USERS, Canned::text(429, "Retry later").header("retry-after", "3600"));
    let started = Instant::now();
    client.list_users(&target()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_create_refused_with_429_is_sent_again_but_not_forever() {
    let (mock, client) = start().await;
    mock.push("POST", USERS, Canned::text(429, "Retry later"));
    client.create_user(&target(), &new_user(None)).await.unwrap();
    assert_eq!(mock.count("POST", USERS), 2);

    for _ in 0..5 {
        mock.push("POST", USERS, Canned::text(429, "Retry later").header("x-request-id", "req-429"));
    }
    let err = client.create_user(&target(), &new_user(None)).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Http {
            status: 429,
            message: "Retry later".into(),
            fields: vec![],
            request_id: Some("req-429".into()),
        }
    );
    assert!(!err.outcome_unknown());
    assert_eq!(mock.count("POST", USERS), 2 + 3);
}
