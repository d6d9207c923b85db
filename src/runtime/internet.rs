//! Performs the Internet Access tab's effects: one task each, answering with a `Msg`.

use tokio::sync::mpsc::UnboundedSender;

use std::sync::Arc;

use super::directory::Directory;
use super::spawn;
use crate::app::Msg;
use crate::app::internet::{InternetEffect, InternetMsg};

pub(super) fn perform(effect: InternetEffect, directory: Arc<Directory>, tx: UnboundedSender<Msg>) {
    let answer = |msg: InternetMsg| Msg::Internet(msg);
    match effect {
        InternetEffect::SetFeature { id, target, feature, enable } => spawn(tx, async move {
            let name = feature.api_name();
            let result = async {
                let client = directory.client(&target.region).await?;
                if enable {
                    client.enable_feature(&target, name).await
                } else {
                    client.disable_feature(&target, name).await
                }
            }
            .await;
            answer(InternetMsg::FeatureSet { id, feature, enable, result })
        }),
        // The wait happens here, off the loop: `update` never reads the clock.
        InternetEffect::PollDatabase { id, target, after } => spawn(tx, async move {
            if !after.is_zero() {
                tokio::time::sleep(after).await;
            }
            let result = async { directory.client(&target.region).await?.database(&target).await }.await;
            answer(InternetMsg::DatabasePolled { id, result })
        }),
        InternetEffect::LoadRules { id, target } => spawn(tx, async move {
            let result =
                async { directory.client(&target.region).await?.list_firewall_rules(&target).await }.await;
            answer(InternetMsg::RulesLoaded { id, result })
        }),
        InternetEffect::LoadRanges { id, target } => spawn(tx, async move {
            let result =
                async { directory.client(&target.region).await?.managed_ranges(&target).await }.await;
            answer(InternetMsg::RangesLoaded { id, result })
        }),
        InternetEffect::CreateRule { id, target, rule } => spawn(tx, async move {
            let result =
                async { directory.client(&target.region).await?.create_firewall_rule(&target, &rule).await }
                    .await;
            answer(InternetMsg::RuleCreated { id, rule, result })
        }),
        InternetEffect::DeleteRule { id, target, rule } => spawn(tx, async move {
            let result = async {
                directory.client(&target.region).await?.delete_firewall_rule(&target, &rule.id).await
            }
            .await;
            answer(InternetMsg::RuleDeleted { id, rule, result })
        }),
    }
}
