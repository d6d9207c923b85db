//! The Extensions tab's requests and their answers, wrapped in one `Effect` and one `Msg` variant.

use crate::api::{ApiError, DbTarget, EnabledExtension};
use crate::app::RequestId;
use crate::sql::{Change, HostKeyOffer, Listing, SqlError};

#[derive(Debug)]
pub enum ExtensionsEffect {
    /// `list-extensions` through the database API.
    LoadApi { id: RequestId, target: DbTarget },
    /// The allowed list over SQL (the URL resolved by the runtime: configured, else the app's).
    LoadSql { id: RequestId, target: DbTarget },
    /// Enable or disable one extension over SQL; answers with a fresh list.
    Change { id: RequestId, target: DbTarget, name: String, change: Change },
    /// Append the SSH host key the operator saw to their `known_hosts`.
    TrustHostKey { id: RequestId, offer: Box<HostKeyOffer> },
}

#[derive(Debug)]
pub enum ExtensionsMsg {
    ApiLoaded { id: RequestId, result: Result<Vec<EnabledExtension>, ApiError> },
    SqlLoaded { id: RequestId, result: Result<Listing, SqlError> },
    Changed { id: RequestId, name: String, change: Change, result: Result<Listing, SqlError> },
    HostKeyTrusted { id: RequestId, result: Result<(), String> },
}

impl ExtensionsMsg {
    pub fn id(&self) -> RequestId {
        match self {
            ExtensionsMsg::ApiLoaded { id, .. }
            | ExtensionsMsg::SqlLoaded { id, .. }
            | ExtensionsMsg::Changed { id, .. }
            | ExtensionsMsg::HostKeyTrusted { id, .. } => *id,
        }
    }
}
