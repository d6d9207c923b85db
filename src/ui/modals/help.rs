//! The `?` overlay: every binding of the key table, grouped by context, in a box sized to its
//! content (`fit`). When the terminal is too small for every group, the groups of the screen
//! beneath (what can be done now) stay, the others go first, and the last row says so.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};

use crate::app::State;
use crate::app::keys::{
    Action, BINDINGS, Context, Reason, always_off, bindings, check_screen, screen_contexts,
};
use crate::ui::theme::Theme;

/// On a database: every context but the picker's.
const ORDER: [Context; 13] = [
    Context::Global,
    Context::Dashboard,
    Context::List,
    Context::Users,
    Context::Filter,
    Context::Form,
    Context::Confirm,
    Context::Reveal,
    Context::Extensions,
    Context::ConfirmEnable,
    Context::Internet,
    Context::Firewall,
    Context::Ask,
];

/// On the picker: what can be done there.
const PICKER_ORDER: [Context; 4] = [Context::Global, Context::List, Context::Filter, Context::Picker];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut body = Body::new();
    let mut groups = Vec::new();
    let on_picker = state.on_picker();
    let order: &[Context] = if on_picker { &PICKER_ORDER } else { &ORDER };
    let beneath = screen_contexts(state);
    for &context in order {
        let mut spans = vec![Span::styled(format!("{}: ", context.title()), theme.title)];
        // The picker has no tabs and no database to leave: those keys do nothing there.
        let dashboard_only = |a: Action| {
            matches!(a, Action::NextTab | Action::PrevTab | Action::GoTab(_) | Action::OtherDatabase)
        };
        let live = beneath.contains(&context);
        for binding in bindings(context).filter(|b| !(on_picker && dashboard_only(b.action))) {
            // Keys of the screen beneath that would do nothing say why, as the footer does.
            // Only the reasons that hold for the whole screen: the rest depend on the row.
            let off = live.then(|| check_screen(state, binding.action).err()).flatten();
            let off =
                off.filter(|r| matches!(r, Reason::ReadOnly | Reason::Unsettled | Reason::PostgresOnly));
            match off.or_else(|| always_off(context, binding.action)) {
                None => {
                    spans.push(Span::styled(theme.key_label(binding.shown), theme.key));
                    spans.push(Span::styled(format!(" {}  ", binding.label), theme.text));
                }
                Some(reason) => {
                    spans.push(Span::styled(theme.key_label(binding.shown), theme.key_disabled));
                    spans.push(Span::styled(
                        format!(" {} ({})  ", binding.label, reason.short()),
                        theme.muted,
                    ));
                }
            }
        }
        // The keys that act on this screen stay; the other groups go first when room is short.
        let keep = if live { Keep::Must } else { Keep::Explain };
        groups.push(body.text(Line::from(spans), keep));
    }
    body.gap();
    groups.push(body.text(diagnostics(state, theme), Keep::Detail));
    if on_picker {
        let text = "Databases marked * were opened lately. From a database, o comes back to this list.";
        groups.push(body.text(Line::styled(text, theme.muted), Keep::Detail));
    }
    if state.session.read_only {
        // From the key table, so the list stays true as keys are added.
        let mut keys: Vec<&str> = Vec::new();
        for binding in BINDINGS.iter().filter(|b| b.changes) {
            if !keys.contains(&binding.shown) {
                keys.push(binding.shown);
            }
        }
        let text = format!("Read-only mode: every change ({}) is off.", keys.join(", "));
        groups.push(body.text(Line::styled(text, theme.warn), Keep::Explain));
    }
    if !on_picker {
        let text = "Protected users are managed by the platform: they cannot be deleted and their password cannot be changed.";
        groups.push(body.text(Line::styled(text, theme.muted), Keep::Detail));
    }
    let last = body.rows(1, Keep::Must);
    let placed = body.draw(frame, area, 100, "Help", theme);
    let hidden = groups.iter().filter(|i| placed.get(**i).is_none()).count();
    let text = match hidden {
        0 => Line::styled("Esc closes this help.", theme.muted),
        n => Line::styled(format!("{n} more hidden: a larger terminal shows them. Esc closes."), theme.warn),
    };
    if let Some(row) = placed.get(last) {
        frame.render_widget(text, row);
    }
}

/// The cost so far, in requests to Scalingo (which allows 60 a minute).
fn diagnostics<'a>(state: &State, theme: &Theme) -> Line<'a> {
    let text = match &state.stats {
        Some(stats) => format!(
            "{} requests this run ({} token exchange{}, {} addon token{})",
            stats.total,
            stats.token_exchanges,
            if stats.token_exchanges == 1 { "" } else { "s" },
            stats.addon_tokens,
            if stats.addon_tokens == 1 { "" } else { "s" },
        ),
        None => theme.spelled("counting the requests…").into_owned(),
    };
    Line::from(vec![Span::styled("Diagnostics: ", theme.title), Span::styled(text, theme.text)])
}
