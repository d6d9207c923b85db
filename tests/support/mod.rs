pub mod emulator;
pub mod pg;
pub mod tmux;
