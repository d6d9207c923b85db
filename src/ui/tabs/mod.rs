//! One file per tab.

pub mod extensions;
pub mod later;
pub mod users;
