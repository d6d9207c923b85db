//! Performs the picker's effects: one task each, answering with a `Msg`.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinSet;

use super::directory::Directory;
use super::spawn;
use crate::app::Msg;
use crate::app::picker::{PickerEffect, PickerMsg};

/// `cache`: where the list is kept, and for which auth service (`None`: not kept); its writes
/// join `saves`, which the runtime waits for before leaving.
pub(super) fn perform(
    effect: PickerEffect,
    directory: Arc<Directory>,
    tx: UnboundedSender<Msg>,
    cache: Option<(PathBuf, String)>,
    saves: &mut JoinSet<()>,
) {
    let answer = |msg: PickerMsg| Msg::Picker(msg);
    match effect {
        PickerEffect::LoadRegions { id } => {
            spawn(tx, async move { answer(PickerMsg::Regions { id, result: directory.regions().await }) })
        }
        PickerEffect::ListApps { id, region } => spawn(tx, async move {
            let result = match directory.client(&region).await {
                Ok(client) => client.list_apps().await,
                Err(e) => Err(e),
            };
            answer(PickerMsg::Apps { id, region, result })
        }),
        PickerEffect::ListDedicated { id, region } => spawn(tx, async move {
            let result = match directory.client(&region).await {
                Ok(client) => client.dedicated_databases().await,
                Err(e) => Err(e),
            };
            answer(PickerMsg::Dedicated { id, region, result })
        }),
        PickerEffect::ListAddons { id, region, app } => spawn(tx, async move {
            let result = match directory.client(&region).await {
                Ok(client) => client.app_addons(&app).await,
                Err(e) => Err(e),
            };
            answer(PickerMsg::Addons { id, region, app, result })
        }),
        PickerEffect::SaveCache(databases) => {
            if let Some((path, auth_url)) = cache {
                saves.spawn_blocking(move || crate::store::write_databases(&path, &auth_url, databases));
            }
        }
    }
}
