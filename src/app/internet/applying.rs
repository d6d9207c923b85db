//! Rule changes the platform is still applying: it documents about 2 minutes before an added or
//! deleted rule takes effect, so each is marked for that long. The wait is the runtime's (an
//! effect that answers once the delay is over), so `update` never reads the clock and nothing
//! redraws meanwhile.

use std::time::Duration;

use super::InternetEffect;
use crate::app::msg::{Effect, RequestId};
use crate::app::state::State;

/// How long the platform takes to apply a rule change.
pub const APPLYING_FOR: Duration = Duration::from_secs(120);

/// A rule added or deleted during this run, until the platform has applied it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applying {
    /// The rule's CIDR or managed range id, as `FirewallRule::source` gives it.
    pub source: String,
    pub deleted: bool,
    /// Which wait ends it (an id like a request's, so an answer for a database the operator
    /// has left is dropped); marking the rule again starts a new one.
    pub mark: RequestId,
}

/// Marks the rule `source` as applying, for the full delay again if it already was.
#[must_use]
pub(super) fn mark(state: &mut State, source: &str, deleted: bool) -> Effect {
    state.next_id += 1;
    let mark = state.next_id;
    if let Some(tab) = super::tab_mut(state) {
        tab.applying.retain(|a| a.source != source);
        tab.applying.push(Applying { source: source.to_owned(), deleted, mark });
    }
    Effect::Internet(InternetEffect::Applied { mark, after: APPLYING_FOR })
}

/// The delay of `mark` is over.
pub(super) fn on_applied(state: &mut State, mark: RequestId) {
    if let Some(tab) = super::tab_mut(state) {
        tab.applying.retain(|a| a.mark != mark);
    }
}
