//! The loop itself: wait for one input, take every other input already waiting, then draw once.
//! 200 queued keys make one draw, not 200. The terminal's events and the screen are passed in,
//! so a test can queue a burst and count the draws.

use std::io::{self, IsTerminal};
use std::task::Poll;
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use futures_util::{Stream, StreamExt};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Instant, Interval, MissedTickBehavior, interval_at};

use super::paste::{self, Pasting};
use super::{Runner, write_to_terminal};
use crate::app::{self, Msg, State};
use crate::clipboard::ClipboardEvent;

const TICK: Duration = Duration::from_millis(100);
const TTY_CHECK: Duration = Duration::from_secs(2);

/// What the loop reads.
pub(super) struct Inputs<E> {
    /// `None` only while a console has the terminal.
    pub events: Option<E>,
    pub messages: UnboundedReceiver<Msg>,
    pub clipboard: UnboundedReceiver<ClipboardEvent>,
}

/// How the loop ended.
pub(super) struct Ended {
    pub exit_code: i32,
    pub tty_alive: bool,
    /// A failed draw ends the loop; the caller still restores the terminal.
    pub failure: Option<io::Error>,
}

/// Where the loop draws, and what runs a console.
pub(super) trait Screen<E> {
    fn draw(&mut self, state: &State) -> io::Result<()>;
    /// Hands the terminal to the console `runner` prepared until it exits, the event stream
    /// dropped meanwhile; returns what the app is told afterwards.
    async fn console(&mut self, runner: &Runner, events: &mut Option<E>) -> Vec<Msg>;
}

/// Runs until `state.quit`. The screen is drawn once per batch of inputs that changed it.
pub(super) async fn run<E, S>(
    state: &mut State,
    runner: &mut Runner,
    mut inputs: Inputs<E>,
    screen: &mut S,
) -> io::Result<Ended>
where
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: Screen<E>,
{
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut ended = Ended { exit_code: 0, tty_alive: true, failure: None };
    let mut ticker: Option<Interval> = None;
    // crossterm 0.29 never ends its event stream on a hung-up tty (it re-reads 0 bytes at 100%
    // CPU), and without a SIGHUP (a `setsid` parent) nothing else tells us: look every 2 s.
    let mut tty_check = interval_at(Instant::now() + TTY_CHECK, TTY_CHECK);
    let mut dirty = true;
    let mut pasting: Option<Pasting> = None;

    while !state.quit {
        if dirty {
            if let Err(e) = screen.draw(state) {
                ended.failure = Some(e);
                break;
            }
            dirty = false;
        }
        match (state.animating(), ticker.is_some()) {
            (true, false) => {
                let mut tick = interval_at(Instant::now() + TICK, TICK);
                // A draw slower than a tick must not be followed by a burst of catch-up ticks.
                tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
                ticker = Some(tick);
            }
            (false, true) => ticker = None,
            _ => {}
        }
        let paste_due = pasting.as_ref().map(Pasting::due);
        let msg = tokio::select! {
            event = events(&mut inputs.events).next() => from_event(event, &mut pasting, &mut ended.tty_alive),
            _ = tokio::time::sleep_until(paste_due.unwrap_or_else(Instant::now)), if paste_due.is_some() => {
                let (msg, over) = pasting.as_mut().expect("guarded").paused(paste::unread_input());
                if over {
                    pasting = None;
                }
                msg
            }
            Some(msg) = inputs.messages.recv() => Some(msg),
            Some(event) = inputs.clipboard.recv() => match event {
                ClipboardEvent::Terminal(bytes) => {
                    write_to_terminal(&bytes);
                    None
                }
                ClipboardEvent::Status(text) => Some(Msg::ClipboardStatus(text)),
            },
            _ = terminate.recv() => { ended.exit_code = 128 + 15; Some(Msg::Quit) }
            _ = hangup.recv() => { ended.exit_code = 128 + 1; ended.tty_alive = false; Some(Msg::Quit) }
            _ = interrupt.recv() => { ended.exit_code = 128 + 2; Some(Msg::Quit) }
            _ = async { ticker.as_mut().expect("guarded").tick().await }, if ticker.is_some() => Some(Msg::Tick),
            _ = tty_check.tick() => {
                if std::io::stdin().is_terminal() {
                    None
                } else {
                    ended.tty_alive = false;
                    ended.exit_code = 128 + 1;
                    Some(Msg::Quit)
                }
            }
        };
        if let Some(msg) = msg {
            dirty |= apply(state, runner, msg);
        }
        // Then every key and answer already waiting, before the one draw for all of them.
        loop {
            let mut took = false;
            while !state.quit
                && !runner.run_console
                && let Some(event) = ready(events(&mut inputs.events)).await
            {
                took = true;
                if let Some(msg) = from_event(event, &mut pasting, &mut ended.tty_alive) {
                    dirty |= apply(state, runner, msg);
                }
            }
            while !state.quit
                && !runner.run_console
                && let Ok(msg) = inputs.messages.try_recv()
            {
                took = true;
                dirty |= apply(state, runner, msg);
            }
            if !took || state.quit || runner.run_console {
                break;
            }
        }
        if std::mem::take(&mut runner.run_console) {
            for msg in screen.console(runner, &mut inputs.events).await {
                apply(state, runner, msg);
            }
            // The console's Ctrl-C reached dbdeck too (one process group): forget it.
            interrupt = signal(SignalKind::interrupt())?;
            dirty = true;
        }
    }
    Ok(ended)
}

/// The event stream, which is only gone while a console runs (and the loop waits for it).
fn events<E>(events: &mut Option<E>) -> &mut E {
    events.as_mut().expect("the console gives the event stream back")
}

/// The next event if one is waiting, else `None` at once. Polled with this task's own waker,
/// never a no-op one: crossterm's stream keeps the first waker it is given until an event comes,
/// so a no-op waker would leave the loop deaf to the next key.
async fn ready<E: Stream + Unpin>(events: &mut E) -> Option<Option<E::Item>> {
    std::future::poll_fn(|cx| {
        Poll::Ready(match events.poll_next_unpin(cx) {
            Poll::Ready(item) => Some(item),
            Poll::Pending => None,
        })
    })
    .await
}

/// The message a terminal event makes, if any.
fn from_event(
    event: Option<io::Result<Event>>,
    pasting: &mut Option<Pasting>,
    tty_alive: &mut bool,
) -> Option<Msg> {
    match event {
        // From a paste until the input pauses, events are the pasted text, never keys.
        Some(Ok(event)) if let Some(paste) = pasting => {
            paste.push(event);
            None
        }
        Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        Some(Ok(Event::Paste(text))) => {
            *pasting = Some(Pasting::new(text));
            None
        }
        Some(Ok(Event::Resize(width, height))) => Some(Msg::Resize(width, height)),
        Some(Ok(_)) => None,
        // The terminal is gone (an SSH session dropped): quit rather than spin on it.
        None | Some(Err(_)) => {
            *tty_alive = false;
            Some(Msg::Quit)
        }
    }
}

/// Updates the state and starts the effects. Returns whether the screen may have changed: a
/// tick that moved no spinner and cleared no message changed nothing visible.
fn apply(state: &mut State, runner: &mut Runner, msg: Msg) -> bool {
    let shown = |state: &State| (state.spinner, state.status.is_some());
    let before = matches!(msg, Msg::Tick).then(|| shown(state));
    for effect in app::update(state, msg) {
        runner.perform(effect);
    }
    before.is_none_or(|before| before != shown(state))
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use futures_util::stream;
    use tokio::sync::mpsc::unbounded_channel;

    use super::*;
    use crate::api::{ClientOptions, Endpoints};
    use crate::app::fixtures::connected;
    use crate::runtime::Reach;

    /// Runs the loop on `state` with `events` and the messages sent before, until it has
    /// nothing left to do for a second (the clock is paused: it moves on only then); returns
    /// what `seen` saw of the state at each draw.
    async fn draws<E, T>(mut state: State, events: E, before: Vec<Msg>, seen: impl Fn(&State) -> T) -> Vec<T>
    where
        E: Stream<Item = io::Result<Event>> + Unpin,
    {
        let (tx, messages) = unbounded_channel();
        let reach = Reach {
            endpoints: Endpoints::single("http://127.0.0.1:9".parse().unwrap()),
            pin: None,
            pinned_urls: false,
            regions_cache: None,
            options: ClientOptions::default(),
        };
        let mut runner = Runner::headless(reach, None, tx.clone()).unwrap();
        let (_clipboard_tx, clipboard) = unbounded_channel();
        for msg in before {
            tx.send(msg).unwrap();
        }
        let mut screen = Counting { drawn: Vec::new(), seen };
        let inputs = Inputs { events: Some(events), messages, clipboard };
        let quit_when_idle = async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            tx.send(Msg::Quit).unwrap();
        };
        let (ended, ()) = tokio::join!(run(&mut state, &mut runner, inputs, &mut screen), quit_when_idle);
        assert!(ended.unwrap().failure.is_none());
        screen.drawn
    }

    /// Keeps what `seen` saw of the state at each draw.
    struct Counting<T, F> {
        drawn: Vec<T>,
        seen: F,
    }

    impl<E, T, F: Fn(&State) -> T> Screen<E> for Counting<T, F> {
        fn draw(&mut self, state: &State) -> io::Result<()> {
            self.drawn.push((self.seen)(state));
            Ok(())
        }

        async fn console(&mut self, _: &Runner, _: &mut Option<E>) -> Vec<Msg> {
            unreachable!("these tests open no console")
        }
    }

    /// 200 keys already queued make one draw (not 200), and it shows where all of them led.
    #[tokio::test(start_paused = true)]
    async fn a_burst_of_queued_keys_is_drawn_once() {
        let keys = (0..200).map(|_| Ok(Event::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE))));
        // Then a terminal that stays quiet.
        let events = stream::iter(keys).chain(stream::pending());
        let drawn = draws(connected("postgresql"), events, vec![], |s| {
            s.dash().expect("on the dashboard").users.list.selected
        })
        .await;
        // The first frame, then one for the whole burst: the last of the 3 users selected.
        assert_eq!(drawn, vec![0, 2]);
    }

    /// A message counting down ticks ten times a second, but nothing on screen changes until it
    /// goes: no draw.
    #[tokio::test(start_paused = true)]
    async fn ticks_that_change_nothing_on_screen_draw_nothing() {
        let status = vec![Msg::ClipboardStatus("Copied".into())];
        let drawn = draws(connected("postgresql"), stream::pending(), status, |s| s.status.is_some()).await;
        assert_eq!(drawn, vec![false, true], "the first frame, then the message; no tick since");
    }
}
