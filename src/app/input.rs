//! A one-line text field on top of ratatui-textarea's editor (cursor moves, word deletes, undo).
//! Masked fields keep no undo history and their text is wiped when dropped (best effort: the
//! editor may have reallocated while typing): it is a password.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;
use secrecy::SecretString;
use zeroize::Zeroize;

#[derive(Clone, Default)]
pub struct TextInput {
    editor: TextArea<'static>,
    masked: bool,
}

impl TextInput {
    pub fn plain() -> Self {
        TextInput { editor: TextArea::default(), masked: false }
    }

    pub fn masked() -> Self {
        let mut editor = TextArea::default();
        editor.set_max_histories(0);
        TextInput { editor, masked: true }
    }

    pub fn is_masked(&self) -> bool {
        self.masked
    }

    pub fn value(&self) -> &str {
        &self.editor.lines()[0]
    }

    /// Whether the text is `name` as the screen shows it (`display::shown`), byte for byte;
    /// never for an empty `name` (a type-to-confirm whose target is missing must stay inert).
    /// A name with hidden characters is then confirmed by typing their escapes, and two names
    /// that differ only by them are never confirmed by the same text.
    pub fn confirms(&self, name: &str) -> bool {
        !name.is_empty() && self.value().as_bytes() == super::display::shown(name).as_bytes()
    }

    /// Cursor position in characters from the start of the text.
    pub fn cursor(&self) -> usize {
        self.editor.cursor().1
    }

    /// Empties the field. A masked field gets a fresh editor, its old text wiped, so neither
    /// the kill buffer nor the undo history keeps the password.
    pub fn clear(&mut self) -> bool {
        if self.value().is_empty() {
            return false;
        }
        if self.masked {
            // Dropping the old field wipes it (see `Drop`).
            drop(std::mem::replace(self, TextInput::masked()));
            return true;
        }
        self.editor.clear()
    }

    /// Feeds one key to the editor. Keys that would add a line are dropped; Ctrl-U clears the
    /// field, as in a shell (the editor would undo, which a masked field cannot). Returns
    /// whether the text changed.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('u') {
            return self.clear();
        }
        let newline = matches!(key.code, KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab)
            || (key.modifiers.contains(KeyModifiers::CONTROL)
                && matches!(key.code, KeyCode::Char('m' | 'j')));
        if newline {
            return false;
        }
        self.editor.input(key)
    }

    /// Inserts pasted text with line breaks and control characters removed.
    pub fn paste(&mut self, text: &str) -> bool {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        self.editor.insert_str(clean)
    }

    /// Copies the text into a secret; the field keeps its text until it is dropped.
    pub fn to_secret(&self) -> SecretString {
        SecretString::from(self.value().to_owned())
    }
}

/// Never the text: a field may hold a password.
impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let chars = self.value().chars().count();
        f.debug_struct("TextInput").field("masked", &self.masked).field("chars", &chars).finish()
    }
}

impl Drop for TextInput {
    fn drop(&mut self) {
        if self.masked {
            // Best effort: the editor may have reallocated while typing.
            self.editor.set_yank_text(String::new());
            for mut line in std::mem::take(&mut self.editor).into_lines() {
                line.zeroize();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut TextInput, code: KeyCode) -> bool {
        input.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn typing_editing_and_no_newlines() {
        let mut field = TextInput::plain();
        for c in "alice".chars() {
            press(&mut field, KeyCode::Char(c));
        }
        assert!(!press(&mut field, KeyCode::Enter));
        assert_eq!(field.value(), "alice");
        press(&mut field, KeyCode::Backspace);
        assert_eq!(field.value(), "alic");
        assert_eq!(field.cursor(), 4);
        field.paste("e\n_x\u{1b}y");
        assert_eq!(field.value(), "alice_xy");
    }

    #[test]
    fn ctrl_u_clears_plain_and_masked_fields() {
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        for mut field in [TextInput::plain(), TextInput::masked()] {
            field.paste("correct horse battery staple");
            press(&mut field, KeyCode::Left);
            assert!(field.handle_key(ctrl_u), "masked: {}", field.is_masked());
            assert_eq!(field.value(), "", "masked: {}", field.is_masked());
            assert_eq!(field.cursor(), 0);
            assert!(!field.handle_key(ctrl_u), "nothing left to clear");
            press(&mut field, KeyCode::Char('x'));
            assert_eq!(field.value(), "x", "the field still takes typing");
        }
    }
}
