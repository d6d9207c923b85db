//! The connection URL in the password reveal: `u` copies the new user's URL (the app's host,
//! port, database and TLS parameters, the new name and password), shown masked, and psql
//! connects with it as that user to the test cluster; then the same after Set password.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig};
use support::emulator::Emulator;
use support::pg::pg;
use support::tmux::{Tmux, available, revealed_password};

#[test]
fn the_copied_url_connects_as_the_new_user() {
    let Some(pg) = pg() else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(pg.scratch_db("url"));
    let mut config = EmulatorConfig::demo();
    let app = config.seed.apps.iter_mut().find(|a| a.name == "shop-prod").unwrap();
    let variable = app.variables.iter_mut().find(|v| v.name == "SCALINGO_POSTGRESQL_URL").unwrap();
    variable.value = pg.url(&db, "sslmode=require&application_name=shop");
    let emu = runtime.block_on(Emulator::start(config));
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    let home = tempfile::tempdir().unwrap();
    let home_text = home.path().display().to_string();
    let env = [
        ("HOME", home_text.as_str()),
        ("SCALINGO_AUTH_URL", base.as_str()),
        ("SCALINGO_API_TOKEN", DEMO_API_TOKEN),
    ];
    let journal = home.path().join("journal.jsonl");
    let args = ["--app", "shop-prod", "--no-tunnel", "--journal", journal.to_str().unwrap()];
    let tmux = Tmux::start(&args, &env, 140, 40);

    let name = format!("url_user_{}", std::process::id());
    tmux.wait_text("app_reporting");
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text(&name);
    tmux.keys(&["Enter"]);
    let password = revealed_password(&tmux.wait_text("Shown only once"));
    // The emulator stands in for the platform, which would create the role itself.
    let admin = runtime.block_on(pg.admin(&db));
    let create = format!("CREATE ROLE {name} LOGIN PASSWORD '{password}'");
    runtime.block_on(admin.batch_execute(&create)).unwrap();

    tmux.keys(&["u"]);
    let masked = format!(
        "postgres://{name}:********@{}:{}/{db}?sslmode=require&application_name=shop",
        pg.host, pg.port
    );
    // Shown masked (wrapped in the modal); the password is never in it.
    let screen = tmux.wait_text("Connection URL:");
    assert!(screen.contains(&format!("postgres://{name}:********@")), "{screen}");
    let url = copied(&tmux, &password);
    assert_eq!(url, masked.replace("********", &password));
    assert_eq!(current_user(&pg.bin, &url), name);

    // Set password: the box after it offers the URL with the typed password, never drawn.
    tmux.keys(&["Enter", "/"]);
    tmux.type_text(&name);
    tmux.keys(&["Enter", "s"]);
    tmux.wait_text("Set the password of");
    let chosen = "Chosen_password_for_the_url_test_42";
    tmux.type_text(chosen);
    tmux.keys(&["Tab"]);
    tmux.type_text(chosen);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("u copies a connection URL");
    assert!(!screen.contains(chosen), "a typed password is never drawn");
    runtime.block_on(admin.batch_execute(&format!("ALTER ROLE {name} PASSWORD '{chosen}'"))).unwrap();
    tmux.keys(&["u"]);
    let url = copied(&tmux, chosen);
    assert_eq!(url, masked.replace("********", chosen));
    assert_eq!(current_user(&pg.bin, &url), name);

    tmux.keys(&["Enter", "q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    let log = tmux.log();
    assert!(!log.contains(&password) && !log.contains(chosen), "a password reached the log");
    runtime.block_on(admin.batch_execute(&format!("DROP ROLE {name}"))).unwrap_or_default();
}

/// The URL holding `password` once tmux holds it (a paste buffer, from OSC 52).
fn copied(tmux: &Tmux, password: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let buffers = tmux.buffers().into_iter().map(|(_, text)| text);
        if let Some(url) = buffers.filter(|t| t.starts_with("postgres://")).find(|t| t.contains(password)) {
            return url;
        }
        assert!(Instant::now() < deadline, "tmux never held the URL");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Who psql is, connected with `url` alone.
fn current_user(bin: &Path, url: &str) -> String {
    let out = Command::new(bin.join("psql"))
        .args(["-X", "-At", "-c", "SELECT current_user", url])
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
