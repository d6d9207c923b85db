//! The Internet Access tab in the real binary, in tmux, against `--demo`: firewall rules on the
//! dedicated database, and the TLS / Internet accessibility switches (with their prerequisite
//! and polling) on shared ones.

mod support;

use support::tmux::{Tmux, available};

#[test]
fn dedicated_database_add_a_rule_then_delete_it_by_typing() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "orders-db"], &[], 100, 30);
    tmux.wait_text("orders_api");
    tmux.keys(&["3"]);
    let screen = tmux.wait_text("Firewall rules (2 of 30)");
    assert!(screen.contains("203.0.113.0/24") && screen.contains("Scalingo osc-fr1 region"), "{screen}");

    // A host address is offered as its network, and the network is what gets added.
    tmux.keys(&["n"]);
    tmux.wait_text("New firewall rule on orders-db");
    // The form opens on the CIDR: typing goes there at once.
    tmux.type_text("198.51.100.7/24");
    tmux.keys(&["Tab"]);
    tmux.type_text("e2e partner");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Enter again adds 198.51.100.0/24");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Rule 198.51.100.0/24 added: rules take about 2 minutes to apply");
    let screen = tmux.wait_text("Firewall rules (3 of 30)");
    let row = screen.lines().find(|l| l.contains("198.51.100.0/24")).expect("the new rule is listed");
    assert!(
        row.contains("e2e partner") && row.contains("applying "),
        "marked while the platform applies it: {row}"
    );

    // Delete it: a wrong text leaves Enter inert; the exact CIDR deletes.
    tmux.keys(&["G", "d"]);
    tmux.wait_text("Delete the firewall rule 198.51.100.0/24 of orders-db?");
    tmux.type_text("198.51.100.0/2");
    tmux.keys(&["Enter"]);
    tmux.wait_text("type 198.51.100.0/24 exactly");
    tmux.type_text("4");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Rule 198.51.100.0/24 deleted");
    let screen = tmux.wait_text("Firewall rules (2 of 30)");
    assert!(screen.contains("Deleted, still applying (about 2 minutes): 198.51.100.0/24"), "{screen}");
    assert!(!screen.contains("e2e partner"), "the rule's row is gone: {screen}");

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

#[test]
fn shared_database_tls_first_then_internet_accessibility() {
    if !available() {
        return;
    }
    // The demo's MySQL database has neither feature.
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod", "--addon", "mysql"], &[], 100, 30);
    tmux.wait_text("app_analytics");
    tmux.keys(&["3"]);
    let screen = tmux.wait_text("Internet accessibility");
    assert!(screen.contains("How shop-prod's MySQL database can be reached"), "{screen}");

    // Internet accessibility needs TLS: the question offers TLS first.
    tmux.keys(&["i"]);
    tmux.wait_text("requires TLS enforcement, which is off");
    tmux.keys(&["Enter"]);
    tmux.wait_text("being enabled (checking every 3 s)");
    tmux.wait_text("press i again to enable Internet accessibility");

    tmux.keys(&["i"]);
    tmux.wait_text("exposing a database to the Internet is discouraged");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Internet accessibility is enabled");

    // TLS cannot go while Internet accessibility is on.
    tmux.keys(&["t"]);
    tmux.wait_text("Internet accessibility needs TLS enforcement: disable it first");
    // Esc alone (Esc and a letter in one read is Alt+letter) dismisses the error.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the error to go", |s| !s.contains("Error:"));
    tmux.keys(&["i"]);
    tmux.wait_text("Disable Internet accessibility");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Internet accessibility is disabled");

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}
