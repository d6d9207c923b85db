//! Changes whose answer was lost stay unsettled until a read of the same database shows what
//! became of them; that read is journalled as a `settled` line with the change's id. The reads
//! are the ones dbdeck makes anyway (the user list after a lost answer, the firewall rules, the
//! database's features, the extensions listing), so settling costs no request.

use super::write::Journal;
use super::{Entry, Event, Outcome};
use crate::api::{Database, FeatureStatus, FirewallRule, NewFirewallRule, User};

/// What a read must show for a change to count as made.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// A user list shows this user.
    UserExists(String),
    /// A user list no longer shows this user.
    UserGone(String),
    /// A user list cannot show a password: it settles as still unknown.
    Password(String),
    RuleAdded(NewFirewallRule),
    /// The rule of this id is gone.
    RuleGone(String),
    /// The rule of this id has this label (`None`: none).
    RuleLabel {
        id: String,
        label: Option<String>,
    },
    /// The database's feature (API name) is on (or turning on), or off.
    Feature {
        name: String,
        enable: bool,
    },
    /// The extension is installed, or not.
    Extension {
        name: String,
        enable: bool,
    },
}

#[derive(Debug)]
pub(crate) struct Unsettled {
    intent: Entry,
    check: Check,
    mark: u64,
}

pub(super) fn wait(journal: &Journal, intent: Entry, check: Check) {
    let mark = journal.next_mark();
    if let Some(list) = journal.unsettled() {
        list.lock().unwrap_or_else(|e| e.into_inner()).push(Unsettled { intent, check, mark });
    }
}

/// A read of one database, marked when it was asked for: only a read asked after a change's
/// answer was lost settles it (one already on its way may show the database before the change).
#[derive(Debug, Clone)]
pub struct ReadMark {
    addon: String,
    mark: u64,
}

/// Done when `made`, else not done.
fn verdict(made: bool, shown: String) -> Option<(Outcome, String)> {
    Some((if made { Outcome::Done } else { Outcome::NotDone }, shown))
}

impl Journal {
    /// Marks a read of `addon` about to be asked for.
    pub fn read_mark(&self, addon: &str) -> ReadMark {
        ReadMark { addon: addon.to_owned(), mark: self.next_mark() }
    }

    /// Writes a settled line for each unsettled change that `read` came after and that
    /// `decide` can judge.
    fn settle(&self, read: &ReadMark, decide: impl Fn(&Check) -> Option<(Outcome, String)>) {
        let Some(list) = self.unsettled() else { return };
        let settled: Vec<(Entry, Outcome, String)> = {
            let mut list = list.lock().unwrap_or_else(|e| e.into_inner());
            let mut settled = Vec::new();
            let ours = |u: &Unsettled| u.intent.addon == read.addon && u.mark < read.mark;
            list.retain(|u| match decide(&u.check).filter(|_| ours(u)) {
                Some((outcome, shown)) => {
                    settled.push((u.intent.clone(), outcome, shown));
                    false
                }
                None => true,
            });
            settled
        };
        for (intent, outcome, shown) in settled {
            self.follow(&intent, Event::Settled, outcome, Some(shown), None);
        }
    }

    /// A user list, asked for at `read`.
    pub fn settle_users(&self, read: &ReadMark, users: &[User]) {
        let has = |name: &str| users.iter().any(|u| u.name == name);
        self.settle(read, |check| match check {
            Check::UserExists(name) => {
                verdict(has(name), format!("the user list {} {name}", shows(has(name))))
            }
            Check::UserGone(name) => {
                verdict(!has(name), format!("the user list {} {name}", shows(has(name))))
            }
            Check::Password(_) => {
                Some((Outcome::Unknown, "a user list cannot show whether a password changed".into()))
            }
            _ => None,
        });
    }

    /// A list of the firewall rules, asked for at `read`.
    pub fn settle_rules(&self, read: &ReadMark, rules: &[FirewallRule]) {
        self.settle(read, |check| match check {
            Check::RuleAdded(rule) => {
                let made = rules.iter().any(|r| rule.same_as(r));
                verdict(made, format!("the rule list {} {}", shows(made), rule.source()))
            }
            Check::RuleGone(id) => {
                let still = rules.iter().any(|r| &r.id == id);
                verdict(!still, format!("the rule list {} rule {id}", shows(still)))
            }
            Check::RuleLabel { id, label } => {
                // The rule is gone: nothing can tell what its label became.
                let rule = rules.iter().find(|r| &r.id == id)?;
                let now = rule.label.as_deref().filter(|l| !l.is_empty());
                let made = now == label.as_deref();
                verdict(made, format!("the rule list shows rule {id} labelled {:?}", now.unwrap_or("")))
            }
            _ => None,
        });
    }

    /// The database (its features), asked for at `read`.
    pub fn settle_database(&self, read: &ReadMark, database: &Database) {
        self.settle(read, |check| {
            let Check::Feature { name, enable } = check else { return None };
            let status = FeatureStatus::of(&database.features, name);
            let made = match (enable, status) {
                // Still turning the other way: this read cannot tell yet.
                (true, FeatureStatus::Disabling) | (false, FeatureStatus::Enabling) => return None,
                // The platform took it, whatever became of it afterwards.
                (_, FeatureStatus::Failed) => true,
                (true, s) => matches!(s, FeatureStatus::Enabled | FeatureStatus::Enabling),
                (false, s) => matches!(s, FeatureStatus::Disabled | FeatureStatus::Disabling),
            };
            verdict(made, format!("the database reads {name} {status:?}").to_lowercase())
        });
    }

    /// A SQL listing of the extensions, asked for at `read`: `installed(name)`.
    pub fn settle_extensions(&self, read: &ReadMark, installed: impl Fn(&str) -> bool) {
        self.settle(read, |check| {
            let Check::Extension { name, enable } = check else { return None };
            let now = installed(name);
            let state = if now { "enabled" } else { "not enabled" };
            verdict(now == *enable, format!("the listing shows {name} {state}"))
        });
    }
}

fn shows(yes: bool) -> &'static str {
    if yes { "shows" } else { "does not show" }
}
