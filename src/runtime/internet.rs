//! Performs the Internet Access tab's effects: one task each, answering with a `Msg`. Changes
//! are journalled before they are sent; the reads settle the ones whose answer was lost.

use tokio::sync::mpsc::UnboundedSender;

use std::sync::Arc;

use super::directory::Directory;
use super::record::{self, Change};
use super::spawn;
use crate::app::Msg;
use crate::app::internet::{InternetEffect, InternetMsg};
use crate::journal::{Action, Check, Journal};

pub(super) fn perform(
    effect: InternetEffect,
    directory: Arc<Directory>,
    tx: UnboundedSender<Msg>,
    journal: Journal,
) {
    let answer = |msg: InternetMsg| Msg::Internet(msg);
    match effect {
        InternetEffect::Applied { mark, after } => spawn(tx, async move {
            tokio::time::sleep(after).await;
            answer(InternetMsg::Applied { mark })
        }),
        InternetEffect::SetFeature { id, target, feature, enable } => {
            let name = feature.api_name();
            let action = if enable { Action::EnableFeature } else { Action::DisableFeature };
            let check = Check::Feature { name: name.to_owned(), enable };
            let change = Change { action, target: name, label: None, check };
            let db = target.clone();
            let request = async move {
                let client = directory.client(&db.region).await?;
                if enable {
                    client.enable_feature(&db, name).await
                } else {
                    client.disable_feature(&db, name).await
                }
            };
            let answer = move |result| answer(InternetMsg::FeatureSet { id, feature, enable, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
        InternetEffect::PollDatabase { id, target, after } => spawn(tx, async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            let read = journal.read_mark(&target.addon_id);
            let result = async { directory.client(&target.region).await?.database(&target).await }.await;
            if let Ok(database) = &result {
                journal.settle_database(&read, database);
            }
            answer(InternetMsg::DatabasePolled { id, result })
        }),
        InternetEffect::LoadRules { id, target } => {
            let read = journal.read_mark(&target.addon_id);
            spawn(tx, async move {
                let result =
                    async { directory.client(&target.region).await?.list_firewall_rules(&target).await }
                        .await;
                if let Ok(rules) = &result {
                    journal.settle_rules(&read, rules);
                }
                answer(InternetMsg::RulesLoaded { id, result })
            })
        }
        InternetEffect::LoadRanges { id, target } => spawn(tx, async move {
            let result =
                async { directory.client(&target.region).await?.managed_ranges(&target).await }.await;
            answer(InternetMsg::RangesLoaded { id, result })
        }),
        InternetEffect::CreateRule { id, target, rule } => {
            let label = match &rule {
                crate::api::NewFirewallRule::Custom { label, .. } => label.clone(),
                crate::api::NewFirewallRule::Managed { .. } => None,
            };
            let source = rule.source();
            let check = Check::RuleAdded(rule.clone());
            let action = Action::AddFirewallRule;
            let change = Change { action, target: &source, label: label.as_deref(), check };
            let (db, new) = (target.clone(), rule.clone());
            let request =
                async move { directory.client(&db.region).await?.create_firewall_rule(&db, &new).await };
            let answer = move |result| answer(InternetMsg::RuleCreated { id, rule, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
        InternetEffect::DeleteRule { id, target, rule } => {
            let check = Check::RuleGone(rule.id.clone());
            let change =
                Change { action: Action::DeleteFirewallRule, target: rule.source(), label: None, check };
            let (db, rule_id) = (target.clone(), rule.id.clone());
            let request =
                async move { directory.client(&db.region).await?.delete_firewall_rule(&db, &rule_id).await };
            let deleted = rule.clone();
            let answer = move |result| answer(InternetMsg::RuleDeleted { id, rule: deleted, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
        InternetEffect::UpdateLabel { id, target, rule, label } => {
            let new = Some(label.as_str()).filter(|l| !l.is_empty());
            let check = Check::RuleLabel { id: rule.id.clone(), label: new.map(str::to_owned) };
            let change =
                Change { action: Action::LabelFirewallRule, target: rule.source(), label: new, check };
            let (db, rule_id, text) = (target.clone(), rule.id.clone(), label.clone());
            let request = async move {
                let client = directory.client(&db.region).await?;
                client.update_firewall_rule_label(&db, &rule_id, &text).await
            };
            let (labelled, label) = (rule.clone(), label.clone());
            let answer =
                move |result| answer(InternetMsg::LabelUpdated { id, rule: labelled, label, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
    }
}
