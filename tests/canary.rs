//! Promise P1: a password never reaches a log file or stderr. A fixed canary password goes
//! through every flow (create with it, set it, reset to a generated one) with logging at trace
//! level; neither it nor its base64 or percent-encoded forms appear anywhere afterwards, and
//! neither do the tokens.

mod support;

use base64::Engine;
use support::tmux::{Tmux, available, revealed_password};

const CANARY: &str = "Canary_pw_0123456789_ZYXWVUTS";

fn forms(secret: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    vec![
        secret.to_owned(),
        b64.encode(secret),
        b64.encode(format!("\"password\":\"{secret}\"")),
        percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string(),
    ]
}

#[test]
fn passwords_stay_out_of_logs_and_stderr() {
    if !available() {
        return;
    }
    let journal = tempfile::tempdir().unwrap();
    let journal = journal.path().join("journal.jsonl");
    let args = ["--demo", "--app", "shop-prod", "--journal", journal.to_str().unwrap()];
    let tmux = Tmux::start(&args, &[], 100, 30);
    tmux.wait_text("app_reporting");

    // Create with the canary as chosen password.
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text("canary_user");
    tmux.keys(&["Tab", "Tab"]);
    tmux.type_text(CANARY);
    tmux.keys(&["Tab"]);
    tmux.type_text(CANARY);
    tmux.keys(&["Enter"]);
    tmux.wait_text("created with the password you chose");
    assert!(!tmux.screen().contains(CANARY), "a chosen password is never displayed");

    // Set it again (s), then reset it (p) to a generated one, which becomes a second canary.
    tmux.keys(&["/"]);
    tmux.type_text("canary");
    tmux.keys(&["Enter", "s"]);
    tmux.wait_text("Set the password of canary_user");
    tmux.type_text(CANARY);
    tmux.keys(&["Tab"]);
    tmux.type_text(CANARY);
    tmux.keys(&["Enter"]);
    // The box offering a connection URL with it, which never draws the password; Enter closes.
    let screen = tmux.wait_text("u copies a connection URL");
    assert!(!screen.contains(CANARY), "a typed password is never displayed");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the box to close", |s| !s.contains("u copies a connection URL"));
    tmux.keys(&["p"]);
    tmux.wait_text("Reset the password of canary_user");
    tmux.type_text("canary_user");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("Shown only once");
    let generated = revealed_password(&screen);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the reveal to close", |s| !s.contains("Shown only once"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0);

    let log = tmux.log();
    assert!(log.len() > 200, "trace logging wrote something: {log}");
    let stderr = tmux.stderr();
    // Tokens are secrets too: the API token, and the JWTs (their base64 header starts "eyJ").
    for token in [dbdeck::emulator::DEMO_API_TOKEN, "eyJ"] {
        assert!(!log.contains(token) && !stderr.contains(token), "a token reached the log: {token}");
    }
    // The journal recorded the three changes, and nothing secret.
    let recorded = std::fs::read_to_string(&journal).unwrap();
    for action in ["create_user", "set_password", "reset_password"] {
        assert_eq!(recorded.matches(&format!("\"action\":\"{action}\"")).count(), 2, "{recorded}");
    }
    for token in [dbdeck::emulator::DEMO_API_TOKEN, "eyJ"] {
        assert!(!recorded.contains(token), "a token reached the journal: {token}");
    }
    for secret in [CANARY, generated.as_str()] {
        for form in forms(secret) {
            assert!(!log.contains(&form), "{form} in the log");
            assert!(!stderr.contains(&form), "{form} on stderr");
            assert!(!recorded.contains(&form), "{form} in the journal");
        }
    }
}
