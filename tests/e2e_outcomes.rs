//! Honest state in the real binary at 80x24, against the emulator: a create whose answer is
//! dropped while the list that follows fails, and a token the platform refuses.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use dbdeck::emulator::DEMO_API_TOKEN;
use serde_json::json;
use support::emulator::{Emulator, hits};
use support::tmux::{Tmux, available};

/// The emulator on loopback, served by its own runtime while the test drives tmux.
fn emulator() -> (tokio::runtime::Runtime, Emulator) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::demo());
    (runtime, emulator)
}

/// dbdeck at 80x24 with a temporary HOME, the emulator as the auth service (and, with `pin`, as
/// the one region's APIs), and `env` on top.
fn start(emulator: &Emulator, home: &Path, pin: bool, env: &[(&str, &str)], args: &[&str]) -> Tmux {
    let base = emulator.base_url().as_str().trim_end_matches('/').to_owned();
    let home = home.display().to_string();
    let mut all = vec![("HOME", home.as_str()), ("SCALINGO_AUTH_URL", base.as_str())];
    if pin {
        all.extend([("SCALINGO_API_URL", base.as_str()), ("SCALINGO_DB_URL", base.as_str())]);
    }
    all.extend_from_slice(env);
    Tmux::start(args, &all, 80, 24)
}

/// The screen as one line: borders dropped and rows joined, so that a sentence wrapped over
/// several rows is found whole, and a cut one is not.
fn flat(screen: &str) -> String {
    let text = screen.replace(['│', '╭', '╮', '╰', '╯', '─'], " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn wait_whole(tmux: &Tmux, text: &str) -> String {
    tmux.wait_for(text, |screen| flat(screen).contains(text))
}

#[test]
fn a_lost_create_whose_list_fails_stays_on_screen_until_r_settles_it() {
    if !available() {
        return;
    }
    let (runtime, emu) = emulator();
    let home = tempfile::tempdir().unwrap();
    let tmux =
        start(&emu, home.path(), false, &[("SCALINGO_API_TOKEN", DEMO_API_TOKEN)], &["--app", "shop-prod"]);
    tmux.wait_text("app_reporting");
    let log = runtime.block_on(emu.log());
    let users = log
        .iter()
        .filter_map(|l| l.strip_prefix("GET ")?.split(' ').next())
        .find(|p| p.starts_with("/api/databases/") && p.ends_with("/users"))
        .expect("the users were listed")
        .to_owned();

    // The create is handled but its answer never comes; every list after it fails.
    runtime.block_on(async {
        emu.fault(json!({"method": "POST", "path": users, "action": {"kind": "drop_after"}})).await;
        emu.fault(json!({"method": "GET", "path": users, "times": 100,
                         "action": {"kind": "status", "status": 503}}))
            .await;
    });
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text("lost_reader");
    tmux.keys(&["Enter"]);
    let line = "Outcome unknown: the answer to creating the user lost_reader was lost, so the user may \
                have been created. No change is accepted until the users are read again: press r to list them.";
    let screen = wait_whole(&tmux, line);
    assert!(flat(&screen).contains("Loading users: HTTP 503"), "the list's failure too:\n{screen}");

    // Another change is refused, saying why; the line stays.
    tmux.keys(&["n"]);
    let screen = wait_whole(&tmux, "Not now: the outcome of creating the user lost_reader is unknown");
    assert!(!screen.contains("New PostgreSQL user") && flat(&screen).contains(line), "{screen}");
    let log = runtime.block_on(emu.log());
    assert_eq!(hits(&log, "POST", &users).len(), 1, "sent once, never again: {log:?}");

    // The API is back: r lists again and settles it.
    runtime.block_on(emu.clear_faults());
    tmux.keys(&["r"]);
    let screen = wait_whole(&tmux, "lost_reader was created, but the answer was lost");
    assert!(!flat(&screen).contains("Outcome unknown"), "{screen}");
    assert!(screen.contains("lost_reader"), "{screen}");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

#[test]
fn a_refused_token_brings_back_the_token_screen_with_no_args_and_with_app() {
    if !available() {
        return;
    }
    let (runtime, emu) = emulator();
    let home = tempfile::tempdir().unwrap();
    let refused = [("SCALINGO_API_TOKEN", "tk-us-refused-by-the-platform")];
    let said = "The platform refused the API token from SCALINGO_API_TOKEN: HTTP 401";
    let advice = "Fix or unset SCALINGO_API_TOKEN and start dbdeck again, or paste a token below.";

    // No arguments: the region list asks for the token first.
    let tmux = start(&emu, home.path(), false, &refused, &[]);
    let screen = wait_whole(&tmux, said);
    assert!(screen.contains("The API token was refused") && flat(&screen).contains(advice), "{screen}");
    assert!(!screen.contains("No PostgreSQL or MySQL database found"), "{screen}");
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), 0);

    // No arguments, one region pinned by its URLs: the apps listing is what is refused.
    let tmux = start(&emu, home.path(), true, &refused, &[]);
    let screen = wait_whole(&tmux, said);
    assert!(!screen.contains("No PostgreSQL or MySQL database found"), "{screen}");
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), 0);

    // --app, with the CLI's login file holding a revoked token.
    let auth = home.path().join(".config/scalingo/auth");
    std::fs::create_dir_all(auth.parent().unwrap()).unwrap();
    let file = r#"{"auth_data_version": "2.1", "last_update": "2026-01-01T00:00:00Z", "auth_config_data":
        {"127.0.0.1": {"tokens": {"token": "tk-us-revoked"}, "user": {"id": "us-1", "username": "ops",
        "email": "ops@example.com"}}}}"#;
    std::fs::write(&auth, file).unwrap();
    std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o600)).unwrap();
    let tmux = start(&emu, home.path(), false, &[], &["--app", "shop-prod"]);
    let said =
        format!("The platform refused the API token from the Scalingo CLI login in {}", auth.display());
    let screen = wait_whole(&tmux, &said);
    assert!(flat(&screen).contains("Run scalingo login again, or paste a token below."), "{screen}");

    // A good token typed there opens what was asked.
    tmux.type_text(DEMO_API_TOKEN);
    tmux.keys(&["Enter"]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());

    let log = runtime.block_on(emu.log());
    let exchanges = hits(&log, "POST", "/v1/tokens/exchange");
    assert!(
        exchanges.iter().filter(|h| h.starts_with("401")).count() >= 3,
        "each run was refused: {exchanges:?}"
    );
}
