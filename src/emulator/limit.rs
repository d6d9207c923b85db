//! Scalingo's rate limit on the main API: at most 60 requests a minute (the API reference),
//! counted here per bearer token. A request over the limit is answered `429 Retry later` (text,
//! as the platform sends it) with a `Retry-After` in seconds, when the oldest counted request
//! leaves the window: the reference documents no such header, so clients must also do without
//! one (dbdeck then backs off), but the emulator sends it to test that it is honoured. Refused
//! requests are not counted. Off unless configured
//! ([`super::EmulatorConfig::rate_limit`]), so tests that do not care never meet it.
//!
//! Settings: `POST /_emulator/settings` `{"rate_limit": {"requests": 60, "per_ms": 60000}}`
//! (`null` turns it off).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::auth::bearer;
use super::routes::RESTRICTED_REGION;

/// At most `requests` in any window of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub requests: u32,
    #[serde(rename = "per_ms", with = "millis")]
    pub per: Duration,
}

impl RateLimit {
    /// The platform's: 60 requests a minute.
    pub const SCALINGO: RateLimit = RateLimit { requests: 60, per: Duration::from_secs(60) };
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Limiter {
    pub limit: Option<RateLimit>,
    /// The times of the requests counted in the current window, per token.
    seen: HashMap<String, VecDeque<Instant>>,
}

impl Limiter {
    /// Counts a request to `path` with `headers`, or refuses it with the 429 to send.
    pub fn admit(&mut self, path: &str, headers: &HeaderMap, now: Instant) -> Result<(), Response> {
        let Some(limit) = self.limit else { return Ok(()) };
        if !is_main_api(path) {
            return Ok(());
        }
        // No token: the handler refuses it (401) without counting.
        let Some(token) = bearer(headers) else { return Ok(()) };
        let seen = self.seen.entry(token.to_owned()).or_default();
        while seen.front().is_some_and(|t| now.duration_since(*t) >= limit.per) {
            seen.pop_front();
        }
        if seen.len() < limit.requests as usize {
            seen.push_back(now);
            return Ok(());
        }
        let free_at = seen.front().map_or(now, |oldest| *oldest + limit.per);
        let wait = free_at.saturating_duration_since(now);
        // Whole seconds, rounded up: asking again at `Retry-After` always succeeds.
        let secs = wait.as_millis().div_ceil(1000).max(1) as u64;
        let mut response = (StatusCode::TOO_MANY_REQUESTS, "Retry later").into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        Err(response)
    }

    pub fn settings(&self) -> Value {
        serde_json::to_value(self.limit).expect("a limit serializes")
    }

    /// Reads `rate_limit` of a settings body: an object, `null` (off), or absent (unchanged).
    pub fn apply_settings(&mut self, body: &Value) -> Result<(), String> {
        let Some(value) = body.get("rate_limit") else { return Ok(()) };
        let limit: Option<RateLimit> = serde_json::from_value(value.clone())
            .map_err(|e| format!("rate_limit must be null or {{\"requests\", \"per_ms\"}}: {e}"))?;
        if limit.is_some_and(|l| l.requests == 0 || l.per.is_zero()) {
            return Err("rate_limit needs requests and per_ms above 0".into());
        }
        self.limit = limit;
        self.seen.clear();
        Ok(())
    }
}

/// The main API's routes (apps, addons, addon tokens, variables, dedicated databases), in
/// either region; not the auth API nor the database API.
fn is_main_api(path: &str) -> bool {
    let path = path.strip_prefix(&format!("/{RESTRICTED_REGION}")).unwrap_or(path);
    path.starts_with("/v1/apps") || path.starts_with("/v1/databases")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}")).unwrap());
        headers
    }

    #[test]
    fn the_61st_request_in_a_minute_waits_until_the_first_leaves_the_window() {
        let mut limiter = Limiter { limit: Some(RateLimit::SCALINGO), ..Limiter::default() };
        let start = Instant::now();
        for i in 0..60 {
            let at = start + Duration::from_millis(500 * i);
            assert!(limiter.admit("/v1/apps", &headers("a"), at).is_ok(), "request {i}");
        }
        let at = start + Duration::from_millis(30_200);
        let refused = limiter.admit("/osc-secnum-fr1/v1/apps/x/addons", &headers("a"), at).unwrap_err();
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        // The first request leaves the window at 60 s: 29.8 s later, rounded up.
        assert_eq!(refused.headers()[header::RETRY_AFTER], "30");
        // Another token, the auth API and the database API are not held back.
        assert!(limiter.admit("/v1/apps", &headers("b"), at).is_ok());
        assert!(limiter.admit("/v1/users/self", &headers("a"), at).is_ok());
        assert!(limiter.admit("/api/databases/ad-1/users", &headers("a"), at).is_ok());
        assert!(limiter.admit("/v1/apps", &headers("a"), start + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn off_by_default_and_set_through_the_settings() {
        let mut limiter = Limiter::default();
        for _ in 0..1000 {
            assert!(limiter.admit("/v1/apps", &headers("a"), Instant::now()).is_ok());
        }
        let body = serde_json::json!({"rate_limit": {"requests": 2, "per_ms": 1000}});
        limiter.apply_settings(&body).unwrap();
        assert_eq!(limiter.settings(), serde_json::json!({"requests": 2, "per_ms": 1000}));
        let now = Instant::now();
        assert!(limiter.admit("/v1/apps", &headers("a"), now).is_ok());
        assert!(limiter.admit("/v1/apps", &headers("a"), now).is_ok());
        assert!(limiter.admit("/v1/apps", &headers("a"), now).is_err());
        limiter.apply_settings(&serde_json::json!({"rate_limit": null})).unwrap();
        assert!(limiter.admit("/v1/apps", &headers("a"), now).is_ok());
        assert!(
            limiter.apply_settings(&serde_json::json!({"rate_limit": {"requests": 0, "per_ms": 1}})).is_err()
        );
    }
}
