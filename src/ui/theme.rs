//! Styles and symbols. The default theme uses only the 16 named ANSI colours, so it follows the
//! operator's palette. Under `NO_COLOR` every colour is `Reset` and state is carried by bold,
//! reverse and `>` markers (crossterm 0.29 resets modifiers along with colours there). Outside a
//! UTF-8 locale the symbols are plain ASCII.

use std::borrow::Cow;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone)]
pub struct Theme {
    pub text: Style,
    pub muted: Style,
    pub title: Style,
    pub tab_active: Style,
    pub selected: Style,
    pub key: Style,
    pub key_disabled: Style,
    pub ok: Style,
    pub warn: Style,
    pub danger: Style,
    pub border: Style,
    pub border_focused: Style,
    pub field_focused: Style,
    pub demo: Style,
    pub symbols: Symbols,
}

#[derive(Debug, Clone)]
pub struct Symbols {
    pub spinner: &'static [&'static str],
    pub mask: char,
    pub checked: &'static str,
    pub unchecked: &'static str,
    pub selected: &'static str,
    pub border: border::Set<'static>,
    pub ellipsis: &'static str,
}

const UTF8: Symbols = Symbols {
    spinner: &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
    mask: '•',
    checked: "[x]",
    unchecked: "[ ]",
    selected: "> ",
    border: border::ROUNDED,
    ellipsis: "…",
};

const ASCII: Symbols = Symbols {
    spinner: &["|", "/", "-", "\\"],
    mask: '*',
    checked: "[x]",
    unchecked: "[ ]",
    selected: "> ",
    border: border::Set {
        top_left: "+",
        top_right: "+",
        bottom_left: "+",
        bottom_right: "+",
        vertical_left: "|",
        vertical_right: "|",
        horizontal_top: "-",
        horizontal_bottom: "-",
    },
    ellipsis: "...",
};

impl Theme {
    pub fn new(no_color: bool, utf8: bool) -> Theme {
        let symbols = if utf8 { UTF8 } else { ASCII };
        if no_color { Theme::monochrome(symbols) } else { Theme::ansi16(symbols) }
    }

    fn ansi16(symbols: Symbols) -> Theme {
        let fg = |c: Color| Style::new().fg(c);
        Theme {
            text: Style::new(),
            muted: fg(Color::DarkGray),
            title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            tab_active: fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            key_disabled: fg(Color::DarkGray).add_modifier(Modifier::CROSSED_OUT),
            ok: fg(Color::Green),
            warn: fg(Color::Yellow),
            danger: fg(Color::Red).add_modifier(Modifier::BOLD),
            border: fg(Color::DarkGray),
            border_focused: fg(Color::Cyan),
            field_focused: Style::new().add_modifier(Modifier::UNDERLINED),
            demo: fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
            symbols,
        }
    }

    fn monochrome(symbols: Symbols) -> Theme {
        let plain = Style::new().fg(Color::Reset).bg(Color::Reset);
        let bold = plain.add_modifier(Modifier::BOLD);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        Theme {
            text: plain,
            muted: plain,
            title: bold,
            tab_active: reversed,
            selected: reversed,
            key: bold,
            key_disabled: plain.add_modifier(Modifier::CROSSED_OUT),
            ok: plain,
            warn: bold,
            danger: bold,
            border: plain,
            border_focused: bold,
            field_focused: plain.add_modifier(Modifier::UNDERLINED),
            demo: reversed,
            symbols,
        }
    }

    /// `text` with each `…` written as this theme's ellipsis (`...` in ASCII). Messages are
    /// written by the app, which does not know the locale: the ui spells them when drawing.
    pub fn spelled<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.symbols.ellipsis == UTF8.ellipsis || !text.contains(UTF8.ellipsis) {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text.replace(UTF8.ellipsis, self.symbols.ellipsis))
        }
    }

    /// A key's label from the key table (`k/↑`), with the arrows written `Up` and `Down` in ASCII.
    pub fn key_label<'a>(&self, label: &'a str) -> Cow<'a, str> {
        if self.symbols.ellipsis == UTF8.ellipsis || label.is_ascii() {
            Cow::Borrowed(label)
        } else {
            Cow::Owned(label.replace('↑', "Up").replace('↓', "Down"))
        }
    }

    pub fn spinner(&self, frame: usize) -> &'static str {
        self.symbols.spinner[frame % self.symbols.spinner.len()]
    }
}
