//! Render tests: insta snapshots of every view at 80x24 and 120x40, plus buffer checks of what a
//! text snapshot cannot show (styles under NO_COLOR).

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use secrecy::SecretString;

use super::{Theme, draw};
use crate::api::UserWithPassword;
use crate::app::fixtures::*;
use crate::app::state::{Modal, Reveal};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, State, update};

fn render(state: &State, width: u16, height: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(frame, state, theme)).unwrap();
    terminal
}

pub(super) fn screen(state: &State, width: u16, height: u16) -> String {
    render(state, width, height, &Theme::new(false, true)).backend().to_string()
}

/// The text of a render with `theme`.
pub(super) fn render_with(state: &State, width: u16, height: u16, theme: &Theme) -> String {
    render(state, width, height, theme).backend().to_string()
}

/// Every view at both sizes; NO_COLOR and ASCII must give the same text layout (ASCII borders).
fn snapshot_all_sizes(name: &str, state: &State) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(state, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), screen(state, 120, 40));
    let ascii = render(state, 80, 24, &Theme::new(true, false)).backend().to_string();
    insta::assert_snapshot!(format!("{name}_80x24_no_color_ascii"), ascii);
}

#[test]
fn users_tab() {
    let mut state = connected("postgresql");
    state.session.demo = true;
    select(&mut state, "app_writer");
    snapshot_all_sizes("users_postgresql", &state);
}

#[test]
fn users_tab_mysql_has_no_encryption_column() {
    let state = connected("mysql");
    let text = screen(&state, 80, 24);
    assert!(!text.contains("Password encryption"));
    snapshot_all_sizes("users_mysql", &state);
}

#[test]
fn create_user_modal_with_inline_problems() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "9lives");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "short");
    snapshot_all_sizes("create_user", &state);
    let text = screen(&state, 80, 24);
    assert!(!text.contains("short"), "a password field shows only mask characters");
}

#[test]
fn create_user_modal_mysql_write_checkbox() {
    let mut state = connected("mysql");
    key(&mut state, KeyCode::Char('n'));
    let text = screen(&state, 80, 24);
    assert!(text.contains("[ ] Write"), "{text}");
    assert!(text.contains("read-only"), "{text}");
}

#[test]
fn confirm_delete_modal() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "app_wr");
    snapshot_all_sizes("confirm_delete", &state);
}

#[test]
fn set_password_modal() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('s'));
    typed(&mut state, "0123456789012345678901234");
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "0123");
    snapshot_all_sizes("set_password", &state);
}

#[test]
fn reveal_modal_shows_the_password_until_closed() {
    let mut state = connected("postgresql");
    let password = "Gen3rated_Passw0rd_0123456789_abcdefghijklmnopqrstuvwxyz_ABCDEFG";
    state.modal = Some(Modal::Reveal(Reveal {
        user: "new_reader".into(),
        password: SecretString::from(password),
        copy_status: Some("Sent to your terminal's clipboard (OSC 52): paste to check".into()),
        close_hint: false,
        url: None,
        chosen: false,
    }));
    snapshot_all_sizes("reveal", &state);
    assert!(screen(&state, 80, 24).contains(password));
    // Narrow terminals wrap it in the box, whole: no character may be lost.
    for width in [60, 64, 69] {
        let text: String =
            screen(&state, width, 15).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        assert!(text.contains(password), "{width} columns cut the password");
    }
    key(&mut state, KeyCode::Enter);
    for (w, h) in [(80, 24), (120, 40)] {
        assert!(!screen(&state, w, h).contains(password), "gone once closed");
    }
}

#[test]
fn reveal_modal_after_create() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Create { id, .. })] = effects.as_slice() else { panic!() };
    let created = UserWithPassword {
        user: user("new_reader", false, false),
        password: Some("pw-from-the-server".into()),
    };
    update(
        &mut state,
        Msg::Users(UsersMsg::Created { id: *id, name: "new_reader".into(), result: Ok(created) }),
    );
    assert!(screen(&state, 80, 24).contains("pw-from-the-server"));
}

#[test]
fn help_overlay() {
    let mut state = connected("postgresql");
    let effects = key(&mut state, KeyCode::Char('?'));
    assert!(matches!(effects.as_slice(), [Effect::ReadStats]), "{effects:?}");
    let stats = crate::api::RequestStats { total: 5, token_exchanges: 1, addon_tokens: 1 };
    update(&mut state, Msg::Stats(stats));
    snapshot_all_sizes("help", &state);
    assert!(
        screen(&state, 80, 24).contains("Diagnostics: 5 requests this run (1 token exchange, 1 addon token)")
    );
}

#[test]
fn later_tabs_and_errors() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('2'));
    insta::assert_snapshot!("extensions_tab_80x24", screen(&state, 80, 24));
    key(&mut state, KeyCode::Char('1'));
    select(&mut state, "shop_prod_4553");
    key(&mut state, KeyCode::Char('d'));
    insta::assert_snapshot!("protected_error_80x24", screen(&state, 80, 24));
}

#[test]
fn too_small_and_any_size_never_panics() {
    let state = connected("postgresql");
    insta::assert_snapshot!("too_small", screen(&state, 59, 15));
    // Every tab, and a modal of each kind, from 0x0 up: no panic (promise P9).
    let mut states = vec![state];
    let with = |mut state: State, keys: &[KeyCode]| {
        for k in keys {
            key(&mut state, *k);
        }
        state
    };
    let c = KeyCode::Char;
    states.push(with(connected("postgresql"), &[c('n')]));
    states.push(with(connected("postgresql"), &[c('j'), c('d')]));
    states.push(with(connected("postgresql"), &[c('j'), c('s')]));
    states.push(with(connected("postgresql"), &[c('?')]));
    states.push(with(crate::app::extensions::tests::with_sql(), &[]));
    states.push(with(crate::app::extensions::tests::with_sql(), &[c('e')]));
    states.push(with(crate::app::internet::fixtures::shared(&[]), &[c('3'), c('i')]));
    let rules = vec![crate::app::internet::fixtures::rule("fr-1", "203.0.113.0/24", Some("Office"))];
    states.push(with(crate::app::internet::fixtures::dedicated(rules.clone()), &[c('3')]));
    states.push(with(crate::app::internet::fixtures::dedicated(rules.clone()), &[c('3'), c('n')]));
    states.push(with(crate::app::internet::fixtures::dedicated(rules), &[c('3'), c('d')]));
    for state in &states {
        for w in (0..=130).step_by(7) {
            for h in (0..=45).step_by(4) {
                render(state, w, h, &Theme::new(false, true));
                render(state, w, h, &Theme::new(true, false));
            }
        }
    }
    assert!(states.iter().filter(|s| s.modal.is_some()).count() >= 7, "the modals opened");
}

#[test]
fn no_color_theme_uses_no_colour_and_marks_the_selection() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    let terminal = render(&state, 80, 24, &Theme::new(true, true));
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(matches!(cell.fg, Color::Reset), "colour {:?} under NO_COLOR", cell.fg);
        assert!(matches!(cell.bg, Color::Reset), "colour {:?} under NO_COLOR", cell.bg);
    }
    let row = (0..24)
        .find(|y| (0..80).map(|x| buffer[(x, *y)].symbol()).collect::<String>().contains("> app_writer"));
    let row = row.expect("the selected row carries a > marker");
    assert!(buffer[(5, row)].modifier.contains(Modifier::REVERSED), "and is reversed");
}

#[test]
fn help_in_read_only_mode_names_every_change_key_once() {
    let mut state = connected("postgresql");
    state.session.read_only = true;
    key(&mut state, KeyCode::Char('?'));
    let text = screen(&state, 120, 40);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("Read-only mode")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains("(n, p, s, d, e, t, i, l)"), "{}", lines[0]);
}
