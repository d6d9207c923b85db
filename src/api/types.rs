//! The Scalingo objects dbdeck reads and sends, as the platform's API reference and official
//! clients describe them. Every field the platform may omit has a default, so a new or missing
//! field never breaks parsing.

use std::borrow::Cow;

use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{Deserializer, Visitor};

/// Which database API answers for one addon: the region (whose client the runtime uses), the
/// app (name or id) and the addon id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DbTarget {
    pub region: String,
    pub app: String,
    pub addon_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Addon {
    pub id: String,
    pub app_id: String,
    pub resource_id: String,
    pub status: String,
    pub plan: Option<Plan>,
    pub addon_provider: Option<AddonProvider>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AddonProvider {
    pub id: String,
    pub name: String,
}

/// The database engines dbdeck manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    PostgreSql,
    MySql,
}

impl Engine {
    /// From a DB API `type_name` or an addon provider id/name, case-insensitively.
    pub fn from_name(name: &str) -> Option<Engine> {
        match name.to_ascii_lowercase().as_str() {
            "postgresql" | "scalingo-postgresql" | "postgresql-ng" => Some(Engine::PostgreSql),
            "mysql" | "scalingo-mysql" => Some(Engine::MySql),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Engine::PostgreSql => "PostgreSQL",
            Engine::MySql => "MySQL",
        }
    }

    /// Longest user name the platform accepts (docs: PostgreSQL 32, MySQL 16).
    pub fn max_username_len(self) -> usize {
        match self {
            Engine::PostgreSql => 32,
            Engine::MySql => 16,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Database {
    pub id: String,
    pub resource_id: String,
    pub app_name: String,
    pub plan: String,
    pub status: String,
    pub type_name: String,
    pub readable_version: String,
    pub hostname: String,
    pub features: Vec<Feature>,
}

impl Database {
    pub fn engine(&self) -> Option<Engine> {
        Engine::from_name(&self.type_name)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Feature {
    pub name: String,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct User {
    pub name: String,
    pub read_only: bool,
    pub protected: bool,
    pub dbms_attributes: Option<DbmsAttributes>,
}

impl User {
    pub fn password_encryption(&self) -> Option<&str> {
        self.dbms_attributes.as_ref()?.password_encryption.as_deref()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DbmsAttributes {
    /// The platform's usual values are shared rather than allocated once per user: a list may
    /// hold 100 000 users.
    #[serde(deserialize_with = "shared_text")]
    pub password_encryption: Option<Cow<'static, str>>,
}

/// A string, borrowed from a fixed list when it is one of the usual values.
fn shared_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Cow<'static, str>>, D::Error> {
    const USUAL: [&str; 2] = ["SCRAM-SHA-256", "md5"];
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Option<Cow<'static, str>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(Some(match USUAL.iter().find(|u| **u == text) {
                Some(usual) => Cow::Borrowed(*usual),
                None => Cow::Owned(text.to_owned()),
            }))
        }
    }
    deserializer.deserialize_option(Text)
}

/// A user as create and reset return it: the only moment its password is visible.
#[derive(Debug, Clone)]
pub struct UserWithPassword {
    pub user: User,
    /// `None` when the platform did not echo a password (a chosen one usually is not shown).
    pub password: Option<SecretString>,
}

/// What the operator asked for in the create form. `password: None` lets the platform
/// generate one and return it once.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub read_only: bool,
    pub password: Option<SecretString>,
}
