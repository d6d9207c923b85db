//! The one-time password reveal. The password is drawn only here, and only while this modal is
//! open; closing it drops the secret.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use super::fit::{Body, Keep, body_width};
use crate::app::display::shown;
use crate::app::state::Reveal;
use crate::ui::theme::Theme;

const WIDTH: u16 = 72;

pub fn draw(frame: &mut Frame, area: Rect, reveal: &Reveal, theme: &Theme) {
    if reveal.chosen {
        return draw_chosen(frame, area, reveal, theme);
    }
    let user = shown(&reveal.user);
    let mut body = Body::new();
    body.text(Line::styled("Shown only once: copy it now. dbdeck does not keep it.", theme.warn), Keep::Must);
    body.text(
        Line::from(vec![
            Span::styled("New password of ", theme.text),
            Span::styled(user.to_string(), theme.key),
        ]),
        Keep::Explain,
    );
    body.gap();
    // The box grows to hold the whole password: a cut one would be lost for good on Enter.
    // A hidden character in a generated password is shown as its escape, so that a password
    // read off the screen is never silently wrong; an escaped copy is wiped when drawn.
    let secret = Zeroizing::new(shown(reveal.password.expose_secret()).into_owned());
    let password = Paragraph::new(Line::styled(secret.as_str(), theme.title)).wrap(Wrap { trim: false });
    // Measured by the wrapper that draws it, inside the box's own border.
    let inside = body_width(area, WIDTH).saturating_sub(2).max(1);
    let rows = u16::try_from(password.line_count(inside)).unwrap_or(u16::MAX);
    // The box, the line above and the close hint below must fit, or the password is not drawn.
    let fits = rows.saturating_add(4) <= area.height.saturating_sub(2);
    let boxed = if fits {
        Some(body.rows(rows + 2, Keep::Must))
    } else {
        let text = "The terminal is too small to show the whole password: widen it, or press c to copy it.";
        body.text(Line::styled(text, theme.danger), Keep::Must);
        None
    };
    if fits && secret.as_str() != reveal.password.expose_secret() {
        let text = "Some characters are shown as escapes (\\u{…}, \\\\ for one \\): copy it with c.";
        body.text(Line::styled(theme.spelled(text).into_owned(), theme.warn), Keep::Explain);
    }
    copied(&mut body, reveal, theme);
    if reveal.close_hint {
        body.text(
            Line::styled("Press Enter to close: the password will not be shown again.", theme.warn),
            Keep::Must,
        );
    }
    let placed = body.draw(frame, area, WIDTH, &format!("New password of {user}"), theme);
    if let Some(at) = boxed.and_then(|i| placed.get(i)) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_set(theme.symbols.border)
            .border_style(theme.border);
        frame.render_widget(password.block(block), at);
    }
}

/// After Set password: the operator typed the password, so it is never drawn; the box offers
/// the connection URL with it until Enter forgets it.
fn draw_chosen(frame: &mut Frame, area: Rect, reveal: &Reveal, theme: &Theme) {
    let user = shown(&reveal.user);
    let mut body = Body::new();
    body.text(
        Line::from(vec![
            Span::styled("The password you typed is now the password of ", theme.text),
            Span::styled(user.to_string(), theme.key),
        ]),
        Keep::Must,
    );
    let offer = "u copies a connection URL with it. Enter closes and forgets it.";
    body.text(Line::styled(offer, theme.warn), Keep::Must);
    copied(&mut body, reveal, theme);
    body.draw(frame, area, WIDTH, &format!("Password of {user} changed"), theme);
}

/// The URL copied (its password masked) and what the clipboard said.
fn copied(body: &mut Body, reveal: &Reveal, theme: &Theme) {
    if let Some(url) = &reveal.url {
        body.text(Line::styled(format!("Connection URL: {}", shown(url)), theme.text), Keep::Explain);
    }
    if let Some(status) = &reveal.copy_status {
        body.text(Line::styled(theme.spelled(&shown(status)).into_owned(), theme.ok), Keep::Must);
    }
}
