use std::ffi::OsString;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::SecretString;
use tokio::sync::mpsc::{UnboundedReceiver, error::TryRecvError, unbounded_channel};

use super::native::{Backend, Factory};
use super::*;

const SECRET: &str = "s3cr3t-P4ss";
const CLEAR: Duration = Duration::from_secs(30);

fn env(ssh: bool, display: bool, tmux: bool, screen: bool) -> ClipboardEnv {
    ClipboardEnv { ssh, display, tmux, screen }
}

fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_owned())
}

fn status(text: &str) -> ClipboardEvent {
    ClipboardEvent::Status(text.to_owned())
}

fn terminal(bytes: Zeroizing<Vec<u8>>) -> ClipboardEvent {
    ClipboardEvent::Terminal(bytes)
}

fn drain(rx: &mut UnboundedReceiver<ClipboardEvent>) -> Vec<ClipboardEvent> {
    let mut events = Vec::new();
    while let Ok(event) = rx.try_recv() {
        events.push(event);
    }
    events
}

/// Waits (blocking the test thread, so paused tokio time does not move) for `n` events from
/// the worker thread.
fn wait_events(rx: &mut UnboundedReceiver<ClipboardEvent>, n: usize) -> Vec<ClipboardEvent> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut events = Vec::new();
    while events.len() < n {
        match rx.try_recv() {
            Ok(event) => events.push(event),
            Err(TryRecvError::Empty) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2))
            }
            Err(err) => panic!("expected {n} events, got {events:?} then {err:?}"),
        }
    }
    events
}

/// Asserts that nothing more arrives (giving the worker thread a moment).
fn assert_quiet(rx: &mut UnboundedReceiver<ClipboardEvent>) {
    std::thread::sleep(Duration::from_millis(30));
    assert_eq!(drain(rx), vec![]);
}

// ---------------------------------------------------------------- environment and mode

#[test]
fn env_reads_the_documented_variables() {
    let from = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ClipboardEnv::from_lookup(move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| OsString::from(v))
        })
    };
    assert_eq!(from(&[]), env(false, false, false, false));
    assert_eq!(from(&[("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22")]), env(true, false, false, false));
    assert!(from(&[("SSH_TTY", "/dev/pts/3")]).ssh);
    assert_eq!(from(&[("DISPLAY", ":0")]), env(false, true, false, false));
    assert!(from(&[("WAYLAND_DISPLAY", "wayland-0")]).display);
    assert_eq!(from(&[("TMUX", "/tmp/tmux-0/default,1,0")]), env(false, false, true, false));
    assert_eq!(from(&[("STY", "1234.pts-0.host")]), env(false, false, false, true));
    assert!(!from(&[("DISPLAY", "")]).display, "empty is unset");
}

#[test]
fn channel_for_every_mode_and_environment() {
    for bits in 0..16u8 {
        let e = env(bits & 1 != 0, bits & 2 != 0, bits & 4 != 0, bits & 8 != 0);
        let wrap = if e.tmux {
            Wrap::Tmux
        } else if e.screen {
            Wrap::Screen
        } else {
            Wrap::None
        };
        assert_eq!(e.wrap(), wrap);
        assert_eq!(channel(ClipboardMode::Off, e), Channel::Off, "{e:?}");
        assert_eq!(channel(ClipboardMode::Osc52, e), Channel::Osc52(wrap));
        assert_eq!(channel(ClipboardMode::Native, e), Channel::Native { fallback: None });
        let auto = channel(ClipboardMode::Auto, e);
        if e.ssh || !e.display {
            assert_eq!(auto, Channel::Osc52(wrap), "{e:?}");
        } else {
            assert_eq!(auto, Channel::Native { fallback: Some(wrap) }, "{e:?}");
        }
    }
}

#[test]
fn auto_examples() {
    use ClipboardMode::Auto;
    // ssh -X: a display, but it is the bastion's; OSC 52 reaches the operator's terminal.
    assert_eq!(channel(Auto, env(true, true, false, false)), Channel::Osc52(Wrap::None));
    // Headless, in tmux.
    assert_eq!(channel(Auto, env(false, false, true, false)), Channel::Osc52(Wrap::Tmux));
    // Over SSH in screen.
    assert_eq!(channel(Auto, env(true, false, false, true)), Channel::Osc52(Wrap::Screen));
    // Local desktop.
    assert_eq!(channel(Auto, env(false, true, false, false)), Channel::Native { fallback: Some(Wrap::None) });
}

#[test]
fn cli_names() {
    use clap::ValueEnum as _;
    let names: Vec<String> = ClipboardMode::value_variants()
        .iter()
        .map(|v| v.to_possible_value().unwrap().get_name().to_owned())
        .collect();
    assert_eq!(names, ["auto", "osc52", "native", "off"]);
    assert_eq!(ClipboardMode::default(), ClipboardMode::Auto);
}

#[test]
fn event_debug_hides_terminal_bytes() {
    let bytes = osc52::copy_bytes(SECRET, Wrap::None).unwrap();
    let shown = format!("{:?}", terminal(bytes));
    assert!(!shown.contains("52;c;"), "{shown}");
    assert!(shown.starts_with("Terminal(<"), "{shown}");
}

// ---------------------------------------------------------------- OSC 52 timers (paused time)

fn osc52_clipboard(wrap_env: ClipboardEnv) -> (Clipboard, UnboundedReceiver<ClipboardEvent>, Wrap) {
    let (tx, rx) = unbounded_channel();
    // No tmux server: these tests never run tmux, wherever they run.
    let clipboard =
        Clipboard::with_parts(ClipboardMode::Osc52, wrap_env, CLEAR, tx, native::arboard_factory(), None);
    (clipboard, rx, wrap_env.wrap())
}

#[tokio::test(start_paused = true)]
async fn osc52_copy_sends_bytes_then_clears_after_the_timeout() {
    let (mut clipboard, mut rx, wrap) = osc52_clipboard(env(true, false, true, false));
    clipboard.copy(&secret(SECRET));
    assert_eq!(
        drain(&mut rx),
        vec![
            terminal(osc52::copy_bytes(SECRET, wrap).unwrap()),
            status(&messages::sent_osc52(CLEAR, Wrap::Tmux)),
        ]
    );

    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_eq!(drain(&mut rx), vec![]);

    tokio::time::sleep(Duration::from_secs(2)).await;
    // $TMUX named no server here: the message says tmux's buffers were not cleared.
    assert_eq!(
        drain(&mut rx),
        vec![terminal(osc52::clear_bytes(Wrap::Tmux)), status(messages::TMUX_NOT_CLEARED)]
    );
    // Already cleared: nothing due on quit.
    assert!(clipboard.on_quit().is_empty());
}

#[tokio::test(start_paused = true)]
async fn osc52_second_copy_restarts_the_timer() {
    let (mut clipboard, mut rx, _) = osc52_clipboard(env(true, false, false, false));
    clipboard.copy(&secret("first"));
    tokio::time::sleep(Duration::from_secs(20)).await;
    clipboard.copy(&secret("second"));
    assert_eq!(drain(&mut rx).len(), 4);

    // The first copy's deadline (30 s) passes: nothing.
    tokio::time::sleep(Duration::from_secs(15)).await;
    assert_eq!(drain(&mut rx), vec![]);

    // The second's (50 s): one clear.
    tokio::time::sleep(Duration::from_secs(16)).await;
    assert_eq!(
        drain(&mut rx),
        vec![terminal(osc52::clear_bytes(Wrap::None)), status(messages::CLEARED_OSC52_SSH)]
    );
    tokio::time::sleep(Duration::from_secs(120)).await;
    assert_eq!(drain(&mut rx), vec![]);
}

#[tokio::test(start_paused = true)]
async fn osc52_on_quit_returns_the_clear_once_and_stops_the_timer() {
    let (mut clipboard, mut rx, _) = osc52_clipboard(env(false, false, false, true));
    clipboard.copy(&secret(SECRET));
    drain(&mut rx);
    assert_eq!(clipboard.on_quit().as_slice(), osc52::clear_bytes(Wrap::Screen).as_slice());
    assert!(clipboard.on_quit().is_empty());
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(drain(&mut rx), vec![]);
}

#[tokio::test(start_paused = true)]
async fn off_copies_nothing_and_clears_nothing() {
    let (tx, mut rx) = unbounded_channel();
    let mut clipboard = Clipboard::new(ClipboardMode::Off, env(false, true, false, false), CLEAR, tx);
    clipboard.copy(&secret(SECRET));
    assert_eq!(drain(&mut rx), vec![status(messages::NOT_COPIED_OFF)]);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(drain(&mut rx), vec![]);
    assert!(clipboard.on_quit().is_empty());
}

#[test]
fn copy_without_a_runtime_does_not_panic_and_quit_still_clears() {
    let (mut clipboard, mut rx, _) = osc52_clipboard(env(true, false, false, false));
    clipboard.copy(&secret(SECRET));
    assert_eq!(drain(&mut rx).len(), 2);
    assert_eq!(clipboard.on_quit().as_slice(), osc52::clear_bytes(Wrap::None).as_slice());
}

#[test]
fn zero_clear_after_is_raised() {
    let (tx, _rx) = unbounded_channel();
    let clipboard = Clipboard::new(ClipboardMode::Off, ClipboardEnv::default(), Duration::ZERO, tx);
    assert_eq!(clipboard.clear_after, MIN_CLEAR_AFTER);
}

// ---------------------------------------------------------------- native, with a fake OS clipboard

/// The "OS clipboard" the fake backend writes to; tests overwrite it to play "another app".
#[derive(Clone, Default)]
struct FakeOs(Arc<Mutex<Option<String>>>);

impl FakeOs {
    fn get(&self) -> Option<String> {
        self.0.lock().unwrap().clone()
    }
    fn put(&self, text: &str) {
        *self.0.lock().unwrap() = Some(text.to_owned());
    }
    fn factory(&self) -> Factory {
        let os = self.clone();
        Arc::new(move || Ok(Box::new(FakeBackend(os.clone())) as Box<dyn Backend>))
    }
}

struct FakeBackend(FakeOs);

impl Backend for FakeBackend {
    fn set_secret(&mut self, text: &str) -> Result<(), String> {
        self.0.put(text);
        Ok(())
    }
    fn get_text(&mut self) -> Result<Option<Zeroizing<String>>, String> {
        Ok(self.0.get().map(Zeroizing::new))
    }
    fn clear(&mut self) -> Result<(), String> {
        *self.0.0.lock().unwrap() = None;
        Ok(())
    }
}

fn failing_factory() -> Factory {
    Arc::new(|| Err("X11 server connection timed out because it was unreachable".to_owned()))
}

fn native_clipboard(mode: ClipboardMode, factory: Factory) -> (Clipboard, UnboundedReceiver<ClipboardEvent>) {
    let (tx, rx) = unbounded_channel();
    let clipboard = Clipboard::with_parts(mode, env(false, true, false, false), CLEAR, tx, factory, None);
    (clipboard, rx)
}

#[tokio::test(start_paused = true)]
async fn native_copy_then_clear_when_unchanged() {
    let os = FakeOs::default();
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Auto, os.factory());
    clipboard.copy(&secret(SECRET));
    assert_eq!(wait_events(&mut rx, 1), vec![status("Copied to the clipboard; cleared in 30 s")]);
    assert_eq!(os.get().as_deref(), Some(SECRET));

    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_quiet(&mut rx);
    assert_eq!(os.get().as_deref(), Some(SECRET));

    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(wait_events(&mut rx, 1), vec![status(messages::CLEARED_NATIVE)]);
    assert_eq!(os.get(), None);
    assert!(clipboard.on_quit().is_empty());
}

#[tokio::test(start_paused = true)]
async fn native_leaves_a_changed_clipboard_alone() {
    let os = FakeOs::default();
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Native, os.factory());
    clipboard.copy(&secret(SECRET));
    wait_events(&mut rx, 1);
    os.put("something the operator copied since");

    tokio::time::sleep(Duration::from_secs(31)).await;
    assert_eq!(wait_events(&mut rx, 1), vec![status(messages::NOT_CLEARED_CHANGED)]);
    assert_eq!(os.get().as_deref(), Some("something the operator copied since"));
    // Nor on quit.
    assert!(clipboard.on_quit().is_empty());
    assert_eq!(os.get().as_deref(), Some("something the operator copied since"));
}

#[tokio::test(start_paused = true)]
async fn native_second_copy_cancels_the_first_timer() {
    let os = FakeOs::default();
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Auto, os.factory());
    clipboard.copy(&secret("first"));
    wait_events(&mut rx, 1);
    tokio::time::sleep(Duration::from_secs(20)).await;
    clipboard.copy(&secret("second"));
    wait_events(&mut rx, 1);

    tokio::time::sleep(Duration::from_secs(15)).await; // t = 35 s
    assert_quiet(&mut rx);
    assert_eq!(os.get().as_deref(), Some("second"));

    tokio::time::sleep(Duration::from_secs(16)).await; // t = 51 s
    assert_eq!(wait_events(&mut rx, 1), vec![status(messages::CLEARED_NATIVE)]);
    assert_eq!(os.get(), None);
}

#[tokio::test(start_paused = true)]
async fn native_on_quit_clears_only_if_still_ours() {
    let os = FakeOs::default();
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Auto, os.factory());
    clipboard.copy(&secret(SECRET));
    wait_events(&mut rx, 1);
    assert!(clipboard.on_quit().is_empty());
    assert_eq!(os.get(), None);
    // The timer is gone too.
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_quiet(&mut rx);
}

#[tokio::test(start_paused = true)]
async fn auto_falls_back_to_osc52_when_native_fails() {
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Auto, failing_factory());
    clipboard.copy(&secret(SECRET));
    assert_eq!(
        wait_events(&mut rx, 2),
        vec![
            terminal(osc52::copy_bytes(SECRET, Wrap::None).unwrap()),
            status(&messages::sent_osc52(CLEAR, Wrap::None)),
        ]
    );
    tokio::time::sleep(Duration::from_secs(31)).await;
    assert_eq!(
        wait_events(&mut rx, 2),
        vec![terminal(osc52::clear_bytes(Wrap::None)), status(messages::CLEARED_OSC52)]
    );
    assert!(clipboard.on_quit().is_empty());
}

#[tokio::test(start_paused = true)]
async fn auto_fallback_clear_is_returned_on_quit() {
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Auto, failing_factory());
    clipboard.copy(&secret(SECRET));
    wait_events(&mut rx, 2);
    assert_eq!(clipboard.on_quit().as_slice(), osc52::clear_bytes(Wrap::None).as_slice());
}

#[tokio::test(start_paused = true)]
async fn native_mode_does_not_fall_back() {
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Native, failing_factory());
    clipboard.copy(&secret(SECRET));
    assert_eq!(wait_events(&mut rx, 1), vec![status(messages::NOT_COPIED_UNAVAILABLE)]);
    tokio::time::sleep(Duration::from_secs(31)).await;
    assert_quiet(&mut rx);
    assert!(clipboard.on_quit().is_empty());
}

#[tokio::test(start_paused = true)]
async fn dropping_the_clipboard_still_clears() {
    let os = FakeOs::default();
    let (mut clipboard, mut rx) = native_clipboard(ClipboardMode::Auto, os.factory());
    clipboard.copy(&secret(SECRET));
    wait_events(&mut rx, 1);
    drop(clipboard);
    let deadline = Instant::now() + Duration::from_secs(5);
    while os.get().is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(os.get(), None);
}

#[test]
fn clipboard_can_move_between_tasks() {
    fn assert_send<T: Send + 'static>() {}
    assert_send::<Clipboard>();
    assert_send::<ClipboardEvent>();
}
