//! Firewall rules of dedicated databases: the list, the "new rule" form with its strict CIDR
//! (canonical form offered, `0.0.0.0/0` confirmed by typing it), the 30-rule cap, and deletion
//! after typing the rule's CIDR or range id.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{InternetEffect, NewRuleForm, RuleConfirm, RuleField, RuleKind, RuleReconcile, tab_mut};
use crate::api::cidr::TypedCidr;
use crate::api::{ApiError, DbTarget, FirewallRule, MAX_FIREWALL_RULES, ManagedRange, NewFirewallRule};
use crate::app::form::{Discard, discard, waiting};
use crate::app::keys::{Action, Context, Reason, action_for};
use crate::app::msg::{Effect, RequestId};
use crate::app::request::{self, Outcome, finish};
use crate::app::state::{ConfirmAction, ConfirmForm, Modal, State};
use crate::app::unsettled::{self, Unsettled};
use crate::app::update::{error, info};

/// Longest label accepted (the platform's limit is undocumented).
pub(super) const MAX_LABEL_LEN: usize = 100;

/// What every rule change ends with.
pub const APPLY_DELAY: &str = "rules take about 2 minutes to apply";

pub(in crate::app) fn load_rules(state: &mut State) -> Vec<Effect> {
    let Some((id, target)) = request::begin(state, |d| &mut d.internet.rules) else { return vec![] };
    vec![Effect::Internet(InternetEffect::LoadRules { id, target })]
}

pub(super) fn load_ranges(state: &mut State) -> Vec<Effect> {
    let Some((id, target)) = request::begin(state, |d| &mut d.internet.ranges) else { return vec![] };
    vec![Effect::Internet(InternetEffect::LoadRanges { id, target })]
}

/// Why no rule can be added now, if so.
fn cap_problem(state: &State) -> Option<String> {
    let count = state.dash()?.internet.rules.data.as_ref().map(Vec::len)?;
    (count >= MAX_FIREWALL_RULES).then(|| {
        format!(
            "This database has {count} firewall rules, the most it can have: delete one before adding another"
        )
    })
}

/// Whether `n` opens the form now: once the rules are known and below the cap.
pub(in crate::app) fn can_open_new(state: &State) -> Result<(), Reason> {
    if state.target().is_none() || state.dash().is_none_or(|d| d.internet.rules.data.is_none()) {
        return Err(Reason::NotNow("The firewall rules are not loaded yet (r loads them)".into()));
    }
    cap_problem(state).map_or(Ok(()), |problem| Err(Reason::NotNow(problem)))
}

/// `n`: the form, or why not.
pub(super) fn open_new(state: &mut State) -> Vec<Effect> {
    if let Err(Reason::NotNow(problem)) = can_open_new(state) {
        error(state, problem);
        return vec![];
    }
    state.modal = Some(Modal::NewRule(NewRuleForm::new()));
    let missing =
        state.dash().is_some_and(|d| d.internet.ranges.data.is_none() && d.internet.ranges.pending.is_none());
    if missing { load_ranges(state) } else { vec![] }
}

/// `d`: type-to-confirm the selected rule's CIDR (or managed range id).
pub(super) fn ask_delete(state: &mut State) -> Vec<Effect> {
    let Some(rule) = state.dash().and_then(|d| d.internet.selected_rule()).cloned() else {
        error(state, "No rule selected");
        return vec![];
    };
    let expected = rule.source().to_owned();
    state.modal =
        Some(Modal::Confirm(ConfirmForm::new(ConfirmAction::Internet(RuleConfirm::Delete(rule)), expected)));
    vec![]
}

/// The effect of a confirmed type-to-confirm about rules.
pub fn confirmed(id: RequestId, target: DbTarget, action: RuleConfirm) -> Effect {
    Effect::Internet(match action {
        RuleConfirm::Delete(rule) => InternetEffect::DeleteRule { id, target, rule },
        RuleConfirm::AllowEverything(rule) => InternetEffect::CreateRule { id, target, rule },
    })
}

/// What is wrong with the form now, field by field; the UI shows the same list inline.
pub fn rule_problems(form: &NewRuleForm, state: &State) -> Vec<(RuleField, String)> {
    let mut problems = Vec::new();
    if let Some(cap) = cap_problem(state) {
        problems.push((RuleField::Kind, cap));
    }
    let rules = state.dash().and_then(|d| d.internet.rules.data.as_deref()).unwrap_or_default();
    let taken = |rule: &NewFirewallRule| rules.iter().any(|r| rule.same_as(r));
    match form.kind {
        RuleKind::Custom => match TypedCidr::parse(form.cidr.value().trim()) {
            Err(e) => problems.push((RuleField::Cidr, e)),
            Ok(typed) => {
                let rule = NewFirewallRule::Custom { cidr: typed.network(), label: None };
                if taken(&rule) {
                    problems
                        .push((RuleField::Cidr, format!("a rule for {} exists already", typed.network())));
                }
            }
        },
        RuleKind::Managed => match selected_range(form, state) {
            None if state.dash().is_some_and(|d| d.internet.ranges.error.is_some()) => {
                problems.push((RuleField::Range, "the managed ranges could not be loaded (r retries)".into()))
            }
            None => problems.push((RuleField::Range, "the managed ranges are loading".into())),
            Some(range) if taken(&NewFirewallRule::Managed { range_id: range.id.clone() }) => {
                problems.push((RuleField::Range, format!("{} has a rule already", range.name)))
            }
            Some(_) => {}
        },
    }
    if form.kind == RuleKind::Custom && form.label.value().trim().chars().count() > MAX_LABEL_LEN {
        problems.push((RuleField::Label, format!("at most {MAX_LABEL_LEN} characters")));
    }
    problems
}

pub fn selected_range<'a>(form: &NewRuleForm, state: &'a State) -> Option<&'a ManagedRange> {
    state.dash()?.internet.ranges.data.as_ref()?.get(form.range)
}

pub fn rule_key(state: &mut State, mut form: NewRuleForm, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Form, &key);
    if waiting(state, form.pending, action) {
        return (Some(Modal::NewRule(form)), vec![]);
    }
    match discard(form.changed(), &mut form.discard_asked, action) {
        Discard::Close => return (None, vec![]),
        Discard::Stay => return (Some(Modal::NewRule(form)), vec![]),
        Discard::Pass => {}
    }
    form.hint = None;
    let fields = form.fields();
    let at = fields.iter().position(|f| *f == form.focus).unwrap_or(0);
    match action {
        Some(Action::NextField) => form.focus = fields[(at + 1) % fields.len()],
        Some(Action::PrevField) => form.focus = fields[(at + fields.len() - 1) % fields.len()],
        Some(Action::Toggle) if form.focus == RuleField::Kind => {
            form.kind = match form.kind {
                RuleKind::Custom => RuleKind::Managed,
                RuleKind::Managed => RuleKind::Custom,
            };
        }
        Some(Action::Toggle) if form.focus == RuleField::Range => {
            let count = state.dash().and_then(|d| d.internet.ranges.data.as_ref()).map_or(0, Vec::len);
            form.range = if count == 0 { 0 } else { (form.range + 1) % count };
        }
        Some(Action::Submit) => return submit(state, form),
        _ => type_key(&mut form, key),
    }
    (Some(Modal::NewRule(form)), vec![])
}

/// A key for the focused text field. A character typed on the Type choice of a custom rule
/// goes to the CIDR (what the operator meant); where no text can go, the form says why rather
/// than dropping it silently.
fn type_key(form: &mut NewRuleForm, key: KeyEvent) {
    let typed = matches!(key.code, KeyCode::Char(_))
        && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if typed && form.focus == RuleField::Kind && form.kind == RuleKind::Custom {
        form.focus = RuleField::Cidr;
    }
    match form.focused_input() {
        Some(field) => {
            field.handle_key(key);
        }
        None if typed => {
            form.hint = Some(match form.kind {
                RuleKind::Managed => "    Nothing to type: Space chooses; a CIDR needs the Custom type",
                RuleKind::Custom => "    Nothing to type here: Tab moves to the CIDR",
            })
        }
        None => {}
    }
}

fn submit(state: &mut State, mut form: NewRuleForm) -> (Option<Modal>, Vec<Effect>) {
    if let Some((field, _)) = rule_problems(&form, state).first() {
        form.tried = true;
        form.focus = *field;
        return (Some(Modal::NewRule(form)), vec![]);
    }
    let rule = match form.kind {
        RuleKind::Custom => {
            let typed = TypedCidr::parse(form.cidr.value().trim()).expect("checked by rule_problems");
            let network = typed.network();
            // Never send what was typed when it is not canonical: offer the network, once.
            if !typed.is_canonical() && form.offered != Some(network) {
                form.offered = Some(network);
                return (Some(Modal::NewRule(form)), vec![]);
            }
            let label = form.label.value().trim();
            NewFirewallRule::Custom { cidr: network, label: (!label.is_empty()).then(|| label.to_owned()) }
        }
        RuleKind::Managed => {
            let range = selected_range(&form, state).expect("checked by rule_problems");
            NewFirewallRule::Managed { range_id: range.id.clone() }
        }
    };
    if matches!(&rule, NewFirewallRule::Custom { cidr, .. } if cidr.is_everything()) {
        let action = ConfirmAction::Internet(RuleConfirm::AllowEverything(rule));
        return (Some(Modal::Confirm(ConfirmForm::new(action, "0.0.0.0/0".into()))), vec![]);
    }
    let Some(target) = state.target().cloned() else { return (Some(Modal::NewRule(form)), vec![]) };
    let id = request::send(state, &mut form.pending, &mut form.server_error);
    (Some(Modal::NewRule(form)), vec![Effect::Internet(InternetEffect::CreateRule { id, target, rule })])
}

pub(super) fn on_rules_loaded(
    state: &mut State,
    id: RequestId,
    result: Result<Vec<FirewallRule>, ApiError>,
) -> Vec<Effect> {
    let Some(result) = request::accept(state, id, result, |d| &mut d.internet.rules) else { return vec![] };
    let Some(tab) = tab_mut(state) else { return vec![] };
    match result {
        Ok(rules) => {
            let selected = tab.selected_rule().map(|r| r.id.clone());
            tab.rules.data = Some(rules);
            tab.rules.error = None;
            tab.refilter();
            let rules = tab.rules.data.as_deref().unwrap_or_default();
            tab.list.reselect(|i| selected.as_deref() == Some(rules[i].id.as_str()));
            let settled = unsettled::take(state, |u| match u {
                Unsettled::Rule(change) => Some(change.clone()),
                _ => None,
            });
            if let Some(reconcile) = settled {
                return report_reconciled(state, reconcile);
            }
        }
        Err(e) => {
            tab.rules.error = Some(e.to_string());
            error(state, format!("Loading the firewall rules: {e}"));
        }
    }
    vec![]
}

pub(super) fn on_ranges_loaded(
    state: &mut State,
    id: RequestId,
    result: Result<Vec<ManagedRange>, ApiError>,
) -> Vec<Effect> {
    let Some(result) = request::accept(state, id, result, |d| &mut d.internet.ranges) else { return vec![] };
    let Some(tab) = tab_mut(state) else { return vec![] };
    match result {
        Ok(list) => {
            (tab.ranges.data, tab.ranges.error) = (Some(list), None);
            // The filter looks in the ranges' names too.
            tab.refilter();
        }
        Err(e) => {
            tab.ranges.error = Some(e.to_string());
            error(state, format!("Loading the managed ranges: {e}"));
        }
    }
    vec![]
}

/// After a change whose answer was lost, says what the fresh list shows.
fn report_reconciled(state: &mut State, reconcile: RuleReconcile) -> Vec<Effect> {
    let rules = state.dash().and_then(|d| d.internet.rules.data.as_deref()).unwrap_or_default();
    match reconcile {
        RuleReconcile::Create(rule) if rules.iter().any(|r| rule.same_as(r)) => {
            info(state, format!("The rule {} was added (its answer was lost): {APPLY_DELAY}", rule.source()));
            return vec![super::applying::mark(state, &rule.source(), false)];
        }
        RuleReconcile::Create(rule) => {
            error(state, format!("The rule {} was not added (the request failed). Try again.", rule.source()))
        }
        RuleReconcile::Delete(rule) if rules.iter().any(|r| r.id == rule.id) => {
            error(state, format!("The rule {} still exists: it was not deleted.", rule.source()))
        }
        RuleReconcile::Delete(rule) => {
            info(
                state,
                format!("The rule {} is deleted (its answer was lost): {APPLY_DELAY}", rule.source()),
            );
            return vec![super::applying::mark(state, rule.source(), true)];
        }
    }
    vec![]
}

fn unknown(state: &mut State, what: String, e: ApiError, reconcile: RuleReconcile) -> Vec<Effect> {
    let text = format!("{what}: {e}. Listing the rules again to see what happened…");
    request::lost(state, text, Unsettled::Rule(reconcile))
}

pub(super) fn on_created(
    state: &mut State,
    id: RequestId,
    rule: NewFirewallRule,
    result: Result<FirewallRule, ApiError>,
) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(_) => {
            changed(state);
            let applied = super::applying::mark(state, &rule.source(), false);
            info(state, format!("Rule {} added: {APPLY_DELAY}", rule.source()));
            let mut effects = load_rules(state);
            effects.push(applied);
            effects
        }
        Outcome::Unknown(e) => {
            changed(state);
            unknown(state, format!("Adding the rule {}", rule.source()), e, RuleReconcile::Create(rule))
        }
        Outcome::Refused => vec![],
    }
}

pub(super) fn on_deleted(
    state: &mut State,
    id: RequestId,
    rule: FirewallRule,
    result: Result<(), ApiError>,
) -> Vec<Effect> {
    match finish(state, id, result) {
        Outcome::Done(()) => {
            changed(state);
            let applied = super::applying::mark(state, rule.source(), true);
            info(state, format!("Rule {} deleted: {APPLY_DELAY}", rule.source()));
            let mut effects = load_rules(state);
            effects.push(applied);
            effects
        }
        Outcome::Unknown(e) => {
            changed(state);
            unknown(state, format!("Deleting the rule {}", rule.source()), e, RuleReconcile::Delete(rule))
        }
        Outcome::Refused => vec![],
    }
}

/// A rule changed during this run (or may have): the tab says rules take time to apply.
fn changed(state: &mut State) {
    if let Some(tab) = tab_mut(state) {
        tab.rules_changed = true;
    }
}
