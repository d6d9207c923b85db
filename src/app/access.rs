//! Reaching the database from dbdeck itself: the connection URL of a user whose password is
//! revealed (copied with the password's clipboard rules, shown masked), and `C`, a SQL console
//! (psql, mariadb) with the screen suspended. The runtime reads the app's variable, builds the
//! URL or prepares the console; the state keeps only the masked URL and what the console said.

use secrecy::SecretString;

use super::msg::Effect;
use super::state::{Modal, Reveal, State};
use super::update::{error, info};
use crate::api::{DbTarget, Engine};

#[derive(Debug)]
pub enum AccessEffect {
    /// Build `user`'s URL from the app's variable for `engine`, then answer `AccessMsg::UserUrl`.
    UserUrl { target: DbTarget, engine: Engine, user: String, password: SecretString },
    /// Find the client program and the way in (tunnel or not), then answer `ConsoleReady`.
    PrepareConsole { target: DbTarget, engine: Engine },
    /// Suspend the screen and run the console prepared (the runtime's loop does it, then
    /// redraws).
    RunConsole,
}

#[derive(Debug)]
pub enum AccessMsg {
    /// `Ok((masked, url))`, or why there is none.
    UserUrl { user: String, result: Result<(String, SecretString), String> },
    /// The console of `target` is prepared (kept by the runtime), or why it cannot open.
    ConsoleReady { target: DbTarget, result: Result<(), String> },
    /// How the console ended, in words.
    ConsoleEnded(Result<String, String>),
}

/// `u` in the reveal: asks for the URL.
pub(super) fn request_url(state: &State, reveal: &mut Reveal) -> Vec<Effect> {
    let (Some(target), Some(engine)) = (state.target().cloned(), state.engine()) else {
        reveal.copy_status = Some("Not connected to a database: no URL to build".into());
        return vec![];
    };
    reveal.copy_status = Some("Building the connection URL…".into());
    let (user, password) = (reveal.user.clone(), reveal.password.clone());
    vec![Effect::Access(AccessEffect::UserUrl { target, engine, user, password })]
}

/// `C`: a console on the open database.
pub(super) fn open_console(state: &mut State) -> Vec<Effect> {
    let (Some(target), Some(engine)) = (state.target().cloned(), state.engine()) else {
        error(state, "Not connected to a database");
        return vec![];
    };
    info(state, "Opening the SQL console…");
    vec![Effect::Access(AccessEffect::PrepareConsole { target, engine })]
}

pub(super) fn on_msg(state: &mut State, msg: AccessMsg) -> Vec<Effect> {
    match msg {
        // Prepared for a database left meanwhile (`o`): not opened.
        AccessMsg::ConsoleReady { target, .. } if state.target() != Some(&target) => vec![],
        AccessMsg::ConsoleReady { result: Ok(()), .. } => vec![Effect::Access(AccessEffect::RunConsole)],
        AccessMsg::ConsoleReady { result: Err(e), .. } | AccessMsg::ConsoleEnded(Err(e)) => {
            error(state, format!("SQL console: {e}"));
            vec![]
        }
        AccessMsg::ConsoleEnded(Ok(text)) => {
            info(state, text);
            vec![]
        }
        AccessMsg::UserUrl { user, result } => {
            // The reveal was closed (or is another user's): the URL is dropped, not copied.
            let Some(Modal::Reveal(reveal)) = &mut state.modal else { return vec![] };
            if reveal.user != user {
                return vec![];
            }
            match result {
                Ok((masked, url)) => {
                    reveal.url = Some(masked);
                    reveal.copy_status = Some("Copying the connection URL…".into());
                    vec![Effect::Copy(url)]
                }
                Err(e) => {
                    reveal.copy_status = Some(format!("No connection URL: {e}"));
                    vec![]
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;
    use secrecy::ExposeSecret;

    use super::super::fixtures::*;
    use super::super::{Msg, update};
    use super::*;
    use crate::api::{User, UserWithPassword};

    fn revealed(engine: &str) -> State {
        let mut state = connected(engine);
        let created = UserWithPassword {
            user: User {
                name: "new_reader".into(),
                read_only: true,
                protected: false,
                dbms_attributes: None,
            },
            password: Some(SecretString::from("generated-secret")),
        };
        let id = state.next_id;
        let created =
            crate::app::users::UsersMsg::Created { id, name: "new_reader".into(), result: Ok(created) };
        update(&mut state, Msg::Users(created));
        assert!(matches!(state.modal, Some(Modal::Reveal(_))));
        state
    }

    fn answer(state: &mut State, user: &str, result: Result<(String, SecretString), String>) -> Vec<Effect> {
        update(state, Msg::Access(AccessMsg::UserUrl { user: user.into(), result }))
    }

    #[test]
    fn u_copies_the_url_like_the_password_and_shows_it_masked() {
        let mut state = revealed("mysql");
        let effects = key(&mut state, KeyCode::Char('u'));
        let [Effect::Access(AccessEffect::UserUrl { target: t, engine, user, password })] =
            effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!((t, *engine, user.as_str()), (&target(), Engine::MySql, "new_reader"));
        assert_eq!(password.expose_secret(), "generated-secret");

        let url = SecretString::from("mysql2://new_reader:generated-secret@h:1/d");
        let effects =
            answer(&mut state, "new_reader", Ok(("mysql2://new_reader:********@h:1/d".into(), url)));
        let [Effect::Copy(copied)] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(copied.expose_secret(), "mysql2://new_reader:generated-secret@h:1/d");
        let Some(Modal::Reveal(reveal)) = &state.modal else { panic!() };
        assert_eq!(reveal.url.as_deref(), Some("mysql2://new_reader:********@h:1/d"));
    }

    #[test]
    fn c_prepares_then_runs_the_console_of_the_database_still_open() {
        let mut state = connected("postgresql");
        let effects = key(&mut state, KeyCode::Char('C'));
        let [Effect::Access(AccessEffect::PrepareConsole { target: t, engine })] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!((t, *engine), (&target(), Engine::PostgreSql));
        let ready = |target, result| Msg::Access(AccessMsg::ConsoleReady { target, result });
        let effects = update(&mut state, ready(target(), Ok(())));
        assert!(matches!(effects.as_slice(), [Effect::Access(AccessEffect::RunConsole)]), "{effects:?}");
        let other = DbTarget { addon_id: "ad-other".into(), ..target() };
        assert!(update(&mut state, ready(other, Ok(()))).is_empty(), "another database's console");
        update(&mut state, ready(target(), Err("psql is not installed here".into())));
        assert!(state.status.as_ref().unwrap().text.contains("psql is not installed"));
        update(&mut state, Msg::Access(AccessMsg::ConsoleEnded(Ok("psql ended".into()))));
        assert_eq!(state.status.as_ref().unwrap().text, "psql ended");
    }

    #[test]
    fn a_url_for_a_closed_reveal_is_dropped_and_a_failure_is_said() {
        let mut state = revealed("postgresql");
        key(&mut state, KeyCode::Char('u'));
        assert!(
            answer(&mut state, "new_reader", Err("the app has no SCALINGO_POSTGRESQL_URL variable".into()))
                .is_empty()
        );
        let Some(Modal::Reveal(reveal)) = &state.modal else { panic!() };
        assert!(reveal.copy_status.as_deref().unwrap().contains("no SCALINGO_POSTGRESQL_URL"));
        key(&mut state, KeyCode::Enter);
        let url = SecretString::from("postgres://new_reader:generated-secret@h/d");
        assert!(answer(&mut state, "new_reader", Ok(("masked".into(), url))).is_empty(), "nothing copied");
    }

    #[test]
    fn after_set_password_u_copies_a_url_with_the_typed_password_which_is_never_drawn() {
        let mut state = connected("postgresql");
        select(&mut state, "app_reporting");
        key(&mut state, KeyCode::Char('s'));
        let chosen = "Correct_horse_battery_staple_42";
        typed(&mut state, chosen);
        key(&mut state, KeyCode::Tab);
        typed(&mut state, chosen);
        let effects = key(&mut state, KeyCode::Enter);
        let [Effect::Users(crate::app::users::UsersEffect::SetPassword { id, name, .. })] =
            effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        let user = User { name: name.clone(), read_only: true, protected: false, dbms_attributes: None };
        let set = crate::app::users::UsersMsg::PasswordSet { id: *id, name: name.clone(), result: Ok(user) };
        update(&mut state, Msg::Users(set));
        let Some(Modal::Reveal(reveal)) = &state.modal else { panic!("{:?}", state.modal) };
        assert!(reveal.chosen, "marked as typed: the box does not draw it");
        let name = reveal.user.clone();
        let effects = key(&mut state, KeyCode::Char('u'));
        let [Effect::Access(AccessEffect::UserUrl { user, password, .. })] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!((user, password.expose_secret()), (&name, chosen));
        key(&mut state, KeyCode::Enter);
        assert!(state.modal.is_none(), "Enter closes the box and drops the password");
    }
}
