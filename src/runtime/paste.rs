//! What arrives with a paste. crossterm ends a bracketed paste at the first `ESC[201~`, so a
//! pasted text holding that marker goes on as keys right after the `Paste` event. From a paste
//! until the input pauses, every event is held here, never acting as a key; then
//! `app::paste::burst` turns them back into the text they came from. The loop keeps serving
//! signals and answers meanwhile.
//!
//! crossterm 0.29 reads the terminal 1 KiB at a time and returns as soon as a read gives an
//! event; the epoll it waits on is edge-triggered, so what is left unread in the kernel stays
//! there until the next byte arrives (the operator's next key). After such a paste, the input
//! is held until the kernel holds nothing unread and the input has paused: keys of the paste
//! left behind never act, and the operator's key that brings them in is dropped with them.

use std::time::Duration;

use crossterm::event::Event;
use tokio::time::Instant;

use crate::app::Msg;
use crate::app::paste::{MAX_BURST, burst};

/// A pause in the input this long ends a paste. A terminal writes a paste's pieces well within
/// it; a person's next key after pasting comes later.
pub const SETTLE: Duration = Duration::from_millis(50);

/// Once keys came right after a paste (its text held the end marker), the pause that ends it
/// is longer: on a busy machine the terminal may stall between pieces of a long paste.
pub const CUT_SETTLE: Duration = Duration::from_millis(500);

/// A paste being received: its text and the events that followed it without a pause.
pub struct Pasting {
    text: String,
    rest: Vec<Event>,
    last: Instant,
    /// Keys came after the paste: its text held the end marker.
    cut: bool,
    /// The paste's message was given; what still comes is dropped.
    reported: bool,
}

impl Pasting {
    pub fn new(text: String) -> Pasting {
        Pasting { text, rest: Vec::new(), last: Instant::now(), cut: false, reported: false }
    }

    /// One more event before the pause. At most `MAX_BURST` are kept: the others, dropped,
    /// still hold the paste open.
    pub fn push(&mut self, event: Event) {
        self.last = Instant::now();
        self.cut = true;
        if !self.reported && self.rest.len() < MAX_BURST {
            self.rest.push(event);
        }
    }

    /// When the input will have paused if nothing else arrives.
    pub fn due(&self) -> Instant {
        self.last + if self.cut { CUT_SETTLE } else { SETTLE }
    }

    /// The input paused; `unread` bytes wait in the kernel that crossterm has not read. Returns
    /// the paste as one message the first time, and whether the paste is over: not while the
    /// rest of a cut paste is still unread.
    pub fn paused(&mut self, unread: usize) -> (Option<Msg>, bool) {
        let msg = (!self.reported).then(|| {
            self.reported = true;
            // Counts only: the text may be a password.
            tracing::debug!(events_after = self.rest.len(), unread, "paste received");
            burst(std::mem::take(&mut self.text), std::mem::take(&mut self.rest))
        });
        let over = !(self.cut && unread > 0);
        if !over {
            self.last = Instant::now();
        }
        (msg, over)
    }
}

/// Bytes the terminal sent that are still in the kernel, unread (0 when unknown). crossterm
/// reads stdin when it is a terminal (else /dev/tty, whose queue is not looked at).
pub fn unread_input() -> usize {
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return 0;
    }
    let mut count: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through a pointer to a live, aligned c_int.
    let ok = unsafe { libc::ioctl(libc::STDIN_FILENO, libc::FIONREAD, &mut count) } == 0;
    if ok { usize::try_from(count).unwrap_or(0) } else { 0 }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent};
    use secrecy::ExposeSecret;

    use super::*;

    fn enter() -> Event {
        Event::Key(KeyEvent::from(KeyCode::Enter))
    }

    fn text(msg: Option<Msg>) -> String {
        let Some(Msg::Paste(text)) = msg else { panic!("{msg:?}") };
        text.expose_secret().to_owned()
    }

    #[tokio::test(start_paused = true)]
    async fn events_before_a_pause_are_the_pastes_text() {
        let start = Instant::now();
        let mut pasting = Pasting::new("abc".into());
        assert_eq!(pasting.due(), start + SETTLE);
        tokio::time::sleep(Duration::from_millis(40)).await;
        pasting.push(enter());
        let held = start + Duration::from_millis(40) + CUT_SETTLE;
        assert_eq!(pasting.due(), held, "each event holds it open, longer once keys came");
        let (msg, over) = pasting.paused(0);
        assert_eq!((text(msg), over), ("abc\u{1b}[201~\r".to_owned(), true));

        let (msg, over) = Pasting::new("plain".into()).paused(7);
        assert_eq!((text(msg), over), ("plain".to_owned(), true), "a whole paste ends at its pause");
    }

    #[tokio::test(start_paused = true)]
    async fn the_unread_rest_of_a_cut_paste_is_dropped_when_it_comes() {
        let mut pasting = Pasting::new("abc".into());
        pasting.push(enter());
        let (msg, over) = pasting.paused(4096);
        assert!(text(msg).ends_with('\r') && !over, "reported at once, held while input is unread");
        tokio::time::sleep(Duration::from_secs(5)).await;
        let (msg, over) = pasting.paused(4096);
        assert!(msg.is_none() && !over, "still held, nothing more reported");
        pasting.push(enter());
        assert!(pasting.rest.is_empty(), "what comes after the report is dropped");
        let (msg, over) = pasting.paused(0);
        assert!(msg.is_none() && over);
    }

    #[test]
    fn an_endless_stream_is_held_in_bounded_memory() {
        let mut pasting = Pasting::new(String::new());
        for _ in 0..MAX_BURST + 10 {
            pasting.push(enter());
        }
        assert_eq!(pasting.rest.len(), MAX_BURST);
    }
}
