//! Firewall rules of dedicated (DR, `postgresql-ng`) databases and the managed ranges
//! (rules exist for DR databases only; a managed range takes no label). Rules are
//! deny-by-default allow-lists of at most 30.

use reqwest::Method;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::ScalingoClient;
use super::cidr::Ipv4Cidr;
use super::client::{Service, decode, decode_error, expect};
use super::error::ApiError;
use super::http::Retry;
use super::types::DbTarget;

/// The most rules a database may have (documentation; the server's refusal is unknown).
pub const MAX_FIREWALL_RULES: usize = 30;

pub const CUSTOM_RANGE: &str = "custom_range";
pub const MANAGED_RANGE: &str = "managed_range";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FirewallRule {
    pub id: String,
    /// `custom_range` or `managed_range`.
    #[serde(rename = "type")]
    pub kind: String,
    pub cidr: Option<String>,
    pub label: Option<String>,
    pub range_id: Option<String>,
    pub database_id: String,
}

impl FirewallRule {
    pub fn is_managed(&self) -> bool {
        self.kind == MANAGED_RANGE
    }

    /// What identifies it to the operator: its CIDR, or its managed range's id.
    pub fn source(&self) -> &str {
        let value = if self.is_managed() { &self.range_id } else { &self.cidr };
        value.as_deref().unwrap_or("")
    }
}

/// A Scalingo-managed range, e.g. `mr-scalingo-osc-fr1` "Scalingo osc-fr1 region".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ManagedRange {
    pub id: String,
    pub name: String,
}

/// A rule to create: a canonical CIDR with an optional label, xor a managed range (no label).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewFirewallRule {
    Custom { cidr: Ipv4Cidr, label: Option<String> },
    Managed { range_id: String },
}

impl NewFirewallRule {
    /// The unwrapped body GS and the CLI send (the dashboard wraps it in `firewall_rule`).
    pub fn body(&self) -> serde_json::Value {
        match self {
            NewFirewallRule::Custom { cidr, label: Some(label) } => {
                serde_json::json!({"type": CUSTOM_RANGE, "cidr": cidr.to_string(), "label": label})
            }
            NewFirewallRule::Custom { cidr, label: None } => {
                serde_json::json!({"type": CUSTOM_RANGE, "cidr": cidr.to_string()})
            }
            NewFirewallRule::Managed { range_id } => {
                serde_json::json!({"type": MANAGED_RANGE, "range_id": range_id})
            }
        }
    }

    /// The CIDR or range id, as a rule shows it once created.
    pub fn source(&self) -> String {
        match self {
            NewFirewallRule::Custom { cidr, .. } => cidr.to_string(),
            NewFirewallRule::Managed { range_id } => range_id.clone(),
        }
    }

    /// Whether `rule` is this one (same CIDR or same range).
    pub fn same_as(&self, rule: &FirewallRule) -> bool {
        let managed = matches!(self, NewFirewallRule::Managed { .. });
        rule.is_managed() == managed && rule.source() == self.source()
    }
}

impl ScalingoClient {
    /// `GET /databases/{id}/firewall_rules` → `{"rules": [...]}`.
    pub async fn list_firewall_rules(&self, target: &DbTarget) -> Result<Vec<FirewallRule>, ApiError> {
        #[derive(Deserialize)]
        struct Rules {
            rules: Vec<FirewallRule>,
        }
        let url = self.url(Service::Db, &["databases", &target.addon_id, "firewall_rules"])?;
        let reply = self.db_call(target, Method::GET, url, None, Retry::Idempotent).await?;
        let rules: Rules = decode(expect(reply, &[200])?, "the firewall rules")?;
        Ok(rules.rules)
    }

    /// `POST /databases/{id}/firewall_rules` → 201 `{"rule": Rule}` (bare before Dec 2025).
    /// Never retried: an unknown outcome is settled by listing again.
    pub async fn create_firewall_rule(
        &self,
        target: &DbTarget,
        rule: &NewFirewallRule,
    ) -> Result<FirewallRule, ApiError> {
        #[derive(Deserialize)]
        struct Wrapped {
            rule: FirewallRule,
        }
        let url = self.url(Service::Db, &["databases", &target.addon_id, "firewall_rules"])?;
        let body = serde_json::to_vec(&rule.body()).expect("a JSON value serializes");
        let reply = self.db_call(target, Method::POST, url, Some(Zeroizing::new(body)), Retry::Once).await?;
        let reply = expect(reply, &[201])?;
        match serde_json::from_slice::<Wrapped>(&reply.body) {
            Ok(wrapped) => Ok(wrapped.rule),
            Err(_) => serde_json::from_slice::<FirewallRule>(&reply.body)
                .map_err(|e| decode_error("the created rule", &e, &reply)),
        }
    }

    /// `DELETE /databases/{id}/firewall_rules/{rule_id}` → 204.
    pub async fn delete_firewall_rule(&self, target: &DbTarget, rule_id: &str) -> Result<(), ApiError> {
        let url = self.url(Service::Db, &["databases", &target.addon_id, "firewall_rules", rule_id])?;
        let reply = self.db_call(target, Method::DELETE, url, None, Retry::Idempotent).await?;
        if reply.status == 404 && reply.after_unknown {
            return Ok(());
        }
        expect(reply, &[204]).map(drop)
    }

    /// `PATCH /databases/{id}/firewall_rules/{rule_id}` `{"firewall_rule": {"label": ...}}` →
    /// 200 `{"rule": Rule}`: only a custom rule's label can change. Sent once, like every PATCH;
    /// an empty label clears it.
    pub async fn update_firewall_rule_label(
        &self,
        target: &DbTarget,
        rule_id: &str,
        label: &str,
    ) -> Result<FirewallRule, ApiError> {
        #[derive(Deserialize)]
        struct Wrapped {
            rule: FirewallRule,
        }
        let url = self.url(Service::Db, &["databases", &target.addon_id, "firewall_rules", rule_id])?;
        let body = serde_json::json!({"firewall_rule": {"label": label}});
        let body = serde_json::to_vec(&body).expect("a JSON value serializes");
        let reply = self.db_call(target, Method::PATCH, url, Some(Zeroizing::new(body)), Retry::Once).await?;
        let wrapped: Wrapped = decode(expect(reply, &[200])?, "the updated rule")?;
        Ok(wrapped.rule)
    }

    /// `GET /firewall/managed_ranges` → `{"ranges": [...]}`: global, but wants the addon token
    /// of a database all the same.
    pub async fn managed_ranges(&self, target: &DbTarget) -> Result<Vec<ManagedRange>, ApiError> {
        #[derive(Deserialize)]
        struct Ranges {
            ranges: Vec<ManagedRange>,
        }
        let url = self.url(Service::Db, &["firewall", "managed_ranges"])?;
        let reply = self.db_call(target, Method::GET, url, None, Retry::Idempotent).await?;
        let ranges: Ranges = decode(expect(reply, &[200])?, "the managed ranges")?;
        Ok(ranges.ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_unwrapped_and_omit_empty_fields() {
        let cidr = Ipv4Cidr::parse_canonical("203.0.113.0/24").unwrap();
        let office = NewFirewallRule::Custom { cidr, label: Some("Office".into()) };
        assert_eq!(
            office.body(),
            serde_json::json!({"type": "custom_range", "cidr": "203.0.113.0/24", "label": "Office"})
        );
        let bare = NewFirewallRule::Custom { cidr, label: None };
        assert_eq!(bare.body(), serde_json::json!({"type": "custom_range", "cidr": "203.0.113.0/24"}));
        let managed = NewFirewallRule::Managed { range_id: "mr-scalingo-osc-fr1".into() };
        assert_eq!(
            managed.body(),
            serde_json::json!({"type": "managed_range", "range_id": "mr-scalingo-osc-fr1"})
        );
        let rule = FirewallRule {
            kind: MANAGED_RANGE.into(),
            range_id: Some("mr-scalingo-osc-fr1".into()),
            ..FirewallRule::default()
        };
        assert!(managed.same_as(&rule) && !office.same_as(&rule));
    }
}
