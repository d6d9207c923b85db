//! Token caching and refresh against the emulator: shared tokens, expiry, short lifetimes, 401.

use super::*;

#[tokio::test]
async fn tokens_are_cached_and_shared_across_calls() {
    let e = env().await;
    let c = &e.client;
    c.find_addon(SHOP_APP, "postgresql").await.unwrap();
    c.database(&target(PG_ADDON)).await.unwrap();
    for _ in 0..3 {
        c.list_users(&target(PG_ADDON)).await.unwrap();
    }
    assert_eq!(c.stats(), stats(7, 1, 1));
    c.list_users(&target(MYSQL_ADDON)).await.unwrap();
    c.clone().list_users(&target(PG_ADDON)).await.unwrap();
    assert_eq!(c.stats(), stats(10, 1, 2));
    let (pg_users, my_users) = (users_path(PG_ADDON), users_path(MYSQL_ADDON));
    let expected = [
        format!("POST {EXCHANGE} 200 basic"),
        format!("GET /v1/apps/{SHOP_APP}/addons 200 user"),
        format!("POST {} 200 user", mint_path(PG_ADDON)),
        format!("GET /api/databases/{PG_ADDON} 200 addon"),
        format!("GET {pg_users} 200 addon"),
        format!("GET {pg_users} 200 addon"),
        format!("GET {pg_users} 200 addon"),
        format!("POST {} 200 user", mint_path(MYSQL_ADDON)),
        format!("GET {my_users} 200 addon"),
        format!("GET {pg_users} 200 addon"),
    ];
    assert_eq!(e.emu.log().await, expected);
}

#[tokio::test]
async fn expired_tokens_are_refreshed_once() {
    let e = env().await;
    let c = &e.client;
    c.list_users(&target(PG_ADDON)).await.unwrap();
    e.emu.clear_log().await;
    assert_eq!(c.stats(), stats(3, 1, 1));
    assert_eq!(e.expire_tokens().await, 2);
    assert_eq!(e.names(&target(PG_ADDON)).await, PG_SEED_USERS);
    // DB 401 → new addon token, whose mint with the stale JWT gets a 401 → one exchange → mint.
    assert_eq!(c.stats(), stats(8, 2, 3));
    let (users, mint) = (users_path(PG_ADDON), mint_path(PG_ADDON));
    let expected = [
        format!("GET {users} 401 addon"),
        format!("POST {mint} 401 user"),
        format!("POST {EXCHANGE} 200 basic"),
        format!("POST {mint} 200 user"),
        format!("GET {users} 200 addon"),
    ];
    assert_eq!(e.emu.log().await, expected);
    c.list_users(&target(PG_ADDON)).await.unwrap();
    assert_eq!(c.stats(), stats(9, 2, 3), "the fresh tokens are cached again");

    // The main API: a 401 with the cached JWT → one exchange → one replay.
    e.emu.clear_log().await;
    e.expire_tokens().await;
    assert_eq!(c.find_addon(SHOP_APP, "psql").await.unwrap().id, PG_ADDON);
    assert_eq!(c.stats(), stats(12, 3, 3));
    let addons = format!("/v1/apps/{SHOP_APP}/addons");
    let expected = [
        format!("GET {addons} 401 user"),
        format!("POST {EXCHANGE} 200 basic"),
        format!("GET {addons} 200 user"),
    ];
    assert_eq!(e.emu.log().await, expected);
}

#[tokio::test]
async fn short_token_lifetime_refreshes_on_every_call() {
    let e = env().await;
    let c = &e.client;
    let settings = e.emu.settings(json!({"token_lifetime_secs": 1})).await;
    assert_eq!(settings["settings"]["token_lifetime_secs"], 1);
    c.list_users(&target(PG_ADDON)).await.unwrap();
    // The first tokens are now expired on the server: reusing them would show a 401.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    c.list_users(&target(PG_ADDON)).await.unwrap();
    c.list_users(&target(PG_ADDON)).await.unwrap();
    // Under the 5-minute margin no token is ever fresh: each call exchanges and mints again.
    assert_eq!(c.stats(), stats(9, 3, 3));
    let one_call = [
        format!("POST {EXCHANGE} 200 basic"),
        format!("POST {} 200 user", mint_path(PG_ADDON)),
        format!("GET {} 200 addon", users_path(PG_ADDON)),
    ];
    assert_eq!(e.emu.log().await, one_call.iter().cycle().take(9).cloned().collect::<Vec<_>>());
}

#[tokio::test]
async fn two_401_give_session_expired_without_a_loop() {
    let e = env().await;
    let c = &e.client;
    let users = users_path(PG_ADDON);
    e.emu.fault(status_fault("GET", &users, 2, 401)).await;
    let err = c.list_users(&target(PG_ADDON)).await.unwrap_err();
    assert!(matches!(&err, ApiError::SessionExpired { request_id: Some(_) }), "{err:?}");
    assert_eq!(e.emu.hits("GET", &users).await, ["401 addon status"; 2]);
    assert_eq!(c.stats(), stats(5, 1, 2));
    // The fault is used up; the second addon token is still cached and valid.
    assert_eq!(e.names(&target(PG_ADDON)).await, PG_SEED_USERS);
    assert_eq!(c.stats(), stats(6, 1, 2));

    // The main API: two 401s on the addon list.
    let addons = format!("/v1/apps/{SHOP_APP}/addons");
    e.emu.fault(status_fault("GET", &addons, 2, 401)).await;
    let err = c.find_addon(SHOP_APP, "postgresql").await.unwrap_err();
    assert!(matches!(&err, ApiError::SessionExpired { .. }), "{err:?}");
    assert_eq!(e.emu.hits("GET", &addons).await, ["401 user status"; 2]);
    assert_eq!(c.stats().token_exchanges, 2);
}
