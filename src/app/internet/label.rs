//! Editing a custom rule's label (`l`): the platform's PATCH changes the label only, and a
//! managed range has none.

use crossterm::event::KeyEvent;

use super::{InternetEffect, MAX_LABEL_LEN};
use crate::api::{ApiError, FirewallRule};
use crate::app::form::{Discard, discard, waiting};
use crate::app::input::TextInput;
use crate::app::keys::{Action, Context, action_for};
use crate::app::msg::{Effect, RequestId};
use crate::app::request::{Outcome, finish};
use crate::app::state::{Modal, State};
use crate::app::update::{error, info};

#[derive(Debug, Clone)]
pub struct LabelForm {
    pub rule: FirewallRule,
    /// Starts as the current label.
    pub label: TextInput,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
    /// Esc was pressed on a changed form: the modal asks before discarding.
    pub discard_asked: bool,
}

impl LabelForm {
    pub fn new(rule: FirewallRule) -> Self {
        let mut label = TextInput::plain();
        label.paste(rule.label.as_deref().unwrap_or_default());
        LabelForm { rule, label, server_error: None, pending: None, discard_asked: false }
    }

    /// Whether the text differs from the rule's label.
    pub fn changed(&self) -> bool {
        self.label.value() != self.rule.label.as_deref().unwrap_or_default()
    }

    /// What is wrong with the label now, if anything.
    pub fn problem(&self) -> Option<String> {
        (self.label.value().trim().chars().count() > MAX_LABEL_LEN)
            .then(|| format!("at most {MAX_LABEL_LEN} characters"))
    }
}

/// `l`: the form, for the selected custom rule.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    let Some(rule) = state.dash().and_then(|d| d.internet.selected_rule()).cloned() else {
        error(state, "No rule selected");
        return vec![];
    };
    if rule.is_managed() {
        error(state, "A managed range has no label: only custom rules have one");
        return vec![];
    }
    state.modal = Some(Modal::RuleLabel(LabelForm::new(rule)));
    vec![]
}

pub fn label_key(state: &mut State, mut form: LabelForm, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(Context::Form, &key);
    if waiting(state, form.pending, action) {
        return (Some(Modal::RuleLabel(form)), vec![]);
    }
    match discard(form.changed(), &mut form.discard_asked, action) {
        Discard::Close => return (None, vec![]),
        Discard::Stay => return (Some(Modal::RuleLabel(form)), vec![]),
        Discard::Pass => {}
    }
    match action {
        Some(Action::Submit) if !form.changed() => return (None, vec![]),
        Some(Action::Submit) if form.problem().is_some() => {}
        Some(Action::Submit) => {
            let Some(target) = state.target().cloned() else { return (Some(Modal::RuleLabel(form)), vec![]) };
            let id = crate::app::request::send(state, &mut form.pending, &mut form.server_error);
            let (rule, label) = (form.rule.clone(), form.label.value().trim().to_owned());
            let effect = Effect::Internet(InternetEffect::UpdateLabel { id, target, rule, label });
            return (Some(Modal::RuleLabel(form)), vec![effect]);
        }
        // One field: nowhere to move. Space (the forms' toggle) is text here.
        Some(Action::NextField | Action::PrevField) => {}
        _ => {
            form.label.handle_key(key);
        }
    }
    (Some(Modal::RuleLabel(form)), vec![])
}

pub(super) fn on_updated(
    state: &mut State,
    id: RequestId,
    rule: FirewallRule,
    label: String,
    result: Result<FirewallRule, ApiError>,
) -> Vec<Effect> {
    let source = rule.source().to_owned();
    match finish(state, id, result) {
        Outcome::Done(_) if label.is_empty() => {
            info(state, format!("The rule {source} has no label now"));
            super::load_rules(state)
        }
        Outcome::Done(_) => {
            info(state, format!("The rule {source} is now labelled {label}"));
            super::load_rules(state)
        }
        // Setting a label twice does no harm: the fresh list shows which one holds.
        Outcome::Unknown(e) => {
            error(
                state,
                format!("Labelling the rule {source}: {e}. Listing the rules again: check its label."),
            );
            super::load_rules(state)
        }
        Outcome::Refused => vec![],
    }
}
