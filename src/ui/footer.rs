//! The status line (spinner, messages, the filter being typed) and the footer of key hints,
//! drawn from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::keys::{Action, Binding, Context, bindings};
use super::theme::Theme;
use super::widgets::input_line;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::{Level, Modal, Screen, Tab};

/// Rows the status line needs at `width`: a long error wraps, up to three rows.
pub fn status_height(state: &State, width: u16) -> u16 {
    let len = state.status.as_ref().map_or(0, |s| shown(&s.text).chars().count() + 25);
    (len as u16).div_ceil(width.max(1)).clamp(1, 3)
}

pub fn draw_status(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    if let Some(list) = state.list().filter(|l| l.filter_editing && state.modal.is_none()) {
        input_line(frame, area, "/", &list.filter, true, "type to filter by name", theme);
        return;
    }
    let mut spans = Vec::new();
    if state.in_flight > 0 {
        spans.push(Span::styled(format!(" {} ", theme.spinner(state.spinner)), theme.key));
    } else {
        spans.push(Span::raw(" "));
    }
    match &state.status {
        Some(status) if status.level == Level::Error => {
            spans.push(Span::styled("Error: ", theme.danger));
            spans.push(Span::styled(shown(&status.text).into_owned(), theme.danger));
            spans.push(Span::styled("  (Esc dismisses)", theme.muted));
        }
        // Messages name users, apps and errors the server sent.
        Some(status) => spans.push(Span::styled(shown(&status.text).into_owned(), theme.ok)),
        None if state.in_flight > 0 => spans.push(Span::styled("Working…", theme.muted)),
        None => {}
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }), area);
}

/// The contexts whose keys the operator can press right now, most specific first.
pub fn active_contexts(state: &State) -> Vec<Context> {
    let mut contexts = modal_or_tab_contexts(state);
    // Any tab of an open database can go back to the picker.
    if state.modal.is_none() && state.screen == Screen::Dashboard && !contexts.contains(&Context::Filter) {
        contexts.push(Context::Dashboard);
    }
    contexts
}

fn modal_or_tab_contexts(state: &State) -> Vec<Context> {
    match &state.modal {
        None if state.screen == Screen::Token => vec![Context::Token],
        None if state.list().is_some_and(|l| l.filter_editing) => vec![Context::Filter],
        None if state.screen == Screen::Picker => vec![Context::Picker, Context::List, Context::Global],
        Some(Modal::Help) => vec![Context::Help],
        Some(Modal::Journal(_)) => vec![Context::Journal],
        Some(Modal::Reveal(_)) => vec![Context::Reveal],
        Some(Modal::Confirm(_)) => vec![Context::Confirm],
        Some(Modal::CreateUser(_) | Modal::SetPassword(_)) => vec![Context::Form],
        Some(Modal::Extension(form)) if form.change == crate::sql::Change::Enable => {
            vec![Context::ConfirmEnable]
        }
        Some(Modal::Extension(_)) => vec![Context::Confirm],
        None if state.tab == Tab::Users => vec![Context::Users, Context::List, Context::Global],
        None if state.tab == Tab::Extensions && state.engine() != Some(crate::api::Engine::MySql) => {
            vec![Context::Extensions, Context::List, Context::Global]
        }
        None if state.tab == Tab::Extensions => vec![Context::List, Context::Global],
        Some(Modal::Feature(_)) => vec![Context::Ask],
        Some(Modal::NewRule(_) | Modal::RuleLabel(_)) => vec![Context::Form],
        None if state.tab == Tab::InternetAccess => crate::app::internet::footer_contexts(state),
        None => vec![Context::Global],
    }
}

/// Whether a binding can act now: changes are off under `--read-only` and while a change's
/// outcome is unknown, and protected users cannot be reset, changed or deleted.
pub fn enabled(binding: &Binding, state: &State) -> bool {
    let action = binding.action;
    if action.mutates() && (state.session.read_only || state.unsettled.is_some()) {
        return false;
    }
    if matches!(action, Action::EnableExtension | Action::DisableExtension) {
        return crate::app::extensions::can(state, action);
    }
    if action == Action::DeleteRule && state.internet.selected_rule().is_none() {
        return false;
    }
    let on_user = matches!(action, Action::ResetPassword | Action::SetPassword | Action::DeleteUser);
    !(on_user && state.users.selected_user().is_none_or(|u| u.protected))
}

pub fn draw_keys(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut spans = vec![Span::raw(" ")];
    for context in active_contexts(state) {
        for binding in bindings(context).filter(|b| b.footer) {
            let key_style = if enabled(binding, state) { theme.key } else { theme.key_disabled };
            spans.push(Span::styled(binding.shown, key_style));
            spans.push(Span::styled(format!(" {}  ", binding.label), theme.muted));
        }
    }
    frame.render_widget(Line::from(spans), area);
}
