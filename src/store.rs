//! The small files dbdeck keeps between runs, all plain JSON and none holding anything secret:
//! the region list (under the XDG cache dir, 10 minutes, as the official CLI does), the
//! database list (same dir, shown at start while it is listed again) and the databases opened
//! lately (under the XDG state dir, names only). A missing, unreadable or
//! malformed file is simply ignored; a write that fails is logged and forgotten.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::api::Region;
use crate::app::picker::{CachedDatabase, MAX_RECENTS, Recent};

/// How long a fetched region list is used.
pub const REGIONS_TTL: Duration = Duration::from_secs(10 * 60);

/// `$XDG_CACHE_HOME/dbdeck/regions.json`, else `~/.cache/dbdeck/regions.json`.
pub fn regions_cache_file() -> Option<PathBuf> {
    let dir = dirs::cache_dir().or_else(|| dirs::home_dir().map(|h| h.join(".cache")))?;
    Some(dir.join("dbdeck").join("regions.json"))
}

/// `$XDG_CACHE_HOME/dbdeck/databases.json`, else `~/.cache/dbdeck/databases.json`.
pub fn databases_cache_file() -> Option<PathBuf> {
    Some(regions_cache_file()?.with_file_name("databases.json"))
}

/// `$XDG_STATE_HOME/dbdeck/recent.json`, else `~/.local/state/dbdeck/recent.json`.
pub fn recents_file() -> Option<PathBuf> {
    let dir = dirs::state_dir().or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))?;
    Some(dir.join("dbdeck").join("recent.json"))
}

#[derive(Serialize, Deserialize)]
struct RegionsCache {
    /// The auth service the list came from: another one (or the emulator on another port)
    /// fetches its own.
    auth_url: String,
    /// Seconds since the epoch.
    expire_at: u64,
    regions: Vec<Region>,
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The cached region list of `auth_url`, if fresh at `now`.
pub fn read_regions(path: &Path, auth_url: &str, now: SystemTime) -> Option<Vec<Region>> {
    let text = std::fs::read_to_string(path).ok()?;
    let cache: RegionsCache = serde_json::from_str(&text).ok()?;
    (cache.auth_url == auth_url && secs(now) < cache.expire_at && !cache.regions.is_empty())
        .then_some(cache.regions)
}

pub fn write_regions(path: &Path, auth_url: &str, regions: &[Region], now: SystemTime) {
    let cache = RegionsCache {
        auth_url: auth_url.to_owned(),
        expire_at: secs(now + REGIONS_TTL),
        regions: regions.to_vec(),
    };
    write_json(path, &cache);
}

#[derive(Serialize, Deserialize)]
struct DatabasesCache {
    /// The auth service the list came from: another one starts empty.
    auth_url: String,
    databases: Vec<CachedDatabase>,
}

/// The database list kept for `auth_url`, however old: the picker lists again at once.
pub fn read_databases(path: &Path, auth_url: &str) -> Vec<CachedDatabase> {
    let Ok(text) = std::fs::read_to_string(path) else { return vec![] };
    match serde_json::from_str::<DatabasesCache>(&text) {
        Ok(cache) if cache.auth_url == auth_url => cache.databases,
        _ => vec![],
    }
}

pub fn write_databases(path: &Path, auth_url: &str, databases: Vec<CachedDatabase>) {
    write_json(path, &DatabasesCache { auth_url: auth_url.to_owned(), databases });
}

/// The recent databases, most recent first (at most [`MAX_RECENTS`]).
pub fn read_recents(path: &Path) -> Vec<Recent> {
    let Ok(text) = std::fs::read_to_string(path) else { return vec![] };
    let mut list: Vec<Recent> = serde_json::from_str(&text).unwrap_or_default();
    list.truncate(MAX_RECENTS);
    list
}

pub fn write_recents(path: &Path, recents: &[Recent]) {
    write_json(path, &recents);
}

/// Writes through a temporary file, so a reader never sees half a file; private (0600).
fn write_json(path: &Path, value: &impl Serialize) {
    let result = serde_json::to_string_pretty(value)
        .map_err(std::io::Error::other)
        .and_then(|text| crate::private_file::write_atomic(path, (text + "\n").as_bytes()));
    if let Err(e) = result {
        tracing::warn!("cannot write {}: {e}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(name: &str) -> Region {
        Region { name: name.into(), api: format!("https://api.{name}.example"), ..Region::default() }
    }

    #[test]
    fn regions_are_cached_ten_minutes_per_auth_url() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/regions.json");
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(read_regions(&path, "https://auth", now), None, "no file yet");
        write_regions(&path, "https://auth", &[region("osc-fr1"), region("osc-secnum-fr1")], now);
        let read = read_regions(&path, "https://auth", now + Duration::from_secs(599)).unwrap();
        assert_eq!(read.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["osc-fr1", "osc-secnum-fr1"]);
        assert_eq!(read_regions(&path, "https://auth", now + REGIONS_TTL), None, "expired");
        assert_eq!(read_regions(&path, "http://127.0.0.1:9", now), None, "another auth service");
        std::fs::write(&path, "{garbage").unwrap();
        assert_eq!(read_regions(&path, "https://auth", now), None);
    }

    #[test]
    fn the_database_list_is_kept_private_per_auth_url() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/dbdeck/databases.json");
        assert!(read_databases(&path, "https://auth").is_empty(), "no file yet");
        let db = CachedDatabase {
            region: "osc-fr1".into(),
            app: "shop".into(),
            addon: "ad-1".into(),
            engine: "postgresql".into(),
            plan: "starter-512".into(),
            status: "running".into(),
            dedicated: false,
        };
        write_databases(&path, "https://auth", vec![db.clone()]);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(read_databases(&path, "https://auth"), [db]);
        assert!(read_databases(&path, "http://127.0.0.1:9").is_empty(), "another auth service");
        std::fs::write(&path, "{garbage").unwrap();
        assert!(read_databases(&path, "https://auth").is_empty());
    }

    #[test]
    fn recents_round_trip_and_garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/recent.json");
        assert!(read_recents(&path).is_empty());
        let recents: Vec<Recent> = (0..12)
            .map(|i| Recent { region: "osc-fr1".into(), app: format!("app-{i}"), addon: format!("ad-{i}") })
            .collect();
        write_recents(&path, &recents);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("app-0") && !text.contains("token"), "{text}");
        let read = read_recents(&path);
        assert_eq!(read.len(), MAX_RECENTS);
        assert_eq!(read[0], recents[0]);
        std::fs::write(&path, "[1, 2").unwrap();
        assert!(read_recents(&path).is_empty());
    }
}
