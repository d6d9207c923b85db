//! The main API: request ids, unknown routes, users/self, regions (the restricted one too), apps, addons.

use super::*;

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
