//! An SSH host key that `known_hosts` does not hold: what ssh would check against (`ssh -G`),
//! the keys the server presents (`ssh-keyscan`) and their fingerprints (`ssh-keygen -l`), shown
//! to the operator; recorded, exactly those keys, only when the operator confirms.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use super::tunnel::{Tunnel, cannot_start};

/// Where Scalingo publishes its SSH host keys' fingerprints, said next to the fingerprint.
pub const PUBLISHED_AT: &str = "Scalingo's documentation (doc.scalingo.com, \"SSH host key fingerprints\")";

/// The keys an SSH server presented, for the operator to check, and where they would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKeyOffer {
    /// The SSH host as dbdeck names it (`ssh.osc-fr1.scalingo.com`).
    pub via: String,
    /// `ED25519 SHA256:...`, one per key.
    pub fingerprints: Vec<String>,
    /// The `known_hosts` lines to add.
    pub lines: Vec<String>,
    /// The operator's `known_hosts` (the first `UserKnownHostsFile`).
    pub file: PathBuf,
}

/// Whether ssh refused because it knows no key for the host (not a changed one).
pub(crate) fn is_unknown_key(said: &str) -> bool {
    said.contains("host key is known for") && said.contains("strict checking")
}

/// What the server presents now, with the fingerprints to show.
pub(crate) async fn offer(tunnel: &Tunnel) -> Result<HostKeyOffer, String> {
    let config =
        run("ssh", &[tunnel.options(), vec!["-G".into(), tunnel.destination()]].concat(), None).await?;
    let setting = |name: &str| {
        config.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' '))).map(str::to_owned)
    };
    let hostname = setting("hostname").unwrap_or_else(|| tunnel.via.host.clone());
    let port: u16 = setting("port").and_then(|p| p.parse().ok()).unwrap_or(tunnel.via.port);
    let known_as = setting("hostkeyalias").filter(|a| a != "none").unwrap_or_else(|| hostname.clone());
    let file = setting("userknownhostsfile")
        .and_then(|files| files.split_whitespace().next().map(expand_home))
        .ok_or("ssh -G names no UserKnownHostsFile")?;
    let scan = ["-T", "10", "-p", &port.to_string(), "--", &hostname].map(String::from);
    let scanned = run("ssh-keyscan", &scan, None).await?;
    let pattern = if port == 22 { known_as } else { format!("[{known_as}]:{port}") };
    let lines: Vec<String> = scanned
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split_whitespace().skip(1);
            Some(format!("{pattern} {} {}", parts.next()?, parts.next()?))
        })
        .collect();
    if lines.is_empty() {
        return Err(format!("ssh-keyscan got no key from {hostname} port {port}"));
    }
    let listed =
        run("ssh-keygen", &["-l", "-f", "-"].map(String::from), Some(lines.join("\n") + "\n")).await?;
    // `256 SHA256:abc [host]:port (ED25519)` becomes `ED25519 SHA256:abc`.
    let fingerprints = listed
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let hash = parts.nth(1)?;
            let kind = parts.last()?.trim_matches(|c| c == '(' || c == ')');
            Some(format!("{kind} {hash}"))
        })
        .collect();
    Ok(HostKeyOffer { via: tunnel.via.to_string(), fingerprints, lines, file })
}

/// Appends the offered keys to the operator's `known_hosts`, as ssh would on "yes".
pub fn trust(offer: &HostKeyOffer) -> Result<(), String> {
    let why = |e: std::io::Error| format!("recording the host key in {}: {e}", offer.file.display());
    let mut file = crate::private_file::open_append(&offer.file).map_err(why)?;
    let text: String = offer.lines.iter().map(|l| format!("{l}\n")).collect();
    file.write_all(text.as_bytes()).map_err(why)?;
    tracing::info!(via = %offer.via, file = %offer.file.display(), "SSH host key recorded");
    Ok(())
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// Runs `program args` (with `input` on stdin), its stdout, or why it failed.
async fn run(program: &str, args: &[String], input: Option<String>) -> Result<String, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| cannot_start(program, &e))?;
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        stdin.write_all(input.as_bytes()).await.map_err(|e| format!("{program}: {e}"))?;
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(20), child.wait_with_output())
        .await
        .map_err(|_| format!("{program} did not answer"))?
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{program} failed: {}", said.trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_missing_key_is_offered() {
        let unknown = "No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict \
                       checking.\r\nHost key verification failed.\r\n";
        assert!(is_unknown_key(unknown));
        let changed = "Host key for [127.0.0.1]:2222 has changed and you have requested strict checking.";
        assert!(!is_unknown_key(changed));
        assert!(!is_unknown_key("git@127.0.0.1: Permission denied (publickey)."));
    }
}
