//! The journal outside one dbdeck: `dbdeck journal` (the real binary) filters by app and time
//! and prints the lines as written with `--json`; writers in separate processes sharing one
//! journal interleave whole lines only; the demo's temporary journal is gone after it exits.

mod support;

use std::path::Path;
use std::process::Command;

use dbdeck::api::DbTarget;
use dbdeck::journal::{Action, Check, Journal, Who, read_entries};
use support::tmux::{Tmux, available};

const DBDECK: &str = env!("CARGO_BIN_EXE_dbdeck");

fn line(time: &str, id: &str, app: &str, action: &str, target: &str, event: &str) -> String {
    let outcome = if event == "intent" { String::new() } else { format!(r#","outcome":"{event}""#) };
    let event = if event == "intent" { "intent" } else { "outcome" };
    format!(
        r#"{{"time":"{time}","id":"{id}","event":"{event}"{outcome},"local_user":"bob","ssh_from":"198.51.100.7","region":"osc-fr1","app":"{app}","addon":"ad-1","engine":"postgresql","action":"{action}","target":"{target}"}}"#
    )
}

fn journal(path: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(DBDECK).arg("journal").arg("--journal").arg(path).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn dbdeck_journal_filters_by_app_and_time_and_prints_json_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let now = dbdeck::journal::time::rfc3339(std::time::SystemTime::now());
    let lines = [
        line("2026-11-17T09:00:00.000Z", "aaaa0001", "shop-prod", "reset_password", "shop_prod_rw", "intent"),
        line("2026-11-17T09:00:01.000Z", "aaaa0001", "shop-prod", "reset_password", "shop_prod_rw", "done"),
        line("2026-11-20T12:00:00.000Z", "bbbb0002", "orders-db", "add_firewall_rule", "0.0.0.0/0", "intent"),
        line(
            "2026-11-20T12:00:00.500Z",
            "bbbb0002",
            "orders-db",
            "add_firewall_rule",
            "0.0.0.0/0",
            "refused",
        ),
        line(&now, "cccc0003", "shop-prod", "delete_user", "old_user", "intent"),
    ];
    std::fs::write(&path, lines.join("\n") + "\n" + "a line of another kind\n").unwrap();

    let (table, stderr) = journal(&path, &[]);
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 6, "a header and five rows, newest last:\n{table}");
    assert!(rows[0].starts_with("TIME (UTC)") && rows[0].contains("ACTION"), "{table}");
    assert!(
        rows[1].starts_with("2026-11-17 09:00:00  aaaa0001  bob from 198.51.100.7  shop-prod"),
        "{table}"
    );
    assert!(
        rows[2].contains("reset_password") && rows[2].contains("shop_prod_rw") && rows[2].contains("done")
    );
    assert!(rows[5].contains("delete_user") && rows[5].contains("intent"));
    assert!(stderr.contains("1 line(s)"), "the unreadable line is counted: {stderr}");

    let (by_app, _) = journal(&path, &["--app", "orders-db"]);
    assert_eq!(by_app.lines().count(), 3, "{by_app}");
    assert!(by_app.lines().skip(1).all(|l| l.contains("orders-db") && l.contains("0.0.0.0/0")), "{by_app}");
    assert!(by_app.contains("refused"));

    let (since_date, _) = journal(&path, &["--since", "2026-11-18"]);
    assert_eq!(since_date.lines().count(), 4, "{since_date}");
    let (since_age, _) = journal(&path, &["--since", "1h", "--app", "shop-prod"]);
    assert_eq!(since_age.lines().count(), 2, "{since_age}");
    assert!(since_age.contains("old_user"));

    let (json, _) = journal(&path, &["--json", "--app", "shop-prod"]);
    assert_eq!(json, format!("{}\n{}\n{}\n", lines[0], lines[1], lines[4]), "the lines as written");
    let (json_time, _) = journal(&path, &["--json", "--since", "2026-11-20T12:00:00.200Z"]);
    assert_eq!(json_time, format!("{}\n{}\n", lines[3], lines[4]));

    let out = Command::new(DBDECK)
        .args(["journal", "--since", "last tuesday", "--journal"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"), "{out:?}");
}

/// Appends `count` intents with a long label to `path`, from this process.
fn write_many(path: &Path, tag: &str, count: usize) {
    let journal =
        Journal::at(path.to_owned(), Who { local_user: tag.into(), ssh_from: None, scalingo_account: None });
    let db = DbTarget { region: "osc-fr1".into(), app: "shop-prod".into(), addon_id: "ad-1".into() };
    // Lines of several kilobytes: a write that was not one whole line would show.
    let label = tag.repeat(3000 / tag.len());
    for i in 0..count {
        let pending = journal
            .intent(&db, Action::AddFirewallRule, &format!("10.0.{}.0/24", i % 250), Some(&label))
            .unwrap();
        pending.finish::<(), dbdeck::api::ApiError>(&Ok(()), Check::RuleGone(String::new()));
    }
}

/// Run by the test below in child processes (`DBDECK_TEST_WRITER`), never on its own.
#[test]
#[ignore = "a child process of concurrent_processes_interleave_whole_lines_only"]
fn journal_writer_child() {
    if let (Ok(path), Ok(tag)) = (std::env::var("DBDECK_TEST_WRITER"), std::env::var("DBDECK_TEST_TAG")) {
        write_many(Path::new(&path), &tag, 200);
    }
}

#[test]
fn concurrent_processes_interleave_whole_lines_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared/journal.jsonl");
    let children: Vec<_> = ["writer-a", "writer-b", "writer-c"]
        .iter()
        .map(|tag| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "journal_writer_child", "--ignored", "--test-threads=1"])
                .env("DBDECK_TEST_WRITER", &path)
                .env("DBDECK_TEST_TAG", tag)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    // And this process at the same time.
    write_many(&path, "writer-p", 200);
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let read = read_entries(&path).unwrap();
    assert_eq!(read.skipped, 0, "every line is whole");
    assert_eq!(read.entries.len(), 4 * 200 * 2, "no line lost");
    assert_eq!(text.lines().count(), read.entries.len());
    for (entry, _) in &read.entries {
        let label = entry.label.as_deref().unwrap();
        assert!(label.len() > 2900 && label.starts_with(&entry.local_user), "a line mixing writers");
    }
    for tag in ["writer-a", "writer-b", "writer-c", "writer-p"] {
        let mine: Vec<_> = read.entries.iter().filter(|(e, _)| e.local_user == tag).collect();
        assert_eq!(mine.len(), 400, "{tag}");
    }
}

#[test]
fn the_demo_journal_is_temporary_and_gone_after_exit() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().to_str().unwrap();
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[("TMPDIR", tmpdir)], 100, 30);
    tmux.wait_text("app_reporting");
    tmux.keys(&["3", "i"]);
    tmux.wait_text("reachable from the Internet");
    tmux.keys(&["Enter"]);
    // The question closes once the platform answered; then J is a key of the tab again.
    tmux.wait_for("the answer", |s| !s.contains("reachable from the Internet"));
    tmux.keys(&["J"]);
    tmux.wait_text("enable_feature publicly-available");
    let during: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(during.len(), 1, "one private directory: {during:?}");
    tmux.keys(&["q"]);
    tmux.wait_for("the overlay to close", |s| !s.contains("Journal: changes"));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    let after: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(after.is_empty(), "the demo left {after:?}");
}
