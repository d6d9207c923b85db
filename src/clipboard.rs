//! Copying a one-time password to the clipboard, locally or over SSH, and clearing it again.
//!
//! # Choosing the channel
//!
//! The channel is chosen by **detection**, never by waiting for a tool to fail (over SSH a
//! remote clipboard tool "succeeds" into the bastion's own clipboard). See [`channel`]:
//!
//! - `auto`: an SSH session (`SSH_CONNECTION`/`SSH_TTY`) or no display
//!   (`DISPLAY`/`WAYLAND_DISPLAY`) → OSC 52; a local desktop → the native clipboard (arboard),
//!   and OSC 52 if that fails.
//! - `osc52`, `native`, `off`: exactly that (`native` does not fall back).
//!
//! # Who writes to the terminal
//!
//! OSC 52 is a terminal escape sequence. The UI loop owns stdout (ratatui draws there); a second
//! writer would interleave with a frame mid-sequence. So this module never writes to the
//! terminal: it sends [`ClipboardEvent::Terminal`] bytes, and the loop writes them between
//! frames. Under tmux both the raw sequence (works with `set -g set-clipboard on`) and the
//! passthrough-wrapped one (works with `allow-passthrough on`) are sent; under GNU screen the
//! sequence is DCS-wrapped in chunks of at most 768 bytes.
//!
//! # Clearing
//!
//! After `clear_after` (30 s by default), on a new copy's timer only (a new copy restarts it),
//! and on quit:
//!
//! - **native**: the clipboard is read back and cleared **only if it still holds the secret**.
//!   The comparison uses a keyed hash (`RandomState`) of the secret taken at copy time, so the
//!   secret itself is not kept once arboard has it. The arboard `Clipboard` lives on a dedicated
//!   thread for the whole run (on Linux the data disappears when it is dropped), so a slow X
//!   server never blocks the UI.
//! - **OSC 52**: terminals don't let us read the clipboard back (and give no acknowledgement),
//!   so "only if unchanged" cannot be checked. We chose to send an OSC 52 clear (see
//!   [`osc52::clear_bytes`] for the payload terminals honour) at the timeout anyway, and the copy
//!   message says so ("cleared in 30 s"): a one-time password lingering is worse than wiping
//!   something the operator copied in the meantime, and they are told in advance.
//! - **tmux**: with `set-clipboard on` tmux keeps every copy as a paste buffer that no OSC 52
//!   sequence removes. Inside tmux on this host (`$TMUX`), the clear deletes, through the tmux
//!   server, the buffers whose content is a password we copied (see `clipboard/tmux.rs`), off the UI
//!   thread and within a deadline. The message says what was deleted and what could not be
//!   checked: a tmux on the operator's own machine, outside SSH, is out of reach.
//!
//! Messages tell the truth: "Copied" only when the native clipboard accepted the text; for
//! OSC 52 "Sent ... paste to check". Errors never stop the app and are logged without the
//! payload.

pub mod osc52;

mod channel;
mod drop;
mod native;
mod tmux;

use std::fmt;
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use secrecy::{ExposeSecret as _, SecretString};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;
use zeroize::Zeroizing;

pub use channel::{Channel, ClipboardEnv, ClipboardMode, channel};
pub use osc52::Wrap;

/// Default time before the clipboard is cleared.
pub const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);
/// Shortest accepted clear delay; a zero `clear_after` (refused by the CLI) is raised to this.
pub const MIN_CLEAR_AFTER: Duration = Duration::from_secs(1);
/// How long [`Clipboard::on_quit`] waits for the native worker, or for tmux.
pub const QUIT_WAIT: Duration = Duration::from_millis(500);
/// How long a timed clear may spend asking tmux (off the UI thread).
const TMUX_BUDGET: Duration = Duration::from_secs(2);

/// What the clipboard tells the app, over an unbounded tokio channel.
#[derive(PartialEq, Eq)]
pub enum ClipboardEvent {
    /// Write these bytes to the terminal now, between frames (OSC 52); may come with a message.
    Terminal(Zeroizing<Vec<u8>>),
    /// Tell the operator (copy outcome, "clipboard cleared").
    Status(String),
}

impl fmt::Debug for ClipboardEvent {
    /// Never prints the terminal bytes: they carry the secret in base64.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Terminal(bytes) => write!(f, "Terminal(<{} bytes>)", bytes.len()),
            Self::Status(text) => f.debug_tuple("Status").field(text).finish(),
        }
    }
}

/// The operator-facing texts.
pub mod messages;

/// State shared with the clear timers.
#[derive(Default)]
struct Shared {
    /// The latest copy; an older timer does nothing. 0 after quit.
    latest: u64,
    /// An OSC 52 copy was sent (direct channel) and not cleared yet.
    osc52_pending: bool,
    /// The passwords among those copies that tmux may keep as paste buffers.
    tmux_copies: tmux::Copies,
}

/// Where the clipboard runs, as far as clearing is concerned.
#[derive(Clone, Debug, Default)]
pub(crate) struct Place {
    /// An SSH session: a tmux around the operator's terminal would be on another host.
    ssh: bool,
    /// The tmux server we run under (`$TMUX`), if any.
    tmux: Option<tmux::Server>,
}

impl Place {
    /// Remembers an OSC 52 copy of `secret` that tmux may store as a paste buffer.
    fn note_copy(&self, copies: &mut tmux::Copies, secret: &str, wrap: Wrap) {
        if wrap == Wrap::Tmux && self.tmux.is_some() {
            copies.add(secret.as_bytes());
        }
    }

    /// Whether [`after_clear`](Self::after_clear) will run tmux (and may block).
    fn asks_tmux(&self, wrap: Wrap, copies: &tmux::Copies) -> bool {
        wrap == Wrap::Tmux && self.tmux.is_some() && !copies.is_empty()
    }

    /// After an OSC 52 clear was sent with `wrap`: deletes tmux's copies of `copies` and
    /// returns what to tell the operator. Blocks up to `budget` when it
    /// [asks tmux](Self::asks_tmux): never on the UI thread then.
    fn after_clear(&self, wrap: Wrap, copies: &tmux::Copies, budget: Duration) -> String {
        let tmux = (wrap == Wrap::Tmux).then(|| match &self.tmux {
            Some(server) => tmux::clear(server, copies, budget),
            None => tmux::Outcome::UNKNOWN,
        });
        messages::cleared_osc52(tmux, self.ssh)
    }
}

struct NativeHandle {
    requests: std_mpsc::Sender<native::Request>,
}

/// The app's clipboard. Create one per run; see the module docs.
pub struct Clipboard {
    channel: Channel,
    clear_after: Duration,
    events: UnboundedSender<ClipboardEvent>,
    shared: Arc<Mutex<Shared>>,
    generation: u64,
    timer: Option<AbortHandle>,
    native: Option<NativeHandle>,
    factory: native::Factory,
    place: Place,
}

impl fmt::Debug for Clipboard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clipboard")
            .field("channel", &self.channel)
            .field("clear_after", &self.clear_after)
            .finish_non_exhaustive()
    }
}

impl Clipboard {
    /// Never blocks, never fails: nothing is tried before the first copy.
    ///
    /// `clear_after` should be positive (the CLI refuses 0); a zero is raised to
    /// [`MIN_CLEAR_AFTER`].
    pub fn new(
        mode: ClipboardMode,
        env: ClipboardEnv,
        clear_after: Duration,
        events: UnboundedSender<ClipboardEvent>,
    ) -> Self {
        let tmux = if env.tmux { tmux::Server::from_env() } else { None };
        Self::with_parts(mode, env, clear_after, events, native::arboard_factory(), tmux)
    }

    fn with_parts(
        mode: ClipboardMode,
        env: ClipboardEnv,
        clear_after: Duration,
        events: UnboundedSender<ClipboardEvent>,
        factory: native::Factory,
        tmux: Option<tmux::Server>,
    ) -> Self {
        let clipboard = Self {
            channel: channel(mode, env),
            clear_after: clear_after.max(MIN_CLEAR_AFTER),
            events,
            shared: Arc::default(),
            generation: 0,
            timer: None,
            native: None,
            factory,
            place: Place { ssh: env.ssh, tmux },
        };
        tracing::debug!(?mode, ?env, channel = ?clipboard.channel, "clipboard channel chosen");
        clipboard
    }

    /// Copies the secret. Returns at once; the outcome arrives as [`ClipboardEvent`]s, and the
    /// clear is scheduled (this needs a tokio runtime; without one, only [`on_quit`](Self::on_quit)
    /// clears). A new copy restarts the timer.
    pub fn copy(&mut self, secret: &SecretString) {
        self.generation += 1;
        let generation = self.generation;
        if let Some(timer) = self.timer.take() {
            timer.abort();
        }
        self.lock_shared().latest = generation;

        match self.channel {
            Channel::Off => self.send(ClipboardEvent::Status(messages::NOT_COPIED_OFF.to_owned())),
            Channel::Osc52(wrap) => {
                match osc52::copy_bytes(secret.expose_secret(), wrap) {
                    Some(bytes) => {
                        self.note_osc52_copy(secret, wrap);
                        self.send(ClipboardEvent::Terminal(bytes));
                        self.send(ClipboardEvent::Status(messages::sent_osc52(self.clear_after, wrap)));
                    }
                    None => self.send(ClipboardEvent::Status(messages::NOT_COPIED_TOO_LONG.to_owned())),
                }
                // Also after a refused copy: an earlier one may still be pending.
                self.schedule_clear(generation);
            }
            Channel::Native { fallback } => {
                let text = Zeroizing::new(secret.expose_secret().to_owned());
                let request = native::Request::Set { generation, text, fallback };
                match self.native_requests() {
                    Some(requests) if requests.send(request).is_ok() => self.schedule_clear(generation),
                    _ => {
                        // No worker thread (could not spawn, or it died): same as "native
                        // failed". The request, and the text in it, were dropped (zeroized).
                        self.native = None;
                        tracing::warn!("clipboard worker unavailable");
                        self.native_failed(secret, fallback, generation);
                    }
                }
            }
        }
    }

    /// Call when the app quits, before restoring the terminal: clears now if the clipboard still
    /// holds our secret (native: waits at most [`QUIT_WAIT`] for the worker). Returns the OSC 52
    /// clear bytes to write to the terminal, empty if none are due.
    pub fn on_quit(&mut self) -> Zeroizing<Vec<u8>> {
        if let Some(timer) = self.timer.take() {
            timer.abort();
        }
        let (osc52_pending, tmux_copies) = {
            let mut shared = self.lock_shared();
            shared.latest = 0;
            (std::mem::take(&mut shared.osc52_pending), std::mem::take(&mut shared.tmux_copies))
        };
        let mut bytes = match self.channel {
            Channel::Osc52(wrap) if osc52_pending => {
                // The screen is gone: the outcome can only be logged.
                let status = self.place.after_clear(wrap, &tmux_copies, QUIT_WAIT);
                tracing::info!(%status, "clipboard cleared on quit");
                osc52::clear_bytes(wrap)
            }
            _ => Zeroizing::new(Vec::new()),
        };
        if let Some(handle) = self.native.take() {
            let (reply, answer) = std_mpsc::channel();
            if handle.requests.send(native::Request::Quit { reply }).is_ok() {
                match answer.recv_timeout(QUIT_WAIT) {
                    Ok(native_bytes) => bytes = native_bytes,
                    Err(_) => tracing::warn!("clipboard worker did not answer on quit"),
                }
            }
        }
        bytes
    }

    fn send(&self, event: ClipboardEvent) {
        if self.events.send(event).is_err() {
            tracing::debug!("clipboard event dropped: the app stopped listening");
        }
    }

    fn lock_shared(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn note_osc52_copy(&self, secret: &SecretString, wrap: Wrap) {
        let mut shared = self.lock_shared();
        shared.osc52_pending = true;
        self.place.note_copy(&mut shared.tmux_copies, secret.expose_secret(), wrap);
    }

    /// The worker's request queue, starting the worker on first use.
    fn native_requests(&mut self) -> Option<&std_mpsc::Sender<native::Request>> {
        if self.native.is_none() {
            let (requests, receiver) = std_mpsc::channel();
            let (factory, clear_after, events, place) =
                (self.factory.clone(), self.clear_after, self.events.clone(), self.place.clone());
            match std::thread::Builder::new()
                .name("dbdeck-clipboard".to_owned())
                // The backend is created, used and dropped on this thread only.
                .spawn(move || native::Worker::new(factory, clear_after, events, place).run(receiver))
            {
                Ok(_) => self.native = Some(NativeHandle { requests }),
                Err(err) => tracing::warn!(error = %err, "could not start the clipboard thread"),
            }
        }
        self.native.as_ref().map(|handle| &handle.requests)
    }

    /// The native path is impossible: OSC 52 if allowed, else "not copied".
    fn native_failed(&mut self, secret: &SecretString, fallback: Option<Wrap>, generation: u64) {
        let Some(wrap) = fallback else {
            self.send(ClipboardEvent::Status(messages::NOT_COPIED_UNAVAILABLE.to_owned()));
            return;
        };
        match osc52::copy_bytes(secret.expose_secret(), wrap) {
            Some(bytes) => {
                // From now on this clipboard speaks OSC 52 (the worker is gone).
                self.channel = Channel::Osc52(wrap);
                self.note_osc52_copy(secret, wrap);
                self.send(ClipboardEvent::Terminal(bytes));
                self.send(ClipboardEvent::Status(messages::sent_osc52(self.clear_after, wrap)));
                self.schedule_clear(generation);
            }
            None => self.send(ClipboardEvent::Status(messages::NOT_COPIED_TOO_LONG.to_owned())),
        }
    }

    fn schedule_clear(&mut self, generation: u64) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("no tokio runtime: the clipboard is cleared only on quit");
            return;
        };
        let shared = Arc::clone(&self.shared);
        let events = self.events.clone();
        let channel = self.channel;
        let worker = self.native.as_ref().map(|handle| handle.requests.clone());
        let clear_after = self.clear_after;
        let place = self.place.clone();
        let ssh = place.ssh;
        let task = runtime.spawn(async move {
            tokio::time::sleep(clear_after).await;
            let (wrap, tmux_copies) = {
                let mut shared = shared.lock().unwrap_or_else(PoisonError::into_inner);
                if shared.latest != generation {
                    return; // superseded by a newer copy, or quitting
                }
                match channel {
                    Channel::Osc52(wrap) if std::mem::take(&mut shared.osc52_pending) => {
                        // Sent under the lock, so that a newer copy's bytes always come after.
                        let _ = events.send(ClipboardEvent::Terminal(osc52::clear_bytes(wrap)));
                        (wrap, std::mem::take(&mut shared.tmux_copies))
                    }
                    Channel::Native { .. } => {
                        if let Some(worker) = worker {
                            let _ = worker.send(native::Request::Expire { generation });
                        }
                        return;
                    }
                    Channel::Osc52(_) | Channel::Off => return,
                }
            };
            let status = if place.asks_tmux(wrap, &tmux_copies) {
                // On a blocking thread; aborting this task does not stop it.
                tokio::task::spawn_blocking(move || place.after_clear(wrap, &tmux_copies, TMUX_BUDGET))
                    .await
                    .unwrap_or_else(|_| messages::cleared_osc52(Some(tmux::Outcome::UNKNOWN), ssh))
            } else {
                place.after_clear(wrap, &tmux_copies, TMUX_BUDGET)
            };
            let _ = events.send(ClipboardEvent::Status(status));
        });
        self.timer = Some(task.abort_handle());
    }
}

#[cfg(test)]
mod tests;
