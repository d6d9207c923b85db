//! Who is calling: Basic API-token auth for the exchange, user JWTs for the auth and main APIs,
//! addon tokens for the DB API. Tokens are checked by lookup in the issued-token table; the
//! signature part is random and never verified (clients cannot verify it either).

use std::time::SystemTime;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;

use super::routes::error;
use super::state::{Grant, Inner};

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()
}

fn scheme_value<'a>(value: &'a str, scheme: &str) -> Option<&'a str> {
    let (s, rest) = value.split_once(' ')?;
    s.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    scheme_value(authorization(headers)?, "Bearer")
}

/// The API token of `Authorization: Basic base64(":" + token)`. A non-empty user name is
/// refused: the exchange is documented with an empty one.
pub(crate) fn basic_api_token(headers: &HeaderMap) -> Option<String> {
    let encoded = scheme_value(authorization(headers)?, "Basic")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, token) = text.split_once(':')?;
    (user.is_empty() && !token.is_empty()).then(|| token.to_owned())
}

/// For the request log: `basic`, `user`, `addon` (known tokens, even expired), `invalid` (an
/// unknown bearer token or another scheme) or `none`.
pub(crate) fn classify(inner: &Inner, headers: &HeaderMap) -> &'static str {
    let Some(value) = authorization(headers) else {
        return "none";
    };
    if scheme_value(value, "Basic").is_some() {
        return "basic";
    }
    match scheme_value(value, "Bearer").and_then(|t| inner.tokens.get(t)) {
        Some(issued) => match issued.grant {
            Grant::User { .. } => "user",
            Grant::Addon { .. } => "addon",
        },
        None => "invalid",
    }
}

fn unauthorized(message: &str) -> Response {
    error(StatusCode::UNAUTHORIZED, message)
}

fn valid_grant<'a>(inner: &'a Inner, headers: &HeaderMap) -> Result<&'a Grant, Response> {
    let token = bearer(headers).ok_or_else(|| unauthorized("not authenticated"))?;
    let issued = inner.tokens.get(token).ok_or_else(|| unauthorized("invalid token"))?;
    if SystemTime::now() >= issued.expires_at {
        return Err(unauthorized("token expired"));
    }
    Ok(&issued.grant)
}

/// The user id of a valid user JWT, else a 401 response. Addon tokens are refused.
pub(crate) fn require_user(inner: &Inner, headers: &HeaderMap) -> Result<String, Response> {
    match valid_grant(inner, headers)? {
        Grant::User { user_id } => Ok(user_id.clone()),
        Grant::Addon { .. } => Err(unauthorized("invalid token")),
    }
}

/// Ok when the request carries a valid addon token minted for `addon_id`, else a 401 response.
/// The user JWT and tokens of other addons are refused.
pub(crate) fn require_addon(inner: &Inner, headers: &HeaderMap, addon_id: &str) -> Result<(), Response> {
    match valid_grant(inner, headers)? {
        Grant::Addon { addon_id: granted } if granted == addon_id => Ok(()),
        _ => Err(unauthorized("invalid token for this database")),
    }
}

/// Ok when the request carries a valid addon token of any database (the managed ranges are
/// global but still want one), else a 401 response.
pub(crate) fn require_any_addon(inner: &Inner, headers: &HeaderMap) -> Result<(), Response> {
    match valid_grant(inner, headers)? {
        Grant::Addon { .. } => Ok(()),
        Grant::User { .. } => Err(unauthorized("invalid token: a database token is expected")),
    }
}
