//! Finding the database in the real binary, in tmux: the demo's picker and switching between
//! databases; and a new user's first run, with only a Scalingo CLI login (or nothing at all) in a
//! temporary HOME, against the emulator through the URL variables.

mod support;

use std::path::Path;

use dbdeck::emulator::DEMO_API_TOKEN;
use support::emulator::Emulator;
use support::tmux::{Tmux, available};

#[test]
fn demo_picker_open_mysql_back_then_the_dedicated_database_and_its_firewall() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo"], &[], 100, 30);
    let screen = tmux.wait_text("5 databases in osc-fr1, osc-secnum-fr1");
    assert!(screen.contains("billing-secure") && screen.contains("PostgreSQL DR"), "{screen}");
    assert!(!screen.contains("blog-staging"), "an app with only Redis is not listed: {screen}");

    // The MySQL database, found with the filter.
    tmux.keys(&["/"]);
    tmux.type_text("mysql");
    tmux.keys(&["Enter", "Enter"]);
    let screen = tmux.wait_text("app_analytics");
    assert!(screen.contains("MySQL 8.0.40-1") && screen.contains("app shop-prod"), "{screen}");

    // Back: the list is as it was (not read again), the MySQL database first, marked recent.
    tmux.keys(&["o"]);
    let screen = tmux.wait_text("opened lately");
    let first = screen.lines().find(|l| l.contains("> ")).unwrap_or_default();
    assert!(first.contains("*  shop-prod") && first.contains("MySQL"), "{screen}");

    // The dedicated database, then its firewall rules on tab 3.
    tmux.keys(&["/"]);
    tmux.type_text("orders");
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_text("orders_api");
    tmux.keys(&["3"]);
    let screen = tmux.wait_text("Firewall rules (2 of 30)");
    assert!(screen.contains("203.0.113.0/24") && screen.contains("Office VPN"), "{screen}");
    assert!(screen.contains("app orders-db"), "{screen}");

    // The help counts the requests: one exchange, one addon token per database opened.
    tmux.keys(&["?"]);
    let screen = tmux.wait_text("Diagnostics:");
    assert!(screen.contains("(1 token exchange, 2 addon tokens)"), "{screen}");
    // Esc alone (Esc and a letter in one read is Alt+letter), then q.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the help to close", |s| !s.contains("Diagnostics:"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

/// The emulator on loopback, served by its own runtime while the test drives tmux.
fn emulator() -> (tokio::runtime::Runtime, Emulator) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::demo());
    (runtime, emulator)
}

fn urls(emulator: &Emulator, home: &Path) -> Vec<(&'static str, String)> {
    let base = emulator.base_url().as_str().trim_end_matches('/').to_owned();
    // Only the auth URL: each region's API and DB URLs come from the emulator's /v1/regions
    // (an API or DB URL would pin one region).
    vec![("HOME", home.display().to_string()), ("SCALINGO_AUTH_URL", base)]
}

fn start_in(home: &Path, emulator: &Emulator, args: &[&str]) -> Tmux {
    let env = urls(emulator, home);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Tmux::start(args, &env, 100, 30)
}

#[test]
fn a_cli_login_is_enough_to_reach_any_database_in_any_region() {
    if !available() {
        return;
    }
    let (runtime, emulator) = emulator();
    let home = tempfile::tempdir().unwrap();
    let auth = home.path().join(".config/scalingo/auth");
    std::fs::create_dir_all(auth.parent().unwrap()).unwrap();
    // The auth host without its port keys the entry, as the CLI writes it.
    let file = format!(
        r#"{{"auth_data_version": "2.1", "last_update": "2026-01-01T00:00:00Z", "auth_config_data":
            {{"127.0.0.1": {{"tokens": {{"token": "{DEMO_API_TOKEN}"}}, "user": {{"id": "us-1",
            "username": "demo", "email": "demo@example.com"}}}}}}}}"#
    );
    std::fs::write(&auth, &file).unwrap();

    let tmux = start_in(home.path(), &emulator, &[]);
    let screen = tmux.wait_text("5 databases in osc-fr1, osc-secnum-fr1");
    assert!(!screen.contains("DEMO"), "{screen}");
    // The restricted region's database, through that region's own URLs.
    tmux.keys(&["/"]);
    tmux.type_text("billing");
    tmux.keys(&["Enter", "Enter"]);
    let screen = tmux.wait_text("auditor");
    assert!(screen.contains("region osc-secnum-fr1"), "{screen}");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());

    assert_eq!(std::fs::read_to_string(&auth).unwrap(), file, "the CLI's file is never written");
    let recent = std::fs::read_to_string(home.path().join(".local/state/dbdeck/recent.json")).unwrap();
    assert!(recent.contains("billing-secure") && !recent.contains(DEMO_API_TOKEN), "{recent}");
    let cache = std::fs::read_to_string(home.path().join(".cache/dbdeck/regions.json")).unwrap();
    assert!(cache.contains("osc-secnum-fr1") && !cache.contains(DEMO_API_TOKEN), "{cache}");

    // The next run starts from the cached regions, and lists the database opened last first.
    let tmux = start_in(home.path(), &emulator, &[]);
    let screen = tmux.wait_text("opened lately");
    let first = screen.lines().find(|l| l.contains("> ")).unwrap_or_default();
    assert!(first.contains("*  billing-secure"), "{screen}");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0);
    let log = runtime.block_on(emulator.paths());
    assert_eq!(
        log.iter().filter(|l| l.ends_with("/v1/regions")).count(),
        1,
        "cached for the second run: {log:?}"
    );
}

#[test]
fn without_any_token_the_first_screen_takes_one_for_this_run() {
    if !available() {
        return;
    }
    let (_runtime, emulator) = emulator();
    let home = tempfile::tempdir().unwrap();
    let tmux = start_in(home.path(), &emulator, &["--app", "shop-prod", "--addon", "mysql"]);
    let screen = tmux.wait_text("No Scalingo API token found");
    assert!(screen.contains("scalingo login") && screen.contains("SCALINGO_API_TOKEN"), "{screen}");

    // A wrong token: the exchange refuses it, and the screen asks again.
    tmux.type_text("tk-us-wrong");
    let screen = tmux.screen();
    assert!(!screen.contains("tk-us-wrong"), "masked: {screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("The token you typed was refused");
    assert!(screen.contains("HTTP 401"), "{screen}");

    tmux.type_text(DEMO_API_TOKEN);
    tmux.keys(&["Enter"]);
    tmux.wait_text("app_analytics");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    let written: Vec<_> = walk(home.path());
    assert!(
        written.iter().all(|(_, text)| !text.contains(DEMO_API_TOKEN) && !text.contains("tk-us-wrong")),
        "a typed token is written nowhere: {written:?}"
    );
    assert!(!tmux.log().contains(DEMO_API_TOKEN) && !tmux.log().contains("tk-us-wrong"));
}

/// Every file under `dir`, with its text.
fn walk(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push((path.clone(), std::fs::read_to_string(&path).unwrap_or_default()));
        }
    }
    out
}
