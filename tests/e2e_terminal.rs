//! Promise P8: the terminal is given back as it was, and dbdeck does not outlive its terminal.
//! The real binary in headless tmux (`--demo --app shop-prod`): SIGHUP ends it with 128 + 1 and
//! the tty back in cooked mode; when the terminal itself goes away (the tmux server is killed,
//! as an SSH session drops) the process ends within seconds and nothing is left running.
//! Quit and SIGTERM are covered in `e2e.rs`.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::tmux::{Tmux, available, cmdline, is_dbdeck, running, stat_fields};

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
    let tmux = Tmux::start_under("exec", &["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    let pid: u32 = tmux.format("#{pane_pid}").parse().unwrap();
    assert!(is_dbdeck(pid), "the pane runs dbdeck: {}", cmdline(pid));
    drop_the_terminal(&tmux, pid);
}

#[test]
fn a_terminal_gone_without_a_hangup_signal_ends_the_process() {
    if !available() {
        return;
    }
    // dbdeck in a session of its own (setsid): it keeps the pane's tty as stdin/stdout but is not
    // that tty's session, so the kernel's SIGHUP on hangup goes to its parent only. It must notice
    // by itself that its terminal went away (reads at end of file, writes failing).
    let tmux = Tmux::start_under("exec setsid -w", &["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    // Under the pane's process: `setsid -w` forks it, being a group leader.
    let pid = tmux.pid();
    drop_the_terminal(&tmux, pid);
}

/// The terminal goes away (the tmux server is killed, closing the pane's pty): dbdeck `pid` ends
/// within `GONE_WITHIN`, and a while later nothing of the test is left running.
fn drop_the_terminal(tmux: &Tmux, pid: u32) {
    let killed = Instant::now();
    tmux.kill_server();
    wait_gone(pid, killed);
    // Idle a while: nothing of this test is left, neither dbdeck nor the tmux server.
    std::thread::sleep(Duration::from_secs(2));
    assert!(!running(pid), "dbdeck {pid} came back?");
    assert_eq!(tmux.leftovers(), Vec::<String>::new(), "processes left behind");
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

/// utime + stime, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let f = stat_fields(pid)?;
    Some(f[11].parse::<u64>().ok()? + f[12].parse::<u64>().ok()?)
}
