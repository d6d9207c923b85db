//! The Users tab: its actions, its forms (create, set password, type-to-confirm) and the
//! answers to its requests.

use crossterm::event::KeyEvent;

use super::form::{Discard, Outcome, discard, finish, waiting};
use super::msg::{Effect, RequestId};
use super::state::*;
use super::unsettled::{self, Unsettled};
use super::update::{answered, begin_request, error, info};
use super::validation::{confirm_problems, create_problems, set_password_problems};
use crate::api::{ApiError, NewUser, User, UserWithPassword};
use crate::app::keys::{Action, Context, action_for};

/// `n`, `p`, `s` and `d` on the Users tab.
pub(super) fn action(state: &mut State, action: Action) {
    match action {
        Action::NewUser => match state.engine() {
            Some(engine) if state.target.is_some() => {
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
}

/// The selected user's name, if an action may touch it; else says why not.
pub(super) fn user_for_action(state: &mut State) -> Option<String> {
    let Some(user) = state.users.selected_user().cloned() else {
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
    if state.target.is_none() {
        error(state, "Not connected to the database yet");
        return None;
    }
    Some(user.name)
}

pub(super) fn create_key(
    state: &mut State,
    mut form: CreateUserForm,
    key: KeyEvent,
) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Form, &key);
    if waiting(state, form.pending, action) {
        return (Some(Modal::CreateUser(form)), vec![]);
    }
    match discard(form.changed(), &mut form.discard_asked, action) {
        Discard::Close => return (None, vec![]),
        Discard::Stay => return (Some(Modal::CreateUser(form)), vec![]),
        Discard::Pass => {}
    }
    let order = CreateField::ORDER;
    let at = order.iter().position(|f| *f == form.focus).unwrap_or(0);
    match action {
        Some(Action::NextField) => form.focus = order[(at + 1) % order.len()],
        Some(Action::PrevField) => form.focus = order[(at + order.len() - 1) % order.len()],
        Some(Action::Toggle) if form.focus == CreateField::Access => {
            form.access_checked = !form.access_checked
        }
        Some(Action::Submit) => {
            let existing = state.users.users.data.as_deref().unwrap_or_default();
            if let Some((field, _)) = create_problems(&form, existing).first() {
                form.tried = true;
                form.focus = *field;
                return (Some(Modal::CreateUser(form)), vec![]);
            }
            let Some(target) = state.target.clone() else { return (Some(Modal::CreateUser(form)), vec![]) };
            let password = form.password.value();
            let user = NewUser {
                name: form.name.value().to_owned(),
                read_only: form.read_only(),
                password: (!password.is_empty()).then(|| form.password.to_secret()),
            };
            let id = begin_request(state);
            form.pending = Some(id);
            form.server_error = None;
            return (Some(Modal::CreateUser(form)), vec![Effect::CreateUser { id, target, user }]);
        }
        _ => {
            let field = match form.focus {
                CreateField::Name => Some(&mut form.name),
                CreateField::Password => Some(&mut form.password),
                CreateField::Confirmation => Some(&mut form.confirmation),
                CreateField::Access => None,
            };
            if let Some(field) = field {
                field.handle_key(key);
            }
        }
    }
    (Some(Modal::CreateUser(form)), vec![])
}

pub(super) fn set_password_key(
    state: &mut State,
    mut form: SetPasswordForm,
    key: KeyEvent,
) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Form, &key);
    if waiting(state, form.pending, action) {
        return (Some(Modal::SetPassword(form)), vec![]);
    }
    match discard(form.changed(), &mut form.discard_asked, action) {
        Discard::Close => return (None, vec![]),
        Discard::Stay => return (Some(Modal::SetPassword(form)), vec![]),
        Discard::Pass => {}
    }
    let other = match form.focus {
        PasswordField::Password => PasswordField::Confirmation,
        PasswordField::Confirmation => PasswordField::Password,
    };
    match action {
        Some(Action::NextField | Action::PrevField) => form.focus = other,
        Some(Action::Submit) => {
            if let Some((field, _)) = set_password_problems(&form).first() {
                form.tried = true;
                form.focus = *field;
                return (Some(Modal::SetPassword(form)), vec![]);
            }
            let Some(target) = state.target.clone() else { return (Some(Modal::SetPassword(form)), vec![]) };
            let id = begin_request(state);
            form.pending = Some(id);
            form.server_error = None;
            let effect = Effect::SetPassword {
                id,
                target,
                name: form.user.clone(),
                password: form.password.to_secret(),
            };
            return (Some(Modal::SetPassword(form)), vec![effect]);
        }
        _ => {
            match form.focus {
                PasswordField::Password => form.password.handle_key(key),
                PasswordField::Confirmation => form.confirmation.handle_key(key),
            };
        }
    }
    (Some(Modal::SetPassword(form)), vec![])
}

pub(super) fn confirm_key(
    state: &mut State,
    mut form: ConfirmForm,
    key: KeyEvent,
) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Confirm, &key);
    if waiting(state, form.pending, action) {
        return (Some(Modal::Confirm(form)), vec![]);
    }
    match action {
        Some(Action::Cancel) => return (None, vec![]),
        // Inert until the typed text is the name as the screen shows it, byte for byte.
        Some(Action::Submit) if confirm_problems(&form).is_none() => {
            let Some(target) = state.target.clone() else { return (Some(Modal::Confirm(form)), vec![]) };
            let id = begin_request(state);
            form.pending = Some(id);
            form.server_error = None;
            let name = form.expected.clone();
            let effect = match &form.action {
                ConfirmAction::Delete => Effect::DeleteUser { id, target, name },
                ConfirmAction::ResetPassword => Effect::ResetPassword { id, target, name },
                ConfirmAction::Internet(action) => super::internet::confirmed(id, target, action.clone()),
            };
            return (Some(Modal::Confirm(form)), vec![effect]);
        }
        Some(Action::Submit) => {}
        _ => {
            form.typed.handle_key(key);
        }
    }
    (Some(Modal::Confirm(form)), vec![])
}

pub(super) fn load_users(state: &mut State) -> Vec<Effect> {
    let Some(target) = state.target.clone() else { return vec![] };
    let id = begin_request(state);
    state.users.users.pending = Some(id);
    vec![Effect::LoadUsers { id, target }]
}

pub(super) fn on_users_loaded(
    state: &mut State,
    id: RequestId,
    result: Result<Vec<User>, ApiError>,
) -> Vec<Effect> {
    answered(state);
    let tab = &mut state.users;
    if tab.users.pending != Some(id) {
        return vec![];
    }
    tab.users.pending = None;
    match result {
        Ok(users) => {
            // Keep the same user selected across a refresh.
            let selected = tab.selected_user().map(|u| u.name.clone());
            tab.users.data = Some(users);
            tab.users.error = None;
            let names: Vec<String> = tab.visible().iter().map(|u| u.name.clone()).collect();
            tab.list.reselect(&names, selected.as_deref());
            let settled = unsettled::take(state, |u| match u {
                Unsettled::User(change) => Some(change.clone()),
                _ => None,
            });
            if let Some(reconcile) = settled {
                report_reconciled(state, reconcile);
            }
        }
        Err(e) if super::token::refused(state, &e) => {}
        Err(e) => {
            state.users.users.error = Some(e.to_string());
            error(state, format!("Loading users: {e}"));
        }
    }
    vec![]
}

/// After a change whose answer was lost, says what the fresh list shows.
fn report_reconciled(state: &mut State, reconcile: Reconcile) {
    let exists = |name: &str| state.users.users.data.iter().flatten().any(|u| u.name == name);
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

fn unknown(state: &mut State, what: String, e: ApiError, reconcile: Reconcile) -> Vec<Effect> {
    error(state, format!("{what}: {e}. Listing users again to see what happened…"));
    state.unsettled = Some(Unsettled::User(reconcile));
    load_users(state)
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
            }))
        }
        None => error(state, missing.to_owned()),
    }
}

pub(super) fn on_created(
    state: &mut State,
    id: RequestId,
    name: String,
    result: Result<UserWithPassword, ApiError>,
) -> Vec<Effect> {
    let chose_password = matches!(&state.modal, Some(Modal::CreateUser(f)) if f.pending == Some(id) && !f.password.value().is_empty());
    match finish(state, id, result) {
        Outcome::Done(_) if chose_password => {
            info(state, format!("User {name} created with the password you chose"));
            load_users(state)
        }
        Outcome::Done(created) => {
            reveal(
                state,
                created,
                &format!("{name} was created, but no password came back: reset it with p"),
            );
            load_users(state)
        }
        Outcome::Unknown(e) => {
            unknown(state, format!("Creating {name}"), e, Reconcile::Create { name, chose_password })
        }
        Outcome::Refused => vec![],
    }
}

pub(super) fn on_reset(
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

pub(super) fn on_password_set(
    state: &mut State,
    id: RequestId,
    name: String,
    result: Result<User, ApiError>,
) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(_) => {
            info(state, format!("Password of {name} changed"));
            vec![]
        }
        Outcome::Unknown(e) => {
            unknown(state, format!("Setting the password of {name}"), e, Reconcile::SetPassword(name))
        }
        Outcome::Refused => vec![],
    }
}

pub(super) fn on_deleted(
    state: &mut State,
    id: RequestId,
    name: String,
    result: Result<(), ApiError>,
) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(()) => {
            info(state, format!("User {name} deleted"));
            load_users(state)
        }
        Outcome::Unknown(e) => unknown(state, format!("Deleting {name}"), e, Reconcile::Delete(name)),
        Outcome::Refused => vec![],
    }
}
