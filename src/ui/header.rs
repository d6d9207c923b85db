//! Two lines naming the database (app, addon, engine and version, plan, status, region) and the
//! tab bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use super::widgets::shorten;
use crate::app::State;
use crate::app::display::shown;
use crate::app::state::Dashboard;
use crate::app::state::Tab;

/// `dbdeck`, then `DEMO` and `READ-ONLY` when they apply: the start of every screen's header.
pub fn badges<'a>(state: &State, theme: &Theme) -> Vec<Span<'a>> {
    let mut spans = vec![Span::styled(" dbdeck ", theme.title)];
    if state.session.demo {
        spans.push(Span::styled(" DEMO ", theme.demo));
        spans.push(Span::raw(" "));
    }
    if state.session.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.warn));
        spans.push(Span::raw(" "));
    }
    spans
}

pub fn draw(frame: &mut Frame, area: Rect, tabs_area: Rect, state: &State, dash: &Dashboard, theme: &Theme) {
    let current = &dash.current;
    let mut first = badges(state, theme);
    let addon = dash.addon.as_ref().map(|a| a.id.as_str()).unwrap_or(current.addon.as_str());
    first.extend(field("app", &shown(&current.app), theme));
    let addon = shorten(&shown(addon), if area.width >= 110 { 64 } else { 14 }, theme);
    first.extend(field("addon", &addon, theme));
    // Unknown until found: an `--app` without a pinned region is looked for in every region.
    let region = if current.region.is_empty() { theme.symbols.ellipsis } else { current.region.as_str() };
    first.extend(field("region", &shown(region), theme));

    let second = match (&dash.database.data, &dash.database.error) {
        (Some(db), _) => {
            let engine = db.engine().map_or_else(|| shown(&db.type_name), |e| e.label().into());
            let mut spans = vec![Span::raw(" ")];
            spans.extend(field(&engine, &shown(&db.readable_version), theme));
            spans.extend(field("plan", &shown(&db.plan), theme));
            let status_style = if db.status == "running" { theme.ok } else { theme.warn };
            spans.push(Span::styled("status ", theme.muted));
            spans.push(Span::styled(shown(&db.status).into_owned(), status_style));
            spans
        }
        (None, Some(_)) => vec![Span::styled(" not connected (see the message below)", theme.danger)],
        (None, None) => {
            vec![Span::styled(
                format!(" {} connecting{}", theme.spinner(state.spinner), theme.symbols.ellipsis),
                theme.muted,
            )]
        }
    };
    frame.render_widget(Line::from(first), Rect { height: 1, ..area });
    if area.height > 1 {
        frame.render_widget(Line::from(second), Rect { y: area.y + 1, height: 1, ..area });
    }

    let mut tabs = vec![Span::raw(" ")];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let style = if *tab == dash.tab { theme.tab_active } else { theme.muted };
        let marker = if *tab == dash.tab { theme.symbols.selected.trim_end() } else { " " };
        tabs.push(Span::styled(format!("{marker}{} {} ", i + 1, tab.title()), style));
        tabs.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(tabs), tabs_area);
}

/// `value` as it is to be drawn: callers pass server strings through `shown`.
fn field<'a>(label: &str, value: &str, theme: &Theme) -> [Span<'a>; 2] {
    [Span::styled(format!("{label} "), theme.muted), Span::styled(format!("{value}   "), theme.text)]
}
