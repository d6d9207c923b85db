//! Tables that fit their width. As the terminal narrows, whole columns are dropped, the least
//! useful first (an id before the name it stands for), instead of every column being squeezed
//! until none can be read; a cell still too long for its column is cut with the theme's
//! ellipsis, so a cut value never passes for a whole one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, HighlightSpacing, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::widgets::shorten;
use crate::app::list::ListState;

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    /// The narrowest it is drawn (or as wide as its widest cell, when that is less): below this
    /// it is dropped rather than cut further.
    pub min: u16,
    /// Lower ranks are kept longer; a column is only shown when every lower rank is.
    pub rank: u8,
    /// Takes the room left once every column is as wide as its content.
    pub fill: bool,
}

impl Column {
    pub const fn new(header: &'static str, min: u16, rank: u8) -> Column {
        Column { header, min, rank, fill: false }
    }

    pub const fn fill(self) -> Column {
        Column { fill: true, ..self }
    }
}

/// The space between two columns: two to read them apart, one when that keeps more columns or
/// cuts less.
const GAPS: [u16; 2] = [2, 1];

/// The space between columns and the columns shown at `width` (indices into `columns`, in their
/// order) with each one's width. `natural` is each column's widest content (header included).
/// Columns are taken by rank while their minimums fit; the room left widens them toward their
/// content, lower ranks first, and what is still left goes to the fill column.
pub fn fit(columns: &[Column], natural: &[u16], width: u16) -> (u16, Vec<(usize, u16)>) {
    let cut = |kept: &[(usize, u16)]| -> u32 {
        kept.iter().map(|&(i, w)| u32::from(natural[i].saturating_sub(w))).sum()
    };
    let [wide, narrow] = GAPS.map(|gap| (gap, fit_with_gap(columns, natural, width, gap)));
    let worse = |(_, kept): &(u16, Vec<(usize, u16)>)| (std::cmp::Reverse(kept.len()), cut(kept));
    if worse(&narrow) < worse(&wide) { narrow } else { wide }
}

fn fit_with_gap(columns: &[Column], natural: &[u16], width: u16, gap: u16) -> Vec<(usize, u16)> {
    // A header is never cut for want of a minimum (its cells may be narrower than it).
    let least = |i: usize| columns[i].min.max(columns[i].header.width() as u16).min(natural[i]);
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].rank, i));
    let mut kept: Vec<(usize, u16)> = Vec::new();
    let mut used = 0u16;
    for &i in &order {
        let cost = least(i).saturating_add(if kept.is_empty() { 0 } else { gap });
        if used.saturating_add(cost) > width {
            break;
        }
        used += cost;
        kept.push((i, least(i)));
    }
    if kept.is_empty()
        && let Some(&first) = order.first()
    {
        // Narrower than the most useful column's minimum: it alone, cut.
        return vec![(first, width)];
    }
    let mut spare = width - used;
    for (i, w) in &mut kept {
        let more = natural[*i].saturating_sub(*w).min(spare);
        *w += more;
        spare -= more;
    }
    if let Some((_, w)) = kept.iter_mut().find(|(i, _)| columns[*i].fill) {
        *w += spare;
    }
    kept.sort_by_key(|&(i, _)| i);
    kept
}

/// Draws the rows of `list` that fit in `area` (inside `block`, if any) as a table: only those
/// rows are built, by `row` from an index into the tab's rows, so a frame costs the same at any
/// length. Columns are sized to the rows on screen.
pub fn draw_list<'a>(
    frame: &mut Frame,
    area: Rect,
    block: Option<Block<'a>>,
    columns: &[Column],
    list: &ListState,
    row: impl Fn(usize) -> Vec<Span<'a>>,
    theme: &Theme,
) {
    let inner = block.as_ref().map_or(area, |b| b.inner(area));
    // One line goes to the header.
    let window = list.window(usize::from(inner.height.saturating_sub(1)));
    let rows = list.shown()[window.clone()].iter().map(|&i| row(i)).collect();
    let mut table = table(columns, rows, inner.width, theme);
    if let Some(block) = block {
        table = table.block(block);
    }
    let mut state = TableState::default().with_selected(list.selected.checked_sub(window.start));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A selectable table of `rows` (one span per column) for an area `width` columns wide inside
/// its block: the columns [`fit`] keeps, each cell cut to its column with the ellipsis.
pub fn table<'a>(columns: &[Column], rows: Vec<Vec<Span<'a>>>, width: u16, theme: &Theme) -> Table<'a> {
    let marker = UnicodeWidthStr::width(theme.symbols.selected) as u16;
    let natural: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let cells = rows.iter().filter_map(|row| row.get(i)).map(Span::width);
            let widest = cells.chain([column.header.width()]).max().unwrap_or(0);
            u16::try_from(widest).unwrap_or(u16::MAX)
        })
        .collect();
    // One blank column on the right, as the selection marker leaves on the left.
    let (gap, kept) = fit(columns, &natural, width.saturating_sub(marker + 1));
    let cut = |span: &Span<'a>, width: u16| {
        if span.width() <= usize::from(width) {
            span.clone()
        } else {
            Span::styled(shorten(&span.content, usize::from(width), theme), span.style)
        }
    };
    let header =
        Row::new(kept.iter().map(|&(i, w)| cut(&Span::raw(columns[i].header), w))).style(theme.title);
    let rows = rows.into_iter().map(|row| {
        Row::new(kept.iter().map(|&(i, w)| row.get(i).map_or_else(Span::default, |span| cut(span, w))))
    });
    Table::new(rows, kept.iter().map(|&(_, w)| Constraint::Length(w)))
        .header(header)
        .column_spacing(gap)
        .row_highlight_style(theme.selected)
        .highlight_symbol(theme.symbols.selected)
        .highlight_spacing(HighlightSpacing::Always)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 4] = [
        Column::new("Name", 10, 0).fill(),
        Column::new("Id", 36, 3),
        Column::new("Label", 8, 1),
        Column::new("Kind", 6, 2),
    ];

    #[test]
    fn drops_the_highest_rank_first_and_keeps_the_order() {
        let natural = [20, 36, 15, 6];
        // Everything at its content: 20 + 36 + 15 + 6 + 3 gaps of 2 = 83.
        assert_eq!(fit(&COLUMNS, &natural, 83), (2, vec![(0, 20), (1, 36), (2, 15), (3, 6)]));
        // One column apart when that cuts less.
        assert_eq!(fit(&COLUMNS, &natural, 80), (1, vec![(0, 20), (1, 36), (2, 15), (3, 6)]));
        // The id goes first, then the kind; the name and the label stay.
        assert_eq!(fit(&COLUMNS, &natural, 40), (1, vec![(0, 20), (2, 12), (3, 6)]));
        assert_eq!(fit(&COLUMNS, &natural, 24), (1, vec![(0, 15), (2, 8)]));
        assert_eq!(fit(&COLUMNS, &natural, 12).1, vec![(0, 12)]);
        // Below the first column's minimum, that column alone.
        assert_eq!(fit(&COLUMNS, &natural, 5).1, vec![(0, 5)]);
    }

    #[test]
    fn room_left_goes_to_the_fill_column() {
        let natural = [4, 2, 5, 4];
        assert_eq!(fit(&COLUMNS, &natural, 40), (2, vec![(0, 4 + 19), (1, 2), (2, 5), (3, 4)]));
    }

    #[test]
    fn cuts_end_with_the_theme_ellipsis() {
        let utf8 = Theme::new(false, true);
        let ascii = Theme::new(false, false);
        assert_eq!(shorten("dr-starter-4096", 14, &utf8), "dr-starter-40…");
        assert_eq!(shorten("dr-starter-4096", 14, &ascii), "dr-starter-...");
        assert_eq!(shorten("dr-starter-4096", 15, &utf8), "dr-starter-4096");
        // Two columns per CJK character: never more than asked.
        assert_eq!(shorten("日本語データ", 7, &utf8), "日本語…");
        assert_eq!(shorten("abcdef", 2, &ascii), "..");
        assert_eq!(shorten("abcdef", 0, &utf8), "");
    }
}
