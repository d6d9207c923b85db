//! The life of a request, in one place for every tab: `begin` (a fresh id, counted in flight,
//! recorded as the one awaited), `accept` (only the awaited answer, for the database still
//! open, with a refused token sent to the token screen), `lost` (a change whose answer was lost
//! stays unsettled until its list is read again) and `finish` (the end of a change asked from
//! a form).

use super::msg::{Effect, RequestId};
use super::state::{Dashboard, Modal, Remote, State};
use super::unsettled::{self, Unsettled};
use super::update::{answered, begin_request, error};
use crate::api::{ApiError, DbTarget};
use crate::sql::SqlError;

/// Starts reading the list `pick` chooses on the open database: its id and the database, or
/// `None` while nothing is connected.
pub(super) fn begin<T>(
    state: &mut State,
    pick: impl FnOnce(&mut Dashboard) -> &mut Remote<T>,
) -> Option<(RequestId, DbTarget)> {
    let target = state.target()?.clone();
    let id = begin_request(state);
    pick(state.dash_mut()?).pending = Some(id);
    Some((id, target))
}

/// Starts a change from a form: its id, awaited by the form, whose last refusal is cleared.
pub(super) fn send(
    state: &mut State,
    pending: &mut Option<RequestId>,
    server_error: &mut Option<String>,
) -> RequestId {
    let id = begin_request(state);
    *pending = Some(id);
    *server_error = None;
    id
}

/// The answer `id` for the list `pick` chooses, if it is the one awaited: `None` for an older
/// request's, for a database that was left, or when the platform refused the token (the token
/// screen then says so).
pub(super) fn accept<T, R, E: Failure>(
    state: &mut State,
    id: RequestId,
    result: Result<R, E>,
    pick: impl FnOnce(&mut Dashboard) -> &mut Remote<T>,
) -> Option<Result<R, E>> {
    answered(state);
    let remote = pick(state.dash_mut()?);
    if remote.pending != Some(id) {
        return None;
    }
    remote.pending = None;
    match result {
        Err(e) if e.api().is_some_and(|e| super::token::refused(state, e)) => None,
        result => Some(result),
    }
}

/// A change whose answer was lost: says `text`, and refuses other changes until the list that
/// settles it is read again (asked for now, so that the read comes after the change).
pub(super) fn lost(state: &mut State, text: String, change: Unsettled) -> Vec<Effect> {
    error(state, text);
    let Some(dash) = state.dash_mut() else { return vec![] };
    dash.unsettled = Some(change.clone());
    unsettled::load_list(state, &change)
}

/// Why a change failed: refused (nothing changed) or with an unknown outcome.
pub(super) trait Failure: std::fmt::Display {
    fn outcome_unknown(&self) -> bool;

    /// The API's error, to recognise a refused token.
    fn api(&self) -> Option<&ApiError> {
        None
    }
}

impl Failure for ApiError {
    fn outcome_unknown(&self) -> bool {
        ApiError::outcome_unknown(self)
    }

    fn api(&self) -> Option<&ApiError> {
        Some(self)
    }
}

impl Failure for SqlError {
    fn outcome_unknown(&self) -> bool {
        !self.refused()
    }
}

/// How a change ended, for the modal that asked for it: done (the modal closes), unknown (it
/// closes; the caller finds out or says so) or refused (it stays, with the server's reason).
pub(super) enum Outcome<T, E> {
    Done(T),
    Unknown(E),
    Refused,
}

/// The common ending of a change. An answer to a request the modal no longer awaits leaves the
/// modal alone; a refusal then goes to the status line.
pub(super) fn finish<T, E: Failure>(state: &mut State, id: RequestId, result: Result<T, E>) -> Outcome<T, E> {
    answered(state);
    let ours =
        state.modal.as_mut().and_then(Modal::submission).is_some_and(|(pending, _)| *pending == Some(id));
    let outcome = match result {
        Ok(value) => Outcome::Done(value),
        // Refused before reaching the API: nothing changed; the token screen says why.
        Err(e) if e.api().is_some_and(|e| super::token::refused(state, e)) => return Outcome::Refused,
        Err(e) if e.outcome_unknown() => Outcome::Unknown(e),
        Err(e) => {
            match state.modal.as_mut().and_then(Modal::submission) {
                Some((pending, server_error)) if ours => {
                    (*pending, *server_error) = (None, Some(e.to_string()))
                }
                _ => error(state, e.to_string()),
            }
            return Outcome::Refused;
        }
    };
    if ours {
        state.modal = None;
    }
    outcome
}
