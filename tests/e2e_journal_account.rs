//! The real binary, logged in through the Scalingo CLI's login file: every journal line of a
//! change names the account that login belongs to, read from the file on disk.

mod support;

use std::os::unix::fs::PermissionsExt;

use dbdeck::emulator::DEMO_API_TOKEN;
use support::emulator::Emulator;
use support::tmux::{Tmux, available};

#[test]
fn a_change_made_with_the_cli_login_names_its_scalingo_account() {
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = runtime.block_on(Emulator::demo());
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    let home = tempfile::tempdir().unwrap();
    let auth = home.path().join(".config/scalingo/auth");
    std::fs::create_dir_all(auth.parent().unwrap()).unwrap();
    let file = format!(
        r#"{{"auth_data_version": "2.1", "last_update": "2026-01-01T00:00:00Z", "auth_config_data":
        {{"127.0.0.1": {{"tokens": {{"token": "{DEMO_API_TOKEN}"}}, "user": {{"id": "us-1",
        "username": "ops-alice", "email": "alice@example.com"}}}}}}}}"#
    );
    std::fs::write(&auth, file).unwrap();
    std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o600)).unwrap();
    let journal = home.path().join("journal.jsonl");
    let home_text = home.path().display().to_string();
    let env = [("HOME", home_text.as_str()), ("SCALINGO_AUTH_URL", base.as_str())];
    let tmux = Tmux::start(&["--app", "shop-prod", "--journal", journal.to_str().unwrap()], &env, 100, 30);

    tmux.wait_text("app_reporting");
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text("account_probe");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Shown only once");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the reveal to close", |s| !s.contains("Shown only once"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());

    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "intent and outcome: {lines:?}");
    for line in &lines {
        assert_eq!(line["target"], "account_probe", "{line}");
        assert_eq!(line["scalingo_account"], "ops-alice", "{line}");
    }
}
