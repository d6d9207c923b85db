//! The cost of a large Users tab: one draw on ratatui's `TestBackend` at 120x40 with 1k, 10k
//! and 100k users (selection at the top, middle and bottom; with and without a filter), and
//! one `update` at 100k for Down, PgDn, `G` and one filter character.
//!
//! `cargo bench --bench users`. The states are reached through `update`, as the app reaches
//! them; only the middle selection is set directly (walking there key by key takes minutes).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dbdeck::api::{Addon, Database, User};
use dbdeck::app::state::{Session, Start};
use dbdeck::app::users::{UsersEffect, UsersMsg};
use dbdeck::app::{self, Effect, Msg, Opened, State};
use dbdeck::ui::{self, Theme};
use divan::{Bencher, black_box};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// Keeps about one user in ten.
const FILTER: &str = "7_";

fn main() {
    divan::main();
}

fn users(count: usize) -> Vec<User> {
    (0..count)
        .map(|i| User {
            name: format!("app_user_{i:06}_{}", i % 10),
            read_only: i % 3 == 0,
            protected: i == 0,
            dbms_attributes: None,
        })
        .collect()
}

fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let modifiers = if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase()) {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    app::update(state, Msg::Key(KeyEvent::new(code, modifiers)))
}

/// A PostgreSQL database open on the Users tab with `count` users loaded.
fn loaded(count: usize) -> State {
    let mut state = State::new(Session {
        start: Start::app("shop-prod", "postgresql"),
        region: Some("osc-fr1".into()),
        ..Session::default()
    });
    app::update(&mut state, Msg::Resize(WIDTH, HEIGHT));
    let Some(Effect::Connect { id, .. }) = app::start(&mut state).into_iter().next() else {
        panic!("start connects")
    };
    let database = Database {
        type_name: "postgresql".into(),
        readable_version: "16.6.0-1".into(),
        plan: "postgresql-starter-512".into(),
        status: "running".into(),
        ..Database::default()
    };
    let addon = Addon { id: "ad-bench".into(), ..Addon::default() };
    let opened = Opened { region: "osc-fr1".into(), addon, database };
    let effects = app::update(&mut state, Msg::Connected { id, result: Ok(opened) });
    let Some(Effect::Users(UsersEffect::Load { id, .. })) = effects.into_iter().next() else {
        panic!("then users")
    };
    app::update(&mut state, Msg::Users(UsersMsg::Loaded { id, result: Ok(users(count)) }));
    state
}

fn filtered(count: usize) -> State {
    let mut state = loaded(count);
    press(&mut state, KeyCode::Char('/'));
    for c in FILTER.chars() {
        press(&mut state, KeyCode::Char(c));
    }
    press(&mut state, KeyCode::Enter);
    state
}

#[derive(Clone, Copy)]
enum Place {
    Top,
    Middle,
    Bottom,
}

fn placed(mut state: State, place: Place) -> State {
    match place {
        Place::Top => {}
        Place::Middle => {
            let users = &mut state.dash_mut().expect("on the dashboard").users;
            users.list.selected = users.list.len() / 2;
        }
        Place::Bottom => {
            press(&mut state, KeyCode::Char('G'));
        }
    }
    state
}

fn draw(bencher: Bencher, state: State) {
    let theme = Theme::new(false, true);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal");
    bencher.bench_local(|| {
        terminal.draw(|frame| ui::draw(frame, black_box(&state), &theme)).expect("drawn");
    });
}

mod draw {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn top(bencher: Bencher, count: usize) {
        draw(bencher, placed(loaded(count), Place::Top));
    }

    #[divan::bench(args = SIZES)]
    fn middle(bencher: Bencher, count: usize) {
        draw(bencher, placed(loaded(count), Place::Middle));
    }

    #[divan::bench(args = SIZES)]
    fn bottom(bencher: Bencher, count: usize) {
        draw(bencher, placed(loaded(count), Place::Bottom));
    }

    #[divan::bench(args = SIZES)]
    fn filtered_top(bencher: Bencher, count: usize) {
        draw(bencher, placed(filtered(count), Place::Top));
    }

    #[divan::bench(args = SIZES)]
    fn filtered_middle(bencher: Bencher, count: usize) {
        draw(bencher, placed(filtered(count), Place::Middle));
    }

    #[divan::bench(args = SIZES)]
    fn filtered_bottom(bencher: Bencher, count: usize) {
        draw(bencher, placed(filtered(count), Place::Bottom));
    }
}

/// One key through `update` at 100k users, on a fresh state each time (made outside the
/// measured time; one key per sample keeps a single such state alive at once).
mod update {
    use super::*;

    const COUNT: usize = 100_000;

    fn key(bencher: Bencher, make: impl Fn() -> State, code: KeyCode) {
        bencher.with_inputs(make).bench_local_refs(|state| press(state, code));
    }

    #[divan::bench(sample_size = 1, sample_count = 20)]
    fn down(bencher: Bencher) {
        key(bencher, || placed(loaded(COUNT), Place::Middle), KeyCode::Down);
    }

    #[divan::bench(sample_size = 1, sample_count = 20)]
    fn page_down(bencher: Bencher) {
        key(bencher, || placed(loaded(COUNT), Place::Middle), KeyCode::PageDown);
    }

    #[divan::bench(sample_size = 1, sample_count = 20)]
    fn bottom(bencher: Bencher) {
        key(bencher, || loaded(COUNT), KeyCode::Char('G'));
    }

    #[divan::bench(sample_size = 1, sample_count = 20)]
    fn filter_character(bencher: Bencher) {
        let make = || {
            let mut state = loaded(COUNT);
            press(&mut state, KeyCode::Char('/'));
            state
        };
        key(bencher, make, KeyCode::Char('7'));
    }
}
