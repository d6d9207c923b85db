//! The "new firewall rule" form: a custom IPv4 CIDR with an optional label, or a Scalingo
//! managed range. A CIDR that is not canonical is shown with the network that would be sent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::form_status;
use crate::api::MAX_FIREWALL_RULES;
use crate::api::cidr::TypedCidr;
use crate::app::State;
use crate::app::display::shown;
use crate::app::internet::{APPLY_DELAY, NewRuleForm, RuleField, RuleKind, rule_problems, selected_range};
use crate::ui::theme::Theme;
use crate::ui::widgets::{input_line, modal_frame, problem_line};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &NewRuleForm, theme: &Theme) {
    let inner = modal_frame(
        frame,
        area,
        72,
        12,
        &format!("New firewall rule on {}", shown(&state.current.app)),
        theme,
    );
    let problems = rule_problems(form, state);
    let problem = |field: RuleField, has_text: bool| {
        problems.iter().find(|(f, _)| *f == field).filter(|_| has_text || form.tried).map(|(_, p)| p.as_str())
    };
    let mut y = inner.y;
    let mut next_row = || {
        let row = Rect { y, height: 1, ..inner };
        y += 1;
        (row.y < inner.bottom()).then_some(row)
    };
    let check = |on: bool| if on { theme.symbols.checked } else { theme.symbols.unchecked };
    let focused = form.focus == RuleField::Kind;
    let marker = if focused { theme.symbols.selected } else { "  " };
    if let Some(row) = next_row() {
        let custom = form.kind == RuleKind::Custom;
        let text = format!(
            "{marker}Type          {} Custom CIDR IPv4   {} Scalingo managed range",
            check(custom),
            check(!custom)
        );
        frame.render_widget(Line::styled(text, if focused { theme.key } else { theme.text }), row);
    }
    if let Some(row) = next_row() {
        let line = match problem(RuleField::Kind, true) {
            Some(p) => problem_line(p, theme),
            None => match form.hint {
                Some(hint) => Line::styled(hint, theme.warn),
                None => Line::styled("    Space switches the type", theme.muted),
            },
        };
        frame.render_widget(line, row);
    }
    next_row();
    match form.kind {
        RuleKind::Custom => {
            if let Some(row) = next_row() {
                let focus = form.focus == RuleField::Cidr;
                input_line(frame, row, "CIDR          ", &form.cidr, focus, "e.g. 203.0.113.0/24", theme);
            }
            if let Some(row) = next_row() {
                frame.render_widget(
                    cidr_hint(form, problem(RuleField::Cidr, !form.cidr.value().is_empty()), theme),
                    row,
                );
            }
            if let Some(row) = next_row() {
                let focus = form.focus == RuleField::Label;
                input_line(
                    frame,
                    row,
                    "Label         ",
                    &form.label,
                    focus,
                    "optional, e.g. Office VPN",
                    theme,
                );
            }
            if let Some((row, p)) = next_row().zip(problem(RuleField::Label, true)) {
                frame.render_widget(problem_line(p, theme), row);
            }
        }
        RuleKind::Managed => {
            let focused = form.focus == RuleField::Range;
            let marker = if focused { theme.symbols.selected } else { "  " };
            let (range, id) = match selected_range(form, state) {
                Some(range) => (shown(&range.name).into_owned(), shown(&range.id).into_owned()),
                None => (String::new(), String::new()),
            };
            if let Some(row) = next_row() {
                let line = Line::from(vec![
                    Span::styled(
                        format!("{marker}Range         "),
                        if focused { theme.key } else { theme.text },
                    ),
                    Span::styled(range, if focused { theme.field_focused } else { theme.text }),
                ]);
                frame.render_widget(line, row);
            }
            if let Some(row) = next_row() {
                let line = match problem(RuleField::Range, true) {
                    Some(p) => problem_line(p, theme),
                    None => Line::styled(format!("    {id}; Space: next range; no label"), theme.muted),
                };
                frame.render_widget(line, row);
            }
            next_row();
            next_row();
        }
    }
    next_row();
    let count = state.internet.rules.data.as_ref().map_or(0, Vec::len);
    let status = form_status(form.pending.is_some(), form.server_error.as_deref(), state.spinner, theme)
        .unwrap_or_else(|| {
            Line::styled(format!("{count} of {MAX_FIREWALL_RULES} rules; {APPLY_DELAY}."), theme.muted)
        });
    if y < inner.bottom() {
        let rest = Rect { y, height: inner.bottom() - y, ..inner };
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), rest);
    }
}

/// Under the CIDR: its problem, or the network that will be sent when it differs from the text.
fn cidr_hint<'a>(form: &NewRuleForm, problem: Option<&str>, theme: &Theme) -> Line<'a> {
    if let Some(p) = problem {
        return problem_line(p, theme);
    }
    let text = form.cidr.value().trim();
    match TypedCidr::parse(text) {
        Ok(typed) if !typed.is_canonical() => {
            let network = typed.network();
            let why = if typed.prefix.is_none() { "one address" } else { "host bits set" };
            let enter = if form.offered == Some(network) { "Enter again adds" } else { "the rule would be" };
            Line::styled(format!("    ! {why}: {enter} {network}"), theme.warn)
        }
        Ok(typed) if typed.network().is_everything() => {
            Line::styled("    ! every address: you will be asked to type 0.0.0.0/0", theme.warn)
        }
        _ => Line::styled("    IPv4 network (address/prefix); one address: a.b.c.d/32", theme.muted),
    }
}
