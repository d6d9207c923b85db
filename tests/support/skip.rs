//! A test that cannot run here (no tmux, no PostgreSQL cluster, no Xvfb) says so where a person
//! sees it: libtest can only count it as passed, so `scripts/test` collects these lines from
//! `DBDECK_SKIPPED_FILE` and prints them after the run. Under `CI` a missing tool is a failure,
//! since `.ci/run` installs every one.

#![allow(dead_code)]

use std::io::Write as _;

/// Records that the calling test is skipped for `reason`, or panics when `CI` is set.
pub fn skip(reason: &str) {
    assert!(std::env::var_os("CI").is_none(), "cannot run under CI: {reason} (.ci/run installs it)");
    let thread = std::thread::current();
    let test = thread.name().filter(|name| *name != "main").unwrap_or("a test");
    eprintln!("SKIPPED {test}: {reason}");
    let Some(path) = std::env::var_os("DBDECK_SKIPPED_FILE") else { return };
    // One short write per line in append mode: parallel tests never split each other's lines.
    let line = format!("{test}: {reason}\n");
    if let Ok(mut file) = std::fs::OpenOptions::new().append(true).create(true).open(path) {
        let _ = file.write_all(line.as_bytes());
    }
}
