//! The loop that ties the pure app to the world: terminal events, signals, the clipboard and the
//! answers of effects, each turned into a `Msg`. Effects run in tokio tasks; the screen is
//! redrawn only after something changed, and a timer exists only while something animates, so
//! an idle dbdeck sleeps.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::{Instant, Interval, interval_at};

use crate::api::{ApiError, DbTarget, ScalingoClient};
use crate::app::state::Session;
use crate::app::{self, Effect, Msg, State};
use crate::clipboard::{Clipboard, ClipboardEvent};
use crate::term;

mod internet;
use crate::ui::{self, Theme};

mod extensions;

const TICK: Duration = Duration::from_millis(100);
const TTY_CHECK: Duration = Duration::from_secs(2);

pub struct Options {
    pub session: Session,
    pub theme: Theme,
    pub clipboard: Clipboard,
    /// Where the Extensions tab's SQL connection comes from.
    pub sql: crate::sql::SqlSource,
}

/// Runs the UI until the operator quits or a signal arrives. Returns the process exit code.
pub async fn run(
    client: ScalingoClient,
    options: Options,
    clipboard_events: ClipboardEvents,
) -> anyhow::Result<i32> {
    let Options { session, theme, mut clipboard, sql } = options;
    let mut clipboard_events = clipboard_events.0;
    let (tx, mut rx) = unbounded_channel::<Msg>();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;

    let mut terminal = term::enter()?;
    let mut events = EventStream::new();
    let mut state = State::new(session);
    let mut exit_code = 0;
    let mut tty_alive = true;
    for effect in app::start(&mut state) {
        perform(effect, &client, &tx, &mut clipboard, &sql);
    }
    let mut ticker: Option<Interval> = None;
    // crossterm 0.29 never ends its event stream on a hung-up tty (it re-reads 0 bytes at 100%
    // CPU), and without a SIGHUP (a `setsid` parent) nothing else tells us: look every 2 s.
    let mut tty_check = tokio::time::interval_at(Instant::now() + TTY_CHECK, TTY_CHECK);
    let mut dirty = true;

    while !state.quit {
        if dirty {
            terminal.draw(|frame| ui::draw(frame, &state, &theme))?;
            dirty = false;
        }
        match (state.animating(), ticker.is_some()) {
            (true, false) => ticker = Some(interval_at(Instant::now() + TICK, TICK)),
            (false, true) => ticker = None,
            _ => {}
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text.into()),
                Some(Ok(Event::Resize(..))) => Msg::Resize,
                Some(Ok(_)) => continue,
                // The terminal is gone (an SSH session dropped): quit rather than spin on it.
                None | Some(Err(_)) => {
                    tty_alive = false;
                    Msg::Quit
                }
            },
            Some(msg) = rx.recv() => msg,
            Some(event) = clipboard_events.recv() => match event {
                ClipboardEvent::Terminal(bytes) => {
                    write_to_terminal(&bytes);
                    continue;
                }
                ClipboardEvent::Status(text) => Msg::ClipboardStatus(text),
            },
            _ = terminate.recv() => { exit_code = 128 + 15; Msg::Quit }
            _ = hangup.recv() => { exit_code = 128 + 1; tty_alive = false; Msg::Quit }
            _ = interrupt.recv() => { exit_code = 128 + 2; Msg::Quit }
            _ = async { ticker.as_mut().expect("guarded").tick().await }, if ticker.is_some() => Msg::Tick,
            _ = tty_check.tick() => {
                if std::io::stdin().is_terminal() {
                    continue;
                }
                tty_alive = false;
                exit_code = 128 + 1;
                Msg::Quit
            }
        };
        for effect in app::update(&mut state, msg) {
            perform(effect, &client, &tx, &mut clipboard, &sql);
        }
        // Take every answer already waiting before drawing once for all of them.
        while let Ok(msg) = rx.try_recv() {
            for effect in app::update(&mut state, msg) {
                perform(effect, &client, &tx, &mut clipboard, &sql);
            }
        }
        dirty = true;
    }

    let clear = clipboard.on_quit();
    if tty_alive {
        // Blank the screen first so nothing (a revealed password) lingers if the terminal keeps
        // the alternate screen in its history.
        let _ = terminal.clear();
        write_to_terminal(&clear);
    }
    drop(terminal);
    term::restore();
    Ok(exit_code)
}

/// The receiving end the clipboard reports to; made with the clipboard in `main`.
pub struct ClipboardEvents(pub tokio::sync::mpsc::UnboundedReceiver<ClipboardEvent>);

fn write_to_terminal(bytes: &[u8]) {
    if bytes.is_empty() {
        return;
    }
    let mut out = std::io::stdout();
    if out.write_all(bytes).and_then(|()| out.flush()).is_err() {
        tracing::warn!("could not write the clipboard sequence to the terminal");
    }
}

/// Starts one effect. Network work runs in its own task and answers with a `Msg`.
fn perform(
    effect: Effect,
    client: &ScalingoClient,
    tx: &UnboundedSender<Msg>,
    clipboard: &mut Clipboard,
    sql: &crate::sql::SqlSource,
) {
    let client = client.clone();
    let tx = tx.clone();
    match effect {
        Effect::Connect { id, app, addon } => spawn(tx, async move {
            let result = connect(&client, &app, &addon).await;
            Msg::Connected { id, result }
        }),
        Effect::LoadUsers { id, target } => {
            spawn(tx, async move { Msg::UsersLoaded { id, result: client.list_users(&target).await } })
        }
        Effect::CreateUser { id, target, user } => spawn(tx, async move {
            let result = client.create_user(&target, &user).await;
            Msg::UserCreated { id, name: user.name, result }
        }),
        Effect::ResetPassword { id, target, name } => spawn(tx, async move {
            let result = client.reset_password(&target, &name).await;
            Msg::PasswordReset { id, name, result }
        }),
        Effect::SetPassword { id, target, name, password } => spawn(tx, async move {
            let result = client.set_password(&target, &name, &password).await;
            Msg::PasswordSet { id, name, result }
        }),
        Effect::DeleteUser { id, target, name } => spawn(tx, async move {
            let result = client.delete_user(&target, &name).await;
            Msg::UserDeleted { id, name, result }
        }),
        Effect::Copy(secret) => clipboard.copy(&secret),
        Effect::Quit => {}
        Effect::Extensions(effect) => extensions::perform(effect, client, sql, tx),
        Effect::Internet(effect) => internet::perform(effect, client, tx),
    }
}

fn spawn(tx: UnboundedSender<Msg>, work: impl Future<Output = Msg> + Send + 'static) {
    tokio::spawn(async move {
        // The receiver is gone only when the app is quitting.
        let _ = tx.send(work.await);
    });
}

/// Finds the addon, then reads its database.
async fn connect(
    client: &ScalingoClient,
    app: &str,
    addon: &str,
) -> Result<(crate::api::Addon, crate::api::Database), ApiError> {
    let found = client.find_addon(app, addon).await?;
    let target = DbTarget { app: app.to_owned(), addon_id: found.id.clone() };
    let database = client.database(&target).await?;
    Ok((found, database))
}
