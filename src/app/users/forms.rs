//! The Users tab's two forms: a new user (name, access, optional password) and a new
//! password for an existing user.

use crossterm::event::KeyEvent;

use super::UsersEffect;
use super::types::*;
use crate::api::NewUser;
use crate::app::form::{Discard, discard, waiting};
use crate::app::keys::{Action, Context, action_for};
use crate::app::msg::Effect;
use crate::app::request;
use crate::app::state::{Modal, State};
use crate::app::validation::{create_problems, set_password_problems};

pub(in crate::app) fn create_key(
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
            let existing = state.dash().and_then(|d| d.users.users.data.as_deref()).unwrap_or_default();
            if let Some((field, _)) = create_problems(&form, existing).first() {
                form.tried = true;
                form.focus = *field;
                return (Some(Modal::CreateUser(form)), vec![]);
            }
            let Some(target) = state.target().cloned() else {
                return (Some(Modal::CreateUser(form)), vec![]);
            };
            let password = form.password.value();
            let user = NewUser {
                name: form.name.value().to_owned(),
                read_only: form.read_only(),
                password: (!password.is_empty()).then(|| form.password.to_secret()),
            };
            let id = request::send(state, &mut form.pending, &mut form.server_error);
            return (
                Some(Modal::CreateUser(form)),
                vec![Effect::Users(UsersEffect::Create { id, target, user })],
            );
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

pub(in crate::app) fn set_password_key(
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
            let Some(target) = state.target().cloned() else {
                return (Some(Modal::SetPassword(form)), vec![]);
            };
            let id = request::send(state, &mut form.pending, &mut form.server_error);
            let (name, password) = (form.user.clone(), form.password.to_secret());
            let effect = Effect::Users(UsersEffect::SetPassword { id, target, name, password });
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
