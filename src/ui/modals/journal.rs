//! The journal overlay (`J`): this database's recent changes, newest last, one line each with
//! its latest outcome. Text from the journal is written by others too: drawn through `shown`,
//! so it cannot carry terminal escapes or hidden characters.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::display::shown;
use crate::app::journal::JournalView;
use crate::journal::{ChangeRow, Outcome};
use crate::ui::theme::Theme;
use crate::ui::widgets::modal_frame;

pub fn draw(frame: &mut Frame, area: Rect, view: &JournalView, theme: &Theme) {
    // As tall as its rows (a heading, the rows, a "newer" line), up to the screen less a margin.
    let wanted = view.rows.as_ref().filter(|_| view.error.is_none()).map_or(1, |rows| rows.len() + 2);
    let height = (u16::try_from(wanted).unwrap_or(u16::MAX).saturating_add(2))
        .min(area.height.saturating_sub(4).max(8));
    let inner = modal_frame(frame, area, 120, height, "Journal: changes to this database", theme);
    let mut lines = Vec::new();
    match (&view.rows, &view.error) {
        (_, Some(e)) => lines.push(Line::styled(shown(e).into_owned(), theme.danger)),
        (None, None) => {
            lines.push(Line::styled(theme.spelled("Reading the journal…").into_owned(), theme.muted))
        }
        (Some(rows), None) if rows.is_empty() => {
            lines.push(Line::styled("No change to this database is recorded in the journal.", theme.muted))
        }
        (Some(rows), None) => {
            // The newest at the bottom; k scrolls back.
            let room = inner.height.saturating_sub(2) as usize;
            let end = rows.len().saturating_sub(view.back);
            let start = end.saturating_sub(room);
            if start > 0 {
                lines
                    .push(Line::styled(format!("{} {start} older (k)", theme.symbols.ellipsis), theme.muted));
            } else {
                lines.push(Line::styled("Newest last (times in UTC), each with how it ended", theme.muted));
            }
            lines.extend(rows[start..end].iter().map(|row| line(row, theme)));
            if end < rows.len() {
                lines.push(Line::styled(
                    format!("{} {} newer (j)", theme.symbols.ellipsis, rows.len() - end),
                    theme.muted,
                ));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn line<'a>(row: &ChangeRow, theme: &Theme) -> Line<'a> {
    let style = match row.outcome {
        Some(Outcome::Done) => theme.ok,
        Some(Outcome::Refused) => theme.danger,
        _ => theme.warn,
    };
    let time = row.time.get(..19).unwrap_or(&row.time).replacen('T', " ", 1);
    let mut spans = vec![
        Span::styled(format!("{}  ", shown(&time)), theme.muted),
        Span::styled(format!("{}  ", shown(&row.who)), theme.text),
        Span::styled(format!("{} ", row.action.name()), theme.text),
        Span::styled(format!("{}  ", shown(&row.target)), theme.title),
        Span::styled(row.status.clone(), style),
    ];
    if let Some(reason) = &row.reason {
        spans.push(Span::styled(format!("  {}", shown(reason)), theme.muted));
    }
    Line::from(spans)
}
