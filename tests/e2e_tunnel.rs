//! The Extensions tab through the SSH tunnel, in the real binary against the real sshd of
//! `scripts/test`: the app's SCALINGO_POSTGRESQL_URL names the test database by a name only
//! sshd resolves, so every byte goes through `ssh -W`. An unknown host key is refused until `K`;
//! a key sshd does not accept fails with ssh's own words on screen.

mod support;

use dbdeck::emulator::{DEMO_API_TOKEN, EmulatorConfig};
use support::emulator::Emulator;
use support::pg::{Pg, pg};
use support::ssh::{Sshd, client, sshd};
use support::tmux::{Tmux, available, cmdline};

/// The demo's account, with shop-prod's database URL pointing at `db` behind the bastion.
fn emulator(runtime: &tokio::runtime::Runtime, pg: &Pg, sshd: &Sshd, db: &str) -> Emulator {
    let mut config = EmulatorConfig::demo();
    let app = config.seed.apps.iter_mut().find(|a| a.name == "shop-prod").unwrap();
    let variable = app.variables.iter_mut().find(|v| v.name == "SCALINGO_POSTGRESQL_URL").unwrap();
    variable.value =
        format!("postgres://{}:{}@{}:{}/{db}?sslmode=require", pg.user, pg.password, sshd.db_host, pg.port);
    runtime.block_on(Emulator::start(config))
}

/// dbdeck on shop-prod through `sshd`, its ssh set up in `home` (plus `args`).
fn start(emu: &Emulator, sshd: &Sshd, home: &std::path::Path, args: &[&str]) -> Tmux {
    let base = emu.base_url().as_str().trim_end_matches('/').to_owned();
    let path = client(home);
    let ssh_host = sshd.host();
    let home_text = home.display().to_string();
    let env = [
        ("HOME", home_text.as_str()),
        ("PATH", path.as_str()),
        ("SCALINGO_AUTH_URL", base.as_str()),
        ("SCALINGO_API_TOKEN", DEMO_API_TOKEN),
        ("SCALINGO_SSH_HOST", ssh_host.as_str()),
        ("SSH_AUTH_SOCK", sshd.auth_sock.as_str()),
    ];
    let journal = home.join("journal.jsonl");
    let mut all = vec!["--app", "shop-prod", "--journal", journal.to_str().unwrap()];
    all.extend_from_slice(args);
    Tmux::start(&all, &env, 200, 40)
}

/// A home whose known_hosts already holds the test server's key.
fn trusting_home(sshd: &Sshd) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("known_hosts"), sshd.known_hosts_line()).unwrap();
    home
}

/// The ssh processes dbdeck runs now (children of any of its threads).
fn ssh_children(tmux: &Tmux) -> Vec<String> {
    let tasks = std::fs::read_dir(format!("/proc/{}/task", tmux.pid())).unwrap();
    let children = tasks.flatten().flat_map(|task| {
        let text = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        text.split_whitespace().filter_map(|c| c.parse::<u32>().ok()).collect::<Vec<_>>()
    });
    children.map(cmdline).filter(|c| c.contains("ssh")).collect()
}

#[test]
fn enables_an_extension_through_the_tunnel_after_the_host_key_is_confirmed() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(pg.scratch_db("tunnel"));
    let emu = emulator(&runtime, &pg, &sshd, &db);
    let home = tempfile::tempdir().unwrap();
    let known_hosts = home.path().join("known_hosts");
    let tmux = start(&emu, &sshd, home.path(), &[]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);

    // Refused until confirmed: the fingerprint is shown, nothing is recorded.
    let screen = tmux.wait_text("is not known yet");
    assert!(screen.contains(&sshd.fingerprint()), "the host key's fingerprint: {screen}");
    assert!(screen.contains("doc.scalingo.com"), "where Scalingo publishes its keys: {screen}");
    assert!(!known_hosts.exists(), "nothing recorded before K");
    tmux.keys(&["K"]);
    let screen = tmux.wait_text(&format!("via SSH tunnel through {}", sshd.host()));
    assert!(screen.contains(&format!("{}:{}/{db} over TLS", sshd.db_host, pg.port)), "{screen}");
    let recorded = std::fs::read_to_string(&known_hosts).unwrap();
    assert!(recorded.contains(sshd.known_hosts_line().trim()), "{recorded}");

    tmux.keys(&["/"]);
    tmux.type_text("hstore");
    tmux.keys(&["Enter", "e"]);
    tmux.wait_text("CREATE EXTENSION IF NOT EXISTS \"hstore\";");
    tmux.keys(&["Enter"]);
    tmux.wait_text("hstore enabled (version");
    let enabled = runtime.block_on(pg.enabled(&db));
    assert!(enabled.iter().any(|e| e.starts_with("hstore=")), "{enabled:?}");
    // sshd forwarded the channel to the name only it resolves.
    let target = format!("target {} port {}", sshd.db_host, pg.port);
    assert!(sshd.log_text().contains(&target), "sshd's log names the forwarded channel");
    // Each connection's ssh ends with it.
    tmux.wait_for("ssh to end with its connection", |_| ssh_children(&tmux).is_empty());

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert!(!tmux.log().contains(&pg.password) && !tmux.stderr().contains(&pg.password));
}

#[test]
fn a_key_sshd_refuses_shows_ssh_reason() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = emulator(&runtime, &pg, &sshd, "never_reached");
    let home = trusting_home(&sshd);
    let wrong_key = sshd.wrong_key.display().to_string();
    let tmux = start(&emu, &sshd, home.path(), &["--ssh-identity", &wrong_key]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);
    let screen = tmux.wait_text("Permission denied (publickey)");
    assert!(screen.contains(&format!("SSH tunnel through {}", sshd.host())), "{screen}");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert!(tmux.stderr().is_empty(), "ssh wrote nothing to the terminal: {}", tmux.stderr());
}

#[test]
fn a_changed_host_key_is_refused_and_not_offered() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = emulator(&runtime, &pg, &sshd, "never_reached");
    let home = tempfile::tempdir().unwrap();
    // Another key recorded for this host: ssh's "has changed" case.
    let key = home.path().join("other_key");
    let mut keygen = std::process::Command::new("ssh-keygen");
    keygen.args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&key);
    assert!(keygen.status().unwrap().success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let mut parts = public.split_whitespace();
    let other = format!("[127.0.0.1]:{} {} {}\n", sshd.port, parts.next().unwrap(), parts.next().unwrap());
    std::fs::write(home.path().join("known_hosts"), &other).unwrap();
    let tmux = start(&emu, &sshd, home.path(), &[]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);
    let screen = tmux.wait_text("Host key verification failed");
    assert!(screen.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), "{screen}");
    tmux.keys(&["K"]);
    tmux.wait_text("No SSH host key waits for a decision");
    assert_eq!(std::fs::read_to_string(home.path().join("known_hosts")).unwrap(), other);
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}

#[test]
fn the_console_runs_psql_through_the_tunnel_and_comes_back() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(pg.scratch_db("console"));
    let emu = emulator(&runtime, &pg, &sshd, &db);
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
