//! The request budget (Scalingo allows 60 requests a minute), measured on the real `update` and
//! the real effect runner against the emulator: opening the picker over N apps in two regions,
//! then a database, then switching to another and back. Every count is exact, from the client's
//! counters and from the emulator's request log.
//!
//! With N = 20 extra apps (25 apps, 2 regions): the picker costs 31 requests (1 token
//! exchange, 1 region list, 2 app lists, 2 dedicated lists, 25 addon lists, at most 4 at a
//! time); opening a shared database 3 (its addon token, the database, its users); a dedicated one
//! 5 (its firewall rules and the managed ranges too); going back to a database opened before 2
//! (its addon token is reused); going back to the picker 0. Whole session: 41.
//!
//! Opening one database with `--app` and `--region` (1 exchange, the app's addons, its addon
//! token, the database, its users), then creating, resetting and deleting a user: 8 (10 when a
//! create and a delete read the list again; the official CLI needs 42). Each change's answer
//! updates the list.

mod support;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use dbdeck::api::{ClientOptions, Endpoints, RequestStats};
use dbdeck::app::state::{Modal, Screen, Session, Start};
use dbdeck::app::{Effect, Msg, State, start, update};
use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig, Seed};
use dbdeck::runtime::{Reach, Runner};
use secrecy::SecretString;
use support::emulator::Emulator;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

const EXTRA_APPS: usize = 20;

/// The demo seed plus `n` apps in osc-fr1, each with a PostgreSQL addon.
fn seed(n: usize) -> Seed {
    let mut seed = Seed::demo();
    let template = seed.apps.iter().find(|a| a.name == "analytics-etl").unwrap().clone();
    for i in 0..n {
        let mut app = template.clone();
        app.id = format!("app-extra-{i}");
        app.name = format!("extra-{i:02}");
        app.addons[0].id = format!("ad-extra-{i}");
        seed.apps.push(app);
    }
    seed
}

struct Harness {
    emulator: Emulator,
    state: State,
    runner: Runner,
    rx: UnboundedReceiver<Msg>,
    /// Most addon listings seen in flight at once.
    max_listings: usize,
}

impl Harness {
    async fn new() -> Harness {
        Harness::with(Session { token_source: "the test".into(), ..Session::default() }).await
    }

    async fn with(session: Session) -> Harness {
        let emulator =
            Emulator::start(EmulatorConfig { seed: seed(EXTRA_APPS), ..EmulatorConfig::demo() }).await;
        let reach = Reach {
            endpoints: Endpoints::single(emulator.base_url()),
            pin: session.region.clone(),
            pinned_urls: session.region.is_some(),
            regions_cache: None,
            options: ClientOptions::default(),
        };
        let (tx, rx) = unbounded_channel();
        let runner = Runner::headless(reach, Some(SecretString::from(DEMO_API_TOKEN)), tx).unwrap();
        let state = State::new(session);
        Harness { emulator, state, runner, rx, max_listings: 0 }
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.runner.perform(effect);
        }
    }

    /// Answers messages until nothing is in flight.
    async fn settle(&mut self) {
        while self.state.in_flight > 0 {
            self.max_listings = self.max_listings.max(self.state.picker.listing);
            let msg = tokio::time::timeout(Duration::from_secs(20), self.rx.recv()).await.unwrap().unwrap();
            let effects = update(&mut self.state, msg);
            self.perform(effects);
        }
        assert!(
            self.state.status.as_ref().is_none_or(|s| s.level != dbdeck::app::state::Level::Error),
            "{:?}",
            self.state.status
        );
    }

    async fn key(&mut self, code: KeyCode) {
        let effects = update(&mut self.state, Msg::Key(KeyEvent::from(code)));
        self.perform(effects);
        self.settle().await;
    }

    async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c)).await;
        }
    }

    /// Opens the only database the filter `text` leaves, and waits until it has loaded.
    async fn open(&mut self, text: &str) {
        self.key(KeyCode::Char('/')).await;
        self.type_text(text).await;
        self.key(KeyCode::Enter).await;
        assert_eq!(self.state.picker.visible().len(), 1, "{text}");
        self.key(KeyCode::Enter).await;
        assert!(matches!(self.state.screen, Screen::Dashboard(_)));
        assert!(self.state.dash().unwrap().users.users.data.is_some(), "{text}: users listed");
    }

    /// `delta` requests since `before`, by kind: (total, token exchanges, addon tokens).
    fn since(&self, before: RequestStats) -> (u64, u64, u64) {
        let now = self.runner.stats();
        (
            now.total - before.total,
            now.token_exchanges - before.token_exchanges,
            now.addon_tokens - before.addon_tokens,
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picker_open_switch_and_back_stay_within_budget() {
    let mut h = Harness::new().await;
    let apps = (5 + EXTRA_APPS) as u64;

    // The picker: every region's apps and dedicated databases, then each app's addons.
    let effects = start(&mut h.state);
    h.perform(effects);
    h.settle().await;
    assert!(matches!(h.state.screen, Screen::Picker));
    assert!(!h.state.picker.loading());
    assert_eq!(h.state.picker.rows.len(), 5 + EXTRA_APPS, "every database; blog-staging's Redis is not one");
    assert!(h.max_listings <= dbdeck::app::picker::MAX_LISTINGS, "{} listings at once", h.max_listings);
    let picker = h.since(RequestStats::default());
    assert_eq!(
        picker,
        (1 + 1 + 2 + 2 + apps, 1, 0),
        "picker: exchange, regions, 2x(apps, databases), addons"
    );

    // A shared database: its addon token, the database, its users.
    let before = h.runner.stats();
    h.open("mysql").await;
    assert_eq!(h.since(before), (3, 0, 1), "opening the MySQL database");

    // Back: nothing is read again.
    let before = h.runner.stats();
    h.key(KeyCode::Char('o')).await;
    assert_eq!(h.since(before), (0, 0, 0), "o costs nothing");

    // Another database, dedicated: its rules and the managed ranges too.
    let before = h.runner.stats();
    h.open("orders").await;
    assert_eq!(h.since(before), (5, 0, 1), "opening the dedicated database");
    assert!(h.state.dash().unwrap().internet.rules.data.is_some());

    // Back to the first one: its addon token is reused.
    let before = h.runner.stats();
    h.key(KeyCode::Char('o')).await;
    h.open("mysql").await;
    assert_eq!(h.since(before), (2, 0, 0), "a database opened before mints no token");

    let total = h.runner.stats();
    assert_eq!(total.total, picker.0 + 3 + 5 + 2);
    assert!(total.total < 60, "the whole session fits in a minute's allowance: {total:?}");

    // The emulator saw exactly that: one exchange, one token per database opened, the restricted
    // region's apps through its own URL.
    let paths = h.emulator.paths().await;
    assert_eq!(paths.len() as u64, total.total, "{paths:#?}");
    let count = |needle: &str| paths.iter().filter(|p| p.contains(needle)).count();
    assert_eq!(count("/tokens/exchange"), 1);
    assert_eq!(count("/token"), 1 + 2, "one exchange, two addon tokens");
    assert_eq!(count("GET /osc-secnum-fr1/v1/apps"), 2, "its app list and its one app's addons");
}

/// The users named `name`, as listed on screen.
fn listed(h: &Harness, name: &str) -> usize {
    h.state.dash().unwrap().users.visible().iter().filter(|u| u.name == name).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_list_create_reset_delete_costs_8_requests() {
    let app = Start::app("shop-prod", "postgresql");
    let region = Some("osc-fr1".into());
    let session = Session { start: app, region, token_source: "the test".into(), ..Session::default() };
    let mut h = Harness::with(session).await;
    let effects = start(&mut h.state);
    h.perform(effects);
    h.settle().await;
    assert!(h.state.dash().unwrap().users.users.data.is_some(), "users listed");
    let opened = h.since(RequestStats::default()).0;

    // Create, with a generated password: revealed, then closed.
    h.key(KeyCode::Char('n')).await;
    h.type_text("budget_user").await;
    h.key(KeyCode::Tab).await;
    h.key(KeyCode::Enter).await;
    assert!(matches!(h.state.modal, Some(Modal::Reveal(_))), "{:?}", h.state.status);
    h.key(KeyCode::Enter).await;
    assert_eq!(listed(&h, "budget_user"), 1, "the answer added the user");

    // Reset its password, then delete it: both confirmed by typing its name.
    h.key(KeyCode::Char('/')).await;
    h.type_text("budget_user").await;
    h.key(KeyCode::Enter).await;
    for action in ['p', 'd'] {
        h.key(KeyCode::Char(action)).await;
        h.type_text("budget_user").await;
        h.key(KeyCode::Enter).await;
        if action == 'p' {
            assert!(matches!(h.state.modal, Some(Modal::Reveal(_))), "{:?}", h.state.status);
            h.key(KeyCode::Enter).await;
        }
    }
    assert_eq!(listed(&h, "budget_user"), 0, "the answer removed the user");

    let total = h.runner.stats().total;
    assert_eq!(
        (opened, total - opened),
        (5, 3),
        "opening, then one request per change: {:#?}",
        h.emulator.paths().await
    );
    assert!(total <= 8, "{total} requests");
    let paths = h.emulator.paths().await;
    assert_eq!(paths.len() as u64, total, "{paths:#?}");
    assert_eq!(
        paths.iter().filter(|p| p.starts_with("GET") && p.ends_with("/users")).count(),
        1,
        "{paths:#?}"
    );
}
