//! Database features: TLS enforcement (`force-ssl`) and Internet accessibility
//! (`publicly-available`), enabled with a JSON body (`POST …/features`) and disabled with the
//! name in the query string (`DELETE …/features?feature=NAME`, no body).

use reqwest::Method;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::ScalingoClient;
use super::client::{Service, decode, expect};
use super::error::ApiError;
use super::http::Retry;
use super::types::{DbTarget, Feature};

pub const FORCE_SSL: &str = "force-ssl";
pub const PUBLICLY_AVAILABLE: &str = "publicly-available";

/// Where a feature stands, from the `features` of a database (absent means disabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureStatus {
    Disabled,
    Enabled,
    /// `PENDING_TO_ACTIVATE` (or the older `PENDING`): being enabled.
    Enabling,
    /// `PENDING_TO_REMOVE`: being disabled.
    Disabling,
    /// The platform could not apply the change: only support can help.
    Failed,
}

impl FeatureStatus {
    /// The status of `name` among `features`. Any other `PENDING*` counts as being enabled, and
    /// an unknown status as failed, so that nothing unknown is shown as settled.
    pub fn of(features: &[Feature], name: &str) -> FeatureStatus {
        match features.iter().find(|f| f.name == name) {
            None => FeatureStatus::Disabled,
            Some(f) => FeatureStatus::from_status(&f.status),
        }
    }

    pub fn from_status(status: &str) -> FeatureStatus {
        match status.to_ascii_uppercase().as_str() {
            "ACTIVATED" => FeatureStatus::Enabled,
            "PENDING_TO_REMOVE" => FeatureStatus::Disabling,
            s if s.starts_with("PENDING") => FeatureStatus::Enabling,
            _ => FeatureStatus::Failed,
        }
    }

    pub fn is_pending(self) -> bool {
        matches!(self, FeatureStatus::Enabling | FeatureStatus::Disabling)
    }
}

/// The answer to an enable (`{name, status, message}`, with no root key) or a disable (only
/// `message`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FeatureChange {
    pub name: String,
    pub status: String,
    pub message: String,
}

impl ScalingoClient {
    /// `POST /databases/{id}/features {"feature": {"name": …}}` → 200 `{name, status, message}`.
    /// Sent once: an unknown outcome is settled by reading the database again.
    pub async fn enable_feature(&self, target: &DbTarget, name: &str) -> Result<FeatureChange, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "features"])?;
        let body = serde_json::to_vec(&serde_json::json!({"feature": {"name": name}}))
            .expect("a JSON value serializes");
        let reply = self.db_call(target, Method::POST, url, Some(Zeroizing::new(body)), Retry::Once).await?;
        let mut change: FeatureChange = decode(expect(reply, &[200])?, "the feature change")?;
        if change.name.is_empty() {
            change.name = name.to_owned();
        }
        Ok(change)
    }

    /// `DELETE /databases/{id}/features?feature=NAME` → 200 `{"message"}`.
    pub async fn disable_feature(&self, target: &DbTarget, name: &str) -> Result<FeatureChange, ApiError> {
        let mut url = self.url(Service::Db, &["databases", &target.addon_id, "features"])?;
        url.query_pairs_mut().append_pair("feature", name);
        let reply = self.db_call(target, Method::DELETE, url, None, Retry::Idempotent).await?;
        // A retried DELETE that finds nothing: the lost first attempt did the work.
        if reply.status == 404 && reply.after_unknown {
            return Ok(FeatureChange { name: name.to_owned(), ..FeatureChange::default() });
        }
        let reply = expect(reply, &[200])?;
        let mut change: FeatureChange = serde_json::from_slice(&reply.body).unwrap_or_default();
        change.name = name.to_owned();
        Ok(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_from_every_source() {
        let features = vec![
            Feature { name: FORCE_SSL.into(), status: "ACTIVATED".into() },
            Feature { name: PUBLICLY_AVAILABLE.into(), status: "PENDING".into() },
        ];
        assert_eq!(FeatureStatus::of(&features, FORCE_SSL), FeatureStatus::Enabled);
        assert_eq!(FeatureStatus::of(&features, PUBLICLY_AVAILABLE), FeatureStatus::Enabling);
        assert_eq!(FeatureStatus::of(&features, "redis-aof"), FeatureStatus::Disabled);
        assert_eq!(FeatureStatus::from_status("PENDING_TO_ACTIVATE"), FeatureStatus::Enabling);
        assert_eq!(FeatureStatus::from_status("PENDING_TO_REMOVE"), FeatureStatus::Disabling);
        assert_eq!(FeatureStatus::from_status("FAILED"), FeatureStatus::Failed);
        assert!(FeatureStatus::Disabling.is_pending() && !FeatureStatus::Failed.is_pending());
    }
}
