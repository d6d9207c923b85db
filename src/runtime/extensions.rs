//! The Extensions tab's effects: the API's list, and SQL on a fresh connection per effect, each
//! in its own task (the UI never waits on a database).

use tokio::sync::mpsc::UnboundedSender;

use super::spawn;
use crate::api::ScalingoClient;
use crate::app::Msg;
use crate::app::extensions::{ExtensionsEffect, ExtensionsMsg};
use crate::sql::{self, SqlSource};

pub(super) fn perform(
    effect: ExtensionsEffect,
    client: ScalingoClient,
    source: &SqlSource,
    tx: UnboundedSender<Msg>,
) {
    let source = source.clone();
    match effect {
        ExtensionsEffect::LoadApi { id, target } => spawn(tx, async move {
            let result = client.enabled_extensions(&target).await;
            Msg::Extensions(ExtensionsMsg::ApiLoaded { id, result })
        }),
        ExtensionsEffect::LoadSql { id, app } => spawn(tx, async move {
            let result = match source.target(&client, &app).await {
                Ok(target) => sql::list_extensions(&target).await,
                Err(e) => Err(e),
            };
            Msg::Extensions(ExtensionsMsg::SqlLoaded { id, result })
        }),
        ExtensionsEffect::Change { id, app, name, change } => spawn(tx, async move {
            let result = match source.target(&client, &app).await {
                Ok(target) => sql::change_extension(&target, &name, change).await,
                Err(e) => Err(e),
            };
            Msg::Extensions(ExtensionsMsg::Changed { id, name, change, result })
        }),
    }
}
