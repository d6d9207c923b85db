//! Errors of the Scalingo client, and how an error body is read into one. Every message is safe
//! to show and to log: no token, no password, no request body ever goes into one.

use std::fmt;

use reqwest::StatusCode;

/// Longest text kept from an error body.
const MAX_MESSAGE_LEN: usize = 300;

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
    /// The answer could not be read in the documented shape.
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

/// Reads an error body in any shape the platform uses: `{"error", "code"}`,
/// `{"errors": {field: [msgs]}}` (a 422, which may lack `errors`), plain text (a 429 may say
/// `Retry later`), or nothing.
pub(crate) fn parse_error(status: u16, body: &[u8], request_id: Option<String>) -> ApiError {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
        .to_string();
    let text = clean_text(&String::from_utf8_lossy(body));
    let mut fields = Vec::new();
    let message = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => {
            if let Some(serde_json::Value::Object(errors)) = map.get("errors") {
                for (field, msgs) in errors {
                    let messages = match msgs {
                        serde_json::Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>(),
                        other => vec![json_text(other)],
                    };
                    fields.push(FieldError { field: field.clone(), messages });
                }
            }
            let error = map.get("error").map(json_text).filter(|e| !e.is_empty());
            let code = map.get("code").map(json_text).filter(|c| !c.is_empty());
            match (error, code) {
                (Some(error), Some(code)) => format!("{error} ({code})"),
                (Some(error), None) => error,
                (None, _) if status == 422 && fields.is_empty() && !text.is_empty() => text,
                (None, _) => reason,
            }
        }
        _ if text.is_empty() => reason,
        _ => text,
    };
    ApiError::Http { status, message: truncate(message), fields, request_id }
}

fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => clean_text(s),
        other => clean_text(&other.to_string()),
    }
}

/// One line, no control characters (a terminal escape in a body must not reach the screen).
fn clean_text(text: &str) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(mut text: String) -> String {
    if text.chars().count() > MAX_MESSAGE_LEN {
        text = text.chars().take(MAX_MESSAGE_LEN).collect();
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(err: ApiError) -> (u16, String, Vec<FieldError>, Option<String>) {
        match err {
            ApiError::Http { status, message, fields, request_id } => (status, message, fields, request_id),
            other => panic!("not an HTTP error: {other:?}"),
        }
    }

    #[test]
    fn parses_422_field_errors() {
        let body = br#"{"errors": {"name": ["is too short", "is invalid"], "password": ["is too weak"]}}"#;
        let (status, message, fields, rid) = http(parse_error(422, body, Some("r-1".into())));
        assert_eq!(status, 422);
        assert_eq!(message, "Unprocessable Entity");
        assert_eq!(
            fields,
            vec![
                FieldError {
                    field: "name".into(),
                    messages: vec!["is too short".into(), "is invalid".into()],
                },
                FieldError { field: "password".into(), messages: vec!["is too weak".into()] },
            ]
        );
        assert_eq!(rid.as_deref(), Some("r-1"));
    }

    #[test]
    fn keeps_the_raw_text_of_a_422_without_errors() {
        let (_, message, fields, _) = http(parse_error(422, br#"{"message": "nope"}"#, None));
        assert_eq!(message, r#"{"message": "nope"}"#);
        assert!(fields.is_empty());
        let (_, message, _, _) = http(parse_error(422, br#"{"errors": {}}"#, None));
        assert_eq!(message, r#"{"errors": {}}"#);
        let (_, message, _, _) = http(parse_error(422, b"user is protected", None));
        assert_eq!(message, "user is protected");
    }

    #[test]
    fn reads_plain_text_and_empty_bodies() {
        let (status, message, _, _) = http(parse_error(429, b"Retry later\n", None));
        assert_eq!((status, message.as_str()), (429, "Retry later"));
        let (_, message, _, _) = http(parse_error(500, b"", None));
        assert_eq!(message, "Internal Server Error");
        let (_, message, _, _) = http(parse_error(503, b"  \n", None));
        assert_eq!(message, "Service Unavailable");
        let (_, message, _, _) = http(parse_error(599, b"", None));
        assert_eq!(message, "unexpected status");
    }

    #[test]
    fn reads_error_and_code() {
        let body = br#"{"error": "region is disabled", "code": "region_disabled"}"#;
        let (status, message, _, _) = http(parse_error(403, body, None));
        assert_eq!((status, message.as_str()), (403, "region is disabled (region_disabled)"));
        let body = br#"{"resource": "app", "error": "not found"}"#;
        let (_, message, _, _) = http(parse_error(404, body, None));
        assert_eq!(message, "not found");
        let body = br#"{"error": "Internal error occured, we're on it!"}"#;
        let (_, message, _, _) = http(parse_error(500, body, None));
        assert_eq!(message, "Internal error occured, we're on it!");
        let (_, message, _, _) = http(parse_error(409, br#"{"other": 1}"#, None));
        assert_eq!(message, "Conflict");
    }

    #[test]
    fn strips_control_characters_and_truncates() {
        let (_, message, _, _) = http(parse_error(400, b"bad\x1b[31m\nthing", None));
        assert_eq!(message, "bad [31m thing");
        let long = "x".repeat(1000);
        let (_, message, _, _) = http(parse_error(400, long.as_bytes(), None));
        assert_eq!(message.chars().count(), MAX_MESSAGE_LEN + 1);
    }

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
