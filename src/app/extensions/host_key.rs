//! An SSH host key ssh does not know: the tab shows its fingerprints (from the SQL error) and
//! `K` records exactly those keys, then lists again. Nothing is recorded without that key.

use super::super::msg::{Effect, RequestId};
use super::super::state::State;
use super::super::update::{answered, begin_request, error, info};
use super::{ExtensionsEffect, load};
use crate::app::keys::Reason;
use crate::sql::{HostKeyOffer, SqlError};

fn offered(state: &State) -> Option<&HostKeyOffer> {
    match &state.dash()?.extensions.sql_error {
        Some(SqlError::UnknownHostKey(offer)) => Some(&**offer),
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
    if let Some(dash) = state.dash_mut() {
        dash.extensions.sql_error = None;
    }
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

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::super::ExtensionsMsg;
    use super::super::tests::shown;
    use super::*;
    use crate::app::fixtures::connected;
    use crate::app::{Msg, update};

    fn offer() -> HostKeyOffer {
        HostKeyOffer {
            via: "ssh.osc-fr1.scalingo.com".into(),
            fingerprints: vec!["ED25519 SHA256:abc".into()],
            lines: vec!["ssh.osc-fr1.scalingo.com ssh-ed25519 AAAA".into()],
            file: "/home/ops/.ssh/known_hosts".into(),
        }
    }

    fn press_k(state: &mut State) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(KeyCode::Char('K'), KeyModifiers::SHIFT)))
    }

    #[test]
    fn k_records_only_the_key_shown_then_lists_again() {
        let mut state = connected("postgresql");
        let (_, sql) = shown(&mut state);
        assert!(press_k(&mut state).is_empty(), "nothing to trust yet");
        let error = SqlError::UnknownHostKey(Box::new(offer()));
        update(&mut state, Msg::Extensions(ExtensionsMsg::SqlLoaded { id: sql, result: Err(error) }));
        let effects = press_k(&mut state);
        let [Effect::Extensions(ExtensionsEffect::TrustHostKey { id, offer: trusted })] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(**trusted, offer());
        let done = ExtensionsMsg::HostKeyTrusted { id: *id, result: Ok(()) };
        let effects = update(&mut state, Msg::Extensions(done));
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Extensions(ExtensionsEffect::LoadSql { .. }))),
            "{effects:?}"
        );
        assert!(press_k(&mut state).is_empty(), "the offer is used once");
    }
}
