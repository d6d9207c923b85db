//! While "Terminal too small" is shown, only the quit keys act: the real binary in tmux
//! (`--demo`, on the picker) at 50x10 ignores `j j j Enter n`, and `q` quits.

mod support;

use support::tmux::{Tmux, available};

#[test]
fn keys_do_nothing_while_too_small_and_q_quits() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo"], &[], 100, 30);
    // Every app read: rows arriving later would change the column widths of the compared row.
    let picker = tmux.wait_for("the whole picker", |s| s.contains("shop-prod") && !s.contains("Listing"));
    tmux.run(&["resize-window", "-x", "50", "-y", "10"]);
    tmux.wait_text("too small");
    tmux.keys(&["j", "j", "j", "Enter", "n"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    tmux.run(&["resize-window", "-x", "100", "-y", "30"]);
    let screen = tmux.wait_for("the picker again", |s| s.contains("shop-prod") && !s.contains("too small"));
    assert!(!screen.contains("New user") && !screen.contains("Users ("), "nothing opened:\n{screen}");
    let row = |s: &str| s.lines().find(|l| l.contains('>')).map(str::to_owned);
    assert_eq!(row(&screen), row(&picker), "the selection did not move:\n{screen}");
    tmux.run(&["resize-window", "-x", "50", "-y", "10"]);
    tmux.wait_text("too small");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0);
}
