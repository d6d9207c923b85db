//! The Users tab: its actions (its forms are in `forms`; delete and reset go through the one
//! confirm form) and the answers to its requests.

mod forms;
mod msg;
mod types;

pub(super) use forms::{create_key, set_password_key};
pub use msg::{UsersEffect, UsersMsg};
pub use types::*;

use super::msg::{Effect, RequestId};
use super::request::{self, Outcome, finish};
use super::state::*;
use super::unsettled::{self, Unsettled};
use super::update::{error, info};
use crate::api::{ApiError, User, UserWithPassword};
use crate::app::keys::Action;

/// A key of the tab (after the global and list keys): `r`, `n`, `p`, `s` and `d`.
pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Refresh => return load(state),
        Action::NewUser => match state.engine() {
            Some(engine) if state.target().is_some() => {
                state.modal = Some(Modal::CreateUser(CreateUserForm::new(engine)))
            }
            _ => error(state, "Not connected to the database yet"),
        },
        Action::SetPassword => {
            if let Some(user) = user_for_action(state) {
                state.modal = Some(Modal::SetPassword(SetPasswordForm::new(user)));
            }
        }
        Action::ResetPassword | Action::DeleteUser => {
            if let Some(user) = user_for_action(state) {
                let what = if action == Action::DeleteUser {
                    ConfirmAction::Delete
                } else {
                    ConfirmAction::ResetPassword
                };
                state.modal = Some(Modal::Confirm(ConfirmForm::new(what, user)));
            }
        }
        _ => {}
    }
    vec![]
}

/// The selected user's name, if an action may touch it; else says why not.
pub(super) fn user_for_action(state: &mut State) -> Option<String> {
    let Some(user) = state.dash().and_then(|d| d.users.selected_user()).cloned() else {
        error(state, "No user selected");
        return None;
    };
    if user.protected {
        error(
            state,
            format!(
                "{} is protected: the platform manages it, so it cannot be deleted and its password cannot be changed",
                user.name
            ),
        );
        return None;
    }
    if state.target().is_none() {
        error(state, "Not connected to the database yet");
        return None;
    }
    Some(user.name)
}

pub(super) fn load(state: &mut State) -> Vec<Effect> {
    let Some((id, target)) = request::begin(state, |d| &mut d.users.users) else { return vec![] };
    vec![Effect::Users(UsersEffect::Load { id, target })]
}

pub(super) fn on_msg(state: &mut State, msg: UsersMsg) -> Vec<Effect> {
    match msg {
        UsersMsg::Loaded { id, result } => on_loaded(state, id, result),
        UsersMsg::Created { id, name, result } => on_created(state, id, name, result),
        UsersMsg::PasswordReset { id, name, result } => on_reset(state, id, name, result),
        UsersMsg::PasswordSet { id, name, result } => on_password_set(state, id, name, result),
        UsersMsg::Deleted { id, name, result } => on_deleted(state, id, name, result),
    }
}

fn on_loaded(state: &mut State, id: RequestId, result: Result<Vec<User>, ApiError>) -> Vec<Effect> {
    let Some(result) = request::accept(state, id, result, |d| &mut d.users.users) else { return vec![] };
    let Some(dash) = state.dash_mut() else { return vec![] };
    let tab = &mut dash.users;
    match result {
        Ok(users) => {
            tab.change_users(|list| *list = users);
            tab.users.error = None;
            let settled = unsettled::take(state, |u| match u {
                Unsettled::User(change) => Some(change.clone()),
                _ => None,
            });
            if let Some(reconcile) = settled {
                report_reconciled(state, reconcile);
            }
        }
        Err(e) => {
            tab.users.error = Some(e.to_string());
            error(state, format!("Loading users: {e}"));
        }
    }
    vec![]
}

/// After a change whose answer was lost, says what the fresh list shows.
fn report_reconciled(state: &mut State, reconcile: Reconcile) {
    let users = state.dash().and_then(|d| d.users.users.data.as_deref()).unwrap_or_default();
    let exists = |name: &str| users.iter().any(|u| u.name == name);
    let text = match &reconcile {
        Reconcile::Create { name, chose_password: true } if exists(name) => {
            format!("{name} was created with the password you chose (its answer was lost).")
        }
        Reconcile::Create { name, .. } if exists(name) => format!(
            "{name} was created, but the answer was lost: its password was not received. Reset it with p to get one."
        ),
        Reconcile::Create { name, .. } => format!("{name} was not created (the request failed). Try again."),
        Reconcile::Delete(name) if exists(name) => format!("{name} still exists: it was not deleted."),
        Reconcile::Delete(name) => format!("{name} is deleted (its answer was lost)."),
        Reconcile::Reset(name) => format!(
            "The password of {name} may have been reset, but no new password was received: reset it again to get one."
        ),
        Reconcile::SetPassword(name) => {
            format!(
                "The password of {name} may not have changed: the answer was lost. Set it again to be sure."
            )
        }
    };
    error(state, text);
}

/// A change's own answer updates the list, which is then not read again; unless it never was,
/// or a reading is on its way that may predate the change (then it is read again).
fn changed(state: &mut State, change: impl FnOnce(&mut Vec<User>)) -> Vec<Effect> {
    let Some(tab) = state.dash_mut().map(|d| &mut d.users) else { return vec![] };
    if tab.users.data.is_none() || tab.users.pending.is_some() {
        return load(state);
    }
    tab.change_users(change);
    vec![]
}

fn unknown(state: &mut State, what: String, e: ApiError, reconcile: Reconcile) -> Vec<Effect> {
    let text = format!("{what}: {e}. Listing users again to see what happened…");
    request::lost(state, text, Unsettled::User(reconcile))
}

fn reveal(state: &mut State, created: UserWithPassword, missing: &str) {
    match created.password {
        Some(password) => {
            state.modal = Some(Modal::Reveal(Reveal {
                user: created.user.name,
                password,
                copy_status: None,
                close_hint: false,
                url: None,
                chosen: false,
            }))
        }
        None => error(state, missing.to_owned()),
    }
}

fn on_created(
    state: &mut State,
    id: RequestId,
    name: String,
    result: Result<UserWithPassword, ApiError>,
) -> Vec<Effect> {
    let chose_password = matches!(&state.modal, Some(Modal::CreateUser(f)) if f.pending == Some(id) && !f.password.value().is_empty());
    match finish(state, id, result) {
        Outcome::Done(created) => {
            let user = created.user.clone();
            if chose_password {
                info(state, format!("User {name} created with the password you chose"));
            } else {
                let missing = format!("{name} was created, but no password came back: reset it with p");
                reveal(state, created, &missing);
            }
            changed(state, |users| {
                users.retain(|u| u.name != user.name);
                users.push(user);
            })
        }
        Outcome::Unknown(e) => {
            unknown(state, format!("Creating {name}"), e, Reconcile::Create { name, chose_password })
        }
        Outcome::Refused => vec![],
    }
}

fn on_reset(
    state: &mut State,
    id: RequestId,
    name: String,
    result: Result<UserWithPassword, ApiError>,
) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(reset) => {
            reveal(
                state,
                reset,
                &format!("The password of {name} was reset, but none came back: reset it again"),
            );
            vec![]
        }
        Outcome::Unknown(e) => {
            unknown(state, format!("Resetting the password of {name}"), e, Reconcile::Reset(name))
        }
        Outcome::Refused => vec![],
    }
}

fn on_password_set(
    state: &mut State,
    id: RequestId,
    name: String,
    result: Result<User, ApiError>,
) -> Vec<Effect> {
    // The password typed in the form, kept for `u` (a connection URL with it) until Enter.
    let chosen = match &state.modal {
        Some(Modal::SetPassword(form)) if form.pending == Some(id) => Some(form.password.to_secret()),
        _ => None,
    };
    match finish(state, id, result) {
        Outcome::Done(_) => {
            info(state, format!("Password of {name} changed"));
            if let Some(password) = chosen {
                let (copy_status, close_hint, url) = (None, false, None);
                let reveal = Reveal { user: name, password, copy_status, close_hint, url, chosen: true };
                state.modal = Some(Modal::Reveal(reveal));
            }
            vec![]
        }
        Outcome::Unknown(e) => {
            unknown(state, format!("Setting the password of {name}"), e, Reconcile::SetPassword(name))
        }
        Outcome::Refused => vec![],
    }
}

fn on_deleted(state: &mut State, id: RequestId, name: String, result: Result<(), ApiError>) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(()) => {
            info(state, format!("User {name} deleted"));
            changed(state, |users| users.retain(|u| u.name != name))
        }
        Outcome::Unknown(e) => unknown(state, format!("Deleting {name}"), e, Reconcile::Delete(name)),
        Outcome::Refused => vec![],
    }
}
