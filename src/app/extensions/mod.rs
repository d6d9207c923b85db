//! The Extensions tab: loading (API and SQL side by side), `e`/`d` with their confirm modal, and
//! the answers. Only names the SQL listing returned as allowed are ever put in an effect; the
//! SQL layer checks again on its own connection before sending (promise P7).

pub(crate) mod host_key;
mod msg;
mod types;

#[cfg(test)]
pub(crate) mod tests;

pub use msg::{ExtensionsEffect, ExtensionsMsg};
pub use types::*;

use super::msg::{Effect, RequestId};
use super::request::{self, Outcome, finish};
use super::state::{ConfirmAction, ConfirmForm, Modal, State, Tab};
use super::unsettled::{self, Unsettled};
use super::update::{error, info};
use crate::api::{DbTarget, Engine};
use crate::app::keys::{Action, Reason};
use crate::sql::Change;

/// Loads the tab the first time it is shown on a connected PostgreSQL database.
pub(super) fn on_shown(state: &mut State) -> Vec<Effect> {
    let ready = state.dash().is_some_and(|d| {
        d.tab == Tab::Extensions
            && !d.extensions.requested
            && d.target.is_some()
            && d.engine() == Some(Engine::PostgreSql)
    });
    if ready { load(state) } else { vec![] }
}

/// Both sources at once: the API's enabled list, and the SQL listing.
pub(in crate::app) fn load(state: &mut State) -> Vec<Effect> {
    let Some(target) = state.target().cloned() else { return vec![] };
    if state.engine() != Some(Engine::PostgreSql) {
        return vec![];
    }
    let Some((api, _)) = request::begin(state, |d| &mut d.extensions.api) else { return vec![] };
    let Some((sql, _)) = request::begin(state, |d| &mut d.extensions.sql) else { return vec![] };
    if let Some(dash) = state.dash_mut() {
        dash.extensions.requested = true;
    }
    vec![
        Effect::Extensions(ExtensionsEffect::LoadApi { id: api, target: target.clone() }),
        Effect::Extensions(ExtensionsEffect::LoadSql { id: sql, target }),
    ]
}

/// `e`/`d` for the key table: whether they act now, and if not why.
pub(in crate::app) fn why_not(state: &State, action: Action) -> Result<(), Reason> {
    if state.engine() == Some(Engine::MySql) {
        return Err(Reason::PostgresOnly);
    }
    match problem(state, action) {
        Some(text) => Err(Reason::NotNow(text)),
        None if state.dash().and_then(|d| d.extensions.selected()).is_none() => Err(Reason::NothingSelected),
        None => Ok(()),
    }
}

/// Why `e`/`d` cannot act now, in words.
fn problem(state: &State, action: Action) -> Option<String> {
    if state.engine() == Some(Engine::MySql) {
        return Some("Extensions are a PostgreSQL feature".into());
    }
    let tab = &state.dash()?.extensions;
    if tab.sql.data.is_none() {
        return Some("Enabling and disabling need a SQL connection: see the tab for how to give one".into());
    }
    let row = tab.selected()?;
    let name = &row.name;
    if !row.allowed {
        return Some(format!("{name} is not in this database's allowed list: dbdeck does not change it"));
    }
    match action {
        Action::EnableExtension if row.installed.is_some() => Some(format!("{name} is already enabled")),
        Action::EnableExtension if !row.available => {
            Some(format!("{name} is allowed but not installed on this server"))
        }
        Action::DisableExtension if row.installed.is_none() => Some(format!("{name} is not enabled")),
        _ => None,
    }
}

/// A key of the tab (after the global and list keys): `r`, `e`, `d`.
pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Refresh => return load(state),
        Action::TrustHostKey => return host_key::trust(state),
        Action::EnableExtension | Action::DisableExtension => {
            if let Some(why) = problem(state, action) {
                error(state, why);
                return vec![];
            }
            let Some(row) = state.dash().and_then(|d| d.extensions.selected()) else {
                error(state, "No extension selected");
                return vec![];
            };
            let change = if action == Action::EnableExtension { Change::Enable } else { Change::Disable };
            let (about, change) = (row.name.clone(), ExtensionChange::new(change, row));
            let gated = change.change == Change::Disable;
            let action = ConfirmAction::Extension(change);
            let form =
                if gated { ConfirmForm::new(action, about) } else { ConfirmForm::enter(action, about) };
            state.modal = Some(Modal::Confirm(form));
        }
        _ => {}
    }
    vec![]
}

/// The effect of a confirmed change.
pub(in crate::app) fn confirmed(id: RequestId, target: DbTarget, change: ExtensionChange) -> Effect {
    let ExtensionChange { change, name, .. } = change;
    Effect::Extensions(ExtensionsEffect::Change { id, target, name, change })
}

pub(super) fn on_msg(state: &mut State, msg: ExtensionsMsg) -> Vec<Effect> {
    match msg {
        ExtensionsMsg::ApiLoaded { id, result } => {
            let Some(result) = request::accept(state, id, result, |d| &mut d.extensions.api) else {
                return vec![];
            };
            let Some(dash) = state.dash_mut() else { return vec![] };
            let api = &mut dash.extensions.api;
            match result {
                Ok(list) => (api.data, api.error) = (Some(list), None),
                Err(e) => api.error = Some(e.to_string()),
            }
            reselect(state, None);
        }
        ExtensionsMsg::SqlLoaded { id, result } => {
            let Some(result) = request::accept(state, id, result, |d| &mut d.extensions.sql) else {
                return vec![];
            };
            let Some(dash) = state.dash_mut() else { return vec![] };
            let tab = &mut dash.extensions;
            let selected = tab.selected().map(|r| r.name.clone());
            match result {
                Ok(listing) => {
                    tab.sql.data = Some(listing);
                    tab.sql_error = None;
                    settle(state);
                }
                // A failed refresh keeps the last listing on screen, with the reason.
                Err(e) => tab.sql_error = Some(e),
            }
            reselect(state, selected.as_deref());
        }
        ExtensionsMsg::Changed { id, name, change, result } => {
            return on_changed(state, id, name, change, result);
        }
        ExtensionsMsg::HostKeyTrusted { id, result } => return host_key::on_trusted(state, id, result),
    }
    vec![]
}

fn on_changed(
    state: &mut State,
    id: RequestId,
    name: String,
    change: Change,
    result: Result<crate::sql::Listing, crate::sql::SqlError>,
) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(listing) => {
            let version =
                listing.extensions.iter().find(|e| e.name == name).and_then(|e| e.installed_version.clone());
            if let Some(dash) = state.dash_mut() {
                dash.extensions.sql.data = Some(listing);
                // This listing is newer than any refresh still on its way: drop that one's answer.
                dash.extensions.sql.pending = None;
                dash.extensions.sql_error = None;
            }
            reselect(state, Some(&name));
            match (change, version) {
                (Change::Enable, Some(v)) => info(state, format!("{name} enabled (version {v})")),
                (Change::Enable, None) => error(state, format!("{name} was not enabled")),
                (Change::Disable, None) => info(state, format!("{name} disabled")),
                (Change::Disable, Some(_)) => error(state, format!("{name} is still enabled")),
            }
        }
        // The question is closed: say so, and list again to find out.
        Outcome::Unknown(e) => {
            return request::lost(state, e.to_string(), Unsettled::Extension { name, change });
        }
        // PostgreSQL's words stay in the modal: nothing changed.
        Outcome::Refused => {}
    }
    vec![]
}

/// After a change whose answer was lost, says what the fresh listing shows.
fn settle(state: &mut State) {
    let Some((name, change)) = unsettled::take(state, |u| match u {
        Unsettled::Extension { name, change } => Some((name.clone(), *change)),
        _ => None,
    }) else {
        return;
    };
    let listing = state.dash().and_then(|d| d.extensions.sql.data.as_ref()).into_iter();
    let listing = listing.flat_map(|l| &l.extensions);
    let enabled = listing.filter(|e| e.name == name).any(|e| e.installed_version.is_some());
    match (change, enabled) {
        (Change::Enable, true) => info(state, format!("{name} is enabled (its answer was lost)")),
        (Change::Enable, false) => error(state, format!("{name} was not enabled. Try again.")),
        (Change::Disable, false) => info(state, format!("{name} is disabled (its answer was lost)")),
        (Change::Disable, true) => error(state, format!("{name} is still enabled: it was not disabled.")),
    }
}

/// Builds the rows again, keeping the selection on `name` (or in bounds).
fn reselect(state: &mut State, name: Option<&str>) {
    let Some(dash) = state.dash_mut() else { return };
    dash.extensions.rows_changed(name);
}
