//! Everything the screen shows, owned by one `State` that only `update` changes.

use secrecy::SecretString;

pub use super::confirm::{ConfirmAction, ConfirmForm, Gate};
use super::extensions::ExtensionsTab;
use super::internet::{InternetTab, NewRuleForm};
use super::list::ListState;
use super::msg::RequestId;
use super::picker::{Picker, Recent};
pub use super::session::*;
use super::unsettled::Unsettled;
pub use super::users::{CreateField, CreateUserForm, PasswordField, Reconcile, SetPasswordForm, UsersTab};
use crate::api::{Addon, Database, DbTarget, Engine};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Users,
    Extensions,
    InternetAccess,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Users, Tab::Extensions, Tab::InternetAccess];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Users => "Users",
            Tab::Extensions => "Extensions",
            Tab::InternetAccess => "Internet Access",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Data that comes from the server: what was last received, and whether a newer copy is on
/// its way. A failed refresh keeps the old data on screen.
#[derive(Debug, Clone)]
pub struct Remote<T> {
    pub data: Option<T>,
    /// The request whose answer is awaited; answers to any other are stale.
    pub pending: Option<RequestId>,
    pub error: Option<String>,
}

impl<T> Default for Remote<T> {
    fn default() -> Self {
        Remote { data: None, pending: None, error: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// The status line. Info clears itself after `ticks_left`; errors stay until Esc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub level: Level,
    pub text: String,
    pub ticks_left: Option<u32>,
}

/// 4 s at one tick per 100 ms.
pub const INFO_TICKS: u32 = 40;

/// The one-time reveal of a password the platform generated.
#[derive(Debug)]
pub struct Reveal {
    pub user: String,
    /// Dropped (and so zeroized) when the modal closes.
    pub password: SecretString,
    pub copy_status: Option<String>,
    /// Esc was pressed: remind the operator how to close.
    pub close_hint: bool,
    /// The user's connection URL once copied, its password masked.
    pub url: Option<String>,
    /// The operator typed this password (Set password): never drawn, kept while the modal is
    /// open only so that `u` can copy a connection URL with it.
    pub chosen: bool,
}

// At most one modal exists at a time, so the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Modal {
    Help,
    CreateUser(CreateUserForm),
    SetPassword(SetPasswordForm),
    Confirm(ConfirmForm),
    Reveal(Reveal),
    NewRule(NewRuleForm),
    /// A custom firewall rule's label.
    RuleLabel(super::internet::LabelForm),
    /// This database's recent changes, from the journal.
    Journal(super::journal::JournalView),
}

/// Everything about the one database the dashboard shows (or is opening). It lives inside
/// `Screen::Dashboard`, so leaving the database drops all of it at once.
#[derive(Debug, Default)]
pub struct Dashboard {
    pub current: Current,
    /// Where to go if opening fails.
    pub if_open_fails: IfOpenFails,
    pub target: Option<DbTarget>,
    pub addon: Option<Addon>,
    pub database: Remote<Database>,
    pub tab: Tab,
    pub users: UsersTab,
    pub extensions: ExtensionsTab,
    pub internet: InternetTab,
    /// A change whose answer was lost, until a list says what became of it.
    pub unsettled: Option<Unsettled>,
}

impl Dashboard {
    pub fn new(current: Current, if_open_fails: IfOpenFails) -> Self {
        Dashboard { current, if_open_fails, ..Dashboard::default() }
    }

    pub fn engine(&self) -> Option<Engine> {
        self.database.data.as_ref().and_then(Database::engine)
    }
}

#[derive(Debug, Default)]
pub struct State {
    pub session: Session,
    pub screen: Screen,
    pub modal: Option<Modal>,
    pub status: Option<Status>,
    /// Requests sent and not yet answered: drives the spinner.
    pub in_flight: usize,
    pub spinner: usize,
    pub next_id: RequestId,
    pub quit: bool,
    /// The terminal is below the minimum size: only the quit keys act.
    pub too_small: bool,
    pub picker: Picker,
    /// Databases opened lately, most recent first: the picker lists them first.
    pub recents: Vec<Recent>,
    pub token: TokenPrompt,
    /// Answers to requests up to this id belong to a database that was left: dropped.
    pub left_before: RequestId,
    /// Requests made this run, as of the last `?` (diagnostics).
    pub stats: Option<crate::api::RequestStats>,
}

impl State {
    pub fn new(session: Session) -> Self {
        State { session, ..State::default() }
    }

    /// The open database, if the dashboard is shown.
    pub fn dash(&self) -> Option<&Dashboard> {
        match &self.screen {
            Screen::Dashboard(dash) => Some(dash),
            _ => None,
        }
    }

    pub fn dash_mut(&mut self) -> Option<&mut Dashboard> {
        match &mut self.screen {
            Screen::Dashboard(dash) => Some(dash),
            _ => None,
        }
    }

    pub fn on_picker(&self) -> bool {
        matches!(self.screen, Screen::Picker)
    }

    pub fn on_token(&self) -> bool {
        matches!(self.screen, Screen::Token)
    }

    /// The app of the open database, as asked (empty off the dashboard).
    pub fn app_name(&self) -> &str {
        self.dash().map_or("", |d| d.current.app.as_str())
    }

    /// The database the dashboard is connected to.
    pub fn target(&self) -> Option<&DbTarget> {
        self.dash()?.target.as_ref()
    }

    pub fn engine(&self) -> Option<Engine> {
        self.dash()?.engine()
    }

    /// The unsettled change of the open database.
    pub fn unsettled(&self) -> Option<&Unsettled> {
        self.dash()?.unsettled.as_ref()
    }

    /// The table of the current tab, if it has one.
    pub fn list_mut(&mut self) -> Option<&mut ListState> {
        let dash = match &mut self.screen {
            Screen::Token => return None,
            Screen::Picker => return Some(&mut self.picker.list),
            Screen::Dashboard(dash) => dash,
        };
        match dash.tab {
            Tab::Users => Some(&mut dash.users.list),
            Tab::Extensions => Some(&mut dash.extensions.list),
            Tab::InternetAccess if super::internet::is_dedicated(dash) => Some(&mut dash.internet.list),
            _ => None,
        }
    }

    pub fn list(&self) -> Option<&ListState> {
        let dash = match &self.screen {
            Screen::Token => return None,
            Screen::Picker => return Some(&self.picker.list),
            Screen::Dashboard(dash) => dash,
        };
        match dash.tab {
            Tab::Users => Some(&dash.users.list),
            Tab::Extensions => Some(&dash.extensions.list),
            Tab::InternetAccess if super::internet::is_dedicated(dash) => Some(&dash.internet.list),
            _ => None,
        }
    }

    /// Rows the current tab's table shows.
    pub fn list_len(&self) -> usize {
        self.list().map_or(0, ListState::len)
    }

    /// Filters again every list whose filter changed (the rows' own changes refilter them
    /// where they arrive).
    pub fn refilter(&mut self) {
        if self.picker.list.filter_changed() {
            self.picker.refilter();
        }
        let Screen::Dashboard(dash) = &mut self.screen else { return };
        if dash.users.list.filter_changed() {
            dash.users.refilter();
        }
        if dash.extensions.list.filter_changed() {
            dash.extensions.refilter();
        }
        if dash.internet.list.filter_changed() {
            dash.internet.refilter();
        }
    }

    /// Whether the loop must keep ticking (spinner, a message or an applying rule counting down).
    pub fn animating(&self) -> bool {
        self.in_flight > 0 || self.status.as_ref().is_some_and(|s| s.ticks_left.is_some())
    }
}
