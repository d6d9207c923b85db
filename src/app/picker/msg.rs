//! The picker's requests and their answers, wrapped in one `Effect` and one `Msg` variant.

use super::CachedDatabase;
use crate::api::{Addon, ApiError, App, DedicatedDatabase};
use crate::app::RequestId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerEffect {
    /// The regions to list (the pinned one, else every region the account can use).
    LoadRegions {
        id: RequestId,
    },
    ListApps {
        id: RequestId,
        region: String,
    },
    /// `GET /v1/databases` of a region.
    ListDedicated {
        id: RequestId,
        region: String,
    },
    ListAddons {
        id: RequestId,
        region: String,
        app: String,
    },
    /// Keep the list for the next start.
    SaveCache(Vec<CachedDatabase>),
}

#[derive(Debug)]
pub enum PickerMsg {
    Regions { id: RequestId, result: Result<Vec<String>, ApiError> },
    Apps { id: RequestId, region: String, result: Result<Vec<App>, ApiError> },
    Dedicated { id: RequestId, region: String, result: Result<Vec<DedicatedDatabase>, ApiError> },
    Addons { id: RequestId, region: String, app: String, result: Result<Vec<Addon>, ApiError> },
}
