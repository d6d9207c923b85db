//! What a `Clipboard` dropped without `on_quit` still clears.

use std::sync::mpsc as std_mpsc;

use super::{Channel, Clipboard, QUIT_WAIT, native};

impl Drop for Clipboard {
    /// Without [`on_quit`](Clipboard::on_quit): the worker still clears the native clipboard
    /// if it holds our secret (without waiting here), and tmux's copies are deleted (waiting at
    /// most [`QUIT_WAIT`]); OSC 52 bytes can no longer be written.
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.abort();
        }
        let tmux_copies = std::mem::take(&mut self.lock_shared().tmux_copies);
        if let Channel::Osc52(wrap) = self.channel
            && !tmux_copies.is_empty()
        {
            self.place.after_clear(wrap, &tmux_copies, QUIT_WAIT);
        }
        if let Some(handle) = self.native.take() {
            let (reply, _) = std_mpsc::channel();
            let _ = handle.requests.send(native::Request::Quit { reply });
        }
    }
}
