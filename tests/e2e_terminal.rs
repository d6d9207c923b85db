//! Promise P8: the terminal is given back as it was, and dbdeck does not outlive its terminal.
//! The real binary in headless tmux (`--demo --app shop-prod`): SIGHUP ends it with 128 + 1 and
//! the tty back in cooked mode; when the terminal itself goes away (the tmux server is killed,
//! as an SSH session drops) the process ends within seconds and nothing is left running.
//! Quit and SIGTERM are covered in `e2e.rs`.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use support::tmux::{Tmux, available};

/// Generous: the machine running the tests is shared and noisy.
const GONE_WITHIN: Duration = Duration::from_secs(10);

#[test]
fn sighup_ends_with_129_and_gives_the_tty_back_in_cooked_mode() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    let pid = tmux.pid();
    assert!(running(pid), "dbdeck {pid} runs");
    let sent = Instant::now();
    let kill = Command::new("kill").args(["-HUP", &pid.to_string()]).status().unwrap();
    assert!(kill.success());
    assert_eq!(tmux.wait_exit(), 129, "128 + SIGHUP; stderr: {}", tmux.stderr());
    assert!(sent.elapsed() < GONE_WITHIN, "exited after {:?}", sent.elapsed());
    assert!(!running(pid), "dbdeck {pid} is gone");
    // After a hangup dbdeck draws nothing more; whether it leaves the alternate screen is not
    // asserted (the terminal is presumed gone). The tty modes are what a shell needs back.
    let stty = tmux.stty();
    let modes: Vec<&str> = stty.split(|c: char| c.is_whitespace() || c == ';').collect();
    for mode in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(modes.contains(&mode), "{mode} is on again (cooked mode): {stty}");
    }
}

#[test]
fn a_dropped_terminal_ends_the_process_and_leaves_nothing_running() {
    if !available() {
        return;
    }
    // `exec`: the pane's process is dbdeck itself, the session leader of the pane's tty, as the
    // shell's foreground job is under a dropped SSH session.
    let pane = Pane::start("exec", "dropped");
    pane.wait_text("app_reporting");
    let pid: u32 = pane.format("#{pane_pid}").parse().unwrap();
    assert!(is_dbdeck(pid), "the pane runs dbdeck: {}", cmdline(pid));

    let killed = Instant::now();
    pane.kill_server();
    wait_gone(pid, killed);
    // Idle a while: nothing of this test is left, neither dbdeck nor the tmux server.
    std::thread::sleep(Duration::from_secs(2));
    assert!(!running(pid), "dbdeck {pid} came back?");
    assert_eq!(pane.leftovers(), Vec::<String>::new(), "processes left behind");
}

#[test]
fn a_terminal_gone_without_a_hangup_signal_ends_the_process() {
    if !available() {
        return;
    }
    // dbdeck in a session of its own (setsid): it keeps the pane's tty as stdin/stdout but is not
    // that tty's session, so the kernel's SIGHUP on hangup goes to its parent only. It must notice
    // by itself that its terminal went away (reads at end of file, writes failing).
    let pane = Pane::start("exec setsid -w", "setsid");
    pane.wait_text("app_reporting");
    let pid = pane.dbdeck_pid();
    let killed = Instant::now();
    pane.kill_server();
    wait_gone(pid, killed);
    std::thread::sleep(Duration::from_secs(2));
    assert!(!running(pid), "dbdeck {pid} came back?");
    assert_eq!(pane.leftovers(), Vec::<String>::new(), "processes left behind");
}

/// Waits until `pid` has ended (exited, even if not yet reaped), or fails with its CPU use.
fn wait_gone(pid: u32, since: Instant) {
    while running(pid) {
        if since.elapsed() > GONE_WITHIN {
            let cpu = cpu_ticks(pid);
            std::thread::sleep(Duration::from_secs(1));
            let spent = cpu_ticks(pid).zip(cpu).map(|(after, before)| after - before);
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            panic!(
                "dbdeck {pid} still runs {:?} after its terminal went away (CPU ticks in the last \
                 second: {spent:?})",
                since.elapsed()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `/proc/PID/stat`, split after the command name (which may hold spaces): field 3 is the state.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// Alive and not a zombie (a zombie has exited; who reaps it does not matter here).
fn running(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|f| f[0] != "Z" && f[0] != "X")
}

/// utime + stime, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let f = stat_fields(pid)?;
    Some(f[11].parse::<u64>().ok()? + f[12].parse::<u64>().ok()?)
}

fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

fn is_dbdeck(pid: u32) -> bool {
    cmdline(pid).starts_with(env!("CARGO_BIN_EXE_dbdeck"))
}

fn children(pid: u32) -> Vec<u32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    text.split_whitespace().filter_map(|c| c.parse().ok()).collect()
}

/// A tmux server of its own, which this test may kill whole (the shared helper cannot: it keeps
/// its socket private). The pane runs `PREFIX dbdeck --demo --app shop-prod --log-file DIR/…`.
struct Pane {
    socket: String,
    dir: tempfile::TempDir,
}

impl Pane {
    fn start(prefix: &str, name: &str) -> Pane {
        let dir = tempfile::tempdir().unwrap();
        let socket = format!(
            "dbdeck-term-{name}-{}-{}",
            std::process::id(),
            dir.path().file_name().unwrap().to_string_lossy()
        );
        let pane = Pane { socket, dir };
        let d = pane.dir.path().display();
        let command = format!(
            "{prefix} env -u DISPLAY -u WAYLAND_DISPLAY -u SSH_CONNECTION -u SSH_TTY DBDECK_LOG=trace \
             {} --demo --app shop-prod --log-file {d}/dbdeck.log 2>{d}/stderr.txt",
            env!("CARGO_BIN_EXE_dbdeck")
        );
        pane.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "keep",
            "-x",
            "20",
            "-y",
            "5",
            "sleep 600",
        ]);
        pane.tmux(&["set-option", "-g", "escape-time", "0"]);
        pane.tmux(&["new-session", "-d", "-s", "app", "-x", "100", "-y", "30", &command]);
        pane
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs");
        assert!(output.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    fn format(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "app", format]).stdout;
        String::from_utf8_lossy(&out).trim().to_owned()
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    fn wait_text(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            let stderr = std::fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default();
            assert!(Instant::now() < deadline, "timed out waiting for {text}; screen:\n{screen}\n{stderr}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// dbdeck under the pane's process (`setsid -w` forks it, being a group leader).
    fn dbdeck_pid(&self) -> u32 {
        let top: u32 = self.format("#{pane_pid}").parse().unwrap();
        let mut seen = vec![top];
        while let Some(pid) = seen.pop() {
            if is_dbdeck(pid) {
                return pid;
            }
            seen.extend(children(pid));
        }
        panic!("no dbdeck under the pane's process {top} ({})", cmdline(top));
    }

    /// The terminal goes away: the server closes every pane's pty and exits.
    fn kill_server(&self) {
        self.tmux(&["kill-server"]);
    }

    /// Live processes whose command line names this test's socket or temp dir.
    fn leftovers(&self) -> Vec<String> {
        let dir = self.dir.path().display().to_string();
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            let line = cmdline(pid);
            if running(pid) && (line.contains(&self.socket) || line.contains(&dir)) {
                found.push(format!("{pid}: {line}"));
            }
        }
        found
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").output();
        // A failed test may leave a dbdeck that never noticed: end it, by its pid.
        for line in self.leftovers() {
            let pid = line.split(':').next().unwrap_or_default();
            let _ = Command::new("kill").args(["-KILL", pid]).status();
        }
    }
}
