//! The emulator's data: what `assets/demo.json` holds, and also the format of the state file
//! (the live state is a `Seed` too, saved back as pretty JSON after every change).
//!
//! Format (every field not marked required has a default):
//! ```json
//! {
//!   "api_tokens": ["tk-us-demo-..."],                    // required, accepted by /v1/tokens/exchange
//!   "user": {"id", "username", "fullname", "email", "flags": {}},   // required
//!   "apps": [{
//!     "id", "name", "region", "status", "created_at", "flags": {}, "project": {"id","name"},
//!     "addons": [{
//!       "id": "ad-<uuid>", "resource_id", "status", "provisioned_at", "updated_at",
//!       "plan": {"id", "name", "display_name", "description", "position", "sku", ...},
//!       "addon_provider": {"id", "name", "logo_url"},
//!       "database": {                                    // absent: not served by the DB API
//!         "id", "type_name": "postgresql"|"mysql"|"redis"|..., "type_id", "version_id",
//!         "readable_version", "hostname": "host:port", "status", "created_at",
//!         "features": [{"name", "status"}], "extensions": [{"name", "version"}],
//!         "users": [{"name", "read_only", "protected", "dbms_attributes"?}],
//!         "firewall_rules": [{"id", "type", "cidr"?, "label"?, "range_id"?}]  // dedicated only
//!       }
//!     }],
//!     "variables": [{"name", "value"}]                   // the app's environment
//!   }]
//! }
//! ```
//! Passwords are never stored: the emulator returns them once, as the platform does.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::api::types::Engine;

/// The whole emulated account. See the module documentation for the JSON format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seed {
    pub api_tokens: Vec<String>,
    pub user: SeedUser,
    #[serde(default)]
    pub apps: Vec<SeedApp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedUser {
    pub id: String,
    pub username: String,
    #[serde(default)]
    pub fullname: String,
    pub email: String,
    #[serde(default)]
    pub flags: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedApp {
    pub id: String,
    pub name: String,
    #[serde(default = "default_region")]
    pub region: String,
    #[serde(default = "default_running")]
    pub status: String,
    #[serde(default = "default_date")]
    pub created_at: String,
    #[serde(default)]
    pub flags: BTreeMap<String, bool>,
    #[serde(default)]
    pub project: Option<SeedProject>,
    #[serde(default)]
    pub addons: Vec<SeedAddon>,
    /// The app's environment variables (`GET /v1/apps/{app}/variables`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<SeedVariable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedVariable {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedProject {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedAddon {
    pub id: String,
    pub resource_id: String,
    #[serde(default = "default_running")]
    pub status: String,
    #[serde(default = "default_date")]
    pub provisioned_at: String,
    #[serde(default = "default_date")]
    pub updated_at: String,
    pub plan: SeedPlan,
    pub addon_provider: SeedProvider,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<SeedDatabase>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedPlan {
    pub id: String,
    pub name: String,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub sku: String,
    #[serde(default)]
    pub price: f64,
    #[serde(default)]
    pub hds_available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedProvider {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub logo_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedDatabase {
    /// The internal database id (differs from the addon id, as on the platform).
    pub id: String,
    pub type_name: String,
    #[serde(default)]
    pub type_id: String,
    #[serde(default)]
    pub version_id: String,
    pub readable_version: String,
    /// `fqdn:port`.
    pub hostname: String,
    #[serde(default = "default_running")]
    pub status: String,
    #[serde(default = "default_date")]
    pub created_at: String,
    #[serde(default)]
    pub encryption_at_rest: bool,
    #[serde(default)]
    pub features: Vec<SeedFeature>,
    /// PostgreSQL only: the enabled extensions `list-extensions` reports.
    #[serde(default)]
    pub extensions: Vec<SeedExtension>,
    #[serde(default)]
    pub users: Vec<SeedDbUser>,
    /// Dedicated (`postgresql-ng`) databases only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewall_rules: Vec<SeedFirewallRule>,
}

/// A firewall rule: `custom_range` with `cidr` (and an optional `label`), or `managed_range`
/// with `range_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedFirewallRule {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_id: Option<String>,
    #[serde(default = "default_date")]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedFeature {
    pub name: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedExtension {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedDbUser {
    pub name: String,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub protected: bool,
    /// PostgreSQL users get `{"password_encryption": "SCRAM-SHA-256"}` when this is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbms_attributes: Option<serde_json::Value>,
}

fn default_region() -> String {
    "osc-fr1".into()
}

fn default_running() -> String {
    "running".into()
}

fn default_date() -> String {
    "2025-01-15T09:30:00.000Z".into()
}

impl SeedDatabase {
    /// PostgreSQL or MySQL; `None` for engines dbdeck does not manage (Redis, ...).
    pub fn engine(&self) -> Option<Engine> {
        Engine::from_name(&self.type_name)
    }
}

impl Seed {
    /// Parses and checks a seed (or a state file): ids and names must be unique.
    pub fn from_json(text: &str) -> Result<Seed, String> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| format!("invalid seed: {e}"))?;
        seed.check()?;
        Ok(seed)
    }

    /// The demo account from `assets/demo.json`.
    pub fn demo() -> Seed {
        Seed::from_json(include_str!("../../assets/demo.json")).expect("assets/demo.json is a valid seed")
    }

    fn check(&self) -> Result<(), String> {
        if self.api_tokens.is_empty() {
            return Err("invalid seed: api_tokens is empty".into());
        }
        let mut app_keys = HashSet::new();
        let mut addon_ids = HashSet::new();
        for app in &self.apps {
            for key in [&app.id, &app.name] {
                if !app_keys.insert(key.as_str()) {
                    return Err(format!("invalid seed: app id or name {key:?} is repeated"));
                }
            }
            for addon in &app.addons {
                if !addon_ids.insert(addon.id.as_str()) {
                    return Err(format!("invalid seed: addon id {:?} is repeated", addon.id));
                }
                let Some(db) = &addon.database else { continue };
                let mut names = HashSet::new();
                for user in &db.users {
                    if !names.insert(user.name.to_ascii_lowercase()) {
                        return Err(format!(
                            "invalid seed: user {:?} is repeated in addon {}",
                            user.name, addon.id
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// This seed and `n` generated apps `extra-000`, `extra-001`, ... alternately in osc-fr1
    /// and osc-secnum-fr1, each holding a copy of analytics-etl's PostgreSQL database (or,
    /// in a seed without it, nothing).
    pub fn with_extra_apps(mut self, n: usize) -> Seed {
        let template = self.apps.iter().find(|a| a.name == "analytics-etl").cloned();
        for i in 0..n {
            let mut app = template.clone().unwrap_or_else(|| SeedApp {
                id: String::new(),
                name: String::new(),
                region: default_region(),
                status: default_running(),
                created_at: default_date(),
                flags: BTreeMap::new(),
                project: None,
                addons: vec![],
                variables: vec![],
            });
            app.id = format!("app-extra-{i}");
            app.name = format!("extra-{i:03}");
            app.region = if i % 2 == 0 { "osc-fr1" } else { "osc-secnum-fr1" }.into();
            for (k, addon) in app.addons.iter_mut().enumerate() {
                addon.id = format!("ad-extra-{i}-{k}");
            }
            self.apps.push(app);
        }
        self
    }

    pub(crate) fn app(&self, key: &str) -> Option<&SeedApp> {
        self.apps.iter().find(|a| a.name == key || a.id == key)
    }

    /// The app named (or with id) `key` in `region`: another region's main API does not know it.
    pub(crate) fn app_in(&self, region: &str, key: &str) -> Option<&SeedApp> {
        self.app(key).filter(|a| a.region == region)
    }

    /// The app and addon serving database `addon_id`.
    pub(crate) fn addon_by_id(&self, addon_id: &str) -> Option<(&SeedApp, &SeedAddon)> {
        self.apps
            .iter()
            .find_map(|app| app.addons.iter().find(|a| a.id == addon_id).map(|addon| (app, addon)))
    }

    pub(crate) fn database_mut(&mut self, addon_id: &str) -> Option<&mut SeedDatabase> {
        self.apps
            .iter_mut()
            .flat_map(|app| app.addons.iter_mut())
            .find(|a| a.id == addon_id)
            .and_then(|a| a.database.as_mut())
    }
}
