//! Which bindings are live now (`contexts`) and whether `update` would act on one (`check`).
//! The dispatcher, the footer and the help all ask these two, so they cannot disagree.

use super::{Action, Context};
use crate::app::extensions;
use crate::app::internet::{self, features};
use crate::app::state::{Dashboard, Level, Modal, Screen, State, Tab};

/// Why a key does nothing now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `--read-only`: changes are off.
    ReadOnly,
    /// A change's outcome is unknown until its list is read again.
    Unsettled,
    NotConnected,
    NothingSelected,
    /// A user the platform manages.
    Protected,
    /// MySQL has no extensions.
    PostgresOnly,
    /// This row or feature cannot change now; the text says why.
    NotNow(String),
    /// The form's request is on its way.
    Waiting,
    /// The name to type does not match yet.
    NameNotTyped,
    /// `q` over a generated password: the only copy would be lost.
    ShownOnce,
    /// The key would change nothing (top of the list, nothing to dismiss).
    Nothing,
}

impl Reason {
    /// A word or two for the footer, plain ASCII so it survives any terminal.
    pub fn short(&self) -> &'static str {
        match self {
            Reason::ReadOnly => "read-only",
            Reason::Unsettled => "unsettled",
            Reason::NotConnected => "not loaded",
            Reason::NothingSelected => "none selected",
            Reason::Protected => "protected",
            Reason::PostgresOnly => "PostgreSQL only",
            Reason::NotNow(_) => "not now",
            Reason::Waiting => "waiting",
            Reason::NameNotTyped => "type the name first",
            Reason::ShownOnce => "Enter first",
            Reason::Nothing => "nothing to do",
        }
    }
}

/// The contexts whose keys act now, most specific first: a modal owns the keyboard, then the
/// filter being typed, then the screen's own keys.
pub fn contexts(state: &State) -> Vec<Context> {
    if let Some(modal) = &state.modal {
        return vec![match modal {
            Modal::Help => Context::Help,
            Modal::Journal(_) => Context::Journal,
            Modal::Reveal(_) => Context::Reveal,
            Modal::Confirm(form) => form.context(),
            Modal::CreateUser(_) | Modal::SetPassword(_) | Modal::NewRule(_) | Modal::RuleLabel(_) => {
                Context::Form
            }
        }];
    }
    screen_contexts(state)
}

/// The contexts of the screen beneath any modal (what the help describes).
pub fn screen_contexts(state: &State) -> Vec<Context> {
    let dash = match &state.screen {
        Screen::Token => return vec![Context::Token],
        _ if state.list().is_some_and(|l| l.filter_editing) => return vec![Context::Filter],
        Screen::Picker => return vec![Context::Picker, Context::List, Context::Global],
        Screen::Dashboard(dash) => dash,
    };
    let mut contexts = match dash.tab {
        Tab::Users => vec![Context::Users],
        Tab::Extensions => vec![Context::Extensions],
        Tab::InternetAccess if internet::is_dedicated(dash) => vec![Context::Firewall],
        Tab::InternetAccess => vec![Context::Internet],
    };
    if state.list().is_some() {
        contexts.push(Context::List);
    }
    contexts.extend([Context::Global, Context::Dashboard]);
    contexts
}

/// Whether `update` would act on `action` now (in one of `contexts(state)`), and if not, why.
pub fn check(state: &State, action: Action) -> Result<(), Reason> {
    match &state.modal {
        Some(modal) => in_modal(state, modal, action),
        None => check_screen(state, action),
    }
}

/// `check` for the screen beneath any modal.
pub fn check_screen(state: &State, action: Action) -> Result<(), Reason> {
    match state.screen {
        Screen::Token => on_token(state, action),
        _ if state.list().is_some_and(|l| l.filter_editing) => Ok(()),
        _ => on_screen(state, action),
    }
}

fn ok_if(condition: bool, reason: Reason) -> Result<(), Reason> {
    if condition { Ok(()) } else { Err(reason) }
}

/// A binding that never acts in its context, only says why (the help shows it too).
pub fn always_off(context: Context, action: Action) -> Option<Reason> {
    (context == Context::Reveal && action == Action::Quit).then_some(Reason::ShownOnce)
}

fn in_modal(state: &State, modal: &Modal, action: Action) -> Result<(), Reason> {
    let pending = match modal {
        Modal::CreateUser(f) => f.pending,
        Modal::SetPassword(f) => f.pending,
        Modal::Confirm(f) => f.pending,
        Modal::NewRule(f) => f.pending,
        Modal::RuleLabel(f) => f.pending,
        Modal::Help | Modal::Journal(_) | Modal::Reveal(_) => None,
    };
    if pending.is_some() {
        return Err(Reason::Waiting);
    }
    if let Some(reason) = always_off(contexts(state)[0], action) {
        return Err(reason);
    }
    match (modal, action) {
        (Modal::Journal(view), Action::Up) => {
            let count = view.rows.as_ref().map_or(0, Vec::len);
            ok_if(view.back + 1 < count, Reason::Nothing)
        }
        (Modal::Journal(view), Action::Down) => ok_if(view.back > 0, Reason::Nothing),
        (Modal::Confirm(form), Action::Submit) => {
            ok_if(form.ready(), Reason::NameNotTyped)?;
            ok_if(state.target().is_some(), Reason::NotConnected)
        }
        _ => Ok(()),
    }
}

fn on_token(state: &State, action: Action) -> Result<(), Reason> {
    match action {
        // Enter on an empty field says what is missing, once.
        Action::Submit => {
            ok_if(!state.token.input.value().trim().is_empty() || !state.token.tried, Reason::Nothing)
        }
        Action::Cancel => ok_if(!state.token.input.value().is_empty(), Reason::Nothing),
        _ => Ok(()),
    }
}

fn on_screen(state: &State, action: Action) -> Result<(), Reason> {
    if action.mutates() && state.session.read_only {
        return Err(Reason::ReadOnly);
    }
    if action.mutates() && state.unsettled().is_some() {
        return Err(Reason::Unsettled);
    }
    if let Some(list) = state.list() {
        // The picker's first move takes the selection over from the recents, even in place.
        let first_move = state.on_picker() && !state.picker.moved;
        let at_top = list.selected == 0 && !first_move;
        let at_bottom = list.selected + 1 >= state.list_len() && !first_move;
        match action {
            Action::Up | Action::Top | Action::PageUp => return ok_if(!at_top, Reason::Nothing),
            Action::Down | Action::Bottom | Action::PageDown => return ok_if(!at_bottom, Reason::Nothing),
            Action::Filter => return Ok(()),
            _ => {}
        }
    }
    let Some(dash) = state.dash() else { return on_picker(state, action) };
    let connected = dash.target.is_some();
    match action {
        Action::Quit | Action::Help => Ok(()),
        Action::Cancel => ok_if(cancels(state), Reason::Nothing),
        Action::OtherDatabase => Ok(()),
        Action::Journal => ok_if(connected, Reason::NotConnected),
        Action::Console => ok_if(connected && state.engine().is_some(), Reason::NotConnected),
        Action::NextTab | Action::PrevTab => Ok(()),
        Action::GoTab(i) => ok_if(dash.tab.index() != i.min(Tab::ALL.len() - 1), Reason::Nothing),
        Action::Refresh => refresh(dash),
        Action::NewUser => ok_if(connected && dash.engine().is_some(), Reason::NotConnected),
        Action::ResetPassword | Action::SetPassword | Action::DeleteUser => {
            let user = dash.users.selected_user().ok_or(Reason::NothingSelected)?;
            ok_if(!user.protected, Reason::Protected)
        }
        Action::EnableExtension | Action::DisableExtension => extensions::why_not(state, action),
        Action::TrustHostKey => extensions::host_key::why_not(state),
        Action::ToggleTls => features::plan(state, internet::FeatureKind::Tls).map(drop),
        Action::ToggleInternet => features::plan(state, internet::FeatureKind::Internet).map(drop),
        Action::NewRule => internet::rules::can_open_new(state),
        Action::DeleteRule => ok_if(dash.internet.selected_rule().is_some(), Reason::NothingSelected),
        Action::EditLabel => {
            let rule = dash.internet.selected_rule().ok_or(Reason::NothingSelected)?;
            ok_if(!rule.is_managed(), Reason::NotNow("managed ranges have no label".into()))
        }
        _ => Err(Reason::Nothing),
    }
}

/// Esc: an error to dismiss, or a filter to clear.
fn cancels(state: &State) -> bool {
    let error = state.status.as_ref().is_some_and(|s| s.level == Level::Error);
    error || state.list().is_some_and(|l| !l.filter.value().is_empty())
}

/// The picker's keys (after the list's).
fn on_picker(state: &State, action: Action) -> Result<(), Reason> {
    match action {
        Action::Quit | Action::Help | Action::Refresh => Ok(()),
        Action::Cancel => ok_if(cancels(state), Reason::Nothing),
        Action::Open => ok_if(state.picker.selected().is_some(), Reason::NothingSelected),
        _ => Err(Reason::Nothing),
    }
}

/// `r` on a database: opening again after a failure, the list that settles a lost answer, or
/// the current tab's data.
fn refresh(dash: &Dashboard) -> Result<(), Reason> {
    if dash.target.is_none() {
        return ok_if(dash.database.pending.is_none(), Reason::Waiting);
    }
    if let Some(unsettled) = &dash.unsettled {
        return ok_if(!crate::app::unsettled::listing(dash, unsettled), Reason::Waiting);
    }
    match dash.tab {
        Tab::Extensions => ok_if(dash.engine() == Some(crate::api::Engine::PostgreSql), Reason::PostgresOnly),
        Tab::Users | Tab::InternetAccess => Ok(()),
    }
}
