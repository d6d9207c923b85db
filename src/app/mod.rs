//! State, messages and the pure `update` that turns one into effects. No I/O here.

pub mod input;
mod msg;
pub mod state;
mod update;
pub mod validation;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;

pub use msg::{Effect, Msg, RequestId};
pub use state::State;
pub use update::{start, update};
