//! The clipboard clear under tmux, against a real tmux server with `set -g set-clipboard on`:
//! tmux keeps each OSC 52 copy as a paste buffer, and dbdeck (running in one of its panes) must
//! delete the buffer holding a copied password when the clear timer fires and when it quits,
//! without touching the operator's other buffers; and the clear must get out of tmux to the
//! operator's terminal (a second tmux attached to the first plays it). Buffer contents are
//! compared, never printed.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::tmux::{Tmux, available, revealed_password};

const KEEP: &str = "the operator's own clipboard text";

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

/// The operator's terminal around dbdeck's tmux, played by a second tmux server attached to the
/// first: with `set-clipboard on` it keeps each OSC 52 that reaches it as a buffer, so its newest
/// buffer is what the operator's clipboard would hold.
struct OuterTerminal {
    socket: String,
}

impl OuterTerminal {
    fn around(inner: &Tmux) -> OuterTerminal {
        // The inner tmux forwards OSC 52 to this "terminal" (an xterm would be detected as such).
        inner.run(&["set-option", "-as", "terminal-features", ",*:clipboard"]);
        let outer = OuterTerminal { socket: format!("{}-outer", inner.socket()) };
        outer.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "term",
            "-x",
            "100",
            "-y",
            "30",
            "sleep 600",
        ]);
        outer.run(&["set-option", "-g", "set-clipboard", "on"]);
        let attach = format!("env -u TMUX tmux -L {} attach -t app", inner.socket());
        outer.run(&["respawn-pane", "-k", "-t", "term", &attach]);
        outer
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        let output = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().unwrap();
        assert!(output.status.success(), "outer tmux {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    /// What the operator's clipboard holds now: the newest buffer.
    fn clipboard(&self) -> Option<String> {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).arg("show-buffer").output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for OuterTerminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").output();
    }
}

#[test]
fn the_clear_reaches_the_terminal_outside_tmux_as_an_overwrite() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod", "--clipboard-clear", "3"], &[], 100, 30);
    let outer = OuterTerminal::around(&tmux);
    let password = copy_a_generated_password(&tmux, "tmux_outer");
    let is_password = || outer.clipboard().as_deref() == Some(password.as_str());
    wait_until("the copy to reach the outer terminal", Duration::from_secs(10), is_password);

    // tmux forwards no clear that is empty or not base64: only a valid overwrite gets out.
    let overwritten = || outer.clipboard().as_deref() == Some(" ");
    wait_until("the clear to overwrite the outer clipboard", Duration::from_secs(15), overwritten);
    // The overwrite and the buffer deletion run side by side: either may land first.
    wait_until("the clear to delete the buffer", Duration::from_secs(15), || holding(&tmux, &password) == 0);
    assert_only_the_operators_buffers_left(&tmux, &password);
}
