//! A paste is text only: the events read with it (after an embedded end-of-paste marker) never
//! act as keys, and a field takes one line, or the paste is refused with a message.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use secrecy::{ExposeSecret, SecretString};

use super::fixtures::*;
use super::paste::{END_MARKER, burst};
use super::state::*;
use super::*;

fn press(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn status_text(state: &State) -> String {
    state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

fn create_form(state: &State) -> &CreateUserForm {
    let Some(Modal::CreateUser(form)) = &state.modal else {
        panic!("the form was closed: {:?}", state.modal)
    };
    form
}

fn pasted(msg: &Msg) -> String {
    let Msg::Paste(text) = msg else { panic!("{msg:?}") };
    text.expose_secret().to_owned()
}

#[test]
fn keys_read_with_a_paste_become_its_text_again() {
    assert_eq!(pasted(&burst("abc".into(), vec![])), "abc");
    let rest =
        vec![press(KeyCode::Enter), press(KeyCode::Char('x')), press(KeyCode::Esc), press(KeyCode::Tab)];
    assert_eq!(pasted(&burst("abc".into(), rest)), format!("abc{END_MARKER}\rx\u{1b}\t"));
    let ctrl_u = Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    let again = vec![ctrl_u, Event::Paste("def".into()), Event::Resize(80, 24)];
    assert_eq!(pasted(&burst("abc".into(), again)), format!("abc{END_MARKER}\u{15}\u{1b}[200~def"));
}

#[test]
fn an_end_marker_then_enter_in_the_create_form_submits_nothing() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    // What crossterm makes of ESC[200~ e2e_x ESC[201~ CR ESC[201~: a paste, then Enter.
    let effects = update(&mut state, burst("e2e_x".into(), vec![press(KeyCode::Enter)]));
    assert!(effects.is_empty(), "{effects:?}");
    let form = create_form(&state);
    assert_eq!((form.name.value(), form.pending), ("", None), "nothing inserted, nothing sent");
    assert!(status_text(&state).contains("end-of-paste marker"), "{}", status_text(&state));
}

#[test]
fn an_end_marker_then_esc_or_tab_keeps_the_modal_and_its_focus() {
    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    key(&mut state, KeyCode::Char('d'));
    update(&mut state, burst("app_writer".into(), vec![press(KeyCode::Esc)]));
    let Some(Modal::Confirm(form)) = &state.modal else { panic!("Esc closed the confirmation") };
    assert_eq!(form.typed.value(), "");

    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    update(&mut state, burst("x".into(), vec![press(KeyCode::Tab), press(KeyCode::Char('y'))]));
    assert_eq!(create_form(&state).focus, CreateField::Name, "Tab did not move the focus");
}

#[test]
fn a_line_break_inside_a_paste_refuses_it_whole() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    for text in ["first\nsecond", "first\r\nsecond", "a\rb", "tab\there", "esc\u{1b}[2J"] {
        state.status = None;
        update(&mut state, Msg::Paste(SecretString::from(text)));
        assert_eq!(create_form(&state).name.value(), "", "{text:?} inserted");
        assert!(status_text(&state).starts_with("Paste refused"), "{text:?}: {}", status_text(&state));
    }
}

#[test]
fn a_final_line_break_is_left_out_and_the_screen_says_so() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    let effects = update(&mut state, Msg::Paste(SecretString::from("copied_line\r")));
    assert!(effects.is_empty());
    assert_eq!(create_form(&state).name.value(), "copied_line");
    assert!(status_text(&state).contains("without its final line break"), "{}", status_text(&state));
}

#[test]
fn the_token_screen_says_why_a_paste_was_refused() {
    let mut state = State::new(Session { ask_token: Some(None), ..Session::default() });
    start(&mut state);
    assert!(matches!(state.screen, Screen::Token));
    let effects = update(&mut state, burst("tk-us-abc".into(), vec![press(KeyCode::Enter)]));
    assert!(effects.is_empty(), "Enter did not submit the token: {effects:?}");
    assert_eq!(state.token.input.value(), "");
    assert!(state.token.problem.as_deref().is_some_and(|p| p.contains("end-of-paste marker")));
}
