//! The one confirm form: a change to make, held as data, behind a gate (the exact name typed,
//! or a plain Enter). On Enter past the gate, the change goes back to the tab that asked for it
//! as that tab's effect; the form stays open until the answer lands (see `request::finish`).

use crossterm::event::KeyEvent;

use super::extensions::ExtensionChange;
use super::form::waiting;
use super::input::TextInput;
use super::internet::{FeatureSwitch, RuleConfirm};
use super::msg::{Effect, RequestId};
use super::state::{Modal, State};
use super::users::UsersEffect;
use crate::app::keys::{Action, Context, action_for};

/// What the operator does before the change is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Type the name (`ConfirmForm::expected`) exactly: for what cannot be undone.
    TypeName,
    /// Enter alone.
    Enter,
}

/// The change a confirm form makes once past its gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    /// Deleting the user `expected`.
    Delete,
    /// Resetting the password of the user `expected`.
    ResetPassword,
    /// Deleting a firewall rule, or a rule that lets every address in.
    Internet(RuleConfirm),
    /// Enabling or disabling an extension.
    Extension(ExtensionChange),
    /// Turning TLS enforcement or Internet accessibility on or off.
    Feature(FeatureSwitch),
}

#[derive(Debug, Clone)]
pub struct ConfirmForm {
    pub action: ConfirmAction,
    pub gate: Gate,
    /// What the change is about, and what must be typed under `Gate::TypeName`: a user's
    /// name, a rule's CIDR or managed range id, an extension's name.
    pub expected: String,
    pub typed: TextInput,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
}

impl ConfirmForm {
    /// Type-to-confirm: inert until `typed` is `expected` as the screen shows it.
    pub fn new(action: ConfirmAction, expected: String) -> Self {
        ConfirmForm {
            action,
            gate: Gate::TypeName,
            expected,
            typed: TextInput::plain(),
            server_error: None,
            pending: None,
        }
    }

    /// Confirmed by Enter alone.
    pub fn enter(action: ConfirmAction, about: String) -> Self {
        ConfirmForm { gate: Gate::Enter, ..ConfirmForm::new(action, about) }
    }

    /// The typed text is the target as shown, byte for byte; never for an empty target (a rule
    /// the server sent without its CIDR).
    pub fn matches(&self) -> bool {
        self.typed.confirms(&self.expected)
    }

    /// Whether Enter makes the change now.
    pub fn ready(&self) -> bool {
        self.gate == Gate::Enter || self.matches()
    }

    /// The key table's context of this form.
    pub fn context(&self) -> Context {
        match (self.gate, &self.action) {
            (Gate::TypeName, _) => Context::Confirm,
            (Gate::Enter, ConfirmAction::Feature(_)) => Context::Ask,
            (Gate::Enter, _) => Context::ConfirmEnable,
        }
    }
}

pub(super) fn key(state: &mut State, mut form: ConfirmForm, key: KeyEvent) -> (Option<Modal>, Vec<Effect>) {
    let action = action_for(form.context(), &key);
    if waiting(state, form.pending, action) {
        return (Some(Modal::Confirm(form)), vec![]);
    }
    match action {
        Some(Action::Cancel) => return (None, vec![]),
        Some(Action::Submit) if form.ready() => {
            let Some(target) = state.target().cloned() else { return (Some(Modal::Confirm(form)), vec![]) };
            let id = super::request::send(state, &mut form.pending, &mut form.server_error);
            let name = form.expected.clone();
            let effect = match form.action.clone() {
                ConfirmAction::Delete => Effect::Users(UsersEffect::Delete { id, target, name }),
                ConfirmAction::ResetPassword => {
                    Effect::Users(UsersEffect::ResetPassword { id, target, name })
                }
                ConfirmAction::Internet(action) => super::internet::confirmed(id, target, action),
                ConfirmAction::Extension(change) => super::extensions::confirmed(id, target, change),
                ConfirmAction::Feature(change) => {
                    super::internet::features::confirmed(state, id, target, change)
                }
            };
            return (Some(Modal::Confirm(form)), vec![effect]);
        }
        Some(Action::Submit) => {}
        _ if form.gate == Gate::TypeName => {
            form.typed.handle_key(key);
        }
        _ => {}
    }
    (Some(Modal::Confirm(form)), vec![])
}
