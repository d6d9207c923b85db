//! Which client answers for which region. The auth service is global; each region has its own
//! API and database API, whose URLs come from `GET /v1/regions` (asked with the JWT, cached ten
//! minutes on disk), or, for a region pinned with `--region`, from its documented names and the
//! URL variables. Every region's client shares one JWT, one addon-token cache and one set of
//! request counters.

use std::path::PathBuf;
use std::time::SystemTime;

use secrecy::SecretString;

use crate::api::{ApiError, ClientOptions, Endpoints, RequestStats, ScalingoClient, check_endpoints};
use crate::store;

/// How to reach Scalingo, fixed for the run.
#[derive(Debug, Clone)]
pub struct Reach {
    /// The auth URL; with `pinned_urls`, also the pinned region's API and database API.
    pub endpoints: Endpoints,
    /// `--region` / `SCALINGO_REGION`: only this region is used.
    pub pin: Option<String>,
    /// The pinned region's URLs are `endpoints`: the region list is not asked for.
    pub pinned_urls: bool,
    /// Where the region list is cached between runs (`None`: not cached, as in `--demo`).
    pub regions_cache: Option<PathBuf>,
    pub options: ClientOptions,
}

pub struct Directory {
    reach: Reach,
    /// `None` until a token is known (the first screen asks for one).
    base: Option<ScalingoClient>,
    /// Each usable region's client, once the region list was read.
    regions: tokio::sync::Mutex<Option<Vec<(String, ScalingoClient)>>>,
    /// Each region's SSH host, as the region list gives it (the SQL tunnel's way in).
    ssh_hosts: std::sync::Mutex<Vec<(String, String)>>,
}

impl Directory {
    pub fn new(reach: Reach, token: Option<SecretString>) -> Result<Directory, ApiError> {
        check_endpoints(&reach.endpoints)?;
        let base = match token {
            Some(token) => Some(ScalingoClient::new(reach.endpoints.clone(), token, reach.options.clone())?),
            None => None,
        };
        let (regions, ssh_hosts) = (tokio::sync::Mutex::new(None), std::sync::Mutex::new(vec![]));
        Ok(Directory { reach, base, regions, ssh_hosts })
    }

    fn base(&self) -> Result<&ScalingoClient, ApiError> {
        self.base.as_ref().ok_or_else(|| ApiError::Config("no API token yet".into()))
    }

    /// The names of the regions to use, in the platform's order.
    pub async fn regions(&self) -> Result<Vec<String>, ApiError> {
        Ok(self.clients().await?.into_iter().map(|(name, _)| name).collect())
    }

    /// The client of `region`.
    pub async fn client(&self, region: &str) -> Result<ScalingoClient, ApiError> {
        self.clients()
            .await?
            .into_iter()
            .find(|(name, _)| name == region)
            .map(|(_, client)| client)
            .ok_or_else(|| ApiError::Lookup(format!("region '{region}' is not one this account can use")))
    }

    /// `region`'s SSH host from the region list, once read (not for a pinned region's URLs).
    pub fn ssh_host(&self, region: &str) -> Option<String> {
        let hosts = self.ssh_hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts.iter().find(|(name, ssh)| name == region && !ssh.is_empty()).map(|(_, ssh)| ssh.clone())
    }

    pub fn stats(&self) -> RequestStats {
        self.base.as_ref().map(ScalingoClient::stats).unwrap_or_default()
    }

    /// Reads the region list once (the lock is held meanwhile, so concurrent callers share one
    /// request); a failure is not remembered, so the next call asks again.
    async fn clients(&self) -> Result<Vec<(String, ScalingoClient)>, ApiError> {
        let base = self.base()?;
        if let (Some(pin), true) = (&self.reach.pin, self.reach.pinned_urls) {
            return Ok(vec![(pin.clone(), base.clone())]);
        }
        let mut known = self.regions.lock().await;
        if let Some(list) = known.as_ref() {
            return Ok(list.clone());
        }
        let auth = base.endpoints().auth.as_str().to_owned();
        let now = SystemTime::now();
        let cache = self.reach.regions_cache.as_deref();
        let regions = match cache.and_then(|path| store::read_regions(path, &auth, now)) {
            Some(regions) => regions,
            None => {
                let regions = base.regions().await?;
                if let Some(path) = cache {
                    store::write_regions(path, &auth, &regions, now);
                }
                regions
            }
        };
        *self.ssh_hosts.lock().unwrap_or_else(|e| e.into_inner()) =
            regions.iter().map(|r| (r.name.clone(), r.ssh.clone())).collect();
        let mut list = vec![];
        for region in &regions {
            if self.reach.pin.as_ref().is_some_and(|pin| *pin != region.name) {
                continue;
            }
            // A region with unusable URLs is left out; the others still work.
            match region.urls().and_then(|(api, db)| base.for_region(api, db)) {
                Ok(client) => list.push((region.name.clone(), client)),
                Err(e) => tracing::warn!(region = %region.name, "region left out: {e}"),
            }
        }
        if list.is_empty() {
            let names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
            return Err(ApiError::Lookup(match &self.reach.pin {
                Some(pin) => format!("region '{pin}' is not one this account can use ({})", names.join(", ")),
                None => "the platform listed no usable region".into(),
            }));
        }
        *known = Some(list.clone());
        Ok(list)
    }
}
