//! Without SQL, the Extensions tab reads the API: `list-extensions` through the DB API action
//! endpoint, and the database URL from the app's variables, both against the emulator.

mod support;

use dbdeck::api::{ClientOptions, DbTarget, ScalingoClient};
use dbdeck::emulator::demo_ids::*;
use dbdeck::sql::{self, Route, SqlError, SqlSource, SshHost, SshSettings, Tunnel, UrlOrigin};
use secrecy::{ExposeSecret, SecretString};
use support::emulator::Emulator;

async fn client() -> (Emulator, ScalingoClient) {
    let emu = Emulator::demo().await;
    let client = emu.client(ClientOptions::default());
    (emu, client)
}

fn target(addon: &str) -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: SHOP_APP.into(), addon_id: addon.into() }
}

#[tokio::test]
async fn list_extensions_reads_the_enabled_ones_and_refuses_mysql() {
    let (_emu, client) = client().await;
    let enabled = client.enabled_extensions(&target(PG_ADDON)).await.unwrap();
    let names: Vec<String> = enabled.iter().map(|e| format!("{}={}", e.name, e.version)).collect();
    assert_eq!(names, ["plpgsql=v1.0", "pg_stat_statements=1.11", "pgcrypto=1.3", "uuid-ossp=1.1"]);
    let err = client.enabled_extensions(&target(MYSQL_ADDON)).await.unwrap_err();
    assert!(err.to_string().contains("list-extensions failed"), "{err}");
}

#[tokio::test]
async fn the_database_url_comes_from_the_apps_variables() {
    let (_emu, client) = client().await;
    let url = client.app_variable(SHOP_APP, sql::VARIABLE).await.unwrap().unwrap();
    assert!(url.expose_secret().starts_with("postgres://shop_prod_4553:"));
    assert!(client.app_variable(BLOG_APP, sql::VARIABLE).await.unwrap().is_none());
    let variables = client.app_variables(SHOP_APP).await.unwrap();
    assert!(!format!("{variables:?}").contains("demo-password"), "values stay secret in Debug");

    let db = |app: &str| DbTarget { region: "osc-fr1".into(), app: app.into(), addon_id: String::new() };
    let source = SqlSource::default();
    let target = source.target(&client, &db(SHOP_APP), None).await.unwrap();
    assert_eq!(target.origin, UrlOrigin::AppVariable);
    assert_eq!(target.endpoint.to_string(), "127.0.0.1:1/shop_prod_4553");
    // The demo's URL points at a closed loopback port: "cannot reach".
    assert!(sql::list_extensions(&target).await.unwrap_err().unreachable());
    assert_eq!(source.target(&client, &db(BLOG_APP), None).await.unwrap_err(), SqlError::NoUrl);

    // A configured URL wins, and the API is not asked.
    let configured = SqlSource {
        configured: Some((SecretString::from("postgres://me@127.0.0.1:5999/mine"), UrlOrigin::Env)),
        password: Some(SecretString::from("from-pgpassword")),
        ssh: SshSettings { enabled: true, ..SshSettings::default() },
    };
    let target = configured.target(&client, &db("no-such-app"), None).await.unwrap();
    assert_eq!((target.origin, target.endpoint.to_string()), (UrlOrigin::Env, "127.0.0.1:5999/mine".into()));
    assert!(target.has_password(), "PGPASSWORD fills in");
    assert_eq!(target.route, Route::Direct, "a configured URL is used as it is");
}

#[tokio::test]
async fn the_apps_url_goes_through_the_tunnel_unless_the_database_is_internet_accessible() {
    let (_emu, client) = client().await;
    let shop = target(PG_ADDON);
    let host = SshHost::parse("127.0.0.1:2222").unwrap();
    let ssh = SshSettings { enabled: true, host: Some(host.clone()), ..SshSettings::default() };
    let tunnel = Tunnel { via: host, identity: None };
    let source = SqlSource { ssh: ssh.clone(), ..SqlSource::default() };
    assert_eq!(source.target(&client, &shop, None).await.unwrap().route, Route::Tunnel(tunnel.clone()));
    let listed = SqlSource { ssh: SshSettings { host: None, ..ssh.clone() }, ..SqlSource::default() };
    let route = listed.target(&client, &shop, Some("ssh.osc-fr1.scalingo.com:22")).await.unwrap().route;
    let via = SshHost::parse("ssh.osc-fr1.scalingo.com:22").unwrap();
    assert_eq!(route, Route::Tunnel(Tunnel { via, identity: None }), "the region list's SSH host");
    client.enable_feature(&shop, dbdeck::api::PUBLICLY_AVAILABLE).await.unwrap();
    assert_eq!(source.target(&client, &shop, None).await.unwrap().route, Route::DirectElseTunnel(tunnel));
    let off = SqlSource { ssh: SshSettings { enabled: false, ..ssh }, ..SqlSource::default() };
    assert_eq!(off.target(&client, &shop, None).await.unwrap().route, Route::Direct, "--no-tunnel");
}
