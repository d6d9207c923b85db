//! The Extensions tab's effects: the API's list, and SQL on a fresh connection per effect, each
//! in its own task (the UI never waits on a database). A change is journalled before its
//! connection is made; a later listing settles one whose outcome was lost.

use tokio::sync::mpsc::UnboundedSender;

use std::sync::Arc;

use super::directory::Directory;
use super::{record, spawn};
use crate::api::DbTarget;
use crate::app::Msg;
use crate::app::extensions::{ExtensionsEffect, ExtensionsMsg};
use crate::journal::{Action, Check, Journal, ReadMark};
use crate::sql::{self, SqlSource};

pub(super) fn perform(
    effect: ExtensionsEffect,
    directory: Arc<Directory>,
    source: &SqlSource,
    tx: UnboundedSender<Msg>,
    journal: Journal,
) {
    let source = source.clone();
    match effect {
        ExtensionsEffect::LoadApi { id, target } => spawn(tx, async move {
            let result =
                async { directory.client(&target.region).await?.enabled_extensions(&target).await }.await;
            Msg::Extensions(ExtensionsMsg::ApiLoaded { id, result })
        }),
        ExtensionsEffect::LoadSql { id, target } => {
            let read = journal.read_mark(&target.addon_id);
            spawn(tx, async move {
                let result = match sql_target(&directory, &source, &target).await {
                    Ok(target) => sql::list_extensions(&target).await,
                    Err(e) => Err(e),
                };
                if let Ok(listing) = &result {
                    settle(&journal, &read, listing);
                }
                Msg::Extensions(ExtensionsMsg::SqlLoaded { id, result })
            })
        }
        ExtensionsEffect::Change { id, target, name, change } => {
            let enable = change == sql::Change::Enable;
            let action = if enable { Action::EnableExtension } else { Action::DisableExtension };
            let refuse = |e: crate::journal::JournalError| {
                let result = Err(sql::SqlError::Journal(e.to_string()));
                Msg::Extensions(ExtensionsMsg::Changed { id, name: name.clone(), change, result })
            };
            let Some(pending) = record::intent(&journal, &tx, &target, action, &name, None, refuse) else {
                return;
            };
            let read = journal.read_mark(&target.addon_id);
            spawn(tx, async move {
                let result = match sql_target(&directory, &source, &target).await {
                    Ok(target) => sql::change_extension(&target, &name, change).await,
                    Err(e) => Err(e),
                };
                pending.finish(&result, Check::Extension { name: name.clone(), enable });
                if let Ok(listing) = &result {
                    settle(&journal, &read, listing);
                }
                Msg::Extensions(ExtensionsMsg::Changed { id, name, change, result })
            })
        }
        ExtensionsEffect::TrustHostKey { id, offer } => spawn(tx, async move {
            let result = sql::tunnel::trust(&offer);
            Msg::Extensions(ExtensionsMsg::HostKeyTrusted { id, result })
        }),
    }
}

/// The SQL connection of `target`: the configured URL, else its app's variable (read with its
/// region's client).
async fn sql_target(
    directory: &Directory,
    source: &SqlSource,
    target: &DbTarget,
) -> Result<sql::SqlTarget, sql::SqlError> {
    let client =
        directory.client(&target.region).await.map_err(|e| sql::SqlError::Variables(e.to_string()))?;
    source.target(&client, target, directory.ssh_host(&target.region).as_deref()).await
}

/// A listing settles the extension changes on this database whose outcome was lost.
fn settle(journal: &Journal, read: &ReadMark, listing: &sql::Listing) {
    let installed =
        |name: &str| listing.extensions.iter().any(|e| e.name == name && e.installed_version.is_some());
    journal.settle_extensions(read, installed);
}
