//! The send core: one reqwest client, URL building with encoded path segments, the retry policy
//! (reads, deletes and token mints are retried; creates, resets and PATCH, which are not safe to
//! repeat, are sent once) and the request counters. Only method, path, status, duration and
//! request id are ever logged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use url::Url;
use zeroize::Zeroizing;

use super::answer::{BodyError, MAX_BODY, read_body, redirect_error, too_large_error};
use super::client::{ClientOptions, RequestStats};
use super::error::{ApiError, parse_error};
use super::pace::Pacer;

/// Attempts of an idempotent request on transient failures (connect errors, timeouts,
/// 502/503/504), the first one included.
pub(crate) const MAX_ATTEMPTS: u32 = 3;
/// Extra attempts after a 429, for any method (a 429 means nothing was processed).
pub(crate) const MAX_THROTTLE_RETRIES: u32 = 2;
/// Longest backoff between two transient retries.
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Characters left as they are in a path segment: RFC 3986 unreserved ones.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `base` (scheme, host, port, maybe a path prefix) + `prefix` (`v1` or `api`) + each segment
/// percent-encoded. `.` and `..` cannot be sent as segments (URL parsers fold them).
pub(crate) fn build_url(base: &Url, prefix: &str, segments: &[&str]) -> Result<Url, ApiError> {
    let mut text = base.as_str().trim_end_matches('/').to_string();
    text.push('/');
    text.push_str(prefix);
    for segment in segments {
        if segment.is_empty() || *segment == "." || *segment == ".." {
            return Err(ApiError::Config(format!("'{segment}' cannot be used as a name in a URL path")));
        }
        text.push('/');
        text.extend(utf8_percent_encode(segment, SEGMENT));
    }
    Url::parse(&text).map_err(|e| ApiError::Config(format!("bad URL for {prefix}: {e}")))
}

/// How a request may be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// GET, DELETE and token mints: retried on transient failures and 429.
    Idempotent,
    /// Creates, resets, PATCH: sent once; repeated only after a 429.
    Once,
}

/// Which counter a request adds to, besides the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// The main API's (`AddonToken`, `Main`: the user JWT's calls) are paced (see `pace.rs`);
/// `Other` is the database API and the auth service.
pub(crate) enum Kind {
    Exchange,
    AddonToken,
    Main,
    Other,
}

pub(crate) enum Auth<'a> {
    /// Empty user, the API token as password (token exchange).
    BasicToken(&'a SecretString),
    Bearer(&'a SecretString),
}

pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: Url,
    pub auth: Auth<'a>,
    /// JSON body, built from secrets at the last moment; zeroed when the call is dropped.
    pub body: Option<Zeroizing<Vec<u8>>>,
    pub retry: Retry,
    pub kind: Kind,
}

impl Call<'_> {
    fn label(&self) -> String {
        format!("{} {}", self.method, self.url.path())
    }
}

/// An answer, whatever its status.
pub(crate) struct Reply {
    pub status: u16,
    pub request_id: Option<String>,
    pub body: Zeroizing<Vec<u8>>,
    /// An earlier attempt of this call may have been processed (sent, then lost or 5xx).
    pub after_unknown: bool,
}

impl Reply {
    /// The error this answer stands for (any status the caller did not expect).
    pub fn into_error(self) -> ApiError {
        parse_error(self.status, &self.body, self.request_id)
    }
}

#[derive(Default)]
pub(crate) struct Counters {
    total: AtomicU64,
    token_exchanges: AtomicU64,
    addon_tokens: AtomicU64,
}

impl Counters {
    fn count(&self, kind: Kind) {
        self.total.fetch_add(1, Ordering::Relaxed);
        match kind {
            Kind::Exchange => self.token_exchanges.fetch_add(1, Ordering::Relaxed),
            Kind::AddonToken => self.addon_tokens.fetch_add(1, Ordering::Relaxed),
            Kind::Main | Kind::Other => 0,
        };
    }

    pub fn snapshot(&self) -> RequestStats {
        RequestStats {
            total: self.total.load(Ordering::Relaxed),
            token_exchanges: self.token_exchanges.load(Ordering::Relaxed),
            addon_tokens: self.addon_tokens.load(Ordering::Relaxed),
        }
    }
}

pub(crate) struct Transport {
    http: reqwest::Client,
    options: ClientOptions,
    pub counters: Counters,
    pacer: Pacer,
}

enum Failure {
    /// No connection was made: the request never left.
    Connect(String),
    /// No answer in time after connecting.
    Timeout,
    /// The connection broke after the request may have been sent.
    Lost(String),
    /// An answer dbdeck will not take (a redirect, an over-long body): trying again would only
    /// get the same, so it is never retried.
    Refused(ApiError),
}

impl Transport {
    pub fn new(options: ClientOptions) -> Result<Transport, ApiError> {
        // The binary installs ring at startup; tests and other embedders may not have.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(concat!("dbdeck/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .connect_timeout(options.connect_timeout)
            .timeout(options.total_timeout)
            // A redirect would re-send the body, a password included, to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ApiError::Config(format!("cannot build the HTTP client: {}", cause(&e))))?;
        let pacer = Pacer::new(options.pace);
        Ok(Transport { http, options, counters: Counters::default(), pacer })
    }

    /// Sends `call`, repeating it as its [`Retry`] allows. Any HTTP status is an `Ok`; the
    /// caller decides which ones it expected.
    pub async fn send(&self, call: &Call<'_>) -> Result<Reply, ApiError> {
        let mut attempts = 0;
        let mut throttled = 0;
        let mut after_unknown = false;
        loop {
            attempts += 1;
            let paced = matches!(call.kind, Kind::AddonToken | Kind::Main);
            let turn = if paced { Some(self.pacer.wait_turn().await) } else { None };
            self.counters.count(call.kind);
            let started = Instant::now();
            let result = self.attempt(call).await;
            drop(turn);
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let retryable = call.retry == Retry::Idempotent && attempts < MAX_ATTEMPTS;
            match result {
                Ok((reply, retry_after)) => {
                    tracing::debug!(
                        method = %call.method,
                        path = call.url.path(),
                        status = reply.status,
                        duration_ms = elapsed_ms,
                        request_id = reply.request_id.as_deref().unwrap_or("-"),
                        "scalingo request"
                    );
                    if reply.status == 429 && throttled < MAX_THROTTLE_RETRIES {
                        throttled += 1;
                        // A 429 has its own budget: it must not use up the transient retries.
                        attempts -= 1;
                        let wait = match retry_after {
                            Some(wait) => wait.min(self.options.max_retry_after),
                            None => self.throttle_backoff(throttled),
                        };
                        if paced {
                            // Every main-API request waits, not only this one.
                            self.pacer.hold(wait);
                        }
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    if matches!(reply.status, 502..=504) && retryable {
                        after_unknown = true;
                        tokio::time::sleep(self.backoff(attempts)).await;
                        continue;
                    }
                    return Ok(Reply { after_unknown, ..reply });
                }
                Err(failure) => {
                    let (sent, what) = match &failure {
                        Failure::Connect(c) => (false, format!("cannot connect: {c}")),
                        Failure::Timeout => (true, "timed out".into()),
                        Failure::Lost(c) => (true, format!("connection lost: {c}")),
                        Failure::Refused(error) => (false, error.to_string()),
                    };
                    tracing::debug!(
                        method = %call.method,
                        path = call.url.path(),
                        duration_ms = elapsed_ms,
                        error = %what,
                        "scalingo request failed"
                    );
                    if retryable && !matches!(failure, Failure::Refused(_)) {
                        after_unknown |= sent;
                        tokio::time::sleep(self.backoff(attempts)).await;
                        continue;
                    }
                    return Err(self.network_error(call, failure, sent));
                }
            }
        }
    }

    async fn attempt(&self, call: &Call<'_>) -> Result<(Reply, Option<Duration>), Failure> {
        let mut request = self.http.request(call.method.clone(), call.url.clone());
        let mut auth = match call.auth {
            Auth::BasicToken(token) => {
                let raw = Zeroizing::new(format!(":{}", token.expose_secret()));
                let encoded = Zeroizing::new(format!("Basic {}", STANDARD.encode(raw.as_bytes())));
                HeaderValue::from_str(&encoded)
            }
            Auth::Bearer(token) => {
                let value = Zeroizing::new(format!("Bearer {}", token.expose_secret()));
                HeaderValue::from_str(&value)
            }
        }
        .map_err(|_| Failure::Connect("a token holds characters a header cannot carry".into()))?;
        auth.set_sensitive(true);
        request = request.header(header::AUTHORIZATION, auth);
        if let Some(body) = &call.body {
            request = request.body(body.to_vec());
        }
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let request_id =
            response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if (300..400).contains(&status) {
            let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
            return Err(Failure::Refused(redirect_error(status, location, &call.url, request_id)));
        }
        let body = read_body(&mut response, MAX_BODY).await.map_err(|e| match e {
            BodyError::TooLarge => {
                Failure::Refused(too_large_error(&call.label(), status, request_id.as_deref()))
            }
            BodyError::Read(e) => classify(e),
        })?;
        Ok((Reply { status, request_id, body, after_unknown: false }, retry_after))
    }

    /// Jittered exponential backoff before attempt `attempt + 1`: between half and all of
    /// `base * 2^(attempt-1)`, capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .options
            .backoff_base
            .saturating_mul(1 << (attempt.saturating_sub(1)).min(16))
            .min(MAX_BACKOFF);
        jitter(exp)
    }

    /// A 429 without `Retry-After`: ten times the usual backoff (5 s by default, then 10 s),
    /// capped by `max_retry_after`.
    fn throttle_backoff(&self, retry: u32) -> Duration {
        let exp = self.options.backoff_base.saturating_mul(10 << (retry.saturating_sub(1)).min(16));
        jitter(exp).min(self.options.max_retry_after)
    }

    fn network_error(&self, call: &Call<'_>, failure: Failure, sent: bool) -> ApiError {
        let label = call.label();
        let mut message = match failure {
            Failure::Connect(c) => format!("{label}: cannot connect to {}: {c}", host(&call.url)),
            Failure::Timeout => format!(
                "{label}: no answer from {} within {} s",
                host(&call.url),
                self.options.total_timeout.as_secs_f32()
            ),
            Failure::Lost(c) => format!("{label}: connection to {} lost: {c}", host(&call.url)),
            Failure::Refused(error) => return error,
        };
        if sent && call.retry == Retry::Once {
            message
                .push_str("; the request may have been applied: the outcome is unknown, list again to check");
        }
        ApiError::Network { message, sent }
    }
}

fn host(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => "the server".into(),
    }
}

fn jitter(delay: Duration) -> Duration {
    let half = delay / 2;
    let nanos = half.as_nanos().min(u64::MAX as u128) as u64;
    let random = getrandom::u64().unwrap_or(0);
    let extra = if nanos == 0 { 0 } else { random % (nanos + 1) };
    half + Duration::from_nanos(extra)
}

/// The deepest cause of an error: "Connection refused (os error 111)" rather than "error
/// sending request". reqwest's own text names the URL; the URL is dropped first.
fn cause(err: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = err;
    while let Some(source) = last.source() {
        last = source;
    }
    last.to_string()
}

fn classify(err: reqwest::Error) -> Failure {
    let err = err.without_url();
    if err.is_connect() {
        Failure::Connect(cause(&err))
    } else if err.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Lost(cause(&err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_path_segments() {
        let base = Url::parse("http://127.0.0.1:8080").unwrap();
        let url = build_url(&base, "api", &["databases", "ad-1", "users", "a b/c%d"]).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/api/databases/ad-1/users/a%20b%2Fc%25d");
        assert_eq!(url.path(), "/api/databases/ad-1/users/a%20b%2Fc%25d");
        let url = build_url(&base, "v1", &["apps", "my?app#é"]).unwrap();
        assert_eq!(url.path(), "/v1/apps/my%3Fapp%23%C3%A9");
        assert!(url.query().is_none() && url.fragment().is_none());
        assert!(build_url(&base, "v1", &["apps", ".."]).is_err());
        assert!(build_url(&base, "v1", &["apps", ""]).is_err());
    }

    #[test]
    fn keeps_a_base_path_prefix() {
        let base = Url::parse("https://proxy.example/scalingo/").unwrap();
        let url = build_url(&base, "v1", &["tokens", "exchange"]).unwrap();
        assert_eq!(url.as_str(), "https://proxy.example/scalingo/v1/tokens/exchange");
    }

    #[test]
    fn jitter_stays_between_half_and_all() {
        for _ in 0..100 {
            let d = jitter(Duration::from_millis(100));
            assert!(d >= Duration::from_millis(50) && d <= Duration::from_millis(100));
        }
        assert_eq!(jitter(Duration::ZERO), Duration::ZERO);
    }
}
