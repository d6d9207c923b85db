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
