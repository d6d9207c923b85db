//! The two bearer tokens the client caches: the user JWT (exchanged from the API token) and one
//! addon token per database. Both are JWTs whose `exp` is read without verifying the signature
//! (clients cannot check it; the official Go client does the same); a token is refreshed when
//! it has less than [`REFRESH_MARGIN`] left.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

use super::types::DbTarget;

/// A token is replaced when it expires in less than this.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);
/// Lifetime assumed for a user JWT whose `exp` cannot be read (the documented hour).
pub(crate) const USER_TOKEN_FALLBACK: Duration = Duration::from_secs(60 * 60);
/// Lifetime assumed for an addon token whose `exp` cannot be read.
pub(crate) const ADDON_TOKEN_FALLBACK: Duration = Duration::from_secs(55 * 60);

/// The `exp` claim (seconds since the epoch) of a JWT, read without verification. `None` when
/// the token is not a JWT or has no numeric `exp`. Accepts padded and unpadded base64url.
pub(crate) fn jwt_exp(token: &str) -> Option<u64> {
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    let payload = payload.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    if let Some(secs) = exp.as_u64() {
        return Some(secs);
    }
    let secs = exp.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then_some(secs as u64)
}

/// When a token received at `received_at` stops being usable: its `exp`, or the fallback
/// lifetime when it has none.
pub(crate) fn expiry_of(token: &str, received_at: SystemTime, fallback: Duration) -> SystemTime {
    match jwt_exp(token) {
        Some(exp) => UNIX_EPOCH + Duration::from_secs(exp),
        None => received_at + fallback,
    }
}

/// True while a token expiring at `expires_at` may still be used at `now` without refreshing.
pub(crate) fn is_fresh(expires_at: SystemTime, now: SystemTime) -> bool {
    now + REFRESH_MARGIN < expires_at
}

pub(crate) struct CachedToken {
    pub token: SecretString,
    pub expires_at: SystemTime,
}

impl CachedToken {
    pub fn new(token: SecretString, received_at: SystemTime, fallback: Duration) -> CachedToken {
        let expires_at = expiry_of(token.expose_secret(), received_at, fallback);
        CachedToken { token, expires_at }
    }

    pub fn fresh_at(&self, now: SystemTime) -> bool {
        is_fresh(self.expires_at, now)
    }

    pub fn is(&self, token: &SecretString) -> bool {
        self.token.expose_secret() == token.expose_secret()
    }
}

/// Shared by every clone of the client. Each mutex is held while its token is minted, so
/// concurrent callers wait for one exchange instead of starting their own. Lock order: `addons`
/// before `user`, never the reverse.
#[derive(Default)]
pub(crate) struct TokenCache {
    pub user: Mutex<Option<CachedToken>>,
    pub addons: Mutex<HashMap<DbTarget, CachedToken>>,
}

impl TokenCache {
    /// Forgets the user JWT if it is still `used` (a newer one is kept).
    pub async fn drop_user(&self, used: &SecretString) {
        let mut user = self.user.lock().await;
        if user.as_ref().is_some_and(|c| c.is(used)) {
            *user = None;
        }
    }

    /// Forgets the addon token of `target` if it is still `used`.
    pub async fn drop_addon(&self, target: &DbTarget, used: &SecretString) {
        let mut addons = self.addons.lock().await;
        if addons.get(target).is_some_and(|c| c.is(used)) {
            addons.remove(target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE;

    fn jwt(payload: &str, padded: bool) -> String {
        let enc = |s: &str| {
            if padded { URL_SAFE.encode(s) } else { URL_SAFE_NO_PAD.encode(s) }
        };
        format!("{}.{}.sig", enc(r#"{"alg":"HS256","typ":"JWT"}"#), enc(payload))
    }

    #[test]
    fn reads_exp_from_unpadded_and_padded_payloads() {
        // 18 bytes of JSON: base64 needs no padding; 19 and 20 bytes need "==" and "=".
        for payload in [
            r#"{"exp":1700000000}"#,
            r#"{"exp":1700000000} "#,
            r#"{"exp":1700000000}  "#,
            r#"{"sub":"u?>","exp":1700000000}"#,
        ] {
            assert_eq!(jwt_exp(&jwt(payload, false)), Some(1_700_000_000), "{payload}");
            assert_eq!(jwt_exp(&jwt(payload, true)), Some(1_700_000_000), "{payload}");
        }
        assert_eq!(jwt_exp(&jwt(r#"{"exp":1700000000.5}"#, false)), Some(1_700_000_000));
    }

    #[test]
    fn garbage_has_no_exp() {
        assert_eq!(jwt_exp(""), None);
        assert_eq!(jwt_exp("tk-us-not-a-jwt"), None);
        assert_eq!(jwt_exp("a.!!!.c"), None);
        assert_eq!(jwt_exp(&jwt("not json", false)), None);
        assert_eq!(jwt_exp(&jwt(r#"{"sub":"x"}"#, false)), None);
        assert_eq!(jwt_exp(&jwt(r#"{"exp":"soon"}"#, false)), None);
        assert_eq!(jwt_exp(&jwt(r#"{"exp":-5}"#, false)), None);
        assert_eq!(jwt_exp(&jwt("[1,2]", false)), None);
    }

    #[test]
    fn expiry_falls_back_to_the_assumed_lifetime() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let token = jwt(r#"{"exp":1003600}"#, false);
        assert_eq!(expiry_of(&token, now, USER_TOKEN_FALLBACK), UNIX_EPOCH + Duration::from_secs(1_003_600));
        assert_eq!(expiry_of("opaque", now, ADDON_TOKEN_FALLBACK), now + Duration::from_secs(55 * 60));
    }

    #[test]
    fn refreshes_five_minutes_before_expiry() {
        let exp = UNIX_EPOCH + Duration::from_secs(10_000);
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        assert!(is_fresh(exp, at(0)));
        assert!(is_fresh(exp, at(10_000 - 301)));
        assert!(!is_fresh(exp, at(10_000 - 300)));
        assert!(!is_fresh(exp, at(10_000 - 10)));
        assert!(!is_fresh(exp, at(10_000)));
        assert!(!is_fresh(exp, at(20_000)));

        let cached = CachedToken::new("opaque".into(), at(0), USER_TOKEN_FALLBACK);
        assert!(cached.fresh_at(at(3600 - 301)));
        assert!(!cached.fresh_at(at(3600 - 299)));
    }

    #[tokio::test]
    async fn drops_only_the_token_that_was_used() {
        let cache = TokenCache::default();
        let now = SystemTime::now();
        *cache.user.lock().await = Some(CachedToken::new("new".into(), now, USER_TOKEN_FALLBACK));
        cache.drop_user(&"old".into()).await;
        assert!(cache.user.lock().await.is_some());
        cache.drop_user(&"new".into()).await;
        assert!(cache.user.lock().await.is_none());
    }
}
