//! The first screen when no API token was found (or the platform refused it: that comes first):
//! the two usual ways to give one, and a masked field to paste one for this run only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

use super::header::badges;
use super::theme::Theme;
use super::widgets::{input_line, problem_line, wrapped_height};
use crate::app::State;
use crate::app::display::shown;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(5), Constraint::Length(1)]).areas(area);
    let mut first = badges(state, theme);
    first.push(Span::styled("Sign in", theme.text));
    frame.render_widget(Line::from(first), header);

    let title =
        if state.token.refused { " The API token was refused " } else { " No Scalingo API token found " };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.symbols.border)
        .border_style(theme.border_focused)
        .padding(Padding::horizontal(1))
        .title(Span::styled(title, theme.title));
    let inner = block.inner(body);
    frame.render_widget(block, body);

    let code = |text: &'static str| Span::styled(text, theme.key);
    let mut lines = vec![
        Line::raw("dbdeck uses the credentials of the Scalingo CLI:"),
        Line::from(vec![
            Span::raw("  - log in once with "),
            code("scalingo login"),
            Span::raw(" (dbdeck only reads the CLI's file), or"),
        ]),
        Line::from(vec![
            Span::raw("  - set "),
            code("SCALINGO_API_TOKEN"),
            Span::raw(" (dashboard: Profile > API tokens),"),
        ]),
        Line::raw("then start dbdeck again."),
        Line::raw(""),
        Line::raw("Or paste a token here: it is used for this run only and written nowhere."),
    ];
    // A refused token is the news: it comes first; an unreadable file is a detail, after.
    if let Some(problem) = &state.token.problem {
        let problem = Line::styled(shown(problem).into_owned(), theme.danger);
        if state.token.refused {
            lines.splice(0..0, [problem, Line::raw("")]);
        } else {
            lines.extend([Line::raw(""), problem]);
        }
    }
    let text_height = wrapped_height(&lines, inner.width).min(inner.height.saturating_sub(2));
    let [text, _, field, hint] = Layout::vertical([
        Constraint::Length(text_height),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), text);
    input_line(
        frame,
        field,
        "API token  ",
        &state.token.input,
        true,
        &format!("tk-us-{}", theme.symbols.ellipsis),
        theme,
    );
    if state.token.tried && state.token.input.value().is_empty() {
        frame.render_widget(problem_line("Paste or type a token first", theme), hint);
    }
    super::footer::draw_keys(frame, footer, state, theme);
}
