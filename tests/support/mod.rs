pub mod bastion;
pub mod emulator;
pub mod pg;
pub mod skip;
pub mod ssh;
pub mod tmux;
