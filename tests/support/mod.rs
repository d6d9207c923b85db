pub mod emulator;
pub mod pg;
pub mod skip;
pub mod tmux;
