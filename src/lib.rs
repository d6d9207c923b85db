//! dbdeck: a terminal dashboard for Scalingo-hosted PostgreSQL and MySQL databases.
//!
//! `api` speaks Scalingo's HTTPS APIs, `emulator` imitates them for `--demo` and the tests,
//! `app` holds the state and its pure `update`, `ui` draws it, and `runtime` ties them to the
//! terminal, the clock and the network.

pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod credentials;
pub mod emulator;
pub mod journal;
pub mod logging;
pub mod private_file;
pub mod runtime;
pub mod sql;
pub mod store;
pub mod term;
pub mod ui;
