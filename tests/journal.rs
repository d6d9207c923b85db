//! The journal of changes, through the real `update`, the real effect runner and the emulator:
//! every change kind writes exactly its intent and its outcome, in order, with who and where;
//! a lost answer writes intent, unknown, then what the reconciling read settled; a journal that
//! cannot be written refuses the change and the emulator sees nothing sent.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use dbdeck::api::{ClientOptions, Endpoints};
use dbdeck::app::state::{Level, Modal, Session, Start};
use dbdeck::app::users::UsersEffect;
use dbdeck::app::{Effect, Msg, State, start, update};
use dbdeck::emulator::DEMO_API_TOKEN;
use dbdeck::emulator::demo_ids::*;
use dbdeck::journal::{Entry, Event, Journal, Outcome, Who, read_entries};
use dbdeck::runtime::{Reach, Runner};
use secrecy::SecretString;
use serde_json::json;
use support::emulator::Emulator;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

struct Harness {
    emu: Emulator,
    state: State,
    runner: Runner,
    rx: UnboundedReceiver<Msg>,
    path: PathBuf,
    _dir: tempfile::TempDir,
}

fn who() -> Who {
    Who {
        local_user: "alice".into(),
        ssh_from: Some("203.0.113.5".into()),
        scalingo_account: Some("ops".into()),
    }
}

impl Harness {
    /// `start` opened against the demo emulator, recording in a fresh journal at `journal`
    /// (relative to a temp dir).
    async fn open(start_with: Start, journal: &str) -> Harness {
        let emu = Emulator::demo().await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(journal);
        let reach = Reach {
            endpoints: Endpoints::single(emu.base_url()),
            pin: None,
            pinned_urls: false,
            regions_cache: None,
            options: ClientOptions { backoff_base: Duration::from_millis(5), ..ClientOptions::default() },
        };
        let (tx, rx) = unbounded_channel();
        let runner = Runner::headless(reach, Some(SecretString::from(DEMO_API_TOKEN)), tx)
            .unwrap()
            .with_journal(Journal::at(path.clone(), who()));
        let session = Session { start: start_with, token_source: "the test".into(), ..Session::default() };
        let mut h = Harness { emu, state: State::new(session), runner, rx, path, _dir: dir };
        let effects = start(&mut h.state);
        h.perform(effects);
        h.settle().await;
        assert!(h.state.target().is_some(), "opened: {:?}", h.state.status);
        h
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.runner.perform(effect);
        }
    }

    /// Answers messages until nothing is in flight.
    async fn settle(&mut self) {
        while self.state.in_flight > 0 {
            let msg = tokio::time::timeout(Duration::from_secs(20), self.rx.recv()).await.unwrap().unwrap();
            let effects = update(&mut self.state, msg);
            self.perform(effects);
        }
    }

    async fn keys(&mut self, keys: &[KeyCode]) {
        for &code in keys {
            let effects = update(&mut self.state, Msg::Key(KeyEvent::from(code)));
            self.perform(effects);
            self.settle().await;
        }
    }

    async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.keys(&[KeyCode::Char(c)]).await;
        }
    }

    /// Filters the current list down to `text` (so that the row is selected).
    async fn select(&mut self, text: &str) {
        self.keys(&[KeyCode::Esc, KeyCode::Char('/')]).await;
        self.type_text(text).await;
        self.keys(&[KeyCode::Enter]).await;
    }

    fn entries(&self) -> Vec<Entry> {
        journal(&self.path)
    }

    fn no_error(&self) {
        assert!(
            self.state.status.as_ref().is_none_or(|s| s.level != Level::Error),
            "{:?}",
            self.state.status
        );
    }
}

fn journal(path: &Path) -> Vec<Entry> {
    let read = read_entries(path).unwrap();
    assert_eq!(read.skipped, 0, "every line parses");
    read.entries.into_iter().map(|(e, _)| e).collect()
}

/// Each entry as `action target status`.
fn summary(entries: &[Entry]) -> Vec<String> {
    entries.iter().map(|e| format!("{} {} {}", e.action.name(), e.target, e.status())).collect()
}

/// Every entry names who and where; consecutive entries of one change share its id.
fn assert_context(entries: &[Entry], app: &str, addon: &str) {
    for e in entries {
        assert_eq!(e.local_user, "alice");
        assert_eq!(e.ssh_from.as_deref(), Some("203.0.113.5"));
        assert_eq!(e.scalingo_account.as_deref(), Some("ops"));
        assert_eq!((e.region.as_str(), e.app.as_str(), e.addon.as_str()), ("osc-fr1", app, addon), "{e:?}");
        assert_eq!(e.engine.as_deref(), Some("postgresql"));
        assert!(dbdeck::journal::time::parse_utc(&e.time).is_some(), "{}", e.time);
    }
    for pair in entries.chunks(2) {
        assert_eq!(pair[0].event, Event::Intent, "{pair:?}");
        if let Some(outcome) = pair.get(1) {
            assert_eq!((outcome.event, &outcome.id), (Event::Outcome, &pair[0].id), "{pair:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_user_change_writes_its_intent_then_its_outcome() {
    use KeyCode::{Char, Enter, Tab};
    let mut h = Harness::open(Start::app(SHOP_APP, "postgresql"), "state/dbdeck/journal.jsonl").await;
    assert!(h.entries().is_empty(), "opening and reading change nothing");

    h.keys(&[Char('n')]).await;
    h.type_text("journal_user").await;
    h.keys(&[Enter]).await;
    assert!(matches!(h.state.modal, Some(Modal::Reveal(_))), "{:?}", h.state.status);
    h.keys(&[Enter]).await;
    h.select("journal_user").await;
    h.keys(&[Char('s')]).await;
    h.type_text("Chosen_pw_0123456789_abcdef").await;
    h.keys(&[Tab]).await;
    h.type_text("Chosen_pw_0123456789_abcdef").await;
    h.keys(&[Enter]).await;
    // The box offering a connection URL with the typed password; Enter closes it.
    assert!(matches!(&h.state.modal, Some(Modal::Reveal(r)) if r.chosen), "{:?}", h.state.status);
    h.keys(&[Enter]).await;
    h.keys(&[Char('p')]).await;
    h.type_text("journal_user").await;
    h.keys(&[Enter, Enter]).await;
    h.keys(&[Char('d')]).await;
    h.type_text("journal_user").await;
    h.keys(&[Enter]).await;
    h.no_error();
    // A refusal: deleting a user that does not exist (sent directly: the UI only offers listed
    // users).
    h.perform(vec![Effect::Users(UsersEffect::Delete {
        id: 999,
        target: h.state.target().cloned().unwrap(),
        name: "no_such_user".into(),
    })]);
    let _ = tokio::time::timeout(Duration::from_secs(10), h.rx.recv()).await.unwrap();

    let entries = h.entries();
    assert_eq!(
        summary(&entries),
        [
            "create_user journal_user intent",
            "create_user journal_user done",
            "set_password journal_user intent",
            "set_password journal_user done",
            "reset_password journal_user intent",
            "reset_password journal_user done",
            "delete_user journal_user intent",
            "delete_user journal_user done",
            "delete_user no_such_user intent",
            "delete_user no_such_user refused",
        ]
    );
    assert_context(&entries, SHOP_APP, PG_ADDON);
    let refused = &entries[9];
    assert!(refused.reason.as_deref().is_some_and(|r| r.contains("HTTP 404")), "{refused:?}");
    assert!(refused.request_id.is_some(), "the platform's request id: {refused:?}");
    let text = std::fs::read_to_string(&h.path).unwrap();
    assert!(!text.contains("Chosen_pw_0123456789_abcdef"), "no password in the journal");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feature_changes_and_a_lost_answer_settled_by_the_next_read() {
    use KeyCode::{Char, Enter};
    let mut h = Harness::open(Start::app(SHOP_APP, "postgresql"), "journal.jsonl").await;
    h.keys(&[Char('3')]).await;
    // Internet accessibility (TLS is already enforced in the seed), then off again.
    h.keys(&[Char('i'), Enter]).await;
    h.keys(&[Char('i'), Enter]).await;
    h.no_error();
    // A 503 on the next enable: unknown, and the poll that follows reads it as not made.
    let features = format!("/api/databases/{PG_ADDON}/features");
    h.emu
        .fault(json!({"method": "POST", "path": features, "action": {"kind": "status", "status": 503}}))
        .await;
    h.keys(&[Char('i'), Enter]).await;

    let entries = h.entries();
    assert_eq!(
        summary(&entries),
        [
            "enable_feature publicly-available intent",
            "enable_feature publicly-available done",
            "disable_feature publicly-available intent",
            "disable_feature publicly-available done",
            "enable_feature publicly-available intent",
            "enable_feature publicly-available unknown",
            "enable_feature publicly-available settled: not done",
        ]
    );
    assert_context(&entries[..6], SHOP_APP, PG_ADDON);
    let (unknown, settled) = (&entries[5], &entries[6]);
    assert_eq!((settled.event, settled.outcome), (Event::Settled, Some(Outcome::NotDone)));
    assert!(unknown.id == settled.id && unknown.id == entries[4].id);
    assert!(unknown.reason.as_deref().is_some_and(|r| r.contains("503")), "{unknown:?}");
    assert!(settled.reason.as_deref().is_some_and(|r| r.contains("disabled")), "{settled:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_create_answer_is_settled_done_by_the_reconciling_list() {
    use KeyCode::{Char, Enter};
    let mut h = Harness::open(Start::app(SHOP_APP, "postgresql"), "journal.jsonl").await;
    let users = format!("/api/databases/{PG_ADDON}/users");
    h.emu.fault(json!({"method": "POST", "path": users, "action": {"kind": "drop_after"}})).await;
    h.keys(&[Char('n')]).await;
    h.type_text("lost_answer").await;
    h.keys(&[Enter]).await;
    assert!(h.state.unsettled().is_none(), "the list was read again");

    let entries = h.entries();
    assert_eq!(
        summary(&entries),
        [
            "create_user lost_answer intent",
            "create_user lost_answer unknown",
            "create_user lost_answer settled: done"
        ]
    );
    assert!(entries.iter().all(|e| e.id == entries[0].id));
    assert_eq!(entries[2].reason.as_deref(), Some("the user list shows lost_answer"));
    assert_eq!(h.emu.hits("POST", &users).await.len(), 1, "sent once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn firewall_rules_added_deleted_and_one_lost_on_the_way() {
    use KeyCode::{Char, Enter, Tab};
    let mut h = Harness::open(Start::Database(DR_APP.into()), "journal.jsonl").await;
    h.keys(&[Char('3'), Char('n')]).await;
    h.type_text("198.51.100.0/24").await;
    h.keys(&[Tab]).await;
    h.type_text("office").await;
    h.keys(&[Enter]).await;
    h.no_error();
    h.select("198.51.100.0").await;
    h.keys(&[Char('d')]).await;
    h.type_text("198.51.100.0/24").await;
    h.keys(&[Enter]).await;
    h.no_error();
    // Closed before it was handled: unknown, then the list shows it was not added.
    let rules = format!("/api/databases/{DR_ADDON}/firewall_rules");
    h.emu.fault(json!({"method": "POST", "path": rules, "action": {"kind": "drop_before"}})).await;
    h.keys(&[KeyCode::Esc, Char('n')]).await;
    h.type_text("192.0.2.1/32").await;
    h.keys(&[Enter]).await;

    let entries = h.entries();
    assert_eq!(
        summary(&entries),
        [
            "add_firewall_rule 198.51.100.0/24 intent",
            "add_firewall_rule 198.51.100.0/24 done",
            "delete_firewall_rule 198.51.100.0/24 intent",
            "delete_firewall_rule 198.51.100.0/24 done",
            "add_firewall_rule 192.0.2.1/32 intent",
            "add_firewall_rule 192.0.2.1/32 unknown",
            "add_firewall_rule 192.0.2.1/32 settled: not done",
        ]
    );
    assert_context(&entries[..6], DR_APP, DR_ADDON);
    assert_eq!(entries[0].label.as_deref(), Some("office"));
    assert_eq!(entries[6].reason.as_deref(), Some("the rule list does not show 192.0.2.1/32"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rule_label_edited_then_one_lost_on_the_way() {
    use KeyCode::{Char, Enter};
    let mut h = Harness::open(Start::Database(DR_APP.into()), "journal.jsonl").await;
    h.keys(&[Char('3')]).await;
    h.select("203.0.113.0").await;
    h.keys(&[Char('l')]).await;
    h.type_text(" HQ").await;
    h.keys(&[Enter]).await;
    h.no_error();
    // Closed before it was handled: unknown, then the list shows the label did not change.
    let rule = format!("/api/databases/{DR_ADDON}/firewall_rules/{DR_CUSTOM_RULE}");
    h.emu.fault(json!({"method": "PATCH", "path": rule, "action": {"kind": "drop_before"}})).await;
    h.keys(&[Char('l')]).await;
    h.type_text("2").await;
    h.keys(&[Enter]).await;

    let entries = h.entries();
    assert_eq!(
        summary(&entries),
        [
            "label_firewall_rule 203.0.113.0/24 intent",
            "label_firewall_rule 203.0.113.0/24 done",
            "label_firewall_rule 203.0.113.0/24 intent",
            "label_firewall_rule 203.0.113.0/24 unknown",
            "label_firewall_rule 203.0.113.0/24 settled: not done",
        ]
    );
    assert_context(&entries[..4], DR_APP, DR_ADDON);
    assert_eq!(entries[0].label.as_deref(), Some("Office VPN HQ"), "the new label");
    assert_eq!(entries[2].label.as_deref(), Some("Office VPN HQ2"));
    assert!(entries[4].reason.as_deref().is_some_and(|r| r.contains("Office VPN HQ")), "{:?}", entries[4]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_that_cannot_be_written_refuses_the_change_and_sends_nothing() {
    use KeyCode::{Char, Enter};
    // The journal's directory is a regular file: no one, root included, can create it.
    let mut h = Harness::open(Start::app(SHOP_APP, "postgresql"), "blocked/journal.jsonl").await;
    std::fs::write(h.path.parent().unwrap(), "a file where the directory should be").unwrap();
    h.emu.clear_log().await;
    h.keys(&[Char('n')]).await;
    h.type_text("never_sent").await;
    h.keys(&[Enter]).await;

    let Some(Modal::CreateUser(form)) = &h.state.modal else { panic!("the form stays: {:?}", h.state.modal) };
    let error = form.server_error.as_deref().unwrap_or_default();
    assert!(error.contains("journal") && error.contains("nothing was sent"), "{error}");
    assert_eq!(h.emu.paths().await, Vec::<String>::new(), "no request at all");
    h.keys(&[KeyCode::Esc, KeyCode::Esc, Char('3'), Char('i'), Enter]).await;
    let Some(Modal::Confirm(form)) = &h.state.modal else {
        panic!("the question stays: {:?}", h.state.modal)
    };
    assert!(form.server_error.as_deref().is_some_and(|e| e.contains("nothing was sent")), "{form:?}");
    assert_eq!(h.emu.paths().await, Vec::<String>::new(), "a feature change is refused too");
    assert!(!h.path.exists());
}
