//! Every table at 60x15, 80x24 and 120x40: which columns are kept as the width shrinks, that a
//! cut cell ends with the theme's ellipsis, and that nothing outside ASCII is drawn with the
//! ASCII theme (LANG=C), even where the app wrote `…` in a message.

use crossterm::event::KeyCode;

use super::Theme;
use super::tests::{render_with, screen};
use crate::api::User;
use crate::app::fixtures::{connected, key, typed, user};
use crate::app::internet::fixtures::{dedicated, managed, rule, shared};
use crate::app::internet::{InternetEffect, InternetMsg};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, State, update};

const SIZES: [(u16, u16); 3] = [(60, 15), (80, 24), (120, 40)];

/// The screen's rows, without the quotes the test backend puts around them.
fn rows(text: &str) -> Vec<&str> {
    text.lines().map(|l| l.trim_matches('"')).collect()
}

/// The row holding the table's header (the first one that has `first`).
fn header<'a>(text: &'a str, first: &str) -> &'a str {
    let marker = format!("  {first}");
    rows(text).into_iter().find(|r| r.contains(&marker)).unwrap_or_else(|| panic!("no {first}:\n{text}"))
}

/// Users with `names`, through a refresh answered with them.
fn users(names: &[&str]) -> State {
    let mut state = connected("postgresql");
    let [Effect::Users(UsersEffect::Load { id, .. })] = key(&mut state, KeyCode::Char('r'))[..] else {
        panic!()
    };
    let list: Vec<User> = names.iter().map(|n| user(n, false, false)).collect();
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Ok(list) }));
    state
}

const LONG: &str = "reporting_for_the_finance_team_quarterly_close";

#[test]
fn users_keep_every_column_and_cut_a_long_name_with_the_ellipsis() {
    let state = users(&[LONG, "app_writer"]);
    for (width, height) in SIZES {
        let text = screen(&state, width, height);
        let head = header(&text, "Name");
        for column in ["Access", "Protected", "Password encryption"] {
            assert!(head.contains(column), "{column} at {width}:\n{text}");
        }
        let row = rows(&text).into_iter().find(|r| r.contains("reporting_")).unwrap();
        if width < 120 {
            assert!(!row.contains(LONG) && row.contains("…"), "cut with the ellipsis at {width}:\n{text}");
        } else {
            assert!(row.contains(LONG), "whole at {width}:\n{text}");
        }
    }
    let ascii = render_with(&state, 60, 15, &Theme::new(true, false));
    let cell = ascii.split_once("reporting_").unwrap().1.split(' ').next().unwrap();
    assert!(cell.ends_with("...") && ascii.is_ascii(), "{ascii}");
}

#[test]
fn the_picker_drops_the_plan_first_and_keeps_the_database_names() {
    let state = crate::app::picker::tests::loaded(vec![]);
    let text = screen(&state, 60, 15);
    let head = header(&text, "Database");
    for column in ["Engine", "Region", "Status"] {
        assert!(head.contains(column), "{column} at 60:\n{text}");
    }
    assert!(!head.contains("Plan") && !text.contains("starter"), "the plan goes first:\n{text}");
    for name in ["analytics-etl", "billing-secure", "orders-db", "shop-prod"] {
        assert!(text.contains(name), "{name} at 60:\n{text}");
    }
    for (width, height) in [(80, 24), (120, 40)] {
        let text = screen(&state, width, height);
        assert!(header(&text, "Database").contains("Plan"), "at {width}:\n{text}");
        assert!(text.contains("dr-starter-4096 "), "whole at {width}:\n{text}");
    }
    // Between the two, the plan is either whole or visibly cut: never `dr-starter-409` alone.
    for width in 60..=80 {
        let text = screen(&state, width, 24);
        if let Some(at) = text.find("dr-starter-") {
            let rest = &text[at..];
            let cell = rest.split(' ').next().unwrap();
            assert!(cell == "dr-starter-4096" || cell.ends_with('…'), "{cell:?} at {width}:\n{text}");
        }
    }
}

const CUSTOM_ID: &str = "5f0c2c3e-8d4b-4f5e-9a41-2b7d0c6e1a93";
const MANAGED_ID: &str = "c41d8a02-77e3-4b0f-8e55-93a1f6d2b7c4";

#[test]
fn firewall_rules_keep_sources_and_labels_and_drop_the_rule_id_first() {
    let state = dedicated(vec![
        rule(CUSTOM_ID, "203.0.113.0/24", Some("Office VPN")),
        managed(MANAGED_ID, "mr-scalingo-osc-secnum-fr1"),
    ]);
    for (width, height) in SIZES {
        let text = screen(&state, width, height);
        let head = header(&text, "CIDR or range");
        assert!(head.contains("Label") && head.contains("Type"), "at {width}:\n{text}");
        // What a delete asks to type is on screen, whole.
        for source in ["203.0.113.0/24", "mr-scalingo-osc-secnum-fr1"] {
            assert!(text.contains(&format!("{source} ")), "{source} at {width}:\n{text}");
        }
        assert!(text.contains("Office VPN") && text.contains("Scalingo osc-secnum"), "at {width}:\n{text}");
        if width < 120 {
            assert!(!head.contains("Rule ID") && !text.contains("5f0c2c3e"), "no id at {width}:\n{text}");
        } else {
            assert!(head.contains("Rule ID") && text.contains(CUSTOM_ID), "whole id at {width}:\n{text}");
        }
    }
    let text = screen(&state, 60, 15);
    assert!(text.contains("Scalingo osc-secnum…"), "the range's name, cut with the ellipsis:\n{text}");
}

#[test]
fn extensions_cut_the_description_with_the_ellipsis() {
    let state = crate::app::extensions::tests::with_sql();
    for (width, height) in SIZES {
        let text = screen(&state, width, height);
        let head = header(&text, "Name");
        for column in ["State", "Default", "Description"] {
            assert!(head.contains(column), "{column} at {width}:\n{text}");
        }
        assert!(text.contains("pg_stat_statements "), "names whole at {width}:\n{text}");
    }
    let text = screen(&state, 60, 15);
    let row = rows(&text).into_iter().find(|r| r.contains("(not in the")).expect(&text);
    assert!(row.trim_end_matches(['│', ' ']).ends_with('…'), "{row}");
    let ascii = render_with(&state, 60, 15, &Theme::new(false, false));
    assert!(ascii.contains("...") && ascii.is_ascii(), "{ascii}");
}

#[test]
fn ascii_theme_spells_the_apps_ellipsis_in_the_status_and_the_unsettled_line() {
    // TLS enforcement accepted, still pending: "… checking every 3 s…".
    let mut state = shared(&[]);
    key(&mut state, KeyCode::Char('t'));
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Internet(InternetEffect::SetFeature { id, feature, enable, .. })] = effects[..] else {
        panic!("{effects:?}")
    };
    let result = Ok(crate::api::FeatureChange { status: "PENDING_TO_ACTIVATE".into(), ..Default::default() });
    update(&mut state, Msg::Internet(InternetMsg::FeatureSet { id, feature, enable, result }));
    let status = state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.ends_with('…'), "{status:?}");
    let ascii = render_with(&state, 80, 24, &Theme::new(false, false));
    assert!(ascii.is_ascii(), "{ascii}");
    assert!(ascii.contains(&status.replace('…', "...")), "{ascii}");

    // A create whose answer was lost: the status and the unsettled line both end with `…`.
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "new_reader");
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let lost = crate::api::ApiError::Network { message: "connection closed".into(), sent: true };
    update(&mut state, Msg::Users(UsersMsg::Created { id, name: "new_reader".into(), result: Err(lost) }));
    let line = crate::app::unsettled::line(&state).unwrap();
    let status = state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(line.contains('…') && status.ends_with('…'), "{line}\n{status}");
    for (width, height) in SIZES {
        let ascii = render_with(&state, width, height, &Theme::new(true, false));
        assert!(ascii.is_ascii(), "at {width}:\n{ascii}");
        // Wrapped over rows at 60 columns: read as one line.
        let flat = rows(&ascii).join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("listing them... ") && !flat.contains("...."), "at {width}:\n{ascii}");
        assert!(flat.contains("to see what happened..."), "at {width}:\n{ascii}");
    }
}

#[test]
fn ascii_theme_draws_no_ellipsis_in_the_help_journal_forms_and_reveal() {
    use crate::app::journal::JournalView;
    use crate::app::state::{Modal, Reveal};
    let ascii = Theme::new(true, false);
    let mut help = connected("postgresql");
    key(&mut help, KeyCode::Char('?'));
    let text = render_with(&help, 120, 40, &ascii);
    assert!(text.contains("counting the requests...") && text.is_ascii(), "{text}");

    let mut journal = connected("postgresql");
    journal.modal = Some(Modal::Journal(JournalView::default()));
    let text = render_with(&journal, 80, 24, &ascii);
    assert!(text.contains("Reading the journal...") && text.is_ascii(), "{text}");

    let mut form = connected("postgresql");
    key(&mut form, KeyCode::Char('n'));
    typed(&mut form, "new_reader");
    assert!(!key(&mut form, KeyCode::Enter).is_empty(), "the form is sent");
    let text = render_with(&form, 80, 24, &ascii);
    assert!(text.contains("Sending...") && text.is_ascii(), "{text}");

    let mut reveal = connected("postgresql");
    reveal.modal = Some(Modal::Reveal(Reveal {
        user: "app_writer".into(),
        password: secrecy::SecretString::from("Gen3rated\u{200b}Passw0rd"),
        copy_status: Some("Copying…".into()),
        close_hint: false,
        url: None,
        chosen: false,
    }));
    let text = render_with(&reveal, 120, 40, &ascii);
    assert!(text.contains("Copying...") && text.contains("\\u{...}") && text.is_ascii(), "{text}");
}
