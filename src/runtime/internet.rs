//! Performs the Internet Access tab's effects: one task each, answering with a `Msg`. Changes
//! are journalled before they are sent; the reads settle the ones whose answer was lost.

use tokio::sync::mpsc::UnboundedSender;

use std::sync::Arc;

use super::directory::Directory;
use super::{record, spawn};
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
            let refuse = |e: crate::journal::JournalError| {
                answer(InternetMsg::FeatureSet { id, feature, enable, result: Err(e.into()) })
            };
            let Some(pending) = record::intent(&journal, &tx, &target, action, name, None, refuse) else {
                return;
            };
            spawn(tx, async move {
                let result = async {
                    let client = directory.client(&target.region).await?;
                    if enable {
                        client.enable_feature(&target, name).await
                    } else {
                        client.disable_feature(&target, name).await
                    }
                }
                .await;
                pending.finish(&result, Check::Feature { name: name.to_owned(), enable });
                answer(InternetMsg::FeatureSet { id, feature, enable, result })
            })
        }
        // The wait happens here, off the loop: `update` never reads the clock.
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
            let refuse = |e: crate::journal::JournalError| {
                answer(InternetMsg::RuleCreated { id, rule: rule.clone(), result: Err(e.into()) })
            };
            let action = Action::AddFirewallRule;
            let Some(pending) =
                record::intent(&journal, &tx, &target, action, &source, label.as_deref(), refuse)
            else {
                return;
            };
            spawn(tx, async move {
                let result = async {
                    directory.client(&target.region).await?.create_firewall_rule(&target, &rule).await
                }
                .await;
                pending.finish(&result, Check::RuleAdded(rule.clone()));
                answer(InternetMsg::RuleCreated { id, rule, result })
            })
        }
        InternetEffect::DeleteRule { id, target, rule } => {
            let refuse = |e: crate::journal::JournalError| {
                answer(InternetMsg::RuleDeleted { id, rule: rule.clone(), result: Err(e.into()) })
            };
            let action = Action::DeleteFirewallRule;
            let Some(pending) = record::intent(&journal, &tx, &target, action, rule.source(), None, refuse)
            else {
                return;
            };
            spawn(tx, async move {
                let result = async {
                    directory.client(&target.region).await?.delete_firewall_rule(&target, &rule.id).await
                }
                .await;
                pending.finish(&result, Check::RuleGone(rule.id.clone()));
                answer(InternetMsg::RuleDeleted { id, rule, result })
            })
        }
        InternetEffect::UpdateLabel { id, target, rule, label } => {
            let refuse = |e: crate::journal::JournalError| {
                let (rule, label) = (rule.clone(), label.clone());
                answer(InternetMsg::LabelUpdated { id, rule, label, result: Err(e.into()) })
            };
            let action = Action::LabelFirewallRule;
            let new = Some(label.as_str()).filter(|l| !l.is_empty());
            let Some(pending) = record::intent(&journal, &tx, &target, action, rule.source(), new, refuse)
            else {
                return;
            };
            spawn(tx, async move {
                let result = async {
                    let client = directory.client(&target.region).await?;
                    client.update_firewall_rule_label(&target, &rule.id, &label).await
                }
                .await;
                let check = Check::RuleLabel {
                    id: rule.id.clone(),
                    label: Some(label.clone()).filter(|l| !l.is_empty()),
                };
                pending.finish(&result, check);
                answer(InternetMsg::LabelUpdated { id, rule, label, result })
            })
        }
    }
}
