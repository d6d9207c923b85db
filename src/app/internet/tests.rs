//! Pure transition tests of the Internet Access tab: state and effects after each message.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::fixtures::*;
use super::*;
use crate::api::FeatureChange;
use crate::app::fixtures::key;
use crate::app::keys::Context;
use crate::app::state::{ConfirmAction, ConfirmForm, Modal};

// ---------------------------------------------------------------------------------------------
// Shared-resources databases

#[test]
fn shared_databases_show_two_switches_and_no_rules() {
    let state = shared(&[("force-ssl", "ACTIVATED")]);
    assert!(!is_dedicated(state.db()));
    assert_eq!(crate::app::keys::contexts(&state)[0], Context::Internet);
    assert_eq!(feature_status(state.db(), FeatureKind::Tls), FeatureStatus::Enabled);
    assert_eq!(
        feature_status(state.db(), FeatureKind::Internet),
        FeatureStatus::Disabled,
        "absent = disabled"
    );
    assert!(state.list().is_none(), "no table to move in");
}

#[test]
fn enabling_tls_asks_then_polls_every_3_s_until_it_settles() {
    let mut state = shared(&[]);
    assert!(key(&mut state, KeyCode::Char('t')).is_empty());
    assert!(
        matches!(&state.modal, Some(Modal::Confirm(ConfirmForm { action: ConfirmAction::Feature(f), .. })) if f.feature == FeatureKind::Tls && f.enable)
    );
    // Esc cancels without a request.
    key(&mut state, KeyCode::Esc);
    assert!(state.modal.is_none());
    key(&mut state, KeyCode::Char('t'));
    let InternetEffect::SetFeature { id, feature, enable, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!((feature, enable), (FeatureKind::Tls, true));
    let effects = internet(
        &mut state,
        InternetMsg::FeatureSet { id, feature, enable, result: Ok(change("PENDING_TO_ACTIVATE")) },
    );
    assert!(state.modal.is_none());
    assert_eq!(feature_status(state.db(), FeatureKind::Tls), FeatureStatus::Enabling);
    let poll = one(effects);
    assert!(matches!(poll, InternetEffect::PollDatabase { after, .. } if after == Duration::from_secs(3)));
    assert!(state.animating(), "the spinner turns while waiting");
    // Still pending: poll again, counting.
    let next = one(poll_answer(&mut state, poll, &[("force-ssl", "PENDING_TO_ACTIVATE")]));
    assert_eq!(state.db().internet.poll.map(|p| p.attempts), Some(1));
    assert!(poll_answer(&mut state, next, &[("force-ssl", "ACTIVATED")]).is_empty());
    assert_eq!(feature_status(state.db(), FeatureKind::Tls), FeatureStatus::Enabled);
    assert_eq!(state.db().internet.poll, None);
    assert_eq!(state.in_flight, 0);
    assert_eq!(status_text(&state), "TLS enforcement is enabled");
}

#[test]
fn internet_accessibility_needs_tls_first() {
    let mut state = shared(&[]);
    key(&mut state, KeyCode::Char('i'));
    let Some(Modal::Confirm(ConfirmForm { action: ConfirmAction::Feature(form), .. })) = &state.modal else {
        panic!("a question")
    };
    assert_eq!((form.feature, form.enable, form.prerequisite), (FeatureKind::Tls, true, true));
    let InternetEffect::SetFeature { id, feature, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(feature, FeatureKind::Tls, "TLS is enabled first");
    let poll = one(internet(
        &mut state,
        InternetMsg::FeatureSet { id, feature, enable: true, result: Ok(change("PENDING_TO_ACTIVATE")) },
    ));
    // While TLS is pending, Internet accessibility waits.
    key(&mut state, KeyCode::Char('i'));
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("press i again once it is"));
    poll_answer(&mut state, poll, &[("force-ssl", "ACTIVATED")]);
    assert!(status_text(&state).contains("press i again to enable Internet accessibility"));

    key(&mut state, KeyCode::Char('i'));
    let Some(Modal::Confirm(ConfirmForm { action: ConfirmAction::Feature(form), .. })) = &state.modal else {
        panic!()
    };
    assert_eq!((form.feature, form.enable, form.prerequisite), (FeatureKind::Internet, true, false));
    let InternetEffect::SetFeature { feature, enable, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!((feature, enable), (FeatureKind::Internet, true));
}

#[test]
fn tls_cannot_be_disabled_while_internet_accessibility_is_on() {
    let mut state = shared(&[("force-ssl", "ACTIVATED"), ("publicly-available", "ACTIVATED")]);
    assert!(key(&mut state, KeyCode::Char('t')).is_empty());
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("disable it first (i)"), "{}", status_text(&state));
    // Also while Internet accessibility is being disabled.
    let mut state = shared(&[("force-ssl", "ACTIVATED"), ("publicly-available", "PENDING_TO_REMOVE")]);
    key(&mut state, KeyCode::Char('t'));
    assert!(state.modal.is_none());
}

#[test]
fn disabling_sends_the_name_and_reads_the_database_at_once() {
    let mut state = shared(&[("force-ssl", "ACTIVATED"), ("publicly-available", "ACTIVATED")]);
    key(&mut state, KeyCode::Char('i'));
    assert!(
        matches!(&state.modal, Some(Modal::Confirm(ConfirmForm { action: ConfirmAction::Feature(f), .. })) if !f.enable)
    );
    let InternetEffect::SetFeature { id, feature, enable, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!((feature, enable), (FeatureKind::Internet, false));
    let result =
        Ok(FeatureChange { message: "Feature publicly-available is being disabled".into(), ..change("") });
    let poll = one(internet(&mut state, InternetMsg::FeatureSet { id, feature, enable, result }));
    assert!(matches!(poll, InternetEffect::PollDatabase { after: Duration::ZERO, .. }));
    assert_eq!(feature_status(state.db(), FeatureKind::Internet), FeatureStatus::Disabling);
    // A change in progress cannot be toggled again.
    key(&mut state, KeyCode::Char('i'));
    assert!(state.modal.is_none() && status_text(&state).contains("changing already"));
    assert!(poll_answer(&mut state, poll, &[("force-ssl", "ACTIVATED")]).is_empty());
    assert_eq!(status_text(&state), "Internet accessibility is disabled");
}

#[test]
fn a_failed_change_says_to_contact_support() {
    let mut state = shared(&[]);
    assert!(state.db().internet.poll.is_none());
    key(&mut state, KeyCode::Char('t'));
    let InternetEffect::SetFeature { id, feature, enable, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    let effects =
        internet(&mut state, InternetMsg::FeatureSet { id, feature, enable, result: Ok(change("FAILED")) });
    assert!(effects.is_empty());
    assert!(status_text(&state).contains("contact Scalingo support"));

    // A change already pending at connection (GS's `PENDING`) is watched from the start.
    let (mut state, effects) = connect("postgresql", database(features(&[("force-ssl", "PENDING")])));
    let poll = effects.into_iter().find_map(|e| match e {
        Effect::Internet(poll @ InternetEffect::PollDatabase { .. }) => Some(poll),
        _ => None,
    });
    let poll = poll.expect("a poll starts at connection");
    assert_eq!(feature_status(state.db(), FeatureKind::Tls), FeatureStatus::Enabling);
    poll_answer(&mut state, poll, &[("force-ssl", "FAILED")]);
    assert_eq!(feature_status(state.db(), FeatureKind::Tls), FeatureStatus::Failed);
    assert_eq!(status_text(&state), "Enabling TLS enforcement failed: contact Scalingo support");
    assert!(state.db().internet.poll.is_none());

    // A failed feature gets no new question, and its hint never points at a key that would
    // ask something else.
    assert!(key(&mut state, KeyCode::Char('t')).is_empty());
    assert!(state.modal.is_none());
    assert_eq!(status_text(&state), "TLS enforcement failed to change: contact Scalingo support");
    let mut state = shared(&[("force-ssl", "ACTIVATED"), ("publicly-available", "FAILED")]);
    key(&mut state, KeyCode::Char('t'));
    assert!(state.modal.is_none());
    assert!(status_text(&state).contains("failed state: contact Scalingo support"));
}

#[test]
fn polling_stops_after_5_minutes() {
    let mut state = shared(&[]);
    let mut poll = one(features::poll_now(&mut state));
    let pending = [("force-ssl", "PENDING_TO_ACTIVATE")];
    for n in 1..MAX_POLLS {
        poll = one(poll_answer(&mut state, poll, &pending));
        assert_eq!(state.db().internet.poll.map(|p| p.attempts), Some(n));
    }
    assert!(poll_answer(&mut state, poll, &pending).is_empty(), "the 100th pending answer ends it");
    assert!(state.db().internet.timed_out && state.db().internet.poll.is_none());
    assert_eq!(state.in_flight, 0);
    assert!(status_text(&state).contains("still pending after 5 minutes"), "{}", status_text(&state));
    // r checks again, from zero.
    let effect = one(key(&mut state, KeyCode::Char('r')));
    assert!(matches!(effect, InternetEffect::PollDatabase { after: Duration::ZERO, .. }));
    assert!(!state.db().internet.timed_out);
    assert_eq!(state.db().internet.poll.map(|p| p.attempts), Some(0));
    assert_eq!(MAX_POLLS as u64 * POLL_EVERY.as_secs(), 300);
}

#[test]
fn stale_polls_and_refusals() {
    let mut state = shared(&[]);
    let old = one(features::poll_now(&mut state));
    let _new = one(key(&mut state, KeyCode::Char('r')));
    assert!(poll_answer(&mut state, old, &[("force-ssl", "ACTIVATED")]).is_empty());
    assert_eq!(
        feature_status(state.db(), FeatureKind::Tls),
        FeatureStatus::Disabled,
        "a stale answer is dropped"
    );
    assert_eq!(state.in_flight, 1);

    // A refusal keeps the question open with the server's reason.
    let mut state = shared(&[]);
    key(&mut state, KeyCode::Char('t'));
    let InternetEffect::SetFeature { id, feature, enable, .. } = one(key(&mut state, KeyCode::Enter)) else {
        panic!()
    };
    let result = Err(http(422, "name publicly-available requires force-ssl"));
    assert!(internet(&mut state, InternetMsg::FeatureSet { id, feature, enable, result }).is_empty());
    let Some(Modal::Confirm(form)) = &state.modal else { panic!() };
    assert!(form.server_error.as_deref().unwrap().contains("req-7"));
    assert_eq!(form.pending, None);
}

#[test]
fn read_only_turns_every_change_off() {
    let mut state = shared(&[]);
    state.session.read_only = true;
    for c in ['t', 'i'] {
        assert!(key(&mut state, KeyCode::Char(c)).is_empty());
        assert!(state.modal.is_none());
    }
    let mut state = dedicated(vec![rule("r1", "203.0.113.0/24", None)]);
    state.session.read_only = true;
    for c in ['n', 'd'] {
        assert!(key(&mut state, KeyCode::Char(c)).is_empty());
        assert!(state.modal.is_none());
    }
    assert!(status_text(&state).contains("Read-only"));
}
