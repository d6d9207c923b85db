//! Every modal at 60x15, 80x24 and 120x40: what the operator must read or type is inside the
//! box, whole (a long name may wrap, never be cut), whatever the size.

use crossterm::event::KeyCode;
use secrecy::SecretString;

use super::tests::screen;
use crate::app::State;
use crate::app::extensions::tests::{select_ext, with_sql};
use crate::app::fixtures::{connected, key, select, typed};
use crate::app::internet::fixtures::{dedicated, managed, rule, seeded, shared};
use crate::app::journal::JournalView;
use crate::app::state::{ConfirmAction, ConfirmForm, Modal, Reveal, SetPasswordForm};

const SIZES: [(u16, u16); 3] = [(60, 15), (80, 24), (120, 40)];

/// 63 characters, PostgreSQL's longest user name.
const LONG: &str = "reporting_service_account_for_the_quarterly_finance_dashboard_1";

/// The rows inside the box whose title starts with `title`, trimmed; panics if no such box.
fn boxed(text: &str, title: &str) -> Vec<String> {
    let rows: Vec<Vec<char>> = text.lines().map(|l| l.trim_matches('"').chars().collect()).collect();
    let needle: Vec<char> = format!(" {title}").chars().collect();
    let (top, left) = rows
        .iter()
        .enumerate()
        .find_map(|(y, row)| {
            (0..row.len()).find(|&x| row[x] == '╭' && row[x + 1..].starts_with(&needle)).map(|x| (y, x))
        })
        .unwrap_or_else(|| panic!("no box titled {title:?} in\n{text}"));
    let right =
        (left + 1..rows[top].len()).find(|&x| rows[top][x] == '╮').expect("the box has a right corner");
    let mut inner = Vec::new();
    for row in &rows[top + 1..] {
        if row[left] == '╰' {
            return inner;
        }
        assert_eq!(row[left], '│', "the box's left border is whole");
        assert_eq!(row[right], '│', "the box's right border is whole");
        inner.push(row[left + 1..right].iter().collect::<String>().trim().to_owned());
    }
    panic!("the box titled {title:?} has no bottom border (cut by the screen):\n{text}");
}

/// `wanted` is in the box, its words in order; a word wider than the box may continue on the
/// next row, but no character may be missing.
fn assert_shows(inner: &[String], wanted: &str, context: &str) {
    let spaced = inner.join(" ");
    if spaced.contains(wanted) {
        return;
    }
    // A boxed password's own border is not part of it.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '│').collect::<String>();
    assert!(
        squash(&inner.concat()).contains(&squash(wanted)),
        "{context}: {wanted:?} is not whole in the box:\n{}",
        inner.join("\n")
    );
}

/// At every size, the box titled `title` shows each of `wanted`.
fn check(state: &State, title: &str, wanted: &[&str]) {
    for (w, h) in SIZES {
        let text = screen(state, w, h);
        let inner = boxed(&text, title);
        for wanted in wanted {
            assert_shows(&inner, wanted, &format!("{w}x{h}"));
        }
    }
}

/// At every size, the typed-name field is there, under its instruction.
fn check_field_under(state: &State, title: &str, instruction: &str) {
    for (w, h) in SIZES {
        let inner = boxed(&screen(state, w, h), title);
        let field = inner.iter().position(|row| row.starts_with('>')).expect("the field is in the box");
        assert_shows(&inner[..field], instruction, &format!("{w}x{h}, above the field"));
    }
}

fn confirm(mut state: State, action: ConfirmAction, name: &str) -> State {
    state.modal = Some(Modal::Confirm(ConfirmForm::new(action, name.into())));
    state
}

#[test]
fn the_long_name_is_63_characters() {
    assert_eq!(LONG.len(), 63);
}

#[test]
fn delete_user_names_what_to_type() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('d'));
    check(&state, "Delete user", &["Type app_writer to confirm:", "DANGER: this cannot be undone"]);
    check_field_under(&state, "Delete user", "Type app_writer to confirm:");
    typed(&mut state, "app_wr");
    check(&state, "Delete user", &["Type app_writer to confirm:", "type app_writer exactly to confirm"]);
}

#[test]
fn reset_password_names_what_to_type() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('p'));
    let danger = "DANGER: the current password stops working at once; the new one is shown once.";
    check(&state, "Reset password", &["Type app_writer to confirm:", danger]);
    check_field_under(&state, "Reset password", "Type app_writer to confirm:");
}

#[test]
fn a_63_character_name_wraps_inside_the_box() {
    for action in [ConfirmAction::Delete, ConfirmAction::ResetPassword] {
        let title = if action == ConfirmAction::Delete { "Delete user" } else { "Reset password" };
        let mut state = confirm(connected("postgresql"), action, LONG);
        check_field_under(&state, title, &format!("Type {LONG} to confirm:"));
        typed(&mut state, "reporting");
        check(&state, title, &[&format!("type {LONG} exactly to confirm")]);
    }
}

#[test]
fn deleting_a_managed_range_rule_names_the_range_id() {
    let id = "mr-scalingo-osc-secnum-fr1";
    let mut state = dedicated(vec![rule("r1", "203.0.113.0/24", Some("Office VPN")), managed("r2", id)]);
    key(&mut state, KeyCode::Char('3'));
    key(&mut state, KeyCode::Char('j'));
    key(&mut state, KeyCode::Char('d'));
    check(&state, "Delete firewall rule", &[&format!("Type {id} to confirm:")]);
    check_field_under(&state, "Delete firewall rule", &format!("Type {id} to confirm:"));
}

#[test]
fn allowing_every_address_names_what_to_type() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "0.0.0.0/0");
    key(&mut state, KeyCode::Enter);
    check_field_under(&state, "Allow every address", "Type 0.0.0.0/0 to confirm:");
}

#[test]
fn set_password_says_whose_and_the_rule_on_its_first_line() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('s'));
    typed(&mut state, "0123");
    let first = "New password of app_writer: 24 to 64 characters, no quotes.";
    check(&state, "Set the password of", &[first, "Password", "Confirmation", "! 24 to 64 characters"]);

    let mut state = connected("postgresql");
    state.modal = Some(Modal::SetPassword(SetPasswordForm::new(LONG.into())));
    check(&state, "Set the password of", &[&format!("New password of {LONG}:"), "Confirmation"]);
}

#[test]
fn create_user_keeps_every_field_and_problem() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "9lives");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    typed(&mut state, "short");
    let wanted = ["Name", "! must start with a letter", "Access", "Password", "! 24 to 64", "Confirmation"];
    check(&state, "New PostgreSQL user on", &wanted);
}

#[test]
fn reveal_shows_the_whole_password_and_whose_it_is() {
    let password = "Gen3rated_Passw0rd_0123456789_abcdefghijklmnopqrstuvwxyz_ABCDEFG";
    let mut state = connected("postgresql");
    state.modal = Some(Modal::Reveal(Reveal {
        user: LONG.into(),
        password: SecretString::from(password),
        copy_status: None,
        close_hint: true,
        url: None,
        chosen: false,
    }));
    let close = "Press Enter to close: the password will not be shown again.";
    check(&state, "New password of", &["Shown only once", password, close]);
    // Whose password it is, in the body at the sizes with room for it.
    for (w, h) in [(80, 24), (120, 40)] {
        assert_shows(&boxed(&screen(&state, w, h), "New password of"), LONG, &format!("{w}x{h}"));
    }
}

#[test]
fn a_typed_password_is_never_drawn_and_the_url_offer_is_on_screen() {
    let password = "Correct_horse_battery_staple_42";
    let mut state = connected("postgresql");
    state.modal = Some(Modal::Reveal(Reveal {
        user: "app_reporting".into(),
        password: SecretString::from(password),
        copy_status: None,
        close_hint: false,
        url: None,
        chosen: true,
    }));
    check(&state, "Password of app_reporting changed", &["u copies a connection URL", "Enter closes"]);
    for (w, h) in SIZES {
        assert!(!screen(&state, w, h).contains(password), "{w}x{h}: the typed password is not drawn");
    }
}

#[test]
fn extension_modals_name_the_statement_and_what_to_type() {
    let mut state = with_sql();
    select_ext(&mut state, "hstore");
    key(&mut state, KeyCode::Char('e'));
    let runs = "Runs: CREATE EXTENSION IF NOT EXISTS \"hstore\";";
    check(&state, "Enable extension", &["Enable hstore 1.8", runs, "Enter enables, Esc cancels."]);

    let mut state = with_sql();
    select_ext(&mut state, "uuid-ossp");
    key(&mut state, KeyCode::Char('d'));
    check(&state, "Disable extension", &["DROP EXTENSION IF EXISTS \"uuid-ossp\";"]);
    check_field_under(&state, "Disable extension", "Type uuid-ossp to confirm:");
}

#[test]
fn feature_questions_say_what_enter_does() {
    let mut state = shared(&[("force-ssl", "ACTIVATED")]);
    key(&mut state, KeyCode::Char('i'));
    let warning = "WARNING: exposing a database to the Internet is discouraged.";
    check(&state, "Enable Internet", &[warning, "Enter: enable · Esc: cancel"]);

    let mut state = shared(&[]);
    key(&mut state, KeyCode::Char('i'));
    let first = "Enter enables TLS enforcement on shop-prod first; once it is on, press i again.";
    check(&state, "Enable TLS enforcement", &[first, "Enter: enable · Esc: cancel"]);
}

#[test]
fn new_rule_form_keeps_its_problem_whole() {
    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "203.0.113.0/24");
    key(&mut state, KeyCode::Enter);
    let text = screen(&state, 120, 40);
    let inner = boxed(&text, "New firewall rule on");
    let problem = inner.iter().find(|row| row.starts_with('!')).expect("a problem line").clone();
    check(&state, "New firewall rule on", &["CIDR", "203.0.113.0/24", "Label", &problem]);

    let mut state = seeded();
    key(&mut state, KeyCode::Char('n'));
    // The form opens on the CIDR: back to the type to switch it.
    key(&mut state, KeyCode::BackTab);
    key(&mut state, KeyCode::Char(' '));
    check(&state, "New firewall rule on", &["Range", "mr-scalingo-osc-fr1"]);
}

#[test]
fn journal_says_when_nothing_is_recorded() {
    let mut state = connected("postgresql");
    state.modal = Some(Modal::Journal(JournalView { rows: Some(vec![]), error: None, back: 0 }));
    check(&state, "Journal", &["No change to this database is recorded in the journal."]);
}

#[test]
fn help_fits_its_box_and_keeps_the_keys_of_the_screen_beneath() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('?'));
    assert!(matches!(state.modal, Some(Modal::Help)));
    // Whole at every size: the groups of the Users tab, and the row that closes it.
    check(&state, "Help", &["Users tab:", "Lists:", "Everywhere:", "Dashboard:", "Esc closes"]);
    // At 60x15 the other groups make way, and the box says so rather than cutting them.
    let small = boxed(&screen(&state, 60, 15), "Help");
    assert!(small.last().is_some_and(|r| r.contains("hidden: a larger terminal shows them")), "{small:#?}");
    // At 120x40 nothing is hidden.
    let large = boxed(&screen(&state, 120, 40), "Help");
    assert_eq!(large.last().map(String::as_str), Some("Esc closes this help."), "{large:#?}");
    assert_shows(&large, "Firewall rules:", "120x40");
}
