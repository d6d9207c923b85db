//! Settings resolved from the environment, as the official CLI names them, and the paths dbdeck
//! uses. Each base URL override is honoured on its own (the CLI ignores SCALINGO_API_URL unless
//! SCALINGO_DB_URL is set too; dbdeck does not copy that).

use std::path::PathBuf;

use url::Url;

use crate::api::Endpoints;

/// The endpoints for `region`, with any of the three URLs overridden by `lookup(name)`.
pub fn endpoints(region: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<Endpoints, String> {
    // The name goes into host names that receive the tokens: nothing but a plain label.
    let label =
        |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !region.split('-').all(label) {
        return Err(format!("'{region}' is not a region name (like osc-fr1 or osc-secnum-fr1)"));
    }
    let mut endpoints = Endpoints::for_region(region);
    let overrides = [
        ("SCALINGO_AUTH_URL", &mut endpoints.auth),
        ("SCALINGO_API_URL", &mut endpoints.api),
        ("SCALINGO_DB_URL", &mut endpoints.db),
    ];
    for (name, slot) in overrides {
        if let Some(value) = lookup(name).filter(|v| !v.trim().is_empty()) {
            *slot = Url::parse(value.trim()).map_err(|e| format!("{name}={value} is not a URL: {e}"))?;
        }
    }
    Ok(endpoints)
}

/// The region to stick to: `--region`/`SCALINGO_REGION`, else `default` when `SCALINGO_API_URL`
/// or `SCALINGO_DB_URL` is set (a URL names one place to talk to), else none (every region).
pub fn pinned_region(
    asked: Option<String>,
    default: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let overridden =
        ["SCALINGO_API_URL", "SCALINGO_DB_URL"].iter().any(|n| lookup(n).is_some_and(|v| !v.is_empty()));
    asked.or_else(|| overridden.then(|| default.to_owned()))
}

/// `$XDG_STATE_HOME/dbdeck/dbdeck.log`, else `~/.local/state/dbdeck/dbdeck.log`.
pub fn default_log_file() -> PathBuf {
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))
        .unwrap_or_else(std::env::temp_dir)
        .join("dbdeck")
        .join("dbdeck.log")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_or_db_url_pins_a_region() {
        let none = |_: &str| None;
        assert_eq!(pinned_region(None, "osc-fr1", none), None, "every region");
        assert_eq!(
            pinned_region(Some("osc-secnum-fr1".into()), "osc-fr1", none).as_deref(),
            Some("osc-secnum-fr1")
        );
        let db_url = |n: &str| (n == "SCALINGO_DB_URL").then(|| "http://127.0.0.1:9".to_owned());
        assert_eq!(pinned_region(None, "osc-fr1", db_url).as_deref(), Some("osc-fr1"));
        let auth_only = |n: &str| (n == "SCALINGO_AUTH_URL").then(|| "http://127.0.0.1:9".to_owned());
        assert_eq!(pinned_region(None, "osc-fr1", auth_only), None, "the auth URL serves every region");
    }

    #[test]
    fn region_urls_and_independent_overrides() {
        let plain = endpoints("osc-secnum-fr1", |_| None).unwrap();
        assert_eq!(plain.api.as_str(), "https://api.osc-secnum-fr1.scalingo.com/");
        assert_eq!(plain.db.as_str(), "https://db-api.osc-secnum-fr1.scalingo.com/");
        assert_eq!(plain.auth.as_str(), "https://auth.scalingo.com/");

        // SCALINGO_API_URL alone is honoured (the CLI would ignore it without SCALINGO_DB_URL).
        let api_only =
            endpoints("osc-fr1", |n| (n == "SCALINGO_API_URL").then(|| "http://127.0.0.1:9000".into()))
                .unwrap();
        assert_eq!(api_only.api.as_str(), "http://127.0.0.1:9000/");
        assert_eq!(api_only.db.as_str(), "https://db-api.osc-fr1.scalingo.com/");

        assert!(endpoints("osc-fr1", |n| (n == "SCALINGO_DB_URL").then(|| "not a url".into())).is_err());
        for bad in ["osc fr1", "a:b", "x/y", "evil.example.com#", "", "-osc", "OSC-FR1"] {
            assert!(endpoints(bad, |_| None).is_err(), "{bad:?} accepted");
        }
    }
}
