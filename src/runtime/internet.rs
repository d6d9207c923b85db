//! Performs the Internet Access tab's effects: one task each, answering with a `Msg`.

use tokio::sync::mpsc::UnboundedSender;

use super::spawn;
use crate::api::ScalingoClient;
use crate::app::Msg;
use crate::app::internet::{InternetEffect, InternetMsg};

pub(super) fn perform(effect: InternetEffect, client: ScalingoClient, tx: UnboundedSender<Msg>) {
    let answer = |msg: InternetMsg| Msg::Internet(msg);
    match effect {
        InternetEffect::SetFeature { id, target, feature, enable } => spawn(tx, async move {
            let name = feature.api_name();
            let result = if enable {
                client.enable_feature(&target, name).await
            } else {
                client.disable_feature(&target, name).await
            };
            answer(InternetMsg::FeatureSet { id, feature, enable, result })
        }),
        // The wait happens here, off the loop: `update` never reads the clock.
        InternetEffect::PollDatabase { id, target, after } => spawn(tx, async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            answer(InternetMsg::DatabasePolled { id, result: client.database(&target).await })
        }),
        InternetEffect::LoadRules { id, target } => spawn(tx, async move {
            answer(InternetMsg::RulesLoaded { id, result: client.list_firewall_rules(&target).await })
        }),
        InternetEffect::LoadRanges { id, target } => spawn(tx, async move {
            answer(InternetMsg::RangesLoaded { id, result: client.managed_ranges(&target).await })
        }),
        InternetEffect::CreateRule { id, target, rule } => spawn(tx, async move {
            let result = client.create_firewall_rule(&target, &rule).await;
            answer(InternetMsg::RuleCreated { id, rule, result })
        }),
        InternetEffect::DeleteRule { id, target, rule } => spawn(tx, async move {
            let result = client.delete_firewall_rule(&target, &rule.id).await;
            answer(InternetMsg::RuleDeleted { id, rule, result })
        }),
    }
}
