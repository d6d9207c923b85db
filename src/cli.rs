//! Command-line flags. No secret is ever a flag: the API token comes from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::clipboard::ClipboardMode;

#[derive(Debug, Parser)]
#[command(
    name = "dbdeck",
    version,
    about = "A terminal dashboard for Scalingo PostgreSQL and MySQL databases",
    after_help = "With no --app or --database, dbdeck opens on a list of every database you can reach. The API token comes from \
                  SCALINGO_API_TOKEN, else the Scalingo CLI's login (`scalingo login`), else dbdeck asks for one; never a flag. A database URL \
                  with a password comes from DATABASE_URL. The base URLs follow the official CLI: SCALINGO_AUTH_URL, SCALINGO_API_URL, \
                  SCALINGO_DB_URL, each on its own (the last two for a pinned region). Requests to the main API are paced to stay inside \
                  Scalingo's 60 a minute: DBDECK_RATE_LIMIT=REQUESTS/SECONDS changes it (default 55/60, or off).\n\
                  Over SSH, copying uses OSC 52; inside tmux run `tmux set -g set-clipboard on`."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The app holding the database (name or id); alone, opens its PostgreSQL (else MySQL)
    /// database, or the list filtered to it when it has none.
    #[arg(long, short = 'a', env = "SCALINGO_APP")]
    pub app: Option<String>,

    /// The database addon: an id (ad-...) or a type (postgresql, mysql, psql, pgsql, postgres).
    #[arg(long, env = "SCALINGO_ADDON")]
    pub addon: Option<String>,

    /// A dedicated database, by name (an app holding exactly one addon, as the CLI's --database).
    #[arg(long, env = "SCALINGO_DATABASE")]
    pub database: Option<String>,

    /// Use only this region (default: every region the account can use).
    #[arg(long, env = "SCALINGO_REGION")]
    pub region: Option<String>,

    /// Run against a built-in emulator of Scalingo's APIs, with demo data: no account needed.
    #[arg(long)]
    pub demo: bool,

    /// Turn off every action that changes the database.
    #[arg(long)]
    pub read_only: bool,

    /// How to copy a password: auto picks OSC 52 over SSH or without a display, else the
    /// desktop clipboard.
    #[arg(long, value_enum, default_value_t = ClipboardMode::Auto, env = "DBDECK_CLIPBOARD")]
    pub clipboard: ClipboardMode,

    /// Seconds after which a copied password is cleared from the clipboard.
    #[arg(
        long,
        default_value_t = crate::clipboard::DEFAULT_CLEAR_AFTER.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub clipboard_clear: u64,

    /// Log level for the log file (error, warn, info, debug, trace); secrets are never logged.
    #[arg(long, env = "DBDECK_LOG", default_value = "warn")]
    pub log_level: String,

    /// Where the log goes (default: $XDG_STATE_HOME/dbdeck/dbdeck.log).
    #[arg(long, env = "DBDECK_LOG_FILE")]
    pub log_file: Option<PathBuf>,

    /// PostgreSQL URL for the Extensions tab, WITHOUT a password (flags are visible in `ps`):
    /// put a URL with a password in DATABASE_URL, or the password in PGPASSWORD. Default: the
    /// app's SCALINGO_POSTGRESQL_URL variable.
    #[arg(long, value_name = "postgres://USER@HOST:PORT/DB")]
    pub database_url: Option<String>,

    /// The SSH key for the tunnel to the database (default: the agent's keys and ssh's usual
    /// ones, as `ssh` picks them).
    #[arg(long, value_name = "FILE")]
    pub ssh_identity: Option<PathBuf>,

    /// Never reach the database through the SSH tunnel (`ssh git@<region's SSH host>`, or
    /// SCALINGO_SSH_HOST): only directly.
    #[arg(long)]
    pub no_tunnel: bool,

    /// The journal of changes (default: DBDECK_JOURNAL, else
    /// $XDG_STATE_HOME/dbdeck/journal.jsonl; --demo: a temporary file, unless given here).
    #[arg(long, global = true, value_name = "PATH")]
    pub journal: Option<PathBuf>,

    /// Make changes without recording them in the journal.
    #[arg(long, conflicts_with = "journal")]
    pub no_journal: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the journal of changes as a table, newest last.
    Journal {
        /// Only this app's changes (its name, exactly).
        #[arg(long)]
        app: Option<String>,
        /// Only entries since a date (2026-11-24), a UTC time (2026-11-24T10:00:00Z) or an age
        /// (7d, 12h, 30m).
        #[arg(long)]
        since: Option<String>,
        /// The lines as they are written (JSON Lines).
        #[arg(long)]
        json: bool,
    },
    /// Serve the Scalingo API emulator (auth, main and database APIs on one listener).
    Emulator {
        /// Address to listen on; keep it on loopback.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: SocketAddr,
        /// Load the state from this JSON file if it exists, and save every change back to it.
        #[arg(long)]
        state: Option<PathBuf>,
        /// Seed file (default: the built-in demo data).
        #[arg(long)]
        seed: Option<PathBuf>,
        /// Lifetime of the tokens it mints, in seconds.
        #[arg(long, default_value_t = 3600)]
        token_lifetime: u64,
        /// Latency added to every request, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// How long a feature change (TLS enforcement, Internet accessibility) stays pending
        /// before it settles, in milliseconds.
        #[arg(long, default_value_t = 5000)]
        feature_settle_ms: u64,
        /// The main API's rate limit in requests a minute, per token, as Scalingo's 60 (0: none).
        #[arg(long, default_value_t = 0)]
        rate_limit: u32,
        /// Add this many generated apps, each with a PostgreSQL database, alternately in
        /// osc-fr1 and osc-secnum-fr1 (a large account for the picker).
        #[arg(long, env = "DBDECK_EMULATOR_EXTRA_APPS", default_value_t = 0)]
        extra_apps: usize,
    },
}
