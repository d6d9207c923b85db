//! Errors of the Scalingo client. Every message is safe to show and to log: no token, no
//! password, no request body ever goes into one.

use std::fmt;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with a status the endpoint does not expect.
    #[error("{}", http_message(*status, message, fields, request_id.as_deref()))]
    Http {
        status: u16,
        /// The body's `error`, or its plain text, or the status' reason.
        message: String,
        /// A 422's `errors`, field by field, in the server's words.
        fields: Vec<FieldError>,
        request_id: Option<String>,
    },
    /// A token was refused twice in a row (refreshed once in between).
    #[error("session expired: the API refused a fresh token{}", rid(request_id.as_deref()))]
    SessionExpired { request_id: Option<String> },
    /// No answer: connection refused, reset, or timed out. `sent` is true when the request may
    /// have reached the server, so its outcome is unknown.
    #[error("{message}")]
    Network { message: String, sent: bool },
    /// The answer could not be read as the contract describes.
    #[error("unexpected answer from {what}: {detail}")]
    Decode { what: String, detail: String },
    /// The app has no such addon, or it is not a database dbdeck manages.
    #[error("{0}")]
    Lookup(String),
    /// Missing or unusable configuration (no token, a bad URL).
    #[error("{0}")]
    Config(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub messages: Vec<String>,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.messages.join(", "))
    }
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True when a request that changes something may or may not have been applied.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            ApiError::Network { sent, .. } => *sent,
            ApiError::Http { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

fn rid(request_id: Option<&str>) -> String {
    request_id.map(|r| format!(" (request id {r})")).unwrap_or_default()
}

/// The request id comes before the server's words, so a long message cut to fit the status
/// line never hides it.
fn http_message(status: u16, message: &str, fields: &[FieldError], request_id: Option<&str>) -> String {
    let mut text = format!("HTTP {status}{}: {message}", rid(request_id));
    for field in fields {
        text.push_str(&format!("; {field}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_error_names_status_fields_and_request_id() {
        let err = ApiError::Http {
            status: 422,
            message: "Unprocessable Entity".into(),
            fields: vec![FieldError { field: "name".into(), messages: vec!["is too short".into()] }],
            request_id: Some("req-1".into()),
        };
        assert_eq!(err.to_string(), "HTTP 422 (request id req-1): Unprocessable Entity; name is too short");
    }
}
