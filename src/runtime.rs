//! The loop that ties the pure app to the world: terminal events, signals, the clipboard and the
//! answers of effects, each turned into a `Msg`. Effects run in tokio tasks; the screen is
//! redrawn only after something changed, once for all the inputs already waiting, and a timer
//! exists only while something animates, so an idle dbdeck sleeps (see `event_loop`).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::EventStream;
use secrecy::SecretString;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinSet;

use crate::app::picker::{CachedDatabase, Recent};
use crate::app::state::Session;
use crate::app::{self, Effect, Msg, State};
use crate::clipboard::{Clipboard, ClipboardEnv, ClipboardEvent, ClipboardMode};
use crate::journal::Journal;
use crate::sql::SqlSource;
use crate::term;
use crate::ui::{self, Theme};

mod access;
mod console;
mod directory;
mod event_loop;
mod extensions;
mod internet;
mod open;
mod paste;
mod picker;
mod record;
mod users;

/// How long leaving waits for files still being written.
const SAVES_WAIT: Duration = Duration::from_secs(5);

pub use directory::{Directory, Reach};

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
    /// The database list an earlier run kept, and where to keep it (`None`: not kept).
    pub databases: Vec<CachedDatabase>,
    pub databases_file: Option<PathBuf>,
    /// Where changes are recorded (off with `--no-journal`).
    pub journal: Journal,
}

/// Runs the UI until the operator quits or a signal arrives. Returns the process exit code.
pub async fn run(options: Options, clipboard_events: ClipboardEvents) -> anyhow::Result<i32> {
    let Options {
        session,
        theme,
        clipboard,
        sql,
        reach,
        token,
        recents,
        recents_file,
        databases,
        databases_file,
        journal,
    } = options;
    let clipboard_events = clipboard_events.0;
    let (tx, rx) = unbounded_channel::<Msg>();
    let directory = Directory::new(reach.clone(), token)?;
    let directory = Arc::new(directory);
    let (console, run_console) = (console::Slot::default(), false);
    let mut runner = Runner {
        directory,
        reach,
        tx,
        clipboard,
        sql,
        recents_file,
        databases_file,
        journal,
        console,
        run_console,
        saves: JoinSet::new(),
    };
    let terminal = term::enter()?;
    let mut state = State::new(session);
    state.recents = recents;
    app::picker::restore(&mut state, &databases);
    if let Ok(size) = terminal.size() {
        app::update(&mut state, Msg::Resize(size.width, size.height));
    }
    for effect in app::start(&mut state) {
        runner.perform(effect);
    }
    let inputs =
        event_loop::Inputs { events: Some(EventStream::new()), messages: rx, clipboard: clipboard_events };
    let mut screen = Terminal { terminal, theme };
    let ended = event_loop::run(&mut state, &mut runner, inputs, &mut screen).await;
    let (exit_code, tty_alive, failure) = match ended {
        Ok(ended) => {
            let failure = ended.failure.map(|e| anyhow::Error::new(e).context("drawing the screen"));
            (ended.exit_code, ended.tty_alive, failure)
        }
        Err(e) => (0, true, Some(anyhow::Error::new(e).context("listening for signals"))),
    };

    let clear = runner.clipboard.on_quit();
    if tty_alive {
        write_to_terminal(&clear);
    }
    // Blanks the screen with dbdeck's own sequence, then leaves: never ratatui's `clear`, which
    // first asks the terminal for the cursor position, an answer the event reader swallows (the
    // query then waits 2 s and fails, and the screen is never blanked).
    term::restore();
    // Shows the cursor through the writer `restore` closed: nothing more reaches the terminal.
    drop(screen);
    let saves = std::mem::take(&mut runner.saves).join_all();
    if tokio::time::timeout(SAVES_WAIT, saves).await.is_err() {
        tracing::warn!("a file being saved was not finished after {SAVES_WAIT:?}: left as it was");
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(exit_code),
    }
}

/// The real terminal: drawn on, and handed to a console while it runs.
struct Terminal {
    terminal: term::Tui,
    theme: Theme,
}

impl event_loop::Screen<EventStream> for Terminal {
    fn draw(&mut self, state: &State) -> std::io::Result<()> {
        if matches!(state.modal, Some(app::state::Modal::Reveal(_))) {
            term::mark_secret_shown();
        }
        self.terminal.draw(|frame| ui::draw(frame, state, &self.theme)).map(drop)
    }

    async fn console(&mut self, runner: &Runner, events: &mut Option<EventStream>) -> Vec<Msg> {
        let ended = console::run(&runner.console, &mut self.terminal, events).await;
        // The terminal may have been resized meanwhile.
        let size = self.terminal.size().map(|s| Msg::Resize(s.width, s.height));
        [Some(ended), size.ok()].into_iter().flatten().collect()
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
    databases_file: Option<PathBuf>,
    journal: Journal,
    /// The console prepared, and whether the loop should run it now.
    console: console::Slot,
    run_console: bool,
    /// Files being written in the background (recents, the database list): finished before
    /// leaving, so that a quit right after a listing keeps it.
    saves: JoinSet<()>,
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
        Ok(Runner {
            directory,
            reach,
            tx,
            clipboard,
            sql,
            recents_file: None,
            databases_file: None,
            journal: Journal::off(),
            console: console::Slot::default(),
            run_console: false,
            saves: JoinSet::new(),
        })
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
        match effect {
            Effect::Connect { id, request } => spawn(tx, async move {
                let result = open::open(&directory, request).await;
                if let Ok(opened) = &result {
                    journal.learn_engine(&opened.addon.id, opened.database.engine());
                }
                Msg::Connected { id, result }
            }),
            Effect::ReadJournal { addon } => record::read_recent(&journal, addon, tx),
            Effect::Copy(secret) => self.clipboard.copy(&secret),
            Effect::Quit => {}
            Effect::Users(effect) => users::perform(effect, directory, tx, journal),
            Effect::Extensions(effect) => extensions::perform(effect, directory, &self.sql, tx, journal),
            Effect::Internet(effect) => internet::perform(effect, directory, tx, journal),
            Effect::Picker(effect) => {
                let cache =
                    self.databases_file.clone().map(|path| (path, self.reach.endpoints.auth.to_string()));
                picker::perform(effect, directory, tx, cache, &mut self.saves)
            }
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
                    self.saves.spawn_blocking(move || crate::store::write_recents(&path, &recents));
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
