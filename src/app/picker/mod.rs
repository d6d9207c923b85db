//! The database picker: every PostgreSQL and MySQL database the operator can reach, in every
//! region (or the pinned one), listed as it loads. Rows come from each app's addons (at most
//! [`MAX_LISTINGS`] listed at a time, to stay well inside 60 requests a minute) and from the
//! dedicated databases list. Recently opened databases come first. Enter opens one; from the
//! dashboard, `o` comes back here without reloading, so switching costs only the database's own
//! requests.
//!
//! The list is kept between runs: shown at once at start (rows marked `cached`), then listed
//! again in the background; a row the new listing does not confirm goes when it ends, unless
//! what would have confirmed it could not be read.

mod msg;
mod types;

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod tests_cache;
#[cfg(test)]
mod tests_reopen;

pub use msg::{PickerEffect, PickerMsg};
pub use types::*;

use super::msg::{Effect, Lookup, OpenRequest};
use super::state::{Current, Dashboard, IfOpenFails, Screen, State};
use super::update::{answered, begin_request};
use crate::api::{Addon, ApiError, DedicatedDatabase, Engine};

/// Addon listings in flight at once.
pub const MAX_LISTINGS: usize = 4;
/// Databases remembered as recent.
pub const MAX_RECENTS: usize = 10;

/// Shows the picker, listing everything the first time.
pub(super) fn on_shown(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Picker;
    if state.picker.started { vec![] } else { load(state) }
}

/// The list an earlier run kept, shown until the listing confirms or drops each row. Pinned
/// to a region, only that region's.
pub fn restore(state: &mut State, cached: &[CachedDatabase]) {
    let pin = state.session.region.clone();
    let rows = cached.iter().filter(|c| pin.as_ref().is_none_or(|p| *p == c.region));
    state.picker.rows = rows.filter_map(CachedDatabase::to_row).collect();
    sort(state, None);
}

/// Lists everything again (`r`, or the first time): the regions, then each region's apps and
/// dedicated databases, then the apps' addons. The rows shown stay until the listing ends.
pub(super) fn load(state: &mut State) -> Vec<Effect> {
    let list = std::mem::take(&mut state.picker.list);
    let mut rows = std::mem::take(&mut state.picker.rows);
    for row in &mut rows {
        row.cached = true;
    }
    state.picker = Picker { started: true, list, rows, ..Picker::default() };
    let id = begin_request(state);
    state.picker.regions.pending = Some(id);
    state.picker.pending.insert(id);
    vec![Effect::Picker(PickerEffect::LoadRegions { id })]
}

pub(super) fn on_msg(state: &mut State, msg: PickerMsg) -> Vec<Effect> {
    answered(state);
    let id = match &msg {
        PickerMsg::Regions { id, .. }
        | PickerMsg::Apps { id, .. }
        | PickerMsg::Dedicated { id, .. }
        | PickerMsg::Addons { id, .. } => *id,
    };
    if !state.picker.pending.remove(&id) {
        return vec![];
    }
    let failed = match &msg {
        PickerMsg::Regions { result, .. } => result.as_ref().err(),
        PickerMsg::Apps { result, .. } => result.as_ref().err(),
        PickerMsg::Dedicated { result, .. } => result.as_ref().err(),
        PickerMsg::Addons { result, .. } => result.as_ref().err(),
    };
    // A refused token is no region's problem: every request would fail the same way.
    if failed.is_some_and(|e| super::token::refused(state, e)) {
        return vec![];
    }
    let mut effects = match msg {
        PickerMsg::Regions { result, .. } => on_regions(state, result),
        PickerMsg::Apps { region, result, .. } => on_apps(state, &region, result),
        PickerMsg::Dedicated { region, result, .. } => {
            on_dedicated(state, &region, result);
            vec![]
        }
        PickerMsg::Addons { region, app, result, .. } => on_addons(state, &region, &app, result),
    };
    if !state.picker.loading() {
        effects.extend(finish(state));
    }
    effects
}

/// The listing is over: cached rows it did not confirm go, unless their app or region could
/// not be read (then they stay, still marked). The list is then kept for the next start.
fn finish(state: &mut State) -> Vec<Effect> {
    let picker = &state.picker;
    // The regions could not be read: nothing was confirmed, nothing is dropped.
    let Some(regions) = &picker.regions.data else { return vec![] };
    let unread = |row: &PickerRow| {
        picker.failed_apps.contains(&(row.region.clone(), row.app.clone()))
            || regions
                .iter()
                .any(|r| r.name == row.region && (r.apps != Progress::Done || r.dedicated != Progress::Done))
    };
    let kept: Vec<PickerRow> = picker.rows.iter().filter(|r| !r.cached || unread(r)).cloned().collect();
    let selected = state.picker.selected().map(PickerRow::key);
    state.picker.rows = kept;
    sort(state, selected);
    let cache = state.picker.rows.iter().map(CachedDatabase::from_row).collect();
    vec![Effect::Picker(PickerEffect::SaveCache(cache))]
}

fn on_regions(state: &mut State, result: Result<Vec<String>, ApiError>) -> Vec<Effect> {
    state.picker.regions.pending = None;
    let names = match result {
        Ok(names) => names,
        Err(e) => {
            state.picker.regions.error = Some(e.to_string());
            return vec![];
        }
    };
    let mut effects = vec![];
    let mut loads = vec![];
    for region in names {
        let (apps, dedicated) = (begin_request(state), begin_request(state));
        state.picker.pending.extend([apps, dedicated]);
        effects.push(Effect::Picker(PickerEffect::ListApps { id: apps, region: region.clone() }));
        effects.push(Effect::Picker(PickerEffect::ListDedicated { id: dedicated, region: region.clone() }));
        loads.push(RegionLoad { name: region, apps: Progress::Loading, dedicated: Progress::Loading });
    }
    state.picker.regions.data = Some(loads);
    effects
}

fn region_mut<'a>(state: &'a mut State, name: &str) -> Option<&'a mut RegionLoad> {
    state.picker.regions.data.iter_mut().flatten().find(|r| r.name == name)
}

fn on_apps(state: &mut State, region: &str, result: Result<Vec<crate::api::App>, ApiError>) -> Vec<Effect> {
    let progress = match result {
        Ok(apps) => {
            state.picker.apps_total += apps.len();
            let queued = apps.into_iter().map(|app| (region.to_owned(), app.name));
            state.picker.queue.extend(queued);
            Progress::Done
        }
        Err(e) => Progress::Failed(e.to_string()),
    };
    if let Some(load) = region_mut(state, region) {
        load.apps = progress;
    }
    pump(state)
}

/// Starts addon listings from the queue, up to [`MAX_LISTINGS`] in flight.
fn pump(state: &mut State) -> Vec<Effect> {
    let mut effects = vec![];
    while state.picker.listing < MAX_LISTINGS {
        let Some((region, app)) = state.picker.queue.pop_front() else { break };
        let id = begin_request(state);
        state.picker.pending.insert(id);
        state.picker.listing += 1;
        effects.push(Effect::Picker(PickerEffect::ListAddons { id, region, app }));
    }
    effects
}

fn on_addons(
    state: &mut State,
    region: &str,
    app: &str,
    result: Result<Vec<Addon>, ApiError>,
) -> Vec<Effect> {
    state.picker.listing = state.picker.listing.saturating_sub(1);
    state.picker.apps_read += 1;
    match result {
        Ok(addons) => {
            for addon in addons {
                let Some(engine) = addon_engine(&addon) else { continue };
                let dedicated = is_dedicated_provider(&addon);
                let row = PickerRow {
                    region: region.to_owned(),
                    app: app.to_owned(),
                    engine,
                    plan: addon.plan.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                    status: addon.status.clone(),
                    addon: Some(addon),
                    dedicated,
                    cached: false,
                };
                upsert(state, row);
            }
        }
        Err(e) => {
            state.picker.app_errors.push(format!("{app} ({region}): {e}"));
            state.picker.failed_apps.insert((region.to_owned(), app.to_owned()));
        }
    }
    pump(state)
}

fn on_dedicated(state: &mut State, region: &str, result: Result<Vec<DedicatedDatabase>, ApiError>) {
    let progress = match result {
        Ok(list) => {
            for db in list {
                let addon = db.addon_id.clone().map(|id| Addon { id, ..Addon::default() });
                let row = PickerRow {
                    region: region.to_owned(),
                    app: db.name.clone(),
                    addon,
                    engine: Engine::from_name(&db.technology).unwrap_or(Engine::PostgreSql),
                    plan: db.plan.clone(),
                    status: String::new(),
                    dedicated: true,
                    cached: false,
                };
                upsert(state, row);
            }
            Progress::Done
        }
        Err(e) => Progress::Failed(e.to_string()),
    };
    if let Some(load) = region_mut(state, region) {
        load.dedicated = progress;
    }
}

fn addon_engine(addon: &Addon) -> Option<Engine> {
    let provider = addon.addon_provider.as_ref()?;
    Engine::from_name(&provider.id).or_else(|| Engine::from_name(&provider.name))
}

fn is_dedicated_provider(addon: &Addon) -> bool {
    addon.addon_provider.as_ref().is_some_and(|p| p.id.eq_ignore_ascii_case("postgresql-ng"))
}

/// Adds a row, or merges it with what is known of the same database: an app's addon and the
/// dedicated list's entry for that app are one database.
fn upsert(state: &mut State, mut row: PickerRow) {
    let selected = state.picker.selected().map(PickerRow::key);
    let rows = &mut state.picker.rows;
    // What was cached of this database gives way to what was read (by addon id when both have
    // one: an app may hold a PostgreSQL and a MySQL database). Until the dedicated list
    // confirms it, the cache's word on being dedicated holds.
    let id = row.addon_id().to_owned();
    rows.retain(|r| {
        let same = r.cached
            && r.region == row.region
            && r.app == row.app
            && (r.addon_id() == id || r.addon_id().is_empty() || id.is_empty());
        row.dedicated |= same && r.dedicated;
        !same
    });
    let same_app = |r: &PickerRow| r.region == row.region && r.app == row.app;
    if row.addon.as_ref().is_some_and(|a| a.addon_provider.is_some()) {
        // Full addon details replace a dedicated entry known by name only.
        if let Some(i) = rows
            .iter()
            .position(|r| same_app(r) && r.addon.as_ref().is_none_or(|a| a.addon_provider.is_none()))
        {
            let known = rows.remove(i);
            row.dedicated = true;
            if row.plan.is_empty() {
                row.plan = known.plan;
            }
        }
        if let Some(existing) = rows.iter_mut().find(|r| r.key() == row.key()) {
            row.dedicated |= existing.dedicated;
            *existing = row;
        } else {
            rows.push(row);
        }
    } else if let Some(existing) = rows.iter_mut().find(|r| same_app(r)) {
        // The app's addons came first: it is dedicated, nothing else changes.
        existing.dedicated = true;
    } else {
        rows.push(row);
    }
    sort(state, selected);
}

/// Recent databases first (most recent first), then by app name, engine and region; the
/// selection stays on the row it was on.
fn sort(state: &mut State, selected: Option<String>) {
    let recents = &state.recents;
    let rank = |row: &PickerRow| {
        recents
            .iter()
            .position(|r| {
                r.region == row.region
                    && r.app == row.app
                    && (r.addon.is_empty() || r.addon == row.addon_id())
            })
            .unwrap_or(usize::MAX)
    };
    let engine_order = |e: Engine| matches!(e, Engine::MySql);
    state.picker.rows.sort_by(|a, b| {
        (rank(a), a.app.as_str(), engine_order(a.engine), a.region.as_str()).cmp(&(
            rank(b),
            b.app.as_str(),
            engine_order(b.engine),
            b.region.as_str(),
        ))
    });
    let picker = &mut state.picker;
    picker.refilter();
    if !picker.moved {
        picker.list.selected = 0;
    }
    let rows = &picker.rows;
    picker.list.reselect(|i| picker.moved && selected.as_deref() == Some(rows[i].key().as_str()));
}

/// Enter: opens the selected database.
pub(super) fn open_selected(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.picker.selected().cloned() else { return vec![] };
    leave_dashboard(state);
    let current = Current {
        region: row.region.clone(),
        app: row.app.clone(),
        addon: row.addon_id().to_owned(),
        dedicated: row.dedicated,
    };
    state.screen = Screen::Dashboard(Box::new(Dashboard::new(current, IfOpenFails::Picker)));
    let lookup = match row.addon {
        Some(addon) if addon.addon_provider.is_some() => Lookup::Known(addon),
        Some(addon) => Lookup::Addon(addon.id),
        None => Lookup::Database,
    };
    super::update::connect(state, OpenRequest { region: Some(row.region), app: row.app, lookup })
}

/// `o` on the dashboard: back to the picker, unfiltered, on its first row (the database just
/// left, now the most recent).
pub(super) fn back(state: &mut State) -> Vec<Effect> {
    leave_dashboard(state);
    state.picker.list.clear_filter();
    state.picker.list.filter_editing = false;
    state.picker.moved = false;
    on_shown(state)
}

/// Forgets everything about the database shown (the dashboard is dropped whole, to the
/// picker), any modal, and any answer still on its way (dropped when it arrives).
pub(super) fn leave_dashboard(state: &mut State) {
    state.screen = Screen::Picker;
    state.modal = None;
    state.status = None;
    state.left_before = state.next_id;
}

/// A database opened: it becomes the most recent, and the list is sorted again.
pub(super) fn remember(state: &mut State, recent: Recent) -> Vec<Effect> {
    state.recents.retain(|r| !(r.region == recent.region && r.app == recent.app && r.addon == recent.addon));
    state.recents.insert(0, recent);
    state.recents.truncate(MAX_RECENTS);
    let selected = state.picker.selected().map(PickerRow::key);
    sort(state, selected);
    vec![Effect::SaveRecents(state.recents.clone())]
}
