//! The enabled extensions as the database API reports them (`POST …/action`, `list-extensions`):
//! the only public way to read them without a SQL connection.

use reqwest::Method;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::super::error::ApiError;
use super::super::http::Retry;
use super::super::types::DbTarget;
use super::{ScalingoClient, Service, decode, expect};

/// An enabled extension and its version, from `list-extensions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct EnabledExtension {
    pub name: String,
    pub version: String,
}

impl ScalingoClient {
    /// `POST /databases/{id}/action` with `list-extensions` (PostgreSQL only). The action answers
    /// 200 either way; `{"ok": 0, "error": ...}` becomes an error in the server's words.
    pub async fn enabled_extensions(&self, target: &DbTarget) -> Result<Vec<EnabledExtension>, ApiError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            ok: i64,
            result: Option<Vec<EnabledExtension>>,
            error: Option<String>,
        }
        let url = self.url(Service::Db, &["databases", &target.addon_id, "action"])?;
        let body = Zeroizing::new(br#"{"action_name":"list-extensions","params":null}"#.to_vec());
        // Reading only: safe to retry.
        let reply = self.db_call(target, Method::POST, url, Some(body), Retry::Idempotent).await?;
        let reply = expect(reply, &[200])?;
        let (status, request_id) = (reply.status, reply.request_id.clone());
        let answer: Answer = decode(reply, "the extension list")?;
        match answer {
            Answer { ok: 1, result, .. } => Ok(result.unwrap_or_default()),
            Answer { error, .. } => Err(ApiError::Http {
                status,
                message: format!(
                    "list-extensions failed: {}",
                    error.filter(|e| !e.is_empty()).unwrap_or_else(|| "no reason given".into())
                ),
                fields: vec![],
                request_id,
            }),
        }
    }
}
