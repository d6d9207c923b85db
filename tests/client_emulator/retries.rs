//! Lost answers, retries and 429 against the emulator: sent once, retried at most three times.

use super::*;

#[tokio::test]
async fn dropped_create_is_sent_once_with_an_unknown_outcome() {
    let e = env().await;
    let (c, pg) = (&e.client, target(PG_ADDON));
    let users = users_path(PG_ADDON);
    // drop_after: committed but the answer is lost (the UI lists to reconcile); drop_before: not
    // applied. The client cannot tell them apart: both are "outcome unknown".
    for (kind, name, committed) in [("drop_after", "lost_reply", true), ("drop_before", "never_made", false)]
    {
        e.emu.clear_log().await;
        e.emu.fault(json!({"method": "POST", "path": users, "action": {"kind": kind}})).await;
        let err = c.create_user(&pg, &new_user(name, true, None)).await.unwrap_err();
        assert!(err.outcome_unknown(), "{kind}: {err:?}");
        assert!(matches!(&err, ApiError::Network { sent: true, .. }), "{kind}: {err:?}");
        assert!(err.to_string().contains("outcome is unknown"), "{err}");
        assert_eq!(e.emu.hits("POST", &users).await, [format!("- addon {kind}")], "sent once");
        assert_eq!(e.names(&pg).await.contains(&name.to_owned()), committed, "{kind}");
        // Creating it again: refused when it was committed, accepted when it was not.
        let again = c.create_user(&pg, &new_user(name, true, None)).await;
        if committed {
            let (status, _, fields) = http(again.unwrap_err());
            assert_eq!((status, fields), (422, vec!["name".to_owned()]));
        } else {
            assert!(again.unwrap().user.read_only);
        }
    }
}

#[tokio::test]
async fn get_retried_on_503_three_attempts_at_most() {
    let e = env().await;
    let (c, pg) = (&e.client, target(PG_ADDON));
    let users = users_path(PG_ADDON);
    e.emu.fault(status_fault("GET", &users, 2, 503)).await;
    assert_eq!(e.names(&pg).await, PG_SEED_USERS);
    assert_eq!(e.emu.hits("GET", &users).await, ["503 addon status", "503 addon status", "200 addon"]);

    e.emu.clear_log().await;
    e.emu.fault(status_fault("GET", &users, 5, 503)).await;
    let (status, message, _) = http(c.list_users(&pg).await.unwrap_err());
    assert_eq!((status, message.as_str()), (503, "Service Unavailable"));
    assert_eq!(e.emu.hits("GET", &users).await, ["503 addon status"; 3]);
    let faults = e.emu.faults().await;
    assert_eq!(faults[0]["times"], 2, "exactly 3 of the 5 were used");
    e.emu.clear_faults().await;

    // A lost GET is retried too.
    e.emu.clear_log().await;
    e.emu.fault(json!({"method": "GET", "path": users, "action": {"kind": "drop_before"}})).await;
    assert_eq!(e.names(&pg).await, PG_SEED_USERS);
    assert_eq!(e.emu.hits("GET", &users).await, ["- addon drop_before", "200 addon"]);

    // A create is never retried on a 503: its outcome is unknown.
    e.emu.clear_log().await;
    e.emu.fault(status_fault("POST", &users, 1, 503)).await;
    let err = c.create_user(&pg, &new_user("not_retried", false, None)).await.unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    assert_eq!(http(err).0, 503);
    assert_eq!(e.emu.hits("POST", &users).await, ["503 addon status"]);
}

#[tokio::test]
async fn delete_retried_after_a_lost_response_counts_404_as_done() {
    let e = env().await;
    let (c, pg) = (&e.client, target(PG_ADDON));
    let path = format!("{}/app_writer", users_path(PG_ADDON));
    e.emu.fault(json!({"method": "DELETE", "path": path, "action": {"kind": "drop_after"}})).await;
    c.delete_user(&pg, "app_writer").await.unwrap();
    assert_eq!(e.emu.hits("DELETE", &path).await, ["- addon drop_after", "404 addon"]);
    assert_eq!(e.names(&pg).await, ["shop_prod_4553", "app_reporting"]);
}

#[tokio::test]
async fn throttled_requests_wait_for_retry_after() {
    let e = env().await;
    let (c, pg) = (&e.client, target(PG_ADDON));
    let users = users_path(PG_ADDON);
    c.list_users(&pg).await.unwrap();
    // A 429 means nothing was processed: a GET and even a create are sent again.
    for (method, ok) in [("GET", "200 addon"), ("POST", "201 addon")] {
        e.emu.clear_log().await;
        let mut fault = status_fault(method, &users, 1, 429);
        fault["retry_after"] = json!(1);
        e.emu.fault(fault).await;
        let started = Instant::now();
        match method {
            "GET" => assert_eq!(e.names(&pg).await, PG_SEED_USERS),
            _ => assert!(c.create_user(&pg, &new_user("after_throttle", false, None)).await.is_ok()),
        }
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(900), "{method} waited only {elapsed:?}");
        assert_eq!(e.emu.hits(method, &users).await, ["429 addon status", ok]);
    }
    let names = e.names(&pg).await;
    assert_eq!(names.iter().filter(|n| *n == "after_throttle").count(), 1);

    // A 429 does not use up the retries of transient failures: 429, 503, 503, then 200.
    e.emu.clear_log().await;
    let mut fault = status_fault("GET", &users, 1, 429);
    fault["retry_after"] = json!(0);
    e.emu.fault(fault).await;
    e.emu.fault(status_fault("GET", &users, 2, 503)).await;
    assert!(c.list_users(&pg).await.is_ok());
    let expected = ["429 addon status", "503 addon status", "503 addon status", "200 addon"];
    assert_eq!(e.emu.hits("GET", &users).await, expected);
}
