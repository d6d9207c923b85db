//! Faults and latency: status faults, dropped connections (before and after handling), delays.

use super::*;

#[tokio::test]
async fn status_faults_answer_then_clear() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    let users = db_path(PG_ADDON, "/users");
    emu.fault(json!({"method": "POST", "path": users, "times": 1,
                     "action": {"kind": "status", "status": 500}}))
        .await;
    let failed = emu.create_user(&token, PG_ADDON, json!({"name": "after_fault"})).await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.json["error"], "Internal error occured, we're on it!");
    assert!(failed.headers.contains_key("x-request-id"));
    assert_eq!(emu.user_names(&token, PG_ADDON).await.len(), 3, "the 500 changed nothing");
    let ok = emu.create_user(&token, PG_ADDON, json!({"name": "after_fault"})).await;
    assert_eq!(ok.status, 201);

    // A prefix fault, several times, with Retry-After and the documented text body.
    emu.fault(json!({"path": "/v1/apps*", "times": 2, "retry_after": 7,
                     "action": {"kind": "status", "status": 429}}))
        .await;
    let jwt = emu.jwt().await;
    for path in ["/v1/apps", "/v1/apps/shop-prod/addons"] {
        let limited = emu.get(path, Some(&jwt)).await;
        assert_eq!(limited.status, 429);
        assert_eq!(limited.headers["retry-after"], "7");
        assert_eq!(limited.text, "Retry later");
    }
    assert_eq!(emu.get("/v1/apps", Some(&jwt)).await.status, 200);

    // A custom JSON body, then cleared before use.
    emu.fault(json!({"method": "GET", "path": "/v1/apps",
                     "action": {"kind": "status", "status": 503, "body": {"error": "maintenance"}}}))
        .await;
    let pending = emu.control(Method::GET, "faults", None).await;
    assert_eq!(pending.json["faults"].as_array().unwrap().len(), 1);
    let unavailable = emu.get("/v1/apps", Some(&jwt)).await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.json["error"], "maintenance");
    emu.fault(json!({"path": "/v1/apps", "action": {"kind": "status", "status": 500}})).await;
    assert_eq!(emu.control(Method::DELETE, "faults", None).await.status, 204);
    assert_eq!(emu.get("/v1/apps", Some(&jwt)).await.status, 200);

    // Bad fault definitions are refused.
    let bad =
        emu.control(Method::POST, "faults", Some(json!({"path": "/x", "action": {"kind": "explode"}}))).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn drop_before_closes_the_connection_without_handling() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    emu.control(Method::DELETE, "requests", None).await;
    let err = emu.create_user_dropped(&token, "drop_before", "never_made").await;
    assert!(!err.is_timeout(), "{err:?}");
    assert!(!emu.user_names(&token, PG_ADDON).await.contains(&"never_made".to_owned()));
    let log = emu.requests().await;
    let posts: Vec<&Value> = log.iter().filter(|r| r["method"] == "POST").collect();
    assert_eq!(posts.len(), 1, "sent once, never retried: {log:?}");
    assert_eq!(posts[0]["status"], Value::Null);
    assert_eq!(posts[0]["fault"], "drop_before");
}

#[tokio::test]
async fn drop_after_commits_then_loses_the_response() {
    let emu = emulator().await;
    let token = emu.pg_token().await;
    emu.create_user_dropped(&token, "drop_after", "ghost_user").await;
    // The user exists although the client never heard back.
    assert!(emu.user_names(&token, PG_ADDON).await.contains(&"ghost_user".to_owned()));
    let again = emu.create_user(&token, PG_ADDON, json!({"name": "ghost_user"})).await;
    assert_eq!(again.status, 422);
}

#[tokio::test]
async fn delay_faults_and_latency_slow_requests_down() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    emu.fault(json!({"method": "GET", "path": "/v1/apps", "action": {"kind": "delay", "ms": 400}})).await;
    let started = Instant::now();
    let slow = emu.get("/v1/apps", Some(&jwt)).await;
    assert_eq!(slow.status, 200, "a delayed request is then handled normally");
    assert!(started.elapsed() >= Duration::from_millis(400));
    let pending = emu.control(Method::GET, "faults", None).await;
    assert_eq!(pending.json["faults"], json!([]), "used once");

    // Control endpoints are never delayed (a long latency makes this robust on a busy machine).
    emu.control(Method::POST, "settings", Some(json!({"latency_ms": 3000}))).await;
    let started = Instant::now();
    let settings = emu.control(Method::GET, "settings", None).await;
    assert!(started.elapsed() < Duration::from_millis(3000));
    assert_eq!(settings.json["settings"]["latency_ms"], 3000);

    emu.control(Method::POST, "settings", Some(json!({"latency_ms": 250}))).await;
    let started = Instant::now();
    assert_eq!(emu.get("/v1/apps", Some(&jwt)).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(250));
    let bad = emu.control(Method::POST, "settings", Some(json!({"latency_ms": -1}))).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn dropped_connections_send_no_bytes_at_all() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emu = emulator().await;
    for kind in ["drop_before", "drop_after"] {
        emu.fault(json!({"method": "GET", "path": "/v1/regions", "action": {"kind": kind}})).await;
        let mut socket = tokio::net::TcpStream::connect(emu.emu.addr).await.unwrap();
        socket.write_all(b"GET /v1/regions HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
        let mut received = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut received))
            .await
            .expect("the server closes the connection");
        // Either a clean close or a reset; never a byte of HTTP.
        if read.is_ok() {
            assert!(received.is_empty(), "{kind}: {:?}", String::from_utf8_lossy(&received));
        }
    }
    // Without a fault the same raw request gets an answer.
    let mut socket = tokio::net::TcpStream::connect(emu.emu.addr).await.unwrap();
    socket
        .write_all(b"GET /v1/regions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut received = Vec::new();
    socket.read_to_end(&mut received).await.unwrap();
    assert!(received.starts_with(b"HTTP/1.1 200"));
}
