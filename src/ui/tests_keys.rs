//! The footer never disagrees with dispatch: in every fixture state, each live binding is
//! pressed on a fresh copy of the state, and the footer must show it as usable exactly when
//! `update` acted on it (returned effects or changed the state beyond a refusal message).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use secrecy::SecretString;

use super::tests::screen;
use crate::api::{ApiError, UserWithPassword};
use crate::app::extensions::tests::{select_ext, with_sql};
use crate::app::fixtures::{connected, key, select, typed, user};
use crate::app::internet::fixtures::{seeded, shared};
use crate::app::keys::{Binding, bindings, check, contexts};
use crate::app::state::{Modal, Session};
use crate::app::users::{UsersEffect, UsersMsg};
use crate::app::{Effect, Msg, State, start, update};

fn read_only(mut state: State) -> State {
    state.session.read_only = true;
    state
}

fn pressed(mut state: State, codes: &[KeyCode]) -> State {
    for code in codes {
        key(&mut state, *code);
    }
    state
}

fn token() -> State {
    let mut state = State::new(Session { ask_token: Some(None), ..Session::default() });
    start(&mut state);
    state
}

fn writer() -> State {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    state
}

fn typed_confirm(pending: bool) -> State {
    let mut state = pressed(writer(), &[KeyCode::Char('d')]);
    typed(&mut state, "app_writer");
    if pending {
        key(&mut state, KeyCode::Enter);
    }
    state
}

fn reveal() -> State {
    let mut state = pressed(writer(), &[KeyCode::Char('p')]);
    typed(&mut state, "app_writer");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::ResetPassword { id, name, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let reset = UserWithPassword {
        user: user(name, false, false),
        password: Some(SecretString::from("server-made-password")),
    };
    update(
        &mut state,
        Msg::Users(UsersMsg::PasswordReset { id: *id, name: name.clone(), result: Ok(reset) }),
    );
    state
}

/// A create whose answer was lost, and whose list then failed: the outcome is unknown.
fn unsettled() -> State {
    let mut state = pressed(connected("postgresql"), &[KeyCode::Char('n')]);
    typed(&mut state, "new_reader");
    let [Effect::Users(UsersEffect::Create { id, .. })] = key(&mut state, KeyCode::Enter)[..] else {
        panic!()
    };
    let lost = ApiError::Network { message: "connection reset".into(), sent: true };
    let effects = update(
        &mut state,
        Msg::Users(UsersMsg::Created { id, name: "new_reader".into(), result: Err(lost) }),
    );
    let [Effect::Users(UsersEffect::Load { id, .. })] = effects[..] else { panic!("{effects:?}") };
    let down = ApiError::Network { message: "connection refused".into(), sent: false };
    update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Err(down) }));
    assert!(state.db().unsettled.is_some());
    state
}

fn ext(name: &str, codes: &[KeyCode]) -> State {
    let mut state = with_sql();
    select_ext(&mut state, name);
    pressed(state, codes)
}

fn journal() -> State {
    let mut state = pressed(connected("postgresql"), &[KeyCode::Char('J')]);
    update(&mut state, Msg::JournalRead(Ok(vec![])));
    state
}

fn picker() -> State {
    crate::app::picker::tests::loaded(vec![])
}

/// A named way to reach a state through `update`, rebuilt for each key pressed.
type Fixture = (&'static str, fn() -> State);

fn fixtures() -> Vec<Fixture> {
    use KeyCode::{Char, Enter, Esc};
    vec![
        ("token", token),
        ("token typed", || {
            let mut state = token();
            typed(&mut state, "tk-us-0123");
            state
        }),
        ("picker loading", || crate::app::picker::tests::with_regions(vec![], &["osc-fr1"]).0),
        ("picker", picker),
        ("picker filter", || pressed(picker(), &[Char('/')])),
        ("picker help", || pressed(picker(), &[Char('?')])),
        ("users protected", || connected("postgresql")),
        ("users writer", writer),
        ("users error", || pressed(connected("postgresql"), &[Char('p')])),
        ("users filtered", || pressed(writer(), &[Char('/'), Char('w'), Enter])),
        ("users mysql", || connected("mysql")),
        ("users read-only", || read_only(writer())),
        ("users unsettled", unsettled),
        ("extensions", with_sql),
        ("extensions mysql", || pressed(connected("mysql"), &[Char('2')])),
        ("extensions read-only", || read_only(with_sql())),
        ("internet shared", || shared(&[("force-ssl", "ACTIVATED")])),
        ("internet shared pending", || shared(&[("force-ssl", "PENDING_ACTIVATION")])),
        ("internet shared read-only", || read_only(shared(&[]))),
        ("firewall", seeded),
        ("firewall read-only", || read_only(seeded())),
        ("help", || pressed(connected("postgresql"), &[Char('?')])),
        ("journal", journal),
        ("create user form", || pressed(connected("postgresql"), &[Char('n')])),
        ("set password form", || pressed(writer(), &[Char('s')])),
        ("confirm untyped", || pressed(writer(), &[Char('d')])),
        ("confirm typed", || typed_confirm(false)),
        ("confirm pending", || typed_confirm(true)),
        ("reveal", reveal),
        ("reveal after Esc", || pressed(reveal(), &[Esc])),
        ("enable extension", || ext("citext", &[Char('e')])),
        ("disable extension", || ext("uuid-ossp", &[Char('d')])),
        ("feature question", || pressed(shared(&[]), &[Char('t')])),
        ("new rule form", || pressed(seeded(), &[Char('n')])),
        ("delete rule confirm", || pressed(seeded(), &[Char('d')])),
    ]
}

/// Whether `update` acted on `event`: effects, or a change to the state other than a message
/// saying why not (a cleared message counts: Esc dismissed it).
fn acts(build: fn() -> State, event: KeyEvent) -> bool {
    let mut before = build();
    let mut after = build();
    let effects = update(&mut after, Msg::Key(event));
    let dismissed = before.status.is_some() && after.status.is_none();
    before.status = None;
    after.status = None;
    // The reveal's reminder of how to close is such a message too.
    for state in [&mut before, &mut after] {
        if let Some(Modal::Reveal(reveal)) = &mut state.modal {
            reveal.close_hint = false;
        }
    }
    !effects.is_empty() || dismissed || format!("{before:?}") != format!("{after:?}")
}

fn event(binding: &Binding, index: usize) -> KeyEvent {
    let key = binding.keys[index];
    KeyEvent::new(key.code, key.mods | KeyModifiers::NONE)
}

fn footer(state: &State) -> String {
    let text = screen(state, 400, 30);
    text.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn the_footer_shows_a_key_usable_exactly_when_update_acts_on_it() {
    let mut mismatches = vec![];
    for (name, build) in fixtures() {
        let state = build();
        let shown = footer(&state);
        for context in contexts(&state) {
            for binding in bindings(context) {
                let verdict = check(&state, binding.action);
                for index in 0..binding.keys.len() {
                    let acted = acts(build, event(binding, index));
                    if acted != verdict.is_ok() {
                        mismatches.push(format!(
                            "{name}: {:?} {} ({:?}): update acted={acted}, check={verdict:?}",
                            context, binding.shown, binding.keys[index].code
                        ));
                    }
                }
                if binding.priority == 0 {
                    continue;
                }
                let entry = match &verdict {
                    Ok(()) => format!(" {} {}  ", binding.shown, binding.label),
                    Err(reason) => format!(" {} {} ({})  ", binding.shown, binding.label, reason.short()),
                };
                if !shown.contains(&entry) {
                    mismatches.push(format!("{name}: footer lacks {entry:?}: {shown}"));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn at_80_columns_o_databases_stays_and_the_line_ends_with_more() {
    let line = screen(&connected("postgresql"), 80, 24).lines().last().unwrap_or_default().to_owned();
    assert!(line.contains("o databases"), "{line}");
    assert!(line.trim_end().trim_end_matches('"').trim_end().ends_with("? more"), "{line}");
    assert!(!line.contains("? help"), "? more replaces ? help: {line}");
    let wide = footer(&connected("postgresql"));
    assert!(wide.contains("? help") && !wide.contains("? more"), "all fit at 400: {wide}");
}

#[test]
fn off_keys_say_so_in_words_without_colour() {
    let state = read_only(writer());
    let theme = super::theme::Theme::new(true, false);
    let text = super::tests::render_with(&state, 120, 30, &theme);
    let line = text.lines().last().unwrap_or_default();
    assert!(line.contains("n new user (read-only)"), "{line}");
    assert!(line.contains("d delete (read-only)"), "{line}");
}

#[test]
fn q_in_the_reveal_shows_how_to_close_first() {
    let state = pressed(reveal(), &[KeyCode::Char('q')]);
    let text = screen(&state, 80, 24);
    assert!(text.contains("Press Enter to close"), "{text}");
    assert!(screen(&state, 120, 40).contains("q quit (Enter first)"));
}
