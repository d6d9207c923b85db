//! The SQL console (`C`) in the real binary, through the real sshd of `scripts/test`: psql on
//! the test PostgreSQL and mariadb on the test MariaDB, each reached by a name only sshd
//! resolves; a statement runs, quitting the client brings dbdeck's screen back.

mod support;

use support::bastion::{emulator, pg_url, ssh_children, start, start_with_path, trusting_home};
use support::pg::pg;
use support::ssh::sshd;
use support::tmux::available;

#[test]
fn the_console_runs_psql_through_the_tunnel_and_comes_back() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(pg.scratch_db("console"));
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, &db))]);
    let home = trusting_home(&sshd);
    let tmux = start(&emu, &sshd, home.path(), &[]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["C"]);
    let screen = tmux.wait_text(&format!("{db}=>"));
    let banner = format!(
        "psql as {} on {}:{}/{db} via SSH tunnel through {}",
        pg.user,
        sshd.db_host,
        pg.port,
        sshd.host()
    );
    assert!(screen.contains(&banner), "{screen}");
    assert!(!screen.contains(&pg.password));
    // \\g, not `;`: tmux reads a trailing `;` as its own command separator.
    tmux.type_text("select 40 + 2 as answer, current_user \\g");
    tmux.keys(&["Enter"]);
    tmux.wait_text(&format!("42 | {}", pg.user));
    tmux.type_text("\\q");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("psql ended");
    assert!(screen.contains("app_reporting") && screen.contains("1 Users"), "the screen is back: {screen}");
    assert!(sshd.log_text().contains(&format!("target {} port {}", sshd.db_host, pg.port)));
    tmux.wait_for("the console's ssh to end", |_| ssh_children(&tmux).is_empty());
    // Keys work again.
    tmux.keys(&["2"]);
    tmux.wait_text("via SSH tunnel through");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert!(!tmux.log().contains(&pg.password));
}

/// The MariaDB server of `scripts/test`: port, user, password, database.
fn mariadb() -> Option<(u16, String, String, String)> {
    let var = |name: &str| std::env::var(format!("DBDECK_TEST_MY_{name}")).ok();
    let Some(port) = var("PORT") else {
        support::skip::skip("no test MariaDB (scripts/test starts one when mariadb-server is installed)");
        return None;
    };
    Some((port.parse().unwrap(), var("USER")?, var("PASSWORD")?, var("DB")?))
}

#[test]
fn the_console_runs_mariadb_through_the_tunnel_and_comes_back() {
    let (Some(pg), Some(sshd), Some((port, user, password, db))) = (pg(), sshd(), mariadb()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // A password needing encoding in the URL would be decoded back for the option file.
    let url = format!("mysql2://{user}:{password}@{}:{port}/{db}", sshd.db_host);
    let emu = emulator(
        &runtime,
        &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, "unused")), ("SCALINGO_MYSQL_URL", url)],
    );
    let home = trusting_home(&sshd);
    let tmux = start(&emu, &sshd, home.path(), &["--addon", "mysql"]);
    tmux.wait_text("MySQL");
    tmux.keys(&["C"]);
    let screen = tmux.wait_text(&format!("[{db}]>"));
    let banner = format!("as {user} on {}:{port} via SSH tunnel through {}", sshd.db_host, sshd.host());
    assert!(screen.contains(&banner), "{screen}");
    assert!(!screen.contains(&password));
    // The option file is there while the client runs, private, and never on its command line.
    let temp = std::env::temp_dir();
    let dirs: Vec<_> = std::fs::read_dir(&temp)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("dbdeck-console-{}-", tmux.pid())))
        .collect();
    assert!(!dirs.is_empty(), "an option file's directory under {}", temp.display());
    tmux.type_text("select 40 + 2 as answer, current_user() \\G");
    tmux.keys(&["Enter"]);
    tmux.wait_text("answer: 42");
    tmux.type_text("exit");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("ended");
    assert!(screen.contains("1 Users"), "the screen is back: {screen}");
    assert!(sshd.log_text().contains(&format!("target {} port {port}", sshd.db_host)));
    for dir in &dirs {
        assert!(!dir.path().exists(), "the option file is removed when the console ends");
    }
    tmux.wait_for("the console's ssh to end", |_| ssh_children(&tmux).is_empty());
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert!(!tmux.log().contains(&password));
}

#[test]
fn a_missing_client_names_the_package_to_install() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, "unused"))]);
    let home = trusting_home(&sshd);
    // Only ssh on PATH: no psql.
    let tmux = start_with_path(&emu, &sshd, home.path(), &home.path().join("bin").display().to_string());
    tmux.wait_text("app_reporting");
    tmux.keys(&["C"]);
    tmux.wait_text("psql is not installed here (apt-get install postgresql-client)");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

#[test]
fn a_console_through_an_unknown_host_key_waits_for_enter_then_says_why() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, "unused"))]);
    // No known_hosts: ssh refuses the server, psql sees its connection closed.
    let home = tempfile::tempdir().unwrap();
    let tmux = start(&emu, &sshd, home.path(), &[]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["C"]);
    // ssh's reason is on the terminal, under psql's own words, until Enter.
    let screen = tmux.wait_text("Press Enter to come back to dbdeck");
    assert!(screen.contains("is not known yet"), "{screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_text("psql ended with status");
    assert!(screen.contains("is not known yet") && screen.contains("1 Users"), "{screen}");
    assert!(!home.path().join("known_hosts").exists(), "nothing recorded");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}
