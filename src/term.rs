//! Terminal set-up and restoration.
//!
//! - [`enter`] turns on raw mode, the alternate screen (keeps a revealed password out of the
//!   scrollback) and bracketed paste, hides the cursor, and clears the screen **without asking the
//!   terminal for the cursor position** (`Terminal::clear` does ask, and PTY harnesses or
//!   `docker -t` never answer). Mouse capture stays off so operators can select text by hand.
//! - [`restore`] blanks the screen with dbdeck's own sequence (no query), then undoes everything
//!   we might have turned on (plus mouse capture, in case). It is idempotent, never panics, never
//!   waits long on the terminal, and does nothing when [`enter`] was never called, so it is safe
//!   in a panic hook, a signal path or a normal quit. Frames drawn after it are dropped.
//! - [`install_panic_hook`] restores the terminal before the previous hook prints the report.
//!   Install it **before** [`enter`].
//!
//! Signals (SIGTERM, SIGHUP, SIGINT) are handled by the app loop, which calls [`restore`].

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::{
    cursor::{Hide, Show},
    event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste},
    execute, queue,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use ratatui::{Terminal, backend::Backend, backend::ClearType, backend::CrosstermBackend};

mod output;

pub use output::Output;

/// The terminal type the app draws on.
pub type Tui = Terminal<CrosstermBackend<Output>>;

/// Erase the screen, cursor home. Written as is, so nothing asks the terminal anything.
pub const BLANK: &[u8] = b"\x1b[2J\x1b[H";
/// Erase the screen, then the saved lines (a terminal may have pushed the erased screen there),
/// cursor home: what `clear(1)` sends. Only after a secret was on screen, since it also wipes the
/// operator's own scrollback in xterm and others.
pub const BLANK_WITH_SAVED_LINES: &[u8] = b"\x1b[2J\x1b[3J\x1b[H";

/// Set once a secret was drawn: the exit then erases the saved lines too.
static SECRET_SHOWN: AtomicBool = AtomicBool::new(false);

/// Says that a secret is on screen now, so that [`restore`] erases the saved lines as well.
pub fn mark_secret_shown() {
    SECRET_SHOWN.store(true, Ordering::SeqCst);
}

/// How long [`restore`] may wait on the terminal in all: a hung-up or stalled terminal must not
/// hold the exit.
const LAST_WRITES: Duration = Duration::from_millis(50);

/// Smallest size we draw a full screen in; below it the UI shows only "Terminal too small".
pub const MIN_WIDTH: u16 = 60;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 15;

/// Set (before any change) by [`enter`], reset by [`restore`].
static ENTERED: AtomicBool = AtomicBool::new(false);

/// Installs a panic hook that restores the terminal, calls the previously installed hook, then
/// exits: a panic in any thread (an effect task, the clipboard timer) would otherwise leave the
/// loop drawing on a restored terminal, a revealed password included, into the scrollback.
///
/// It adds nothing to the report: what is printed is whatever the panic said (so code must not
/// put secrets into panic messages; `SecretString` prints redacted).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        std::process::exit(101);
    }));
}

/// Enters the full-screen mode and returns the terminal to draw on.
///
/// On error, whatever was already turned on is turned off again before returning.
pub fn enter() -> io::Result<Tui> {
    // Set first: if we fail half-way, restore() must still undo what was done.
    ENTERED.store(true, Ordering::SeqCst);
    match try_enter() {
        Ok(tui) => Ok(tui),
        Err(err) => {
            restore();
            Err(err)
        }
    }
}

fn try_enter() -> io::Result<Tui> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide)?;
    let mut tui = Terminal::new(CrosstermBackend::new(Output::default()))?;
    // Also tells ratatui the cursor is hidden, so dropping the Terminal shows it again.
    tui.hide_cursor()?;
    clear(&mut tui)?;
    Ok(tui)
}

/// Clears the whole screen and forces a full redraw on the next `draw`, without querying the
/// cursor position (unlike `Terminal::clear`). Use it for "redraw" (Ctrl-L) too.
pub fn clear(tui: &mut Tui) -> io::Result<()> {
    tui.backend_mut().clear_region(ClearType::All)?;
    // Two swaps reset both buffers: the next draw repaints every cell.
    tui.swap_buffers();
    tui.swap_buffers();
    Backend::flush(tui.backend_mut())
}

/// Puts the terminal back as the shell expects it: screen blanked (a revealed password must not
/// linger where the terminal keeps the alternate screen), bracketed paste off, mouse capture off,
/// alternate screen left, raw mode off, cursor shown.
///
/// Idempotent, never panics, ignores every error (the tty may already be gone), waits on the
/// terminal at most [`LAST_WRITES`], and does nothing if [`enter`] was not called since the last
/// restore. A frame being written finishes first; later frames are dropped.
pub fn restore() {
    let deadline = Instant::now() + LAST_WRITES;
    let _held = output::lock_until(deadline);
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut bytes = Vec::new();
    let _ = write_restore_sequences(&mut bytes, SECRET_SHOWN.load(Ordering::SeqCst));
    // Write errors are ignored: there is nobody left to tell.
    let _ = output::write_fd(&bytes, Some(deadline));
    let _ = disable_raw_mode();
    // Show the cursor again after raw mode is off too (some terminals reset it on mode change).
    let mut show = Vec::new();
    let _ = queue!(show, Show);
    let _ = output::write_fd(&show, Some(deadline));
}

/// The escape sequences of [`restore`], in order, written and flushed to `out`; `saved_lines`
/// erases the terminal's saved lines too.
fn write_restore_sequences(out: &mut impl Write, saved_lines: bool) -> io::Result<()> {
    out.write_all(if saved_lines { BLANK_WITH_SAVED_LINES } else { BLANK })?;
    queue!(out, DisableBracketedPaste, DisableMouseCapture, LeaveAlternateScreen, Show)?;
    out.flush()
}

/// True when the terminal is too small for the normal layout (below 60x15).
pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// True when the locale says UTF-8: the first non-empty of `LC_ALL`, `LC_CTYPE`, `LANG`
/// contains `UTF-8` or `utf8` (any case). Otherwise the UI should use ASCII borders.
pub fn utf8_locale() -> bool {
    let var = |name| std::env::var(name).ok();
    utf8_locale_from(var("LC_ALL").as_deref(), var("LC_CTYPE").as_deref(), var("LANG").as_deref())
}

/// Pure form of [`utf8_locale`]: POSIX precedence, an empty value counts as unset.
pub fn utf8_locale_from(lc_all: Option<&str>, lc_ctype: Option<&str>, lang: Option<&str>) -> bool {
    [lc_all, lc_ctype, lang].into_iter().flatten().find(|value| !value.is_empty()).is_some_and(|value| {
        let value = value.to_ascii_lowercase();
        value.contains("utf-8") || value.contains("utf8")
    })
}

/// Keeps the secrets dbdeck holds out of core dumps and away from debuggers of the same user,
/// as ssh-agent does: no core file, and (on Linux) no ptrace or /proc/PID/mem from a peer.
/// Best effort: a failure changes nothing else.
pub fn harden_process() {
    let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: plain system calls with constant, valid arguments.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_below_60x15() {
        assert!(too_small(0, 0));
        assert!(too_small(1, 1));
        assert!(too_small(59, 40));
        assert!(too_small(200, 14));
        assert!(!too_small(60, 15));
        assert!(!too_small(80, 24));
    }

    #[test]
    fn utf8_locale_precedence_and_spelling() {
        assert!(utf8_locale_from(None, None, Some("en_US.UTF-8")));
        assert!(utf8_locale_from(None, None, Some("fr_FR.utf8")));
        assert!(utf8_locale_from(None, None, Some("C.Utf-8")));
        assert!(!utf8_locale_from(None, None, Some("C")));
        assert!(!utf8_locale_from(None, None, None));
        // LC_ALL wins over the others, either way.
        assert!(!utf8_locale_from(Some("C"), Some("en_US.UTF-8"), Some("en_US.UTF-8")));
        assert!(utf8_locale_from(Some("en_US.UTF-8"), Some("C"), Some("C")));
        // Then LC_CTYPE over LANG.
        assert!(!utf8_locale_from(None, Some("POSIX"), Some("en_US.UTF-8")));
        assert!(utf8_locale_from(None, Some("de_DE.UTF-8"), Some("C")));
        // Empty counts as unset.
        assert!(utf8_locale_from(Some(""), Some(""), Some("en_US.UTF-8")));
        assert!(!utf8_locale_from(Some(""), None, Some("latin1")));
    }

    #[test]
    fn restore_without_enter_is_a_no_op_and_can_repeat() {
        restore();
        restore();
    }

    #[test]
    fn restore_after_marking_entered_does_not_panic_without_a_tty() {
        // The tests run without a tty (or with one, under `cargo test` in a shell): either way
        // restore() must swallow every error and be repeatable.
        ENTERED.store(true, Ordering::SeqCst);
        restore();
        assert!(!ENTERED.load(Ordering::SeqCst));
        restore();
    }

    #[test]
    fn restore_sequences_blank_first_then_undo_everything_enter_may_turn_on() {
        let mut plain = Vec::new();
        write_restore_sequences(&mut plain, false).unwrap();
        let plain = String::from_utf8(plain).unwrap();
        assert!(plain.starts_with("\x1b[2J\x1b[H"), "blanked first: {plain:?}");
        assert!(!plain.contains("\x1b[3J"), "the operator's scrollback is kept: {plain:?}");
        let mut bytes = Vec::new();
        write_restore_sequences(&mut bytes, true).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("\x1b[2J\x1b[3J\x1b[H"), "saved lines erased after a secret: {text:?}");
        assert!(!text.contains("\x1b[6n"), "no cursor position query");
        let paste_off = text.find("\x1b[?2004l").expect("bracketed paste off");
        let mouse_off = text.find("\x1b[?1000l").expect("mouse capture off");
        let alt_off = text.find("\x1b[?1049l").expect("leave alternate screen");
        let cursor_on = text.find("\x1b[?25h").expect("cursor shown");
        assert!(paste_off < mouse_off && mouse_off < alt_off && alt_off < cursor_on);
    }
}
