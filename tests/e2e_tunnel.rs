//! The Extensions tab through the SSH tunnel, in the real binary against the real sshd of
//! `scripts/test`: the app's SCALINGO_POSTGRESQL_URL names the test database by a name only
//! sshd resolves, so every byte goes through `ssh -W`. An unknown host key is refused until `K`;
//! a key sshd does not accept fails with ssh's own words on screen.

mod support;

use support::bastion::{emulator, pg_url, ssh_children, start, trusting_home};
use support::pg::pg;
use support::ssh::sshd;
use support::tmux::available;

#[test]
fn enables_an_extension_through_the_tunnel_after_the_host_key_is_confirmed() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(pg.scratch_db("tunnel"));
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, &db))]);
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
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, "never_reached"))]);
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
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, "never_reached"))]);
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
fn an_internet_accessible_database_is_tried_directly_then_through_the_tunnel_unless_no_tunnel() {
    let (Some(pg), Some(sshd)) = (pg(), sshd()) else { return };
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(pg.scratch_db("fallback"));
    let emu = emulator(&runtime, &[("SCALINGO_POSTGRESQL_URL", pg_url(&pg, &sshd, &db))]);
    let client = emu.client(dbdeck::api::ClientOptions::default());
    let target = dbdeck::api::DbTarget {
        region: "osc-fr1".into(),
        app: dbdeck::emulator::demo_ids::SHOP_APP.into(),
        addon_id: dbdeck::emulator::demo_ids::PG_ADDON.into(),
    };
    runtime.block_on(client.enable_feature(&target, dbdeck::api::PUBLICLY_AVAILABLE)).unwrap();

    // Directly first: the name does not resolve here, so the tunnel is used.
    let home = trusting_home(&sshd);
    let tmux = start(&emu, &sshd, home.path(), &[]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);
    tmux.wait_text(&format!("via SSH tunnel through {}", sshd.host()));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
    assert!(tmux.log().contains("direct connection failed"), "tried directly first");

    // --no-tunnel: only directly, which cannot reach it.
    let home = trusting_home(&sshd);
    let tmux = start(&emu, &sshd, home.path(), &["--no-tunnel"]);
    tmux.wait_text("app_reporting");
    tmux.keys(&["2"]);
    tmux.wait_text(&format!("Cannot reach the database at {}:{}/{db}", sshd.db_host, pg.port));
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0, "stderr: {}", tmux.stderr());
}
