//! The Internet Access tab: TLS enforcement and Internet accessibility for a shared-resources
//! database, the firewall rules for a dedicated one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::api::{FeatureStatus, MAX_FIREWALL_RULES};
use crate::app::State;
use crate::app::display::shown;
use crate::app::internet::{FeatureKind, RuleConfirm, feature_status, is_dedicated};
use crate::app::state::Dashboard;
use crate::ui::columns::{self, Column};
use crate::ui::theme::Theme;

/// The rule's CIDR or range id is never cut (a delete asks to type it); its label says whose it
/// is; the rule's own id, useful only whole, goes first when the width runs short.
const FIREWALL_COLUMNS: [Column; 4] = [
    Column::new("Type", 7, 2),
    Column::new("CIDR or range", u16::MAX, 0),
    Column::new("Label", 10, 1).fill(),
    Column::new("Rule ID", u16::MAX, 3),
];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, dash: &Dashboard, theme: &Theme) {
    if is_dedicated(dash) {
        draw_firewall(frame, area, state, dash, theme)
    } else {
        draw_features(frame, area, state, dash, theme)
    }
}

fn block<'a>(title: Vec<Span<'a>>, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border)
        .title(Line::from(title))
}

/// A message instead of the content while there is nothing to show yet.
fn placeholder(state: &State, dash: &Dashboard, theme: &Theme) -> Option<Line<'static>> {
    match (&dash.database.data, &dash.database.error) {
        (Some(_), _) => None,
        (None, Some(_)) => Some(Line::styled("Not connected to the database.", theme.danger)),
        (None, None) => Some(Line::styled(
            format!("{} Connecting{}", theme.spinner(state.spinner), theme.symbols.ellipsis),
            theme.muted,
        )),
    }
}

fn draw_features(frame: &mut Frame, area: Rect, state: &State, dash: &Dashboard, theme: &Theme) {
    let block = block(vec![Span::styled(" Internet Access ", theme.title)], theme)
        .padding(ratatui::widgets::Padding::horizontal(1));
    if let Some(line) = placeholder(state, dash, theme) {
        frame.render_widget(Paragraph::new(line).block(block), area);
        return;
    }
    let engine = dash.engine().map_or("database", |e| e.label());
    let mut lines = vec![
        Line::styled(
            format!("How {}'s {engine} database can be reached:", shown(&dash.current.app)),
            theme.text,
        ),
        Line::raw(""),
    ];
    for feature in FeatureKind::ALL {
        lines.push(feature_line(state, dash, feature, theme));
        lines.push(Line::styled(
            format!("    {}", describe(feature, feature_status(dash, feature))),
            theme.muted,
        ));
        lines.push(Line::raw(""));
    }
    if let Some(db) = &dash.database.data {
        lines.push(Line::from(vec![
            Span::styled("Host  ", theme.muted),
            Span::styled(shown(&db.hostname).into_owned(), theme.text),
        ]));
    }
    lines.push(Line::styled(
        "Exposing a database to the Internet is discouraged: an SSH tunnel is safer.",
        theme.muted,
    ));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

fn feature_line<'a>(state: &State, dash: &Dashboard, feature: FeatureKind, theme: &Theme) -> Line<'a> {
    let status = feature_status(dash, feature);
    let (text, style) = match status {
        FeatureStatus::Enabled => ("enabled".to_owned(), theme.ok),
        FeatureStatus::Disabled => ("disabled".to_owned(), theme.text),
        FeatureStatus::Failed => ("FAILED: contact Scalingo support".to_owned(), theme.danger),
        _ if dash.internet.poll.is_some() => (
            format!(
                "{} {} (checking every 3 s)",
                theme.spinner(state.spinner),
                crate::app::internet::features_word(status)
            ),
            theme.warn,
        ),
        _ if dash.internet.timed_out => (
            format!(
                "{}, still pending after 5 min (r checks again)",
                crate::app::internet::features_word(status)
            ),
            theme.warn,
        ),
        _ => (format!("{} (r checks again)", crate::app::internet::features_word(status)), theme.warn),
    };
    let key = match feature {
        FeatureKind::Tls => "t",
        FeatureKind::Internet => "i",
    };
    let verb = if status == FeatureStatus::Enabled { "turns it off" } else { "turns it on" };
    let mut spans = vec![
        Span::styled(format!("  {:<24}", feature.label()), theme.title),
        Span::styled(format!("{text:<12}"), style),
    ];
    if !status.is_pending() && !state.session.read_only {
        spans.push(Span::styled(format!("   {key}"), theme.key));
        spans.push(Span::styled(format!(" {verb}"), theme.muted));
    }
    Line::from(spans)
}

fn describe(feature: FeatureKind, status: FeatureStatus) -> &'static str {
    let on = matches!(status, FeatureStatus::Enabled | FeatureStatus::Disabling);
    match (feature, on) {
        (FeatureKind::Tls, true) => "Connections without TLS are refused (force-ssl).",
        (FeatureKind::Tls, false) => "Clients may connect without TLS (force-ssl).",
        (FeatureKind::Internet, true) => "Reachable from the whole Internet, over TLS (publicly-available).",
        (FeatureKind::Internet, false) => "Only Scalingo apps and SSH tunnels reach it (publicly-available).",
    }
}

fn draw_firewall(frame: &mut Frame, area: Rect, state: &State, dash: &Dashboard, theme: &Theme) {
    let tab = &dash.internet;
    let [table_area, notes_area] = Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    let total = tab.rules.data.as_ref().map_or(0, Vec::len);
    let count = if tab.list.filter.value().is_empty() {
        format!("{total} of {MAX_FIREWALL_RULES}")
    } else {
        format!(
            "{} shown, {total} of {MAX_FIREWALL_RULES}, filter \"{}\"",
            tab.list.len(),
            shown(tab.list.filter.value())
        )
    };
    let block = block(
        vec![Span::styled(" Firewall rules ", theme.title), Span::styled(format!("({count}) "), theme.muted)],
        theme,
    );
    let message = match (&tab.rules.data, &tab.rules.error) {
        _ if placeholder(state, dash, theme).is_some() => placeholder(state, dash, theme),
        (None, Some(e)) => Some(Line::styled(
            format!("Could not load the firewall rules: {}. Press r to retry.", shown(e)),
            theme.danger,
        )),
        (None, None) => Some(Line::styled(
            format!("{} Loading the firewall rules{}", theme.spinner(state.spinner), theme.symbols.ellipsis),
            theme.muted,
        )),
        (Some(_), _) if total == 0 => {
            Some(Line::styled("No firewall rules: the database is unreachable.", theme.warn))
        }
        (Some(_), _) if tab.list.is_empty() => {
            Some(Line::styled("No rule matches the filter (Esc clears it).", theme.muted))
        }
        _ => None,
    };
    if let Some(line) = message {
        frame.render_widget(Paragraph::new(line).block(block).wrap(Wrap { trim: true }), table_area);
    } else {
        let rules = tab.rules.data.as_deref().unwrap_or_default();
        let row = |i: usize| {
            let rule = &rules[i];
            let label = rule.label.as_deref().filter(|l| !l.is_empty());
            // A managed range is named by its id (what deleting it asks to type) and, as a
            // label, by the platform's name for it.
            let (kind, label) = if rule.is_managed() {
                ("managed", tab.range_name(rule.source()).or(label))
            } else {
                ("custom", label)
            };
            // Added lately: the platform takes about 2 minutes to apply it.
            let kind = match tab.added_lately(rule.source()) {
                true => Span::styled("applying", theme.warn),
                false => Span::raw(kind),
            };
            vec![
                kind,
                Span::raw(shown(rule.source()).into_owned()),
                Span::raw(shown(label.unwrap_or("-")).into_owned()),
                Span::styled(shown(&rule.id).into_owned(), theme.muted),
            ]
        };
        columns::draw_list(frame, table_area, Some(block), &FIREWALL_COLUMNS, &tab.list, row, theme);
    }
    let mut notes = vec![Line::styled(
        " Deny by default: only these sources can connect. TLS is always enforced.",
        theme.muted,
    )];
    let deleted: Vec<_> = tab.deleted_lately().map(shown).collect();
    if !deleted.is_empty() {
        let text = format!(" Deleted, still applying (about 2 minutes): {}", deleted.join(", "));
        notes.push(Line::styled(text, theme.warn));
    } else if tab.rules_changed {
        notes.push(Line::styled(" Changes made here take about 2 minutes to apply.", theme.warn));
    }
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: false }), notes_area);
}

/// The title, question and consequence of a type-to-confirm about rules (each fits one line
/// of the confirm modal).
pub fn confirm_text(dash: &Dashboard, action: &RuleConfirm) -> (&'static str, String, String) {
    let app = shown(&dash.current.app);
    match action {
        RuleConfirm::Delete(rule) => {
            let source = shown(rule.source());
            let last = dash.internet.rules.data.as_ref().is_some_and(|r| r.len() == 1);
            let consequence = if last {
                "DANGER: the last rule: in about 2 minutes nothing can connect.".to_owned()
            } else {
                format!("DANGER: {source} can no longer connect, in about 2 minutes.")
            };
            ("Delete firewall rule", format!("Delete the firewall rule {source} of {app}?"), consequence)
        }
        RuleConfirm::AllowEverything(_) => (
            "Allow every address",
            format!("Let every IPv4 address (0.0.0.0/0) connect to {app}?"),
            "DANGER: this turns the firewall off. Not recommended.".to_owned(),
        ),
    }
}
