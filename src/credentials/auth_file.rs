//! Reads the CLI's login file as a secret file deserves: a regular file only (a FIFO or a
//! device named by `AUTH_FILE` must neither hang start-up nor be read without end), at most
//! [`MAX_AUTH_FILE`] bytes into a buffer zeroed on drop, and a word to the operator when other
//! users can read it, as ssh does for a private key.

use std::fs::{Metadata, OpenOptions};
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use zeroize::Zeroizing;

/// Largest login file read. The CLI writes a few hundred bytes per auth host it is logged in
/// to; a file near a mebibyte is not one it wrote.
pub(crate) const MAX_AUTH_FILE: u64 = 1024 * 1024;

pub(crate) struct AuthFileText {
    pub bytes: Zeroizing<Vec<u8>>,
    /// What to tell the operator about the file's mode, if anything.
    pub warning: Option<String>,
}

/// The file's contents; `Ok(None)` when there is no such file.
pub(crate) fn read(path: &Path) -> Result<Option<AuthFileText>, String> {
    let shown = path.display();
    // O_NONBLOCK: opening a FIFO without a writer (or some devices) returns at once instead of
    // waiting; the type is then checked on what was opened, not on the name, so nothing can be
    // swapped in between.
    let opened = OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
    };
    let metadata = file.metadata().map_err(|e| format!("cannot read {shown}: {e}"))?;
    if !metadata.is_file() {
        return Err(format!("{shown} is {}, not a regular file: not read", kind(&metadata)));
    }
    let too_large = || format!("{shown} is larger than {} KiB: not read", MAX_AUTH_FILE / 1024);
    if metadata.len() > MAX_AUTH_FILE {
        return Err(too_large());
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(metadata.len() as usize));
    // One byte past the cap tells a file that grew since fstat from one that fits.
    file.take(MAX_AUTH_FILE + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > MAX_AUTH_FILE {
        return Err(too_large());
    }
    let mode = metadata.permissions().mode() & 0o7777;
    let warning = (mode & 0o044 != 0).then(|| {
        format!("{shown} is readable by other users (mode {mode:04o}): chmod 600 {}", shell_word(path))
    });
    Ok(Some(AuthFileText { bytes, warning }))
}

fn kind(metadata: &Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "a device"
    } else {
        "something else"
    }
}

/// The path as one shell word, so the suggested command can be pasted as it is.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::path::PathBuf;
    use std::sync::mpsc;
    use std::time::Duration;

    use secrecy::ExposeSecret;

    use super::super::{Credential, find};
    use super::*;

    const HOST: &str = "auth.scalingo.com";

    fn login(token: &str) -> String {
        format!(
            r#"{{"auth_data_version": "2.1", "auth_config_data": {{"{HOST}": {{"tokens": {{"token": "{token}"}},
                "user": {{"id": "us-1", "username": "ops"}}}}}}}}"#
        )
    }

    /// [`find`] with `AUTH_FILE` set to `path`, on a thread: a read that blocks fails the test
    /// after a while instead of hanging it.
    fn find_in(path: &Path) -> Result<Option<Credential>, String> {
        let path = path.to_string_lossy().into_owned();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let env = |name: &str| (name == "AUTH_FILE").then(|| path.clone());
            let _ = tx.send(find(&env, None, HOST));
        });
        rx.recv_timeout(Duration::from_secs(10)).expect("reading the auth file blocked")
    }

    fn write(dir: &Path, text: &str, mode: u32) -> PathBuf {
        let path = dir.join("auth");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn a_private_file_is_read_without_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), &login("tk-us-private"), 0o600);
        let found = find_in(&path).unwrap().unwrap();
        assert_eq!(found.token.expose_secret(), "tk-us-private");
        assert_eq!(found.warning, None);
        let path = write(dir.path(), &login("tk-us-private"), 0o400);
        assert_eq!(find_in(&path).unwrap().unwrap().warning, None);
    }

    #[test]
    fn a_file_others_can_read_is_used_and_said() {
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o644, 0o640, 0o604] {
            let path = write(dir.path(), &login("tk-us-shared"), mode);
            let found = find_in(&path).unwrap().unwrap();
            assert_eq!(found.token.expose_secret(), "tk-us-shared", "still used");
            let shown = path.display();
            assert_eq!(
                found.warning.as_deref(),
                Some(
                    format!("{shown} is readable by other users (mode {mode:04o}): chmod 600 {shown}")
                        .as_str()
                )
            );
        }
    }

    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auth");
        let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
        let err = find_in(&path).unwrap_err();
        assert_eq!(err, format!("{} is a FIFO, not a regular file: not read", path.display()));
    }

    #[test]
    fn directories_and_devices_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = find_in(dir.path()).unwrap_err();
        assert!(err.ends_with("is a directory, not a regular file: not read"), "{err}");
        for device in ["/dev/zero", "/dev/null"] {
            if Path::new(device).exists() {
                let err = find_in(Path::new(device)).unwrap_err();
                assert_eq!(err, format!("{device} is a device, not a regular file: not read"));
            }
        }
    }

    #[test]
    fn a_file_over_the_cap_is_refused_and_one_at_the_cap_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = login("tk-us-big");
        text.push_str(&" ".repeat(MAX_AUTH_FILE as usize - text.len()));
        let path = write(dir.path(), &text, 0o600);
        assert_eq!(find_in(&path).unwrap().unwrap().token.expose_secret(), "tk-us-big");
        text.push(' ');
        let path = write(dir.path(), &text, 0o600);
        let err = find_in(&path).unwrap_err();
        assert_eq!(err, format!("{} is larger than 1024 KiB: not read", path.display()));
    }

    #[test]
    fn a_missing_file_is_no_login() {
        let dir = tempfile::tempdir().unwrap();
        assert!(find_in(&dir.path().join("absent")).unwrap().is_none());
    }

    #[test]
    fn quotes_paths_for_the_shell() {
        assert_eq!(
            shell_word(Path::new("/home/ops/.config/scalingo/auth")),
            "/home/ops/.config/scalingo/auth"
        );
        assert_eq!(shell_word(Path::new("/home/o p/it's")), r"'/home/o p/it'\''s'");
        assert_eq!(shell_word(Path::new("/tmp/$(x)")), "'/tmp/$(x)'");
        assert_eq!(shell_word(Path::new("~ops/auth")), "'~ops/auth'");
    }
}
