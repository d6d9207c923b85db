//! The native clipboard (arboard) on its own std thread.
//!
//! One `arboard::Clipboard` is created lazily on the first copy and kept until the worker stops
//! (on Linux the copying process serves the data: dropping it loses the clipboard). All calls
//! into it happen on this thread, so a slow or remote X server never blocks the UI loop.
//!
//! The worker keeps only a fingerprint of the secret (a `RandomState` hash, keyed per run), never
//! the secret itself: the text to set is zeroized as soon as arboard has taken it.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;
use zeroize::Zeroizing;

use super::osc52::{self, Wrap};
use super::{ClipboardEvent, Place, QUIT_WAIT, TMUX_BUDGET, messages, tmux};

/// What the worker needs from a clipboard; arboard in the app, a fake in unit tests.
pub(crate) trait Backend {
    /// Sets the text, excluded from clipboard-manager histories where the platform allows it.
    fn set_secret(&mut self, text: &str) -> Result<(), String>;
    /// Reads the text back; `Ok(None)` when the clipboard holds no text.
    fn get_text(&mut self) -> Result<Option<Zeroizing<String>>, String>;
    /// Empties the clipboard.
    fn clear(&mut self) -> Result<(), String>;
}

/// Creates the backend, on the worker thread. An error means "no native clipboard here".
pub(crate) type Factory = Arc<dyn Fn() -> Result<Box<dyn Backend>, String> + Send + Sync>;

/// The real factory: `arboard::Clipboard::new()`.
pub(crate) fn arboard_factory() -> Factory {
    Arc::new(|| {
        arboard::Clipboard::new()
            .map(|clipboard| Box::new(Arboard(clipboard)) as Box<dyn Backend>)
            .map_err(|err| err.to_string())
    })
}

struct Arboard(arboard::Clipboard);

impl Backend for Arboard {
    fn set_secret(&mut self, text: &str) -> Result<(), String> {
        exclude_from_history(self.0.set()).text(text).map_err(|err| err.to_string())
    }

    fn get_text(&mut self) -> Result<Option<Zeroizing<String>>, String> {
        match self.0.get_text() {
            Ok(text) => Ok(Some(Zeroizing::new(text))),
            Err(arboard::Error::ContentNotAvailable) => Ok(None),
            Err(err) => Err(err.to_string()),
        }
    }

    fn clear(&mut self) -> Result<(), String> {
        self.0.clear().map_err(|err| err.to_string())
    }
}

/// Linux/BSD: adds the `x-kde-passwordManagerHint` target.
#[cfg(all(unix, not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))))]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtLinux as _;
    set.exclude_from_history()
}

/// macOS: `org.nspasteboard.ConcealedType`.
#[cfg(target_os = "macos")]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtApple as _;
    set.exclude_from_history()
}

/// Windows: out of the clipboard history, cloud clipboard and monitoring apps.
#[cfg(windows)]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtWindows as _;
    set.exclude_from_history().exclude_from_cloud().exclude_from_monitoring()
}

pub(crate) enum Request {
    /// Copy `text` (copy number `generation`); on failure, fall back to OSC 52 if `fallback`.
    Set { generation: u64, text: Zeroizing<String>, fallback: Option<Wrap> },
    /// The clear timer of copy `generation` expired.
    Expire { generation: u64 },
    /// The app quits: clear if still ours, reply with the OSC 52 clear bytes due (maybe empty),
    /// and stop.
    Quit { reply: Sender<Zeroizing<Vec<u8>>> },
}

/// What we may have left in a clipboard and must clear.
#[derive(Default)]
struct Held {
    /// Fingerprint of the secret we put in the native clipboard.
    native: Option<u64>,
    /// We sent an OSC 52 copy (native failed) with this wrap.
    osc52: Option<Wrap>,
    /// The passwords among those copies that tmux may keep as paste buffers.
    tmux: tmux::Copies,
}

pub(crate) struct Worker {
    factory: Factory,
    backend: Option<Box<dyn Backend>>,
    hasher: RandomState,
    held: Held,
    generation: u64,
    clear_after: Duration,
    events: UnboundedSender<ClipboardEvent>,
    place: Place,
}

impl Worker {
    pub(crate) fn new(
        factory: Factory,
        clear_after: Duration,
        events: UnboundedSender<ClipboardEvent>,
        place: Place,
    ) -> Self {
        Self {
            factory,
            backend: None,
            hasher: RandomState::new(),
            held: Held::default(),
            generation: 0,
            clear_after,
            events,
            place,
        }
    }

    /// Serves requests until `Quit` or until the `Clipboard` is dropped (then clears as on quit).
    pub(crate) fn run(mut self, requests: Receiver<Request>) {
        while let Ok(request) = requests.recv() {
            match request {
                Request::Set { generation, text, fallback } => self.set(generation, text, fallback),
                Request::Expire { generation } => {
                    if generation == self.generation {
                        self.clear_held(true);
                    }
                }
                Request::Quit { reply } => {
                    let bytes = self.clear_held(false);
                    let _ = reply.send(bytes);
                    return;
                }
            }
        }
        // The Clipboard went away without on_quit: still don't leave the secret behind.
        self.clear_held(false);
    }

    fn send(&self, event: ClipboardEvent) {
        // The app may be gone already; nothing to do then.
        let _ = self.events.send(event);
    }

    fn set(&mut self, generation: u64, text: Zeroizing<String>, fallback: Option<Wrap>) {
        self.generation = generation;
        match self.try_set(&text) {
            Ok(()) => {
                // A new secret replaces the old one: only the new fingerprint matters.
                self.held.native = Some(self.hasher.hash_one(text.as_str()));
                self.send(ClipboardEvent::Status(messages::copied_native(self.clear_after)));
            }
            Err(err) => {
                // arboard's messages never contain the clipboard's content.
                tracing::warn!(error = %err, "native clipboard unavailable");
                // If an older secret of ours is still there, it stays held: the new timer
                // clears it (if unchanged).
                match fallback.map(|wrap| (wrap, osc52::copy_bytes(&text, wrap))) {
                    Some((wrap, Some(bytes))) => {
                        tracing::info!("copy falls back to OSC 52");
                        self.held.osc52 = Some(wrap);
                        self.place.note_copy(&mut self.held.tmux, &text, wrap);
                        self.send(ClipboardEvent::Terminal(bytes));
                        self.send(ClipboardEvent::Status(messages::sent_osc52(self.clear_after, wrap)));
                    }
                    Some((_, None)) => {
                        self.send(ClipboardEvent::Status(messages::NOT_COPIED_TOO_LONG.to_owned()))
                    }
                    None => self.send(ClipboardEvent::Status(messages::NOT_COPIED_UNAVAILABLE.to_owned())),
                }
            }
        }
        // `text` is zeroized here.
    }

    fn try_set(&mut self, text: &str) -> Result<(), String> {
        if self.backend.is_none() {
            self.backend = Some((self.factory)()?);
        }
        let backend = self.backend.as_mut().expect("created above");
        backend.set_secret(text)
    }

    /// Clears what we hold. Native: only if the clipboard still holds our secret. OSC 52: sends
    /// the clear (or, when `!live`, returns it for the caller to write) and deletes tmux's
    /// copies.
    fn clear_held(&mut self, live: bool) -> Zeroizing<Vec<u8>> {
        if let Some(fingerprint) = self.held.native.take()
            && let Some(backend) = self.backend.as_mut()
        {
            let status = match backend.get_text() {
                Ok(Some(current)) if self.hasher.hash_one(current.as_str()) == fingerprint => {
                    match backend.clear() {
                        Ok(()) => Some(messages::CLEARED_NATIVE),
                        Err(err) => {
                            tracing::warn!(error = %err, "could not clear the clipboard");
                            Some(messages::CLEAR_FAILED)
                        }
                    }
                }
                Ok(_) => Some(messages::NOT_CLEARED_CHANGED),
                Err(err) => {
                    tracing::warn!(error = %err, "could not read the clipboard back");
                    Some(messages::CLEAR_FAILED)
                }
            };
            if live && let Some(status) = status {
                self.send(ClipboardEvent::Status(status.to_owned()));
            }
        }
        let tmux = std::mem::take(&mut self.held.tmux);
        match self.held.osc52.take() {
            Some(wrap) if live => {
                self.send(ClipboardEvent::Terminal(osc52::clear_bytes(wrap)));
                let status = self.place.after_clear(wrap, &tmux, TMUX_BUDGET);
                self.send(ClipboardEvent::Status(status));
                Zeroizing::new(Vec::new())
            }
            Some(wrap) => {
                // Half the wait, so that the reply still reaches `on_quit` in time.
                let status = self.place.after_clear(wrap, &tmux, QUIT_WAIT / 2);
                tracing::info!(%status, "clipboard cleared on quit");
                osc52::clear_bytes(wrap)
            }
            None => Zeroizing::new(Vec::new()),
        }
    }
}
