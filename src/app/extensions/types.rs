//! The Extensions tab's state and the rows of its table.

use super::super::list::ListState;
use super::super::state::Remote;
use crate::api::EnabledExtension;
use crate::sql::{Change, Listing, SqlError};

#[derive(Debug, Clone, Default)]
pub struct ExtensionsTab {
    /// The enabled extensions the API reports: what the tab shows without SQL.
    pub api: Remote<Vec<EnabledExtension>>,
    /// The SQL listing: when present, the table shows it and `e`/`d` work.
    pub sql: Remote<Listing>,
    /// Why the last SQL listing failed (typed, for the hint it calls for).
    pub sql_error: Option<SqlError>,
    /// Loaded once when first shown; then only `r` loads again.
    pub requested: bool,
    pub list: ListState,
}

/// One line of the table, from SQL or (without it) from the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRow {
    pub name: String,
    pub installed: Option<String>,
    /// `None` from the API (it does not say), or when not installed on the server.
    pub default_version: Option<String>,
    pub comment: Option<String>,
    /// In the allowed list (SQL only): the only rows `e`/`d` act on.
    pub allowed: bool,
    /// Known to the server (SQL only): can be enabled.
    pub available: bool,
}

impl ExtensionsTab {
    pub fn rows(&self) -> Vec<ExtensionRow> {
        if let Some(listing) = &self.sql.data {
            return listing
                .extensions
                .iter()
                .map(|e| ExtensionRow {
                    name: e.name.clone(),
                    installed: e.installed_version.clone(),
                    default_version: e.default_version.clone(),
                    comment: e.comment.clone(),
                    allowed: e.allowed,
                    available: e.available(),
                })
                .collect();
        }
        let mut rows: Vec<ExtensionRow> = self
            .api
            .data
            .iter()
            .flatten()
            .map(|e| ExtensionRow {
                name: e.name.clone(),
                installed: Some(e.version.clone()),
                default_version: None,
                comment: None,
                allowed: false,
                available: true,
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        rows
    }

    /// The rows whose name passes the filter.
    pub fn visible(&self) -> Vec<ExtensionRow> {
        self.rows().into_iter().filter(|r| self.list.matches(&r.name)).collect()
    }

    pub fn selected(&self) -> Option<ExtensionRow> {
        self.visible().into_iter().nth(self.list.selected)
    }
}

/// Enabling or disabling an extension, as the confirm form holds it (enabling is confirmed
/// by Enter, disabling by typing the name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionChange {
    pub change: Change,
    pub name: String,
    /// The version it will be enabled at, or is enabled at.
    pub version: Option<String>,
}

impl ExtensionChange {
    pub fn new(change: Change, row: &ExtensionRow) -> Self {
        let version = match change {
            Change::Enable => row.default_version.clone(),
            Change::Disable => row.installed.clone(),
        };
        ExtensionChange { change, name: row.name.clone(), version }
    }
}
