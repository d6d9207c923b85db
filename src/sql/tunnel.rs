//! The SSH tunnel, as Scalingo's CLI reaches a database: the system `ssh` as `git@<region's SSH
//! host>` (the region list's `ssh` entry) with `-W <db host>:<db port>`, its stdin and stdout the byte stream under the
//! PostgreSQL protocol (TLS on top, as on a direct connection). The operator's own
//! `~/.ssh/config`, agent, keys and `known_hosts` apply; an unknown host key is refused
//! (`StrictHostKeyChecking=yes`) and only recorded by [`trust`] after the operator saw it.
//! ssh's stderr is kept for the error shown, never written to the terminal; the child is killed
//! when the connection (or dbdeck) ends.

use std::fmt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, Join};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use super::SqlError;
pub use super::hostkey::{HostKeyOffer, trust};

/// The stream the PostgreSQL protocol runs over: ssh's stdout (read) and stdin (write).
pub(crate) type TunnelIo = Join<ChildStdout, ChildStdin>;

/// How long a failed ssh gets to exit and say why.
const EXIT_WAIT: Duration = Duration::from_secs(5);

/// `--no-tunnel`, `--ssh-identity` and `SCALINGO_SSH_HOST`, fixed for the run.
#[derive(Debug, Clone, Default)]
pub struct SshSettings {
    pub enabled: bool,
    /// `SCALINGO_SSH_HOST`: replaces the region's SSH host.
    pub host: Option<SshHost>,
    pub identity: Option<PathBuf>,
    /// `--demo`: its databases are not on Scalingo; only an explicit host is tunnelled to.
    pub demo: bool,
}

impl SshSettings {
    /// The tunnel to a database of `region`, or `None` when tunnelling is off. `listed` is the
    /// region's SSH host from the region list; without it, the documented name.
    pub fn tunnel(&self, region: &str, listed: Option<&str>) -> Option<Tunnel> {
        if !self.enabled {
            return None;
        }
        let listed = listed.and_then(|text| SshHost::parse(text).ok());
        let via = match (&self.host, listed) {
            (Some(host), _) => host.clone(),
            (None, _) if self.demo => return None,
            (None, Some(listed)) => listed,
            (None, None) => SshHost { host: format!("ssh.{region}.scalingo.com"), port: 22 },
        };
        Some(Tunnel { via, identity: self.identity.clone() })
    }
}

/// An SSH server, `host[:port]` (port 22 by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshHost {
    pub host: String,
    pub port: u16,
}

impl SshHost {
    pub fn parse(text: &str) -> Result<SshHost, String> {
        let text = text.trim();
        let bad = || format!("SCALINGO_SSH_HOST: '{text}' is not host or host:port");
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') || host.ends_with(']') => {
                (host.trim_start_matches('[').trim_end_matches(']'), port.parse().map_err(|_| bad())?)
            }
            _ => (text, 22),
        };
        let plain = |c: char| c.is_ascii_alphanumeric() || ".-_:".contains(c);
        if host.is_empty() || host.starts_with('-') || !host.chars().all(plain) {
            return Err(bad());
        }
        Ok(SshHost { host: host.to_owned(), port })
    }
}

impl fmt::Display for SshHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            22 => write!(f, "{}", self.host),
            port => write!(f, "{}:{port}", self.host),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tunnel {
    pub via: SshHost,
    pub identity: Option<PathBuf>,
}

impl Tunnel {
    /// The arguments of `ssh` (after the program name) that forward to `host:port`.
    pub fn args(&self, host: &str, port: u16) -> Vec<String> {
        let mut args = self.options();
        args.extend(["-W".into(), forward_target(host, port), self.destination()]);
        args
    }

    /// What every ssh run for this tunnel shares (also `ssh -G`'s).
    pub(crate) fn options(&self) -> Vec<String> {
        let mut args: Vec<String> = ["-T", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
            .into_iter()
            .map(String::from)
            .collect();
        for option in ["ClearAllForwardings=yes", "ControlMaster=no", "ConnectTimeout=10", "LogLevel=ERROR"] {
            args.extend(["-o".into(), option.into()]);
        }
        args.extend(["-p".into(), self.via.port.to_string()]);
        if let Some(identity) = &self.identity {
            args.extend([
                "-i".into(),
                identity.display().to_string(),
                "-o".into(),
                "IdentitiesOnly=yes".into(),
            ]);
        }
        args
    }

    pub(crate) fn destination(&self) -> String {
        format!("git@{}", self.via.host)
    }

    /// Starts ssh. Its stderr is collected in the background for [`Opened::failure`].
    pub(crate) fn open(&self, host: &str, port: u16) -> Result<Opened, SqlError> {
        let mut child = Command::new("ssh")
            .args(self.args(host, port))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| self.error(cannot_start("ssh", &e)))?;
        let (Some(stdout), Some(stdin), Some(mut stderr)) =
            (child.stdout.take(), child.stdin.take(), child.stderr.take())
        else {
            return Err(self.error("ssh started without its pipes".into()));
        };
        let said = Arc::new(Mutex::new(Vec::new()));
        let sink = said.clone();
        let reader = tokio::spawn(async move {
            let mut buf = [0u8; 1024];
            while let Ok(n @ 1..) = stderr.read(&mut buf).await {
                let mut said = sink.lock().unwrap_or_else(|e| e.into_inner());
                if said.len() < 16 * 1024 {
                    said.extend_from_slice(&buf[..n]);
                }
            }
        });
        tracing::info!(via = %self.via, to = %forward_target(host, port), "SSH tunnel started");
        Ok(Opened { io: tokio::io::join(stdout, stdin), child: TunnelChild { child, said, reader } })
    }

    pub(crate) fn error(&self, detail: String) -> SqlError {
        SqlError::Tunnel { via: self.via.to_string(), detail }
    }
}

/// `host:port` for `-W`, an IPv6 address in brackets.
fn forward_target(host: &str, port: u16) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

/// Why `program` (one of OpenSSH's) did not start.
pub(crate) fn cannot_start(program: &str, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        format!("the {program} program is not installed (apt-get install openssh-client)")
    } else {
        format!("cannot start {program}: {e}")
    }
}

pub(crate) struct Opened {
    pub io: TunnelIo,
    pub child: TunnelChild,
}

/// The running ssh: killed when dropped.
pub(crate) struct TunnelChild {
    child: Child,
    said: Arc<Mutex<Vec<u8>>>,
    /// Reads `said` until ssh's stderr closes.
    reader: tokio::task::JoinHandle<()>,
}

impl TunnelChild {
    /// Why the tunnel failed, when ssh ended (or ends soon) with an error; else `fallback`, the
    /// error seen on the PostgreSQL side.
    pub(crate) async fn failure(mut self, tunnel: &Tunnel, fallback: SqlError) -> SqlError {
        let status = tokio::time::timeout(EXIT_WAIT, self.child.wait()).await;
        let Ok(Ok(status)) = status else { return fallback };
        // Everything ssh wrote, up to its stderr's end (a program of its ProxyCommand could
        // hold it open: not for long).
        let _ = tokio::time::timeout(Duration::from_secs(2), &mut self.reader).await;
        let said = String::from_utf8_lossy(&self.said.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
        if status.success() && said.trim().is_empty() {
            return fallback;
        }
        if super::hostkey::is_unknown_key(&said) {
            return match super::hostkey::offer(tunnel).await {
                Ok(offer) => SqlError::UnknownHostKey(Box::new(offer)),
                Err(why) => tunnel.error(format!("{} ({why})", summary(&said))),
            };
        }
        let detail = match summary(&said) {
            text if text.is_empty() => format!("ssh ended ({status})"),
            text => text,
        };
        tunnel.error(detail)
    }
}

/// ssh's message on one line, the `@` of its banners left out. A long one keeps its first line
/// and as many of its last ones (the verdict) as fit in about 400 bytes.
fn summary(said: &str) -> String {
    let lines: Vec<&str> = said
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '@' || c.is_whitespace()))
        .filter(|l| !l.is_empty())
        .collect();
    let whole = lines.join(" ");
    let Some((first, rest)) = lines.split_first() else { return whole };
    if whole.len() <= 400 {
        return whole;
    }
    let mut tail: Vec<&str> = vec![];
    let mut room = 400usize.saturating_sub(first.len());
    for line in rest.iter().rev() {
        if line.len() + 1 > room {
            break;
        }
        room -= line.len() + 1;
        tail.insert(0, line);
    }
    format!("{first} ... {}", tail.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_host_parses_like_the_cli_variable() {
        let host = |h: &str, port| SshHost { host: h.into(), port };
        assert_eq!(SshHost::parse("ssh.osc-fr1.scalingo.com:22"), Ok(host("ssh.osc-fr1.scalingo.com", 22)));
        assert_eq!(SshHost::parse("bastion"), Ok(host("bastion", 22)));
        assert_eq!(SshHost::parse("127.0.0.1:2222"), Ok(host("127.0.0.1", 2222)));
        assert_eq!(SshHost::parse("[::1]:2222"), Ok(host("::1", 2222)));
        assert_eq!(host("x", 2222).to_string(), "x:2222");
        for bad in ["", "-oProxyCommand=x", "h:notaport", "h st", "h:99999"] {
            assert!(SshHost::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_command_refuses_unknown_keys_and_names_the_database() {
        let tunnel = Tunnel {
            via: SshHost { host: "ssh.osc-fr1.scalingo.com".into(), port: 22 },
            identity: Some("/k/id".into()),
        };
        let args = tunnel.args("db.internal", 33517).join(" ");
        for part in [
            "-o BatchMode=yes",
            "-o StrictHostKeyChecking=yes",
            "-p 22",
            "-i /k/id -o IdentitiesOnly=yes",
            "-W db.internal:33517 git@ssh.osc-fr1.scalingo.com",
        ] {
            assert!(args.contains(part), "{part} in {args}");
        }
        assert!(args.ends_with("git@ssh.osc-fr1.scalingo.com"), "{args}");
    }

    #[test]
    fn the_region_names_the_host_unless_set_or_off() {
        let mut settings = SshSettings { enabled: true, ..SshSettings::default() };
        assert_eq!(settings.tunnel("osc-fr1", None).unwrap().via.to_string(), "ssh.osc-fr1.scalingo.com");
        let listed = settings.tunnel("osc-fr1", Some("ssh.example.com:2200")).unwrap();
        assert_eq!(listed.via.to_string(), "ssh.example.com:2200", "the region list's host and port");
        settings.demo = true;
        assert_eq!(
            settings.tunnel("osc-fr1", Some("ssh.example.com:22")),
            None,
            "the demo never reaches Scalingo"
        );
        settings.host = Some(SshHost { host: "127.0.0.1".into(), port: 2222 });
        assert_eq!(
            settings.tunnel("osc-fr1", Some("ssh.example.com:22")).unwrap().via.to_string(),
            "127.0.0.1:2222"
        );
        settings.enabled = false;
        assert_eq!(settings.tunnel("osc-fr1", None), None);
    }

    #[test]
    fn a_long_message_keeps_its_first_line_and_its_verdict() {
        let mut said = String::from("@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @\n");
        for _ in 0..20 {
            said.push_str("Someone could be eavesdropping on you right now!\n");
        }
        said.push_str("Host key verification failed.\n");
        let text = summary(&said);
        assert!(text.starts_with("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! ... Someone"), "{text}");
        assert!(text.ends_with("Host key verification failed.") && text.len() < 450, "{text}");
    }

    #[test]
    fn the_summary_keeps_ssh_words_without_banners() {
        let said = "@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n@@@@@@\r\n\
                    Host key for [127.0.0.1]:2222 has changed and you have requested strict checking.\r\n\
                    Host key verification failed.\r\n";
        assert_eq!(
            summary(said),
            "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! Host key for [127.0.0.1]:2222 has changed and you have requested strict checking. Host key verification failed."
        );
    }
}
