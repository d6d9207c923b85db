//! The picker's state: its rows, where each region's listing stands, and the recent databases.

use std::collections::{BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::super::list::ListState;
use super::super::msg::RequestId;
use super::super::state::Remote;
use crate::api::{Addon, Engine};

/// A database opened lately. Names only: nothing secret is remembered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recent {
    pub region: String,
    pub app: String,
    /// The addon id (an app may hold a PostgreSQL and a MySQL database).
    #[serde(default)]
    pub addon: String,
}

/// One database in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct PickerRow {
    pub region: String,
    pub app: String,
    /// `None` for a dedicated database known only from `/v1/databases`: its addon is looked up
    /// when it is opened.
    pub addon: Option<Addon>,
    pub engine: Engine,
    pub plan: String,
    pub status: String,
    pub dedicated: bool,
    /// From the list kept by an earlier run, not yet confirmed by this run's listing.
    pub cached: bool,
}

/// One database as the list kept between runs holds it: where it is and what it is, nothing
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedDatabase {
    pub region: String,
    pub app: String,
    /// Empty for a dedicated database known by name only.
    #[serde(default)]
    pub addon: String,
    /// `postgresql` or `mysql`.
    pub engine: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub dedicated: bool,
}

impl CachedDatabase {
    pub fn from_row(row: &PickerRow) -> CachedDatabase {
        let engine = match row.engine {
            Engine::PostgreSql => "postgresql",
            Engine::MySql => "mysql",
        };
        CachedDatabase {
            region: row.region.clone(),
            app: row.app.clone(),
            addon: row.addon_id().to_owned(),
            engine: engine.into(),
            plan: row.plan.clone(),
            status: row.status.clone(),
            dedicated: row.dedicated,
        }
    }

    /// The row it stands for until the listing confirms it: its addon known by id only, so
    /// opening it looks the addon up.
    pub fn to_row(&self) -> Option<PickerRow> {
        Some(PickerRow {
            region: self.region.clone(),
            app: self.app.clone(),
            addon: (!self.addon.is_empty()).then(|| Addon { id: self.addon.clone(), ..Addon::default() }),
            engine: Engine::from_name(&self.engine)?,
            plan: self.plan.clone(),
            status: self.status.clone(),
            dedicated: self.dedicated,
            cached: true,
        })
    }
}

impl PickerRow {
    pub(super) fn addon_id(&self) -> &str {
        self.addon.as_ref().map_or("", |a| a.id.as_str())
    }

    /// Unique among the rows; keeps the selection on the same database as rows arrive.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.region, self.app, self.addon_id())
    }

    /// What the filter looks in.
    pub(super) fn text(&self) -> String {
        format!("{} {} {} {}", self.app, self.engine.label(), self.plan, self.region)
    }
}

/// Where one part of a region's listing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Loading,
    Done,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionLoad {
    pub name: String,
    pub apps: Progress,
    pub dedicated: Progress,
}

#[derive(Debug, Clone, Default)]
pub struct Picker {
    /// A listing was started (the first time the picker is shown).
    pub started: bool,
    /// The region list: its names arrive first, then each region's listing.
    pub regions: Remote<Vec<RegionLoad>>,
    pub rows: Vec<PickerRow>,
    pub list: ListState,
    /// Every request of the current listing; answers to others are stale.
    pub pending: BTreeSet<RequestId>,
    /// Apps whose addons are still to be listed: (region, app).
    pub queue: VecDeque<(String, String)>,
    /// Addon listings in flight.
    pub listing: usize,
    pub apps_total: usize,
    pub apps_read: usize,
    /// Apps whose addons could not be listed: "app (region): why".
    pub app_errors: Vec<String>,
    /// The same apps, as (region, app): their cached rows are kept.
    pub failed_apps: BTreeSet<(String, String)>,
    /// The operator moved the selection: it then follows its row as rows arrive (else it stays
    /// on the first row, the most recent database).
    pub moved: bool,
}

impl Picker {
    /// The rows passing the filter, in display order.
    pub fn visible(&self) -> Vec<&PickerRow> {
        self.list.shown().iter().filter_map(|&i| self.rows.get(i)).collect()
    }

    pub fn selected(&self) -> Option<&PickerRow> {
        self.rows.get(self.list.selected_row()?)
    }

    /// Filters the rows again (they or the filter changed).
    pub fn refilter(&mut self) {
        let texts: Vec<String> = self.rows.iter().map(PickerRow::text).collect();
        self.list.refilter(texts);
    }

    pub fn loading(&self) -> bool {
        !self.pending.is_empty() || !self.queue.is_empty()
    }

    /// Problems to show under the list: regions or apps that could not be read.
    pub fn problems(&self) -> Vec<String> {
        let mut out = vec![];
        if let Some(e) = &self.regions.error {
            out.push(format!("Regions: {e}"));
        }
        for region in self.regions.data.iter().flatten() {
            if let Progress::Failed(e) = &region.apps {
                out.push(format!("{}: apps: {e}", region.name));
            }
            if let Progress::Failed(e) = &region.dedicated {
                out.push(format!("{}: dedicated databases: {e}", region.name));
            }
        }
        match self.app_errors.as_slice() {
            [] => {}
            [one] => out.push(one.clone()),
            [first, rest @ ..] => out.push(format!("{first} (and {} more apps)", rest.len())),
        }
        out
    }
}
