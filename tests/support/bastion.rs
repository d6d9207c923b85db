//! dbdeck against the emulator, its database URLs naming the test databases by a name only the
//! test sshd resolves (`support::ssh`), so that every byte goes through the SSH tunnel.

#![allow(dead_code)]

use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig};

use super::emulator::Emulator;
use super::pg::Pg;
use super::ssh::{Sshd, client};
use super::tmux::{Tmux, cmdline};

/// The demo's account, with shop-prod's `variables` set (its database URLs).
pub fn emulator(runtime: &tokio::runtime::Runtime, variables: &[(&str, String)]) -> Emulator {
    let mut config = EmulatorConfig::demo();
    let app = config.seed.apps.iter_mut().find(|a| a.name == "shop-prod").unwrap();
    for (name, value) in variables {
        let variable = app.variables.iter_mut().find(|v| v.name == *name).unwrap();
        variable.value = value.clone();
    }
    runtime.block_on(Emulator::start(config))
}

/// The test cluster's `db` by the name only sshd resolves.
pub fn pg_url(pg: &Pg, sshd: &Sshd, db: &str) -> String {
    format!("postgres://{}:{}@{}:{}/{db}?sslmode=require", pg.user, pg.password, sshd.db_host, pg.port)
}

/// dbdeck on shop-prod through `sshd`, its ssh set up in `home` (plus `args`).
pub fn start(emu: &Emulator, sshd: &Sshd, home: &std::path::Path, args: &[&str]) -> Tmux {
    let path = client(home);
    launch(emu, sshd, home, args, &path)
}

/// As [`start`] with `path` as PATH (the ssh wrapper is made in `home/bin` still).
pub fn start_with_path(emu: &Emulator, sshd: &Sshd, home: &std::path::Path, path: &str) -> Tmux {
    client(home);
    launch(emu, sshd, home, &[], path)
}

fn launch(emu: &Emulator, sshd: &Sshd, home: &std::path::Path, args: &[&str], path: &str) -> Tmux {
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    let ssh_host = sshd.host();
    let home_text = home.display().to_string();
    let env = [
        ("HOME", home_text.as_str()),
        ("PATH", path),
        ("SCALINGO_AUTH_URL", base.as_str()),
        ("SCALINGO_API_TOKEN", DEMO_API_TOKEN),
        ("SCALINGO_SSH_HOST", ssh_host.as_str()),
        ("SSH_AUTH_SOCK", sshd.auth_sock.as_str()),
    ];
    let journal = home.join("journal.jsonl");
    let mut all = vec!["--app", "shop-prod", "--journal", journal.to_str().unwrap()];
    all.extend_from_slice(args);
    Tmux::start(&all, &env, 200, 40)
}

/// A home whose known_hosts already holds the test server's key.
pub fn trusting_home(sshd: &Sshd) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("known_hosts"), sshd.known_hosts_line()).unwrap();
    home
}

/// The ssh processes dbdeck runs now (children of any of its threads).
pub fn ssh_children(tmux: &Tmux) -> Vec<String> {
    let tasks = std::fs::read_dir(format!("/proc/{}/task", tmux.pid())).unwrap();
    let children = tasks.flatten().flat_map(|task| {
        let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        text.split_whitespace().filter_map(|c| c.parse::<u32>().ok()).collect::<Vec<_>>()
    });
    children.map(cmdline).filter(|c| c.contains("ssh")).collect()
}
