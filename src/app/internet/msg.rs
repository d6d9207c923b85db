//! The requests of the Internet Access tab and their answers, wrapped in one `Effect` and one
//! `Msg` variant.

use std::time::Duration;

use super::FeatureKind;
use crate::api::{ApiError, Database, DbTarget, FeatureChange, FirewallRule, ManagedRange, NewFirewallRule};
use crate::app::RequestId;

#[derive(Debug)]
pub enum InternetEffect {
    /// Wait `after`, then answer `InternetMsg::Applied { mark }`.
    Applied {
        mark: RequestId,
        after: Duration,
    },
    SetFeature {
        id: RequestId,
        target: DbTarget,
        feature: FeatureKind,
        enable: bool,
    },
    /// Wait `after`, then read the database (its `features`). The wait is the runtime's, so
    /// `update` never reads the clock.
    PollDatabase {
        id: RequestId,
        target: DbTarget,
        after: Duration,
    },
    LoadRules {
        id: RequestId,
        target: DbTarget,
    },
    LoadRanges {
        id: RequestId,
        target: DbTarget,
    },
    CreateRule {
        id: RequestId,
        target: DbTarget,
        rule: NewFirewallRule,
    },
    DeleteRule {
        id: RequestId,
        target: DbTarget,
        rule: FirewallRule,
    },
    /// A custom rule's new label (empty: none).
    UpdateLabel {
        id: RequestId,
        target: DbTarget,
        rule: FirewallRule,
        label: String,
    },
}

#[derive(Debug)]
pub enum InternetMsg {
    /// The platform has had the time to apply the rule change marked `mark`.
    Applied {
        mark: RequestId,
    },
    FeatureSet {
        id: RequestId,
        feature: FeatureKind,
        enable: bool,
        result: Result<FeatureChange, ApiError>,
    },
    DatabasePolled {
        id: RequestId,
        result: Result<Database, ApiError>,
    },
    RulesLoaded {
        id: RequestId,
        result: Result<Vec<FirewallRule>, ApiError>,
    },
    RangesLoaded {
        id: RequestId,
        result: Result<Vec<ManagedRange>, ApiError>,
    },
    RuleCreated {
        id: RequestId,
        rule: NewFirewallRule,
        result: Result<FirewallRule, ApiError>,
    },
    RuleDeleted {
        id: RequestId,
        rule: FirewallRule,
        result: Result<(), ApiError>,
    },
    LabelUpdated {
        id: RequestId,
        rule: FirewallRule,
        label: String,
        result: Result<FirewallRule, ApiError>,
    },
}

impl InternetMsg {
    pub fn id(&self) -> RequestId {
        match self {
            InternetMsg::FeatureSet { id, .. }
            | InternetMsg::DatabasePolled { id, .. }
            | InternetMsg::RulesLoaded { id, .. }
            | InternetMsg::RangesLoaded { id, .. }
            | InternetMsg::RuleCreated { id, .. }
            | InternetMsg::RuleDeleted { id, .. }
            | InternetMsg::LabelUpdated { id, .. } => *id,
            InternetMsg::Applied { mark } => *mark,
        }
    }
}
