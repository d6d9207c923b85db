//! A change whose answer was lost (a dropped connection, a 5xx): it may or may not have been made.
//! Until a list read afterwards settles it, it stays on screen, above the status line that the
//! next message overwrites, and no other change is accepted: a retry could repeat it, and the
//! duplicate checks would run against the old list.

use super::internet::RuleReconcile;
use super::msg::Effect;
use super::state::{Dashboard, Reconcile, State};
use crate::sql::Change;

/// The change whose outcome is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsettled {
    User(Reconcile),
    Rule(RuleReconcile),
    Extension { name: String, change: Change },
}

impl Unsettled {
    /// What was asked, as the middle of a sentence: "creating the user new_reader".
    pub fn what(&self) -> String {
        match self {
            Unsettled::User(Reconcile::Create { name, .. }) => format!("creating the user {name}"),
            Unsettled::User(Reconcile::Reset(name)) => format!("resetting the password of {name}"),
            Unsettled::User(Reconcile::SetPassword(name)) => format!("setting the password of {name}"),
            Unsettled::User(Reconcile::Delete(name)) => format!("deleting the user {name}"),
            Unsettled::Rule(RuleReconcile::Create(rule)) => format!("adding the rule {}", rule.source()),
            Unsettled::Rule(RuleReconcile::Delete(rule)) => format!("deleting the rule {}", rule.source()),
            Unsettled::Extension { name, change: Change::Enable } => format!("enabling {name}"),
            Unsettled::Extension { name, change: Change::Disable } => format!("disabling {name}"),
        }
    }

    /// The list whose next successful read settles it.
    pub fn list(&self) -> &'static str {
        match self {
            Unsettled::User(_) => "users",
            Unsettled::Rule(_) => "firewall rules",
            Unsettled::Extension { .. } => "extensions",
        }
    }

    fn maybe(&self) -> &'static str {
        match self {
            Unsettled::User(Reconcile::Create { .. }) => "the user may have been created",
            Unsettled::User(Reconcile::Reset(_) | Reconcile::SetPassword(_)) => {
                "the password may have changed"
            }
            Unsettled::User(Reconcile::Delete(_)) => "the user may have been deleted",
            Unsettled::Rule(RuleReconcile::Create(_)) => "the rule may have been added",
            Unsettled::Rule(RuleReconcile::Delete(_)) => "the rule may have been deleted",
            Unsettled::Extension { change: Change::Enable, .. } => "it may have been enabled",
            Unsettled::Extension { change: Change::Disable, .. } => "it may have been disabled",
        }
    }
}

/// Whether the list that settles `unsettled` is being read now.
pub(in crate::app) fn listing(dash: &Dashboard, unsettled: &Unsettled) -> bool {
    match unsettled {
        Unsettled::User(_) => dash.users.users.pending.is_some(),
        Unsettled::Rule(_) => dash.internet.rules.pending.is_some(),
        Unsettled::Extension { .. } => dash.extensions.sql.pending.is_some(),
    }
}

/// The persistent line: what may have happened, and how to find out. The error itself was in
/// the status line when the answer was lost (and is in the log): here it would crowd out what
/// to do at 80 columns.
pub fn line(state: &State) -> Option<String> {
    let dash = state.dash()?;
    let unsettled = dash.unsettled.as_ref()?;
    let list = unsettled.list();
    // The ellipsis ends the sentence: no full stop after it.
    let next = if listing(dash, unsettled) { "listing them…" } else { "press r to list them." };
    Some(format!(
        "Outcome unknown: the answer to {} was lost, so {}. No change is accepted until the {list} are read again: {next}",
        unsettled.what(),
        unsettled.maybe(),
    ))
}

/// Why a change is refused now, if one is unsettled.
pub(super) fn refusal(state: &State) -> Option<String> {
    let dash = state.dash()?;
    let unsettled = dash.unsettled.as_ref()?;
    let list = unsettled.list();
    let next = if listing(dash, unsettled) {
        format!("wait for the {list} to load")
    } else {
        format!("press r to list the {list} again")
    };
    Some(format!("Not now: the outcome of {} is unknown ({next})", unsettled.what()))
}

/// `r` while a change is unsettled: reads the list that settles it (once at a time).
pub(super) fn relist(state: &mut State) -> Option<Vec<Effect>> {
    let dash = state.dash()?;
    let unsettled = dash.unsettled.clone()?;
    if listing(dash, &unsettled) {
        return Some(vec![]);
    }
    Some(load_list(state, &unsettled))
}

/// Reads the list that settles `unsettled`.
pub(super) fn load_list(state: &mut State, unsettled: &Unsettled) -> Vec<Effect> {
    match unsettled {
        Unsettled::User(_) => super::users::load(state),
        Unsettled::Rule(_) => super::internet::load_rules(state),
        Unsettled::Extension { .. } => super::extensions::load(state),
    }
}

/// Takes the unsettled change if `pick` recognises it (the list that settles it was read).
pub(super) fn take<T>(state: &mut State, pick: impl Fn(&Unsettled) -> Option<T>) -> Option<T> {
    let dash = state.dash_mut()?;
    let found = pick(dash.unsettled.as_ref()?)?;
    dash.unsettled = None;
    Some(found)
}

/// Said when leaving the database (or its token) with a change unsettled: the line goes away
/// with the dashboard, so the warning moves to the next screen.
pub(super) fn left_behind(state: &State) -> Option<String> {
    let dash = state.dash()?;
    let unsettled = dash.unsettled.as_ref()?;
    Some(format!(
        "The outcome of {} on {} is still unknown: open it again to see its {}.",
        unsettled.what(),
        dash.current.app,
        unsettled.list()
    ))
}
