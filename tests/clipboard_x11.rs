//! The native clipboard against a real X server (Xvfb), read from another process (xclip).
//!
//! Skipped (`support::skip`) only when the `Xvfb` binary is absent (CI installs `xvfb xclip`).
//! Everything runs in one test function: it sets `DISPLAY` for the process.

#[path = "support/skip.rs"]
mod skip;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dbdeck::clipboard::{Clipboard, ClipboardEnv, ClipboardEvent, ClipboardMode, messages};
use secrecy::SecretString;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

const CLEAR_AFTER: Duration = Duration::from_secs(1);

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}

/// Kills (by PID) and reaps the child when dropped, also when the test panics.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Xvfb: terminated by PID with SIGTERM so it removes its socket and lock file, then killed
/// if it lingers.
struct Xvfb(Killed);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let pid = self.0.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Falls through to Killed::drop: SIGKILL and reap.
    }
}

/// Starts `Xvfb :N -nolisten tcp` on a free display number; returns it with its number.
fn start_xvfb(xvfb: &Path) -> (Xvfb, u32) {
    let first = 200 + std::process::id() % 500;
    for display in first..first + 50 {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{display}"));
        if socket.exists() || Path::new(&format!("/tmp/.X{display}-lock")).exists() {
            continue;
        }
        let mut child = Xvfb(Killed(
            Command::new(xvfb)
                .arg(format!(":{display}"))
                .args(["-nolisten", "tcp", "-screen", "0", "640x480x24"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Xvfb"),
        ));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if socket.exists() {
                return (child, display);
            }
            if child.0.0.try_wait().expect("poll Xvfb").is_some() {
                break; // lost a race for this number: try the next
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("could not start Xvfb on any display number");
}

/// Runs a command with a deadline; returns (success, stdout).
fn run(command: &mut Command) -> (bool, String) {
    let mut child = Killed(
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn"),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.0.try_wait().expect("poll") {
            let mut out = String::new();
            use std::io::Read as _;
            child.0.stdout.take().unwrap().read_to_string(&mut out).unwrap();
            return (status.success(), out);
        }
        assert!(Instant::now() < deadline, "command timed out: {command:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn xclip_out(target: Option<&str>) -> (bool, String) {
    let mut command = Command::new("xclip");
    command.args(["-o", "-selection", "clipboard"]);
    if let Some(target) = target {
        command.args(["-t", target]);
    }
    run(&mut command)
}

/// Another application takes the clipboard: `xclip -i -quiet` stays in the foreground (no
/// fork), so we can kill it by PID.
fn xclip_in(text: &str) -> Killed {
    let mut child = Killed(
        Command::new("xclip")
            .args(["-i", "-quiet", "-selection", "clipboard"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("xclip -i"),
    );
    let mut stdin = child.0.stdin.take().unwrap();
    stdin.write_all(text.as_bytes()).unwrap();
    drop(stdin);
    child
}

async fn next_status(rx: &mut UnboundedReceiver<ClipboardEvent>) -> String {
    let event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a clipboard event within 10 s")
        .expect("channel open");
    match event {
        ClipboardEvent::Status(text) => text,
        other => panic!("expected a status, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn native_clipboard_under_xvfb() {
    let Some(xvfb) = find_in_path("Xvfb") else {
        skip::skip("Xvfb is not installed (apt-get install xvfb xclip)");
        return;
    };
    assert!(find_in_path("xclip").is_some(), "xclip is needed with Xvfb (apt-get install -y xvfb xclip)");
    let (_xvfb, display) = start_xvfb(&xvfb);
    // SAFETY: this test binary has a single test, and nothing else reads the environment
    // concurrently at this point (the runtime's threads are idle).
    unsafe {
        std::env::set_var("DISPLAY", format!(":{display}"));
        std::env::remove_var("WAYLAND_DISPLAY");
    }

    let env = ClipboardEnv::from_env();
    assert!(env.display);
    let (tx, mut rx) = unbounded_channel();
    let mut clipboard = Clipboard::new(ClipboardMode::Native, env, CLEAR_AFTER, tx);

    // 1. Copy, read it back from another process while our clipboard is alive.
    let secret = format!("dbdeck-x11-secret-{}", std::process::id());
    clipboard.copy(&SecretString::from(secret.clone()));
    assert_eq!(next_status(&mut rx).await, "Copied to the clipboard; cleared in 1 s");
    assert_eq!(xclip_out(None), (true, secret.clone()));
    let (ok, targets) = xclip_out(Some("TARGETS"));
    assert!(ok);
    assert!(targets.lines().any(|t| t == "x-kde-passwordManagerHint"), "TARGETS: {targets}");

    // 2. The timer clears it.
    assert_eq!(next_status(&mut rx).await, messages::CLEARED_NATIVE);
    let (_, after) = xclip_out(None);
    assert_ne!(after, secret);
    assert!(after.is_empty(), "clipboard after clear: {after:?}");

    // 3. Only if unchanged: someone copies other text before the timeout; it survives.
    clipboard.copy(&SecretString::from(format!("{secret}-2")));
    assert_eq!(next_status(&mut rx).await, "Copied to the clipboard; cleared in 1 s");
    let other = "text the operator copied since";
    let _xclip = xclip_in(other);
    let deadline = Instant::now() + Duration::from_secs(5);
    while xclip_out(None).1 != other {
        assert!(Instant::now() < deadline, "xclip -i never took the clipboard");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(next_status(&mut rx).await, messages::NOT_CLEARED_CHANGED);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(xclip_out(None), (true, other.to_owned()));

    // 4. Quit: nothing of ours to clear, no OSC 52 bytes; the other text is still there.
    assert!(clipboard.on_quit().is_empty());
    assert_eq!(xclip_out(None), (true, other.to_owned()));
    drop(clipboard);
    // _xclip, then _xvfb, are killed by PID when dropped.
}
