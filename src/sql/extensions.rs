//! The allowed list and the two changes, in SQL since no Scalingo API enables or disables an
//! extension. The list joins the `extwlist.extensions` setting (Scalingo's allow-list for
//! non-superusers) with `pg_available_extensions`; on a server without that setting, every
//! available extension is allowed. Extensions already enabled but outside the list (plpgsql, or one
//! support enabled) are listed too, marked as not allowed, so the table says the whole truth;
//! dbdeck never changes them.

use tokio_postgres::Client;

use super::ident::quote_ident;
use super::target::{Endpoint, SqlTarget, UrlOrigin};
use super::{SqlError, TlsMode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub name: String,
    /// `None`: in the allowed list but not installed on this server.
    pub default_version: Option<String>,
    /// `Some`: enabled in this database, at this version.
    pub installed_version: Option<String>,
    pub comment: Option<String>,
    /// In the allowed list: the only names dbdeck may enable or disable.
    pub allowed: bool,
}

impl Extension {
    pub fn enabled(&self) -> bool {
        self.installed_version.is_some()
    }

    pub fn available(&self) -> bool {
        self.default_version.is_some()
    }
}

/// One listing of a database: where it came from and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub endpoint: Endpoint,
    pub origin: UrlOrigin,
    pub encrypted: bool,
    /// The server has an allow-list (`extwlist.extensions`); else every available extension.
    pub restricted: bool,
    pub extensions: Vec<Extension>,
    /// The SSH host the connection went through; `None`: direct.
    pub via: Option<String>,
}

impl Listing {
    pub(crate) fn new(
        target: &SqlTarget,
        (restricted, extensions): (bool, Vec<Extension>),
        via: Option<String>,
    ) -> Listing {
        Listing {
            endpoint: target.endpoint.clone(),
            origin: target.origin,
            // Prefer only ever applies on loopback; Require is always encrypted.
            encrypted: target.tls.mode == TlsMode::Require,
            restricted,
            extensions,
            via,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Enable,
    Disable,
}

/// The setting comes from `pg_settings` (pgextwlist loaded), else from `current_setting` (a
/// custom setting in postgresql.conf without the module: test clusters).
const LIST: &str = "
WITH setting AS (
    SELECT coalesce(
        (SELECT reset_val FROM pg_settings WHERE name = 'extwlist.extensions'),
        current_setting('extwlist.extensions', true)) AS value
), allowed AS (
    SELECT trim(w) AS name
    FROM setting, unnest(string_to_array(setting.value, ',')) AS w
    WHERE trim(w) <> ''
    UNION
    SELECT name::text FROM pg_available_extensions WHERE (SELECT value FROM setting) IS NULL
)
SELECT n.name, a.default_version::text, x.extversion::text, a.comment::text,
       n.name IN (SELECT name FROM allowed) AS allowed,
       (SELECT value FROM setting) IS NOT NULL AS restricted
FROM (SELECT name FROM allowed UNION SELECT extname::text FROM pg_extension) AS n
LEFT JOIN pg_available_extensions AS a ON a.name = n.name
LEFT JOIN pg_extension AS x ON x.extname = n.name
ORDER BY n.name";

/// Whether the server restricts extensions, and the extensions to show.
pub async fn list(client: &Client) -> Result<(bool, Vec<Extension>), SqlError> {
    let rows = client.query(LIST, &[]).await.map_err(|e| SqlError::query(&e))?;
    let mut restricted = false;
    let mut extensions = Vec::with_capacity(rows.len());
    for row in rows {
        let read = |e: tokio_postgres::Error| SqlError::Other(format!("reading the extension list: {e}"));
        restricted = row.try_get(5).map_err(read)?;
        extensions.push(Extension {
            name: row.try_get(0).map_err(read)?,
            default_version: row.try_get(1).map_err(read)?,
            installed_version: row.try_get(2).map_err(read)?,
            comment: row.try_get(3).map_err(read)?,
            allowed: row.try_get(4).map_err(read)?,
        });
    }
    Ok((restricted, extensions))
}

/// `CREATE EXTENSION IF NOT EXISTS` or `DROP EXTENSION IF EXISTS` (never CASCADE) on `name`,
/// after checking, on this same connection, that the allowed list holds it. The statement is
/// sent alone through the extended protocol, which runs one statement only.
pub async fn change(client: &Client, name: &str, change: Change) -> Result<(), SqlError> {
    let (_, extensions) = list(client).await?;
    let Some(extension) = extensions.iter().find(|e| e.allowed && e.name == name) else {
        return Err(SqlError::NotAllowed(name.to_owned()));
    };
    let ident = quote_ident(&extension.name)?;
    let statement = match change {
        Change::Enable => format!("CREATE EXTENSION IF NOT EXISTS {ident}"),
        Change::Disable => format!("DROP EXTENSION IF EXISTS {ident}"),
    };
    tracing::info!("SQL: {statement}");
    client.execute(statement.as_str(), &[]).await.map_err(|e| SqlError::query(&e))?;
    Ok(())
}
