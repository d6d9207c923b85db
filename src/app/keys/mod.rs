//! The one key table, owned by the app. `update` dispatches through it (`contexts`, `check`),
//! the footer shows the live entries by priority and the `?` overlay lists all of it, each
//! asking `check` whether a key acts now, so a key can never do one thing and be shown as another.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod check;
mod table;

pub use check::{Reason, always_off, check, check_screen, contexts, screen_contexts};

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
    /// Record the SSH host key shown on the Extensions tab in `known_hosts`.
    TrustHostKey,
    /// Copy the revealed user's connection URL.
    CopyUrl,
    /// Suspend the screen for psql / mariadb on the database.
    Console,
}

impl Action {
    /// Actions that change the database: off under `--read-only`.
    pub const fn mutates(self) -> bool {
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

pub use table::{BINDINGS, Binding};

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

#[cfg(test)]
mod tests_small;
