//! PostgreSQL over TLS for the Extensions tab: the database URL and its TLS policy (`target`),
//! the rustls connector (`tls`), identifier quoting (`ident`), the allowed-list and enable/disable
//! SQL (`extensions`), and where the URL comes from (`source`). No terminal code lives here.
//!
//! Promise P7: an extension name reaches SQL only if the allowed-list query just returned it,
//! and only quoted as an identifier.

mod error;
pub mod extensions;
mod hostkey;
pub mod ident;
mod route;
mod source;
pub mod target;
mod tls;
pub mod tunnel;
pub mod user_url;

use std::time::Duration;

pub use error::{PgMessage, SqlError};
pub use extensions::{Change, Extension, Listing};
pub use route::Route;
pub use source::{SqlSource, VARIABLE};
pub use target::{Endpoint, SqlTarget, TlsMode, UrlOrigin, Verify};
pub use tunnel::{HostKeyOffer, SshHost, SshSettings, Tunnel};

/// Connecting (TCP, TLS, authentication) gives up after this long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A listing or a change, connection included, gives up after this long; the server side is
/// bounded by `statement_timeout` too.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(40);

/// Connects and returns a client whose connection runs in its own task, ended when the client
/// is dropped.
pub async fn connect(target: &SqlTarget) -> Result<tokio_postgres::Client, SqlError> {
    route::connect(target).await.map(|(client, _)| client)
}

/// Connects straight to the database's host (TCP, then TLS as the URL says).
async fn connect_direct(target: &SqlTarget) -> Result<tokio_postgres::Client, SqlError> {
    let tls = tls::connector(&target.tls)?;
    let endpoint = target.endpoint.to_string();
    let connecting = target.config().connect(tls);
    let (client, connection) = match tokio::time::timeout(target.connect_timeout, connecting).await {
        Err(_) => {
            return Err(SqlError::Unreachable {
                endpoint,
                detail: format!("no answer within {} s", target.connect_timeout.as_secs_f32()),
            });
        }
        Ok(result) => result.map_err(|e| SqlError::connecting(&endpoint, &e))?,
    };
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!("SQL connection ended: {}", error::chain(&e));
        }
    });
    Ok(client)
}

/// The extensions of `target`'s database, on a fresh connection.
pub async fn list_extensions(target: &SqlTarget) -> Result<Listing, SqlError> {
    bounded(async {
        let (client, via) = route::connect(target).await?;
        let extensions = extensions::list(&client).await?;
        Ok(Listing::new(target, extensions, via))
    })
    .await
}

/// Enables or disables `name` (if the allowed list holds it), then lists again.
pub async fn change_extension(target: &SqlTarget, name: &str, change: Change) -> Result<Listing, SqlError> {
    bounded(async {
        let (client, via) = route::connect(target).await?;
        extensions::change(&client, name, change).await?;
        // From here on the change is made: a failure must not read as a refusal.
        let extensions = extensions::list(&client).await.map_err(|e| {
            SqlError::Other(format!(
                "{name} was changed, but listing the extensions again failed ({e}): press r"
            ))
        })?;
        Ok(Listing::new(target, extensions, via))
    })
    .await
}

async fn bounded<T>(work: impl Future<Output = Result<T, SqlError>>) -> Result<T, SqlError> {
    tokio::time::timeout(OPERATION_TIMEOUT, work).await.unwrap_or_else(|_| {
        Err(SqlError::Other(format!(
            "no answer from the database within {} s; the change may or may not have been made: press r to see",
            OPERATION_TIMEOUT.as_secs()
        )))
    })
}
