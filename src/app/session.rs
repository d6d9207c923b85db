//! How dbdeck was started, which screen shows, and which database the dashboard is about.

use super::input::TextInput;
use super::state::Dashboard;

/// How the operator started dbdeck; fixed for the run (except the token source, once typed).
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// What to open first.
    pub start: Start,
    /// `--region` / `SCALINGO_REGION`: only this region is used.
    pub region: Option<String>,
    pub demo: bool,
    pub read_only: bool,
    /// Where the API token came from, named when the platform refuses it.
    pub token_source: String,
    /// No token was found: ask for one first. The text says why, when a file was unreadable.
    pub ask_token: Option<Option<String>>,
    /// Said once at start: the file the token came from is readable by other users.
    pub token_warning: Option<String>,
}

/// What the command line asked to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Start {
    /// Nothing named: the picker, with every database.
    #[default]
    Picker,
    /// `--app` (and maybe `--addon`: an id or a type; empty picks PostgreSQL, else MySQL).
    App { app: String, addon: String },
    /// `--database NAME`: a dedicated database, an app holding exactly one addon.
    Database(String),
}

impl Start {
    pub fn app(app: &str, addon: &str) -> Start {
        Start::App { app: app.into(), addon: addon.into() }
    }
}

/// Which screen is shown. The dashboard owns everything about its database: leaving it (for
/// the picker or the token screen) drops that state whole.
#[derive(Debug)]
pub enum Screen {
    /// No token was found: how to get one, and a field to paste one for this run.
    Token,
    Picker,
    /// One database's tabs.
    Dashboard(Box<Dashboard>),
}

impl Default for Screen {
    fn default() -> Self {
        Screen::Dashboard(Box::default())
    }
}

/// Where a failed opening goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IfOpenFails {
    /// Stay on the dashboard, saying why (r tries again).
    #[default]
    Stay,
    /// Back to the picker, as it was (the database was opened from it).
    Picker,
    /// Back to the picker, filtered to this app (`--app` alone).
    PickerFilteredTo(String),
}

/// The database the dashboard shows, or is opening.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Current {
    /// Empty until known (an `--app` without a pinned region is looked for in every region).
    pub region: String,
    pub app: String,
    /// What was asked: an addon id or type (empty: the app's database).
    pub addon: String,
    /// A dedicated (DR) database: Internet Access shows its firewall rules.
    pub dedicated: bool,
}

/// The first screen when no token was found.
#[derive(Debug, Clone)]
pub struct TokenPrompt {
    pub input: TextInput,
    /// Why a token is asked for again (a file that could not be read, a refused token).
    pub problem: Option<String>,
    /// Enter was pressed on an empty field.
    pub tried: bool,
    /// The platform refused the token in use (else none was found).
    pub refused: bool,
}

impl Default for TokenPrompt {
    fn default() -> Self {
        TokenPrompt { input: TextInput::masked(), problem: None, tried: false, refused: false }
    }
}
