//! Opening a database: its region (looked for in every region when none is pinned), its addon
//! (unless the picker already knows it), then the database API's view of it.

use futures_util::future::join_all;

use super::directory::Directory;
use crate::api::{
    Addon, ApiError, DbTarget, ScalingoClient, app_not_found, database_from_addons, select_addon,
};
use crate::app::{Lookup, OpenRequest, Opened};

pub(super) async fn open(directory: &Directory, request: OpenRequest) -> Result<Opened, ApiError> {
    let OpenRequest { region, app, lookup } = request;
    let (region, client, addon) = match (lookup, region) {
        (Lookup::Known(addon), Some(region)) => {
            let client = directory.client(&region).await?;
            (region, client, addon)
        }
        (lookup, region) => {
            let (region, client, addons) = locate(directory, region, &app).await?;
            let addon = match lookup {
                Lookup::Database => database_from_addons(&app, addons)?,
                Lookup::Addon(wanted) => select_addon(&app, &wanted, addons)?,
                Lookup::Known(known) => select_addon(&app, &known.id, addons)?,
            };
            (region, client, addon)
        }
    };
    let target = DbTarget { region: region.clone(), app, addon_id: addon.id.clone() };
    let database = client.database(&target).await?;
    Ok(Opened { region, addon, database })
}

/// The region holding `app` and its addons: the one given, else the first region (of all,
/// asked at once) that knows it.
async fn locate(
    directory: &Directory,
    region: Option<String>,
    app: &str,
) -> Result<(String, ScalingoClient, Vec<Addon>), ApiError> {
    let regions = match region {
        Some(region) => vec![region],
        None => directory.regions().await?,
    };
    let lookups = regions.into_iter().map(|name| async move {
        let client = directory.client(&name).await?;
        let addons = client.addons_if_found(app).await?;
        Ok::<_, ApiError>((name, client, addons))
    });
    let mut first_error = None;
    for result in join_all(lookups).await {
        match result {
            Ok((name, client, Some(addons))) => return Ok((name, client, addons)),
            Ok(_) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| app_not_found(app)))
}
