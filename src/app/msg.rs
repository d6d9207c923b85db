//! What happens to the app (`Msg`) and what the app asks the outside world to do (`Effect`).

use crossterm::event::KeyEvent;
use secrecy::SecretString;

use super::extensions::{ExtensionsEffect, ExtensionsMsg};
use super::internet::{InternetEffect, InternetMsg};
use crate::api::{Addon, ApiError, Database, DbTarget, NewUser, User, UserWithPassword};

/// Tags a request so that an answer to an older one is recognised and dropped.
pub type RequestId = u64;

// A few messages a second at most: their size does not matter, boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Pasted text: often a password, so kept secret (redacted in Debug, wiped on drop).
    Paste(SecretString),
    /// The terminal changed size: only a redraw is needed.
    Resize,
    /// Sent every 100 ms while something animates (spinner, a message counting down).
    Tick,
    Connected {
        id: RequestId,
        result: Result<(Addon, Database), ApiError>,
    },
    UsersLoaded {
        id: RequestId,
        result: Result<Vec<User>, ApiError>,
    },
    UserCreated {
        id: RequestId,
        name: String,
        result: Result<UserWithPassword, ApiError>,
    },
    PasswordReset {
        id: RequestId,
        name: String,
        result: Result<UserWithPassword, ApiError>,
    },
    PasswordSet {
        id: RequestId,
        name: String,
        result: Result<User, ApiError>,
    },
    UserDeleted {
        id: RequestId,
        name: String,
        result: Result<(), ApiError>,
    },
    /// The clipboard says how a copy or a clear went.
    ClipboardStatus(String),
    /// A signal (TERM, HUP, INT) or the end of the terminal's event stream.
    Quit,
    /// An answer for the Extensions tab.
    Extensions(ExtensionsMsg),
    /// Answers for the Internet Access tab.
    Internet(InternetMsg),
}

#[derive(Debug)]
pub enum Effect {
    /// Resolve the app's addon, then read its database.
    Connect {
        id: RequestId,
        app: String,
        addon: String,
    },
    LoadUsers {
        id: RequestId,
        target: DbTarget,
    },
    CreateUser {
        id: RequestId,
        target: DbTarget,
        user: NewUser,
    },
    ResetPassword {
        id: RequestId,
        target: DbTarget,
        name: String,
    },
    SetPassword {
        id: RequestId,
        target: DbTarget,
        name: String,
        password: SecretString,
    },
    DeleteUser {
        id: RequestId,
        target: DbTarget,
        name: String,
    },
    Copy(SecretString),
    Quit,
    /// Work for the Extensions tab (database API or SQL).
    Extensions(ExtensionsEffect),
    /// Requests of the Internet Access tab.
    Internet(InternetEffect),
}
