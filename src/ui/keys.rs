//! The one key table. `update` dispatches through it, the footer shows its short entries for the
//! current context, and the `?` overlay lists all of it, so a key can never do one thing and be
//! documented as another.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard is: each modal owns it while open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Anywhere outside a modal and outside a text input.
    Global,
    /// Any tab's table: moving the selection, filtering, refreshing.
    List,
    Users,
    Filter,
    Form,
    Confirm,
    Reveal,
    Help,
    Extensions,
    /// The confirm modal of enabling an extension.
    ConfirmEnable,
    /// The Internet Access tab of a shared-resources database.
    Internet,
    /// The Internet Access tab of a dedicated database: its firewall rules.
    Firewall,
    /// A yes/no question (turning a feature on or off).
    Ask,
    /// The list of databases.
    Picker,
    /// Any tab of an open database.
    Dashboard,
    /// The first screen, when no API token was found.
    Token,
    /// The journal overlay.
    Journal,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Lists",
            Context::Users => "Users tab",
            Context::Filter => "Filter (after /)",
            Context::Form => "Forms",
            Context::Confirm => "Type-to-confirm",
            Context::Reveal => "Password reveal",
            Context::Help => "Help",
            Context::Extensions => "Extensions tab",
            Context::ConfirmEnable => "Enable an extension",
            Context::Internet => "Internet Access",
            Context::Firewall => "Firewall rules",
            Context::Ask => "Questions",
            Context::Picker => "Databases",
            Context::Dashboard => "Dashboard",
            Context::Token => "Token",
            Context::Journal => "Journal",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTab(usize),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Filter,
    Refresh,
    NewUser,
    ResetPassword,
    SetPassword,
    DeleteUser,
    NextField,
    PrevField,
    Toggle,
    Submit,
    Cancel,
    Copy,
    Close,
    EnableExtension,
    DisableExtension,
    ToggleTls,
    ToggleInternet,
    NewRule,
    DeleteRule,
    /// A custom firewall rule's label.
    EditLabel,
    /// Open the selected database (picker).
    Open,
    /// Back to the picker, to open another database.
    OtherDatabase,
    /// This database's recent changes, from the journal.
    Journal,
}

impl Action {
    /// Actions that change the database: off under `--read-only`.
    pub fn mutates(self) -> bool {
        matches!(self, Action::NewUser | Action::ResetPassword | Action::SetPassword | Action::DeleteUser)
            || matches!(self, Action::EnableExtension | Action::DisableExtension)
            || matches!(
                self,
                Action::ToggleTls
                    | Action::ToggleInternet
                    | Action::NewRule
                    | Action::DeleteRule
                    | Action::EditLabel
            )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

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
    /// Shown in the footer (the help shows every binding).
    pub footer: bool,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    shown: &'static str,
    action: Action,
    label: &'static str,
    footer: bool,
) -> Binding {
    Binding { context, keys, shown, action, label, footer }
}

use Context as C;

pub static BINDINGS: &[Binding] = &[
    bind(C::Users, &[ch('n')], "n", Action::NewUser, "new user", true),
    bind(C::Users, &[ch('p')], "p", Action::ResetPassword, "reset pw", true),
    bind(C::Users, &[ch('s')], "s", Action::SetPassword, "set pw", true),
    bind(C::Users, &[ch('d')], "d", Action::DeleteUser, "delete", true),
    bind(C::List, &[ch('k'), key(KeyCode::Up)], "k/↑", Action::Up, "up", false),
    bind(C::List, &[ch('j'), key(KeyCode::Down)], "j/↓", Action::Down, "down", false),
    bind(C::List, &[ch('g'), key(KeyCode::Home)], "g/Home", Action::Top, "first", false),
    bind(C::List, &[ch('G'), key(KeyCode::End)], "G/End", Action::Bottom, "last", false),
    bind(C::List, &[key(KeyCode::PageUp)], "PgUp", Action::PageUp, "page up", false),
    bind(C::List, &[key(KeyCode::PageDown)], "PgDn", Action::PageDown, "page down", false),
    bind(C::List, &[ch('/')], "/", Action::Filter, "filter", true),
    bind(C::List, &[ch('r')], "r", Action::Refresh, "refresh", true),
    bind(C::Global, &[key(KeyCode::Tab)], "Tab", Action::NextTab, "next tab", false),
    bind(C::Global, &[key(KeyCode::BackTab)], "S-Tab", Action::PrevTab, "previous tab", false),
    bind(C::Global, &[ch('1')], "1", Action::GoTab(0), "Users", false),
    bind(C::Global, &[ch('2')], "2", Action::GoTab(1), "Extensions", false),
    bind(C::Global, &[ch('3')], "3", Action::GoTab(2), "Internet Access", false),
    bind(C::Global, &[ch('?')], "?", Action::Help, "help", true),
    bind(C::Global, &[ch('q')], "q", Action::Quit, "quit", true),
    bind(C::Global, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "dismiss message / clear filter", false),
    bind(C::Filter, &[key(KeyCode::Enter)], "Enter", Action::Submit, "keep filter", true),
    bind(C::Filter, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "clear filter", true),
    bind(C::Form, &[key(KeyCode::Tab), key(KeyCode::Down)], "Tab", Action::NextField, "next field", true),
    bind(
        C::Form,
        &[key(KeyCode::BackTab), key(KeyCode::Up)],
        "S-Tab",
        Action::PrevField,
        "previous field",
        false,
    ),
    bind(C::Form, &[ch(' ')], "Space", Action::Toggle, "toggle or choose", true),
    bind(C::Form, &[key(KeyCode::Enter)], "Enter", Action::Submit, "submit", true),
    bind(C::Form, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", true),
    bind(
        C::Confirm,
        &[key(KeyCode::Enter)],
        "Enter",
        Action::Submit,
        "confirm (once the name matches)",
        true,
    ),
    bind(C::Confirm, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", true),
    bind(C::Reveal, &[ch('c'), ch('y')], "c", Action::Copy, "copy to clipboard", true),
    bind(
        C::Reveal,
        &[key(KeyCode::Enter)],
        "Enter",
        Action::Close,
        "close (the password is then gone)",
        true,
    ),
    bind(
        C::Help,
        &[key(KeyCode::Esc), ch('?'), ch('q'), key(KeyCode::Enter)],
        "Esc",
        Action::Close,
        "close help",
        true,
    ),
    bind(C::Global, &[ctrl('c')], "Ctrl-C", Action::Quit, "quit, from anywhere", false),
    bind(C::Extensions, &[ch('e')], "e", Action::EnableExtension, "enable", true),
    bind(C::Extensions, &[ch('d')], "d", Action::DisableExtension, "disable", true),
    bind(C::ConfirmEnable, &[key(KeyCode::Enter)], "Enter", Action::Submit, "enable", true),
    bind(C::ConfirmEnable, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", true),
    bind(C::Internet, &[ch('t')], "t", Action::ToggleTls, "TLS on/off", true),
    bind(C::Internet, &[ch('i')], "i", Action::ToggleInternet, "Internet on/off", true),
    bind(C::Internet, &[ch('r')], "r", Action::Refresh, "refresh", true),
    bind(C::Firewall, &[ch('n')], "n", Action::NewRule, "new rule", true),
    bind(C::Firewall, &[ch('d')], "d", Action::DeleteRule, "delete rule", true),
    bind(C::Firewall, &[ch('l')], "l", Action::EditLabel, "label", true),
    bind(C::Ask, &[key(KeyCode::Enter)], "Enter", Action::Submit, "confirm", true),
    bind(C::Ask, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "cancel", true),
    bind(C::Picker, &[key(KeyCode::Enter)], "Enter", Action::Open, "open", true),
    bind(C::Dashboard, &[ch('o')], "o", Action::OtherDatabase, "databases", true),
    bind(C::Dashboard, &[ch('J')], "J", Action::Journal, "journal", true),
    bind(C::Journal, &[ch('k'), key(KeyCode::Up)], "k/↑", Action::Up, "older", true),
    bind(C::Journal, &[ch('j'), key(KeyCode::Down)], "j/↓", Action::Down, "newer", true),
    bind(
        C::Journal,
        &[key(KeyCode::Esc), ch('J'), ch('q'), key(KeyCode::Enter)],
        "Esc",
        Action::Close,
        "close",
        true,
    ),
    bind(C::Token, &[key(KeyCode::Enter)], "Enter", Action::Submit, "use this token (this run only)", true),
    bind(C::Token, &[key(KeyCode::Esc)], "Esc", Action::Cancel, "clear", true),
    bind(C::Token, &[ctrl('c')], "Ctrl-C", Action::Quit, "quit", true),
];

fn matches(k: &Key, event: &KeyEvent) -> bool {
    // Shift is part of the character for letters and symbols (`G`, `?`), so ignore it there.
    let mods = match event.code {
        KeyCode::Char(_) | KeyCode::BackTab => event.modifiers - KeyModifiers::SHIFT,
        _ => event.modifiers,
    };
    k.code == event.code && k.mods == mods
}

/// The action a key triggers in `context`, if any.
pub fn action_for(context: Context, event: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(|b| b.keys.iter().any(|k| matches(k, event)))
        .map(|b| b.action)
}

/// The bindings of one context, in table order.
pub fn bindings(context: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.context == context)
}

pub fn is_ctrl_c(event: &KeyEvent) -> bool {
    event.code == KeyCode::Char('c') && event.modifiers.contains(KeyModifiers::CONTROL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for a in BINDINGS {
            for b in BINDINGS {
                if std::ptr::eq(a, b) || a.context != b.context {
                    continue;
                }
                for k in a.keys {
                    assert!(!b.keys.contains(k), "{k:?} bound twice in {:?}", a.context);
                }
            }
        }
    }

    #[test]
    fn shifted_letters_and_plain_letters_resolve() {
        let big_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(action_for(Context::List, &big_g), Some(Action::Bottom));
        let n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
        assert_eq!(action_for(Context::Users, &n), Some(Action::NewUser));
        let alt_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::ALT);
        assert_eq!(action_for(Context::Users, &alt_d), None, "nothing destructive on Alt chords");
    }
}
