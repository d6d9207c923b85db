//! The one-time password reveal. The password is drawn only here, and only while this modal is
//! open; closing it drops the secret.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::app::display::shown;
use crate::app::state::Reveal;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal_frame;

pub fn draw(frame: &mut Frame, area: Rect, reveal: &Reveal, theme: &Theme) {
    let inner = modal_frame(frame, area, 72, 12, &format!("New password of {}", shown(&reveal.user)), theme);
    if inner.height < 6 {
        return;
    }
    let row = |offset: u16, height: u16| Rect { y: inner.y + offset, height, ..inner };
    frame.render_widget(
        Paragraph::new(Line::styled("Shown only once: copy it now. dbdeck does not keep it.", theme.warn))
            .wrap(Wrap { trim: true }),
        row(0, 1),
    );
    // The box grows to hold the whole password: a cut one would be lost for good on Enter.
    // A hidden character in a generated password is shown as its escape, so that a password
    // read off the screen is never silently wrong; an escaped copy is wiped when drawn.
    let secret = Zeroizing::new(shown(reveal.password.expose_secret()).into_owned());
    let rows = (secret.chars().count() as u16).div_ceil(inner.width.saturating_sub(2).max(1));
    if rows + 2 > inner.height.saturating_sub(3) {
        let text = "The terminal is too small to show the whole password: widen it, or press c to copy it.";
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.danger)).wrap(Wrap { trim: true }),
            row(2, 3),
        );
        return;
    }
    let boxed =
        Block::default().borders(Borders::ALL).border_set(theme.symbols.border).border_style(theme.border);
    let password =
        Paragraph::new(Line::styled(secret.as_str(), theme.title)).block(boxed).wrap(Wrap { trim: false });
    frame.render_widget(password, row(2, rows + 2));
    let below = 2 + rows + 2;
    let mut lines = Vec::new();
    if secret.as_str() != reveal.password.expose_secret() {
        let text = "Some characters are shown as escapes (\\u{…}, \\\\ for one \\): copy it with c.";
        lines.push(Line::styled(text, theme.warn));
    }
    if let Some(status) = &reveal.copy_status {
        lines.push(Line::styled(shown(status).into_owned(), theme.ok));
    }
    if reveal.close_hint {
        lines.push(Line::styled("Press Enter to close: the password will not be shown again.", theme.warn));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), row(below, inner.height - below));
}
