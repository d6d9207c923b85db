//! OSC 52 byte sequences: `ESC ] 52 ; c ; <base64> BEL`, with the tmux and GNU screen wraps.
//!
//! Everything that holds the secret (its base64 form, the sequences) lives in `Zeroizing`
//! buffers allocated at their final size, so no unzeroized copy is left behind by a `Vec`
//! growing.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

const ESC: u8 = 0x1b;
const BEL: u8 = 0x07;
/// `ESC ] 52 ; c ;`: set the clipboard selection.
const PREFIX: &[u8] = b"\x1b]52;c;";
/// Start of a tmux passthrough DCS.
const TMUX_START: &[u8] = b"\x1bPtmux;";
/// Start of a GNU screen DCS.
const SCREEN_START: &[u8] = b"\x1bP";
/// String terminator, ends a DCS.
const ST: &[u8] = b"\x1b\\";
/// GNU screen (since 4.2.1) caps a string sequence at 768 bytes, `ESC P` and `ESC \` included.
pub const SCREEN_DCS_MAX: usize = 768;
/// hterm's `osc52.sh` and vim-oscyank refuse sequences longer than this; so do we.
pub const MAX_SEQUENCE: usize = 100_000;
/// What terminals do with an OSC 52 payload that is not a copy:
///
/// | payload        | xterm  | kitty          | WezTerm | iTerm2 | foot        | tmux (set-clipboard on) |
/// |----------------|--------|----------------|---------|--------|-------------|-------------------------|
/// | `!` (invalid)  | clears | clears, resets | ignores | empty  | clears/ign. | ignores, forwards none  |
/// | empty          | empty  | empty          | empty   | empty  | empty       | ignores, forwards none  |
/// | `?`            | replies with the clipboard (xterm, kitty, foot; tmux: its newest buffer) |
/// | `IA==` (space) | sets a space everywhere; tmux stores it as a buffer and forwards it     |
///
/// (kitty's "resets": older versions appended successive OSC 52 writes unless `!` came first.
/// foot: recent versions clear on an invalid payload, old ones ignore it.)
///
/// `?` must never be sent: the answer would type the clipboard into our own input. So the clear
/// is `!` then an empty payload: each terminal above honours at least one of them, and an old
/// kitty is reset before the empty write. Inside tmux neither reaches the outer terminal through
/// `set-clipboard`, so the raw form tmux reads is a single space (tmux keeps a buffer holding a
/// space and forwards it), and the passthrough form carries `!` and the empty payload to the
/// outer terminal unchanged when `allow-passthrough` is on.
const CLEAR_INVALID: &[u8] = b"!";
const CLEAR_EMPTY: &[u8] = b"";
/// The base64 of a single space: the only overwrite tmux forwards.
const CLEAR_SPACE: &[u8] = b"IA==";

/// How the sequence must be wrapped for the multiplexer we run in, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    /// Straight to the terminal.
    None,
    /// Inside tmux: the raw form (works with `set -g set-clipboard on`), then the passthrough
    /// form (works with `allow-passthrough on`). A duplicate is harmless.
    Tmux,
    /// Inside GNU screen: DCS passthrough, chunked.
    Screen,
}

/// The bytes that put `secret` into the terminal's clipboard, or `None` when the sequence
/// would be too long for terminals to accept ([`MAX_SEQUENCE`]).
pub fn copy_bytes(secret: &str, wrap: Wrap) -> Option<Zeroizing<Vec<u8>>> {
    let encoded_len = base64::encoded_len(secret.len(), true)?;
    if encoded_len > MAX_SEQUENCE {
        return None;
    }
    let mut payload = Zeroizing::new(String::with_capacity(encoded_len));
    STANDARD.encode_string(secret.as_bytes(), &mut payload);
    Some(wrapped(&sequence(payload.as_bytes()), wrap))
}

/// The bytes that clear the terminal's clipboard; `CLEAR_INVALID` says why these.
pub fn clear_bytes(wrap: Wrap) -> Zeroizing<Vec<u8>> {
    let clear = [sequence(CLEAR_INVALID).as_slice(), sequence(CLEAR_EMPTY).as_slice()].concat();
    match wrap {
        Wrap::None | Wrap::Screen => wrapped(&clear, wrap),
        Wrap::Tmux => {
            let mut bytes = sequence(CLEAR_SPACE);
            bytes.extend_from_slice(&passthrough(&clear));
            bytes
        }
    }
}

/// `ESC ] 52 ; c ; <payload> BEL`
fn sequence(payload: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(PREFIX.len() + payload.len() + 1));
    out.extend_from_slice(PREFIX);
    out.extend_from_slice(payload);
    out.push(BEL);
    out
}

fn wrapped(raw: &[u8], wrap: Wrap) -> Zeroizing<Vec<u8>> {
    match wrap {
        Wrap::None => Zeroizing::new(raw.to_vec()),
        Wrap::Tmux => {
            let passthrough = passthrough(raw);
            let mut out = Zeroizing::new(Vec::with_capacity(raw.len() + passthrough.len()));
            out.extend_from_slice(raw);
            out.extend_from_slice(&passthrough);
            out
        }
        Wrap::Screen => {
            let chunk_max = SCREEN_DCS_MAX - SCREEN_START.len() - ST.len();
            let chunks = raw.len().div_ceil(chunk_max);
            let len = raw.len() + chunks * (SCREEN_START.len() + ST.len());
            let mut out = Zeroizing::new(Vec::with_capacity(len));
            for chunk in raw.chunks(chunk_max) {
                out.extend_from_slice(SCREEN_START);
                out.extend_from_slice(chunk);
                out.extend_from_slice(ST);
            }
            out
        }
    }
}

/// tmux's passthrough DCS: `ESC P tmux ;` then `raw` with every ESC doubled, then ST.
fn passthrough(raw: &[u8]) -> Zeroizing<Vec<u8>> {
    let escapes = raw.iter().filter(|&&b| b == ESC).count();
    let mut out = Zeroizing::new(Vec::with_capacity(TMUX_START.len() + raw.len() + escapes + ST.len()));
    out.extend_from_slice(TMUX_START);
    for &byte in raw {
        if byte == ESC {
            out.push(ESC);
        }
        out.push(byte);
    }
    out.extend_from_slice(ST);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_raw(raw: &[u8]) -> Vec<u8> {
        let payload = raw
            .strip_prefix(b"\x1b]52;c;")
            .and_then(|rest| rest.strip_suffix(b"\x07"))
            .expect("ESC ] 52 ; c ; ... BEL");
        STANDARD.decode(payload).expect("standard base64")
    }

    #[test]
    fn raw_bytes_are_exact() {
        let bytes = copy_bytes("hunter2", Wrap::None).unwrap();
        assert_eq!(bytes.as_slice(), b"\x1b]52;c;aHVudGVyMg==\x07");
        assert_eq!(decode_raw(&bytes), b"hunter2");
    }

    #[test]
    fn tmux_sends_raw_then_wrapped_with_every_esc_doubled() {
        let bytes = copy_bytes("hunter2", Wrap::Tmux).unwrap();
        let raw: &[u8] = b"\x1b]52;c;aHVudGVyMg==\x07";
        let wrapped: &[u8] = b"\x1bPtmux;\x1b\x1b]52;c;aHVudGVyMg==\x07\x1b\\";
        assert_eq!(bytes.as_slice(), [raw, wrapped].concat().as_slice());
        // The inner sequence, un-doubled, is the raw one.
        let inner =
            wrapped.strip_prefix(b"\x1bPtmux;").and_then(|rest| rest.strip_suffix(b"\x1b\\")).unwrap();
        let mut undoubled = Vec::new();
        let mut i = 0;
        while i < inner.len() {
            undoubled.push(inner[i]);
            i += if inner[i] == ESC { 2 } else { 1 };
        }
        assert_eq!(undoubled, raw);
        assert_eq!(decode_raw(raw), b"hunter2");
    }

    #[test]
    fn screen_short_is_one_dcs() {
        let bytes = copy_bytes("hunter2", Wrap::Screen).unwrap();
        assert_eq!(bytes.as_slice(), b"\x1bP\x1b]52;c;aHVudGVyMg==\x07\x1b\\");
    }

    /// Splits a screen-wrapped stream back into its DCS bodies.
    fn screen_chunks(bytes: &[u8]) -> Vec<&[u8]> {
        let mut chunks = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            rest = rest.strip_prefix(b"\x1bP").expect("DCS start");
            let end = rest.windows(2).position(|w| w == b"\x1b\\").expect("DCS end");
            chunks.push(&rest[..end]);
            rest = &rest[end + 2..];
        }
        chunks
    }

    #[test]
    fn screen_long_is_chunked_at_768_bytes_per_dcs() {
        let secret: String = (0..1000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let bytes = copy_bytes(&secret, Wrap::Screen).unwrap();
        let chunks = screen_chunks(&bytes);
        assert!(chunks.len() >= 2);
        for chunk in &chunks {
            assert!(chunk.len() + 4 <= SCREEN_DCS_MAX);
        }
        assert!(chunks[..chunks.len() - 1].iter().all(|c| c.len() + 4 == SCREEN_DCS_MAX));
        let raw = chunks.concat();
        assert_eq!(decode_raw(&raw), secret.as_bytes());
    }

    #[test]
    fn non_ascii_round_trips() {
        let bytes = copy_bytes("pâss/wörd+=ü", Wrap::None).unwrap();
        assert_eq!(decode_raw(&bytes), "pâss/wörd+=ü".as_bytes());
    }

    #[test]
    fn clear_is_invalid_then_empty_and_a_space_for_tmux() {
        assert_eq!(clear_bytes(Wrap::None).as_slice(), b"\x1b]52;c;!\x07\x1b]52;c;\x07");
        assert_eq!(clear_bytes(Wrap::Screen).as_slice(), b"\x1bP\x1b]52;c;!\x07\x1b]52;c;\x07\x1b\\");
        // tmux reads the raw space (stored, forwarded); the outer terminal gets the passthrough.
        assert_eq!(
            clear_bytes(Wrap::Tmux).as_slice(),
            b"\x1b]52;c;IA==\x07\x1bPtmux;\x1b\x1b]52;c;!\x07\x1b\x1b]52;c;\x07\x1b\\"
        );
        assert_eq!(STANDARD.decode(CLEAR_SPACE).unwrap(), b" ");
        assert!(STANDARD.decode(CLEAR_INVALID).is_err());
        // Never a query: its answer would land in our own input.
        for wrap in [Wrap::None, Wrap::Screen, Wrap::Tmux] {
            assert!(!clear_bytes(wrap).windows(3).any(|w| w == b";?\x07"), "{wrap:?}");
        }
    }

    #[test]
    fn oversized_payload_is_refused() {
        let big = "x".repeat(MAX_SEQUENCE);
        assert!(copy_bytes(&big, Wrap::None).is_none());
        assert!(copy_bytes(&"x".repeat(1000), Wrap::None).is_some());
    }
}
