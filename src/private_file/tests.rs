use std::os::unix::fs::symlink;

use super::*;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_written_file_is_0600_in_new_dirs_0700_and_an_existing_dir_keeps_its_mode() {
    let root = tempfile::tempdir().unwrap();
    let existing = root.path().join("existing");
    std::fs::create_dir(&existing).unwrap();
    std::fs::set_permissions(&existing, Permissions::from_mode(0o755)).unwrap();
    let path = existing.join("a/dbdeck/recent.json");
    write_atomic(&path, b"first\n").unwrap();
    write_atomic(&path, b"second\n").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"second\n");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&existing.join("a")), 0o700);
    assert_eq!(mode(&existing.join("a/dbdeck")), 0o700);
    assert_eq!(mode(&existing), 0o755, "an existing directory is left as it is");
    assert_eq!(names(&existing.join("a/dbdeck")), ["recent.json"], "no temporary file left");
}

#[test]
fn a_symlink_at_the_file_is_refused_and_its_target_untouched() {
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("target");
    std::fs::write(&target, "precious").unwrap();
    std::fs::set_permissions(&target, Permissions::from_mode(0o644)).unwrap();
    let dir = root.path().join("dbdeck");
    std::fs::create_dir(&dir).unwrap();
    let link = dir.join("recent.json");
    symlink(&target, &link).unwrap();

    let err = write_atomic(&link, b"[]\n").unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    let err = open_append(&link).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert_eq!(mode(&target), 0o644);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is left");
    assert_eq!(names(&dir), ["recent.json"], "no temporary file left");
}

#[test]
fn a_symlink_at_the_directory_is_refused_and_nothing_is_written_through_it() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let dir = root.path().join("dbdeck");
    symlink(&elsewhere, &dir).unwrap();
    assert!(
        write_atomic(&dir.join("regions.json"), b"{}").unwrap_err().to_string().contains("symbolic link")
    );
    assert!(open_append(&dir.join("dbdeck.log")).unwrap_err().to_string().contains("symbolic link"));
    // A dangling link where a directory is to be created, one level up.
    symlink(root.path().join("nowhere"), root.path().join("state")).unwrap();
    assert!(write_atomic(&root.path().join("state/dbdeck/recent.json"), b"[]").is_err());
    assert!(!root.path().join("nowhere").exists(), "the dangling link was not followed");
    assert!(names(&elsewhere).is_empty());
}

#[test]
fn a_link_planted_at_the_old_fixed_temporary_name_is_not_written_through() {
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("target");
    std::fs::write(&target, "precious").unwrap();
    let path = root.path().join("recent.json");
    // Where the old code wrote first: `recent.tmp`.
    symlink(&target, path.with_extension("tmp")).unwrap();
    write_atomic(&path, b"[]\n").unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert_eq!(std::fs::read(&path).unwrap(), b"[]\n");
}

#[test]
fn temporary_names_are_unique_under_concurrent_writes() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("regions.json");
    std::thread::scope(|scope| {
        for i in 0..8 {
            let path = &path;
            scope.spawn(move || {
                for _ in 0..20 {
                    write_atomic(path, format!("{i}\n").as_bytes()).unwrap();
                }
            });
        }
    });
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.trim().parse::<u32>().is_ok_and(|i| i < 8), "a whole file: {text:?}");
    assert_eq!(names(root.path()), ["regions.json"]);
}

#[test]
fn an_existing_log_is_narrowed_to_0600_and_appended_to() {
    let root = tempfile::tempdir().unwrap();
    let path = root.path().join("dbdeck.log");
    std::fs::write(&path, "old line\n").unwrap();
    std::fs::set_permissions(&path, Permissions::from_mode(0o644)).unwrap();
    let mut file = open_append(&path).unwrap();
    file.write_all(b"new line\n").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old line\nnew line\n");
}

#[test]
fn a_fifo_or_a_directory_at_the_log_path_is_refused_at_once() {
    let root = tempfile::tempdir().unwrap();
    let fifo = root.path().join("fifo.log");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    assert!(open_append(&fifo).is_err(), "no reader: refused, not waited for");
    assert!(open_append(root.path()).is_err());
}
