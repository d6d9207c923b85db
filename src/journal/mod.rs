//! The journal of changes: one JSON object per line, appended before a change is sent (the
//! intent) and again once its outcome is known, so that "who changed what, from where, and how
//! did it end" can be answered later, even after a crash between the two.
//!
//! Every line stands alone: it repeats who and where, and `id` ties an intent to its outcome
//! and to the settled outcome that follows an unknown one. Nothing secret is ever a field: no
//! password, token or URL (the values come from names, ids and the server's refusals).

mod read;
mod settle;
mod table;
pub mod time;
mod write;

use serde::{Deserialize, Serialize};

pub use read::{ChangeRow, Filter, Read, read_entries, recent_changes};
pub use settle::{Check, ReadMark};
pub use table::{render_json, render_table};
pub use write::{Journal, JournalError, Pending, Who, demo_journal};

/// What a line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Written before the request is sent.
    Intent,
    /// The answer: done, refused or unknown.
    Outcome,
    /// A later read said what became of a change whose answer was lost.
    Settled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    /// The platform (or PostgreSQL) said no: nothing changed.
    Refused,
    /// The answer was lost: it may or may not have been made.
    Unknown,
    /// Settled: the read shows it was not made.
    NotDone,
}

impl Outcome {
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Refused => "refused",
            Outcome::Unknown => "unknown",
            Outcome::NotDone => "not done",
        }
    }
}

/// The kinds of change dbdeck makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    CreateUser,
    ResetPassword,
    SetPassword,
    DeleteUser,
    EnableFeature,
    DisableFeature,
    AddFirewallRule,
    DeleteFirewallRule,
    /// A custom rule's label changed (the entry's `label` is the new one).
    LabelFirewallRule,
    EnableExtension,
    DisableExtension,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::CreateUser => "create_user",
            Action::ResetPassword => "reset_password",
            Action::SetPassword => "set_password",
            Action::DeleteUser => "delete_user",
            Action::EnableFeature => "enable_feature",
            Action::DisableFeature => "disable_feature",
            Action::AddFirewallRule => "add_firewall_rule",
            Action::DeleteFirewallRule => "delete_firewall_rule",
            Action::LabelFirewallRule => "label_firewall_rule",
            Action::EnableExtension => "enable_extension",
            Action::DisableExtension => "disable_extension",
        }
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The same for a change's intent, outcome and settled lines.
    pub id: String,
    pub event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The local account that ran dbdeck.
    pub local_user: String,
    /// The SSH client's address (the first field of `SSH_CONNECTION`), when over SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_from: Option<String>,
    /// The Scalingo account of the token, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scalingo_account: Option<String>,
    pub region: String,
    pub app: String,
    pub addon: String,
    /// `postgresql` or `mysql`, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub action: Action,
    /// A user name, a CIDR or managed range id, an extension or a feature's API name.
    pub target: String,
    /// A new firewall rule's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The platform's request id of a refusal or an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// A refusal in the server's words, or what the settling read showed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Entry {
    /// How the line ended a change, in a word: `intent`, `done`, `settled: not done`…
    pub fn status(&self) -> String {
        match (self.event, self.outcome) {
            (Event::Intent, _) => "intent".into(),
            (Event::Settled, Some(o)) => format!("settled: {}", o.word()),
            (_, Some(o)) => o.word().into(),
            (_, None) => "?".into(),
        }
    }

    /// `alice`, `alice from 203.0.113.5`, `alice (ops) from 203.0.113.5` with the Scalingo
    /// account when known.
    pub fn who(&self) -> String {
        let mut who = self.local_user.clone();
        if let Some(account) = &self.scalingo_account {
            who.push_str(&format!(" ({account})"));
        }
        if let Some(from) = &self.ssh_from {
            who.push_str(&format!(" from {from}"));
        }
        who
    }
}

/// `$XDG_STATE_HOME/dbdeck/journal.jsonl`, else `~/.local/state/dbdeck/journal.jsonl`.
pub fn default_path() -> Option<std::path::PathBuf> {
    let dir = dirs::state_dir().or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))?;
    Some(dir.join("dbdeck").join("journal.jsonl"))
}

#[cfg(test)]
mod tests;
