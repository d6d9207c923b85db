//! What can go wrong with SQL, in words an operator can act on. No message ever holds the
//! database URL or its password: only the endpoint (host:port/dbname) and the server's words.

use std::error::Error as _;

/// PostgreSQL's own answer to a statement: shown as it is (promise: the server's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgMessage {
    /// The SQLSTATE, e.g. `42501` (insufficient privilege), `2BP01` (dependent objects).
    pub code: String,
    pub message: String,
    pub detail: Option<String>,
    pub hint: Option<String>,
}

/// SQLSTATE of "cannot drop ... because other objects depend on it".
pub const DEPENDENT_OBJECTS: &str = "2BP01";

impl std::fmt::Display for PgMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {}", detail.lines().collect::<Vec<_>>().join("; "))?;
        }
        if self.code == DEPENDENT_OBJECTS {
            // PostgreSQL's hint suggests CASCADE, which dbdeck never uses.
            return write!(f, ". dbdeck never drops with CASCADE: change or drop those objects first.");
        }
        match &self.hint {
            Some(hint) => write!(f, ". {hint}"),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqlError {
    /// Neither DATABASE_URL/--database-url nor the app's SCALINGO_POSTGRESQL_URL.
    #[error("no database URL: the app has no SCALINGO_POSTGRESQL_URL variable and DATABASE_URL is not set")]
    NoUrl,
    /// The URL cannot be used; the message never quotes it.
    #[error("{0}")]
    BadUrl(String),
    /// The app's variables could not be read through the API.
    #[error("reading the app's variables: {0}")]
    Variables(String),
    #[error("cannot reach the database at {endpoint}: {detail}")]
    Unreachable { endpoint: String, detail: String },
    /// The server answered the TLS request with "no": nothing more is sent.
    #[error(
        "{endpoint} does not offer TLS: dbdeck does not send credentials in plaintext (add sslmode=disable to the URL to allow it)"
    )]
    NoTls { endpoint: String },
    /// ssh could not open the tunnel: ssh's own words.
    #[error("SSH tunnel through {via}: {detail}")]
    Tunnel { via: String, detail: String },
    /// ssh does not know the SSH server's host key: shown for the operator to check and confirm.
    #[error(
        "the SSH host key of {} is not known yet: {}. Check it against {}, then press K on the Extensions tab to trust it",
        .0.via, .0.fingerprints.join(", "), super::hostkey::PUBLISHED_AT
    )]
    UnknownHostKey(Box<super::hostkey::HostKeyOffer>),
    #[error("TLS with {endpoint} failed: {detail}")]
    Tls { endpoint: String, detail: String },
    #[error("{0}")]
    Postgres(PgMessage),
    /// P7: a name the allowed-list query did not return is never sent.
    #[error("{0} is not in this database's allowed list (extwlist.extensions): dbdeck does not send it")]
    NotAllowed(String),
    #[error("invalid extension name: {0}")]
    InvalidName(String),
    #[error("{0}")]
    Other(String),
    /// The journal could not record the change, so it was not attempted.
    #[error("{0}")]
    Journal(String),
}

impl SqlError {
    /// Whether the server (or dbdeck, before sending) refused: nothing was changed. `Other`
    /// covers a timeout or a failure after the change was made, whose outcome is unknown.
    pub fn refused(&self) -> bool {
        !matches!(self, SqlError::Other(_))
    }

    /// Whether the database could not be reached at all (vs. reached and refused).
    pub fn unreachable(&self) -> bool {
        matches!(self, SqlError::Unreachable { .. })
    }

    /// An error while connecting to `endpoint`.
    pub(crate) fn connecting(endpoint: &str, e: &tokio_postgres::Error) -> SqlError {
        if let Some(db) = e.as_db_error() {
            return SqlError::Postgres(pg_message(db));
        }
        let text = chain(e);
        let endpoint = endpoint.to_owned();
        if let Some(detail) = text.strip_prefix("error performing TLS handshake: ") {
            if detail.contains("server does not support TLS") {
                return SqlError::NoTls { endpoint };
            }
            return SqlError::Tls { endpoint, detail: detail.to_owned() };
        }
        if let Some(detail) = text.strip_prefix("error connecting to server: ") {
            return SqlError::Unreachable { endpoint, detail: detail.to_owned() };
        }
        if text.starts_with("timeout") || text.starts_with("error communicating with the server") {
            return SqlError::Unreachable { endpoint, detail: text };
        }
        SqlError::Other(format!("connecting to {endpoint}: {text}"))
    }

    /// An error answering a statement.
    pub(crate) fn query(e: &tokio_postgres::Error) -> SqlError {
        match e.as_db_error() {
            Some(db) => SqlError::Postgres(pg_message(db)),
            None => SqlError::Other(chain(e)),
        }
    }

    /// The server's SQLSTATE, when the server refused.
    pub fn code(&self) -> Option<&str> {
        match self {
            SqlError::Postgres(m) => Some(&m.code),
            _ => None,
        }
    }
}

fn pg_message(db: &tokio_postgres::error::DbError) -> PgMessage {
    PgMessage {
        code: db.code().code().to_owned(),
        message: db.message().to_owned(),
        detail: db.detail().map(str::to_owned),
        hint: db.hint().map(str::to_owned),
    }
}

/// An error and its sources, `a: b: c`, as tokio-postgres keeps the useful part in the source.
pub(crate) fn chain(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.ends_with(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}
