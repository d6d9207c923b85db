//! The line above the status that stays while a change's outcome is unknown: the status line
//! is overwritten by the next message, this line only by a list that settles the change.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::widgets::wrapped_height;
use crate::app::State;
use crate::app::display::shown;
use crate::app::unsettled;

/// Rows at most: the line is about 200 characters, three rows at 80 columns.
const MAX_ROWS: u16 = 4;

fn text(state: &State, theme: &Theme) -> Option<Line<'static>> {
    unsettled::line(state).map(|text| Line::raw(format!(" ! {}", theme.spelled(&shown(&text)))))
}

/// Rows the line needs at `width` (none when nothing is unsettled).
pub fn height(state: &State, width: u16, theme: &Theme) -> u16 {
    text(state, theme).map_or(0, |line| wrapped_height(&[line], width).min(MAX_ROWS))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    if let Some(line) = text(state, theme) {
        let line = line.style(theme.danger);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), area);
    }
}
