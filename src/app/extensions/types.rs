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
    /// The table's rows, built by [`Self::rows_changed`] when a listing arrives.
    rows: Vec<ExtensionRow>,
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
    /// The table's rows: the SQL listing's, else the API's.
    pub fn rows(&self) -> &[ExtensionRow] {
        &self.rows
    }

    /// A listing arrived: builds the rows again and filters them, keeping the selection on
    /// the row named `selected` (or in bounds).
    pub fn rows_changed(&mut self, selected: Option<&str>) {
        self.rows = self.build_rows();
        self.refilter();
        let rows = &self.rows;
        self.list.reselect(|i| selected == Some(rows[i].name.as_str()));
    }

    /// Filters the rows again (they or the filter changed).
    pub fn refilter(&mut self) {
        self.list.refilter(self.rows.iter().map(|r| r.name.as_str()));
    }

    fn build_rows(&self) -> Vec<ExtensionRow> {
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
    pub fn visible(&self) -> Vec<&ExtensionRow> {
        self.list.shown().iter().filter_map(|&i| self.rows.get(i)).collect()
    }

    pub fn selected(&self) -> Option<&ExtensionRow> {
        self.rows.get(self.list.selected_row()?)
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
