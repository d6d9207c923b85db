//! The first screen when no API token was found, or when the platform refused the one used: how
//! to get one (`scalingo login`, or SCALINGO_API_TOKEN), and a masked field to paste one, used
//! for this run only and never written anywhere.

use crossterm::event::KeyEvent;
use secrecy::{ExposeSecret, SecretString};

use super::msg::Effect;
use super::picker::{self, Picker};
use super::state::{Screen, State, TokenPrompt};
use super::unsettled;
use super::update;
use crate::api::ApiError;
use crate::app::keys::{Action, Context, action_for};
use crate::credentials::TokenSource;

pub(super) fn key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match action_for(Context::Token, &key) {
        Some(Action::Submit) => submit(state),
        Some(Action::Cancel) => {
            // Dropping the field wipes what was typed.
            state.token.input = TokenPrompt::default().input;
            vec![]
        }
        _ => {
            state.token.input.handle_key(key);
            vec![]
        }
    }
}

fn submit(state: &mut State) -> Vec<Effect> {
    let typed = state.token.input.to_secret();
    let token = typed.expose_secret().trim();
    if token.is_empty() {
        state.token.tried = true;
        return vec![];
    }
    let token = SecretString::from(token);
    state.token = TokenPrompt::default();
    state.session.token_source = TokenSource::Typed.to_string();
    let mut effects = vec![Effect::UseToken(token)];
    effects.extend(update::begin(state));
    effects
}

/// The token's file is readable by other users: said at start, and kept on the status line
/// until dismissed, as an error is.
pub(super) fn warn_about_source(state: &mut State) {
    if let Some(warning) = state.session.token_warning.clone() {
        update::error(state, warning);
    }
}

/// Back to the token screen, saying why.
pub(super) fn ask_again(state: &mut State, problem: String) {
    picker::leave_dashboard(state);
    state.picker = Picker::default();
    state.token = TokenPrompt { problem: Some(problem), ..TokenPrompt::default() };
    state.screen = Screen::Token;
}

/// When the platform refuses the API token (a 401 at the token exchange, whatever asked for it):
/// nothing can work with it, so the token screen comes back saying so, where the token came
/// from and what to do, instead of an empty list or a cut status line.
pub(super) fn refused(state: &mut State, e: &ApiError) -> bool {
    if e.status() != Some(401) {
        return false;
    }
    let source = state.session.token_source.as_str();
    let mut problem = if source == TokenSource::Typed.to_string() {
        format!("The token you typed was refused: {e}.")
    } else if source.is_empty() {
        format!("The platform refused the API token: {e}.")
    } else {
        format!("The platform refused the API token from {source}: {e}.")
    };
    if source == TokenSource::Environment.to_string() {
        problem.push_str(" Fix or unset SCALINGO_API_TOKEN and start dbdeck again, or paste a token below.");
    } else if source.starts_with("the Scalingo CLI login") {
        problem.push_str(" Run scalingo login again, or paste a token below.");
    } else {
        problem.push_str(" Paste another token below.");
    }
    if let Some(left) = unsettled::left_behind(state) {
        problem = format!("{problem} {left}");
    }
    ask_again(state, problem);
    state.token.refused = true;
    true
}

#[cfg(test)]
mod tests {
    use super::super::session::{Session, Start};
    use super::super::state::{Level, State};
    use super::super::update::start;

    #[test]
    fn a_readable_login_file_is_said_once_at_start_and_stays_until_dismissed() {
        let warning = "/home/ops/.config/scalingo/auth is readable by other users (mode 0644): chmod 600 \
                       /home/ops/.config/scalingo/auth";
        for start_with in [Start::Picker, Start::app("shop-prod", "")] {
            let mut state = State::new(Session {
                start: start_with,
                token_warning: Some(warning.into()),
                ..Session::default()
            });
            assert!(!start(&mut state).is_empty(), "it still opens what was asked");
            let status = state.status.clone().expect("a status line");
            assert_eq!(
                (status.level, status.text.as_str(), status.ticks_left),
                (Level::Error, warning, None)
            );
        }
        let mut state = State::new(Session::default());
        start(&mut state);
        assert!(state.status.is_none(), "nothing to say for a private file");
    }
}
