//! Strings from a hostile server (bidi overrides, zero-width characters, a BOM, control
//! characters) in every place the screen shows one: each is drawn as its escape, and no cell of
//! the rendered buffer holds a hidden character.

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Theme, draw};
use crate::api::{ApiError, User};
use crate::app::display::is_hidden;
use crate::app::extensions::ExtensionsMsg;
use crate::app::extensions::tests::{ext, listing, shown};
use crate::app::fixtures::*;
use crate::app::internet::fixtures::{dedicated, managed, rule};
use crate::app::picker::tests::{addon, app, with_regions};
use crate::app::picker::{PickerEffect, PickerMsg, Recent};
use crate::app::state::{Modal, Reveal};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, State, update};
use crate::sql::SqlError;
use secrecy::SecretString;

/// Renders at 100x30 and fails on any cell holding a hidden character; returns the text.
fn visible_screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| draw(frame, state, &Theme::new(false, true))).unwrap();
    let buffer = terminal.backend().buffer();
    for (i, cell) in buffer.content().iter().enumerate() {
        let hidden: Vec<String> = cell
            .symbol()
            .chars()
            .filter(|c| is_hidden(*c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(hidden.is_empty(), "cell {i} holds {hidden:?}:\n{}", terminal.backend());
    }
    terminal.backend().to_string()
}

fn reload_users(state: &mut State, result: Result<Vec<User>, ApiError>) {
    let effects = key(state, KeyCode::Char('r'));
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects.as_slice() else { panic!("{effects:?}") };
    update(state, Msg::Users(UsersMsg::Loaded { id: *id, result }));
}

#[test]
fn users_header_and_confirm_show_hidden_characters_as_escapes() {
    let mut state = connected("postgresql");
    state.db_mut().current.app = "shop\u{202e}dorp".into();
    let users = vec![user("adm\u{202e}nimda", false, false), user("app\u{200b}_writer", false, false)];
    reload_users(&mut state, Ok(users));
    let text = visible_screen(&state);
    assert!(text.contains(r"adm\u{202e}nimda") && text.contains(r"app\u{200b}_writer"), "{text}");
    assert!(text.contains(r"app shop\u{202e}dorp"), "{text}");

    select(&mut state, "adm\u{202e}nimda");
    key(&mut state, KeyCode::Char('d'));
    let text = visible_screen(&state);
    assert!(text.contains(r"Type adm\u{202e}nimda to confirm"), "{text}");
    typed(&mut state, "x");
    let text = visible_screen(&state);
    assert!(text.contains(r"type adm\u{202e}nimda exactly"), "{text}");
}

#[test]
fn control_characters_in_a_name_are_shown_not_dropped() {
    let mut state = connected("postgresql");
    reload_users(
        &mut state,
        Ok(vec![user("ali\u{7}ce\u{1b}[0m", false, false), user("alice", false, false)]),
    );
    let text = visible_screen(&state);
    // Dropped, as ratatui does with control characters, the first would read `alice[0m`.
    assert!(text.contains(r"ali\u{7}ce\u{1b}[0m"), "{text}");
}

#[test]
fn errors_from_the_server_are_shown_with_escapes() {
    let mut state = connected("postgresql");
    let refused = ApiError::Http {
        status: 500,
        message: "boom\u{2066}\u{feff}".into(),
        fields: vec![],
        request_id: None,
    };
    reload_users(&mut state, Err(refused));
    let text = visible_screen(&state);
    assert!(text.contains(r"boom\u{2066}\u{feff}"), "{text}");
}

#[test]
fn extensions_and_the_tunnel_hint_show_escapes_and_quote_the_app() {
    let mut state = connected("postgresql");
    state.db_mut().current.app = "it's\u{202e}".into();
    let (api, sql) = shown(&mut state);
    update(&mut state, Msg::Extensions(ExtensionsMsg::ApiLoaded { id: api, result: Ok(vec![]) }));
    let unreachable = SqlError::Unreachable { endpoint: "127.0.0.1:1/db".into(), detail: "refused".into() };
    update(&mut state, Msg::Extensions(ExtensionsMsg::SqlLoaded { id: sql, result: Err(unreachable) }));
    let text = visible_screen(&state);
    let flat: String = text
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == '"' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains(r"scalingo --app 'it'\''s\u{202e}' db-tunnel"), "{text}");

    let mut state = connected("postgresql");
    let (api, sql) = shown(&mut state);
    update(&mut state, Msg::Extensions(ExtensionsMsg::ApiLoaded { id: api, result: Ok(vec![]) }));
    let mut hostile = ext("uuid\u{feff}-ossp", Some("1.1\u{200d}"), None, true);
    hostile.comment = Some("gen\u{202e}erate".into());
    let listing = listing(vec![hostile]);
    update(&mut state, Msg::Extensions(ExtensionsMsg::SqlLoaded { id: sql, result: Ok(listing) }));
    let text = visible_screen(&state);
    for escaped in [r"uuid\u{feff}-ossp", r"gen\u{202e}erate"] {
        assert!(text.contains(escaped), "{escaped}: {text}");
    }
    key(&mut state, KeyCode::Char('e'));
    let text = visible_screen(&state);
    assert!(text.contains(r"Enable uuid\u{feff}-ossp 1.1\u{200d} in"), "{text}");
    assert!(text.contains(r#"CREATE EXTENSION IF NOT EXISTS "uuid\u{feff}-ossp";"#), "{text}");
}

#[test]
fn firewall_rules_show_escapes() {
    let mut state = dedicated(vec![
        rule("r1", "203.0.113.0/24", Some("Off\u{202e}ice")),
        managed("r\u{200b}2", "mr-\u{2067}x"),
    ]);
    let text = visible_screen(&state);
    for escaped in [r"Off\u{202e}ice", r"mr-\u{2067}x", r"r\u{200b}2"] {
        assert!(text.contains(escaped), "{escaped}: {text}");
    }
    key(&mut state, KeyCode::Char('j'));
    key(&mut state, KeyCode::Char('d'));
    let text = visible_screen(&state);
    assert!(text.contains(r"Type mr-\u{2067}x to confirm"), "{text}");
}

#[test]
fn the_picker_shows_escapes() {
    let (mut state, ids) = with_regions(Vec::<Recent>::new(), &["osc-fr1"]);
    let (apps, _) = ids[0];
    let mut hostile = app("blog\u{202e}gol");
    hostile.status = "run\u{200b}ning".into();
    let apps = PickerMsg::Apps { id: apps, region: "osc-fr1".into(), result: Ok(vec![hostile]) };
    let effects = update(&mut state, Msg::Picker(apps));
    let Some(Effect::Picker(PickerEffect::ListAddons { id, region, app })) = effects.into_iter().next()
    else {
        panic!("an addon listing")
    };
    let addons = Ok(vec![addon("ad-1", "postgresql", "postgresql-st\u{2068}")]);
    update(&mut state, Msg::Picker(PickerMsg::Addons { id, region, app, result: addons }));
    let text = visible_screen(&state);
    for escaped in [r"blog\u{202e}gol", r"st\u{2068}"] {
        assert!(text.contains(escaped), "{escaped}: {text}");
    }
}

#[test]
fn a_password_with_a_hidden_character_is_shown_escaped_with_a_note() {
    let mut state = connected("postgresql");
    state.modal = Some(Modal::Reveal(Reveal {
        user: "new\u{202e}reader".into(),
        password: SecretString::from("Gen3rated_\u{200b}Passw0rd"),
        copy_status: None,
        close_hint: false,
        url: None,
        chosen: false,
    }));
    let text = visible_screen(&state);
    for shown in [r"Gen3rated_\u{200b}Passw0rd", r"New password of new\u{202e}reader", "shown as escapes"] {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    state.modal = Some(Modal::Reveal(Reveal {
        user: "new_reader".into(),
        password: SecretString::from("Plain_Passw0rd_0123456789"),
        copy_status: None,
        close_hint: false,
        url: None,
        chosen: false,
    }));
    assert!(!visible_screen(&state).contains("shown as escapes"), "no note for a plain password");
}
