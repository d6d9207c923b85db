//! The database users endpoints: list, create, set password, reset password, delete. Passwords
//! go out in zeroed buffers and come back straight into secrets.

use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{ScalingoClient, Service, decode, decode_error, empty_body, expect, request_id_suffix};
use crate::api::error::{ApiError, FieldError};
use crate::api::http::{Reply, Retry};
use crate::api::types::*;

impl ScalingoClient {
    pub async fn list_users(&self, target: &DbTarget) -> Result<Vec<User>, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users"])?;
        let reply = self.db_call(target, Method::GET, url, None, Retry::Idempotent).await?;
        users_from(expect(reply, &[200])?)
    }

    pub async fn create_user(&self, target: &DbTarget, user: &NewUser) -> Result<UserWithPassword, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users"])?;
        let mut fields = serde_json::Map::new();
        fields.insert("database_id".into(), target.addon_id.clone().into());
        fields.insert("name".into(), user.name.clone().into());
        fields.insert("read_only".into(), user.read_only.into());
        let body = match &user.password {
            Some(password) => secret_body(fields, password),
            None => plain_body(fields),
        };
        let result = self
            .db_call(target, Method::POST, url, Some(body), Retry::Once)
            .await
            .and_then(|reply| user_with_password(expect(reply, &[201])?, "the created user"));
        match &user.password {
            Some(password) => result.map_err(|e| redact(e, password)),
            None => result,
        }
    }

    pub async fn set_password(
        &self,
        target: &DbTarget,
        name: &str,
        password: &SecretString,
    ) -> Result<User, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users", name])?;
        let mut fields = serde_json::Map::new();
        fields.insert("database_id".into(), target.addon_id.clone().into());
        let body = secret_body(fields, password);
        self.db_call(target, Method::PATCH, url, Some(body), Retry::Once)
            .await
            // The answer may echo the password: read it into a secret and drop it.
            .and_then(|reply| user_with_password(expect(reply, &[200])?, "the updated user"))
            .map(|u| u.user)
            .map_err(|e| redact(e, password))
    }

    pub async fn reset_password(&self, target: &DbTarget, name: &str) -> Result<UserWithPassword, ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users", name, "reset_password"])?;
        let reply = self.db_call(target, Method::POST, url, Some(empty_body()), Retry::Once).await?;
        user_with_password(expect(reply, &[200])?, "the reset user")
    }

    pub async fn delete_user(&self, target: &DbTarget, name: &str) -> Result<(), ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "users", name])?;
        let reply = self.db_call(target, Method::DELETE, url, None, Retry::Idempotent).await?;
        // A retried DELETE that finds nothing: the lost first attempt did the work.
        if reply.status == 404 && reply.after_unknown {
            return Ok(());
        }
        expect(reply, &[204]).map(drop)
    }
}

/// The list, decoded from the body straight into `User`s (no JSON tree in between).
fn users_from(reply: Reply) -> Result<Vec<User>, ApiError> {
    #[derive(Deserialize)]
    struct Users {
        #[serde(rename = "database-users")]
        users: Vec<User>,
    }
    let users: Users = decode(reply, "the user list")?;
    Ok(users.users)
}

/// Masks `secret` in an error built from a server's words, should the server echo it (a raw
/// 422 body is kept as the message).
fn redact(err: ApiError, secret: &SecretString) -> ApiError {
    let secret = secret.expose_secret();
    if secret.is_empty() {
        return err;
    }
    let escaped = serde_json::to_string(secret).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    let mask = |text: String| {
        let text = text.replace(secret, "[redacted]");
        if escaped.is_empty() { text } else { text.replace(escaped, "[redacted]") }
    };
    match err {
        ApiError::Http { status, message, fields, request_id } => ApiError::Http {
            status,
            message: mask(message),
            fields: fields
                .into_iter()
                .map(|f| FieldError {
                    field: mask(f.field),
                    messages: f.messages.into_iter().map(mask).collect(),
                })
                .collect(),
            request_id,
        },
        other => other,
    }
}

fn plain_body(fields: serde_json::Map<String, serde_json::Value>) -> Zeroizing<Vec<u8>> {
    let body = serde_json::json!({ "database_user": fields });
    Zeroizing::new(serde_json::to_vec(&body).expect("a JSON value serializes"))
}

/// `{"database_user": {…fields, "password", "password_confirmation"}}`, the secret exposed only
/// while the bytes are written, into a buffer zeroed on drop.
fn secret_body(
    fields: serde_json::Map<String, serde_json::Value>,
    password: &SecretString,
) -> Zeroizing<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        database_user: Fields<'a>,
    }
    #[derive(serde::Serialize)]
    struct Fields<'a> {
        #[serde(flatten)]
        fields: serde_json::Map<String, serde_json::Value>,
        password: &'a str,
        password_confirmation: &'a str,
    }
    let secret = password.expose_secret();
    let body = Body { database_user: Fields { fields, password: secret, password_confirmation: secret } };
    let mut out = Zeroizing::new(Vec::with_capacity(256));
    serde_json::to_writer(&mut *out, &body).expect("a JSON body serializes");
    out
}

/// A user as create/reset/update answer it: wrapped in `database_user` (as the official clients
/// read it) or bare (as the API reference shows it), its password read straight into a secret.
fn user_with_password(reply: Reply, what: &str) -> Result<UserWithPassword, ApiError> {
    #[derive(Deserialize)]
    struct Wrapped {
        database_user: UserPw,
    }
    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct UserPw {
        name: String,
        read_only: bool,
        protected: bool,
        dbms_attributes: Option<DbmsAttributes>,
        password: Option<SecretString>,
    }
    let parsed = match serde_json::from_slice::<Wrapped>(&reply.body) {
        Ok(wrapped) => wrapped.database_user,
        Err(_) => {
            serde_json::from_slice::<UserPw>(&reply.body).map_err(|e| decode_error(what, &e, &reply))?
        }
    };
    if parsed.name.is_empty() {
        return Err(ApiError::Decode {
            what: what.into(),
            detail: format!(
                "no user name in the answer (HTTP {}){}",
                reply.status,
                request_id_suffix(&reply)
            ),
        });
    }
    Ok(UserWithPassword {
        user: User {
            name: parsed.name,
            read_only: parsed.read_only,
            protected: parsed.protected,
            dbms_attributes: parsed.dbms_attributes,
        },
        password: parsed.password.filter(|p| !p.expose_secret().is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            request_id: Some("rid".into()),
            body: Zeroizing::new(body.as_bytes().to_vec()),
            after_unknown: false,
        }
    }

    #[test]
    fn create_body_carries_both_password_fields_or_none() {
        let mut fields = serde_json::Map::new();
        fields.insert("database_id".into(), "ad-1".into());
        fields.insert("name".into(), "reader".into());
        fields.insert("read_only".into(), true.into());
        let body = secret_body(fields.clone(), &"s3cret".into());
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"database_user": {"database_id": "ad-1", "name": "reader",
                "read_only": true, "password": "s3cret", "password_confirmation": "s3cret"}})
        );
        let value: serde_json::Value = serde_json::from_slice(&plain_body(fields)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"database_user": {"database_id": "ad-1", "name": "reader",
                "read_only": true}})
        );
    }

    #[test]
    fn reads_wrapped_and_bare_users_with_passwords() {
        let wrapped = r#"{"database_user": {"name": "reader", "read_only": true, "password": "pw1"}}"#;
        let bare = r#"{"name": "reader", "read_only": true, "protected": false, "password": "pw1"}"#;
        for body in [wrapped, bare] {
            let user = user_with_password(reply(201, body), "x").unwrap();
            assert_eq!(user.user.name, "reader");
            assert!(user.user.read_only);
            assert_eq!(user.password.unwrap().expose_secret(), "pw1");
        }
        let no_pw = user_with_password(reply(200, r#"{"database_user": {"name": "a"}}"#), "x");
        assert!(no_pw.unwrap().password.is_none());
    }

    #[test]
    fn a_list_of_100_000_users_decodes_whole() {
        let users: Vec<String> = (0..100_000)
            .map(|i| {
                let attributes = match i % 3 {
                    0 => r#""dbms_attributes": {"password_encryption": "SCRAM-SHA-256"}"#,
                    1 => r#""dbms_attributes": {"password_encryption": "md\u0035-custom"}"#,
                    _ => r#""dbms_attributes": null"#,
                };
                format!(
                    r#"{{"name": "user_{i:06}", "read_only": {}, "protected": false, {attributes}}}"#,
                    i % 2 == 0
                )
            })
            .collect();
        let body = format!(r#"{{"database-users": [{}]}}"#, users.join(","));
        let users = users_from(reply(200, &body)).unwrap();
        assert_eq!(users.len(), 100_000);
        assert_eq!(users[99_999].name, "user_099999");
        assert!(users[0].read_only && !users[1].read_only);
        assert_eq!(users[3].password_encryption(), Some("SCRAM-SHA-256"));
        assert!(matches!(
            users[3].dbms_attributes.as_ref().unwrap().password_encryption,
            Some(Cow::Borrowed(_))
        ));
        assert_eq!(users[4].password_encryption(), Some("md5-custom"));
        assert_eq!(users[5].password_encryption(), None);
    }

    #[test]
    fn decode_errors_never_quote_the_body() {
        let body = r#"{"database_user": {"name": "reader", "password": 12345678}}"#;
        let err = user_with_password(reply(201, body), "the created user").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("12345678"), "{text}");
        assert!(text.contains("the created user") && text.contains("rid"), "{text}");
        let err = user_with_password(reply(201, "{}"), "the created user").unwrap_err();
        assert!(matches!(err, ApiError::Decode { .. }));
        let err = decode::<serde_json::Value>(reply(200, r#""secret"x"#), "it").unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }
}
