//! Scalingo's rate limit, met by the emulator: a paced client never meets it, and an unpaced
//! one waits out each 429's `Retry-After` and gets every answer.

use dbdeck::api::{ClientOptions, Pace};
use dbdeck::emulator::{EmulatorConfig, RateLimit};

use super::*;
use support::emulator::Emulator;

const LIMIT: RateLimit = RateLimit { requests: 5, per: Duration::from_secs(1) };

fn options(pace: Option<Pace>) -> ClientOptions {
    ClientOptions { pace, backoff_base: Duration::from_millis(5), ..ClientOptions::default() }
}

async fn statuses(emu: &Emulator) -> Vec<u64> {
    emu.requests().await.iter().filter_map(|r| r["status"].as_u64()).collect()
}

#[tokio::test]
async fn a_paced_client_stays_inside_the_limit_and_an_unpaced_one_waits_out_its_429s() {
    let emu = Emulator::start(EmulatorConfig { rate_limit: Some(LIMIT), ..EmulatorConfig::demo() }).await;
    // A little under the server's pace: requests may arrive closer together than they left.
    let paced = emu.client(options(Some(Pace { requests: 4, per: LIMIT.per })));
    for _ in 0..12 {
        paced.list_apps().await.unwrap();
    }
    let seen = statuses(&emu).await;
    assert_eq!(seen.len(), 13, "an exchange and 12 listings: {seen:?}");
    assert!(seen.iter().all(|s| *s == 200), "{seen:?}");

    // Another client (its own token, so its own count), unpaced: refused, it waits and retries.
    emu.clear_log().await;
    let unpaced = emu.client(options(None));
    let started = Instant::now();
    for _ in 0..7 {
        unpaced.list_apps().await.unwrap();
    }
    let seen = statuses(&emu).await;
    assert!(seen.contains(&429), "the limit was met: {seen:?}");
    assert_eq!(seen.iter().filter(|s| **s == 200).count(), 8, "every listing answered: {seen:?}");
    assert!(started.elapsed() >= Duration::from_millis(900), "the Retry-After was waited out");
}
