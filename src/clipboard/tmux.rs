//! The paste buffers tmux keeps of what we copy through it.
//!
//! With `set -g set-clipboard on`, tmux stores every OSC 52 copy as a paste buffer, and no OSC 52
//! sequence removes one (it ignores a payload that is empty or not base64, and a valid one only
//! adds a buffer). So when dbdeck runs inside tmux on this host (`$TMUX` names the server's
//! socket), the clear asks that server directly: list the buffers, read only those whose size is
//! that of a password we copied, compare a keyed hash of the content, and delete the matches.
//! Nothing else is touched; no content is ever printed or logged.
//!
//! Every `tmux` client runs with a deadline (killed when it passes), stdin closed, stderr
//! discarded, and its output read into a `Zeroizing` buffer of bounded size.

use std::collections::hash_map::RandomState;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::hash::BuildHasher;
use std::io::{self, Read};
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

/// The listing is names and sizes only; this is far more than tmux's 50 automatic buffers need.
const LIST_CAP: usize = 1 << 20;
/// How often a finished client is looked for once its output has ended.
const POLL: Duration = Duration::from_millis(2);

/// The tmux server dbdeck runs under, by its socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    socket: PathBuf,
}

impl Server {
    /// From the value of `$TMUX` (`socket,server-pid,session`); `None` when it names no socket.
    pub fn from_tmux_var(value: &OsStr) -> Option<Server> {
        let bytes = value.as_bytes();
        // tmux itself cuts the variable at the first comma.
        let socket = &bytes[..bytes.iter().position(|&b| b == b',').unwrap_or(bytes.len())];
        (!socket.is_empty()).then(|| Server { socket: PathBuf::from(OsStr::from_bytes(socket)) })
    }

    /// From this process's `$TMUX`.
    pub fn from_env() -> Option<Server> {
        std::env::var_os("TMUX").and_then(|value| Server::from_tmux_var(&value))
    }
}

/// Fingerprints (length and keyed hash) of the passwords copied through tmux, not yet cleared.
/// The key is random per set, so a fingerprint is useless outside this process.
#[derive(Default)]
pub struct Copies {
    hasher: RandomState,
    held: Vec<(usize, u64)>,
}

impl Copies {
    pub fn add(&mut self, secret: &[u8]) {
        let fingerprint = (secret.len(), self.hasher.hash_one(secret));
        if !self.held.contains(&fingerprint) {
            self.held.push(fingerprint);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    fn wants_size(&self, size: usize) -> bool {
        self.held.iter().any(|&(len, _)| len == size)
    }

    /// Whether `content` is one of the copied passwords.
    fn matches(&self, content: &[u8]) -> bool {
        self.wants_size(content.len()) && {
            let hash = self.hasher.hash_one(content);
            self.held.iter().any(|&(len, held)| len == content.len() && held == hash)
        }
    }
}

/// What a clear did to tmux's buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Buffers holding a copied password, deleted.
    pub deleted: usize,
    /// Every buffer was listed and every candidate checked; when false, some may remain.
    pub complete: bool,
}

impl Outcome {
    /// Nothing could be checked.
    pub const UNKNOWN: Outcome = Outcome { deleted: 0, complete: false };
}

/// Deletes the buffers of `server` whose content is one of `copies`, within `budget`.
pub fn clear(server: &Server, copies: &Copies, budget: Duration) -> Outcome {
    let deadline = Instant::now() + budget;
    let mut outcome = Outcome { deleted: 0, complete: true };
    if copies.is_empty() {
        return outcome;
    }
    let listing =
        match run(server, &["list-buffers", "-F", "#{buffer_size} #{buffer_name}"], LIST_CAP, deadline) {
            Ok(listing) => listing,
            Err(failure) => {
                tracing::warn!(%failure, "could not list the tmux paste buffers");
                return Outcome::UNKNOWN;
            }
        };
    for (size, name) in candidates(&listing, copies) {
        let show = [OsStr::new("show-buffer"), OsStr::new("-b"), name.as_os_str()];
        match run(server, &show, size + 1, deadline) {
            Ok(content) if copies.matches(&content) => {}
            // Changed or grew since the listing: not ours.
            Ok(_) | Err(Failure::TooLong) => continue,
            Err(failure) => {
                tracing::warn!(%failure, "could not read a tmux paste buffer");
                outcome.complete = false;
                continue;
            }
        }
        match run(server, &[OsStr::new("delete-buffer"), OsStr::new("-b"), name.as_os_str()], 0, deadline) {
            Ok(_) => outcome.deleted += 1,
            Err(failure) => {
                tracing::warn!(%failure, "could not delete a tmux paste buffer");
                outcome.complete = false;
            }
        }
    }
    tracing::info!(deleted = outcome.deleted, complete = outcome.complete, "tmux paste buffers cleared");
    outcome
}

/// The buffers in a `#{buffer_size} #{buffer_name}` listing whose size is that of a copy.
fn candidates(listing: &[u8], copies: &Copies) -> Vec<(usize, OsString)> {
    listing
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let space = line.iter().position(|&b| b == b' ')?;
            let size = std::str::from_utf8(&line[..space]).ok()?.parse().ok()?;
            let name = &line[space + 1..];
            (copies.wants_size(size) && !name.is_empty()).then(|| (size, OsString::from_vec(name.to_vec())))
        })
        .collect()
}

/// Why a tmux client gave no answer.
#[derive(Debug)]
enum Failure {
    Spawn(io::Error),
    Read(io::Error),
    TooLong,
    Timeout,
    Status(ExitStatus),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spawn(err) => write!(f, "cannot run tmux: {err}"),
            Self::Read(err) => write!(f, "reading tmux's answer: {err}"),
            Self::TooLong => f.write_str("tmux's answer is longer than expected"),
            Self::Timeout => f.write_str("tmux did not answer in time"),
            Self::Status(status) => write!(f, "tmux failed ({status})"),
        }
    }
}

/// `tmux -S SOCKET ARGS`: its output (at most `cap` bytes), or why not, by `deadline`.
fn run<S: AsRef<OsStr>>(
    server: &Server,
    args: &[S],
    cap: usize,
    deadline: Instant,
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut child = Command::new("tmux")
        .arg("-S")
        .arg(&server.socket)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(Failure::Spawn)?;
    let stdout = child.stdout.take().expect("stdout is piped");
    // A blocking read on its own thread, so that the deadline holds even if tmux hangs; the
    // thread ends when the child exits or is killed.
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::Builder::new().name("dbdeck-tmux".to_owned()).spawn(move || {
        let _ = tx.send(read_capped(stdout, cap));
    });
    if let Err(err) = reader {
        kill(child);
        return Err(Failure::Spawn(err));
    }
    let output = match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(output)) => output,
        Ok(Err(failure)) => {
            kill(child);
            return Err(failure);
        }
        Err(_) => {
            kill(child);
            return Err(Failure::Timeout);
        }
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(output),
            Ok(Some(status)) => return Err(Failure::Status(status)),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
            Ok(None) => {
                kill(child);
                return Err(Failure::Timeout);
            }
            Err(err) => {
                kill(child);
                return Err(Failure::Read(err));
            }
        }
    }
}

/// Reads to the end into a buffer allocated once (no unzeroized copy from growing), refusing
/// more than `cap` bytes.
fn read_capped(mut from: impl Read, cap: usize) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut buffer = Zeroizing::new(vec![0; cap + 1]);
    let mut filled = 0;
    loop {
        if filled > cap {
            return Err(Failure::TooLong);
        }
        match from.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(Failure::Read(err)),
        }
    }
    buffer.truncate(filled);
    Ok(buffer)
}

fn kill(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests;
