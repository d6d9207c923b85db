//! Promise P1 for database URLs and pasted passwords: the real binary in headless tmux, trace
//! logging on, a canary secret fed in the way an operator would, and then looked for (as is,
//! percent-encoded and base64-encoded) on every screen captured, in the log and on stderr.
//!
//! - The password of `DATABASE_URL`, while the Extensions tab tries that URL (a closed port on
//!   this machine, so nothing is contacted elsewhere) and says it cannot reach it.
//! - A chosen password given to the new-user form by bracketed paste (tmux `paste-buffer -p`),
//!   with a trailing newline that must not submit the form; the journal (and its `J` overlay)
//!   records the creation without it.

mod support;

use std::time::{Duration, Instant};

use base64::Engine;
use support::tmux::{Tmux, available};

const URL_CANARY: &str = "Canary_dburl_pw_123456";
const PASTE_CANARY: &str = "Canary_paste_pw_0123456789_QRSTU";

/// The secret and the encodings a careless log line or error might carry it in.
fn forms(secret: &str, user: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    vec![
        secret.to_owned(),
        percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string(),
        b64.encode(secret),
        url_safe.encode(secret),
        b64.encode(format!("{user}:{secret}")),
        b64.encode(format!("\"password\":\"{secret}\"")),
    ]
}

/// Polls `capture` until `ready`, keeping every screen seen in `screens`.
fn wait(
    screens: &mut Vec<String>,
    capture: impl Fn() -> String,
    what: &str,
    ready: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let screen = capture();
        screens.push(screen.clone());
        if ready(&screen) {
            return screen;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Fails naming where a form of the secret showed; `fragment` is a piece of it (a cut-off
/// secret on screen still leaks).
fn assert_absent(secret: &str, user: &str, fragment: &str, screens: &[String], log: &str, stderr: &str) {
    assert!(log.len() > 200, "trace logging wrote something: {log}");
    for form in forms(secret, user) {
        assert!(!log.contains(&form), "{form} in the log");
        assert!(!stderr.contains(&form), "{form} on stderr: {stderr}");
    }
    assert!(!log.contains(fragment) && !stderr.contains(fragment), "{fragment} in the log or on stderr");
    for screen in screens {
        assert!(!screen.contains(fragment), "a piece of the secret on screen:\n{screen}");
        for form in forms(secret, user) {
            assert!(!screen.contains(&form), "{form} on screen:\n{screen}");
        }
    }
}

#[test]
fn a_database_url_password_is_never_shown_or_logged() {
    if !available() {
        return;
    }
    // Quoted for the shell line tmux runs (the URL holds `?`).
    let url = format!("'postgresql://dbdeck_owner:{URL_CANARY}@127.0.0.1:1/db?sslmode=disable'");
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[("DATABASE_URL", &url)], 100, 30);
    let mut screens = Vec::new();
    wait(&mut screens, || tmux.screen(), "the users", |s| s.contains("app_reporting"));
    tmux.keys(&["2"]);
    let screen = wait(&mut screens, || tmux.screen(), "the refusal", |s| s.contains("Cannot reach"));
    // The tab tried DATABASE_URL (not the app's variable): host, port and database are shown.
    assert!(screen.contains("127.0.0.1:1/db"), "{screen}");
    // The API's list still shows, below the message.
    wait(&mut screens, || tmux.screen(), "the API's list", |s| s.contains("pgcrypto"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    screens.push(tmux.screen());

    let (log, stderr) = (tmux.log(), tmux.stderr());
    assert_absent(URL_CANARY, "dbdeck_owner", "dburl_pw", &screens, &log, &stderr);
}

#[test]
fn a_pasted_password_is_never_shown_or_logged() {
    if !available() {
        return;
    }
    let journal = tempfile::tempdir().unwrap();
    let journal = journal.path().join("journal.jsonl");
    let args = ["--demo", "--app", "shop-prod", "--journal", journal.to_str().unwrap()];
    let tmux = Tmux::start(&args, &[], 100, 30);
    let mut screens = Vec::new();
    wait(&mut screens, || tmux.screen(), "the users", |s| s.contains("app_reporting"));
    tmux.keys(&["n"]);
    wait(&mut screens, || tmux.screen(), "the form", |s| s.contains("New PostgreSQL user"));
    tmux.type_text("pasted_user");
    tmux.keys(&["Tab", "Tab"]);

    // A trailing newline, as a copied line often has: pasted (bracketed), it is not Enter.
    let masked = |n: usize| move |s: &str| ["•", "*"].iter().any(|m| mask_run(s, m) == Some(n));
    tmux.paste(&format!("{PASTE_CANARY}\n"));
    let n = PASTE_CANARY.len();
    wait(&mut screens, || tmux.screen(), "the password's mask", masked(n));
    // Typed, the newline would be Enter: a submit, refused for the empty confirmation.
    std::thread::sleep(Duration::from_millis(300));
    let screen = tmux.screen();
    screens.push(screen.clone());
    let submitted = !screen.contains("New PostgreSQL user") || screen.contains("does not match");
    assert!(!submitted, "the pasted newline submitted the form: {screen}");
    tmux.keys(&["Tab"]);
    tmux.paste(&format!("{PASTE_CANARY}\n"));
    wait(
        &mut screens,
        || tmux.screen(),
        "the confirmation's mask",
        |s| ["•", "*"].iter().any(|m| s.lines().filter(|l| mask_run(l, m) == Some(n)).count() == 2),
    );
    tmux.keys(&["Enter"]);
    wait(
        &mut screens,
        || tmux.screen(),
        "the creation",
        |s| s.contains("created with the password you chose"),
    );
    let screen = wait(
        &mut screens,
        || tmux.screen(),
        "the new user listed",
        |s| s.lines().any(|l| l.contains("pasted_user") && l.contains("read-write")),
    );
    assert!(!screen.contains("Shown only once"), "a chosen password is not revealed: {screen}");
    tmux.keys(&["J"]);
    wait(
        &mut screens,
        || tmux.screen(),
        "the journal overlay",
        |s| s.contains("create_user pasted_user  done"),
    );
    tmux.keys(&["Escape"]);
    wait(&mut screens, || tmux.screen(), "the overlay to close", |s| !s.contains("Journal: changes"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    screens.push(tmux.screen());

    assert_absent(PASTE_CANARY, "pasted_user", "paste_pw_0123", &screens, &tmux.log(), &tmux.stderr());
    let recorded = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(recorded.matches("\"target\":\"pasted_user\"").count(), 2, "{recorded}");
    assert!(!recorded.contains("paste_pw_0123"), "{recorded}");
    for form in forms(PASTE_CANARY, "pasted_user") {
        assert!(!recorded.contains(&form), "{form} in the journal");
    }
}

/// The longest run of `mask` in `text`, if any.
fn mask_run(text: &str, mask: &str) -> Option<usize> {
    text.split(|c: char| c.to_string() != mask).map(|run| run.chars().count()).filter(|&n| n > 0).max()
}
