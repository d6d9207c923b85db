//! The process hardening dbdeck applies at start: no core file, and not dumpable (so no ptrace
//! or /proc/PID/mem from another process of the same user). Its own test binary, because it
//! changes the process it runs in.

#[test]
fn no_core_dumps_and_no_peer_debugger() {
    dbdeck::term::harden_process();
    let mut core = libc::rlimit { rlim_cur: 1, rlim_max: 1 };
    // SAFETY: plain system calls with valid pointers.
    let (got, dumpable) =
        unsafe { (libc::getrlimit(libc::RLIMIT_CORE, &mut core), libc::prctl(libc::PR_GET_DUMPABLE)) };
    assert_eq!(got, 0);
    assert_eq!((core.rlim_cur, core.rlim_max), (0, 0), "core files are off");
    assert_eq!(dumpable, 0, "the process is not dumpable");
}
