//! The Scalingo client against the real emulator over loopback: every client method end to end,
//! 422 and 403 parsing, token caching and refresh, 401 handling, dropped connections, retries and
//! 429. Counts come from `client.stats()` and from the emulator's request log.

#[path = "../support/mod.rs"]
mod support;

mod pace;
mod retries;
mod tokens;

use std::time::{Duration, Instant};

use dbdeck::api::{ApiError, DbTarget, Engine, NewUser, RequestStats, User};
use dbdeck::emulator::demo_ids::*;
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use support::emulator::{Env, env};

const EXCHANGE: &str = "/v1/tokens/exchange";
const PG_SEED_USERS: [&str; 3] = ["shop_prod_4553", "app_writer", "app_reporting"];

impl Env {
    /// Expires every token the emulator handed out; how many.
    async fn expire_tokens(&self) -> Value {
        self.emu.control(Method::POST, "expire_tokens", None).await["expired"].clone()
    }

    async fn names(&self, target: &DbTarget) -> Vec<String> {
        names(&self.client.list_users(target).await.unwrap())
    }
}

fn target(addon: &str) -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: SHOP_APP.into(), addon_id: addon.into() }
}

fn users_path(addon: &str) -> String {
    format!("/api/databases/{addon}/users")
}

fn mint_path(addon: &str) -> String {
    format!("/v1/apps/{SHOP_APP}/addons/{addon}/token")
}

fn names(users: &[User]) -> Vec<String> {
    users.iter().map(|u| u.name.clone()).collect()
}

fn new_user(name: &str, read_only: bool, password: Option<&str>) -> NewUser {
    NewUser { name: name.into(), read_only, password: password.map(SecretString::from) }
}

fn assert_generated(password: &SecretString) {
    let pw = password.expose_secret();
    assert_eq!(pw.len(), 64, "{pw}");
    assert!(pw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{pw}");
}

/// Status, message and field names of an HTTP error, which must carry the request id.
fn http(err: ApiError) -> (u16, String, Vec<String>) {
    match err {
        ApiError::Http { status, message, fields, request_id } => {
            let rid = request_id.expect("the emulator always sends X-Request-Id");
            assert_eq!(rid.len(), 36, "uuid-shaped request id: {rid}");
            (status, message, fields.into_iter().map(|f| f.field).collect())
        }
        other => panic!("not an HTTP error: {other:?}"),
    }
}

/// A fault answering `status` to the next `times` requests to `method path`.
fn status_fault(method: &str, path: &str, times: u32, status: u16) -> Value {
    json!({"method": method, "path": path, "times": times, "action": {"kind": "status", "status": status}})
}

fn stats(total: u64, token_exchanges: u64, addon_tokens: u64) -> RequestStats {
    RequestStats { total, token_exchanges, addon_tokens }
}

#[tokio::test]
async fn find_addon_by_type_alias_and_id() {
    let e = env().await;
    let c = &e.client;
    for (wanted, id) in
        [("postgresql", PG_ADDON), ("psql", PG_ADDON), ("mysql", MYSQL_ADDON), (PG_ADDON, PG_ADDON)]
    {
        let addon = c.find_addon(SHOP_APP, wanted).await.unwrap();
        assert_eq!(addon.id, id, "{wanted}");
    }
    let addon = c.find_addon(SHOP_APP, MYSQL_ADDON).await.unwrap();
    assert_eq!(addon.resource_id, MYSQL_PROTECTED_USER);
    assert_eq!(addon.addon_provider.unwrap().name, "MySQL");
    assert_eq!(addon.plan.unwrap().name, "mysql-starter-512");

    let lookup = |r: Result<_, ApiError>| match r {
        Err(ApiError::Lookup(message)) => message,
        other => panic!("expected a lookup error, got {other:?}"),
    };
    let message = lookup(c.find_addon(BLOG_APP, "postgresql").await);
    assert!(message.starts_with("no 'postgresql' addon exists on app 'blog-staging'"), "{message}");
    assert!(message.contains(&format!("its addons: Redis ({REDIS_ADDON})")), "what it found: {message}");
    let message = lookup(c.find_addon(BLOG_APP, REDIS_ADDON).await);
    assert!(message.contains("only PostgreSQL and MySQL") && message.contains("Redis"), "{message}");
    // `--addon redis`: the app has one, which dbdeck does not manage.
    let message = lookup(c.find_addon(BLOG_APP, "redis").await);
    assert!(!message.contains("no 'redis"), "{message}");
    assert!(message.contains(REDIS_ADDON) && message.contains("a Redis addon"), "{message}");
    assert!(message.contains("only PostgreSQL and MySQL"), "{message}");
    let message = lookup(c.find_addon("no-such-app", "postgresql").await);
    assert!(message.contains("'no-such-app' was not found") && message.contains("request id"), "{message}");
    // One exchange for the nine lookups, no addon token (only the DB API needs one).
    assert_eq!(c.stats(), stats(10, 1, 0));
}

#[tokio::test]
async fn database_and_users_of_both_engines() {
    let e = env().await;
    let c = &e.client;
    let db = c.database(&target(PG_ADDON)).await.unwrap();
    assert_eq!((db.type_name.as_str(), db.readable_version.as_str()), ("postgresql", "16.6.0-1"));
    assert_eq!(db.engine(), Some(Engine::PostgreSql));
    assert_eq!(db.app_name, SHOP_APP);
    let features: Vec<_> = db.features.iter().map(|f| (f.name.as_str(), f.status.as_str())).collect();
    assert_eq!(features, [("force-ssl", "ACTIVATED")]);
    let db = c.database(&target(MYSQL_ADDON)).await.unwrap();
    assert_eq!((db.type_name.as_str(), db.readable_version.as_str()), ("mysql", "8.0.40-1"));
    assert_eq!(db.engine(), Some(Engine::MySql));
    assert!(db.features.is_empty());

    let users = c.list_users(&target(PG_ADDON)).await.unwrap();
    assert_eq!(names(&users), PG_SEED_USERS);
    let flags: Vec<_> = users.iter().map(|u| (u.read_only, u.protected)).collect();
    assert_eq!(flags, [(false, true), (false, false), (true, false)]);
    assert!(users.iter().all(|u| u.password_encryption() == Some("SCRAM-SHA-256")));
    let users = c.list_users(&target(MYSQL_ADDON)).await.unwrap();
    assert_eq!(names(&users), ["shop_prod_7281", "app_analytics"]);
    let flags: Vec<_> = users.iter().map(|u| (u.read_only, u.protected)).collect();
    assert_eq!(flags, [(false, true), (true, false)]);
    assert!(users.iter().all(|u| u.password_encryption().is_none()));
}

#[tokio::test]
async fn user_lifecycle_create_set_reset_delete() {
    let e = env().await;
    let (c, pg) = (&e.client, target(PG_ADDON));
    let created = c.create_user(&pg, &new_user("report_bot", true, None)).await.unwrap();
    assert_eq!((created.user.name.as_str(), created.user.read_only), ("report_bot", true));
    assert!(!created.user.protected);
    assert_eq!(created.user.password_encryption(), Some("SCRAM-SHA-256"));
    let generated = created.password.expect("a generated password is returned once");
    assert_generated(&generated);

    let chosen = "Chosen_password_0123456789";
    let created = c.create_user(&pg, &new_user("batch_writer", false, Some(chosen))).await.unwrap();
    assert!(!created.user.read_only);
    assert_eq!(created.password.as_ref().map(|p| p.expose_secret()), Some(chosen));
    let users = c.list_users(&pg).await.unwrap();
    assert_eq!(names(&users), [&PG_SEED_USERS[..], &["report_bot", "batch_writer"]].concat());
    assert!(users.iter().any(|u| u.name == "report_bot" && u.read_only));

    let updated = c.set_password(&pg, "batch_writer", &"Another_password_987654321".into()).await.unwrap();
    assert_eq!((updated.name.as_str(), updated.read_only, updated.protected), ("batch_writer", false, false));

    let reset = c.reset_password(&pg, "report_bot").await.unwrap();
    assert_eq!(reset.user.name, "report_bot");
    let fresh = reset.password.expect("reset returns the new password");
    assert_generated(&fresh);
    assert_ne!(fresh.expose_secret(), generated.expose_secret());

    c.delete_user(&pg, "report_bot").await.unwrap();
    c.delete_user(&pg, "batch_writer").await.unwrap();
    assert_eq!(e.names(&pg).await, PG_SEED_USERS);
    // A first-attempt 404 is an error: only a replay's 404 counts as "already gone".
    let (status, message, _) = http(c.delete_user(&pg, "report_bot").await.unwrap_err());
    assert_eq!((status, message.as_str()), (404, "not found"));

    // MySQL: generated password, no password_encryption.
    let created = c.create_user(&target(MYSQL_ADDON), &new_user("etl_reader", true, None)).await.unwrap();
    assert_generated(&created.password.unwrap());
    assert_eq!(created.user.password_encryption(), None);
    assert!(e.names(&target(MYSQL_ADDON)).await.contains(&"etl_reader".to_owned()));
    // One exchange, one addon token per database, whatever the number of calls.
    let stats = c.stats();
    assert_eq!((stats.token_exchanges, stats.addon_tokens), (1, 2));
}

#[tokio::test]
async fn invalid_input_gets_422_with_fields_and_request_id() {
    let e = env().await;
    let (c, pg) = (&e.client, target(PG_ADDON));
    let (status, _, fields) =
        http(c.create_user(&pg, &new_user("9-bad name", false, None)).await.unwrap_err());
    assert_eq!((status, fields), (422, vec!["name".to_owned()]));

    let quoted = format!("{}\"and'quotes", "x".repeat(24));
    let err = c.create_user(&pg, &new_user("quoted_user", false, Some(&quoted))).await.unwrap_err();
    assert!(!err.to_string().contains(&quoted), "{err}");
    let (status, _, fields) = http(err);
    assert_eq!((status, fields), (422, vec!["password".to_owned()]));

    let err = c.create_user(&pg, &new_user("APP_WRITER", false, None)).await.unwrap_err();
    assert!(err.to_string().contains("name has already been taken"), "{err}");
    let err = c.set_password(&pg, "app_writer", &"short".into()).await.unwrap_err();
    let (status, _, fields) = http(err);
    assert_eq!((status, fields), (422, vec!["password".to_owned()]));

    assert_eq!(e.emu.hits("POST", &users_path(PG_ADDON)).await, ["422 addon"; 3], "never retried");
    assert_eq!(e.names(&pg).await, PG_SEED_USERS);
}

#[tokio::test]
async fn protected_user_is_refused_with_403_and_kept() {
    let e = env().await;
    let c = &e.client;
    for (addon, name) in [(PG_ADDON, PG_PROTECTED_USER), (MYSQL_ADDON, MYSQL_PROTECTED_USER)] {
        let db = target(addon);
        let expected = |what: &str| format!("user {name} is protected and cannot be {what} (protected_user)");
        let (status, message, _) = http(c.delete_user(&db, name).await.unwrap_err());
        assert_eq!((status, message), (403, expected("deleted")));
        let (status, message, _) = http(c.reset_password(&db, name).await.unwrap_err());
        assert_eq!((status, message), (403, expected("reset")));
        let password = "A_perfectly_fine_password_42".into();
        let (status, message, _) = http(c.set_password(&db, name, &password).await.unwrap_err());
        assert_eq!((status, message), (403, expected("updated")));
        let users = c.list_users(&db).await.unwrap();
        assert!(users.iter().any(|u| u.name == name && u.protected), "{users:?}");
        let path = format!("{}/{name}", users_path(addon));
        assert_eq!(e.emu.hits("DELETE", &path).await, ["403 addon"], "a 403 is not retried");
    }
}
