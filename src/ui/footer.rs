//! The status line (spinner, messages, the filter being typed) and the footer of key hints,
//! drawn from the key table.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::widgets::input_line;
use crate::app::State;
use crate::app::display::shown;
use crate::app::keys::{Action, Binding, Context, Reason, bindings, check, contexts};
use crate::app::state::Level;

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
            spans.push(Span::styled(theme.spelled(&shown(&status.text)).into_owned(), theme.danger));
            spans.push(Span::styled("  (Esc dismisses)", theme.muted));
        }
        // Messages name users, apps and errors the server sent.
        Some(status) => spans.push(Span::styled(theme.spelled(&shown(&status.text)).into_owned(), theme.ok)),
        None if state.in_flight > 0 => {
            spans.push(Span::styled(theme.spelled("Working…").into_owned(), theme.muted))
        }
        None => {}
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }), area);
}

/// One footer entry: a binding live now, and why it would do nothing if it would not.
struct Entry {
    binding: &'static Binding,
    /// The key as this theme writes it (`k/Up` in ASCII).
    key: Cow<'static, str>,
    off: Option<Reason>,
}

impl Entry {
    fn text(&self) -> String {
        match &self.off {
            None => format!(" {}  ", self.binding.label),
            // In words, so it reads the same without colour or strikethrough.
            Some(reason) => format!(" {} ({})  ", self.binding.label, reason.short()),
        }
    }

    fn width(&self) -> usize {
        Span::raw(self.key.as_ref()).width() + Span::raw(self.text()).width()
    }
}

const MORE: &str = "? more";

/// The footer's entries at `width`, in table order: all of them when they fit, else the
/// highest priorities that do, followed by `? more` where `?` opens the help.
fn fitted(state: &State, width: usize, theme: &Theme) -> (Vec<Entry>, bool) {
    let contexts = contexts(state);
    let entries: Vec<Entry> = contexts
        .iter()
        .flat_map(|&c| bindings(c))
        .filter(|b| b.priority > 0)
        .map(|binding| Entry {
            binding,
            key: theme.key_label(binding.shown),
            off: check(state, binding.action).err(),
        })
        .collect();
    let lead = 1;
    if lead + entries.iter().map(Entry::width).sum::<usize>() <= width {
        return (entries, false);
    }
    // `? more` replaces `? help` when keys are left out; modals have no help to point to.
    let help = contexts.contains(&Context::Global);
    let mut budget = width.saturating_sub(lead + if help { Span::raw(MORE).width() } else { 0 });
    let mut order: Vec<usize> =
        (0..entries.len()).filter(|&i| !(help && entries[i].binding.action == Action::Help)).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(entries[i].binding.priority));
    let mut keep = vec![false; entries.len()];
    for i in order {
        let w = entries[i].width();
        if w <= budget {
            budget -= w;
            keep[i] = true;
        }
    }
    let kept = entries.into_iter().zip(keep).filter_map(|(e, k)| k.then_some(e)).collect();
    (kept, help)
}

pub fn draw_keys(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let (entries, more) = fitted(state, area.width as usize, theme);
    let mut spans = vec![Span::raw(" ")];
    for entry in &entries {
        let (key, label) = match entry.off {
            None => (theme.key, theme.muted),
            Some(_) => (theme.key_disabled, theme.muted.add_modifier(Modifier::DIM)),
        };
        spans.push(Span::styled(entry.key.clone(), key));
        spans.push(Span::styled(entry.text(), label));
    }
    if more {
        spans.push(Span::styled("?", theme.key));
        spans.push(Span::styled(" more", theme.muted));
    }
    frame.render_widget(Line::from(spans), area);
}
