//! Snapshots of the Extensions tab at 80x24: without SQL (the API's list and what to do), with
//! SQL, both modals, PostgreSQL's refusal, MySQL; and the footer's keys.

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Theme, draw};
use crate::app::extensions::ExtensionsMsg;
use crate::app::extensions::tests::{api_list, sample, select_ext, shown, with_sql};
use crate::app::fixtures::*;
use crate::app::{Msg, State, update};
use crate::sql::{Change, PgMessage, SqlError};

fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| draw(frame, state, &Theme::new(false, true))).unwrap();
    terminal.backend().to_string()
}

fn api_only(sql_error: SqlError) -> State {
    let mut state = connected("postgresql");
    state.session.demo = true;
    let (api, sql) = shown(&mut state);
    update(&mut state, Msg::Extensions(ExtensionsMsg::ApiLoaded { id: api, result: Ok(api_list()) }));
    update(&mut state, Msg::Extensions(ExtensionsMsg::SqlLoaded { id: sql, result: Err(sql_error) }));
    state
}

#[test]
fn api_only_when_the_database_cannot_be_reached() {
    let state = api_only(SqlError::Unreachable {
        endpoint: "127.0.0.1:1/shop_prod_4553".into(),
        detail: "Connection refused (os error 111)".into(),
    });
    let text = screen(&state);
    assert!(text.contains("db-tunnel") && text.contains("pgcrypto"), "{text}");
    insta::assert_snapshot!("extensions_unreachable_80x24", text);
}

#[test]
fn the_demo_says_how_to_see_the_whole_flow() {
    let unreachable = || SqlError::Unreachable {
        endpoint: "127.0.0.1:1/shop_prod_4553".into(),
        detail: "Connection refused (os error 111)".into(),
    };
    let flat = |text: &str| {
        let rows: Vec<&str> = text
            .lines()
            .map(|l| l.trim_matches('"').trim_matches(|c| c == ' ' || c == '|' || c == '│'))
            .collect();
        rows.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let demo = flat(&screen(&api_only(unreachable())));
    let wanted = "--demo` with DATABASE_URL pointing at a local PostgreSQL to see the whole flow";
    assert!(demo.contains(wanted), "{demo}");
    let mut real = api_only(unreachable());
    real.session.demo = false;
    let text = flat(&screen(&real));
    assert!(!text.contains("--demo") && text.contains("db-tunnel"), "only in the demo: {text}");
}

#[test]
fn api_only_without_a_url() {
    let text = screen(&api_only(SqlError::NoUrl));
    assert!(text.contains("DATABASE_URL"), "{text}");
    insta::assert_snapshot!("extensions_no_url_80x24", text);
}

#[test]
fn sql_view_and_its_keys() {
    let mut state = with_sql();
    select_ext(&mut state, "hstore");
    let text = screen(&state);
    assert!(text.contains("e enable") && text.contains("d disable"), "{text}");
    insta::assert_snapshot!("extensions_sql_80x24", text);
    let ascii = {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| draw(frame, &state, &Theme::new(true, false))).unwrap();
        terminal.backend().to_string()
    };
    insta::assert_snapshot!("extensions_sql_80x24_no_color_ascii", ascii);
}

#[test]
fn enable_modal() {
    let mut state = with_sql();
    select_ext(&mut state, "hstore");
    key(&mut state, KeyCode::Char('e'));
    let text = screen(&state);
    assert!(text.contains("CREATE EXTENSION IF NOT EXISTS \"hstore\";"), "{text}");
    insta::assert_snapshot!("extensions_enable_modal_80x24", text);
}

#[test]
fn disable_modal_with_postgresqls_refusal() {
    let mut state = with_sql();
    select_ext(&mut state, "uuid-ossp");
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "uuid-ossp");
    let effects = key(&mut state, KeyCode::Enter);
    let [crate::app::Effect::Extensions(crate::app::extensions::ExtensionsEffect::Change { id, .. })] =
        effects.as_slice()
    else {
        panic!()
    };
    let refusal = SqlError::Postgres(PgMessage {
        code: "2BP01".into(),
        message: "cannot drop extension \"uuid-ossp\" because other objects depend on it".into(),
        detail: Some(
            "default value for column id of table orders depends on function uuid_generate_v4()".into(),
        ),
        hint: Some("Use DROP ... CASCADE to drop the dependent objects too.".into()),
    });
    let msg = ExtensionsMsg::Changed {
        id: *id,
        name: "uuid-ossp".into(),
        change: Change::Disable,
        result: Err(refusal),
    };
    update(&mut state, Msg::Extensions(msg));
    let text = screen(&state);
    assert!(text.contains("never drops with CASCADE"), "{text}");
    insta::assert_snapshot!("extensions_disable_refused_80x24", text);
}

#[test]
fn mysql_says_extensions_are_a_postgresql_feature() {
    let mut state = connected("mysql");
    key(&mut state, KeyCode::Char('2'));
    let text = screen(&state);
    assert!(text.contains("Extensions are a PostgreSQL feature"), "{text}");
    // e still answers (saying why), so the footer shows it, off and saying why.
    assert!(text.contains("e enable (PostgreSQL only)"), "{text}");
    insta::assert_snapshot!("extensions_mysql_80x24", text);
}

#[test]
fn read_only_dims_e_and_d() {
    let mut state = with_sql();
    state.session.read_only = true;
    let text = screen(&state);
    assert!(text.contains("e enable"), "still listed, drawn disabled: {text}");
    assert_eq!(state.db().extensions.sql.data, Some(sample()));
}
