//! State, messages and the pure `update` that turns one into effects. No I/O here.
//!
//! Each tab (`users`, `extensions`, `internet`) and the `picker` has the same shape: its state
//! and types, its own messages and effects, `on_action` / `on_msg` called by `update` (and
//! `on_shown` where showing it loads something), and `load` for its list; the effects run in
//! `src/runtime/<same name>.rs`.
//! Requests go through `request` (begin, accept if current, lost answer, finish), and every
//! change that needs a confirmation goes through `confirm`.

pub mod access;
mod confirm;
pub mod display;
pub mod extensions;
mod form;
pub mod input;
pub mod internet;
pub mod journal;
pub mod keys;
pub mod list;
mod msg;
pub mod paste;
pub mod picker;
mod request;
mod session;
pub mod state;
mod token;
pub mod unsettled;
mod update;
pub mod users;
pub mod validation;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_confirm;
#[cfg(test)]
mod tests_forms;
#[cfg(test)]
mod tests_input;
#[cfg(test)]
mod tests_list;
#[cfg(test)]
mod tests_paste;
#[cfg(test)]
mod tests_token;
#[cfg(test)]
mod tests_unsettled;

pub use form::DISCARD_QUESTION;
pub use msg::{Effect, Lookup, Msg, OpenRequest, Opened, RequestId};
pub use state::State;
pub use update::{start, update};
