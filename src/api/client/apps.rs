//! Finding databases: the apps of a region, an app's addons, the dedicated (DR) databases, and
//! `--database NAME` resolved as the CLI does it.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::super::error::ApiError;
use super::super::http::Retry;
use super::super::types::Addon;
use super::{ScalingoClient, Service, decode, decode_error, expect, request_id_suffix};

/// An app, as the main API lists it (only what dbdeck reads).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct App {
    pub id: String,
    pub name: String,
    pub region: String,
    pub status: String,
    pub flags: BTreeMap<String, bool>,
}

impl App {
    /// A dedicated (DR) database is an app with this flag, holding one addon (itself).
    pub fn is_dedicated_database(&self) -> bool {
        self.flags.get("dedicated-database").copied().unwrap_or(false)
    }
}

/// One entry of `GET /v1/databases`, whatever shape it came in (the list changed shape in 2026;
/// see `parse_dedicated`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedicatedDatabase {
    pub id: String,
    /// Also the `{app}` path segment of its addon.
    pub name: String,
    pub technology: String,
    pub plan: String,
    /// Known only from the dashboard's nested shape (`{app, addon, database}`).
    pub addon_id: Option<String>,
}

impl ScalingoClient {
    /// Every app of this client's region.
    pub async fn list_apps(&self) -> Result<Vec<App>, ApiError> {
        #[derive(Deserialize)]
        struct Apps {
            apps: Vec<App>,
        }
        let url = self.url(Service::Api, &["apps"])?;
        let reply = self.api_call(Method::GET, url, None, Retry::Idempotent).await?;
        let list: Apps = decode(expect(reply, &[200])?, "the app list")?;
        Ok(list.apps)
    }

    /// The addons of `app`, or `None` when this region does not know the app (404).
    pub async fn addons_if_found(&self, app: &str) -> Result<Option<Vec<Addon>>, ApiError> {
        Ok(self.addons(app).await?.ok())
    }

    /// The addons of `app`; a 404 says the app was not found.
    pub async fn app_addons(&self, app: &str) -> Result<Vec<Addon>, ApiError> {
        self.addons(app).await?
    }

    /// The addons, or (inside) the error saying the app was not found, with its request id.
    async fn addons(&self, app: &str) -> Result<Result<Vec<Addon>, ApiError>, ApiError> {
        #[derive(Deserialize)]
        struct Addons {
            addons: Vec<Addon>,
        }
        let url = self.url(Service::Api, &["apps", app, "addons"])?;
        let reply = self.api_call(Method::GET, url, None, Retry::Idempotent).await?;
        if reply.status == 404 {
            return Ok(Err(ApiError::Lookup(not_found_text(app) + &request_id_suffix(&reply))));
        }
        let list: Addons = decode(expect(reply, &[200])?, "the addon list")?;
        Ok(Ok(list.addons))
    }

    /// `--database NAME` as the CLI resolves it: an app holding exactly one addon, which is the
    /// database.
    pub async fn database_addon(&self, name: &str) -> Result<Addon, ApiError> {
        database_from_addons(name, self.app_addons(name).await?)
    }

    /// The dedicated databases of this region. A region without the (preview) endpoint answers
    /// 404: that is no database, not an error.
    pub async fn dedicated_databases(&self) -> Result<Vec<DedicatedDatabase>, ApiError> {
        let url = self.url(Service::Api, &["databases"])?;
        let reply = self.api_call(Method::GET, url, None, Retry::Idempotent).await?;
        if reply.status == 404 {
            return Ok(vec![]);
        }
        let reply = expect(reply, &[200])?;
        let value: Value =
            serde_json::from_slice(&reply.body).map_err(|e| decode_error("the database list", &e, &reply))?;
        Ok(parse_dedicated(&value))
    }
}

pub(crate) fn app_not_found(app: &str) -> ApiError {
    ApiError::Lookup(not_found_text(app))
}

fn not_found_text(app: &str) -> String {
    format!("app '{app}' was not found (check its name, the region, and that you are a collaborator)")
}

/// The one addon of a dedicated database named `name`.
pub(crate) fn database_from_addons(name: &str, addons: Vec<Addon>) -> Result<Addon, ApiError> {
    match <[Addon; 1]>::try_from(addons) {
        Ok([addon]) => Ok(addon),
        Err(addons) if addons.is_empty() => {
            Err(ApiError::Lookup(format!("database '{name}' was not found (it holds no addon)")))
        }
        Err(addons) => Err(ApiError::Lookup(format!(
            "'{name}' holds {} addons: it is an application, not a dedicated database (use --app {name})",
            addons.len()
        ))),
    }
}

/// Reads `{"databases": [item]}` or a bare `[item]`, where an item is flat (`{id, name,
/// technology, plan}`), wrapped (`{"database": {...}}`) or the dashboard's `{app, addon,
/// database}`. Items without a name are skipped.
pub(crate) fn parse_dedicated(value: &Value) -> Vec<DedicatedDatabase> {
    let items = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(map) => map.get("databases").and_then(Value::as_array).map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    items
        .iter()
        .filter_map(|item| {
            let db = item.get("database").filter(|d| d.is_object()).unwrap_or(item);
            let addon = item.get("addon");
            let name = text(db.get("name")).or_else(|| text(item.pointer("/app/name")))?;
            let plan = text(db.get("plan"))
                .or_else(|| text(db.pointer("/plan/name")))
                .or_else(|| text(addon.and_then(|a| a.pointer("/plan/name"))))
                .unwrap_or_default();
            let technology = text(db.get("technology"))
                .or_else(|| text(addon.and_then(|a| a.pointer("/addon_provider/id"))))
                .unwrap_or_default();
            Some(DedicatedDatabase {
                id: text(db.get("id")).unwrap_or_default(),
                name,
                technology,
                plan,
                addon_id: text(addon.and_then(|a| a.get("id"))),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dedicated_list_is_read_in_every_shape() {
        let flat = json!({"databases": [{"id": "db-1", "name": "orders-db", "project_id": "p",
            "technology": "postgresql-ng", "plan": "postgresql-dr-starter-4096"}]});
        let bare_wrapped = json!([{"database": {"id": "db-1", "name": "orders-db",
            "technology": "postgresql-ng", "plan": {"name": "postgresql-dr-starter-4096"}}}]);
        let dashboard = json!([{"app": {"name": "orders-db"}, "addon": {"id": "ad-1",
            "plan": {"name": "postgresql-dr-starter-4096"}, "addon_provider": {"id": "postgresql-ng"}},
            "database": {"id": "db-1"}}]);
        for (value, addon_id) in [(flat, None), (bare_wrapped, None), (dashboard, Some("ad-1"))] {
            let list = parse_dedicated(&value);
            assert_eq!(list.len(), 1, "{value}");
            assert_eq!(list[0].name, "orders-db");
            assert_eq!(list[0].id, "db-1");
            assert_eq!(list[0].technology, "postgresql-ng");
            assert_eq!(list[0].plan, "postgresql-dr-starter-4096");
            assert_eq!(list[0].addon_id.as_deref(), addon_id);
        }
        assert!(parse_dedicated(&json!({"databases": [{"id": "no-name"}, 3, null]})).is_empty());
        assert!(parse_dedicated(&json!({"unexpected": true})).is_empty());
        assert!(parse_dedicated(&json!("text")).is_empty());
    }

    #[test]
    fn a_database_is_an_app_with_exactly_one_addon() {
        let addon = |id: &str| Addon { id: id.into(), ..Addon::default() };
        assert_eq!(database_from_addons("db", vec![addon("ad-1")]).unwrap().id, "ad-1");
        let none = database_from_addons("db", vec![]).unwrap_err().to_string();
        assert!(none.contains("not found"), "{none}");
        let two = database_from_addons("shop", vec![addon("ad-1"), addon("ad-2")]).unwrap_err().to_string();
        assert!(two.contains("holds 2 addons") && two.contains("--app shop"), "{two}");
    }
}
