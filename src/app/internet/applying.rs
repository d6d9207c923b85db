//! Rule changes the platform is still applying: it documents about 2 minutes before an added or
//! deleted rule takes effect, so each is marked for that long. Time reaches `update` as ticks
//! (one per 100 ms, sent while `State::animating`), never as a clock read.

use crate::app::state::State;

/// 2 minutes at one tick per 100 ms.
pub const APPLYING_TICKS: u32 = 1200;

/// A rule added or deleted during this run, until the platform has applied it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applying {
    /// The rule's CIDR or managed range id, as `FirewallRule::source` gives it.
    pub source: String,
    pub deleted: bool,
    pub ticks_left: u32,
}

/// Marks the rule `source` as applying, for the full delay again if it already was.
pub(super) fn mark(state: &mut State, source: &str, deleted: bool) {
    let applying = &mut state.internet.applying;
    applying.retain(|a| a.source != source);
    applying.push(Applying { source: source.to_owned(), deleted, ticks_left: APPLYING_TICKS });
}

/// One tick: the marks count down, and go once the delay is over.
pub fn on_tick(state: &mut State) {
    let applying = &mut state.internet.applying;
    for a in applying.iter_mut() {
        a.ticks_left = a.ticks_left.saturating_sub(1);
    }
    applying.retain(|a| a.ticks_left > 0);
}
