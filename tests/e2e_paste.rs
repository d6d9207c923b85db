//! A real bracketed paste (tmux `paste-buffer -p`) into the real binary's create-user form,
//! holding the end-of-paste marker: crossterm ends the paste there and parses the rest as keys.
//! The rest must stay text: no Enter submits the form, no Esc closes it, and the screen says
//! why nothing was inserted.

mod support;

use std::time::{Duration, Instant};

use support::tmux::{Tmux, available};

/// A valid name typed before each paste: an Enter that got through would create this user.
const TYPED: &str = "e2e_typed";

fn open_form_and_type_a_name(tmux: &Tmux) {
    tmux.wait_for("no form", |s| !s.contains("New PostgreSQL user"));
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text(TYPED);
    tmux.wait_text(TYPED);
}

/// The form is still open with the typed name, the refusal is on screen, and after a while no
/// user was created (a submit would show the reveal, then list the user, and log a POST).
fn assert_refused_and_nothing_sent(tmux: &Tmux, what: &str) {
    let screen = tmux.wait_for("the paste handled", |s| {
        s.contains("Paste refused") || s.contains("Shown only once") || !s.contains("New PostgreSQL user")
    });
    assert!(screen.contains("end-of-paste marker"), "{what}: not refused: {screen}");
    // Bytes of the paste crossterm left unread come in with the next key: they must not act.
    tmux.keys(&["End"]);
    // A submit would have answered by now (the demo's emulator runs in the process).
    std::thread::sleep(Duration::from_millis(1500));
    let screen = tmux.screen();
    assert!(screen.contains("New PostgreSQL user"), "{what}: the form was closed: {screen}");
    assert!(screen.contains(TYPED) && !screen.contains("Shown only once"), "{what}: {screen}");
    let log = tmux.log();
    assert!(log.contains("scalingo request"), "trace logging shows the requests: {log}");
    let created = log.lines().any(|l| l.contains("method=POST") && l.contains("/users"));
    assert!(!created, "{what}: a user was created");
}

/// Closes the form and dismisses the refusal.
fn close_form(tmux: &Tmux) {
    // The form holds typed text: Esc asks first, a second Esc discards.
    tmux.keys(&["Escape"]);
    tmux.wait_text("Discard what you typed?");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the form closed", |s| !s.contains("New PostgreSQL user"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the refusal dismissed", |s| !s.contains("Paste refused"));
}

/// Ctrl-C until dbdeck exits: keys are dropped for a moment after a hostile paste.
fn quit(tmux: &Tmux) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !tmux.dir.path().join("exit").exists() && Instant::now() < deadline {
        tmux.keys(&["C-c"]);
        std::thread::sleep(Duration::from_millis(700));
    }
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

#[test]
fn a_paste_holding_the_end_marker_then_enter_esc_or_tab_submits_nothing() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    // tmux sends ESC[200~ _x ESC[201~ CR ESC[201~: crossterm reads a paste, then Enter.
    open_form_and_type_a_name(&tmux);
    tmux.paste("_x\u{1b}[201~\r");
    assert_refused_and_nothing_sent(&tmux, "marker then CR");
    close_form(&tmux);

    // Tab, then a doubled ESC (read as the Esc key), then CR.
    open_form_and_type_a_name(&tmux);
    tmux.paste("_x\u{1b}[201~\t\u{1b}\u{1b}\r");
    assert_refused_and_nothing_sent(&tmux, "marker then Tab, Esc and CR");
    close_form(&tmux);

    // A long paste, which the terminal writes in pieces and crossterm reads 1 KiB at a time:
    // every CR after the marker is held, also those left unread until the next key.
    open_form_and_type_a_name(&tmux);
    tmux.paste_long(&format!("{}\u{1b}[201~{}", "x".repeat(8000), "\r".repeat(20000)));
    assert_refused_and_nothing_sent(&tmux, "8000 bytes, the marker, then 20000 CR");
    quit(&tmux);
}

#[test]
fn a_multi_line_paste_is_refused_and_a_final_line_break_is_dropped_with_a_note() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.paste("first_line\nsecond_line");
    let screen = tmux.wait_text("Paste refused");
    assert!(screen.contains("line break") && !screen.contains("first_line"), "{screen}");
    tmux.paste("pasted_name\n");
    let screen = tmux.wait_text("without its final line break");
    assert!(screen.contains("pasted_name") && screen.contains("New PostgreSQL user"), "{screen}");
    quit(&tmux);
}
