use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::api::{ApiError, DbTarget, Engine, User};

fn db() -> DbTarget {
    DbTarget { region: "osc-fr1".into(), app: "shop-prod".into(), addon_id: "ad-pg".into() }
}

fn who() -> Who {
    Who { local_user: "alice".into(), ssh_from: Some("203.0.113.5".into()), scalingo_account: None }
}

fn lines(path: &std::path::Path) -> Vec<Entry> {
    read_entries(path).unwrap().entries.into_iter().map(|(e, _)| e).collect()
}

#[test]
fn an_intent_and_its_outcome_share_an_id_and_the_context() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/dbdeck/journal.jsonl");
    let journal = Journal::at(path.clone(), who());
    journal.learn_engine("ad-pg", Some(Engine::PostgreSql));
    let pending = journal.intent(&db(), Action::ResetPassword, "app_writer", None).unwrap();
    let refused = ApiError::Http {
        status: 422,
        message: "user is protected".into(),
        fields: vec![],
        request_id: Some("req-9".into()),
    };
    pending.finish::<(), _>(&Err(refused), Check::Password("app_writer".into()));

    let entries = lines(&path);
    assert_eq!(entries.len(), 2);
    let (intent, outcome) = (&entries[0], &entries[1]);
    assert_eq!((intent.event, intent.outcome), (Event::Intent, None));
    assert_eq!((outcome.event, outcome.outcome), (Event::Outcome, Some(Outcome::Refused)));
    assert_eq!(intent.id, outcome.id);
    assert_eq!(intent.id.len(), 16);
    for e in &entries {
        assert_eq!(
            (
                e.local_user.as_str(),
                e.ssh_from.as_deref(),
                e.region.as_str(),
                e.app.as_str(),
                e.addon.as_str()
            ),
            ("alice", Some("203.0.113.5"), "osc-fr1", "shop-prod", "ad-pg")
        );
        assert_eq!(
            (e.engine.as_deref(), e.action, e.target.as_str()),
            (Some("postgresql"), Action::ResetPassword, "app_writer")
        );
        assert!(e.time.ends_with('Z') && time::parse_utc(&e.time).is_some(), "{}", e.time);
    }
    assert_eq!(outcome.request_id.as_deref(), Some("req-9"));
    assert!(outcome.reason.as_deref().unwrap().contains("user is protected"));

    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with('\n') && text.lines().count() == 2, "{text}");
}

#[test]
fn an_unknown_outcome_is_settled_by_the_next_list_of_that_database_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::at(path.clone(), who());
    let lost = ApiError::Network { message: "connection closed: outcome is unknown".into(), sent: true };
    let user =
        |name: &str| User { name: name.into(), read_only: false, protected: false, dbms_attributes: None };

    let before = journal.read_mark("ad-pg");
    let pending = journal.intent(&db(), Action::CreateUser, "new_user", None).unwrap();
    pending.finish::<(), _>(&Err(lost), Check::UserExists("new_user".into()));

    journal.settle_users(&before, &[]);
    journal.settle_users(&journal.read_mark("ad-other"), &[user("new_user")]);
    assert_eq!(lines(&path).len(), 2, "a read asked before, or of another database, settles nothing");
    journal.settle_users(&journal.read_mark("ad-pg"), &[user("new_user")]);
    journal.settle_users(&journal.read_mark("ad-pg"), &[]);
    let entries = lines(&path);
    assert_eq!(entries.iter().map(Entry::status).collect::<Vec<_>>(), ["intent", "unknown", "settled: done"]);
    assert!(entries.iter().all(|e| e.id == entries[0].id));
    assert_eq!(entries[2].reason.as_deref(), Some("the user list shows new_user"));
}

#[test]
fn an_unwritable_journal_refuses_and_a_symlink_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    // A parent that is a regular file: refused even for root.
    let file = dir.path().join("plain");
    std::fs::write(&file, "").unwrap();
    let journal = Journal::at(file.join("journal.jsonl"), who());
    let err = journal.intent(&db(), Action::DeleteUser, "u", None).unwrap_err();
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    assert!(ApiError::from(err).to_string().contains("--no-journal"));

    let target = dir.path().join("elsewhere");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(Journal::at(link, who()).intent(&db(), Action::DeleteUser, "u", None).is_err());
    assert!(!target.exists(), "nothing written through the link");

    // Off: nothing is written and nothing is refused.
    assert!(Journal::off().intent(&db(), Action::DeleteUser, "u", None).is_ok());
}

#[test]
fn the_table_and_the_overlay_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal =
        Journal::at(path.clone(), Who { local_user: "bob".into(), ssh_from: None, scalingo_account: None });
    let other = DbTarget { app: "blog".into(), addon_id: "ad-blog".into(), ..db() };
    let a = journal.intent(&db(), Action::AddFirewallRule, "0.0.0.0/0", Some("every\u{1b}[2Jwhere")).unwrap();
    a.finish::<(), ApiError>(&Ok(()), Check::RuleGone("x".into()));
    let _crashed = journal.intent(&db(), Action::DeleteUser, "gone_user", None).unwrap();
    journal.intent(&other, Action::EnableExtension, "hstore", None).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"{not json\n"))
        .unwrap();

    let read = read_entries(&path).unwrap();
    assert_eq!((read.entries.len(), read.skipped), (4, 1));
    let table = render_table(read.entries.iter().map(|(e, _)| e));
    assert!(table.starts_with("TIME (UTC)"), "{table}");
    assert!(
        table.contains(r"0.0.0.0/0 (every\u{1b}[2Jwhere)"),
        "control characters are shown escaped: {table}"
    );
    assert!(!table.contains('\u{1b}'));
    assert_eq!(table.lines().count(), 5);

    let entries: Vec<Entry> = read.entries.into_iter().map(|(e, _)| e).collect();
    let rows = recent_changes(&entries, "ad-pg", 10);
    let summary: Vec<_> = rows.iter().map(|r| (r.target.as_str(), r.status.as_str())).collect();
    assert_eq!(summary, [("0.0.0.0/0", "done"), ("gone_user", "no outcome recorded")]);
    assert_eq!(recent_changes(&entries, "ad-pg", 1).len(), 1);

    let by_app = Filter { app: Some("blog".into()), since: None };
    assert_eq!(entries.iter().filter(|e| by_app.keeps(e)).count(), 1);
    let future = Filter { app: None, since: Some(i64::MAX) };
    assert_eq!(entries.iter().filter(|e| future.keeps(e)).count(), 0);
}
