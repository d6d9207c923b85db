//! What the client accepts of an answer: never a redirect, and never more body than
//! [`MAX_BODY`]. A hostile or broken server must not steer a password to another host nor grow
//! the process without end.

use reqwest::Response;
use url::Url;
use zeroize::Zeroizing;

use super::error::ApiError;

/// Largest body read from any answer. The biggest answer these APIs give is a database's user
/// list: about 120 bytes a user, so some 12 MB for 100 000 users. 32 MiB leaves room for that
/// with margin while bounding what a server streaming without end can make dbdeck hold.
pub(crate) const MAX_BODY: usize = 32 * 1024 * 1024;

pub(crate) enum BodyError {
    /// Announced or sent beyond the cap; nothing more was read.
    TooLarge,
    /// The connection failed while the body was read.
    Read(reqwest::Error),
}

/// The body of `response`, read chunk by chunk up to `cap` bytes. A `Content-Length` above the
/// cap is refused before anything is read. The buffer is zeroed on drop, and so is each smaller
/// buffer it outgrows (an answer may carry a password).
pub(crate) async fn read_body(response: &mut Response, cap: usize) -> Result<Zeroizing<Vec<u8>>, BodyError> {
    let announced = response.content_length();
    if announced.is_some_and(|n| n > cap as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut body = Zeroizing::new(Vec::with_capacity(announced.unwrap_or(0) as usize));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if chunk.len() > cap - body.len() {
            return Err(BodyError::TooLarge);
        }
        append(&mut body, &chunk, cap);
    }
    Ok(body)
}

/// Appends without letting `Vec` reallocate in place of us: a grown buffer is a fresh one, and
/// the old one is zeroed as it drops.
fn append(body: &mut Zeroizing<Vec<u8>>, chunk: &[u8], cap: usize) {
    let needed = body.len() + chunk.len();
    if needed > body.capacity() {
        let capacity = needed.max(body.capacity() * 2).min(cap).max(needed);
        let mut grown = Zeroizing::new(Vec::with_capacity(capacity));
        grown.extend_from_slice(body);
        *body = grown;
    }
    body.extend_from_slice(chunk);
}

/// The error a 3xx answer stands for. Only the host of its `Location` is named: the rest of
/// the URL (a path, a query) could carry anything.
pub(crate) fn redirect_error(
    status: u16,
    location: Option<&str>,
    from: &Url,
    request_id: Option<String>,
) -> ApiError {
    let target = location
        .and_then(|l| from.join(l).ok())
        .and_then(|url| url.host_str().map(|h| (h.to_string(), url.port_or_known_default())))
        .map(|(host, port)| match port {
            Some(port) => format!("to {host}:{port}"),
            None => format!("to {host}"),
        })
        .unwrap_or_else(|| "without a usable Location".into());
    ApiError::Http {
        status,
        message: format!("redirect {target} refused: dbdeck follows no redirect and sent nothing there"),
        fields: vec![],
        request_id,
    }
}

/// The error an over-long body stands for.
pub(crate) fn too_large_error(label: &str, status: u16, request_id: Option<&str>) -> ApiError {
    let rid = request_id.map(|r| format!(", request id {r}")).unwrap_or_default();
    ApiError::Decode {
        what: label.to_string(),
        detail: format!(
            "the answer is larger than {} MiB; dbdeck stopped reading it (HTTP {status}{rid})",
            MAX_BODY / (1024 * 1024)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_into_fresh_buffers_up_to_the_cap() {
        let mut body = Zeroizing::new(Vec::new());
        for _ in 0..10 {
            append(&mut body, b"0123456789", 100);
        }
        assert_eq!(body.len(), 100);
        assert!(body.capacity() < 200, "no doubling past the cap");
        assert_eq!(&body[..10], b"0123456789");
    }

    #[test]
    fn names_only_the_host_of_a_redirect() {
        let from = Url::parse("https://db-api.osc-fr1.scalingo.com/api/databases/ad-1/users").unwrap();
        let err =
            redirect_error(307, Some("http://evil.example:8080/x?token=abc"), &from, Some("r-1".into()));
        let text = err.to_string();
        assert!(
            text.starts_with("HTTP 307 (request id r-1): redirect to evil.example:8080 refused"),
            "{text}"
        );
        assert!(!text.contains("token") && !text.contains("/x"), "{text}");
        let err = redirect_error(308, Some("/elsewhere?q=1"), &from, None);
        assert!(err.to_string().contains("to db-api.osc-fr1.scalingo.com:443 refused"), "{err}");
        let err = redirect_error(302, None, &from, None);
        assert!(err.to_string().starts_with("HTTP 302: redirect without a usable Location refused"), "{err}");
        assert_eq!(err.status(), Some(302));
        assert!(!err.outcome_unknown());
    }

    #[test]
    fn an_over_long_body_names_the_limit_the_request_and_its_id() {
        let text = too_large_error("GET /api/databases/ad-1/users", 200, Some("r-9")).to_string();
        assert_eq!(
            text,
            "unexpected answer from GET /api/databases/ad-1/users: the answer is larger than 32 MiB; \
             dbdeck stopped reading it (HTTP 200, request id r-9)"
        );
    }
}
