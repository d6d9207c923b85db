//! The real binary at the smallest size it draws (60x15) under `LC_ALL=C`: the database list
//! keeps the names that tell rows apart, the firewall table keeps what a delete asks to type, and
//! nothing outside ASCII reaches a terminal that is not UTF-8.

mod support;

use support::tmux::{Tmux, available};

#[test]
fn demo_at_60x15_under_lang_c_keeps_the_names_and_draws_only_ascii() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo"], &[("LC_ALL", "C"), ("LANG", "C")], 60, 15);
    let screen = tmux.wait_text("5 databases");
    assert!(screen.is_ascii(), "{screen}");
    assert!(screen.contains("Database") && !screen.contains("Plan"), "the plan goes first: {screen}");
    for name in ["analytics-etl", "billing-secure", "orders-db", "shop-prod"] {
        assert!(screen.contains(name), "{name}: {screen}");
    }

    tmux.keys(&["/"]);
    tmux.type_text("orders");
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_text("orders_api");
    tmux.keys(&["3"]);
    let screen = tmux.wait_text("Firewall rules");
    assert!(screen.is_ascii(), "{screen}");
    for text in ["203.0.113.0/24", "Office VPN", "mr-scalingo-osc-fr1", "Scalingo osc-fr1"] {
        assert!(screen.contains(text), "{text}: {screen}");
    }
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}
