//! A real bracketed paste (tmux `paste-buffer -p`) into the real binary's create-user form,
//! holding the end-of-paste marker: crossterm ends the paste there and parses the rest as keys.
//! The rest must stay text: no Enter submits the form, no Esc closes it, and the screen says
//! why nothing was inserted.

mod support;

use std::time::Duration;

use support::tmux::{Tmux, available};

const NAME: &str = "e2e_pasted";

fn form_open(tmux: &Tmux) {
    tmux.wait_text("app_reporting");
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
}

/// The form is still open with an empty name, the refusal is on screen, and after a while no
/// user was created (a submit would show the reveal, then list the user).
fn assert_refused_and_nothing_sent(tmux: &Tmux, what: &str) {
    let screen = tmux.wait_for("the paste handled", |s| {
        s.contains("Paste refused") || s.contains("Shown only once") || !s.contains("New PostgreSQL user")
    });
    assert!(screen.contains("end-of-paste marker"), "{what}: not refused: {screen}");
    // A submit would have answered by now (the demo's emulator runs in the process).
    std::thread::sleep(Duration::from_millis(500));
    let screen = tmux.screen();
    assert!(screen.contains("New PostgreSQL user"), "{what}: the form was closed: {screen}");
    assert!(!screen.contains("Shown only once") && !screen.contains(NAME), "{what}: {screen}");
    let log = tmux.log();
    assert!(log.contains("scalingo request"), "trace logging shows the requests: {log}");
    let created = log.lines().any(|l| l.contains("method=POST") && l.contains("/users"));
    assert!(!created, "{what}: a user was created:\n{log}");
}

#[test]
fn a_paste_holding_the_end_marker_and_a_carriage_return_submits_nothing() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    form_open(&tmux);
    // tmux sends ESC[200~ e2e_pasted ESC[201~ CR ESC[201~: a paste, then Enter as crossterm reads it.
    tmux.paste(&format!("{NAME}\u{1b}[201~\r"));
    assert_refused_and_nothing_sent(&tmux, "marker then CR");

    // Esc (a doubled ESC reads as the Esc key) and Tab after the marker: the form stays.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the form closed", |s| !s.contains("New PostgreSQL user"));
    tmux.keys(&["Escape"]);
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.paste(&format!("{NAME}\u{1b}[201~\t\u{1b}\u{1b}"));
    assert_refused_and_nothing_sent(&tmux, "marker then Tab and Esc");
    tmux.keys(&["q"]);
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

#[test]
fn a_multi_line_paste_is_refused_and_a_final_line_break_is_dropped_with_a_note() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    form_open(&tmux);
    tmux.paste("first_line\nsecond_line");
    let screen = tmux.wait_text("Paste refused");
    assert!(screen.contains("line break") && !screen.contains("first_line"), "{screen}");
    tmux.paste(&format!("{NAME}\n"));
    let screen = tmux.wait_text("without its final line break");
    assert!(screen.contains(NAME) && screen.contains("New PostgreSQL user"), "{screen}");
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}
