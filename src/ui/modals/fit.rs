//! A centered box sized to its content: wrapped text and one-row fields, stacked with `Layout`.
//! When the terminal is too short for everything, spacers go first, then details, then the
//! explanations; what the operator must read or type (`Keep::Must`) goes last, so the line that
//! says what to type and the field to type it in are the rows that stay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::ui::theme::Theme;
use crate::ui::widgets::{framed, shorten};

/// How much a part of the box matters, least first: the order in which parts are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Keep {
    /// A blank row between groups.
    Spacer,
    /// A hint that helps but says nothing the operator must know now.
    Detail,
    /// The question, the consequence: dropped only when the box cannot hold them.
    Explain,
    /// The instruction, the name to type, the field, a problem: never dropped.
    Must,
}

enum Content<'a> {
    Text(Vec<Line<'a>>),
    /// Rows the caller draws into (an input field, a boxed password).
    Rows(u16),
}

/// The parts of a modal, top to bottom.
pub struct Body<'a> {
    parts: Vec<(Content<'a>, Keep)>,
}

/// Where each part landed, by the index its `push` returned; `None` when it was dropped.
pub struct Placed(Vec<Option<Rect>>);

impl Placed {
    pub fn get(&self, index: usize) -> Option<Rect> {
        self.0.get(index).copied().flatten()
    }
}

/// Borders and horizontal padding around the body.
const CHROME_WIDTH: u16 = 4;
const CHROME_HEIGHT: u16 = 2;

/// The width of the body of a box at most `max_width` wide drawn in `area`.
pub fn body_width(area: Rect, max_width: u16) -> u16 {
    max_width.min(area.width).saturating_sub(CHROME_WIDTH)
}

impl<'a> Body<'a> {
    pub fn new() -> Self {
        Body { parts: Vec::new() }
    }

    /// Wrapped text; returns its index.
    pub fn text(&mut self, line: impl Into<Line<'a>>, keep: Keep) -> usize {
        self.parts.push((Content::Text(vec![line.into()]), keep));
        self.parts.len() - 1
    }

    /// `height` rows the caller fills; returns their index.
    pub fn rows(&mut self, height: u16, keep: Keep) -> usize {
        self.parts.push((Content::Rows(height), keep));
        self.parts.len() - 1
    }

    /// One row for an input field (always kept).
    pub fn field(&mut self) -> usize {
        self.rows(1, Keep::Must)
    }

    /// A blank row.
    pub fn gap(&mut self) {
        self.parts.push((Content::Rows(1), Keep::Spacer));
    }

    /// Draws the box in the middle of `area`, at most `max_width` wide and as tall as its parts,
    /// with the text drawn; returns where each part is, for the caller to draw its fields.
    pub fn draw(self, frame: &mut Frame, area: Rect, max_width: u16, title: &str, theme: &Theme) -> Placed {
        let width = body_width(area, max_width);
        let heights: Vec<u16> = self
            .parts
            .iter()
            .map(|(content, _)| match content {
                Content::Text(lines) => text_height(lines, width),
                Content::Rows(rows) => *rows,
            })
            .collect();
        let room = area.height.saturating_sub(CHROME_HEIGHT);
        let kept = fit(&self.parts.iter().map(|(_, keep)| *keep).collect::<Vec<_>>(), &heights, room);
        let used: u16 = heights.iter().zip(&kept).filter(|(_, k)| **k).map(|(h, _)| *h).sum();

        let rect = area.centered(
            Constraint::Length(max_width.min(area.width)),
            Constraint::Length((used + CHROME_HEIGHT).min(area.height)),
        );
        // A long name in the title is cut with an ellipsis; the body says it whole.
        let title = shorten(title, usize::from(width), theme);
        let inner = framed(frame, rect, &title, theme);

        let lengths = heights.iter().zip(&kept).filter(|(_, k)| **k).map(|(h, _)| Constraint::Length(*h));
        let mut areas = Layout::vertical(lengths).split(inner).to_vec().into_iter();
        let mut placed = Vec::with_capacity(self.parts.len());
        for ((content, _), keep) in self.parts.into_iter().zip(kept) {
            let at = if keep { areas.next() } else { None };
            if let (Some(at), Content::Text(lines)) = (at, content) {
                frame.render_widget(paragraph(lines), at);
            }
            placed.push(at);
        }
        Placed(placed)
    }
}

/// Text wrapped at word boundaries, keeping a line's leading indent (the problem lines have one).
fn paragraph(lines: Vec<Line<'_>>) -> Paragraph<'_> {
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// Rows the text takes, measured by the wrapper that draws it.
fn text_height(lines: &[Line], width: u16) -> u16 {
    u16::try_from(paragraph(lines.to_vec()).line_count(width.max(1))).unwrap_or(u16::MAX)
}

/// Which parts stay within `room` rows: the least important go first, the lowest of equals first.
fn fit(keeps: &[Keep], heights: &[u16], room: u16) -> Vec<bool> {
    let mut kept = vec![true; keeps.len()];
    let total =
        |kept: &[bool]| -> u16 { heights.iter().zip(kept).filter(|(_, k)| **k).map(|(h, _)| *h).sum() };
    for level in [Keep::Spacer, Keep::Detail, Keep::Explain] {
        for i in (0..keeps.len()).rev() {
            if total(&kept) <= room {
                return kept;
            }
            if keeps[i] == level {
                kept[i] = false;
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacers_then_details_then_explanations_go_never_the_musts() {
        use Keep::*;
        let keeps = [Explain, Spacer, Detail, Must, Spacer, Must];
        let heights = [2, 1, 2, 3, 1, 1];
        assert_eq!(fit(&keeps, &heights, 10), vec![true; 6]);
        assert_eq!(fit(&keeps, &heights, 9), [true, true, true, true, false, true]);
        assert_eq!(fit(&keeps, &heights, 8), [true, false, true, true, false, true]);
        assert_eq!(fit(&keeps, &heights, 6), [true, false, false, true, false, true]);
        assert_eq!(fit(&keeps, &heights, 4), [false, false, false, true, false, true]);
        assert_eq!(fit(&keeps, &heights, 1), [false, false, false, true, false, true]);
    }
}
