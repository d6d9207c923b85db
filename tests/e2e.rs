//! The real binary in a pseudo-terminal (tmux), against its built-in emulator: what a person does
//! on a fresh machine with `dbdeck --demo`.

mod support;

use support::tmux::{Tmux, available, revealed_password};

#[test]
fn create_reveal_copy_delete_quit() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    let screen = tmux.screen();
    assert!(
        screen.contains("DEMO") && screen.contains("shop-prod") && screen.contains("PostgreSQL"),
        "{screen}"
    );

    // Create a user with a generated password.
    tmux.keys(&["n"]);
    tmux.wait_text("New PostgreSQL user");
    tmux.type_text("e2e_reader");
    tmux.keys(&["Tab", "Space", "Enter"]);
    let screen = tmux.wait_text("Shown only once");
    let password = revealed_password(&screen);

    // Copy: under tmux with set-clipboard on, OSC 52 lands in tmux's paste buffer.
    tmux.keys(&["c"]);
    tmux.wait_text("OSC 52");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while tmux.buffer().as_deref() != Some(password.as_str()) {
        assert!(std::time::Instant::now() < deadline, "tmux buffer: {:?}", tmux.buffer());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    // Close: the password is gone from the screen for good.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("the reveal to close", |s| !s.contains("Shown only once"));
    assert!(!screen.contains(&password));
    let screen = tmux.wait_text("e2e_reader");
    assert!(screen.contains("read-only"), "{screen}");

    // Delete it by typing its name; a wrong name leaves Enter inert.
    tmux.keys(&["/"]);
    tmux.type_text("e2e_");
    tmux.keys(&["Enter", "d"]);
    tmux.wait_text("Delete the user e2e_reader");
    tmux.type_text("e2e_reade");
    tmux.keys(&["Enter"]);
    tmux.wait_text("type e2e_reader exactly");
    tmux.type_text("r");
    tmux.keys(&["Enter"]);
    tmux.wait_text("User e2e_reader deleted");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the list without e2e_reader", |s| s.contains("app_writer") && !s.contains("e2e_reader"));

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert_eq!(tmux.format("#{alternate_on}"), "0", "the alternate screen is left");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "the cursor is shown again");
    let stty = tmux.stty();
    assert!(stty.contains(" icanon") && stty.contains(" echo"), "raw mode is off: {stty}");
    assert!(!tmux.screen().contains(&password));
    assert!(!tmux.log().contains(&password), "the password reached the log");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod"], &[], 100, 30);
    tmux.wait_text("app_reporting");
    let pid = tmux.pid();
    // Secrets stay out of core dumps (tests/hardening.rs checks ptrace protection).
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap();
    assert_eq!(core.split_whitespace().nth(4), Some("0"), "{core}");
    std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert_eq!(tmux.wait_exit(), 143, "128 + SIGTERM");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    assert_eq!(tmux.format("#{cursor_flag}"), "1");
    let stty = tmux.stty();
    assert!(stty.contains(" icanon") && stty.contains(" echo"), "raw mode is off: {stty}");
}

#[test]
fn mysql_users_are_read_only_unless_write_is_checked() {
    if !available() {
        return;
    }
    let tmux = Tmux::start(&["--demo", "--app", "shop-prod", "--addon", "mysql"], &[], 100, 30);
    let screen = tmux.wait_text("app_analytics");
    assert!(screen.contains("MySQL 8.0"), "{screen}");
    assert!(!screen.contains("Password encryption"), "a PostgreSQL-only column: {screen}");
    tmux.keys(&["n"]);
    tmux.wait_text("[ ] Write");
    tmux.type_text("mysql_reader");
    tmux.keys(&["Enter"]);
    tmux.wait_text("Shown only once");
    tmux.keys(&["Enter"]);
    let screen =
        tmux.wait_for("the new user", |s| s.contains("mysql_reader") && !s.contains("Shown only once"));
    let row = screen.lines().find(|l| l.contains("mysql_reader")).unwrap();
    assert!(row.contains("read-only"), "{row}");
    tmux.keys(&["C-c"]);
    assert_eq!(tmux.wait_exit(), 0);
}
