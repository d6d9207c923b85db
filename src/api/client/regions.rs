//! The regions endpoint (`GET {auth}/v1/regions`): always asked with the JWT, since without one
//! the platform hides restricted regions such as osc-secnum-fr1.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use url::Url;

use super::super::error::ApiError;
use super::super::http::Retry;
use super::{ScalingoClient, Service, decode, expect};

/// One region and the base URLs of its main API and database API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Region {
    pub name: String,
    pub display_name: String,
    pub api: String,
    pub database_api: String,
    pub default: bool,
    /// The SSH host reaching its databases (`ssh.osc-fr1.scalingo.com:22`).
    pub ssh: String,
}

impl Region {
    /// Its API and database API URLs, checked.
    pub fn urls(&self) -> Result<(Url, Url), ApiError> {
        let parse = |what: &str, text: &str| {
            Url::parse(text).map_err(|e| {
                ApiError::Config(format!("region {}: its {what} URL '{text}' is not a URL ({e})", self.name))
            })
        };
        Ok((parse("API", &self.api)?, parse("database API", &self.database_api)?))
    }
}

impl ScalingoClient {
    /// The regions this account can use. Entries without a name are skipped.
    pub async fn regions(&self) -> Result<Vec<Region>, ApiError> {
        #[derive(Deserialize)]
        struct Regions {
            regions: Vec<Region>,
        }
        let url = self.url(Service::Auth, &["regions"])?;
        let reply = self.api_call(Method::GET, url, None, Retry::Idempotent).await?;
        let list: Regions = decode(expect(reply, &[200])?, "the region list")?;
        Ok(list.regions.into_iter().filter(|r| !r.name.is_empty()).collect())
    }
}
