//! The app's environment variables (`GET /v1/apps/{app}/variables`): where the database URL
//! lives (`SCALINGO_POSTGRESQL_URL`). Every value is read straight into a secret; only the names
//! are plain.

use reqwest::Method;
use secrecy::SecretString;
use serde::Deserialize;

use super::super::error::ApiError;
use super::super::http::Retry;
use super::{ScalingoClient, Service, decode, expect};

/// One environment variable of an app. Its value may be a password, a token, a URL with
/// credentials: it stays a secret.
#[derive(Debug, Clone, Deserialize)]
pub struct AppVariable {
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub value: SecretString,
}

impl ScalingoClient {
    pub async fn app_variables(&self, app: &str) -> Result<Vec<AppVariable>, ApiError> {
        #[derive(Deserialize)]
        struct Variables {
            variables: Vec<AppVariable>,
        }
        let url = self.url(Service::Api, &["apps", app, "variables"])?;
        let reply = self.api_call(Method::GET, url, None, Retry::Idempotent).await?;
        let list: Variables = decode(expect(reply, &[200])?, "the app's variables")?;
        Ok(list.variables)
    }

    /// The value of the app's variable `name`, if it has one.
    pub async fn app_variable(&self, app: &str, name: &str) -> Result<Option<SecretString>, ApiError> {
        Ok(self.app_variables(app).await?.into_iter().find(|v| v.name == name).map(|v| v.value))
    }
}
