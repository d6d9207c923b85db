//! Everything the screen shows, owned by one `State` that only `update` changes.

use secrecy::SecretString;

use super::extensions::{ExtensionConfirm, ExtensionsTab};
use super::input::TextInput;
use super::internet::{FeatureForm, InternetTab, NewRuleForm, RuleConfirm};
use super::list::ListState;
use super::msg::RequestId;
use super::picker::{Picker, Recent};
pub use super::session::*;
use super::unsettled::Unsettled;
use crate::api::{Addon, Database, DbTarget, Engine, User};

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

#[derive(Debug, Clone, Default)]
pub struct UsersTab {
    pub users: Remote<Vec<User>>,
    pub list: ListState,
}

impl UsersTab {
    /// The users whose name passes the filter, in server order.
    pub fn visible(&self) -> Vec<&User> {
        self.users.data.iter().flatten().filter(|u| self.list.matches(&u.name)).collect()
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.visible().get(self.list.selected).copied()
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateField {
    Name,
    Access,
    Password,
    Confirmation,
}

impl CreateField {
    pub const ORDER: [CreateField; 4] =
        [CreateField::Name, CreateField::Access, CreateField::Password, CreateField::Confirmation];
}

#[derive(Debug, Clone)]
pub struct CreateUserForm {
    pub engine: Engine,
    pub name: TextInput,
    /// PostgreSQL shows "Read only" (off by default); MySQL shows "Write" (off by default, so a
    /// new MySQL user is read-only unless asked), as the web dashboards do.
    pub access_checked: bool,
    pub password: TextInput,
    pub confirmation: TextInput,
    pub focus: CreateField,
    /// Set after a refused submit, so errors show only once the operator tried.
    pub tried: bool,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
    /// Esc was pressed on a changed form: the modal asks before discarding.
    pub discard_asked: bool,
}

impl CreateUserForm {
    pub fn new(engine: Engine) -> Self {
        CreateUserForm {
            engine,
            name: TextInput::plain(),
            access_checked: false,
            password: TextInput::masked(),
            confirmation: TextInput::masked(),
            focus: CreateField::Name,
            tried: false,
            server_error: None,
            pending: None,
            discard_asked: false,
        }
    }

    /// Whether anything was typed or chosen.
    pub fn changed(&self) -> bool {
        self.access_checked
            || [&self.name, &self.password, &self.confirmation].iter().any(|f| !f.value().is_empty())
    }

    pub fn access_label(&self) -> &'static str {
        match self.engine {
            Engine::PostgreSql => "Read only",
            Engine::MySql => "Write",
        }
    }

    pub fn read_only(&self) -> bool {
        match self.engine {
            Engine::PostgreSql => self.access_checked,
            Engine::MySql => !self.access_checked,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordField {
    Password,
    Confirmation,
}

#[derive(Debug, Clone)]
pub struct SetPasswordForm {
    pub user: String,
    pub password: TextInput,
    pub confirmation: TextInput,
    pub focus: PasswordField,
    pub tried: bool,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
    /// Esc was pressed on a changed form: the modal asks before discarding.
    pub discard_asked: bool,
}

impl SetPasswordForm {
    pub fn new(user: String) -> Self {
        SetPasswordForm {
            user,
            password: TextInput::masked(),
            confirmation: TextInput::masked(),
            focus: PasswordField::Password,
            tried: false,
            server_error: None,
            pending: None,
            discard_asked: false,
        }
    }

    /// Whether anything was typed.
    pub fn changed(&self) -> bool {
        !self.password.value().is_empty() || !self.confirmation.value().is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    Delete,
    ResetPassword,
    /// Deleting a firewall rule, or a rule that lets every address in.
    Internet(RuleConfirm),
}

/// Type-to-confirm: the action stays inert until `typed` is `expected` as the screen shows it.
#[derive(Debug, Clone)]
pub struct ConfirmForm {
    pub action: ConfirmAction,
    /// What the operator must type: a user's name, a rule's CIDR or managed range id.
    pub expected: String,
    pub typed: TextInput,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
}

impl ConfirmForm {
    pub fn new(action: ConfirmAction, expected: String) -> Self {
        ConfirmForm { action, expected, typed: TextInput::plain(), server_error: None, pending: None }
    }

    /// The typed text is the target as shown, byte for byte; never for an empty target (a rule
    /// the server sent without its CIDR).
    pub fn matches(&self) -> bool {
        self.typed.confirms(&self.expected)
    }
}

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
    /// Enable (confirm) or disable (type-to-confirm) an extension.
    Extension(ExtensionConfirm),
    /// Turning TLS enforcement or Internet accessibility on or off.
    Feature(FeatureForm),
    NewRule(NewRuleForm),
    /// A custom firewall rule's label.
    RuleLabel(super::internet::LabelForm),
    /// This database's recent changes, from the journal.
    Journal(super::journal::JournalView),
}

/// A user change whose answer was lost: the next user list says what really happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconcile {
    /// The user's name, and whether the operator chose its password (else it was generated and
    /// is lost with the answer).
    Create {
        name: String,
        chose_password: bool,
    },
    Reset(String),
    SetPassword(String),
    Delete(String),
}

#[derive(Debug, Default)]
pub struct State {
    pub session: Session,
    pub screen: Screen,
    pub current: Current,
    pub target: Option<DbTarget>,
    pub addon: Option<Addon>,
    pub database: Remote<Database>,
    pub tab: Tab,
    pub users: UsersTab,
    pub modal: Option<Modal>,
    pub status: Option<Status>,
    /// A change whose answer was lost, until a list says what became of it.
    pub unsettled: Option<Unsettled>,
    /// Requests sent and not yet answered: drives the spinner.
    pub in_flight: usize,
    pub spinner: usize,
    pub next_id: RequestId,
    pub quit: bool,
    /// The terminal is below the minimum size: only the quit keys act.
    pub too_small: bool,
    pub extensions: ExtensionsTab,
    pub internet: InternetTab,
    pub picker: Picker,
    /// Databases opened lately, most recent first: the picker lists them first.
    pub recents: Vec<Recent>,
    pub token: TokenPrompt,
    /// When opening fails: back to the picker, with this filter (empty: keep the picker's).
    pub fallback: Option<String>,
    /// Answers to requests up to this id belong to a database that was left: dropped.
    pub left_before: RequestId,
    /// Requests made this run, as of the last `?` (diagnostics).
    pub stats: Option<crate::api::RequestStats>,
}

impl State {
    pub fn new(session: Session) -> Self {
        State { session, ..State::default() }
    }

    pub fn engine(&self) -> Option<Engine> {
        self.database.data.as_ref().and_then(Database::engine)
    }

    /// The table of the current tab, if it has one.
    pub fn list_mut(&mut self) -> Option<&mut ListState> {
        match self.screen {
            Screen::Token => return None,
            Screen::Picker => return Some(&mut self.picker.list),
            Screen::Dashboard => {}
        }
        match self.tab {
            Tab::Users => Some(&mut self.users.list),
            Tab::Extensions => Some(&mut self.extensions.list),
            Tab::InternetAccess if super::internet::is_dedicated(self) => Some(&mut self.internet.list),
            _ => None,
        }
    }

    pub fn list(&self) -> Option<&ListState> {
        match self.screen {
            Screen::Token => return None,
            Screen::Picker => return Some(&self.picker.list),
            Screen::Dashboard => {}
        }
        match self.tab {
            Tab::Users => Some(&self.users.list),
            Tab::Extensions => Some(&self.extensions.list),
            Tab::InternetAccess if super::internet::is_dedicated(self) => Some(&self.internet.list),
            _ => None,
        }
    }

    /// Rows the current tab's table shows.
    pub fn list_len(&self) -> usize {
        if self.screen == Screen::Picker {
            return self.picker.visible().len();
        }
        match self.tab {
            Tab::Users => self.users.visible().len(),
            Tab::Extensions => self.extensions.visible().len(),
            Tab::InternetAccess => self.internet.visible().len(),
        }
    }

    /// Whether the loop must keep ticking (spinner, a message or an applying rule counting down).
    pub fn animating(&self) -> bool {
        self.in_flight > 0 || self.status.as_ref().is_some_and(|s| s.ticks_left.is_some())
    }
}
