//! What happens to the app (`Msg`) and what the app asks the outside world to do (`Effect`).

use crossterm::event::KeyEvent;
use secrecy::SecretString;

use super::extensions::{ExtensionsEffect, ExtensionsMsg};
use super::internet::{InternetEffect, InternetMsg};
use super::picker::{PickerEffect, PickerMsg, Recent};
use super::users::{UsersEffect, UsersMsg};
use crate::api::{Addon, ApiError, Database, RequestStats};

/// Tags a request so that an answer to an older one is recognised and dropped.
pub type RequestId = u64;

// A few messages a second at most: their size does not matter, boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Pasted text: often a password, so kept secret (redacted in Debug, wiped on drop).
    Paste(SecretString),
    /// The terminal's size (columns, rows), at start and on every change.
    Resize(u16, u16),
    /// Sent every 100 ms while something animates (spinner, a message counting down).
    Tick,
    Connected {
        id: RequestId,
        result: Result<Opened, ApiError>,
    },
    /// The clipboard says how a copy or a clear went.
    ClipboardStatus(String),
    /// A signal (TERM, HUP, INT) or the end of the terminal's event stream.
    Quit,
    /// Answers for the Users tab.
    Users(UsersMsg),
    /// An answer for the Extensions tab.
    Extensions(ExtensionsMsg),
    /// Answers for the Internet Access tab.
    Internet(InternetMsg),
    /// Answers for the database picker.
    Picker(PickerMsg),
    /// The client's request counters, for the help's diagnostics.
    Stats(RequestStats),
    /// A typed token could not be used (before any request).
    TokenUnusable(String),
    /// This database's recent changes, from the journal (or why they cannot be read).
    JournalRead(Result<Vec<crate::journal::ChangeRow>, String>),
    /// A connection URL built, or a console ended.
    Access(super::access::AccessMsg),
}

/// A database found and read: where it lives, its addon, and what the database API says.
#[derive(Debug)]
pub struct Opened {
    pub region: String,
    pub addon: Addon,
    pub database: Database,
}

/// Which database to open.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenRequest {
    /// `None`: look for the app in every region.
    pub region: Option<String>,
    pub app: String,
    pub lookup: Lookup,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Among the app's addons: an id or a type; empty picks PostgreSQL, else MySQL.
    Addon(String),
    /// The app is a dedicated database: its one addon (`--database`).
    Database,
    /// Already known (from the picker): no lookup.
    Known(Addon),
}

#[derive(Debug)]
pub enum Effect {
    /// Find the database (its region and addon, unless known), then read it.
    Connect {
        id: RequestId,
        request: OpenRequest,
    },
    Copy(SecretString),
    Quit,
    /// Requests of the Users tab.
    Users(UsersEffect),
    /// Work for the Extensions tab (database API or SQL).
    Extensions(ExtensionsEffect),
    /// Requests of the Internet Access tab.
    Internet(InternetEffect),
    /// Requests of the database picker.
    Picker(PickerEffect),
    /// Use this token for the rest of the run (typed on the first screen; never stored).
    UseToken(SecretString),
    /// Remember the recently opened databases (names only).
    SaveRecents(Vec<Recent>),
    /// Answer with the request counters (`Msg::Stats`).
    ReadStats,
    /// Read the journal's recent changes to this addon (`Msg::JournalRead`).
    ReadJournal {
        addon: String,
    },
    /// A connection URL, or a console.
    Access(super::access::AccessEffect),
}
