//! Keeps the main API's requests inside Scalingo's rate limit (60 a minute) instead of meeting
//! it: each request waits, in turn, until fewer than `requests` are in flight or were answered
//! in the last `per`.
//! After a 429 every request waits until its `Retry-After` has passed. The database API and
//! the auth service are not paced.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::{Mutex, Notify};
use tokio::time::Instant;

/// At most `requests` main-API requests in any window of `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub requests: u32,
    pub per: Duration,
}

impl Pace {
    /// Below the platform's 60 a minute, leaving room for another tool using the same account
    /// (the CLI) and for requests that arrive closer together than they left.
    pub const DEFAULT: Pace = Pace { requests: 55, per: Duration::from_secs(60) };

    /// `REQUESTS/SECONDS`, e.g. `55/60` (`DBDECK_RATE_LIMIT`), or `off`.
    pub fn parse(text: &str) -> Result<Option<Pace>, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let wrong = || format!("{text:?} is not REQUESTS/SECONDS (e.g. 55/60) nor off");
        let (requests, secs) = text.split_once('/').ok_or_else(wrong)?;
        let requests: u32 = requests.trim().parse().map_err(|_| wrong())?;
        let secs: f64 = secs.trim().parse().map_err(|_| wrong())?;
        if requests == 0 || !(secs > 0.0 && secs <= 3600.0) {
            return Err(wrong());
        }
        Ok(Some(Pace { requests, per: Duration::from_secs_f64(secs) }))
    }
}

#[derive(Debug, Default)]
struct Window {
    /// Requests sent and not yet answered: they count until they are.
    in_flight: usize,
    /// When the answered ones were answered, oldest first. Counting from the answer rather
    /// than the sending keeps the server's count (at arrival, in between) inside the pace
    /// whatever the network's delays.
    answered: VecDeque<Instant>,
    /// A 429 asked to wait until then.
    blocked_until: Option<Instant>,
}

#[derive(Debug)]
pub(crate) struct Pacer {
    pace: Option<Pace>,
    window: std::sync::Mutex<Window>,
    /// Held by the request waiting for its turn: waiters are served in order (the lock is
    /// fair), so a long listing cannot starve a request made meanwhile for long.
    turn: Mutex<()>,
    answer: Notify,
}

/// A request's place in the window, until it is answered (dropped).
pub(crate) struct Turn<'a> {
    pacer: &'a Pacer,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut window = self.pacer.lock();
        window.in_flight -= 1;
        window.answered.push_back(Instant::now());
        self.pacer.answer.notify_one();
    }
}

impl Pacer {
    pub fn new(pace: Option<Pace>) -> Pacer {
        Pacer { pace, window: Default::default(), turn: Mutex::new(()), answer: Notify::new() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until one more request may be sent; it counts until the `Turn` is dropped, then
    /// for `per` after that.
    pub async fn wait_turn(&self) -> Turn<'_> {
        let _turn = self.turn.lock().await;
        loop {
            let answered = self.answer.notified();
            let wait = {
                let mut window = self.lock();
                let now = Instant::now();
                match (window.blocked_until, self.pace) {
                    (Some(until), _) if until > now => Some(until),
                    (_, None) => None,
                    (_, Some(pace)) => {
                        while window.answered.front().is_some_and(|t| now.duration_since(*t) >= pace.per) {
                            window.answered.pop_front();
                        }
                        if window.in_flight + window.answered.len() < pace.requests as usize {
                            None
                        } else {
                            // All in flight: the next answer starts the clock.
                            Some(window.answered.front().map_or(now + pace.per, |t| *t + pace.per))
                        }
                    }
                }
            };
            match wait {
                None => break,
                Some(until) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(until) => {}
                        () = answered => {}
                    }
                }
            }
        }
        let mut window = self.lock();
        window.blocked_until = None;
        window.in_flight += 1;
        Turn { pacer: self }
    }

    /// A 429: nothing more is sent before `wait` has passed.
    pub fn hold(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut window = self.lock();
        window.blocked_until = Some(window.blocked_until.map_or(until, |u| u.max(until)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_setting() {
        assert_eq!(Pace::parse("55/60"), Ok(Some(Pace::DEFAULT)));
        assert_eq!(Pace::parse(" 20 / 0.5 ").unwrap().unwrap().per, Duration::from_millis(500));
        assert_eq!(Pace::parse("off"), Ok(None));
        for bad in ["", "60", "0/60", "60/0", "a/b", "60/-1"] {
            assert!(Pace::parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn no_more_than_the_pace_in_any_window() {
        let pacer = Pacer::new(Some(Pace { requests: 3, per: Duration::from_secs(10) }));
        let start = Instant::now();
        let mut sent = vec![];
        for _ in 0..7 {
            drop(pacer.wait_turn().await);
            sent.push(start.elapsed().as_secs());
        }
        assert_eq!(sent, [0, 0, 0, 10, 10, 10, 20]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_holds_every_request_until_its_retry_after() {
        let pacer = Pacer::new(None);
        let start = Instant::now();
        drop(pacer.wait_turn().await);
        pacer.hold(Duration::from_secs(7));
        drop(pacer.wait_turn().await);
        assert_eq!(start.elapsed().as_secs(), 7);
        drop(pacer.wait_turn().await);
        assert_eq!(start.elapsed().as_secs(), 7);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_counts_from_its_answer() {
        let pacer = Pacer::new(Some(Pace { requests: 2, per: Duration::from_secs(10) }));
        let start = Instant::now();
        let slow = pacer.wait_turn().await;
        drop(pacer.wait_turn().await);
        // The slow one is answered at 4 s: the third request goes 10 s after that.
        let answer = async {
            tokio::time::sleep(Duration::from_secs(4)).await;
            drop(slow);
        };
        let (_, third) = tokio::join!(answer, pacer.wait_turn());
        drop(third);
        assert_eq!(start.elapsed().as_secs(), 10, "the quick one aged out first");
        drop(pacer.wait_turn().await);
        assert_eq!(start.elapsed().as_secs(), 14);
    }
}
