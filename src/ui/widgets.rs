//! Small drawing helpers shared by the tabs and modals.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph, Wrap};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::app::display::shown;
use crate::app::input::TextInput;

/// A box of at most `width` x `height` in the middle of `area`, cleared, with a titled border.
/// Returns the inner area.
pub fn modal_frame(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
) -> Rect {
    let rect = area.centered(
        ratatui::layout::Constraint::Length(width.min(area.width)),
        ratatui::layout::Constraint::Length(height.min(area.height)),
    );
    framed(frame, rect, title, theme)
}

/// Clears `rect` and draws a modal's titled border there. Returns the inner area.
pub fn framed(frame: &mut Frame, rect: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border_focused)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// One line `label value` for a text field. The focused field gets a `>` marker, an underline and
/// the terminal cursor; a masked field shows one mask character per character typed.
pub fn input_line(
    frame: &mut Frame,
    area: Rect,
    label: &str,
    input: &TextInput,
    focused: bool,
    placeholder: &str,
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let marker = if focused { theme.symbols.selected } else { "  " };
    let prefix = format!("{marker}{label}");
    let prefix_width = prefix.chars().count() as u16;
    let room = area.width.saturating_sub(prefix_width + 1) as usize;
    let chars: Vec<char> = if input.is_masked() {
        vec![theme.symbols.mask; input.value().chars().count()]
    } else {
        input.value().chars().collect()
    };
    let cursor = input.cursor().min(chars.len());
    // Scroll so the cursor stays in view.
    let start = (cursor + 1).saturating_sub(room);
    let shown: String = chars.iter().skip(start).take(room).collect();
    let value_style = if focused { theme.field_focused } else { theme.text };
    let mut spans = vec![Span::styled(prefix, if focused { theme.key } else { theme.text })];
    if chars.is_empty() && !placeholder.is_empty() {
        spans.push(Span::styled(placeholder.to_owned(), theme.muted));
    } else {
        spans.push(Span::styled(shown, value_style));
    }
    frame.render_widget(Line::from(spans), area);
    if focused {
        let x = area.x + prefix_width + (cursor - start) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// A problem under a field, in words (never colour alone). It may name what the server sent.
pub fn problem_line<'a>(problem: &str, theme: &Theme) -> Line<'a> {
    Line::styled(format!("    ! {}", shown(problem)), theme.danger)
}

/// Rows `lines` take once word-wrapped to `width`, as the paragraph wraps them: measured by the
/// same wrapper that draws, so a word longer than the width (a long name) counts all its rows.
pub fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let paragraph = Paragraph::new(lines.to_vec()).wrap(Wrap { trim: true });
    u16::try_from(paragraph.line_count(width.max(1))).unwrap_or(u16::MAX)
}

/// `text` in at most `max` columns, ending with the theme's ellipsis when cut (`max` counts it),
/// so a cut value never passes for a whole one. Widths are terminal columns (a CJK character
/// takes two).
pub fn shorten(text: &str, max: usize, theme: &Theme) -> String {
    if UnicodeWidthStr::width(text) <= max {
        return text.to_owned();
    }
    let ellipsis = theme.symbols.ellipsis;
    let room = max.saturating_sub(UnicodeWidthStr::width(ellipsis));
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(c);
    }
    // Narrower than the ellipsis itself (ASCII `...` in 2 columns): what fits of it.
    kept.extend(ellipsis.chars().take(max - used));
    kept
}
