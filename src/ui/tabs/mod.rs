//! One file per tab.

pub mod extensions;
pub mod internet;
pub mod users;
