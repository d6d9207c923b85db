//! Appending to the journal. Each entry is one `write(2)` of one whole line on a descriptor
//! opened with `O_APPEND`, so lines from several dbdeck processes sharing a journal never mix;
//! the file is opened per entry (a rotated or replaced journal is picked up), never through a
//! symbolic link, and created 0600.

use std::collections::HashMap;
use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::settle::{Check, Unsettled};
use super::{Action, Entry, Event, Outcome};
use crate::api::{ApiError, DbTarget, Engine};

/// Who is making the changes: fixed for the run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    pub local_user: String,
    pub ssh_from: Option<String>,
    /// The Scalingo account of the token, when known (the CLI's login names it).
    pub scalingo_account: Option<String>,
}

impl Who {
    /// The account of the real user id (the password database, else `USER`), and the SSH
    /// client's address from `SSH_CONNECTION` ("client port server port").
    pub fn from_env() -> Who {
        let local_user = account_name()
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| format!("uid {}", unsafe { libc::getuid() }));
        let ssh_from = std::env::var("SSH_CONNECTION")
            .ok()
            .and_then(|v| v.split_whitespace().next().map(str::to_owned))
            .filter(|a| !a.is_empty());
        Who { local_user, ssh_from, scalingo_account: None }
    }
}

/// The user name of the real uid, from the password database.
fn account_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is to a live local of the given size; the name is read only when
    // the call succeeded and filled `pwd`, whose strings live in `buf`.
    let rc = unsafe { libc::getpwuid_r(libc::getuid(), &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

/// Where changes are recorded; cheap to clone. Off (`--no-journal`) records nothing.
#[derive(Debug, Clone, Default)]
pub struct Journal {
    inner: Option<Arc<Inner>>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    who: Who,
    /// Engines of the databases opened this run, by addon id (learned when one is opened).
    engines: Mutex<HashMap<String, Engine>>,
    /// Changes whose answer was lost, until a read settles them.
    pub(super) unsettled: Mutex<Vec<Unsettled>>,
    /// Orders lost answers and reads (see `ReadMark`).
    marks: AtomicU64,
}

/// The journal could not be written: the change is not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the journal {path} cannot be written ({detail}): nothing was sent. A change that cannot be recorded is not made; --no-journal turns the journal off"
)]
pub struct JournalError {
    pub path: String,
    pub detail: String,
}

impl From<JournalError> for ApiError {
    fn from(e: JournalError) -> ApiError {
        ApiError::Config(e.to_string())
    }
}

impl Journal {
    pub fn off() -> Journal {
        Journal { inner: None }
    }

    pub fn at(path: PathBuf, who: Who) -> Journal {
        let inner = Inner {
            path,
            who,
            engines: Mutex::default(),
            unsettled: Mutex::default(),
            marks: AtomicU64::new(0),
        };
        Journal { inner: Some(Arc::new(inner)) }
    }

    /// The file, unless the journal is off.
    pub fn path(&self) -> Option<&Path> {
        self.inner.as_deref().map(|i| i.path.as_path())
    }

    /// Remembers the engine of an opened database, for the entries about it.
    pub fn learn_engine(&self, addon_id: &str, engine: Option<Engine>) {
        if let (Some(inner), Some(engine)) = (&self.inner, engine) {
            inner.engines.lock().unwrap_or_else(|e| e.into_inner()).insert(addon_id.to_owned(), engine);
        }
    }

    /// Records that `action` on `target` is about to be sent. An error means it must not be.
    pub fn intent(
        &self,
        db: &DbTarget,
        action: Action,
        target: &str,
        label: Option<&str>,
    ) -> Result<Pending, JournalError> {
        let Some(inner) = &self.inner else { return Ok(Pending { journal: self.clone(), entry: None }) };
        let engine = inner.engines.lock().unwrap_or_else(|e| e.into_inner()).get(&db.addon_id).copied();
        let entry = Entry {
            time: super::time::rfc3339(SystemTime::now()),
            id: new_id(),
            event: Event::Intent,
            outcome: None,
            local_user: inner.who.local_user.clone(),
            ssh_from: inner.who.ssh_from.clone(),
            scalingo_account: inner.who.scalingo_account.clone(),
            region: db.region.clone(),
            app: db.app.clone(),
            addon: db.addon_id.clone(),
            engine: engine.map(|e| e.label().to_ascii_lowercase()),
            action,
            target: target.to_owned(),
            label: label.map(str::to_owned),
            request_id: None,
            reason: None,
        };
        append(&inner.path, &entry)
            .map_err(|e| JournalError { path: inner.path.display().to_string(), detail: e.to_string() })?;
        Ok(Pending { journal: self.clone(), entry: Some(entry) })
    }

    /// Appends a line that follows an intent (outcome, settled). The change is made by then:
    /// a failure can only be logged.
    pub(super) fn follow(
        &self,
        intent: &Entry,
        event: Event,
        outcome: Outcome,
        reason: Option<String>,
        request_id: Option<String>,
    ) {
        let Some(inner) = &self.inner else { return };
        let entry = Entry {
            time: super::time::rfc3339(SystemTime::now()),
            event,
            outcome: Some(outcome),
            reason,
            request_id,
            ..intent.clone()
        };
        if let Err(e) = append(&inner.path, &entry) {
            tracing::error!(
                "cannot write the {} of change {} to the journal {}: {e}",
                outcome.word(),
                entry.id,
                inner.path.display()
            );
        }
    }

    /// The next mark: later than every lost answer and read marked before.
    pub(super) fn next_mark(&self) -> u64 {
        self.inner.as_deref().map_or(0, |i| i.marks.fetch_add(1, Ordering::SeqCst) + 1)
    }

    pub(super) fn unsettled(&self) -> Option<&Mutex<Vec<Unsettled>>> {
        self.inner.as_deref().map(|i| &i.unsettled)
    }
}

/// An intent on record, waiting for its outcome.
#[derive(Debug)]
pub struct Pending {
    journal: Journal,
    /// `None` when the journal is off.
    entry: Option<Entry>,
}

/// What a failed change says about itself.
pub trait Failed: std::fmt::Display {
    /// The answer was lost, or came after the change may have been made.
    fn unknown(&self) -> bool;
    fn request_id(&self) -> Option<String>;
}

impl Failed for ApiError {
    fn unknown(&self) -> bool {
        self.outcome_unknown()
    }

    fn request_id(&self) -> Option<String> {
        match self {
            ApiError::Http { request_id, .. } | ApiError::SessionExpired { request_id } => request_id.clone(),
            _ => None,
        }
    }
}

impl Failed for crate::sql::SqlError {
    fn unknown(&self) -> bool {
        !self.refused()
    }

    fn request_id(&self) -> Option<String> {
        None
    }
}

impl Pending {
    /// Records how the change ended. An unknown one waits for the read that settles it, as
    /// `check` says.
    pub fn finish<T, E: Failed>(self, result: &Result<T, E>, check: Check) {
        let Some(intent) = &self.entry else { return };
        match result {
            Ok(_) => self.journal.follow(intent, Event::Outcome, Outcome::Done, None, None),
            Err(e) => {
                let outcome = if e.unknown() { Outcome::Unknown } else { Outcome::Refused };
                self.journal.follow(intent, Event::Outcome, outcome, Some(e.to_string()), e.request_id());
                if outcome == Outcome::Unknown {
                    super::settle::wait(&self.journal, intent.clone(), check);
                }
            }
        }
    }
}

/// 16 hex digits: unique enough to tie the lines of one change across processes.
fn new_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos();
        bytes = ((nanos as u64) ^ u64::from(std::process::id()).rotate_left(40)).to_be_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `entry` as one line in one write, creating the file 0600 (and its directory 0700).
pub(super) fn append(path: &Path, entry: &Entry) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    // O_NONBLOCK: a FIFO without a reader fails at once instead of hanging the change.
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let written = file.write(&line)?;
    if written != line.len() {
        return Err(std::io::Error::new(std::io::ErrorKind::WriteZero, "short write (disk full?)"));
    }
    // On disk before the request leaves, so a crash of the machine keeps the intent too; a
    // file system that cannot sync still has the line in the kernel.
    if let Err(e) = file.sync_data() {
        tracing::warn!("cannot sync the journal {}: {e}", path.display());
    }
    Ok(())
}

/// The demo's journal: a file in a fresh private directory under the temp dir, removed (with
/// the directory) when the guard drops, so that trying dbdeck leaves nothing behind.
pub fn demo_journal() -> std::io::Result<(PathBuf, DemoGuard)> {
    let base = std::env::temp_dir();
    for _ in 0..8 {
        let dir = base.join(format!("dbdeck-demo-{}", new_id()));
        match DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok((dir.join("journal.jsonl"), DemoGuard(dir))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free name for the demo journal"))
}

/// Removes the demo journal's directory on drop.
#[derive(Debug)]
pub struct DemoGuard(PathBuf);

impl Drop for DemoGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
