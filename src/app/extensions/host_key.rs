//! An SSH host key ssh does not know: the tab shows its fingerprints (from the SQL error) and
//! `K` records exactly those keys, then lists again. Nothing is recorded without that key.

use super::super::msg::{Effect, RequestId};
use super::super::state::State;
use super::super::update::{answered, begin_request, error, info};
use super::{ExtensionsEffect, load};
use crate::app::keys::Reason;
use crate::sql::{HostKeyOffer, SqlError};

fn offered(state: &State) -> Option<&HostKeyOffer> {
    match &state.extensions.sql_error {
        Some(SqlError::UnknownHostKey(offer)) => Some(offer),
        _ => None,
    }
}

pub(crate) fn why_not(state: &State) -> Result<(), Reason> {
    match offered(state) {
        Some(_) => Ok(()),
        None => Err(Reason::NotNow("no SSH host key waits for a decision".into())),
    }
}

pub(super) fn trust(state: &mut State) -> Vec<Effect> {
    let Some(offer) = offered(state).cloned() else {
        error(state, "No SSH host key waits for a decision");
        return vec![];
    };
    let id = begin_request(state);
    state.extensions.sql_error = None;
    vec![Effect::Extensions(ExtensionsEffect::TrustHostKey { id, offer: Box::new(offer) })]
}

pub(super) fn on_trusted(state: &mut State, _id: RequestId, result: Result<(), String>) -> Vec<Effect> {
    answered(state);
    match result {
        Ok(()) => {
            info(state, "SSH host key recorded in known_hosts");
            load(state)
        }
        Err(e) => {
            error(state, e);
            vec![]
        }
    }
}
