//! A paste is text, never keys. Two rules keep it so:
//!
//! - The terminal wraps a paste in `ESC[200~` … `ESC[201~`, and crossterm ends the paste at the
//!   first `ESC[201~` it sees. A pasted text holding that marker (a hostile web page, a file)
//!   ends the paste early, and crossterm parses what follows as keys: a carriage return became
//!   Enter and submitted a form. The runtime holds the events that follow a paste until the
//!   input pauses, and `burst` turns them back into the text they came from, marker included.
//! - Every field is one line: a paste holding a line break or another control character is
//!   refused as a whole, with a message, rather than silently changed. Only the line break
//!   that ends a copied line is left out (and the screen says so).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use secrecy::SecretString;

use super::msg::Msg;
use super::state::*;
use super::update::{error, info};

/// The end-of-paste marker, as the pasted text held it.
pub const END_MARKER: &str = "\u{1b}[201~";

/// Events kept at most after a paste: a bound on memory (each is one character or escape
/// sequence of the text; the refusal needs only the first).
pub const MAX_BURST: usize = 64 * 1024;

/// A bracketed paste and the events that followed it without a pause, as one paste. They were
/// the pasted text after an embedded `ESC[201~`: they become text again, never keys. Other events (a resize) need nothing: the
/// next draw takes the terminal's size.
pub fn burst(pasted: String, rest: Vec<Event>) -> Msg {
    let mut text = pasted;
    let mut cut = false;
    for event in rest {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                if !cut {
                    text.push_str(END_MARKER);
                    cut = true;
                }
                push_key(&mut text, key);
            }
            Event::Paste(more) => {
                // The text's own closing marker started a new paste: the marker pair is text.
                if !cut {
                    text.push_str(END_MARKER);
                    cut = true;
                }
                text.push_str("\u{1b}[200~");
                text.push_str(&more);
            }
            _ => {}
        }
    }
    Msg::Paste(SecretString::from(text))
}

/// The text a key was parsed from, near enough to refuse it for what it is.
fn push_key(text: &mut String, key: KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if key.modifiers.contains(KeyModifiers::ALT) {
        text.push('\u{1b}');
    }
    match key.code {
        KeyCode::Char(c) if ctrl && c.is_ascii_alphabetic() => {
            text.push(char::from(c.to_ascii_lowercase() as u8 - b'a' + 1))
        }
        KeyCode::Char(c) if !ctrl => text.push(c),
        KeyCode::Enter => text.push('\r'),
        KeyCode::Tab | KeyCode::BackTab => text.push('\t'),
        KeyCode::Backspace => text.push('\u{7f}'),
        KeyCode::Esc => text.push('\u{1b}'),
        // Arrows, function keys and the like came from an escape sequence in the text.
        _ => text.push_str("\u{1b}[?"),
    }
}

/// The text without the one line break that ends a copied line, and whether it had one.
pub fn without_final_break(text: &str) -> (&str, bool) {
    let kept = ["\r\n", "\n", "\r"].iter().find_map(|end| text.strip_suffix(end));
    (kept.unwrap_or(text), kept.is_some())
}

/// Why a paste is refused, if it is: every field takes one line of printable text.
pub fn refusal(text: &str) -> Option<&'static str> {
    if text.contains(END_MARKER) {
        Some(
            "Paste refused: it held an end-of-paste marker (ESC[201~) and more after it. \
             Nothing was typed or sent.",
        )
    } else if text.contains(['\r', '\n']) {
        Some("Paste refused: it holds a line break and a field takes one line. Nothing was inserted.")
    } else if text.chars().any(char::is_control) {
        Some("Paste refused: it holds control characters. Nothing was inserted.")
    } else {
        None
    }
}

/// Puts a paste into the field being edited, whole, or refuses it whole and says why. The line
/// break that ends a copied line is left out, and the screen says so.
pub(super) fn on_paste(state: &mut State, text: &str) {
    let (text, had_break) = without_final_break(text);
    if let Some(why) = refusal(text) {
        if state.modal.is_none() && state.on_token() {
            state.token.problem = Some(why.to_owned());
        } else {
            error(state, why);
        }
        return;
    }
    let field = match &mut state.modal {
        Some(Modal::CreateUser(form)) if form.pending.is_none() => match form.focus {
            CreateField::Name => Some(&mut form.name),
            CreateField::Password => Some(&mut form.password),
            CreateField::Confirmation => Some(&mut form.confirmation),
            CreateField::Access => None,
        },
        Some(Modal::SetPassword(form)) if form.pending.is_none() => Some(match form.focus {
            PasswordField::Password => &mut form.password,
            PasswordField::Confirmation => &mut form.confirmation,
        }),
        Some(Modal::Confirm(form)) if form.pending.is_none() => Some(&mut form.typed),
        None if matches!(state.screen, Screen::Token) => Some(&mut state.token.input),
        None => state.list_mut().filter(|l| l.filter_editing).map(|l| &mut l.filter),
        Some(Modal::NewRule(form)) if form.pending.is_none() => form.focused_input(),
        Some(Modal::RuleLabel(form)) if form.pending.is_none() => Some(&mut form.label),
        _ => None,
    };
    let Some(field) = field else { return };
    field.paste(text);
    if had_break {
        info(state, "Pasted without its final line break: a field takes one line.");
    }
    // A pasted filter narrows the list: start again from its first row.
    if state.modal.is_none()
        && let Some(list) = state.list_mut().filter(|l| l.filter_editing)
    {
        list.selected = 0;
    }
}
