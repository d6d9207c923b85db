//! Drives the real dbdeck binary in a headless tmux server on a private socket, as a person at a
//! terminal would: keys in, screen text out.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    pub dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `dbdeck args` in a `width`x`height` pane. Logs and stderr go to a temp dir.
    pub fn start(args: &[&str], env: &[(&str, &str)], width: u16, height: u16) -> Tmux {
        Tmux::start_under("", args, env, width, height)
    }

    /// As [`Tmux::start`], with `prefix` before the command the pane's shell runs: `exec` makes
    /// dbdeck the pane's process itself (the session leader of the pane's tty), `exec setsid -w`
    /// puts it in a session of its own. After an `exec` no shell stays to record the exit status
    /// or the tty's modes: [`Tmux::wait_exit`] and [`Tmux::stty`] are for an empty prefix only.
    pub fn start_under(prefix: &str, args: &[&str], env: &[(&str, &str)], width: u16, height: u16) -> Tmux {
        Tmux::launch(prefix, None, args, env, (width, height), false)
    }

    /// As [`Tmux::start`], with every byte the program writes to its terminal copied to
    /// [`Tmux::raw_output`] from the very first one (`tmux pipe-pane`).
    pub fn start_captured(args: &[&str], env: &[(&str, &str)], width: u16, height: u16) -> Tmux {
        Tmux::launch("", None, args, env, (width, height), true)
    }

    /// As [`Tmux::start_captured`], running `prefix program args` instead of dbdeck with its
    /// log in the temp dir (the prefix as in [`Tmux::start_under`], or `umask 077;`).
    pub fn start_program(
        prefix: &str,
        program: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        size: (u16, u16),
    ) -> Tmux {
        Tmux::launch(prefix, Some(program), args, env, size, true)
    }

    fn launch(
        prefix: &str,
        program: Option<&Path>,
        args: &[&str],
        env: &[(&str, &str)],
        (width, height): (u16, u16),
        capture: bool,
    ) -> Tmux {
        let dir = tempfile::tempdir().unwrap();
        let socket = format!(
            "dbdeck-test-{}-{}",
            std::process::id(),
            dir.path().file_name().unwrap().to_string_lossy()
        );
        let tmux = Tmux { socket, dir };
        let log = tmux.log_path();
        let stderr = tmux.stderr_path();
        // Nothing of the machine's own Scalingo set-up leaks in (a token, a pinned region, the
        // CLI's file locations, the XDG dirs holding dbdeck's cache and recents).
        let mut command = vec![
            format!(
                "{prefix} env -u DISPLAY -u WAYLAND_DISPLAY -u SSH_CONNECTION -u SSH_TTY \
                 -u SCALINGO_API_TOKEN -u SCALINGO_REGION -u SCALINGO_APP -u SCALINGO_ADDON \
                 -u SCALINGO_DATABASE -u CONFIG_DIR -u AUTH_FILE -u XDG_CACHE_HOME -u XDG_STATE_HOME \
                 DBDECK_LOG=trace"
            )
            .trim_start()
            .to_owned(),
        ];
        for (k, v) in env {
            command.push(format!("{k}={v}"));
        }
        // The log file as a flag: dbdeck's own command line names the temp dir (see `leftovers`).
        match program {
            Some(program) => command.push(program.display().to_string()),
            None => command.push(format!("{} --log-file {}", env!("CARGO_BIN_EXE_dbdeck"), log.display())),
        }
        command.extend(args.iter().map(|a| a.to_string()));
        // After dbdeck exits, the shell records its status and the tty's mode, then stays, so the
        // test can look at the terminal dbdeck left behind (tmux hides the cursor of dead panes).
        let dir = tmux.dir.path().display();
        let shell = format!(
            "{} 2>{}; echo $? > {dir}/exit.tmp; stty -a > {dir}/stty; mv {dir}/exit.tmp {dir}/exit; sleep 600",
            command.join(" "),
            stderr.display()
        );
        // The server options must exist before the program starts: start an idle session first.
        tmux.run(&["-f", "/dev/null", "new-session", "-d", "-s", "keep", "-x", "20", "-y", "5", "sleep 600"]);
        tmux.run(&["set-option", "-g", "set-clipboard", "on"]);
        tmux.run(&["set-option", "-g", "escape-time", "0"]);
        let (width, height) = (width.to_string(), height.to_string());
        let mut new = vec!["new-session", "-d", "-s", "app", "-x", &width, "-y", &height, &shell];
        // In the same tmux command: the pipe is in place before the pane's first byte is read.
        let pipe = format!("cat >> {}", tmux.raw_path().display());
        if capture {
            new.extend([";", "pipe-pane", "-o", "-t", "app", &pipe]);
        }
        tmux.run(&new);
        tmux
    }

    fn raw_path(&self) -> PathBuf {
        self.dir.path().join("raw")
    }

    /// What the program wrote to its terminal so far (started with [`Tmux::start_captured`]).
    pub fn raw_output(&self) -> Vec<u8> {
        std::fs::read(self.raw_path()).unwrap_or_default()
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("dbdeck.log")
    }

    pub fn stderr_path(&self) -> PathBuf {
        self.dir.path().join("stderr.txt")
    }

    /// The server's socket name (`tmux -L NAME`).
    pub fn socket(&self) -> &str {
        &self.socket
    }

    /// Runs a tmux command against this server; it must succeed.
    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs");
        assert!(output.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    /// Pastes `text` as a terminal does: wrapped in bracketed-paste markers when the program
    /// asked for them (`-p`), newlines sent as carriage returns; the buffer is deleted after.
    pub fn paste(&self, text: &str) {
        self.run(&["set-buffer", "-b", "paste", "--", text]);
        self.run(&["paste-buffer", "-p", "-d", "-b", "paste", "-t", "app"]);
    }

    /// As [`Tmux::paste`], for a text too long for a tmux command line: loaded from a file.
    pub fn paste_long(&self, text: &str) {
        let file = self.dir.path().join("paste.txt");
        std::fs::write(&file, text).unwrap();
        self.run(&["load-buffer", "-b", "paste", &file.display().to_string()]);
        std::fs::remove_file(&file).unwrap();
        self.run(&["paste-buffer", "-p", "-d", "-b", "paste", "-t", "app"]);
    }

    /// Types literal text.
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "app", "-l", text]);
    }

    /// Sends named keys (`Enter`, `Escape`, `Tab`, `C-c`, `n`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "app"];
        args.extend(keys);
        self.run(&args);
    }

    pub fn format(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "app", format]).stdout;
        String::from_utf8_lossy(&out).trim().to_owned()
    }

    pub fn buffer(&self) -> Option<String> {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(["show-buffer"]).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Every paste buffer, by name with its content (compare contents; never print them).
    pub fn buffers(&self) -> Vec<(String, String)> {
        let names = self.run(&["list-buffers", "-F", "#{buffer_name}"]).stdout;
        String::from_utf8_lossy(&names)
            .lines()
            .filter_map(|name| {
                // A buffer deleted meanwhile is simply not listed.
                let show = ["-L", &self.socket, "show-buffer", "-b", name];
                let out = Command::new("tmux").args(show).output().ok().filter(|o| o.status.success())?;
                Some((name.to_owned(), String::from_utf8_lossy(&out.stdout).into_owned()))
            })
            .collect()
    }

    /// Sets the paste buffer `name` to `text`.
    pub fn set_buffer(&self, name: &str, text: &str) {
        self.run(&["set-buffer", "-b", name, "--", text]);
    }

    /// Waits until the screen satisfies `ready`, or panics with the last screen.
    pub fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{screen}\nstderr: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// Waits for dbdeck to exit and returns its exit status.
    pub fn wait_exit(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(15);
        let path = self.dir.path().join("exit");
        loop {
            if let Ok(text) = std::fs::read_to_string(&path) {
                return text.trim().parse().unwrap();
            }
            assert!(Instant::now() < deadline, "dbdeck did not exit; screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The tty settings after dbdeck exited (`stty -a`).
    pub fn stty(&self) -> String {
        read(&self.dir.path().join("stty"))
    }

    /// dbdeck's process id: the pane's process or one under it (the child of the pane's shell;
    /// under `exec setsid -w`, setsid's child, as a group leader it forks).
    pub fn pid(&self) -> u32 {
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
    pub fn kill_server(&self) {
        self.run(&["kill-server"]);
    }

    /// Live processes whose command line names this test's socket (the tmux server) or temp dir
    /// (dbdeck, by its `--log-file`, and the pane's shell).
    pub fn leftovers(&self) -> Vec<String> {
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

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr_path()).unwrap_or_default()
    }

    pub fn log(&self) -> String {
        read(&self.log_path())
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-L").arg(&self.socket).arg("kill-server").output();
        // A failed test may leave a dbdeck that never noticed: end it, by its pid.
        for line in self.leftovers() {
            let pid = line.split(':').next().unwrap_or_default();
            let _ = Command::new("kill").args(["-KILL", pid]).status();
        }
    }
}

/// `/proc/PID/stat`, split after the command name (which may hold spaces): field 3 is the state.
pub fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// Alive and not a zombie (a zombie has exited; who reaps it does not matter here).
pub fn running(pid: u32) -> bool {
    stat_fields(pid).is_some_and(|f| f[0] != "Z" && f[0] != "X")
}

/// The process's command line, its arguments joined by spaces (empty once it is gone).
pub fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// Whether `pid` runs this build's dbdeck binary.
pub fn is_dbdeck(pid: u32) -> bool {
    cmdline(pid).starts_with(env!("CARGO_BIN_EXE_dbdeck"))
}

pub fn children(pid: u32) -> Vec<u32> {
    let text = read(Path::new(&format!("/proc/{pid}/task/{pid}/children")));
    text.split_whitespace().filter_map(|c| c.parse().ok()).collect()
}

/// Whether tmux exists here; CI installs it, so a missing tmux is only tolerated locally.
pub fn available() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if !found {
        super::skip::skip("tmux is not installed (apt-get install tmux)");
    }
    found
}

/// The 64-character password in the reveal modal's box.
pub fn revealed_password(screen: &str) -> String {
    screen
        .lines()
        .flat_map(|line| line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .find(|word| word.len() == 64)
        .unwrap_or_else(|| panic!("no 64-character password on screen:\n{screen}"))
        .to_owned()
}
