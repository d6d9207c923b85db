//! The pure heart of dbdeck: `update(&mut State, Msg) -> Vec<Effect>`. No I/O, no clock, no
//! randomness; the runtime performs the effects and sends their answers back as messages.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::msg::{Effect, Msg, RequestId};
use super::state::*;
use super::validation::{confirm_problems, create_problems, set_password_problems};
use crate::api::{ApiError, NewUser, User, UserWithPassword};
use crate::ui::keys::{Action, Context, action_for, is_ctrl_c};

const PAGE: usize = 10;

/// The effects to run when the app starts.
pub fn start(state: &mut State) -> Vec<Effect> {
    let id = begin_request(state);
    state.database.pending = Some(id);
    vec![Effect::Connect { id, app: state.session.app.clone(), addon: state.session.addon.clone() }]
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => {
            on_paste(state, &text);
            vec![]
        }
        Msg::Resize => vec![],
        Msg::Tick => {
            on_tick(state);
            vec![]
        }
        Msg::Connected { id, result } => on_connected(state, id, result),
        Msg::UsersLoaded { id, result } => on_users_loaded(state, id, result),
        Msg::UserCreated { id, name, result } => on_created(state, id, name, result),
        Msg::PasswordReset { id, name, result } => on_reset(state, id, name, result),
        Msg::PasswordSet { id, name, result } => on_password_set(state, id, name, result),
        Msg::UserDeleted { id, name, result } => on_deleted(state, id, name, result),
        Msg::ClipboardStatus(text) => {
            match &mut state.modal {
                Some(Modal::Reveal(reveal)) => reveal.copy_status = Some(text),
                _ => info(state, text),
            }
            vec![]
        }
        Msg::Quit => quit(state),
    }
}

fn begin_request(state: &mut State) -> RequestId {
    state.next_id += 1;
    state.in_flight += 1;
    state.next_id
}

fn answered(state: &mut State) {
    state.in_flight = state.in_flight.saturating_sub(1);
}

fn info(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status { level: Level::Info, text: text.into(), ticks_left: Some(INFO_TICKS) });
}

fn error(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status { level: Level::Error, text: text.into(), ticks_left: None });
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    // Dropping the modal wipes any password it holds.
    state.modal = None;
    vec![Effect::Quit]
}

fn load_users(state: &mut State) -> Vec<Effect> {
    let Some(target) = state.target.clone() else { return vec![] };
    let id = begin_request(state);
    state.users.users.pending = Some(id);
    vec![Effect::LoadUsers { id, target }]
}

fn on_tick(state: &mut State) {
    if state.in_flight > 0 {
        state.spinner = state.spinner.wrapping_add(1);
    }
    if let Some(status) = &mut state.status
        && let Some(ticks) = &mut status.ticks_left
    {
        *ticks = ticks.saturating_sub(1);
        if *ticks == 0 {
            state.status = None;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Keys

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind != KeyEventKind::Press {
        return vec![];
    }
    if is_ctrl_c(&key) {
        return quit(state);
    }
    match state.modal.take() {
        None if state.users.filter_editing => {
            filter_key(state, key);
            vec![]
        }
        None => main_key(state, key),
        Some(modal) => {
            let (modal, effects) = modal_key(state, modal, key);
            state.modal = modal;
            effects
        }
    }
}

fn filter_key(state: &mut State, key: KeyEvent) {
    let users = &mut state.users;
    match action_for(Context::Filter, &key) {
        Some(Action::Submit) => users.filter_editing = false,
        Some(Action::Cancel) => {
            users.filter = Default::default();
            users.filter_editing = false;
            users.selected = 0;
        }
        _ => {
            if users.filter.handle_key(key) {
                users.selected = 0;
            }
        }
    }
}

fn main_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let on_users = state.tab == Tab::Users;
    let action = action_for(Context::Global, &key).or_else(|| {
        on_users
            .then(|| action_for(Context::List, &key).or_else(|| action_for(Context::Users, &key)))
            .flatten()
    });
    let Some(action) = action else { return vec![] };
    if action.mutates() && state.session.read_only {
        error(state, "Read-only mode (--read-only): changes are turned off");
        return vec![];
    }
    let count = state.users.visible().len();
    let users = &mut state.users;
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.modal = Some(Modal::Help),
        Action::NextTab => state.tab = Tab::ALL[(state.tab.index() + 1) % Tab::ALL.len()],
        Action::PrevTab => state.tab = Tab::ALL[(state.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()],
        Action::GoTab(i) => state.tab = Tab::ALL[i.min(Tab::ALL.len() - 1)],
        Action::Cancel => {
            // Errors stay until dismissed; information expires by itself, so Esc passes over it.
            if state.status.as_ref().is_some_and(|s| s.level == Level::Error) {
                state.status = None;
            } else if !users.filter.value().is_empty() {
                users.filter = Default::default();
                users.selected = 0;
            }
        }
        Action::Up => users.selected = users.selected.saturating_sub(1),
        Action::Down => users.selected = (users.selected + 1).min(count.saturating_sub(1)),
        Action::Top => users.selected = 0,
        Action::Bottom => users.selected = count.saturating_sub(1),
        Action::PageUp => users.selected = users.selected.saturating_sub(PAGE),
        Action::PageDown => users.selected = (users.selected + PAGE).min(count.saturating_sub(1)),
        Action::Filter => users.filter_editing = true,
        Action::Refresh => return load_users(state),
        Action::NewUser => match state.engine() {
            Some(engine) if state.target.is_some() => {
                state.modal = Some(Modal::CreateUser(CreateUserForm::new(engine)))
            }
            _ => error(state, "Not connected to the database yet"),
        },
        Action::ResetPassword | Action::SetPassword | Action::DeleteUser => {
            if let Some(name) = user_for_action(state) {
                state.modal = Some(match action {
                    Action::SetPassword => Modal::SetPassword(SetPasswordForm {
                        user: name,
                        password: super::input::TextInput::masked(),
                        confirmation: super::input::TextInput::masked(),
                        focus: PasswordField::Password,
                        tried: false,
                        server_error: None,
                        pending: None,
                    }),
                    _ => Modal::Confirm(ConfirmForm {
                        action: if action == Action::DeleteUser {
                            ConfirmAction::Delete
                        } else {
                            ConfirmAction::ResetPassword
                        },
                        user: name,
                        typed: Default::default(),
                        server_error: None,
                        pending: None,
                    }),
                });
            }
        }
        _ => {}
    }
    vec![]
}

/// The selected user's name, if an action may touch it; else says why not.
fn user_for_action(state: &mut State) -> Option<String> {
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

fn modal_key(state: &mut State, modal: Modal, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    match modal {
        Modal::Help => {
            let close = action_for(Context::Help, &key) == Some(Action::Close);
            (if close { None } else { Some(Modal::Help) }, vec![])
        }
        Modal::Reveal(mut reveal) => match action_for(Context::Reveal, &key) {
            Some(Action::Copy) => {
                reveal.copy_status = Some("Copying…".into());
                let effect = Effect::Copy(reveal.password.clone());
                (Some(Modal::Reveal(reveal)), vec![effect])
            }
            // Dropping the reveal zeroizes the password: it is never shown again.
            Some(Action::Close) => (None, vec![]),
            _ => {
                reveal.close_hint = key.code == crossterm::event::KeyCode::Esc;
                (Some(Modal::Reveal(reveal)), vec![])
            }
        },
        Modal::CreateUser(form) => create_key(state, form, key),
        Modal::SetPassword(form) => set_password_key(state, form, key),
        Modal::Confirm(form) => confirm_key(state, form, key),
    }
}

/// Esc while a request is in flight: the form stays, so its answer has somewhere to land.
fn waiting(state: &mut State) {
    info(state, "Waiting for the server's answer…");
}

fn create_key(state: &mut State, mut form: CreateUserForm, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Form, &key);
    if form.pending.is_some() {
        if action == Some(Action::Cancel) {
            waiting(state);
        }
        return (Some(Modal::CreateUser(form)), vec![]);
    }
    let order = CreateField::ORDER;
    let at = order.iter().position(|f| *f == form.focus).unwrap_or(0);
    match action {
        Some(Action::Cancel) => return (None, vec![]),
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

fn set_password_key(
    state: &mut State,
    mut form: SetPasswordForm,
    key: KeyEvent,
) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Form, &key);
    if form.pending.is_some() {
        if action == Some(Action::Cancel) {
            waiting(state);
        }
        return (Some(Modal::SetPassword(form)), vec![]);
    }
    let other = match form.focus {
        PasswordField::Password => PasswordField::Confirmation,
        PasswordField::Confirmation => PasswordField::Password,
    };
    match action {
        Some(Action::Cancel) => return (None, vec![]),
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

fn confirm_key(state: &mut State, mut form: ConfirmForm, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Confirm, &key);
    if form.pending.is_some() {
        if action == Some(Action::Cancel) {
            waiting(state);
        }
        return (Some(Modal::Confirm(form)), vec![]);
    }
    match action {
        Some(Action::Cancel) => return (None, vec![]),
        // Inert until the typed text is the name, byte for byte.
        Some(Action::Submit) if confirm_problems(&form).is_none() => {
            let Some(target) = state.target.clone() else { return (Some(Modal::Confirm(form)), vec![]) };
            let id = begin_request(state);
            form.pending = Some(id);
            form.server_error = None;
            let name = form.user.clone();
            let effect = match form.action {
                ConfirmAction::Delete => Effect::DeleteUser { id, target, name },
                ConfirmAction::ResetPassword => Effect::ResetPassword { id, target, name },
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

fn on_paste(state: &mut State, text: &str) {
    let field = match &mut state.modal {
        Some(Modal::CreateUser(form)) if form.pending.is_none() => match form.focus {
            CreateField::Name => Some(&mut form.name),
            CreateField::Password => Some(&mut form.password),
            CreateField::Confirmation => Some(&mut form.confirmation),
            CreateField::Access => None,
        },
        Some(Modal::SetPassword(form)) if form.pending.is_none() => Some(match form.focus {
            PasswordField::Password => &mut form.password,
            PasswordField::Confirmation => &mut form.confirmation,
        }),
        Some(Modal::Confirm(form)) if form.pending.is_none() => Some(&mut form.typed),
        None if state.users.filter_editing => Some(&mut state.users.filter),
        _ => None,
    };
    if let Some(field) = field {
        field.paste(text);
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

fn on_connected(
    state: &mut State,
    id: RequestId,
    result: Result<(crate::api::Addon, crate::api::Database), ApiError>,
) -> Vec<Effect> {
    answered(state);
    if state.database.pending != Some(id) {
        return vec![];
    }
    state.database.pending = None;
    match result {
        Ok((addon, database)) if database.engine().is_some() => {
            state.target =
                Some(crate::api::DbTarget { app: state.session.app.clone(), addon_id: addon.id.clone() });
            state.addon = Some(addon);
            state.database.data = Some(database);
            state.database.error = None;
            load_users(state)
        }
        Ok((_, database)) => {
            let text = format!("dbdeck manages PostgreSQL and MySQL databases, not '{}'", database.type_name);
            state.database.error = Some(text.clone());
            error(state, text);
            vec![]
        }
        Err(e) => {
            let text = format!("Connecting to {}: {e}", state.session.app);
            state.database.error = Some(e.to_string());
            error(state, text);
            vec![]
        }
    }
}

fn on_users_loaded(state: &mut State, id: RequestId, result: Result<Vec<User>, ApiError>) -> Vec<Effect> {
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
            let visible = tab.visible();
            tab.selected = selected
                .and_then(|name| visible.iter().position(|u| u.name == name))
                .unwrap_or(tab.selected)
                .min(visible.len().saturating_sub(1));
            if let Some(reconcile) = state.reconcile.take() {
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
    let exists = |name: &str| state.users.users.data.iter().flatten().any(|u| u.name == name);
    let text = match &reconcile {
        Reconcile::Create(name) if exists(name) => format!(
            "{name} was created, but the answer was lost: its password was not received. Reset it with p to get one."
        ),
        Reconcile::Create(name) => format!("{name} was not created (the request failed). Try again."),
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

/// The common ending of a change: `Ok` closes the form; an unknown outcome closes it and lists
/// again to find out; a refusal keeps the form open with the server's reason.
enum Outcome<T> {
    Done(T),
    Unknown(ApiError),
    Refused,
}

fn finish<T>(state: &mut State, id: RequestId, result: Result<T, ApiError>) -> Outcome<T> {
    answered(state);
    let ours = match &state.modal {
        Some(Modal::CreateUser(f)) => f.pending == Some(id),
        Some(Modal::SetPassword(f)) => f.pending == Some(id),
        Some(Modal::Confirm(f)) => f.pending == Some(id),
        _ => false,
    };
    match result {
        Ok(value) => {
            if ours {
                state.modal = None;
            }
            Outcome::Done(value)
        }
        Err(e) if e.outcome_unknown() => {
            if ours {
                state.modal = None;
            }
            Outcome::Unknown(e)
        }
        Err(e) => {
            let text = e.to_string();
            match &mut state.modal {
                Some(Modal::CreateUser(f)) if ours => (f.pending, f.server_error) = (None, Some(text)),
                Some(Modal::SetPassword(f)) if ours => (f.pending, f.server_error) = (None, Some(text)),
                Some(Modal::Confirm(f)) if ours => (f.pending, f.server_error) = (None, Some(text)),
                _ => error(state, text),
            }
            Outcome::Refused
        }
    }
}

fn unknown(state: &mut State, what: String, e: ApiError, reconcile: Reconcile) -> Vec<Effect> {
    error(state, format!("{what}: {e}. Listing users again to see what happened…"));
    state.reconcile = Some(reconcile);
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
        Outcome::Unknown(e) => unknown(state, format!("Creating {name}"), e, Reconcile::Create(name)),
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

fn on_deleted(state: &mut State, id: RequestId, name: String, result: Result<(), ApiError>) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(()) => {
            info(state, format!("User {name} deleted"));
            load_users(state)
        }
        Outcome::Unknown(e) => unknown(state, format!("Deleting {name}"), e, Reconcile::Delete(name)),
        Outcome::Refused => vec![],
    }
}
