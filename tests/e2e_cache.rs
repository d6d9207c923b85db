//! A large account (125 apps in two regions) against the emulator with Scalingo's rate limit
//! on, in the real binary: the first listing paces itself (no request refused) and shows its
//! progress; the list is kept, privately and without secrets, and the next start shows it at
//! once, while the apps are still being listed again.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, RateLimit, Seed};
use serde_json::json;
use support::emulator::Emulator;
use support::tmux::{Tmux, available};

/// The emulator's limit, scaled from 60 a minute so the test takes seconds; dbdeck is told a
/// little less, as it keeps a margin under the real one.
const LIMIT: RateLimit = RateLimit { requests: 30, per: Duration::from_secs(1) };
const PACE: &str = "27/1";
const EXTRA_APPS: usize = 120;

fn start(emulator: &Emulator, home: &std::path::Path) -> Tmux {
    let base = emulator.base_url().as_str().trim_end_matches('/').to_owned();
    let cache = home.join("cache").display().to_string();
    let home = home.display().to_string();
    let env = [
        ("HOME", home.as_str()),
        ("XDG_CACHE_HOME", cache.as_str()),
        ("SCALINGO_AUTH_URL", base.as_str()),
        ("SCALINGO_API_TOKEN", DEMO_API_TOKEN),
        ("DBDECK_RATE_LIMIT", PACE),
    ];
    Tmux::start(&["--no-journal"], &env, 100, 30)
}

#[test]
fn a_large_account_is_listed_inside_the_rate_limit_and_kept_for_the_next_start() {
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = EmulatorConfig {
        seed: Seed::demo().with_extra_apps(EXTRA_APPS),
        rate_limit: Some(LIMIT),
        ..EmulatorConfig::demo()
    };
    let emulator = runtime.block_on(Emulator::start(config));
    let home = tempfile::tempdir().unwrap();

    let tmux = start(&emulator, home.path());
    let total = 5 + EXTRA_APPS;
    tmux.wait_text(&format!(" of {total} apps read"));
    tmux.wait_text(&format!("{total} databases in osc-fr1, osc-secnum-fr1"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    let requests = runtime.block_on(emulator.requests());
    assert!(requests.len() > 2 * LIMIT.requests as usize, "{} requests", requests.len());
    let refused: Vec<_> = requests.iter().filter(|r| r["status"].as_u64() != Some(200)).collect();
    assert!(refused.is_empty(), "no request refused nor failed: {refused:?}");

    let path = home.path().join("cache/dbdeck/databases.json");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("extra-119") && text.contains("billing-secure"), "{text}");
    assert!(!text.contains(DEMO_API_TOKEN) && !text.contains("password"), "{text}");

    // The next start: the apps' listing is held back, yet the kept list is on screen.
    for path in ["/v1/apps", "/osc-secnum-fr1/v1/apps"] {
        let fault = json!({"method": "GET", "path": path, "action": {"kind": "delay", "ms": 20000}});
        runtime.block_on(emulator.fault(fault));
    }
    let tmux = start(&emulator, home.path());
    let screen = tmux.wait_text(&format!("Databases ({total})"));
    assert!(screen.contains("Listing") && screen.contains("extra-000"), "{screen}");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}
