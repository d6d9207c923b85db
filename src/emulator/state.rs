//! The emulator's shared state: the account data (a [`Seed`]), the issued tokens, the faults,
//! the request log and the run-time settings, all behind one mutex. No lock is ever held across
//! an `.await`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use serde_json::{Value, json};

use super::faults::Fault;
use super::seed::Seed;

/// What an issued bearer token opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Grant {
    /// A user JWT from `/v1/tokens/exchange`: auth and main APIs.
    User { user_id: String },
    /// An addon token from `/v1/apps/{app}/addons/{id}/token`: the DB API of that addon only.
    Addon { addon_id: String },
}

#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub grant: Grant,
    pub expires_at: SystemTime,
}

/// One line of `GET /_emulator/requests`. Never holds a body or a token.
#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// `None` while in flight, and for requests whose connection a fault dropped.
    pub status: Option<u16>,
    pub auth: &'static str,
    pub fault: Option<&'static str>,
}

impl LogEntry {
    pub fn to_json(&self) -> Value {
        json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "auth": self.auth,
            "fault": self.fault,
        })
    }
}

pub(crate) struct Inner {
    pub data: Seed,
    pub tokens: HashMap<String, Issued>,
    pub faults: Vec<Fault>,
    pub log: Vec<LogEntry>,
    pub next_seq: u64,
    pub token_lifetime: Duration,
    pub latency: Duration,
    pub features: super::features::FeatureClock,
    pub limiter: super::limit::Limiter,
}

pub(crate) struct Shared {
    inner: Mutex<Inner>,
    state_file: Option<PathBuf>,
}

impl Shared {
    pub fn new(
        data: Seed,
        token_lifetime: Duration,
        latency: Duration,
        state_file: Option<PathBuf>,
    ) -> Shared {
        Shared {
            inner: Mutex::new(Inner {
                data,
                tokens: HashMap::new(),
                faults: Vec::new(),
                log: Vec::new(),
                next_seq: 0,
                token_lifetime,
                latency,
                features: Default::default(),
                limiter: Default::default(),
            }),
            state_file,
        }
    }

    /// Poisoning is ignored: a panicking handler must not take the whole emulator down.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the data to the state file, if any (private, through a temporary file renamed).
    /// Call with the lock held, right after a change, so saves never interleave.
    pub fn save(&self, inner: &Inner) {
        let Some(path) = &self.state_file else { return };
        let text = match serde_json::to_string_pretty(&inner.data) {
            Ok(text) => text + "\n",
            Err(e) => {
                tracing::error!("emulator: cannot serialise the state: {e}");
                return;
            }
        };
        let result = crate::private_file::write_atomic(path, text.as_bytes());
        if let Err(e) = result {
            tracing::error!("emulator: cannot save the state to {}: {e}", path.display());
        }
    }
}

impl Inner {
    /// Mints a JWT-shaped token for `grant`, valid for the current lifetime.
    pub fn issue(&mut self, grant: Grant) -> String {
        let now = SystemTime::now();
        // Forget tokens expired for a day: the table stays small in a long-running emulator.
        let horizon = now - Duration::from_secs(86_400);
        self.tokens.retain(|_, issued| issued.expires_at > horizon);
        let expires_at = now + self.token_lifetime;
        let (kind, sub) = match &grant {
            Grant::User { user_id } => ("user", user_id.clone()),
            Grant::Addon { addon_id } => ("addon", addon_id.clone()),
        };
        let header = json!({"alg": "HS256", "typ": "JWT"});
        let payload = json!({
            "iss": "dbdeck-emulator",
            "kind": kind,
            "sub": sub,
            "iat": unix_secs(now),
            "exp": unix_secs(expires_at),
            "jti": random_hex(8),
        });
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let token = format!(
            "{}.{}.{}",
            b64.encode(header.to_string()),
            b64.encode(payload.to_string()),
            b64.encode(random_bytes::<32>()),
        );
        self.tokens.insert(token.clone(), Issued { grant, expires_at });
        token
    }

    /// Makes every issued token expired now.
    pub fn expire_all(&mut self) -> usize {
        let past = SystemTime::now() - Duration::from_secs(1);
        for issued in self.tokens.values_mut() {
            issued.expires_at = past;
        }
        self.tokens.len()
    }
}

pub(crate) fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the OS random source works");
    buf
}

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random source works");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh request id, uuid-v4 shaped.
pub(crate) fn request_id() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// A password exactly as `gopassword.Generate()` v1.1.0 makes it: 51 random bytes, standard
/// base64 (68 chars), truncated to 64, `+` and `/` replaced by `_`. Alphabet `[A-Za-z0-9_]`.
pub(crate) fn generate_password() -> String {
    let bytes = random_bytes::<51>();
    let mut text = base64::engine::general_purpose::STANDARD.encode(bytes);
    text.truncate(64);
    text.replace(['+', '/'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_match_gopassword() {
        for _ in 0..50 {
            let pw = generate_password();
            assert_eq!(pw.len(), 64);
            assert!(pw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            assert_eq!(crate::api::validate::password_problem(&pw), None);
        }
        assert_ne!(generate_password(), generate_password());
    }

    #[test]
    fn request_ids_are_uuid_shaped_and_fresh() {
        let a = request_id();
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, request_id());
    }
}
