//! One file per tab.

pub mod internet;
pub mod later;
pub mod users;
