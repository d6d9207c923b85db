use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::Output;

use super::*;

const SECRET: &str = "q8Zr3WkP0vYt5LmN2xHc7BdJ4sGf9AeU";

fn copies(secrets: &[&str]) -> Copies {
    let mut copies = Copies::default();
    for secret in secrets {
        copies.add(secret.as_bytes());
    }
    copies
}

#[test]
fn the_tmux_variable_names_the_socket() {
    let server = |value: &str| Server::from_tmux_var(OsStr::new(value)).map(|s| s.socket);
    assert_eq!(server("/tmp/tmux-0/default,4242,0"), Some(PathBuf::from("/tmp/tmux-0/default")));
    assert_eq!(server("/run/tmux sockets/x,1,2"), Some(PathBuf::from("/run/tmux sockets/x")));
    assert_eq!(server("/tmp/sock"), Some(PathBuf::from("/tmp/sock")));
    assert_eq!(server(""), None);
    assert_eq!(server(",4242,0"), None);
}

#[test]
fn candidates_are_the_buffers_of_a_copied_size() {
    let listing = format!(
        "{len} buffer3\n5 keepme\n{len} a name with spaces\nnot-a-size x\n{len} \n{longer} buffer1\n",
        len = SECRET.len(),
        longer = SECRET.len() + 1
    );
    let found = candidates(listing.as_bytes(), &copies(&[SECRET]));
    let names: Vec<&OsStr> = found.iter().map(|(_, name)| name.as_os_str()).collect();
    assert_eq!(names, [OsStr::new("buffer3"), OsStr::new("a name with spaces")]);
    assert!(found.iter().all(|&(size, _)| size == SECRET.len()));
    assert!(candidates(listing.as_bytes(), &Copies::default()).is_empty());
}

#[test]
fn only_the_exact_content_of_a_copy_matches() {
    let held = copies(&[SECRET, "second-password"]);
    assert!(held.matches(SECRET.as_bytes()));
    assert!(held.matches(b"second-password"));
    let mut same_length = SECRET.as_bytes().to_vec();
    same_length[0] ^= 1;
    assert!(!held.matches(&same_length));
    assert!(!held.matches(&SECRET.as_bytes()[1..]));
    assert!(!held.matches(format!("{SECRET}\n").as_bytes()));
    assert!(!held.matches(b""));
    // Keyed per set: the same secret in another set gives another fingerprint.
    assert_ne!(held.held[0], copies(&[SECRET]).held[0]);
}

#[test]
fn reading_stops_past_the_cap() {
    assert_eq!(read_capped(&b"abc"[..], 3).unwrap().as_slice(), b"abc");
    assert_eq!(read_capped(&b""[..], 0).unwrap().as_slice(), b"");
    assert!(matches!(read_capped(&b"abcd"[..], 3), Err(Failure::TooLong)));
}

// ------------------------------------------------------------ against a real tmux server

/// Whether tmux is installed; CI must have it.
fn tmux_here() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "tmux is required in CI");
        eprintln!("NOTICE: tmux not installed; skipping a tmux paste-buffer test");
    }
    found
}

/// A private tmux server on a socket in a temp dir, killed on drop.
struct PrivateTmux {
    server: Server,
    _dir: tempfile::TempDir,
}

impl PrivateTmux {
    fn start() -> PrivateTmux {
        let dir = tempfile::tempdir().unwrap();
        let server = Server { socket: dir.path().join("sock") };
        let tmux = PrivateTmux { server, _dir: dir };
        tmux.ok(&["-f", "/dev/null", "new-session", "-d", "-s", "idle", "sleep 120"]);
        tmux
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-S").arg(&self.server.socket).args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> Output {
        let output = self.tmux(args);
        assert!(output.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output
    }

    /// Every buffer's name and content (compared by the tests, never printed).
    fn buffers(&self) -> Vec<(String, Vec<u8>)> {
        let names = self.ok(&["list-buffers", "-F", "#{buffer_name}"]).stdout;
        String::from_utf8(names)
            .unwrap()
            .lines()
            .map(|name| (name.to_owned(), self.ok(&["show-buffer", "-b", name]).stdout))
            .collect()
    }
}

impl Drop for PrivateTmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

#[test]
fn clear_deletes_the_buffers_holding_a_copy_and_nothing_else() {
    if !tmux_here() {
        return;
    }
    let tmux = PrivateTmux::start();
    let mut same_length = SECRET.to_owned().into_bytes();
    same_length[5] = b'_';
    let same_length = String::from_utf8(same_length).unwrap();
    let prefix = &SECRET[..SECRET.len() - 1];
    let longer = format!("{SECRET}x");
    tmux.ok(&["set-buffer", "-b", "keepme", "the operator's own text"]);
    tmux.ok(&["set-buffer", "-b", "same length", &same_length]);
    tmux.ok(&["set-buffer", "-b", "prefix", prefix]);
    tmux.ok(&["set-buffer", "-b", "longer", &longer]);
    tmux.ok(&["set-buffer", "--", SECRET]); // an automatic name, as an OSC 52 copy gets
    tmux.ok(&["set-buffer", "-b", "named copy", SECRET]);
    tmux.ok(&["set-buffer", "--", "-starts with a dash"]);
    let before = tmux.buffers();
    assert_eq!(before.iter().filter(|(_, content)| content == SECRET.as_bytes()).count(), 2);

    let outcome = clear(&tmux.server, &copies(&[SECRET, "never-copied-here"]), Duration::from_secs(5));

    assert_eq!(outcome, Outcome { deleted: 2, complete: true });
    let after = tmux.buffers();
    assert!(after.iter().all(|(_, content)| content != SECRET.as_bytes()), "a copy is left");
    let kept: Vec<_> = before.into_iter().filter(|(_, content)| content != SECRET.as_bytes()).collect();
    assert_eq!(after.len(), kept.len());
    for buffer in &kept {
        assert!(after.contains(buffer), "{:?} was changed or deleted", buffer.0);
    }
    // A second clear finds nothing more.
    assert_eq!(clear(&tmux.server, &copies(&[SECRET]), Duration::from_secs(5)), outcome_none());
}

fn outcome_none() -> Outcome {
    Outcome { deleted: 0, complete: true }
}

#[test]
fn nothing_copied_runs_nothing() {
    let server = Server { socket: PathBuf::from("/nonexistent/dbdeck-test/sock") };
    assert_eq!(clear(&server, &Copies::default(), Duration::from_secs(1)), outcome_none());
}

#[test]
fn an_unreachable_server_is_reported_as_incomplete() {
    if !tmux_here() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server { socket: dir.path().join("no-server-here") };
    let started = Instant::now();
    let outcome = clear(&server, &copies(&[SECRET]), Duration::from_secs(5));
    assert_eq!(outcome, Outcome { deleted: 0, complete: false });
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!Path::new(&server.socket).exists(), "no server was started");
}

#[test]
fn a_server_that_never_answers_is_abandoned_at_the_deadline() {
    if !tmux_here() {
        return;
    }
    // A socket that accepts connections into its backlog and never answers.
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("hung");
    let _listener = UnixListener::bind(&socket).unwrap();
    let started = Instant::now();
    let outcome = clear(&Server { socket }, &copies(&[SECRET]), Duration::from_millis(300));
    let took = started.elapsed();
    assert_eq!(outcome, Outcome { deleted: 0, complete: false });
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(3), "took {took:?}");
}

// ------------------------------------------------------------ the clipboard's clears, with tmux

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clipboard_deletes_tmux_copies_on_its_timer_and_on_quit() {
    use crate::clipboard::{
        Clipboard, ClipboardEnv, ClipboardEvent, ClipboardMode, MIN_CLEAR_AFTER, Wrap, native, osc52,
    };
    use secrecy::SecretString;

    if !tmux_here() {
        return;
    }
    let tmux = PrivateTmux::start();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let env = ClipboardEnv { ssh: true, display: false, tmux: true, screen: false };
    let server = Some(tmux.server.clone());
    let mut clipboard = Clipboard::with_parts(
        ClipboardMode::Auto,
        env,
        MIN_CLEAR_AFTER,
        tx,
        native::arboard_factory(),
        server,
    );
    tmux.ok(&["set-buffer", "-b", "keepme", "the operator's own text"]);
    let only_keepme =
        |tmux: &PrivateTmux| tmux.buffers() == [("keepme".to_owned(), b"the operator's own text".to_vec())];

    // The timer. No terminal here: the buffer is made as tmux makes it from the OSC 52 copy (the
    // end-to-end test runs the real sequence through a real pane).
    clipboard.copy(&SecretString::from(SECRET));
    tmux.ok(&["set-buffer", "--", SECRET]);
    let mut statuses = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !statuses.iter().any(|s: &String| s.starts_with("Deleted")) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(ClipboardEvent::Status(text))) => statuses.push(text),
            Ok(Some(ClipboardEvent::Terminal(_))) => {}
            other => panic!("no clear: {other:?} after {statuses:?}"),
        }
    }
    assert_eq!(
        statuses.last().unwrap(),
        "Deleted 1 tmux paste buffer; terminal clear sent (cannot be checked)"
    );
    assert!(only_keepme(&tmux));

    // Quit, before the timer: the copy's buffer goes too, and the clear bytes come back.
    clipboard.copy(&SecretString::from(SECRET));
    tmux.ok(&["set-buffer", "--", SECRET]);
    let started = Instant::now();
    assert_eq!(clipboard.on_quit().as_slice(), osc52::clear_bytes(Wrap::Tmux).as_slice());
    assert!(started.elapsed() < crate::clipboard::QUIT_WAIT + Duration::from_millis(100));
    assert!(only_keepme(&tmux));
}
