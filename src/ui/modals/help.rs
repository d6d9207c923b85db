//! The `?` overlay: every binding of the key table, grouped by context.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::State;
use crate::app::keys::{
    Action, BINDINGS, Context, Reason, always_off, bindings, check_screen, screen_contexts,
};
use crate::ui::theme::Theme;
use crate::ui::widgets::modal_frame;

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
    let inner = modal_frame(frame, area, 100, 30, "Help", theme);
    let mut lines = Vec::new();
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
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(diagnostics(state, theme));
    if on_picker {
        lines.push(Line::styled(
            "Databases marked * were opened lately. From a database, o comes back to this list.",
            theme.muted,
        ));
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
        lines.push(Line::styled(text, theme.warn));
    }
    if !on_picker {
        lines.push(Line::styled(
            "Protected users are managed by the platform: they cannot be deleted and their password cannot be changed.",
            theme.muted,
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
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
