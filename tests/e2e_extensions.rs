//! The Extensions tab in the real binary (tmux): `--demo` with DATABASE_URL pointing at the test
//! cluster enables and disables hstore, checked with psql; without a URL the demo shows the API's
//! list and how to reach the database; a password in `--database-url` is refused.

mod support;

use std::process::Command;

use support::pg::pg;
use support::tmux::{Tmux, available};

#[tokio::test]
async fn demo_enables_and_disables_hstore_over_sql() {
    let Some(pg) = pg() else { return };
    if !available() {
        return;
    }
    let db = pg.scratch_db("e2e").await;
    // Quoted for the shell line tmux runs (the URL holds `?` and `&`).
    let url = format!("'{}'", pg.url(&db, "sslmode=require"));
    let journal = tempfile::tempdir().unwrap();
    let journal = journal.path().join("journal.jsonl");
    let args = ["--demo", "--app", "shop-prod", "--journal", journal.to_str().unwrap()];
    let tmux = Tmux::start(&args, &[("DATABASE_URL", &url)], 100, 30);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);
    let screen = tmux.wait_text("over TLS (from DATABASE_URL)");
    assert!(screen.contains(&format!("127.0.0.1:{}/{db}", pg.port)), "{screen}");
    assert!(!screen.contains(&pg.password), "the password is never shown");

    tmux.keys(&["/"]);
    tmux.type_text("hstore");
    tmux.keys(&["Enter", "e"]);
    tmux.wait_text("CREATE EXTENSION IF NOT EXISTS \"hstore\";");
    tmux.keys(&["Enter"]);
    tmux.wait_text("hstore enabled (version");
    let version = pg.psql(&db, "SELECT extversion FROM pg_extension WHERE extname = 'hstore'");
    assert!(!version.is_empty(), "psql sees hstore enabled");
    tmux.wait_text(&format!("enabled {version}"));

    tmux.keys(&["d"]);
    tmux.wait_text("Type hstore to confirm");
    tmux.type_text("hstore");
    tmux.keys(&["Enter"]);
    tmux.wait_text("hstore disabled");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM pg_extension WHERE extname = 'hstore'"), "0");

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert!(!tmux.log().contains(&pg.password), "the database password reached the log");
    assert!(!tmux.stderr().contains(&pg.password));

    // Both changes are in the journal, each intent followed by its outcome; no URL, no password.
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains(&pg.password) && !text.contains("postgres://"), "{text}");
    let read = dbdeck::journal::read_entries(&journal).unwrap();
    let lines: Vec<String> = read
        .entries
        .iter()
        .map(|(e, _)| {
            format!("{} {} {} {}", e.action.name(), e.target, e.status(), e.engine.as_deref().unwrap_or("-"))
        })
        .collect();
    assert_eq!(
        lines,
        [
            "enable_extension hstore intent postgresql",
            "enable_extension hstore done postgresql",
            "disable_extension hstore intent postgresql",
            "disable_extension hstore done postgresql",
        ]
    );
}

#[test]
fn demo_without_a_url_shows_the_api_list_and_how_to_reach_the_database() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);
    let screen = tmux.wait_text("Cannot reach the database at 127.0.0.1:1/shop_prod_4553");
    assert!(screen.contains("db-tunnel") && screen.contains("Internet accessibility"), "{screen}");
    let screen = tmux.wait_text("uuid-ossp");
    assert!(screen.contains("pgcrypto") && screen.contains("enabled 1.3"), "the API's list: {screen}");
    assert!(!screen.contains("demo-password-not-a-secret"));
    // e says why it cannot act; nothing opens.
    tmux.keys(&["e"]);
    tmux.wait_text("need a SQL connection");
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_password_in_the_flag_is_refused_before_anything_runs() {
    let out = Command::new(env!("CARGO_BIN_EXE_dbdeck"))
        .args(["--demo", "--database-url", "postgres://someone:s3cret-pw@127.0.0.1/db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("must not contain a password") && stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
}
