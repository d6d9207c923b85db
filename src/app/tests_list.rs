//! The filtered index of a list: computed again when the rows or the filter change, and only
//! then.

use crossterm::event::KeyCode;

use super::fixtures::*;

fn shown_names(state: &super::State) -> Vec<String> {
    state.db().users.visible().iter().map(|u| u.name.clone()).collect()
}

#[test]
fn a_new_list_is_filtered_again() {
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "APP_");
    assert_eq!(shown_names(&state), ["app_writer", "app_reporting"]);
    key(&mut state, KeyCode::Enter);
    reload_users(&mut state, vec![user("app_new", false, false), user("other", false, false)]);
    assert_eq!(shown_names(&state), ["app_new"]);
    assert_eq!(state.list_len(), 1);
}

#[test]
fn a_changed_filter_filters_again() {
    let mut state = connected("postgresql");
    reload_users(&mut state, many_users(30));
    assert_eq!(state.list_len(), 30);
    key(&mut state, KeyCode::Char('/'));
    typed(&mut state, "1");
    // user_001, user_010 to user_019, user_021.
    assert_eq!(state.list_len(), 12);
    typed(&mut state, "9");
    assert_eq!(shown_names(&state), ["user_019"]);
    key(&mut state, KeyCode::Backspace);
    assert_eq!(state.list_len(), 12);
    key(&mut state, KeyCode::Esc);
    assert_eq!(state.list_len(), 30);
}

#[test]
fn the_selection_follows_its_user_through_a_new_list() {
    let mut state = connected("postgresql");
    select(&mut state, "app_reporting");
    let mut users = seed_users();
    users.insert(0, user("a_first", false, false));
    reload_users(&mut state, users);
    assert_eq!(state.db().users.selected_user().map(|u| u.name.as_str()), Some("app_reporting"));
    reload_users(&mut state, vec![user("only", false, false)]);
    assert_eq!(state.db().users.selected_user().map(|u| u.name.as_str()), Some("only"));
}

#[test]
fn a_change_updates_the_list_from_its_answer_unless_a_reading_may_predate_it() {
    use crate::api::UserWithPassword;
    use crate::app::users::{UsersEffect, UsersMsg};
    use crate::app::{Effect, Msg, update};

    let mut state = connected("postgresql");
    select(&mut state, "app_writer");
    // `r`, then a delete before the list came back: that reading may not see the delete.
    let reading = key(&mut state, KeyCode::Char('r'));
    assert!(matches!(reading.as_slice(), [Effect::Users(UsersEffect::Load { .. })]), "{reading:?}");
    key(&mut state, KeyCode::Char('d'));
    typed(&mut state, "app_writer");
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Delete { id, .. })] = effects.as_slice() else { panic!("{effects:?}") };
    let deleted = Msg::Users(UsersMsg::Deleted { id: *id, name: "app_writer".into(), result: Ok(()) });
    let effects = update(&mut state, deleted);
    assert!(matches!(effects.as_slice(), [Effect::Users(UsersEffect::Load { .. })]), "{effects:?}");

    // Created while no reading is on its way: the answer alone updates the list.
    let mut state = connected("postgresql");
    key(&mut state, KeyCode::Char('n'));
    typed(&mut state, "fresh_user");
    key(&mut state, KeyCode::Tab);
    let effects = key(&mut state, KeyCode::Enter);
    let [Effect::Users(UsersEffect::Create { id, .. })] = effects.as_slice() else { panic!("{effects:?}") };
    let created = UserWithPassword { user: user("fresh_user", false, false), password: None };
    let answer = Msg::Users(UsersMsg::Created { id: *id, name: "fresh_user".into(), result: Ok(created) });
    assert!(update(&mut state, answer).is_empty());
    assert_eq!(state.list_len(), 4);
}
