//! What every form that sends a request shares: the keys while its answer is awaited, and Esc
//! on what was typed. How its request ends is `request::finish`.

use super::msg::RequestId;
use super::state::{Modal, State};
use super::update::info;
use crate::app::keys::Action;

impl Modal {
    /// The request the form awaits and the server's refusal, for the modals that send one.
    pub(super) fn submission(&mut self) -> Option<(&mut Option<RequestId>, &mut Option<String>)> {
        match self {
            Modal::CreateUser(f) => Some((&mut f.pending, &mut f.server_error)),
            Modal::SetPassword(f) => Some((&mut f.pending, &mut f.server_error)),
            Modal::Confirm(f) => Some((&mut f.pending, &mut f.server_error)),
            Modal::NewRule(f) => Some((&mut f.pending, &mut f.server_error)),
            Modal::RuleLabel(f) => Some((&mut f.pending, &mut f.server_error)),
            Modal::Help | Modal::Reveal(_) | Modal::Journal(_) => None,
        }
    }
}

impl Modal {
    /// Whether the modal asks "Discard what you typed?" (Esc was pressed on a changed form).
    pub fn discard_asked(&self) -> bool {
        match self {
            Modal::CreateUser(f) => f.discard_asked,
            Modal::SetPassword(f) => f.discard_asked,
            Modal::NewRule(f) => f.discard_asked,
            Modal::RuleLabel(f) => f.discard_asked,
            _ => false,
        }
    }
}

/// Whether a form's request is in flight, which takes every key: the form stays, so its answer
/// has somewhere to land. Esc says so; other keys are ignored.
pub(super) fn waiting(state: &mut State, pending: Option<RequestId>, action: Option<Action>) -> bool {
    if pending.is_some() && action == Some(Action::Cancel) {
        info(state, "Waiting for the server's answer…");
    }
    pending.is_some()
}

/// What Esc (or the key after it) does to a form the operator may have typed into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Discard {
    /// Unchanged, or Esc a second time: the form closes.
    Close,
    /// The key was the answer to the question (or asked it): the form stays, the key is used.
    Stay,
    /// Not about discarding: the form handles the key.
    Pass,
}

/// Esc closes an unchanged form at once; on a changed one it asks first (`asked`, which the
/// modal shows), and then only a second Esc discards: any other key keeps editing, and is
/// used up by that, so a stray Enter cannot submit what the operator was about to leave.
pub(super) fn discard(changed: bool, asked: &mut bool, action: Option<Action>) -> Discard {
    let esc = action == Some(Action::Cancel);
    if std::mem::take(asked) {
        return if esc { Discard::Close } else { Discard::Stay };
    }
    match (esc, changed) {
        (true, true) => {
            *asked = true;
            Discard::Stay
        }
        (true, false) => Discard::Close,
        (false, _) => Discard::Pass,
    }
}

/// The question a changed form asks on Esc.
pub const DISCARD_QUESTION: &str = "Discard what you typed? Esc again discards; any other key keeps editing.";
