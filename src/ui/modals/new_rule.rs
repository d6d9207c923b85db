//! The "new firewall rule" form: a custom IPv4 CIDR with an optional label, or a Scalingo
//! managed range. A CIDR that is not canonical is shown with the network that would be sent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::fit::{Body, Keep};
use super::form_status;
use crate::api::MAX_FIREWALL_RULES;
use crate::api::cidr::TypedCidr;
use crate::app::State;
use crate::app::display::shown;
use crate::app::internet::{APPLY_DELAY, NewRuleForm, RuleField, RuleKind, rule_problems, selected_range};
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &NewRuleForm, theme: &Theme) {
    let problems = rule_problems(form, state);
    let problem = |field: RuleField, has_text: bool| {
        problems.iter().find(|(f, _)| *f == field).filter(|_| has_text || form.tried).map(|(_, p)| p.as_str())
    };
    let check = |on: bool| if on { theme.symbols.checked } else { theme.symbols.unchecked };
    let marked = |field: RuleField| {
        let focused = form.focus == field;
        (if focused { theme.symbols.selected } else { "  " }, if focused { theme.key } else { theme.text })
    };
    let mut body = Body::new();
    let (marker, style) = marked(RuleField::Kind);
    let custom = form.kind == RuleKind::Custom;
    let text = format!(
        "{marker}Type          {} Custom CIDR IPv4   {} Scalingo managed range",
        check(custom),
        check(!custom)
    );
    body.text(Line::styled(text, style), Keep::Must);
    match (problem(RuleField::Kind, true), form.hint) {
        (Some(p), _) => body.text(problem_line(p, theme), Keep::Must),
        (None, Some(hint)) => body.text(Line::styled(hint, theme.warn), Keep::Must),
        (None, None) => body.text(Line::styled("    Space switches the type", theme.muted), Keep::Detail),
    };
    body.gap();
    let (mut cidr, mut label) = (None, None);
    match form.kind {
        RuleKind::Custom => {
            cidr = Some(body.field());
            let cidr_problem = problem(RuleField::Cidr, !form.cidr.value().is_empty());
            let (hint, keep) = cidr_hint(form, cidr_problem, theme);
            body.text(hint, keep);
            label = Some(body.field());
            if let Some(p) = problem(RuleField::Label, true) {
                body.text(problem_line(p, theme), Keep::Must);
            }
        }
        RuleKind::Managed => {
            let (marker, style) = marked(RuleField::Range);
            let focused = form.focus == RuleField::Range;
            let (range, id) = match selected_range(form, state) {
                Some(range) => (shown(&range.name).into_owned(), shown(&range.id).into_owned()),
                None => (String::new(), String::new()),
            };
            body.text(
                Line::from(vec![
                    Span::styled(format!("{marker}Range         "), style),
                    Span::styled(range, if focused { theme.field_focused } else { theme.text }),
                ]),
                Keep::Must,
            );
            // The range id is what the rules table and a delete confirmation show.
            body.text(
                Line::styled(format!("    {id}; Space: next range; no label"), theme.muted),
                Keep::Must,
            );
            if let Some(p) = problem(RuleField::Range, true) {
                body.text(problem_line(p, theme), Keep::Must);
            }
        }
    }
    body.gap();
    let count = state.dash().and_then(|d| d.internet.rules.data.as_ref()).map_or(0, Vec::len);
    match form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme) {
        Some(status) => body.text(status, Keep::Must),
        None => body.text(
            Line::styled(format!("{count} of {MAX_FIREWALL_RULES} rules; {APPLY_DELAY}."), theme.muted),
            Keep::Detail,
        ),
    };
    let title = format!("New firewall rule on {}", shown(state.app_name()));
    let placed = body.draw(frame, area, 72, &title, theme);
    if let Some(row) = cidr.and_then(|i| placed.get(i)) {
        let focus = form.focus == RuleField::Cidr;
        input_line(frame, row, "CIDR          ", &form.cidr, focus, "e.g. 203.0.113.0/24", theme);
    }
    if let Some(row) = label.and_then(|i| placed.get(i)) {
        let focus = form.focus == RuleField::Label;
        input_line(frame, row, "Label         ", &form.label, focus, "optional, e.g. Office VPN", theme);
    }
}

/// Under the CIDR: its problem, or the network that will be sent when it differs from the text;
/// only the format reminder may be dropped for room.
fn cidr_hint<'a>(form: &NewRuleForm, problem: Option<&str>, theme: &Theme) -> (Line<'a>, Keep) {
    if let Some(p) = problem {
        return (problem_line(p, theme), Keep::Must);
    }
    let text = form.cidr.value().trim();
    match TypedCidr::parse(text) {
        Ok(typed) if !typed.is_canonical() => {
            let network = typed.network();
            let why = if typed.prefix.is_none() { "one address" } else { "host bits set" };
            let enter = if form.offered == Some(network) { "Enter again adds" } else { "the rule would be" };
            (Line::styled(format!("    ! {why}: {enter} {network}"), theme.warn), Keep::Must)
        }
        Ok(typed) if typed.network().is_everything() => {
            (Line::styled("    ! every address: you will be asked to type 0.0.0.0/0", theme.warn), Keep::Must)
        }
        _ => (
            Line::styled("    IPv4 network (address/prefix); one address: a.b.c.d/32", theme.muted),
            Keep::Detail,
        ),
    }
}
