pub mod pg;
pub mod tmux;
