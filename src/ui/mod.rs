//! Drawing: a pure function of the state. One file per tab and per modal; `keys` is the one key
//! table that both dispatch and the footer and help read.

mod footer;
mod header;
pub mod keys;
mod modals;
mod tabs;
pub mod theme;
mod widgets;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_extensions;
#[cfg(test)]
mod tests_internet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::State;
use crate::app::state::Tab;
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
    let [header_area, tabs_area, body, status_area, footer_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(footer::status_height(state, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(frame, header_area, tabs_area, state, theme);
    match state.tab {
        Tab::Users => tabs::users::draw(frame, body, state, theme),
        Tab::Extensions => tabs::extensions::draw(frame, body, state, theme),
        Tab::InternetAccess => tabs::internet::draw(frame, body, state, theme),
    }
    footer::draw_status(frame, status_area, state, theme);
    footer::draw_keys(frame, footer_area, state, theme);
    modals::draw(frame, area, state, theme);
}
