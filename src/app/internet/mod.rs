//! The Internet Access tab. A shared-resources database shows two switches, TLS enforcement
//! (`force-ssl`) and Internet accessibility (`publicly-available`), whose changes are polled
//! until they settle; a dedicated (DR) database shows its firewall rules instead (the platform
//! has firewall rules for DR databases only).
//!
//! Which view: a database is dedicated when its addon's provider is `postgresql-ng` (read by
//! the Connect flow already; the app's `dedicated-database` flag would cost one more request
//! for the same answer on every DR database seen so far).

mod applying;
pub(in crate::app) mod features;
mod label;
mod msg;
pub(in crate::app) mod rules;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_applying;
#[cfg(test)]
mod tests_label;
#[cfg(test)]
mod tests_rules;

use std::time::Duration;

pub use applying::{APPLYING_FOR, Applying};
pub use features::{after_connect, word as features_word};
pub use label::{LabelForm, label_key};
pub use msg::{InternetEffect, InternetMsg};
use rules::MAX_LABEL_LEN;
pub(super) use rules::load_rules;
pub use rules::{APPLY_DELAY, confirmed, rule_key, rule_problems, selected_range};

use super::input::TextInput;
use super::list::ListState;
use super::msg::{Effect, RequestId};
use super::state::{Dashboard, Remote, State};
use crate::api::cidr::Ipv4Cidr;
use crate::api::{FORCE_SSL, FeatureStatus, FirewallRule, ManagedRange, NewFirewallRule, PUBLICLY_AVAILABLE};
use crate::app::keys::Action;

/// How often a pending feature is read again: the official CLI's `--synchronous` period.
pub const POLL_EVERY: Duration = Duration::from_secs(3);
/// Polls before giving up: 100 × 3 s = 5 minutes.
pub const MAX_POLLS: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    Tls,
    Internet,
}

impl FeatureKind {
    pub const ALL: [FeatureKind; 2] = [FeatureKind::Tls, FeatureKind::Internet];

    pub fn api_name(self) -> &'static str {
        match self {
            FeatureKind::Tls => FORCE_SSL,
            FeatureKind::Internet => PUBLICLY_AVAILABLE,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FeatureKind::Tls => "TLS enforcement",
            FeatureKind::Internet => "Internet accessibility",
        }
    }
}

/// A feature poll in progress: the awaited request and how many were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poll {
    pub id: RequestId,
    pub attempts: u32,
}

#[derive(Debug, Clone, Default)]
pub struct InternetTab {
    pub rules: Remote<Vec<FirewallRule>>,
    pub ranges: Remote<Vec<ManagedRange>>,
    pub list: ListState,
    pub poll: Option<Poll>,
    /// Polling stopped after `MAX_POLLS` with a change still pending.
    pub timed_out: bool,
    /// A rule changed during this run: they take about 2 minutes to apply.
    pub rules_changed: bool,
    /// TLS enforcement was enabled on the way to Internet accessibility: say so once it is.
    pub tls_for_internet: bool,
    /// Rules added or deleted lately, which the platform may not have applied yet.
    pub applying: Vec<Applying>,
}

/// A rule change whose answer was lost: the next list says what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleReconcile {
    Create(NewFirewallRule),
    Delete(FirewallRule),
}

impl InternetTab {
    /// The rules passing the filter, in server order.
    pub fn visible(&self) -> Vec<&FirewallRule> {
        self.list.shown().iter().filter_map(|&i| self.rule(i)).collect()
    }

    /// The rule at `index` in server order (an index of [`ListState::shown`]).
    pub fn rule(&self, index: usize) -> Option<&FirewallRule> {
        self.rules.data.as_ref()?.get(index)
    }

    /// Filters the rules again, on CIDR, range or label (the rules, the ranges or the filter
    /// changed).
    pub fn refilter(&mut self) {
        let text = |r: &FirewallRule| {
            let range = r.range_id.as_deref().and_then(|id| self.range_name(id)).unwrap_or_default();
            format!("{} {range} {}", r.source(), r.label.as_deref().unwrap_or_default())
        };
        let texts: Vec<String> = self.rules.data.iter().flatten().map(text).collect();
        self.list.refilter(texts);
    }

    /// Whether the rule `source` (a CIDR or range id) was added lately and may not apply yet.
    pub fn added_lately(&self, source: &str) -> bool {
        self.applying.iter().any(|a| !a.deleted && a.source == source)
    }

    /// The rules deleted lately, which may still let their sources in.
    pub fn deleted_lately(&self) -> impl Iterator<Item = &str> {
        self.applying.iter().filter(|a| a.deleted).map(|a| a.source.as_str())
    }

    pub fn selected_rule(&self) -> Option<&FirewallRule> {
        self.rule(self.list.selected_row()?)
    }

    /// The display name of managed range `id`, once the ranges are loaded.
    pub fn range_name(&self, id: &str) -> Option<&str> {
        self.ranges.data.iter().flatten().find(|r| r.id == id).map(|r| r.name.as_str())
    }
}

/// Turning one feature on or off, as the confirm form holds it (after a question that says
/// what will happen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSwitch {
    pub feature: FeatureKind,
    pub enable: bool,
    /// Asked for Internet accessibility while TLS enforcement was off: this enables TLS first.
    pub prerequisite: bool,
}

impl FeatureSwitch {
    pub fn new(feature: FeatureKind, enable: bool) -> Self {
        FeatureSwitch { feature, enable, prerequisite: false }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Custom,
    Managed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleField {
    Kind,
    Cidr,
    Label,
    Range,
}

#[derive(Debug, Clone)]
pub struct NewRuleForm {
    pub kind: RuleKind,
    pub cidr: TextInput,
    pub label: TextInput,
    /// Index into the managed ranges.
    pub range: usize,
    pub focus: RuleField,
    pub tried: bool,
    /// The canonical network offered for a bare address or one with host bits set; Enter
    /// again accepts it.
    pub offered: Option<Ipv4Cidr>,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
    /// Esc was pressed on a changed form: the modal asks before discarding.
    pub discard_asked: bool,
    /// Why a typed character went nowhere (no text field has the focus).
    pub hint: Option<&'static str>,
}

impl NewRuleForm {
    pub fn new() -> Self {
        NewRuleForm {
            kind: RuleKind::Custom,
            cidr: TextInput::plain(),
            label: TextInput::plain(),
            range: 0,
            // Typing makes sense at once: a custom CIDR is what most rules are.
            focus: RuleField::Cidr,
            tried: false,
            offered: None,
            server_error: None,
            pending: None,
            discard_asked: false,
            hint: None,
        }
    }

    /// Whether anything was typed or chosen.
    pub fn changed(&self) -> bool {
        self.kind != RuleKind::Custom || !self.cidr.value().is_empty() || !self.label.value().is_empty()
    }

    /// The fields of the chosen kind, in focus order.
    pub fn fields(&self) -> &'static [RuleField] {
        match self.kind {
            RuleKind::Custom => &[RuleField::Kind, RuleField::Cidr, RuleField::Label],
            RuleKind::Managed => &[RuleField::Kind, RuleField::Range],
        }
    }

    /// The text field that has the focus, if any (for typing and pasting).
    pub fn focused_input(&mut self) -> Option<&mut TextInput> {
        match self.focus {
            RuleField::Cidr => Some(&mut self.cidr),
            RuleField::Label => Some(&mut self.label),
            RuleField::Kind | RuleField::Range => None,
        }
    }
}

impl Default for NewRuleForm {
    fn default() -> Self {
        NewRuleForm::new()
    }
}

/// What a type-to-confirm about rules will do once the text matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleConfirm {
    Delete(FirewallRule),
    /// `0.0.0.0/0`: every address, i.e. no filtering.
    AllowEverything(NewFirewallRule),
}

/// The tab of the open database (none once it is left).
pub(in crate::app) fn tab_mut(state: &mut State) -> Option<&mut InternetTab> {
    state.dash_mut().map(|d| &mut d.internet)
}

/// Dedicated (DR) databases have firewall rules instead of the two switches.
pub fn is_dedicated(dash: &Dashboard) -> bool {
    if dash.current.dedicated {
        return true;
    }
    let provider = dash.addon.as_ref().and_then(|a| a.addon_provider.as_ref()).map(|p| p.id.as_str());
    let type_name = dash.database.data.as_ref().map(|d| d.type_name.as_str());
    [provider, type_name].into_iter().flatten().any(|name| name.eq_ignore_ascii_case("postgresql-ng"))
}

pub fn feature_status(dash: &Dashboard, feature: FeatureKind) -> FeatureStatus {
    let features = dash.database.data.as_ref().map(|d| d.features.as_slice()).unwrap_or_default();
    FeatureStatus::of(features, feature.api_name())
}

/// A key of this tab, already allowed by `--read-only`.
pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Refresh => refresh(state),
        Action::ToggleTls => features::toggle(state, FeatureKind::Tls),
        Action::ToggleInternet => features::toggle(state, FeatureKind::Internet),
        Action::NewRule => rules::open_new(state),
        Action::DeleteRule => rules::ask_delete(state),
        Action::EditLabel => label::open(state),
        _ => vec![],
    }
}

/// `r`: the rules (and ranges, if missing) of a dedicated database, else the database itself.
fn refresh(state: &mut State) -> Vec<Effect> {
    let Some(dash) = state.dash() else { return vec![] };
    if is_dedicated(dash) {
        let ranges_missing = dash.internet.ranges.data.is_none();
        let mut effects = rules::load_rules(state);
        if ranges_missing {
            effects.extend(rules::load_ranges(state));
        }
        effects
    } else {
        features::poll_now(state)
    }
}

pub fn on_msg(state: &mut State, msg: InternetMsg) -> Vec<Effect> {
    match msg {
        InternetMsg::FeatureSet { id, feature, enable, result } => {
            features::on_feature_set(state, id, feature, enable, result)
        }
        InternetMsg::DatabasePolled { id, result } => features::on_polled(state, id, result),
        InternetMsg::RulesLoaded { id, result } => rules::on_rules_loaded(state, id, result),
        InternetMsg::Applied { mark } => {
            applying::on_applied(state, mark);
            vec![]
        }
        InternetMsg::RangesLoaded { id, result } => rules::on_ranges_loaded(state, id, result),
        InternetMsg::RuleCreated { id, rule, result } => rules::on_created(state, id, rule, result),
        InternetMsg::RuleDeleted { id, rule, result } => rules::on_deleted(state, id, rule, result),
        InternetMsg::LabelUpdated { id, rule, label, result } => {
            label::on_updated(state, id, rule, label, result)
        }
    }
}
