//! Every file dbdeck writes (the log, the recent databases, the regions cache, the emulator's
//! state) goes through here, so one rule holds for all: files are the user's alone (0600),
//! directories dbdeck creates are too (0700; existing ones are left as they are), whatever the
//! umask; a symbolic link at the file, or at the directory meant to hold it, is refused rather
//! than followed; a file replaced is written to a fresh, unique temporary file first, then
//! renamed into place.

use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const FILE_MODE: u32 = 0o600;
const DIR_MODE: u32 = 0o700;

/// Opens `path` to append to it, creating it (and its directory) if needed. An existing file is
/// narrowed to 0600; one owned by another user, or anything but a regular file, is refused.
pub fn open_append(path: &Path) -> io::Result<File> {
    ensure_parent(path)?;
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(FILE_MODE)
        // O_NONBLOCK: a FIFO planted there fails at once instead of waiting for a reader.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| refused_link(e, path))?;
    make_private(&file, path)?;
    Ok(file)
}

/// Replaces `path` with `bytes`: a reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    ensure_parent(path)?;
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(symlink_error(path));
    }
    let (tmp, mut file) = create_temp(path)?;
    let written = file
        .set_permissions(Permissions::from_mode(FILE_MODE))
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        // rename replaces whatever is at `path` (a link planted meanwhile included) and never
        // writes through it.
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Creates `dir` and its missing ancestors 0700. An existing `dir` is kept as it is, unless it
/// is a symbolic link (or not a directory): that is an error.
pub fn ensure_dir(dir: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Err(symlink_error(dir)),
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(io::Error::other(format!("{} is not a directory", dir.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => create_dirs(dir),
        Err(e) => Err(e),
    }
}

fn ensure_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => ensure_dir(dir),
        _ => Ok(()),
    }
}

/// Creates the missing directories down to `dir`, each 0700; existing ancestors (a link the user
/// made to another disk included) are used as they are.
fn create_dirs(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs(parent)?;
    }
    match DirBuilder::new().mode(DIR_MODE).create(dir) {
        // The umask may have taken bits away: set the mode itself.
        Ok(()) => std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE)),
        // Made meanwhile by someone else: a real directory is fine, a link is not.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match std::fs::symlink_metadata(dir) {
            Ok(meta) if meta.is_dir() => Ok(()),
            _ => Err(symlink_error(dir)),
        },
        Err(e) => Err(e),
    }
}

/// A new file next to `path`, under a random name nobody could have prepared, 0600.
fn create_temp(path: &Path) -> io::Result<(PathBuf, File)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    loop {
        let random = getrandom::u64().map_err(|e| io::Error::other(e.to_string()))?;
        let tmp = path.with_file_name(format!(".{name}.{random:016x}.tmp"));
        let opened = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp);
        match opened {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

fn make_private(file: &File, path: &Path) -> io::Result<()> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(format!("{} is not a regular file", path.display())));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    if meta.uid() != unsafe { libc::geteuid() } {
        return Err(io::Error::other(format!("{} belongs to another user", path.display())));
    }
    if meta.mode() & 0o7777 != FILE_MODE {
        file.set_permissions(Permissions::from_mode(FILE_MODE))?;
    }
    Ok(())
}

/// O_NOFOLLOW answers ELOOP for a link: say what it means.
fn refused_link(e: io::Error, path: &Path) -> io::Error {
    if e.raw_os_error() == Some(libc::ELOOP) { symlink_error(path) } else { e }
}

fn symlink_error(path: &Path) -> io::Error {
    io::Error::other(format!("{} is a symbolic link: refused, not followed", path.display()))
}

#[cfg(test)]
mod tests;
