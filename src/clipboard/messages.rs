//! The texts the operator reads about copies and clears.

use super::Wrap;
use super::tmux::Outcome;
use std::time::Duration;

/// Mode `off`.
pub const NOT_COPIED_OFF: &str = "Not copied (clipboard off): select the password by hand";
/// Mode `native` and the native clipboard failed.
pub const NOT_COPIED_UNAVAILABLE: &str = "Not copied (no clipboard available): select the password by hand";
/// Too long for OSC 52 (never for a password).
pub const NOT_COPIED_TOO_LONG: &str = "Not copied (too long for the terminal's clipboard): select it by hand";
/// The native clipboard still held the secret and was cleared.
pub const CLEARED_NATIVE: &str = "Clipboard cleared";
/// The native clipboard changed since the copy and was left alone.
pub const NOT_CLEARED_CHANGED: &str = "Clipboard not cleared: it no longer holds the password";
/// Reading back or clearing failed.
pub const CLEAR_FAILED: &str = "Could not clear the clipboard: check it by hand";
/// An OSC 52 clear was sent, outside tmux and SSH.
pub const CLEARED_OSC52: &str = "Sent a clear to your terminal's clipboard (cannot be checked)";
/// Over SSH outside tmux: a tmux around the operator's terminal is on their machine.
pub const CLEARED_OSC52_SSH: &str =
    "Terminal clear sent; tmux buffers on your laptop can't be cleared from here";
/// Inside tmux, when its buffers could not all be checked.
pub const TMUX_NOT_CLEARED: &str = "tmux buffers NOT cleared: see `tmux list-buffers`; terminal clear sent";
/// Appended under tmux.
pub const TMUX_HINT: &str = " (in tmux this needs `set -g set-clipboard on`)";

/// "30 s", "1.5 s", "250 ms".
pub fn duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) && d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else if d >= Duration::from_secs(1) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The native clipboard accepted the text.
pub fn copied_native(clear_after: Duration) -> String {
    format!("Copied to the clipboard; cleared in {}", duration(clear_after))
}

/// OSC 52 bytes were handed to the app.
pub fn sent_osc52(clear_after: Duration, wrap: Wrap) -> String {
    let hint = if wrap == Wrap::Tmux { TMUX_HINT } else { "" };
    format!(
        "Sent to your terminal's clipboard (OSC 52): paste to check; cleared in {}{hint}",
        duration(clear_after)
    )
}

/// What an OSC 52 clear did: `tmux` is the outcome inside tmux (`None` outside). Each text fits
/// the status line at 80 columns.
pub(crate) fn cleared_osc52(tmux: Option<Outcome>, ssh: bool) -> String {
    const TERMINAL: &str = "terminal clear sent (cannot be checked)";
    match tmux {
        Some(Outcome { complete: false, .. }) => TMUX_NOT_CLEARED.to_owned(),
        Some(Outcome { deleted: 0, .. }) => format!("No tmux buffer held it; {TERMINAL}"),
        Some(Outcome { deleted: 1, .. }) => format!("Deleted 1 tmux paste buffer; {TERMINAL}"),
        Some(Outcome { deleted, .. }) => format!("Deleted {deleted} tmux paste buffers; {TERMINAL}"),
        None if ssh => CLEARED_OSC52_SSH.to_owned(),
        None => CLEARED_OSC52.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAR: Duration = Duration::from_secs(30);

    #[test]
    fn messages_are_exact() {
        assert_eq!(copied_native(CLEAR), "Copied to the clipboard; cleared in 30 s");
        assert_eq!(
            sent_osc52(CLEAR, Wrap::None),
            "Sent to your terminal's clipboard (OSC 52): paste to check; cleared in 30 s"
        );
        assert_eq!(
            sent_osc52(CLEAR, Wrap::Screen),
            "Sent to your terminal's clipboard (OSC 52): paste to check; cleared in 30 s"
        );
        assert_eq!(
            sent_osc52(Duration::from_secs(45), Wrap::Tmux),
            "Sent to your terminal's clipboard (OSC 52): paste to check; cleared in 45 s \
             (in tmux this needs `set -g set-clipboard on`)"
        );
        assert_eq!(NOT_COPIED_OFF, "Not copied (clipboard off): select the password by hand");
        assert_eq!(duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(duration(Duration::from_millis(250)), "250 ms");
    }

    #[test]
    fn a_clear_says_what_was_cleared_and_what_could_not_be() {
        let done = |deleted| Some(Outcome { deleted, complete: true });
        let cases = [
            (done(1), false, "Deleted 1 tmux paste buffer; terminal clear sent (cannot be checked)"),
            (done(2), true, "Deleted 2 tmux paste buffers; terminal clear sent (cannot be checked)"),
            (done(0), false, "No tmux buffer held it; terminal clear sent (cannot be checked)"),
            (Some(Outcome { deleted: 1, complete: false }), false, TMUX_NOT_CLEARED),
            (Some(Outcome::UNKNOWN), true, TMUX_NOT_CLEARED),
            (None, true, "Terminal clear sent; tmux buffers on your laptop can't be cleared from here"),
            (None, false, "Sent a clear to your terminal's clipboard (cannot be checked)"),
        ];
        for (tmux, ssh, expected) in cases {
            assert_eq!(cleared_osc52(tmux, ssh), expected);
        }
        assert!(TMUX_NOT_CLEARED.starts_with("tmux buffers NOT cleared"));
        // One line of the status bar at 80 columns (it starts with a space), even for many buffers.
        for text in [cleared_osc52(done(50), false), TMUX_NOT_CLEARED.into(), CLEARED_OSC52_SSH.into()] {
            assert!(text.chars().count() <= 78, "{text}");
        }
    }
}
