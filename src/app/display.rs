//! How text that came from the server is drawn, and typed back to confirm: one sanitiser.
//!
//! A name may hold characters a terminal does not show as themselves: control characters (C0,
//! DEL, C1: ratatui drops them silently, so `ali\x07ce` would look like `alice`), bidi overrides
//! and isolates (which reorder what follows), zero-width characters and the BOM. Each is shown
//! as an escape such as `\u{202e}`, and a backslash as `\\`, so that two different names never
//! look the same and what the screen shows can be typed back exactly.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is drawn as an escape rather than as itself.
pub fn is_hidden(c: char) -> bool {
    matches!(c,
        // C0, DEL and C1 control characters.
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Soft hyphen, combining grapheme joiner, Arabic letter mark: invisible.
        | '\u{ad}' | '\u{34f}' | '\u{61c}'
        // Hangul fillers and Khmer vowels that draw as blanks; Mongolian selectors.
        | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}' | '\u{3164}' | '\u{ffa0}'
        // Zero-width space, non-joiner, joiner; left-to-right and right-to-left marks.
        | '\u{200b}'..='\u{200f}'
        // Line and paragraph separators; bidi embeddings and overrides.
        | '\u{2028}'..='\u{202e}'
        // Word joiner, invisible operators, bidi isolates, deprecated format characters.
        | '\u{2060}'..='\u{206f}'
        // Byte order mark (zero-width no-break space); interlinear annotations.
        | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        // Tag characters.
        | '\u{e0000}'..='\u{e007f}'
    )
}

/// `text` as it is drawn: hidden characters as `\u{…}`, a backslash as `\\`. Borrowed when
/// there is nothing to escape, which is the common case.
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || is_hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `word` as one argument of a suggested shell command: bare when made only of characters no
/// shell treats specially, else single-quoted (a `'` inside as `'\''`).
pub fn shell_word(word: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-.,:/@%+=".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        return Cow::Borrowed(word);
    }
    Cow::Owned(format!("'{}'", word.replace('\'', r"'\''")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hidden_characters_are_escaped_and_plain_text_is_kept() {
        assert!(matches!(shown("alice_01"), Cow::Borrowed("alice_01")));
        assert_eq!(shown("évé 名前"), "évé 名前");
        assert_eq!(shown("ad\u{202e}nimda"), r"ad\u{202e}nimda");
        assert_eq!(shown("a\u{200b}b\u{feff}"), r"a\u{200b}b\u{feff}");
        assert_eq!(shown("x\u{2066}y\u{2069}"), r"x\u{2066}y\u{2069}");
        assert_eq!(shown("ali\u{7}ce\u{1b}[2J\u{7f}\u{9b}"), r"ali\u{7}ce\u{1b}[2J\u{7f}\u{9b}");
        assert_eq!(shown(r"a\b"), r"a\\b");
    }

    #[test]
    fn every_listed_range_is_hidden() {
        for c in
            ['\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200b}', '\u{200f}', '\u{feff}', '\u{85}']
        {
            assert!(is_hidden(c), "{:x}", u32::from(c));
        }
        for c in ['a', 'é', ' ', '-', '名', '\u{301}'] {
            assert!(!is_hidden(c), "{:x}", u32::from(c));
        }
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("shop-prod"), "shop-prod");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("x;rm -rf ~"), "'x;rm -rf ~'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$(id)`id`"), "'$(id)`id`'");
        assert_eq!(shell_word(""), "''");
    }

    proptest! {
        /// Two different names never look the same, and nothing hidden is left.
        #[test]
        fn shown_is_one_to_one_and_visible(a in "\\PC{0,8}|[a\\\\{}u\u{202e}\u{200b}\u{7}]{0,8}",
                                           b in "[a\\\\{}u\u{202e}\u{200b}\u{7}0-9]{0,8}") {
            prop_assert!(!shown(&a).chars().any(is_hidden));
            if a != b {
                prop_assert_ne!(shown(&a), shown(&b));
            }
        }
    }
}
