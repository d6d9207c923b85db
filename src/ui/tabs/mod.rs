//! One file per tab.

pub mod later;
pub mod users;
