//! Resolving `--addon` the way the Scalingo CLI does: an `ad-` id as is, else a type (or alias)
//! matched against the app's addons.

use super::error::ApiError;
use super::types::{Addon, Engine};

/// The CLI's aliases, lower-cased: `psql` → `postgresql`, `mongo` → `mongodb`, …
pub(crate) fn resolve_alias(addon_type: &str) -> String {
    let lower = addon_type.trim().to_ascii_lowercase();
    match lower.as_str() {
        "psql" | "pgsql" | "postgres" => "postgresql".into(),
        "mgo" | "mongo" => "mongodb".into(),
        "influx" => "influxdb".into(),
        "es" => "elasticsearch".into(),
        "redis" => "redis® oss".into(),
        _ => lower,
    }
}

fn provider_engine(addon: &Addon) -> Option<Engine> {
    let provider = addon.addon_provider.as_ref()?;
    Engine::from_name(&provider.id).or_else(|| Engine::from_name(&provider.name))
}

fn provider_label(addon: &Addon) -> String {
    match &addon.addon_provider {
        Some(p) if !p.name.is_empty() => p.name.clone(),
        Some(p) if !p.id.is_empty() => p.id.clone(),
        _ => "unknown".into(),
    }
}

/// Does `addon` answer to the (alias-resolved, lower-case) type `wanted`?
fn matches_type(addon: &Addon, wanted: &str) -> bool {
    let Some(provider) = addon.addon_provider.as_ref() else {
        return false;
    };
    if provider.name.eq_ignore_ascii_case(wanted) || provider.id.eq_ignore_ascii_case(wanted) {
        return true;
    }
    match Engine::from_name(wanted) {
        Some(engine) => provider_engine(addon) == Some(engine),
        None => false,
    }
}

/// The addons an app has, for an error: `Redis (ad-1), MySQL (ad-2)`, or `none`.
fn found_list(addons: &[Addon]) -> String {
    if addons.is_empty() {
        return "none".into();
    }
    addons.iter().map(|a| format!("{} ({})", provider_label(a), a.id)).collect::<Vec<_>>().join(", ")
}

/// Picks the addon `wanted` names among the `addons` of `app` (an empty `wanted` picks its
/// database), and checks it is a database dbdeck manages.
pub(crate) fn select_addon(app: &str, wanted: &str, addons: Vec<Addon>) -> Result<Addon, ApiError> {
    let wanted = wanted.trim();
    let found = if wanted.is_empty() {
        // No addon named: the app's PostgreSQL database, else its MySQL one.
        let pick = |engine| addons.iter().find(|a| provider_engine(a) == Some(engine)).cloned();
        pick(Engine::PostgreSql)
            .or_else(|| pick(Engine::MySql))
            .ok_or_else(|| ApiError::Lookup(format!("app '{app}' has no PostgreSQL or MySQL addon")))?
    } else if wanted.starts_with("ad-") {
        addons
            .into_iter()
            .find(|a| a.id == wanted)
            .ok_or_else(|| ApiError::Lookup(format!("addon '{wanted}' does not exist on app '{app}'")))?
    } else {
        // The alias (`redis` → `Redis® OSS`) or the word as typed: a provider may go by either.
        let addon_type = resolve_alias(wanted);
        let typed = wanted.to_ascii_lowercase();
        let Some(found) = addons.iter().find(|a| matches_type(a, &addon_type) || matches_type(a, &typed))
        else {
            return Err(ApiError::Lookup(format!(
                "no '{addon_type}' addon exists on app '{app}' (its addons: {})",
                found_list(&addons)
            )));
        };
        found.clone()
    };
    if provider_engine(&found).is_none() {
        return Err(ApiError::Lookup(format!(
            "addon '{}' on app '{app}' is a {} addon: dbdeck manages only PostgreSQL and MySQL \
             databases",
            found.id,
            provider_label(&found)
        )));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::AddonProvider;

    fn addon(id: &str, provider_id: &str, provider_name: &str) -> Addon {
        Addon {
            id: id.into(),
            addon_provider: Some(AddonProvider { id: provider_id.into(), name: provider_name.into() }),
            ..Addon::default()
        }
    }

    fn addons() -> Vec<Addon> {
        vec![
            addon("ad-redis", "redis", "Redis® OSS"),
            addon("ad-pg", "postgresql", "PostgreSQL"),
            addon("ad-my", "scalingo-mysql", "MySQL"),
            addon("ad-mongo", "mongodb", "MongoDB"),
        ]
    }

    #[test]
    fn aliases_resolve_like_the_cli() {
        for alias in ["psql", "pgsql", "postgres", "PostgreSQL", " Postgres "] {
            assert_eq!(resolve_alias(alias), "postgresql");
        }
        assert_eq!(resolve_alias("mongo"), "mongodb");
        assert_eq!(resolve_alias("MySQL"), "mysql");
    }

    #[test]
    fn finds_by_type_alias_and_id() {
        assert_eq!(select_addon("app", "psql", addons()).unwrap().id, "ad-pg");
        assert_eq!(select_addon("app", "postgresql", addons()).unwrap().id, "ad-pg");
        assert_eq!(select_addon("app", "MYSQL", addons()).unwrap().id, "ad-my");
        assert_eq!(select_addon("app", "ad-my", addons()).unwrap().id, "ad-my");
    }

    #[test]
    fn matches_provider_ids_when_the_name_differs() {
        let list =
            vec![addon("ad-1", "scalingo-postgresql", "Scalingo PG"), addon("ad-2", "scalingo-mysql", "")];
        assert_eq!(select_addon("app", "postgresql", list.clone()).unwrap().id, "ad-1");
        assert_eq!(select_addon("app", "mysql", list.clone()).unwrap().id, "ad-2");
        let ng = vec![addon("ad-3", "postgresql-ng", "")];
        assert_eq!(select_addon("app", "pgsql", ng).unwrap().id, "ad-3");
    }

    #[test]
    fn explains_what_is_missing() {
        let only_redis = vec![addon("ad-redis", "redis", "Redis® OSS")];
        assert_eq!(
            select_addon("my-app", "postgres", only_redis).unwrap_err(),
            ApiError::Lookup(
                "no 'postgresql' addon exists on app 'my-app' (its addons: Redis® OSS (ad-redis))".into()
            )
        );
        assert_eq!(
            select_addon("my-app", "ad-nope", addons()).unwrap_err(),
            ApiError::Lookup("addon 'ad-nope' does not exist on app 'my-app'".into())
        );
        let err = select_addon("my-app", "mongo", addons()).unwrap_err().to_string();
        assert!(err.contains("only PostgreSQL and MySQL"), "{err}");
        assert!(err.contains("MongoDB"), "{err}");
        let err = select_addon("my-app", "ad-redis", addons()).unwrap_err().to_string();
        assert!(err.contains("only PostgreSQL and MySQL"), "{err}");
    }

    #[test]
    fn no_addon_named_picks_postgresql_then_mysql() {
        let redis = addon("ad-r", "redis", "Redis");
        let mysql = addon("ad-m", "mysql", "MySQL");
        let pg = addon("ad-p", "postgresql", "PostgreSQL");
        let all = vec![redis.clone(), mysql.clone(), pg.clone()];
        assert_eq!(select_addon("app", "", all).unwrap().id, "ad-p");
        assert_eq!(select_addon("app", " ", vec![redis.clone(), mysql]).unwrap().id, "ad-m");
        let err = select_addon("app", "", vec![redis]).unwrap_err();
        assert_eq!(err, ApiError::Lookup("app 'app' has no PostgreSQL or MySQL addon".into()));
    }
}
