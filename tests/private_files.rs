//! The files the real binary writes are the user's alone, whatever the umask: the log,
//! `recent.json` and the regions cache 0600, the directories it creates for them 0700; a symbolic
//! link planted at the log path, or at the directory meant to hold dbdeck's files, is refused
//! and its target left untouched. dbdeck runs in tmux against the emulator, its XDG directories
//! in a temporary directory.

mod support;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dbdeck::emulator::DEMO_API_TOKEN;
use support::emulator::Emulator;
use support::tmux::{Tmux, available};

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode()
        & 0o7777
}

fn dbdeck() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dbdeck"))
}

/// dbdeck with `args`, its HOME and XDG directories under `root` (none of them exists yet).
fn start(umask: &str, root: &Path, emulator: &Emulator, args: &[&str]) -> Tmux {
    let base = emulator.base_url().as_str().trim_end_matches('/').to_owned();
    let (home, state, cache) = (
        root.display().to_string(),
        root.join("state").display().to_string(),
        root.join("cache").display().to_string(),
    );
    let env = [
        ("HOME", home.as_str()),
        ("XDG_STATE_HOME", state.as_str()),
        ("XDG_CACHE_HOME", cache.as_str()),
        ("SCALINGO_AUTH_URL", base.as_str()),
        ("SCALINGO_API_TOKEN", DEMO_API_TOKEN),
    ];
    Tmux::start_program(&format!("umask {umask};"), &dbdeck(), args, &env, (100, 30))
}

#[test]
fn the_log_recents_and_regions_cache_are_0600_in_dirs_0700_under_any_umask() {
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::demo());
    for umask in ["000", "022", "077"] {
        let root = tempfile::tempdir().unwrap();
        let before = mode(root.path());
        let log = root.path().join("logs/dbdeck/dbdeck.log");
        let log_arg = log.display().to_string();
        let tmux = start(umask, root.path(), &emulator, &["--log-file", &log_arg, "--app", "shop-prod"]);
        tmux.wait_text("app_reporting");
        let recent = root.path().join("state/dbdeck/recent.json");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !recent.exists() {
            assert!(Instant::now() < deadline, "no {} written", recent.display());
            std::thread::sleep(Duration::from_millis(20));
        }
        tmux.keys(&["q"]);
        assert_eq!(tmux.wait_exit(), 0, "umask {umask}; stderr: {}", tmux.stderr());

        for file in [&log, &recent, &root.path().join("cache/dbdeck/regions.json")] {
            assert_eq!(mode(file), 0o600, "umask {umask}: {}", file.display());
        }
        for dir in ["logs", "logs/dbdeck", "state", "state/dbdeck", "cache", "cache/dbdeck"] {
            assert_eq!(mode(&root.path().join(dir)), 0o700, "umask {umask}: {dir}");
        }
        assert_eq!(mode(root.path()), before, "umask {umask}: an existing directory is left as it was");
        let leftovers: Vec<_> = std::fs::read_dir(root.path().join("state/dbdeck"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n != "recent.json")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }
}

#[test]
fn a_symlink_at_the_log_path_or_at_the_state_dir_is_refused_and_its_target_untouched() {
    if !available() {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::demo());
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("precious");
    std::fs::write(&target, "precious\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();

    // A link at the log path given on the command line.
    let link = root.path().join("dbdeck.log");
    symlink(&target, &link).unwrap();
    let link_arg = link.display().to_string();
    let tmux = start("022", root.path(), &emulator, &["--log-file", &link_arg, "--demo"]);
    assert_eq!(tmux.wait_exit(), 1, "refused: {}", tmux.stderr());
    let stderr = tmux.stderr();
    assert!(stderr.contains("cannot open the log file") && stderr.contains("symbolic link"), "{stderr}");

    // The default log path, under a state directory that is a link to elsewhere.
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::create_dir(root.path().join("state")).unwrap();
    symlink(&elsewhere, root.path().join("state/dbdeck")).unwrap();
    let tmux = start("022", root.path(), &emulator, &["--demo"]);
    assert_eq!(tmux.wait_exit(), 1, "refused: {}", tmux.stderr());
    assert!(tmux.stderr().contains("symbolic link"), "{}", tmux.stderr());

    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
    assert_eq!(mode(&target), 0o644);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing written through the link");
}
