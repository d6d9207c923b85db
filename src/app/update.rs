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
    let mut if_fails = IfOpenFails::Stay;
    let (app, lookup, dedicated) = match state.session.start.clone() {
        Start::Picker => return picker::on_shown(state),
        Start::App { app, addon } => {
            // `--app` alone: when it has no database, the picker filtered to it.
            if addon.trim().is_empty() {
                if_fails = IfOpenFails::PickerFilteredTo(app.clone());
            }
            (app, Lookup::Addon(addon), false)
        }
        Start::Database(name) => (name, Lookup::Database, true),
    };
    let addon = match &lookup {
        Lookup::Addon(addon) => addon.clone(),
        _ => String::new(),
    };
    let current = Current { region: region.clone().unwrap_or_default(), app: app.clone(), addon, dedicated };
    state.screen = Screen::Dashboard(Box::new(Dashboard::new(current, if_fails)));
    connect(state, OpenRequest { region, app, lookup })
}

/// Asks for a database to be found and read.
pub(super) fn connect(state: &mut State, request: OpenRequest) -> Vec<Effect> {
    let id = begin_request(state);
    let Some(dash) = state.dash_mut() else { return vec![] };
    dash.database.pending = Some(id);
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
        Msg::Users(msg) => users::on_msg(state, msg),
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
    effects.extend(extensions::on_shown(state));
    state.refilter();
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
        Msg::Users(msg) => msg.id(),
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
        None if state.on_token() => token::key(state, key),
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
    let on_picker = state.on_picker();
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
        Action::Cancel => cancel(state),
        _ => return dashboard_key(state, action),
    }
    vec![]
}

/// A key of the dashboard: its tabs, reopening, and the current tab's own keys.
fn dashboard_key(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(dash) = state.dash_mut() else { return vec![] };
    let tabs = Tab::ALL.len();
    let (tab, failed) = (dash.tab, dash.target.is_none() && dash.database.pending.is_none());
    match action {
        Action::NextTab => dash.tab = Tab::ALL[(tab.index() + 1) % tabs],
        Action::PrevTab => dash.tab = Tab::ALL[(tab.index() + tabs - 1) % tabs],
        Action::GoTab(i) => dash.tab = Tab::ALL[i.min(tabs - 1)],
        // Opening failed (a network blip at start): r tries again, on any tab.
        Action::Refresh if failed => {
            state.status = None;
            let effects = begin(state);
            // A fresh dashboard, still on the tab the operator was looking at.
            if let Some(dash) = state.dash_mut() {
                dash.tab = tab;
            }
            return effects;
        }
        // A change whose answer was lost: r reads the list that says what became of it.
        Action::Refresh if let Some(effects) = unsettled::relist(state) => return effects,
        _ => {
            return match tab {
                Tab::Users => users::on_action(state, action),
                Tab::Extensions => extensions::on_action(state, action),
                Tab::InternetAccess => internet::on_action(state, action),
            };
        }
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
        Modal::Confirm(form) => super::confirm::key(state, form, key),
        Modal::NewRule(form) => internet::rule_key(state, form, key),
        Modal::RuleLabel(form) => internet::label_key(state, form, key),
        Modal::Journal(view) => journal::key(view, key),
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

fn on_connected(state: &mut State, id: RequestId, result: Result<Opened, ApiError>) -> Vec<Effect> {
    answered(state);
    let Some(dash) = state.dash_mut().filter(|d| d.database.pending == Some(id)) else { return vec![] };
    dash.database.pending = None;
    let if_fails = std::mem::take(&mut dash.if_open_fails);
    let app = dash.current.app.clone();
    match result {
        Ok(opened) if opened.database.engine().is_some() => {
            let Opened { region, addon, database } = opened;
            dash.current.region = region.clone();
            let recent = Recent { region: region.clone(), app: app.clone(), addon: addon.id.clone() };
            dash.target = Some(crate::api::DbTarget { region, app, addon_id: addon.id.clone() });
            dash.addon = Some(addon);
            dash.database.data = Some(database);
            dash.database.error = None;
            let mut effects = users::load(state);
            effects.extend(picker::remember(state, recent));
            effects
        }
        Ok(opened) => {
            let type_name = opened.database.type_name;
            let text = format!("dbdeck manages PostgreSQL and MySQL databases, not '{type_name}'");
            open_failed(state, if_fails, text.clone(), text)
        }
        Err(e) => {
            if token::refused(state, &e) {
                return vec![];
            }
            let text = format!("Connecting to {app}: {e}");
            open_failed(state, if_fails, text, e.to_string())
        }
    }
}

/// Opening failed: say why, on the dashboard or (`--app` alone, or from the picker) back on the
/// picker, filtered to the app that was asked for.
fn open_failed(state: &mut State, if_fails: IfOpenFails, text: String, detail: String) -> Vec<Effect> {
    match if_fails {
        IfOpenFails::Stay => {
            if let Some(dash) = state.dash_mut() {
                dash.database.error = Some(detail);
            }
            error(state, text);
            return vec![];
        }
        IfOpenFails::Picker => picker::leave_dashboard(state),
        IfOpenFails::PickerFilteredTo(filter) => {
            picker::leave_dashboard(state);
            if !filter.is_empty() {
                state.picker.list.clear_filter();
                state.picker.list.filter.paste(&filter);
            }
        }
    }
    let effects = picker::on_shown(state);
    error(state, text);
    effects
}
