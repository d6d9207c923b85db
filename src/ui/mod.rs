//! Drawing: a pure function of the state. One file per tab and per modal; the footer and help
//! read the one key table (`app::keys`) that dispatch uses.

mod columns;
mod footer;
mod header;
mod modals;
mod picker;
mod tabs;
pub mod theme;
mod token;
mod unsettled;
mod widgets;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_columns;
#[cfg(test)]
mod tests_extensions;
#[cfg(test)]
mod tests_forms;
#[cfg(test)]
mod tests_hostile;
#[cfg(test)]
mod tests_internet;
#[cfg(test)]
mod tests_keys;
#[cfg(test)]
mod tests_modals;
#[cfg(test)]
mod tests_outcomes;
#[cfg(test)]
mod tests_picker;
#[cfg(test)]
mod tests_scroll;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::State;
use crate::app::state::{Dashboard, Screen, Tab};
use crate::term::{MIN_HEIGHT, MIN_WIDTH, too_small};
pub use theme::Theme;

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    if too_small(area.width, area.height) {
        let text = format!(
            "Terminal too small: dbdeck needs {MIN_WIDTH}x{MIN_HEIGHT}, this is {}x{}. Enlarge it, or press q to quit.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(Line::styled(text, theme.warn)).wrap(Wrap { trim: true }), area);
        return;
    }
    match &state.screen {
        Screen::Token => token::draw(frame, area, state, theme),
        Screen::Picker => draw_picker(frame, area, state, theme),
        Screen::Dashboard(dash) => draw_dashboard(frame, area, state, dash, theme),
    }
    modals::draw(frame, area, state, theme);
}

fn draw_picker(frame: &mut Frame, area: ratatui::layout::Rect, state: &State, theme: &Theme) {
    let [header_area, body, status_area, footer_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(footer::status_height(state, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    picker::draw_header(frame, header_area, state, theme);
    picker::draw_body(frame, body, state, theme);
    footer::draw_status(frame, status_area, state, theme);
    footer::draw_keys(frame, footer_area, state, theme);
}

fn draw_dashboard(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    state: &State,
    dash: &Dashboard,
    theme: &Theme,
) {
    let [header_area, tabs_area, body, unsettled_area, status_area, footer_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(unsettled::height(state, area.width, theme)),
        Constraint::Length(footer::status_height(state, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(frame, header_area, tabs_area, state, dash, theme);
    match dash.tab {
        Tab::Users => tabs::users::draw(frame, body, state, dash, theme),
        Tab::Extensions => tabs::extensions::draw(frame, body, state, dash, theme),
        Tab::InternetAccess => tabs::internet::draw(frame, body, state, dash, theme),
    }
    unsettled::draw(frame, unsettled_area, state, theme);
    footer::draw_status(frame, status_area, state, theme);
    footer::draw_keys(frame, footer_area, state, theme);
}
