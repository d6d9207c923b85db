//! The channel a copy takes, chosen from the mode and the environment (see the module docs of
//! [`crate::clipboard`]).

use std::ffi::OsString;

use super::Wrap;

/// `--clipboard auto|osc52|native|off`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ClipboardMode {
    /// OSC 52 over SSH or without a display, the native clipboard on a local desktop.
    #[default]
    Auto,
    /// Always OSC 52 (the terminal's clipboard).
    Osc52,
    /// Always the native clipboard (arboard); no fallback.
    Native,
    /// Never copy.
    Off,
}

/// The environment facts the choice depends on, captured once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClipboardEnv {
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    pub ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set.
    pub display: bool,
    /// `TMUX` is set.
    pub tmux: bool,
    /// `STY` is set (GNU screen).
    pub screen: bool,
}

impl ClipboardEnv {
    /// Reads the process environment. A variable set to the empty string counts as unset.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// Same as [`from_env`](Self::from_env) with any lookup (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Self {
        let set = |name: &str| lookup(name).is_some_and(|value| !value.is_empty());
        Self {
            ssh: set("SSH_CONNECTION") || set("SSH_TTY"),
            display: set("DISPLAY") || set("WAYLAND_DISPLAY"),
            tmux: set("TMUX"),
            screen: set("STY"),
        }
    }

    /// The OSC 52 wrap for the multiplexer we run in. If both `TMUX` and `STY` are set, tmux
    /// wins (its variable is the one a tmux pane sets; `STY` may be inherited from outside).
    pub fn wrap(&self) -> Wrap {
        if self.tmux {
            Wrap::Tmux
        } else if self.screen {
            Wrap::Screen
        } else {
            Wrap::None
        }
    }
}

/// Where a copy goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// OSC 52 bytes for the terminal.
    Osc52(Wrap),
    /// The native clipboard, then OSC 52 with this wrap if it fails (`None`: no fallback).
    Native { fallback: Option<Wrap> },
    /// No copy.
    Off,
}

/// Chooses the channel from the mode and the environment, without trying anything.
pub fn channel(mode: ClipboardMode, env: ClipboardEnv) -> Channel {
    match mode {
        ClipboardMode::Off => Channel::Off,
        ClipboardMode::Osc52 => Channel::Osc52(env.wrap()),
        ClipboardMode::Native => Channel::Native { fallback: None },
        ClipboardMode::Auto if env.ssh || !env.display => Channel::Osc52(env.wrap()),
        ClipboardMode::Auto => Channel::Native { fallback: Some(env.wrap()) },
    }
}
