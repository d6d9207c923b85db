//! The pure heart of dbdeck: `update(&mut State, Msg) -> Vec<Effect>`. No I/O, no clock, no
//! randomness; the runtime performs the effects and sends their answers back as messages.

use crossterm::event::{KeyEvent, KeyEventKind};
use secrecy::ExposeSecret;

use super::extensions;
use super::internet;
use super::msg::{Effect, Msg, RequestId};
use super::state::*;
use super::users;
use crate::api::ApiError;
use crate::ui::keys::{Action, Context, action_for, is_ctrl_c};

/// The effects to run when the app starts.
pub fn start(state: &mut State) -> Vec<Effect> {
    let id = begin_request(state);
    state.database.pending = Some(id);
    vec![Effect::Connect { id, app: state.session.app.clone(), addon: state.session.addon.clone() }]
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => {
            on_paste(state, text.expose_secret());
            vec![]
        }
        Msg::Resize => vec![],
        Msg::Tick => {
            on_tick(state);
            vec![]
        }
        Msg::Connected { id, result } => {
            let mut effects = on_connected(state, id, result);
            effects.extend(internet::after_connect(state));
            effects
        }
        Msg::UsersLoaded { id, result } => users::on_users_loaded(state, id, result),
        Msg::UserCreated { id, name, result } => users::on_created(state, id, name, result),
        Msg::PasswordReset { id, name, result } => users::on_reset(state, id, name, result),
        Msg::PasswordSet { id, name, result } => users::on_password_set(state, id, name, result),
        Msg::UserDeleted { id, name, result } => users::on_deleted(state, id, name, result),
        Msg::ClipboardStatus(text) => {
            match &mut state.modal {
                Some(Modal::Reveal(reveal)) => reveal.copy_status = Some(text),
                _ => info(state, text),
            }
            vec![]
        }
        Msg::Quit => quit(state),
        Msg::Extensions(msg) => extensions::on_msg(state, msg),
        Msg::Internet(msg) => internet::on_msg(state, msg),
    };
    // The Extensions tab loads when first shown (or once connected while shown).
    effects.extend(extensions::when_shown(state));
    effects
}

pub(super) fn begin_request(state: &mut State) -> RequestId {
    state.next_id += 1;
    state.in_flight += 1;
    state.next_id
}

pub(super) fn answered(state: &mut State) {
    state.in_flight = state.in_flight.saturating_sub(1);
}

pub(super) fn info(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status { level: Level::Info, text: text.into(), ticks_left: Some(INFO_TICKS) });
}

pub(super) fn error(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status { level: Level::Error, text: text.into(), ticks_left: None });
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    // Dropping the modal wipes any password it holds.
    state.modal = None;
    vec![Effect::Quit]
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
        None => {
            if let Some(list) = state.list_mut().filter(|l| l.filter_editing) {
                list.filter_key(key);
                return vec![];
            }
            main_key(state, key)
        }
        Some(modal) => {
            let (modal, effects) = modal_key(state, modal, key);
            state.modal = modal;
            effects
        }
    }
}

/// The context of the current tab's own actions.
fn tab_context(tab: Tab) -> Option<Context> {
    match tab {
        Tab::Users => Some(Context::Users),
        Tab::Extensions => Some(Context::Extensions),
        _ => None,
    }
}

fn main_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let has_list = state.list().is_some();
    let action = action_for(Context::Global, &key)
        .or_else(|| has_list.then(|| action_for(Context::List, &key)).flatten())
        .or_else(|| tab_context(state.tab).and_then(|c| action_for(c, &key)))
        .or_else(|| internet::key_context(state).and_then(|c| action_for(c, &key)));
    let Some(action) = action else { return vec![] };
    if action.mutates() && state.session.read_only {
        error(state, "Read-only mode (--read-only): changes are turned off");
        return vec![];
    }
    // Until the list says what became of a change whose answer was lost, another change could
    // repeat it (the duplicate checks would run against the old list).
    if action.mutates() && (state.reconcile.is_some() || state.internet.reconcile.is_some()) {
        error(state, "Checking what happened to the last change: wait for the list to load");
        return vec![];
    }
    let count = state.list_len();
    if let Some(list) = state.list_mut()
        && list.navigate(action, count)
    {
        return vec![];
    }
    let tabs = Tab::ALL.len();
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.modal = Some(Modal::Help),
        Action::NextTab => state.tab = Tab::ALL[(state.tab.index() + 1) % tabs],
        Action::PrevTab => state.tab = Tab::ALL[(state.tab.index() + tabs - 1) % tabs],
        Action::GoTab(i) => state.tab = Tab::ALL[i.min(tabs - 1)],
        Action::Cancel => {
            // Errors stay until dismissed; information expires by itself, so Esc passes over it.
            if state.status.as_ref().is_some_and(|s| s.level == Level::Error) {
                state.status = None;
            } else if let Some(list) = state.list_mut() {
                list.clear_filter();
            }
        }
        Action::Refresh if state.tab == Tab::Users => return users::load_users(state),
        _ if state.tab == Tab::Users => users::action(state, action),
        _ if state.tab == Tab::Extensions => return extensions::action(state, action),
        _ if state.tab == Tab::InternetAccess => return internet::action(state, action),
        _ => {}
    }
    vec![]
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
        Modal::CreateUser(form) => users::create_key(state, form, key),
        Modal::SetPassword(form) => users::set_password_key(state, form, key),
        Modal::Confirm(form) => users::confirm_key(state, form, key),
        Modal::Extension(form) => extensions::confirm_key(state, form, key),
        Modal::Feature(form) => internet::feature_key(state, form, key),
        Modal::NewRule(form) => internet::rule_key(state, form, key),
    }
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
        None => state.list_mut().filter(|l| l.filter_editing).map(|l| &mut l.filter),
        Some(Modal::Extension(form)) if form.pending.is_none() => Some(&mut form.typed),
        Some(Modal::NewRule(form)) if form.pending.is_none() => form.focused_input(),
        _ => None,
    };
    if let Some(field) = field {
        field.paste(text);
    }
    // A pasted filter narrows the list: start again from its first row.
    if state.modal.is_none()
        && let Some(list) = state.list_mut().filter(|l| l.filter_editing)
    {
        list.selected = 0;
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
            users::load_users(state)
        }
        Ok((_, database)) => {
            let text = format!("dbdeck manages PostgreSQL and MySQL databases, not '{}'", database.type_name);
            state.database.error = Some(text.clone());
            error(state, text);
            vec![]
        }
        Err(e) => {
            let mut text = format!("Connecting to {}: {e}", state.session.app);
            if e.status() == Some(401) && !state.session.token_source.is_empty() {
                text.push_str(&format!(" (the token came from {})", state.session.token_source));
            }
            state.database.error = Some(e.to_string());
            error(state, text);
            vec![]
        }
    }
}
