//! The clipboard clear under tmux, against a real tmux server with `set -g set-clipboard on`:
//! tmux keeps each OSC 52 copy as a paste buffer, and dbdeck (running in one of its panes) must
//! delete the buffer holding a copied password when the clear timer fires and when it quits,
//! without touching the operator's other buffers. Buffer contents are compared, never printed.

mod support;

use std::time::{Duration, Instant};

use support::tmux::{Tmux, available};

const KEEP: &str = "the operator's own clipboard text";

/// The 64-character password in the reveal modal's box.
fn revealed_password(screen: &str) -> String {
    screen
        .lines()
        .flat_map(|line| line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .find(|word| word.len() == 64)
        .unwrap_or_else(|| panic!("no 64-character password on screen"))
        .to_owned()
}

/// How many paste buffers hold exactly `text`.
fn holding(tmux: &Tmux, text: &str) -> usize {
    tmux.buffers().iter().filter(|(_, content)| content == text).count()
}

/// Polls until `ready`, for at most `limit`.
fn wait_until(what: &str, limit: Duration, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts dbdeck in tmux with an operator's buffer already there, creates a user with a
/// generated password, copies it with `c`, and returns the password once tmux holds it.
fn copy_a_generated_password(tmux: &Tmux, user: &str) -> String {
    tmux.set_buffer("keepme", KEEP);
    tmux.wait_text("app_reporting");
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text(user);
    tmux.keys(&["Tab", "Space", "Enter"]);
    let password = revealed_password(&tmux.wait_text("Shown only once"));
    tmux.keys(&["c"]);
    // set-clipboard on: tmux stores the OSC 52 copy as a paste buffer.
    wait_until("tmux to hold the copy", Duration::from_secs(10), || holding(tmux, &password) == 1);
    password
}

fn assert_only_the_operators_buffers_left(tmux: &Tmux, password: &str) {
    let buffers = tmux.buffers();
    assert!(
        buffers.iter().all(|(_, content)| content != password),
        "a paste buffer still holds the password"
    );
    assert!(buffers.contains(&("keepme".to_owned(), KEEP.to_owned())), "the operator's buffer was touched");
    assert!(!tmux.log().contains(password), "the password reached the log");
}

#[test]
fn the_clear_timer_deletes_the_tmux_buffer_holding_the_password() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod", "--clipboard-clear", "3"], &[], 100, 30);
    let password = copy_a_generated_password(&tmux, "tmux_timer");

    wait_until("the clear to delete the buffer", Duration::from_secs(15), || holding(&tmux, &password) == 0);
    assert_only_the_operators_buffers_left(&tmux, &password);
    let screen = tmux.wait_text("Deleted 1 tmux paste buffer");
    assert!(screen.contains("Shown only once"), "the status shows in the reveal: {screen}");

    tmux.keys(&["Enter"]);
    tmux.wait_for("the reveal to close", |s| !s.contains("Shown only once"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert_only_the_operators_buffers_left(&tmux, &password);
}

#[test]
fn quitting_deletes_the_tmux_buffer_holding_the_password() {
    if !available() {
        return;
    }
    // The default 30 s timer does not fire during this test: only quitting clears.
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    let password = copy_a_generated_password(&tmux, "tmux_quit");

    tmux.keys(&["Enter"]);
    tmux.wait_for("the reveal to close", |s| !s.contains("Shown only once"));
    assert_eq!(holding(&tmux, &password), 1, "still there before quitting");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert_only_the_operators_buffers_left(&tmux, &password);
}
