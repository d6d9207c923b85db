//! TLS enforcement and Internet accessibility on shared-resources databases: the questions
//! before a change, the prerequisite (Internet accessibility needs TLS enforcement),
//! and the polling of a pending change until it settles, fails or times out.

use std::time::Duration;

use super::{FeatureKind, FeatureSwitch, InternetEffect, MAX_POLLS, POLL_EVERY, Poll, feature_status};
use crate::api::{ApiError, Database, DbTarget, Feature, FeatureChange, FeatureStatus};
use crate::app::keys::Reason;
use crate::app::msg::{Effect, RequestId};
use crate::app::request::{Outcome, finish};
use crate::app::state::{ConfirmAction, ConfirmForm, Modal, State};
use crate::app::update::{answered, begin_request, error, info};

/// After connecting: load the rules of a dedicated database, or keep watching a change that
/// was already pending.
pub fn after_connect(state: &mut State) -> Vec<Effect> {
    let Some(dash) = state.dash().filter(|d| d.target.is_some()) else { return vec![] };
    let tab = &dash.internet;
    if super::is_dedicated(dash) {
        let rules = tab.rules.data.is_none() && tab.rules.pending.is_none();
        let ranges = tab.ranges.data.is_none() && tab.ranges.pending.is_none();
        let mut effects = vec![];
        if rules {
            effects.extend(super::rules::load_rules(state));
        }
        if ranges {
            effects.extend(super::rules::load_ranges(state));
        }
        return effects;
    }
    let pending = FeatureKind::ALL.iter().any(|f| feature_status(dash, *f).is_pending());
    if pending && tab.poll.is_none() { start_poll(state, POLL_EVERY) } else { vec![] }
}

/// `t` or `i`: the question to ask, or why there is none.
pub(super) fn toggle(state: &mut State, feature: FeatureKind) -> Vec<Effect> {
    match plan(state, feature) {
        Ok(change) => {
            let form = ConfirmForm::enter(ConfirmAction::Feature(change), String::new());
            state.modal = Some(Modal::Confirm(form));
        }
        Err(Reason::NotNow(text)) => error(state, text),
        Err(_) => error(state, "Not connected to the database yet"),
    }
    vec![]
}

/// The question `t` or `i` asks now, or why it asks none (the key table shows the same).
pub(in crate::app) fn plan(state: &State, feature: FeatureKind) -> Result<FeatureSwitch, Reason> {
    let Some(dash) = state.dash().filter(|d| d.target.is_some() && d.database.data.is_some()) else {
        return Err(Reason::NotConnected);
    };
    let not_now = |text: String| Err(Reason::NotNow(text));
    let status = feature_status(dash, feature);
    if status.is_pending() {
        return not_now(format!("{} is changing already: wait until it settles", feature.label()));
    }
    let tls = feature_status(dash, FeatureKind::Tls);
    let internet = feature_status(dash, FeatureKind::Internet);
    Ok(match (feature, status) {
        // Only support can repair a failed change: dbdeck does not pile another one on it.
        (_, FeatureStatus::Failed) => {
            return not_now(format!("{} failed to change: contact Scalingo support", feature.label()));
        }
        (FeatureKind::Tls, FeatureStatus::Enabled) if internet == FeatureStatus::Failed => {
            return not_now("Internet accessibility is in a failed state: contact Scalingo support".into());
        }
        (FeatureKind::Tls, FeatureStatus::Enabled) if internet != FeatureStatus::Disabled => {
            return not_now("Internet accessibility needs TLS enforcement: disable it first (i)".into());
        }
        (_, FeatureStatus::Enabled) => FeatureSwitch::new(feature, false),
        (FeatureKind::Internet, _) if tls == FeatureStatus::Enabling => {
            return not_now("TLS enforcement is being enabled: press i again once it is".into());
        }
        (FeatureKind::Internet, _) if tls != FeatureStatus::Enabled => {
            FeatureSwitch { prerequisite: true, ..FeatureSwitch::new(FeatureKind::Tls, true) }
        }
        _ => FeatureSwitch::new(feature, true),
    })
}

/// The effect of a confirmed change; a TLS change made for Internet accessibility is
/// remembered, to say so once it is on.
pub(in crate::app) fn confirmed(
    state: &mut State,
    id: RequestId,
    target: DbTarget,
    change: FeatureSwitch,
) -> Effect {
    if let Some(tab) = super::tab_mut(state) {
        tab.tls_for_internet = change.prerequisite;
    }
    let FeatureSwitch { feature, enable, .. } = change;
    Effect::Internet(InternetEffect::SetFeature { id, target, feature, enable })
}

/// Records `status` for `feature` in the database as shown, until the next read.
fn set_local(state: &mut State, feature: FeatureKind, status: &str) {
    let Some(db) = state.dash_mut().and_then(|d| d.database.data.as_mut()) else { return };
    let name = feature.api_name();
    match db.features.iter_mut().find(|f| f.name == name) {
        Some(f) => f.status = status.to_owned(),
        None => db.features.push(Feature { name: name.into(), status: status.into() }),
    }
}

pub(super) fn on_feature_set(
    state: &mut State,
    id: RequestId,
    feature: FeatureKind,
    enable: bool,
    result: Result<FeatureChange, ApiError>,
) -> Vec<Effect> {
    let verb = if enable { "Enabling" } else { "Disabling" };
    let label = feature.label();
    match finish(state, id, result) {
        Outcome::Done(change) if enable && !change.status.is_empty() => {
            set_local(state, feature, &change.status);
            match FeatureStatus::from_status(&change.status) {
                FeatureStatus::Enabled => {
                    settled_message(state, feature, FeatureStatus::Enabled);
                    vec![]
                }
                FeatureStatus::Failed => {
                    error(state, format!("{verb} {label} failed: contact Scalingo support"));
                    vec![]
                }
                _ => {
                    info(state, format!("{label} is being enabled: checking every 3 s…"));
                    start_poll(state, POLL_EVERY)
                }
            }
        }
        Outcome::Done(_) => {
            if !enable {
                set_local(state, feature, "PENDING_TO_REMOVE");
            }
            info(state, format!("{verb} {label}…"));
            start_poll(state, Duration::ZERO)
        }
        Outcome::Unknown(e) => {
            error(state, format!("{verb} {label}: {e}. Reading the database again to see what happened…"));
            start_poll(state, Duration::ZERO)
        }
        Outcome::Refused => vec![],
    }
}

/// Reads the database now, as a fresh watch (`r`, or after a change).
pub(super) fn poll_now(state: &mut State) -> Vec<Effect> {
    start_poll(state, Duration::ZERO)
}

fn start_poll(state: &mut State, after: Duration) -> Vec<Effect> {
    let Some(target) = state.target().cloned() else { return vec![] };
    let id = begin_request(state);
    let Some(tab) = super::tab_mut(state) else { return vec![] };
    tab.poll = Some(Poll { id, attempts: 0 });
    tab.timed_out = false;
    vec![Effect::Internet(InternetEffect::PollDatabase { id, target, after })]
}

fn settled_message(state: &mut State, feature: FeatureKind, now: FeatureStatus) {
    let label = feature.label();
    let Some(tab) = super::tab_mut(state) else { return };
    match now {
        FeatureStatus::Enabled if feature == FeatureKind::Tls && tab.tls_for_internet => {
            tab.tls_for_internet = false;
            info(state, "TLS enforcement is enabled: press i again to enable Internet accessibility");
        }
        FeatureStatus::Enabled => info(state, format!("{label} is enabled")),
        FeatureStatus::Disabled => info(state, format!("{label} is disabled")),
        _ => {}
    }
}

pub(super) fn on_polled(state: &mut State, id: RequestId, result: Result<Database, ApiError>) -> Vec<Effect> {
    answered(state);
    let Some(poll) = state.dash().and_then(|d| d.internet.poll).filter(|p| p.id == id) else { return vec![] };
    let database = match result {
        Ok(database) => database,
        Err(e) if crate::app::token::refused(state, &e) => return vec![],
        Err(e) => {
            set_poll(state, None);
            error(state, format!("Reading the database: {e}. Press r to check again."));
            return vec![];
        }
    };
    let Some(dash) = state.dash_mut() else { return vec![] };
    let before: Vec<FeatureStatus> = FeatureKind::ALL.iter().map(|f| feature_status(dash, *f)).collect();
    dash.database.data = Some(database);
    let now: Vec<FeatureStatus> = FeatureKind::ALL.iter().map(|f| feature_status(dash, *f)).collect();
    let mut reported = false;
    for ((feature, was), now) in FeatureKind::ALL.into_iter().zip(before).zip(now.iter().copied()) {
        if now == FeatureStatus::Failed && was != FeatureStatus::Failed {
            let verb = if was == FeatureStatus::Disabling { "Disabling" } else { "Enabling" };
            error(state, format!("{verb} {} failed: contact Scalingo support", feature.label()));
            reported = true;
        } else if was.is_pending() && !now.is_pending() {
            settled_message(state, feature, now);
            reported = true;
        }
    }
    let still: Vec<&str> = FeatureKind::ALL
        .iter()
        .zip(&now)
        .filter(|(_, status)| status.is_pending())
        .map(|(f, _)| f.label())
        .collect();
    if still.is_empty() {
        set_poll(state, None);
        if !reported {
            let summary: Vec<String> = FeatureKind::ALL
                .iter()
                .zip(&now)
                .map(|(f, s)| format!("{} {}", f.label(), word(*s)))
                .collect();
            info(state, summary.join(", "));
        }
        return vec![];
    }
    let attempts = poll.attempts + 1;
    if attempts >= MAX_POLLS {
        set_poll(state, None);
        if let Some(tab) = super::tab_mut(state) {
            tab.timed_out = true;
        }
        error(state, format!("{} still pending after 5 minutes: r checks again", still.join(" and ")));
        return vec![];
    }
    let Some(target) = state.target().cloned() else { return vec![] };
    let id = begin_request(state);
    set_poll(state, Some(Poll { id, attempts }));
    vec![Effect::Internet(InternetEffect::PollDatabase { id, target, after: POLL_EVERY })]
}

fn set_poll(state: &mut State, poll: Option<Poll>) {
    if let Some(tab) = super::tab_mut(state) {
        tab.poll = poll;
    }
}

/// How a status reads in a sentence.
pub fn word(status: FeatureStatus) -> &'static str {
    match status {
        FeatureStatus::Disabled => "disabled",
        FeatureStatus::Enabled => "enabled",
        FeatureStatus::Enabling => "being enabled",
        FeatureStatus::Disabling => "being disabled",
        FeatureStatus::Failed => "failed",
    }
}
