//! Where the database URL comes from: DATABASE_URL or `--database-url` (given at start), else the
//! app's SCALINGO_POSTGRESQL_URL variable, read through the API each time it is needed (so a
//! rotated password is picked up). PGPASSWORD fills in a URL without a password, as in libpq.
//! The app's URL goes through the SSH tunnel unless the database is Internet-accessible (then
//! straight, the tunnel only when that fails); a configured URL is used as it is.

use secrecy::SecretString;

use super::target::{SqlTarget, UrlOrigin};
use super::{Route, SqlError, SshSettings};
use crate::api::{DbTarget, FeatureStatus, PUBLICLY_AVAILABLE, ScalingoClient};

/// The app variable holding the PostgreSQL URL on Scalingo.
pub const VARIABLE: &str = "SCALINGO_POSTGRESQL_URL";

#[derive(Debug, Clone, Default)]
pub struct SqlSource {
    /// From DATABASE_URL or `--database-url`.
    pub configured: Option<(SecretString, UrlOrigin)>,
    /// From PGPASSWORD.
    pub password: Option<SecretString>,
    pub ssh: SshSettings,
}

impl SqlSource {
    /// Checks a configured URL at start, so a bad one (or a password in the flag) stops dbdeck
    /// with a clear message before the screen opens.
    pub fn check(&self) -> Result<(), SqlError> {
        match &self.configured {
            Some((url, origin)) => SqlTarget::parse(url, *origin).map(drop),
            None => Ok(()),
        }
    }

    /// `listed`: the region's SSH host from the region list, if known.
    pub async fn target(
        &self,
        client: &ScalingoClient,
        db: &DbTarget,
        listed: Option<&str>,
    ) -> Result<SqlTarget, SqlError> {
        let mut target = match &self.configured {
            Some((url, origin)) => SqlTarget::parse(url, *origin)?,
            None => {
                let url = client
                    .app_variable(&db.app, VARIABLE)
                    .await
                    .map_err(|e| SqlError::Variables(e.to_string()))?
                    .ok_or(SqlError::NoUrl)?;
                SqlTarget::parse(&url, UrlOrigin::AppVariable)?
            }
        };
        if let Some(password) = &self.password {
            target.default_password(password);
        }
        if target.origin == UrlOrigin::AppVariable {
            target.route = self.route(client, db, listed).await;
        }
        Ok(target)
    }

    /// How to reach `db` from its app's variable: through the tunnel, unless the database is
    /// Internet-accessible (then directly first) or tunnelling is off.
    pub async fn route(&self, client: &ScalingoClient, db: &DbTarget, listed: Option<&str>) -> Route {
        let Some(tunnel) = self.ssh.tunnel(&db.region, listed) else { return Route::Direct };
        let public = match client.database(db).await {
            Ok(database) => {
                FeatureStatus::of(&database.features, PUBLICLY_AVAILABLE) == FeatureStatus::Enabled
            }
            Err(e) => {
                tracing::warn!("reading the database's features: {e}");
                true
            }
        };
        if public { Route::DirectElseTunnel(tunnel) } else { Route::Tunnel(tunnel) }
    }
}
