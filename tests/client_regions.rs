//! Regions against the emulator over loopback: the region list with the JWT, one client per
//! region sharing the JWT and the addon tokens, the apps and dedicated databases of each region,
//! `--database` resolution, and the runtime's directory (pinned regions, the region cache).

mod support;

use dbdeck::api::{ApiError, ClientOptions, DbTarget, Endpoints, ScalingoClient};
use dbdeck::emulator::{DEMO_API_TOKEN, demo_ids::*};
use dbdeck::runtime::{Directory, Reach};
use secrecy::SecretString;
use support::emulator::Emulator;

async fn emulator() -> (Emulator, ScalingoClient) {
    let emu = Emulator::demo().await;
    let client = emu.client(ClientOptions::default());
    (emu, client)
}

fn reach(emu: &Emulator, pin: Option<&str>, pinned_urls: bool) -> Reach {
    Reach {
        endpoints: Endpoints::single(emu.base_url()),
        pin: pin.map(str::to_owned),
        pinned_urls,
        regions_cache: None,
        options: ClientOptions::default(),
    }
}

#[tokio::test]
async fn region_clients_share_the_jwt_and_the_addon_tokens() {
    let (emu, client) = emulator().await;
    let regions = client.regions().await.unwrap();
    let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["osc-fr1", SECNUM_REGION], "the restricted region, asked with the JWT");
    let (api, db) = regions[1].urls().unwrap();
    assert!(api.as_str().ends_with("/osc-secnum-fr1"), "{api}");
    let secnum = client.for_region(api, db).unwrap();

    let apps = |list: Vec<dbdeck::api::App>| list.into_iter().map(|a| a.name).collect::<Vec<_>>();
    assert_eq!(apps(secnum.list_apps().await.unwrap()), [SECNUM_APP]);
    assert!(apps(client.list_apps().await.unwrap()).contains(&SHOP_APP.to_owned()));
    assert_eq!(secnum.addons_if_found(SHOP_APP).await.unwrap(), None, "another region's app");
    let target =
        DbTarget { region: SECNUM_REGION.into(), app: SECNUM_APP.into(), addon_id: SECNUM_ADDON.into() };
    assert_eq!(secnum.database(&target).await.unwrap().type_name, "postgresql");
    // A clone made later for the same region uses the cached addon token.
    let again = client.for_region(regions[1].urls().unwrap().0, regions[1].urls().unwrap().1).unwrap();
    again.list_users(&target).await.unwrap();

    let stats = client.stats();
    assert_eq!((stats.token_exchanges, stats.addon_tokens), (1, 1), "one JWT, one addon token: {stats:?}");
    assert_eq!(stats, secnum.stats(), "one set of counters");
    let log = emu.paths().await;
    assert!(
        log.contains(&format!("POST /osc-secnum-fr1/v1/apps/{SECNUM_APP}/addons/{SECNUM_ADDON}/token")),
        "{log:#?}"
    );
}

#[tokio::test]
async fn dedicated_databases_and_the_database_flag() {
    let (_emu, client) = emulator().await;
    let dedicated = client.dedicated_databases().await.unwrap();
    assert_eq!(dedicated.len(), 1);
    assert_eq!((dedicated[0].name.as_str(), dedicated[0].technology.as_str()), (DR_APP, "postgresql-ng"));

    assert_eq!(client.database_addon(DR_APP).await.unwrap().id, DR_ADDON);
    let lookup = |r: Result<dbdeck::api::Addon, ApiError>| match r {
        Err(ApiError::Lookup(text)) => text,
        other => panic!("a lookup error: {other:?}"),
    };
    let app = lookup(client.database_addon(SHOP_APP).await);
    assert!(app.contains("holds 2 addons") && app.contains("--app shop-prod"), "{app}");
    let missing = lookup(client.database_addon("no-such-db").await);
    assert!(missing.contains("was not found") && missing.contains("request id"), "{missing}");
}

#[tokio::test]
async fn the_directory_pins_a_region_and_caches_the_list() {
    let (emu, _) = emulator().await;
    let token = || Some(SecretString::from(DEMO_API_TOKEN));

    let all = Directory::new(reach(&emu, None, false), token()).unwrap();
    assert_eq!(all.ssh_host("osc-fr1"), None, "not before the region list is read");
    assert_eq!(all.regions().await.unwrap(), ["osc-fr1", SECNUM_REGION]);
    all.regions().await.unwrap();
    // The SQL tunnel's way in, from each region's entry.
    assert_eq!(all.ssh_host("osc-fr1").as_deref(), Some("ssh.osc-fr1.scalingo.com:22"));
    let pinned = Directory::new(reach(&emu, Some(SECNUM_REGION), false), token()).unwrap();
    assert_eq!(pinned.regions().await.unwrap(), [SECNUM_REGION]);
    let unknown = Directory::new(reach(&emu, Some("osc-xx9"), false), token()).unwrap();
    let text = unknown.regions().await.unwrap_err().to_string();
    assert!(text.contains("'osc-xx9' is not one this account can use") && text.contains("osc-fr1"), "{text}");
    let log = emu.paths().await;
    assert_eq!(log.iter().filter(|p| p.ends_with("/v1/regions")).count(), 3, "once per directory: {log:#?}");

    // A region pinned with its own URLs (the documented names or the URL variables): no list.
    let direct = Directory::new(reach(&emu, Some("osc-fr1"), true), token()).unwrap();
    assert_eq!(direct.regions().await.unwrap(), ["osc-fr1"]);
    assert!(direct.client(SECNUM_REGION).await.is_err());
    assert_eq!(emu.paths().await.iter().filter(|p| p.ends_with("/v1/regions")).count(), 3);

    // The cache: a second run within ten minutes does not ask again.
    let dir = tempfile::tempdir().unwrap();
    let cached =
        || Reach { regions_cache: Some(dir.path().join("regions.json")), ..reach(&emu, None, false) };
    Directory::new(cached(), token()).unwrap().regions().await.unwrap();
    let second = Directory::new(cached(), token()).unwrap();
    assert_eq!(second.regions().await.unwrap(), ["osc-fr1", SECNUM_REGION]);
    assert_eq!(emu.paths().await.iter().filter(|p| p.ends_with("/v1/regions")).count(), 4);
    let text = std::fs::read_to_string(dir.path().join("regions.json")).unwrap();
    assert!(!text.contains(DEMO_API_TOKEN) && text.contains("database_api"), "{text}");

    // Without a token (the first screen is up), every client call says so.
    let none = Directory::new(reach(&emu, None, false), None).unwrap();
    assert!(none.regions().await.unwrap_err().to_string().contains("no API token"));
}
