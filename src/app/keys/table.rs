//! The bindings themselves: one row per key (or keys) and context.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Action, Context, Key};

const fn key(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}
const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in the footer and the help.
    pub shown: &'static str,
    pub action: Action,
    pub label: &'static str,
    /// Whether the action changes the database (off under `--read-only`).
    pub changes: bool,
    /// How much the footer wants it: higher stays when the width runs short; 0 only in the help.
    pub priority: u8,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    shown: &'static str,
    action: Action,
    label: &'static str,
    priority: u8,
) -> Binding {
    Binding { context, keys, shown, action, label, changes: action.mutates(), priority }
}

use Context as C;

pub static BINDINGS: &[Binding] = &[
    bind(C::Users, &[ch('n')], "n", Action::NewUser, "new user", 6),
    bind(C::Users, &[ch('p')], "p", Action::ResetPassword, "reset pw", 5),
    bind(C::Users, &[ch('s')], "s", Action::SetPassword, "set pw", 5),
    bind(C::Users, &[ch('d')], "d", Action::DeleteUser, "delete", 6),
    bind(C::List, &[ch('k'), key(KeyCode::Up)], "k/↑", Action::Up, "up", 0),
    bind(C::List, &[ch('j'), key(KeyCode::Down)], "j/↓", Action::Down, "down", 0),
    bind(C::List, &[ch('g'), key(KeyCode::Home)], "g/Home", Action::Top, "first", 0),
    bind(C::List, &[ch('G'), key(KeyCode::End)], "G/End", Action::Bottom, "last", 0),
    bind(C::List, &[key(KeyCode::PageUp)], "PgUp", Action::PageUp, "page up", 0),
    bind(C::List, &[key(KeyCode::PageDown)], "PgDn", Action::PageDown, "page down", 0),
    bind(C::List, &[ch('/')], "/", Action::Filter, "filter", 4),
    bind(C::List, &[ch('r')], "r", Action::Refresh, "refresh", 3),
    bind(C::Global, &[key(KeyCode::Tab)], "Tab", Action::NextTab, "next tab", 0),
    bind(C::Global, &[key(KeyCode::BackTab)], "S-Tab", Action::PrevTab, "previous tab", 0),
    bind(C::Global, &[ch('1')], "1", Action::GoTab(0), "Users", 0),
    bind(C::Global, &[ch('2')], "2", Action::GoTab(1), "Extensions", 0),
    bind(C::Global, &[ch('3')], "3", Action::GoTab(2), "Internet Access", 0),
    bind(C::Global, &[ch('?')], "?", Action::Help, "help", 9),
    bind(C::Global, &[ch('q')], "q", Action::Quit, "quit", 8),
    bind(C::Global, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "dismiss message / clear filter", 0),
    bind(C::Filter, &[key(KeyCode::Enter)], "Enter", Action::Submit, "keep filter", 9),
    bind(C::Filter, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "clear filter", 9),
    bind(C::Form, &[key(KeyCode::Tab), key(KeyCode::Down)], "Tab", Action::NextField, "next field", 7),
    bind(
        C::Form,
        &[key(KeyCode::BackTab), key(KeyCode::Up)],
        "S-Tab",
        Action::PrevField,
        "previous field",
        0,
    ),
    bind(C::Form, &[ch(' ')], "Space", Action::Toggle, "toggle or choose", 6),
    bind(C::Form, &[key(KeyCode::Enter)], "Enter", Action::Submit, "submit", 9),
    bind(C::Form, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", 9),
    bind(C::Confirm, &[key(KeyCode::Enter)], "Enter", Action::Submit, "confirm", 9),
    bind(C::Confirm, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", 9),
    bind(C::Reveal, &[ch('c'), ch('y')], "c", Action::Copy, "copy to clipboard", 8),
    bind(C::Reveal, &[ch('u')], "u", Action::CopyUrl, "copy the connection URL", 7),
    // q would drop the only copy of a generated password: it asks for Enter first.
    bind(C::Reveal, &[ch('q')], "q", Action::Quit, "quit", 2),
    bind(C::Reveal, &[key(KeyCode::Enter)], "Enter", Action::Close, "close (the password is then gone)", 9),
    bind(
        C::Help,
        &[key(KeyCode::Esc), ch('?'), ch('q'), key(KeyCode::Enter)],
        "Esc",
        Action::Close,
        "close help",
        9,
    ),
    bind(C::Global, &[ctrl('c')], "Ctrl-C", Action::Quit, "quit, from anywhere", 0),
    bind(C::Extensions, &[ch('e')], "e", Action::EnableExtension, "enable", 6),
    bind(C::Extensions, &[ch('d')], "d", Action::DisableExtension, "disable", 6),
    bind(C::Extensions, &[ch('K')], "K", Action::TrustHostKey, "trust the SSH host key shown", 0),
    bind(C::ConfirmEnable, &[key(KeyCode::Enter)], "Enter", Action::Submit, "enable", 9),
    bind(C::ConfirmEnable, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", 9),
    bind(C::Internet, &[ch('t')], "t", Action::ToggleTls, "TLS on/off", 6),
    bind(C::Internet, &[ch('i')], "i", Action::ToggleInternet, "Internet on/off", 6),
    bind(C::Internet, &[ch('r')], "r", Action::Refresh, "refresh", 3),
    bind(C::Firewall, &[ch('n')], "n", Action::NewRule, "new rule", 6),
    bind(C::Firewall, &[ch('d')], "d", Action::DeleteRule, "delete rule", 6),
    bind(C::Firewall, &[ch('l')], "l", Action::EditLabel, "label", 4),
    bind(C::Ask, &[key(KeyCode::Enter)], "Enter", Action::Submit, "confirm", 9),
    bind(C::Ask, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", 9),
    bind(C::Picker, &[key(KeyCode::Enter)], "Enter", Action::Open, "open", 7),
    bind(C::Dashboard, &[ch('o')], "o", Action::OtherDatabase, "databases", 7),
    bind(C::Dashboard, &[ch('J')], "J", Action::Journal, "journal", 2),
    bind(C::Dashboard, &[ch('C')], "C", Action::Console, "SQL console", 2),
    bind(C::Journal, &[ch('k'), key(KeyCode::Up)], "k/↑", Action::Up, "older", 9),
    bind(C::Journal, &[ch('j'), key(KeyCode::Down)], "j/↓", Action::Down, "newer", 9),
    bind(
        C::Journal,
        &[key(KeyCode::Esc), ch('J'), ch('q'), key(KeyCode::Enter)],
        "Esc",
        Action::Close,
        "close",
        9,
    ),
    bind(C::Token, &[key(KeyCode::Enter)], "Enter", Action::Submit, "use this token (this run only)", 9),
    bind(C::Token, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "clear", 9),
    bind(C::Token, &[ctrl('c')], "Ctrl-C", Action::Quit, "quit", 9),
];
