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
