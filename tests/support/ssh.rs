//! The throwaway OpenSSH server that `scripts/test` starts as root (scripts/lib/sshd.sh), as the
//! tests see it through `DBDECK_TEST_SSH_*`, and a client set-up of the test's own: an `ssh`
//! first on PATH that adds `-F` with a config naming the test's `known_hosts`, so nothing of
//! the machine's `~/.ssh` is read or written.

#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Sshd {
    pub port: u16,
    pub auth_sock: String,
    pub host_key: PathBuf,
    pub wrong_key: PathBuf,
    pub log: PathBuf,
    /// The database's name as only sshd resolves it.
    pub db_host: String,
}

/// The server, or `None` (with a notice) when the tests run without it.
pub fn sshd() -> Option<Sshd> {
    let var = |name: &str| std::env::var(format!("DBDECK_TEST_SSH_{name}")).ok();
    let Some(port) = var("PORT") else {
        super::skip::skip("no test sshd (scripts/test starts one when run as root)");
        return None;
    };
    Some(Sshd {
        port: port.parse().expect("DBDECK_TEST_SSH_PORT is a port"),
        auth_sock: var("AUTH_SOCK").expect("DBDECK_TEST_SSH_AUTH_SOCK"),
        host_key: var("HOST_KEY").expect("DBDECK_TEST_SSH_HOST_KEY").into(),
        wrong_key: var("WRONG_KEY").expect("DBDECK_TEST_SSH_WRONG_KEY").into(),
        log: var("LOG").expect("DBDECK_TEST_SSH_LOG").into(),
        db_host: var("DB_HOST").expect("DBDECK_TEST_SSH_DB_HOST"),
    })
}

impl Sshd {
    /// `SCALINGO_SSH_HOST` for this server.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The server's host key as a `known_hosts` line.
    pub fn known_hosts_line(&self) -> String {
        let key = std::fs::read_to_string(&self.host_key).unwrap();
        let mut parts = key.split_whitespace();
        format!("[127.0.0.1]:{} {} {}\n", self.port, parts.next().unwrap(), parts.next().unwrap())
    }

    /// The host key's fingerprint, `SHA256:...`, as ssh-keygen prints it.
    pub fn fingerprint(&self) -> String {
        let out = Command::new("ssh-keygen").arg("-lf").arg(&self.host_key).output().unwrap();
        String::from_utf8_lossy(&out.stdout).split_whitespace().nth(1).unwrap().to_owned()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A client set-up in `dir`: `dir/bin/ssh` wraps the system ssh with `-F dir/config`, whose
/// `known_hosts` is `dir/known_hosts`. Returns the PATH to give dbdeck.
pub fn client(dir: &Path) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "UserKnownHostsFile {}\nGlobalKnownHostsFile /dev/null\nHashKnownHosts no\n",
            dir.join("known_hosts").display()
        ),
    )
    .unwrap();
    let wrapper = bin.join("ssh");
    std::fs::write(&wrapper, format!("#!/bin/sh\nexec /usr/bin/ssh -F '{}' \"$@\"\n", config.display()))
        .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}
