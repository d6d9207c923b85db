//! The Scalingo HTTPS client: token exchange, app and addon lookup, and the database API with its
//! per-addon token. No terminal code lives here.

mod answer;
mod client;
mod error;
mod http;
mod lookup;
mod pace;
mod tokens;
pub mod types;
pub mod validate;

pub use client::apps::{App, DedicatedDatabase};
pub(crate) use client::apps::{app_not_found, database_from_addons};
pub use client::extensions::EnabledExtension;
pub use client::regions::Region;
pub use client::variables::AppVariable;
pub use client::{ClientOptions, Endpoints, RequestStats, ScalingoClient, check_endpoints};
pub use error::{ApiError, FieldError};
pub(crate) use lookup::select_addon;
pub use pace::Pace;
pub use types::*;

pub mod cidr;
mod features;
mod firewall;
pub use features::{FORCE_SSL, FeatureChange, FeatureStatus, PUBLICLY_AVAILABLE};
pub use firewall::{
    CUSTOM_RANGE, FirewallRule, MANAGED_RANGE, MAX_FIREWALL_RULES, ManagedRange, NewFirewallRule,
};
