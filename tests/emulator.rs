//! The emulator over real loopback HTTP: every endpoint, its wrapper and status, the rules of
//! `scalingo-api.md` §5, token expiry, faults, the request log and the state file.

use std::time::{Duration, Instant};

use base64::Engine as _;
use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, RunningEmulator, demo_ids::*, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Emu {
    emu: RunningEmulator,
    http: reqwest::Client,
    base: String,
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
    json: Value,
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

async fn emulator_with(config: EmulatorConfig) -> Emu {
    let emu = start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    Emu { emu, http: client(), base }
}

async fn emulator() -> Emu {
    emulator_with(EmulatorConfig::demo()).await
}

fn basic(token: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!(":{token}")))
}

fn db_path(addon: &str, rest: &str) -> String {
    format!("/api/databases/{addon}{rest}")
}

impl Emu {
    async fn try_send(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request =
            self.http.request(method, format!("{}{path}", self.base)).header("Accept", "application/json");
        if let Some(auth) = auth {
            let value = if auth.starts_with("Basic ") { auth.to_owned() } else { format!("Bearer {auth}") };
            request = request.header("Authorization", value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply { status, headers, text, json })
    }

    async fn send(&self, method: Method, path: &str, auth: Option<&str>, body: Option<Value>) -> Reply {
        self.try_send(method, path, auth, body).await.unwrap()
    }

    async fn get(&self, path: &str, auth: Option<&str>) -> Reply {
        self.send(Method::GET, path, auth, None).await
    }

    async fn jwt(&self) -> String {
        let reply = self
            .send(Method::POST, "/v1/tokens/exchange", Some(&basic(DEMO_API_TOKEN)), Some(json!({})))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["token"].as_str().unwrap().to_owned()
    }

    async fn addon_token(&self, jwt: &str, app: &str, addon: &str) -> String {
        let reply = self
            .send(Method::POST, &format!("/v1/apps/{app}/addons/{addon}/token"), Some(jwt), Some(json!({})))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["addon"]["token"].as_str().unwrap().to_owned()
    }

    async fn pg_token(&self) -> String {
        let jwt = self.jwt().await;
        self.addon_token(&jwt, SHOP_APP, PG_ADDON).await
    }

    async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(method, &format!("/_emulator/{path}"), None, body).await
    }

    async fn fault(&self, fault: Value) {
        let reply = self.control(Method::POST, "faults", Some(fault)).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }

    async fn requests(&self) -> Vec<Value> {
        let reply = self.control(Method::GET, "requests", None).await;
        reply.json["requests"].as_array().unwrap().clone()
    }

    async fn user_names(&self, token: &str, addon: &str) -> Vec<String> {
        let reply = self.get(&db_path(addon, "/users"), Some(token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["database-users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn create_user(&self, token: &str, addon: &str, user: Value) -> Reply {
        self.send(Method::POST, &db_path(addon, "/users"), Some(token), Some(json!({"database_user": user})))
            .await
    }

    /// Creates the PostgreSQL user `name` behind a `kind` fault (`drop_before`, `drop_after`):
    /// the connection error the create gets, which has no HTTP status.
    async fn create_user_dropped(&self, token: &str, kind: &str, name: &str) -> reqwest::Error {
        let path = db_path(PG_ADDON, "/users");
        self.fault(json!({"method": "POST", "path": path, "action": {"kind": kind}})).await;
        let body = json!({"database_user": {"name": name}});
        let sent = self.try_send(Method::POST, &path, Some(token), Some(body)).await;
        let err = sent.err().expect("a connection error, not an HTTP status");
        assert!(err.status().is_none(), "{err:?}");
        err
    }
}

fn jwt_payload(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "JWT-shaped: {token}");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

fn assert_generated(password: &str) {
    assert_eq!(password.len(), 64, "{password}");
    assert!(password.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{password}");
}

#[tokio::test]
async fn token_exchange_accepts_the_demo_token_only() {
    let emu = emulator().await;
    let good =
        emu.send(Method::POST, "/v1/tokens/exchange", Some(&basic(DEMO_API_TOKEN)), Some(json!({}))).await;
    assert_eq!(good.status, 200);
    assert!(good.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    let token = good.json["token"].as_str().unwrap();
    let payload = jwt_payload(token);
    assert_eq!(payload["kind"], "user");
    let exp = payload["exp"].as_u64().unwrap();
    assert!((now_secs() + 3590..=now_secs() + 3601).contains(&exp), "{exp}");

    for bad in [
        basic("tk-us-not-a-known-token"),
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("demo:{DEMO_API_TOKEN}"))
        ),
        format!("Bearer {DEMO_API_TOKEN}"),
    ] {
        let reply = emu.send(Method::POST, "/v1/tokens/exchange", Some(&bad), None).await;
        assert_eq!(reply.status, 401, "{bad}");
        assert!(reply.json["error"].is_string());
    }
    let none = emu.send(Method::POST, "/v1/tokens/exchange", None, None).await;
    assert_eq!(none.status, 401);
}

#[tokio::test]
async fn every_response_has_a_fresh_request_id() {
    let emu = emulator().await;
    let a = emu.get("/v1/apps", None).await;
    let b = emu.get("/no/such/route", None).await;
    assert_eq!(b.status, 404);
    assert_eq!(b.json["error"], "not found");
    let c = emu.send(Method::PUT, "/v1/apps", None, None).await;
    assert_eq!(c.status, 405);
    assert_eq!(c.json["error"], "method not allowed");
    let ids: Vec<String> =
        [&a, &b].iter().map(|r| r.headers["x-request-id"].to_str().unwrap().to_owned()).collect();
    assert_eq!(ids[0].len(), 36);
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn users_self_and_regions() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let me = emu.get("/v1/users/self", Some(&jwt)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json["user"]["username"], "demo");
    assert_eq!(me.json["user"]["email"], "demo@example.com");
    assert_eq!(emu.get("/v1/users/self", None).await.status, 401);

    let public = emu.get("/v1/regions", None).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.json["regions"].as_array().unwrap().len(), 1);
    let private = emu.get("/v1/regions", Some(&jwt)).await;
    let regions = private.json["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[0]["name"], "osc-fr1");
    assert_eq!(regions[0]["default"], true);
    assert_eq!(regions[0]["api"], emu.base.as_str());
    assert_eq!(regions[0]["database_api"], emu.base.as_str());
    assert_eq!(emu.get("/v1/regions", Some("bogus")).await.status, 401);
}

/// The restricted region: listed only with a JWT, its URLs under `/osc-secnum-fr1`, its main API
/// knowing only its own apps (and the default region's not knowing them).
#[tokio::test]
async fn the_restricted_region_has_its_own_apps_under_a_path_prefix() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let regions = emu.get("/v1/regions", Some(&jwt)).await.json["regions"].clone();
    let secnum = format!("{}/{SECNUM_REGION}", emu.base);
    assert_eq!(regions[1]["name"], SECNUM_REGION);
    assert_eq!(
        (regions[1]["api"].as_str(), regions[1]["database_api"].as_str()),
        (Some(&*secnum), Some(&*secnum))
    );

    let prefix = format!("/{SECNUM_REGION}");
    let apps = emu.get(&format!("{prefix}/v1/apps"), Some(&jwt)).await;
    let names: Vec<&str> =
        apps.json["apps"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, [SECNUM_APP]);
    assert_eq!(apps.json["apps"][0]["region"], SECNUM_REGION);
    assert_eq!(emu.get(&format!("{prefix}/v1/apps"), None).await.status, 401);
    assert_eq!(emu.get(&format!("{prefix}/v1/apps/{SHOP_APP}/addons"), Some(&jwt)).await.status, 404);
    assert_eq!(emu.get(&format!("/v1/apps/{SECNUM_APP}/addons"), Some(&jwt)).await.status, 404);
    let addons = emu.get(&format!("{prefix}/v1/apps/{SECNUM_APP}/addons"), Some(&jwt)).await;
    assert_eq!(addons.json["addons"][0]["id"], SECNUM_ADDON);
    let dedicated = emu.get(&format!("{prefix}/v1/databases"), Some(&jwt)).await;
    assert_eq!(dedicated.json["databases"], json!([]), "orders-db is in the default region");

    // Its addon token opens its database through its database API.
    let minted = emu
        .send(
            Method::POST,
            &format!("{prefix}/v1/apps/{SECNUM_APP}/addons/{SECNUM_ADDON}/token"),
            Some(&jwt),
            None,
        )
        .await;
    let token = minted.json["addon"]["token"].as_str().unwrap().to_owned();
    let db = emu.get(&format!("{prefix}/api/databases/{SECNUM_ADDON}"), Some(&token)).await;
    assert_eq!(db.status, 200);
    assert_eq!(db.json["database"]["type_name"], "postgresql");
}

#[tokio::test]
async fn apps_and_addons() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let apps = emu.get("/v1/apps", Some(&jwt)).await;
    assert_eq!(apps.status, 200);
    let names: Vec<&str> =
        apps.json["apps"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, [SHOP_APP, BLOG_APP, DR_APP, ANALYTICS_APP], "the default region's apps only");
    assert_eq!(emu.get("/v1/apps", None).await.status, 401);

    let by_name = emu.get("/v1/apps/shop-prod", Some(&jwt)).await;
    assert_eq!(by_name.status, 200);
    assert_eq!(by_name.json["app"]["region"], "osc-fr1");
    let id = by_name.json["app"]["id"].as_str().unwrap().to_owned();
    let by_id = emu.get(&format!("/v1/apps/{id}"), Some(&jwt)).await;
    assert_eq!(by_id.json["app"]["name"], SHOP_APP);
    let missing = emu.get("/v1/apps/nope", Some(&jwt)).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json, json!({"resource": "app", "error": "not found"}));

    let addons = emu.get("/v1/apps/shop-prod/addons", Some(&jwt)).await;
    assert_eq!(addons.status, 200);
    let list = addons.json["addons"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let pg = &list[0];
    assert_eq!(pg["id"], PG_ADDON);
    assert_eq!(pg["app_id"], id.as_str());
    assert_eq!(pg["resource_id"], PG_PROTECTED_USER);
    assert_eq!(pg["status"], "running");
    assert_eq!(pg["plan"]["name"], "postgresql-starter-512");
    assert!(pg["plan"]["display_name"].is_string());
    assert_eq!(pg["addon_provider"]["id"], "postgresql");
    assert_eq!(pg["addon_provider"]["name"], "PostgreSQL");
    assert_eq!(list[1]["addon_provider"]["id"], "mysql");

    let blog = emu.get("/v1/apps/blog-staging/addons", Some(&jwt)).await;
    let blog = blog.json["addons"].as_array().unwrap();
    assert_eq!(blog.len(), 1);
    assert_eq!(blog[0]["addon_provider"]["id"], "redis");

    let one = emu.get(&format!("/v1/apps/shop-prod/addons/{MYSQL_ADDON}"), Some(&jwt)).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json["addon"]["addon_provider"]["name"], "MySQL");
    // An addon of another app is not found through this app.
    let other = emu.get(&format!("/v1/apps/shop-prod/addons/{REDIS_ADDON}"), Some(&jwt)).await;
    assert_eq!(other.status, 404);
    assert_eq!(other.json["resource"], "addon");
    let missing_app =
        emu.send(Method::POST, &format!("/v1/apps/nope/addons/{PG_ADDON}/token"), Some(&jwt), None).await;
    assert_eq!(missing_app.status, 404);
}

#[tokio::test]
async fn addon_token_opens_only_its_database() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let reply = emu
        .send(
            Method::POST,
            &format!("/v1/apps/shop-prod/addons/{PG_ADDON}/token"),
            Some(&jwt),
            Some(json!({})),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["addon"]["id"], PG_ADDON);
    assert_eq!(reply.json["addon"]["addon_provider"]["id"], "postgresql");
    let token = reply.json["addon"]["token"].as_str().unwrap().to_owned();
    let payload = jwt_payload(&token);
    assert_eq!(payload["kind"], "addon");
    assert_eq!(payload["sub"], PG_ADDON);

    let db = emu.get(&db_path(PG_ADDON, ""), Some(&token)).await;
    assert_eq!(db.status, 200, "{}", db.text);
    let d = &db.json["database"];
    assert_eq!(d["resource_id"], PG_PROTECTED_USER);
    assert_eq!(d["app_name"], SHOP_APP);
    assert_eq!(d["plan"], "postgresql-starter-512");
    assert_eq!(d["status"], "running");
    assert_eq!(d["type_name"], "postgresql");
    assert_eq!(d["readable_version"], "16.6.0-1");
    assert!(d["hostname"].as_str().unwrap().ends_with(":33517"));
    assert_eq!(d["instances"][0]["port"], 33517);
    assert_eq!(d["features"], json!([{"name": "force-ssl", "status": "ACTIVATED"}]));
    assert_eq!(d["cluster"], false);
    assert!(d["id"].is_string() && d["type_id"].is_string() && d["version_id"].is_string());

    // The user JWT, another addon's token, a main-API call with the addon token: all 401.
    let with_jwt = emu.get(&db_path(PG_ADDON, "/users"), Some(&jwt)).await;
    assert_eq!(with_jwt.status, 401);
    assert!(with_jwt.json["error"].is_string());
    let mysql_token = emu.addon_token(&jwt, SHOP_APP, MYSQL_ADDON).await;
    assert_eq!(emu.get(&db_path(PG_ADDON, "/users"), Some(&mysql_token)).await.status, 401);
    assert_eq!(emu.get(&db_path(PG_ADDON, ""), None).await.status, 401);
    assert_eq!(emu.get("/v1/apps", Some(&token)).await.status, 401);
    // The Redis addon has a database but no user management.
    let redis = emu.addon_token(&jwt, BLOG_APP, REDIS_ADDON).await;
    let show = emu.get(&db_path(REDIS_ADDON, ""), Some(&redis)).await;
    assert_eq!(show.json["database"]["type_name"], "redis");
    let users = emu.get(&db_path(REDIS_ADDON, "/users"), Some(&redis)).await;
    assert_eq!(users.status, 400);
    assert!(users.json["error"].as_str().unwrap().contains("redis"));
    let my = emu.get(&db_path(MYSQL_ADDON, ""), Some(&mysql_token)).await;
    assert_eq!(my.json["database"]["type_name"], "mysql");
    assert!(my.json["database"]["readable_version"].as_str().unwrap().starts_with("8.0."));
}

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

#[tokio::test]
async fn tokens_expire() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let addon = emu.addon_token(&jwt, SHOP_APP, PG_ADDON).await;
    assert_eq!(emu.get("/v1/apps", Some(&jwt)).await.status, 200);

    let reply = emu.control(Method::POST, "expire_tokens", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["expired"], 2);
    let stale = emu.get("/v1/apps", Some(&jwt)).await;
    assert_eq!(stale.status, 401);
    assert_eq!(stale.json["error"], "token expired");
    assert_eq!(emu.get(&db_path(PG_ADDON, ""), Some(&addon)).await.status, 401);

    // A fresh exchange works again; a new lifetime applies to new tokens.
    let settings = emu.control(Method::POST, "settings", Some(json!({"token_lifetime_secs": 120}))).await;
    assert_eq!(settings.json["settings"]["token_lifetime_secs"], 120);
    let fresh = emu.jwt().await;
    let exp = jwt_payload(&fresh)["exp"].as_u64().unwrap();
    assert!((now_secs() + 110..=now_secs() + 121).contains(&exp), "{exp}");
    assert_eq!(emu.get("/v1/apps", Some(&fresh)).await.status, 200);

    emu.control(Method::POST, "settings", Some(json!({"token_lifetime_secs": 0}))).await;
    let dead = emu.jwt().await;
    assert_eq!(emu.get("/v1/apps", Some(&dead)).await.status, 401);
}

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
async fn request_log_counts_requests_without_secrets() {
    let emu = emulator().await;
    let jwt = emu.jwt().await;
    let token = emu.addon_token(&jwt, SHOP_APP, PG_ADDON).await;
    emu.create_user(
        &token,
        PG_ADDON,
        json!({"name": "logged_user", "password": "s".repeat(30), "password_confirmation": "s".repeat(30)}),
    )
    .await;
    emu.send(
        Method::DELETE,
        &format!("{}?feature=force-ssl", db_path(PG_ADDON, "/features")),
        Some(&token),
        None,
    )
    .await;
    emu.get("/v1/apps", None).await;
    emu.get("/v1/apps", Some("not-a-token")).await;

    let log = emu.requests().await;
    let summary: Vec<(String, String, Value, String)> = log
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
                r["status"].clone(),
                r["auth"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let token_path = format!("/v1/apps/shop-prod/addons/{PG_ADDON}/token");
    let expected = [
        ("POST", "/v1/tokens/exchange".to_owned(), json!(200), "basic"),
        ("POST", token_path, json!(200), "user"),
        ("POST", db_path(PG_ADDON, "/users"), json!(201), "addon"),
        ("DELETE", db_path(PG_ADDON, "/features"), json!(200), "addon"),
        ("GET", "/v1/apps".to_owned(), json!(401), "none"),
        ("GET", "/v1/apps".to_owned(), json!(401), "invalid"),
    ];
    let expected: Vec<(String, String, Value, String)> =
        expected.into_iter().map(|(m, p, s, a)| (m.to_owned(), p, s, a.to_owned())).collect();
    assert_eq!(summary, expected);
    assert_eq!(log[3]["query"], "feature=force-ssl");
    assert_eq!(log[0]["query"], Value::Null);
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains(&jwt) && !text.contains(&token) && !text.contains(&"s".repeat(30)));
    assert!(!text.contains(DEMO_API_TOKEN));

    assert_eq!(emu.control(Method::DELETE, "requests", None).await.status, 204);
    assert!(emu.requests().await.is_empty(), "control requests are not logged");
}

#[tokio::test]
async fn state_file_is_saved_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let config = EmulatorConfig { state_file: Some(path.clone()), ..EmulatorConfig::demo() };
    let emu = emulator_with(config.clone()).await;
    let token = emu.pg_token().await;
    assert!(!path.exists(), "nothing saved before a change");
    let created = emu.create_user(&token, PG_ADDON, json!({"name": "kept_user", "read_only": true})).await;
    let password = created.json["database_user"]["password"].as_str().unwrap().to_owned();
    let del = emu.send(Method::DELETE, &db_path(PG_ADDON, "/users/app_writer"), Some(&token), None).await;
    assert_eq!(del.status, 204);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("kept_user"));
    assert!(!saved.contains(&password), "passwords are never stored");
    assert!(saved.contains("\n  "), "pretty JSON");
    let base_before = emu.base.clone();
    emu.emu.shutdown().await;
    assert!(client().get(format!("{base_before}/v1/regions")).send().await.is_err());

    // Restarted with the demo seed in the config: the state file wins.
    let emu = emulator_with(config).await;
    let token = emu.pg_token().await;
    let names = emu.user_names(&token, PG_ADDON).await;
    assert_eq!(names, [PG_PROTECTED_USER, "app_reporting", "kept_user"]);
    let list = emu.get(&db_path(PG_ADDON, "/users"), Some(&token)).await;
    assert_eq!(list.json["database-users"][2]["read_only"], true);
    let state = emu.control(Method::GET, "state", None).await;
    assert_eq!(state.json["apps"][0]["name"], SHOP_APP);

    // A corrupt state file is an error at start, not a silent reseed.
    std::fs::write(&path, "{ not json").unwrap();
    let config = EmulatorConfig { state_file: Some(path), ..EmulatorConfig::demo() };
    assert!(start(config, "127.0.0.1:0".parse().unwrap()).await.is_err());
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
