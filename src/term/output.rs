//! Where the frames and the last sequences go: straight to file descriptor 1, one write at a
//! time under one lock. Once the terminal is restored (a quit, a signal, a panic in any thread),
//! every later frame is dropped, so nothing is drawn on the shell's screen after the blanking,
//! and no bytes wait in a buffer for the exit to flush them there.

use std::io::{self, Write};
use std::os::fd::RawFd;
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::{Duration, Instant};

use super::ENTERED;

const STDOUT: RawFd = 1;

/// Held for each write to the terminal, and by `restore` for the last one.
static WRITE: Mutex<()> = Mutex::new(());

/// The writer ratatui draws through: buffers a frame, writes it on `flush` while the terminal is
/// ours, drops it otherwise.
#[derive(Default)]
pub struct Output {
    frame: Vec<u8>,
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let frame = std::mem::take(&mut self.frame);
        let _held = WRITE.lock().unwrap_or_else(|e| e.into_inner());
        if !ENTERED.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(());
        }
        // A frame may wait for a slow terminal, as any program's output does.
        write_fd(&frame, None)
    }
}

/// Takes the write lock, waiting at most until `deadline`: a frame stuck on a terminal that
/// reads nothing must not hold the exit (the bytes then go without the lock).
pub(super) fn lock_until(deadline: Instant) -> Option<MutexGuard<'static, ()>> {
    loop {
        match WRITE.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(e)) => return Some(e.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() >= deadline => return None,
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(1)),
        }
    }
}

/// Writes `bytes` to the terminal. With a deadline, never blocks past it: the descriptor is
/// made non-blocking for the time of the write (and put back), and a full or gone terminal is
/// an error rather than a wait.
pub(super) fn write_fd(mut bytes: &[u8], deadline: Option<Instant>) -> io::Result<()> {
    let restore_flags = match deadline {
        Some(_) => Some(set_nonblocking()?),
        None => None,
    };
    let result = (|| {
        while !bytes.is_empty() {
            // SAFETY: a plain write of a valid buffer to a descriptor we do not own or close.
            let n = unsafe { libc::write(STDOUT, bytes.as_ptr().cast(), bytes.len()) };
            if n >= 0 {
                bytes = &bytes[n as usize..];
                continue;
            }
            let err = io::Error::last_os_error();
            match (err.kind(), deadline) {
                (io::ErrorKind::Interrupted, _) => {}
                (io::ErrorKind::WouldBlock, Some(deadline)) => wait_writable(deadline)?,
                _ => return Err(err),
            }
        }
        Ok(())
    })();
    if let Some(flags) = restore_flags {
        // SAFETY: puts back the flags read from the same descriptor.
        unsafe { libc::fcntl(STDOUT, libc::F_SETFL, flags) };
    }
    result
}

/// Returns the flags to put back.
fn set_nonblocking() -> io::Result<libc::c_int> {
    // SAFETY: fcntl on a descriptor number; errors are returned, not undefined.
    let flags = unsafe { libc::fcntl(STDOUT, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(STDOUT, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(flags)
}

fn wait_writable(deadline: Instant) -> io::Result<()> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(io::ErrorKind::TimedOut.into());
    }
    let mut pollfd = libc::pollfd { fd: STDOUT, events: libc::POLLOUT, revents: 0 };
    let millis = left.as_millis().clamp(1, 1000) as libc::c_int;
    // SAFETY: one valid pollfd.
    if unsafe { libc::poll(&mut pollfd, 1, millis) } < 0 {
        let err = io::Error::last_os_error();
        // A signal woke us: the caller tries again, the deadline still bounds it.
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    Ok(())
}
