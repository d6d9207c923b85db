//! Every way out blanks the screen before leaving the alternate screen, asks the terminal nothing,
//! and is quick. The real binary in headless tmux, every byte it writes captured with
//! `tmux pipe-pane`: a generated password is on screen (the reveal modal) when the signal or key
//! arrives; afterwards the capture must show dbdeck's blanking sequence after the last frame
//! that painted it and before `ESC[?1049l`, and never the cursor-position query `ESC[6n`.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::tmux::{Tmux, available, revealed_password, running};

/// dbdeck's own blanking after a password was shown: erase the screen and the saved lines,
/// cursor home. Spelled out here, not taken from dbdeck, so the test checks the bytes.
const BLANK: &[u8] = b"\x1b[2J\x1b[3J\x1b[H";
const LEAVE_ALTERNATE: &[u8] = b"\x1b[?1049l";
const CURSOR_QUERY: &[u8] = b"\x1b[6n";
/// Generous, for a shared and noisy machine; bench/exit.sh measures precisely.
const EXIT_WITHIN: Duration = Duration::from_millis(1500);

enum Exit {
    Signal(&'static str),
    Keys(&'static [&'static str]),
}

#[test]
fn sigterm_blanks_the_revealed_password_before_leaving_and_exits_quickly() {
    exit_blanks(Exit::Signal("TERM"), 143);
}

#[test]
fn sigint_blanks_the_revealed_password_before_leaving_and_exits_quickly() {
    exit_blanks(Exit::Signal("INT"), 130);
}

#[test]
fn sighup_blanks_the_revealed_password_before_leaving_and_exits_quickly() {
    exit_blanks(Exit::Signal("HUP"), 129);
}

#[test]
fn ctrl_c_blanks_the_revealed_password_before_leaving() {
    exit_blanks(Exit::Keys(&["C-c"]), 0);
}

#[test]
fn q_blanks_the_screen_before_leaving() {
    // `q` quits from the list: close the reveal first (the password leaves the screen then).
    exit_blanks(Exit::Keys(&["Enter", "q"]), 0);
}

fn exit_blanks(exit: Exit, code: i32) {
    if !available() {
        return;
    }
    let tmux = Tmux::start_captured(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text("exit_probe");
    tmux.keys(&["Tab", "Space", "Enter"]);
    let password = revealed_password(&tmux.wait_text("Shown only once"));
    let pid = tmux.pid();
    let sent = Instant::now();
    match exit {
        Exit::Signal(name) => {
            let status = Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status().unwrap();
            assert!(status.success());
        }
        Exit::Keys(keys) => tmux.keys(keys),
    }
    let took = gone(pid, sent);
    eprintln!("dbdeck {pid} gone {took:?} after the exit was asked");
    assert_eq!(tmux.wait_exit(), code, "stderr: {}", tmux.stderr());
    if matches!(exit, Exit::Signal(_)) {
        assert!(took < EXIT_WITHIN, "exited {took:?} after the signal");
    }
    let raw = wait_raw(&tmux);
    assert_blanked_before_leaving(&raw, password.as_bytes());
}

/// Without a password ever on screen, the exit blanks the screen but keeps the operator's
/// scrollback: no `ESC[3J`.
#[test]
fn q_without_a_password_shown_keeps_the_scrollback() {
    if !available() {
        return;
    }
    let tmux = Tmux::start_captured(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    let raw = wait_raw(&tmux);
    let leave = rfind(&raw, LEAVE_ALTERNATE).expect("left the alternate screen");
    let blank = rfind(&raw[..leave], b"\x1b[2J\x1b[H").expect("blanked before leaving");
    assert!(rfind(&raw, b"\x1b[3J").is_none(), "the saved lines were erased (at {blank})");
}

/// The capture once the alternate screen was left (the pipe may lag a little).
fn wait_raw(tmux: &Tmux) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let raw = tmux.raw_output();
        if rfind(&raw, LEAVE_ALTERNATE).is_some() || Instant::now() > deadline {
            return raw;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_blanked_before_leaving(raw: &[u8], secret: &[u8]) {
    let shown = String::from_utf8_lossy(raw);
    assert!(find(raw, CURSOR_QUERY).is_none(), "the terminal was asked for the cursor position: {shown:?}");
    let painted = rfind(raw, secret).expect("the secret was painted (the capture works)");
    let leave =
        rfind(raw, LEAVE_ALTERNATE).unwrap_or_else(|| panic!("never left the alternate screen: {shown:?}"));
    let blank = rfind(&raw[..leave], BLANK)
        .unwrap_or_else(|| panic!("no blanking before leaving the alternate screen: {shown:?}"));
    assert!(painted < blank, "the secret was painted after the blanking: {shown:?}");
    // Between the blanking and the leave, escape sequences only (the clipboard clear, modes):
    // nothing drawn again.
    let between = printable(&raw[blank + BLANK.len()..leave]);
    assert!(between.is_empty(), "drawn after the blanking: {between:?}");
    assert!(find(&raw[leave..], secret).is_none(), "the secret was painted after leaving");
}

/// Polls until `pid` has ended (exited, even if not yet reaped); returns how long since `since`.
fn gone(pid: u32, since: Instant) -> Duration {
    while running(pid) {
        assert!(since.elapsed() < Duration::from_secs(15), "dbdeck {pid} still runs");
        std::thread::sleep(Duration::from_millis(2));
    }
    since.elapsed()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// `bytes` without escape sequences (CSI, OSC, two-byte escapes) and control characters.
fn printable(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1)) {
            (0x1b, Some(b'[')) => {
                i += 2;
                while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                    i += 1;
                }
                i += 1;
            }
            (0x1b, Some(b']')) => {
                i += 2;
                while i < bytes.len()
                    && bytes[i] != 0x07
                    && !(bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'\\'))
                {
                    i += 1;
                }
                i += if bytes.get(i) == Some(&0x1b) { 2 } else { 1 };
            }
            (0x1b, _) => i += 2,
            (b, _) if b < 0x20 || b == 0x7f => i += 1,
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Run as its own process inside tmux (see the tests below): draws a secret-like text in a loop,
/// filling the screen with changing text, while another thread panics after
/// `DBDECK_PANIC_AFTER_MS`.
#[test]
fn panic_child() {
    let Ok(secret) = std::env::var("DBDECK_PANIC_CHILD") else { return };
    let after = std::env::var("DBDECK_PANIC_AFTER_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    dbdeck::term::install_panic_hook();
    let mut tui = dbdeck::term::enter().unwrap();
    // As dbdeck's loop does while the reveal modal is open.
    dbdeck::term::mark_secret_shown();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(after));
        panic!("a worker thread panics");
    });
    for frame in 0u64.. {
        let text = format!("{secret} frame {frame:06} ").repeat(100);
        let paragraph = ratatui::widgets::Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: false });
        let _ = tui.draw(|f| f.render_widget(paragraph, f.area()));
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_panic_in_another_thread_blanks_before_leaving_and_no_frame_follows() {
    if !available() {
        return;
    }
    let secret = "SeCrEt-7d1f0c2a9b";
    let me = std::env::current_exe().unwrap();
    let args = ["--exact", "panic_child", "--nocapture", "--test-threads=1"];
    let tmux = Tmux::start_program("", &me, &args, &[("DBDECK_PANIC_CHILD", secret)], (80, 24));
    assert_eq!(tmux.wait_exit(), 101, "the panic hook exits with 101; stderr: {}", tmux.stderr());
    let raw = wait_raw(&tmux);
    assert_blanked_before_leaving(&raw, secret.as_bytes());
    assert!(tmux.stderr().contains("a worker thread panics"), "the report is printed: {}", tmux.stderr());
}

/// Sends SIGCONT to the stopped tmux server when dropped, whatever the test's outcome.
struct Stopped(u32);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.0.to_string()]).status();
    }
}

#[test]
fn a_terminal_that_reads_nothing_does_not_hold_the_exit() {
    if !available() {
        return;
    }
    let me = std::env::current_exe().unwrap();
    let args = ["--exact", "panic_child", "--nocapture", "--test-threads=1"];
    let env = [("DBDECK_PANIC_CHILD", "SeCrEt-stalled"), ("DBDECK_PANIC_AFTER_MS", "1500")];
    let tmux = Tmux::start_program("", &me, &args, &env, (80, 24));
    tmux.wait_text("SeCrEt-stalled");
    let server: u32 = tmux.format("#{pid}").parse().unwrap();
    let shell: u32 = tmux.format("#{pane_pid}").parse().unwrap();
    let child = *support::tmux::children(shell).first().expect("the program runs under the pane's shell");
    // The tmux server stops reading the pane: the pty fills up and every write to it blocks.
    let stopped = Instant::now();
    assert!(Command::new("kill").args(["-STOP", &server.to_string()]).status().unwrap().success());
    let _resume = Stopped(server);
    while running(child) {
        assert!(stopped.elapsed() < Duration::from_secs(10), "the program is stuck on its terminal");
        std::thread::sleep(Duration::from_millis(10));
    }
    eprintln!("gone {:?} after the terminal stopped reading (the panic comes at 1.5 s)", stopped.elapsed());
    drop(_resume);
    assert_eq!(tmux.wait_exit(), 101, "stderr: {}", tmux.stderr());
}
