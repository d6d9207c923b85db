//! The loop that ties the pure app to the world: terminal events, signals, the clipboard and the
//! answers of effects, each turned into a `Msg`. Effects run in tokio tasks; the screen is
//! redrawn only after something changed, and a timer exists only while something animates, so
//! an idle dbdeck sleeps.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use secrecy::SecretString;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::{Instant, Interval, interval_at};

use crate::app::picker::Recent;
use crate::app::state::Session;
use crate::app::{self, Effect, Msg, State};
use crate::clipboard::{Clipboard, ClipboardEnv, ClipboardEvent, ClipboardMode};
use crate::journal::{Action as Change, Check, Journal, JournalError};
use crate::sql::SqlSource;
use crate::term;
use crate::ui::{self, Theme};

mod access;
mod console;
mod directory;
mod extensions;
mod internet;
mod open;
mod paste;
mod picker;
mod record;

pub use directory::{Directory, Reach};
use paste::Pasting;

const TICK: Duration = Duration::from_millis(100);
const TTY_CHECK: Duration = Duration::from_secs(2);

pub struct Options {
    pub session: Session,
    pub theme: Theme,
    pub clipboard: Clipboard,
    /// Where the Extensions tab's SQL connection comes from.
    pub sql: SqlSource,
    pub reach: Reach,
    /// `None`: the first screen asks for one.
    pub token: Option<SecretString>,
    /// The databases opened lately, and where to remember them (`None`: not remembered).
    pub recents: Vec<Recent>,
    pub recents_file: Option<PathBuf>,
    /// Where changes are recorded (off with `--no-journal`).
    pub journal: Journal,
}

/// Runs the UI until the operator quits or a signal arrives. Returns the process exit code.
pub async fn run(options: Options, clipboard_events: ClipboardEvents) -> anyhow::Result<i32> {
    let Options { session, theme, clipboard, sql, reach, token, recents, recents_file, journal } = options;
    let mut clipboard_events = clipboard_events.0;
    let (tx, mut rx) = unbounded_channel::<Msg>();
    let directory = Directory::new(reach.clone(), token)?;
    let directory = Arc::new(directory);
    let (console, run_console) = (console::Slot::default(), false);
    let mut runner =
        Runner { directory, reach, tx, clipboard, sql, recents_file, journal, console, run_console };
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;

    let mut terminal = term::enter()?;
    // `None` only while a console has the terminal.
    let mut events = Some(EventStream::new());
    let mut state = State::new(session);
    state.recents = recents;
    let mut exit_code = 0;
    let mut tty_alive = true;
    // A failed draw ends the loop, but the terminal is still restored and the clipboard cleared.
    let mut failure = None;
    if let Ok(size) = terminal.size() {
        app::update(&mut state, Msg::Resize(size.width, size.height));
    }
    for effect in app::start(&mut state) {
        runner.perform(effect);
    }
    let mut ticker: Option<Interval> = None;
    // crossterm 0.29 never ends its event stream on a hung-up tty (it re-reads 0 bytes at 100%
    // CPU), and without a SIGHUP (a `setsid` parent) nothing else tells us: look every 2 s.
    let mut tty_check = tokio::time::interval_at(Instant::now() + TTY_CHECK, TTY_CHECK);
    let mut dirty = true;
    let mut pasting: Option<Pasting> = None;

    while !state.quit {
        if dirty {
            if matches!(state.modal, Some(app::state::Modal::Reveal(_))) {
                term::mark_secret_shown();
            }
            if let Err(e) = terminal.draw(|frame| ui::draw(frame, &state, &theme)) {
                failure = Some(e);
                break;
            }
            dirty = false;
        }
        match (state.animating(), ticker.is_some()) {
            (true, false) => ticker = Some(interval_at(Instant::now() + TICK, TICK)),
            (false, true) => ticker = None,
            _ => {}
        }
        let paste_due = pasting.as_ref().map(Pasting::due);
        let msg = tokio::select! {
            event = events.get_or_insert_with(EventStream::new).next() => match event {
                // From a paste until the input pauses, events are the pasted text, never keys.
                Some(Ok(event)) if let Some(paste) = &mut pasting => {
                    paste.push(event);
                    continue;
                }
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => {
                    pasting = Some(Pasting::new(text));
                    continue;
                }
                Some(Ok(Event::Resize(width, height))) => Msg::Resize(width, height),
                Some(Ok(_)) => continue,
                // The terminal is gone (an SSH session dropped): quit rather than spin on it.
                None | Some(Err(_)) => {
                    tty_alive = false;
                    Msg::Quit
                }
            },
            _ = tokio::time::sleep_until(paste_due.unwrap_or_else(Instant::now)), if paste_due.is_some() => {
                let (msg, over) = pasting.as_mut().expect("guarded").paused(paste::unread_input());
                if over {
                    pasting = None;
                }
                match msg {
                    Some(msg) => msg,
                    None => continue,
                }
            }
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
            runner.perform(effect);
        }
        // Take every answer already waiting before drawing once for all of them.
        while let Ok(msg) = rx.try_recv() {
            for effect in app::update(&mut state, msg) {
                runner.perform(effect);
            }
        }
        if std::mem::take(&mut runner.run_console) {
            let ended = console::run(&runner.console, &mut terminal, &mut events).await;
            // The console's Ctrl-C reached dbdeck too (one process group): forget it.
            interrupt = signal(SignalKind::interrupt())?;
            // The terminal may have been resized meanwhile.
            let size = terminal.size().map(|s| Msg::Resize(s.width, s.height));
            for msg in [Some(ended), size.ok()].into_iter().flatten() {
                for effect in app::update(&mut state, msg) {
                    runner.perform(effect);
                }
            }
        }
        dirty = true;
    }

    let clear = runner.clipboard.on_quit();
    if tty_alive {
        write_to_terminal(&clear);
    }
    // Blanks the screen with dbdeck's own sequence, then leaves: never ratatui's `clear`, which
    // first asks the terminal for the cursor position, an answer the event reader swallows (the
    // query then waits 2 s and fails, and the screen is never blanked).
    term::restore();
    // Shows the cursor through the writer `restore` closed: nothing more reaches the terminal.
    drop(terminal);
    match failure {
        Some(e) => Err(anyhow::Error::new(e).context("drawing the screen")),
        None => Ok(exit_code),
    }
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

/// Performs effects: network work in its own task, answering with a `Msg`.
pub struct Runner {
    directory: Arc<Directory>,
    reach: Reach,
    tx: UnboundedSender<Msg>,
    clipboard: Clipboard,
    sql: SqlSource,
    recents_file: Option<PathBuf>,
    journal: Journal,
    /// The console prepared, and whether the loop should run it now.
    console: console::Slot,
    run_console: bool,
}

impl Runner {
    /// A runner without a terminal, for tests that drive `update` against a server: the
    /// clipboard off, no SQL URL, recents not remembered.
    pub fn headless(
        reach: Reach,
        token: Option<SecretString>,
        tx: UnboundedSender<Msg>,
    ) -> anyhow::Result<Runner> {
        let (clipboard_tx, _) = unbounded_channel();
        let clipboard = Clipboard::new(
            ClipboardMode::Off,
            ClipboardEnv::default(),
            Duration::from_secs(30),
            clipboard_tx,
        );
        let directory = Arc::new(Directory::new(reach.clone(), token)?);
        let sql = SqlSource::default();
        let (recents_file, journal, console, run_console) =
            (None, Journal::off(), console::Slot::default(), false);
        Ok(Runner { directory, reach, tx, clipboard, sql, recents_file, journal, console, run_console })
    }

    /// Records changes in `journal` (a headless runner records none).
    pub fn with_journal(self, journal: Journal) -> Runner {
        Runner { journal, ..self }
    }

    /// The requests made so far, in every region.
    pub fn stats(&self) -> crate::api::RequestStats {
        self.directory.stats()
    }

    /// Starts one effect.
    pub fn perform(&mut self, effect: Effect) {
        let directory = self.directory.clone();
        let tx = self.tx.clone();
        let journal = self.journal.clone();
        let client = |target: &crate::api::DbTarget| {
            let (directory, region) = (directory.clone(), target.region.clone());
            async move { directory.client(&region).await }
        };
        match effect {
            Effect::Connect { id, request } => spawn(tx, async move {
                let result = open::open(&directory, request).await;
                if let Ok(opened) = &result {
                    journal.learn_engine(&opened.addon.id, opened.database.engine());
                }
                Msg::Connected { id, result }
            }),
            Effect::LoadUsers { id, target } => {
                let client = client(&target);
                let read = journal.read_mark(&target.addon_id);
                spawn(tx, async move {
                    let result = async { client.await?.list_users(&target).await }.await;
                    if let Ok(users) = &result {
                        journal.settle_users(&read, users);
                    }
                    Msg::UsersLoaded { id, result }
                })
            }
            // Each change is journalled before it is sent (see `record::intent`), and again
            // with its outcome once known.
            Effect::CreateUser { id, target, user } => {
                let refuse =
                    |e: JournalError| Msg::UserCreated { id, name: user.name.clone(), result: Err(e.into()) };
                let Some(pending) =
                    record::intent(&journal, &tx, &target, Change::CreateUser, &user.name, None, refuse)
                else {
                    return;
                };
                let client = client(&target);
                spawn(tx, async move {
                    let result = async { client.await?.create_user(&target, &user).await }.await;
                    pending.finish(&result, Check::UserExists(user.name.clone()));
                    Msg::UserCreated { id, name: user.name, result }
                })
            }
            Effect::ResetPassword { id, target, name } => {
                let refuse =
                    |e: JournalError| Msg::PasswordReset { id, name: name.clone(), result: Err(e.into()) };
                let Some(pending) =
                    record::intent(&journal, &tx, &target, Change::ResetPassword, &name, None, refuse)
                else {
                    return;
                };
                let client = client(&target);
                spawn(tx, async move {
                    let result = async { client.await?.reset_password(&target, &name).await }.await;
                    pending.finish(&result, Check::Password(name.clone()));
                    Msg::PasswordReset { id, name, result }
                })
            }
            Effect::SetPassword { id, target, name, password } => {
                let refuse =
                    |e: JournalError| Msg::PasswordSet { id, name: name.clone(), result: Err(e.into()) };
                let Some(pending) =
                    record::intent(&journal, &tx, &target, Change::SetPassword, &name, None, refuse)
                else {
                    return;
                };
                let client = client(&target);
                spawn(tx, async move {
                    let result = async { client.await?.set_password(&target, &name, &password).await }.await;
                    pending.finish(&result, Check::Password(name.clone()));
                    Msg::PasswordSet { id, name, result }
                })
            }
            Effect::DeleteUser { id, target, name } => {
                let refuse =
                    |e: JournalError| Msg::UserDeleted { id, name: name.clone(), result: Err(e.into()) };
                let Some(pending) =
                    record::intent(&journal, &tx, &target, Change::DeleteUser, &name, None, refuse)
                else {
                    return;
                };
                let client = client(&target);
                spawn(tx, async move {
                    let result = async { client.await?.delete_user(&target, &name).await }.await;
                    pending.finish(&result, Check::UserGone(name.clone()));
                    Msg::UserDeleted { id, name, result }
                })
            }
            Effect::ReadJournal { addon } => record::read_recent(&journal, addon, tx),
            Effect::Copy(secret) => self.clipboard.copy(&secret),
            Effect::Quit => {}
            Effect::Extensions(effect) => extensions::perform(effect, directory, &self.sql, tx, journal),
            Effect::Internet(effect) => internet::perform(effect, directory, tx, journal),
            Effect::Picker(effect) => picker::perform(effect, directory, tx),
            Effect::Access(app::access::AccessEffect::RunConsole) => self.run_console = true,
            Effect::Access(effect) => access::perform(effect, directory, &self.sql, &self.console, tx),
            Effect::UseToken(token) => match Directory::new(self.reach.clone(), Some(token)) {
                // A fresh directory: nothing of an earlier token is kept.
                Ok(directory) => self.directory = Arc::new(directory),
                Err(e) => {
                    let _ = tx.send(Msg::TokenUnusable(e.to_string()));
                }
            },
            Effect::SaveRecents(recents) => {
                if let Some(path) = self.recents_file.clone() {
                    tokio::task::spawn_blocking(move || crate::store::write_recents(&path, &recents));
                }
            }
            Effect::ReadStats => {
                let _ = tx.send(Msg::Stats(self.directory.stats()));
            }
        }
    }
}

fn spawn(tx: UnboundedSender<Msg>, work: impl Future<Output = Msg> + Send + 'static) {
    tokio::spawn(async move {
        // The receiver is gone only when the app is quitting.
        let _ = tx.send(work.await);
    });
}
