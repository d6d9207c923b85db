//! The pure heart of dbdeck: `update(&mut State, Msg) -> Vec<Effect>`. No I/O, no clock, no
//! randomness; the runtime performs the effects and sends their answers back as messages.

use crossterm::event::{KeyEvent, KeyEventKind};
use secrecy::ExposeSecret;

use super::extensions;
use super::internet;
use super::journal;
use super::msg::{Effect, Lookup, Msg, OpenRequest, Opened, RequestId};
use super::picker::{self, Recent};
use super::state::*;
use super::token;
use super::unsettled;
use super::users;
use crate::api::ApiError;
use crate::app::keys::{self, Action, Context, Reason, action_for, is_ctrl_c};

/// The effects to run when the app starts: the token screen when there is no token, else what
/// the command line asked for.
pub fn start(state: &mut State) -> Vec<Effect> {
    if let Some(problem) = state.session.ask_token.clone() {
        state.screen = Screen::Token;
        state.token.problem = problem;
        return vec![];
    }
    let effects = begin(state);
    token::warn_about_source(state);
    effects
}

/// Opens what the command line named: the picker, an app's database, or a dedicated database.
pub(super) fn begin(state: &mut State) -> Vec<Effect> {
    let region = state.session.region.clone();
    let (app, lookup, dedicated) = match state.session.start.clone() {
        Start::Picker => return picker::show(state),
        Start::App { app, addon } => {
            // `--app` alone: when it has no database, the picker filtered to it.
            if addon.trim().is_empty() {
                state.fallback = Some(app.clone());
            }
            (app, Lookup::Addon(addon), false)
        }
        Start::Database(name) => (name, Lookup::Database, true),
    };
    state.screen = Screen::Dashboard;
    let addon = match &lookup {
        Lookup::Addon(addon) => addon.clone(),
        _ => String::new(),
    };
    state.current =
        Current { region: region.clone().unwrap_or_default(), app: app.clone(), addon, dedicated };
    connect(state, OpenRequest { region, app, lookup })
}

/// Asks for a database to be found and read.
pub(super) fn connect(state: &mut State, request: OpenRequest) -> Vec<Effect> {
    let id = begin_request(state);
    state.database.pending = Some(id);
    vec![Effect::Connect { id, request }]
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => {
            super::paste::on_paste(state, text.expose_secret());
            vec![]
        }
        Msg::Resize(width, height) => {
            state.too_small = crate::term::too_small(width, height);
            vec![]
        }
        Msg::Tick => {
            on_tick(state);
            vec![]
        }
        Msg::Connected { id, result } => {
            let mut effects = on_connected(state, id, result);
            effects.extend(internet::after_connect(state));
            effects
        }
        // An answer about a database that was left (`o`) is dropped.
        msg if left_behind(state, &msg) => {
            answered(state);
            vec![]
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
        Msg::Picker(msg) => picker::on_msg(state, msg),
        Msg::Stats(stats) => {
            state.stats = Some(stats);
            vec![]
        }
        Msg::TokenUnusable(text) => {
            token::ask_again(state, text);
            vec![]
        }
        Msg::JournalRead(result) => {
            journal::on_read(state, result);
            vec![]
        }
        Msg::Access(msg) => super::access::on_msg(state, msg),
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

/// Whether `msg` answers a request made for a database the operator has since left.
fn left_behind(state: &State, msg: &Msg) -> bool {
    let id = match msg {
        Msg::UsersLoaded { id, .. }
        | Msg::UserCreated { id, .. }
        | Msg::PasswordReset { id, .. }
        | Msg::PasswordSet { id, .. }
        | Msg::UserDeleted { id, .. } => *id,
        Msg::Extensions(msg) => msg.id(),
        Msg::Internet(msg) => msg.id(),
        _ => return false,
    };
    id <= state.left_before
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
    // Nothing but "Terminal too small" is on screen: a key must not act on what cannot be seen.
    if state.too_small {
        let q = key.code == crossterm::event::KeyCode::Char('q') && key.modifiers.is_empty();
        return if q { quit(state) } else { vec![] };
    }
    match state.modal.take() {
        None if state.screen == Screen::Token => token::key(state, key),
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

fn main_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let on_picker = state.screen == Screen::Picker;
    let action = keys::contexts(state).into_iter().find_map(|c| action_for(c, &key));
    let Some(action) = action else { return vec![] };
    // The gates every change shares; each tab says why its own actions cannot act.
    match keys::check(state, action) {
        Err(Reason::ReadOnly) => {
            error(state, "Read-only mode (--read-only): changes are turned off");
            return vec![];
        }
        Err(Reason::Unsettled) => {
            if let Some(why) = unsettled::refusal(state) {
                error(state, why);
            }
            return vec![];
        }
        _ => {}
    }
    let count = state.list_len();
    if let Some(list) = state.list_mut()
        && list.navigate(action, count)
    {
        state.picker.moved |= on_picker;
        return vec![];
    }
    let tabs = Tab::ALL.len();
    match action {
        Action::Quit => return quit(state),
        Action::Help => {
            state.modal = Some(Modal::Help);
            return vec![Effect::ReadStats];
        }
        Action::Cancel if on_picker => cancel(state),
        Action::Refresh if on_picker => return picker::load(state),
        Action::Open if on_picker => return picker::open_selected(state),
        _ if on_picker => {}
        Action::OtherDatabase => {
            let warning = unsettled::left_behind(state);
            let effects = picker::back(state);
            if let Some(text) = warning {
                error(state, text);
            }
            return effects;
        }
        Action::Journal => return journal::open(state),
        Action::Console => return super::access::open_console(state),
        Action::NextTab => state.tab = Tab::ALL[(state.tab.index() + 1) % tabs],
        Action::PrevTab => state.tab = Tab::ALL[(state.tab.index() + tabs - 1) % tabs],
        Action::GoTab(i) => state.tab = Tab::ALL[i.min(tabs - 1)],
        Action::Cancel => cancel(state),
        // Opening failed (a network blip at start): r tries again, on any tab.
        Action::Refresh if state.target.is_none() && state.database.pending.is_none() => {
            state.status = None;
            return begin(state);
        }
        // A change whose answer was lost: r reads the list that says what became of it.
        Action::Refresh if let Some(effects) = unsettled::relist(state) => return effects,
        Action::Refresh if state.tab == Tab::Users => return users::load_users(state),
        _ if state.tab == Tab::Users => users::action(state, action),
        _ if state.tab == Tab::Extensions => return extensions::action(state, action),
        _ if state.tab == Tab::InternetAccess => return internet::action(state, action),
        _ => {}
    }
    vec![]
}

/// Esc: errors stay until dismissed; information expires by itself, so Esc passes over it to
/// clear the filter.
fn cancel(state: &mut State) {
    if state.status.as_ref().is_some_and(|s| s.level == Level::Error) {
        state.status = None;
    } else if let Some(list) = state.list_mut().filter(|l| !l.filter.value().is_empty()) {
        // Only a filter to clear: with none, Esc leaves the selection where it is.
        list.clear_filter();
    }
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
            Some(Action::CopyUrl) => {
                let effects = super::access::request_url(state, &mut reveal);
                (Some(Modal::Reveal(reveal)), effects)
            }
            // Dropping the reveal zeroizes the password: it is never shown again.
            Some(Action::Close) => (None, vec![]),
            // q would drop the only copy of the password: it says how to close first.
            Some(Action::Quit) => {
                reveal.close_hint = true;
                (Some(Modal::Reveal(reveal)), vec![])
            }
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
        Modal::RuleLabel(form) => internet::label_key(state, form, key),
        Modal::Journal(view) => journal::key(view, key),
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

fn on_connected(state: &mut State, id: RequestId, result: Result<Opened, ApiError>) -> Vec<Effect> {
    answered(state);
    if state.database.pending != Some(id) {
        return vec![];
    }
    state.database.pending = None;
    let fallback = state.fallback.take();
    match result {
        Ok(opened) if opened.database.engine().is_some() => {
            let Opened { region, addon, database } = opened;
            state.current.region = region.clone();
            let app = state.current.app.clone();
            let recent = Recent { region: region.clone(), app: app.clone(), addon: addon.id.clone() };
            state.target = Some(crate::api::DbTarget { region, app, addon_id: addon.id.clone() });
            state.addon = Some(addon);
            state.database.data = Some(database);
            state.database.error = None;
            let mut effects = users::load_users(state);
            effects.extend(picker::remember(state, recent));
            effects
        }
        Ok(opened) => {
            let type_name = opened.database.type_name;
            let text = format!("dbdeck manages PostgreSQL and MySQL databases, not '{type_name}'");
            open_failed(state, fallback, text.clone(), text)
        }
        Err(e) => {
            if token::refused(state, &e) {
                return vec![];
            }
            let text = format!("Connecting to {}: {e}", state.current.app);
            open_failed(state, fallback, text, e.to_string())
        }
    }
}

/// Opening failed: say why, on the dashboard or (`--app` alone, or from the picker) back on the
/// picker, filtered to the app that was asked for.
fn open_failed(state: &mut State, fallback: Option<String>, text: String, detail: String) -> Vec<Effect> {
    let Some(filter) = fallback else {
        state.database.error = Some(detail);
        error(state, text);
        return vec![];
    };
    picker::leave_dashboard(state);
    if !filter.is_empty() {
        state.picker.list.clear_filter();
        state.picker.list.filter.paste(&filter);
    }
    let effects = picker::show(state);
    error(state, text);
    effects
}
