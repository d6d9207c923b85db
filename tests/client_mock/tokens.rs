//! Token caching, sharing and refresh, and 401 handling (replay, renewal, session expiry).

use super::*;

#[tokio::test]
async fn tokens_are_cached_across_calls_and_clones() {
    let (mock, client) = start().await;
    for _ in 0..4 {
        client.list_users(&target()).await.unwrap();
    }
    let clone = client.clone();
    clone.database(&target()).await.unwrap();
    assert_eq!(client.stats(), stats(7, 1, 1));
    assert_eq!(mock.count("POST", "/v1/tokens/exchange"), 1);

    // A second database gets its own addon token, but the same JWT.
    let other = DbTarget { region: "osc-fr1".into(), app: "my-app".into(), addon_id: "ad-other".into() };
    client.list_users(&other).await.unwrap();
    assert_eq!(client.stats(), stats(9, 1, 2));
}

#[tokio::test]
async fn concurrent_callers_share_one_exchange_and_one_addon_token() {
    let (_mock, client) = start().await;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_users(&target()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(client.stats(), stats(10, 1, 1));
}

#[tokio::test]
async fn tokens_close_to_expiry_are_refreshed() {
    let (mock, client) = start().await;
    // Both tokens expire in 2 minutes: inside the 5-minute window, so each call renews them.
    mock.user_ttl.store(120, Ordering::SeqCst);
    mock.addon_ttl.store(120, Ordering::SeqCst);
    for _ in 0..3 {
        client.list_users(&target()).await.unwrap();
    }
    assert_eq!(client.stats(), stats(9, 3, 3));

    // Once tokens last long again, they are kept.
    mock.user_ttl.store(3600, Ordering::SeqCst);
    mock.addon_ttl.store(3600, Ordering::SeqCst);
    for _ in 0..3 {
        client.list_users(&target()).await.unwrap();
    }
    assert_eq!(client.stats(), stats(9 + 2 + 3, 4, 4));
}

#[tokio::test]
async fn addon_token_expiry_alone_does_not_renew_the_jwt() {
    let (mock, client) = start().await;
    mock.addon_ttl.store(60, Ordering::SeqCst);
    for _ in 0..3 {
        client.list_users(&target()).await.unwrap();
    }
    assert_eq!(client.stats(), stats(7, 1, 3));
}

// ---------------------------------------------------------------------------------------------
// 401

#[tokio::test]
async fn a_401_from_the_db_api_renews_the_addon_token_and_replays_once() {
    let (mock, client) = start().await;
    client.list_users(&target()).await.unwrap();
    mock.push("GET", USERS, Canned::json(401, json!({"error": "token expired"})));
    let users = client.list_users(&target()).await.unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(mock.count("GET", USERS), 3);
    assert_eq!(client.stats(), stats(6, 1, 2));
    let last = mock.last("GET", USERS);
    assert_eq!(bearer_sub(&last.auth).as_deref(), Some("addon-2"));
}

#[tokio::test]
async fn two_401s_in_a_row_mean_the_session_expired() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::json(401, json!({"error": "no"})));
    mock.push("GET", USERS, Canned::json(401, json!({"error": "no"})).header("x-request-id", "req-401"));
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err, ApiError::SessionExpired { request_id: Some("req-401".into()) });
    assert_eq!(mock.count("GET", USERS), 2);
    assert_eq!(client.stats(), stats(5, 1, 2));
}

#[tokio::test]
async fn a_401_on_the_addon_token_renews_the_jwt() {
    let (mock, client) = start().await;
    let mint = "/v1/apps/my-app/addons/ad-pg/token";
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    client.list_users(&target()).await.unwrap();
    assert_eq!(client.stats(), stats(5, 2, 2));
    assert_eq!(bearer_sub(&mock.last("POST", mint).auth).as_deref(), Some("user-1"));

    // A DB 401 whose new addon token is refused too: JWT renewed once more, then it works.
    mock.push("GET", USERS, Canned::json(401, json!({"error": "expired"})));
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    client.list_users(&target()).await.unwrap();
    assert_eq!(client.stats(), stats(5 + 5, 3, 4));

    // Refused twice: the session is over.
    mock.push("GET", USERS, Canned::json(401, json!({"error": "expired"})));
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    mock.push("POST", mint, Canned::json(401, json!({"error": "expired"})));
    let err = client.list_users(&target()).await.unwrap_err();
    assert!(matches!(err, ApiError::SessionExpired { .. }), "{err:?}");
}

#[tokio::test]
async fn a_401_on_the_main_api_renews_the_jwt_once() {
    let (mock, client) = start().await;
    let addons = "/v1/apps/my-app/addons";
    mock.push("GET", addons, Canned::json(401, json!({"error": "expired"})));
    client.find_addon("my-app", "pgsql").await.unwrap();
    assert_eq!(client.stats(), stats(4, 2, 0));
    mock.push("GET", addons, Canned::json(401, json!({"error": "expired"})));
    mock.push("GET", addons, Canned::json(401, json!({"error": "expired"})));
    let err = client.find_addon("my-app", "pgsql").await.unwrap_err();
    assert!(matches!(err, ApiError::SessionExpired { .. }), "{err:?}");
}

#[tokio::test]
async fn a_refused_api_token_is_reported_plainly() {
    let mock = Mock::new();
    let base = serve(mock.clone()).await;
    let client =
        ScalingoClient::new(Endpoints::single(base), SecretString::from("tk-us-wrong"), options()).unwrap();
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.to_string().contains("refused the API token"), "{err}");
    assert!(!err.to_string().contains("tk-us-wrong"));
    assert_eq!(client.stats(), stats(1, 1, 0));
}
