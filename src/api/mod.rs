//! The Scalingo HTTPS client: token exchange, app and addon lookup, and the database API with its
//! per-addon token. No terminal code lives here.

mod client;
mod error;
mod http;
mod lookup;
mod tokens;
pub mod types;
pub mod validate;

pub use client::extensions::EnabledExtension;
pub use client::variables::AppVariable;
pub use client::{ClientOptions, Endpoints, RequestStats, ScalingoClient};
pub use error::{ApiError, FieldError};
pub use types::*;

pub mod cidr;
mod features;
mod firewall;
pub use features::{FORCE_SSL, FeatureChange, FeatureStatus, PUBLICLY_AVAILABLE};
pub use firewall::{
    CUSTOM_RANGE, FirewallRule, MANAGED_RANGE, MAX_FIREWALL_RULES, ManagedRange, NewFirewallRule,
};
