use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};
use clap::Parser;
use secrecy::SecretString;

use dbdeck::api::{ClientOptions, Endpoints, Pace};
use dbdeck::app::state::{Session, Start};
use dbdeck::cli::{Cli, Command};
use dbdeck::clipboard::{Clipboard, ClipboardEnv};
use dbdeck::credentials::Found;
use dbdeck::emulator::{self, EmulatorConfig, Seed};
use dbdeck::journal::{self, Journal, Who};
use dbdeck::runtime::{self, ClipboardEvents, Reach};
use dbdeck::sql::{SqlSource, SshHost, SshSettings, UrlOrigin};
use dbdeck::ui::Theme;
use dbdeck::{config, credentials, logging, store, term};

/// Whose documented URLs stand in when no region is pinned (only the auth URL is used then).
const DEFAULT_REGION: &str = "osc-fr1";

/// In `--demo`, feature changes stay pending this long, so a person sees them settle.
const DEMO_FEATURE_SETTLE: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    let cli = Cli::parse();
    term::harden_process();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(e.into()),
    };
    let result = match cli.command {
        Some(Command::Journal { ref app, ref since, json }) => {
            print_journal(journal_path(cli.journal.clone()), app.clone(), since.as_deref(), json)
        }
        Some(Command::Emulator {
            listen,
            state,
            seed,
            token_lifetime,
            latency_ms,
            feature_settle_ms,
            rate_limit,
            extra_apps,
        }) => {
            let seed = match seed {
                Some(path) => std::fs::read_to_string(&path)
                    .map_err(anyhow::Error::from)
                    .and_then(|text| Seed::from_json(&text).map_err(anyhow::Error::msg)),
                None => Ok(Seed::demo()),
            };
            let rate_limit = (rate_limit > 0)
                .then(|| emulator::RateLimit { requests: rate_limit, per: Duration::from_secs(60) });
            seed.map(|seed| EmulatorConfig {
                seed: seed.with_extra_apps(extra_apps),
                token_lifetime: Duration::from_secs(token_lifetime),
                latency: Duration::from_millis(latency_ms),
                state_file: state,
                feature_settle: Duration::from_millis(feature_settle_ms),
                rate_limit,
            })
            .and_then(|config| runtime.block_on(serve_emulator(listen, config)))
            .map(|()| 0)
        }
        None => runtime.block_on(run_ui(cli)),
    };
    // Tasks still waiting on the network must not hold the exit.
    runtime.shutdown_timeout(Duration::from_millis(100));
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => fail(e),
    }
}

fn fail(e: anyhow::Error) -> ExitCode {
    eprintln!("dbdeck: {e:#}");
    ExitCode::from(1)
}

async fn run_ui(cli: Cli) -> anyhow::Result<i32> {
    // Checked first, so a refused URL (a password in the flag) stops before anything else.
    let sql = sql_source(&cli)?;
    start_request(&cli)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("dbdeck is interactive and needs a terminal (stdin and stdout must be a TTY)");
    }
    let log_file = cli.log_file.clone().unwrap_or_else(config::default_log_file);
    let _log_guard = logging::init(&log_file, &cli.log_level)
        .with_context(|| format!("cannot open the log file {}", log_file.display()))?;

    // The emulator must outlive the UI in demo mode: keep its handle here.
    let mut session = Session {
        start: start_request(&cli)?,
        region: cli.region.clone().filter(|r| !r.trim().is_empty()),
        demo: cli.demo,
        read_only: cli.read_only,
        ..Session::default()
    };
    let client_options = ClientOptions { pace: pace_from_env()?, ..ClientOptions::default() };
    // The journal names it when the CLI's login says whose token it is.
    let mut scalingo_account = None;
    let (reach, token, recents_file, databases_file, _emulator) = if cli.demo {
        let config = EmulatorConfig { feature_settle: DEMO_FEATURE_SETTLE, ..EmulatorConfig::demo() };
        let emulator = emulator::start(config, "127.0.0.1:0".parse()?).await?;
        // The demo's regions are the emulator's (`/v1/regions`); nothing is kept between runs.
        let reach = Reach {
            endpoints: Endpoints::single(emulator.base_url()),
            pin: session.region.clone(),
            pinned_urls: false,
            regions_cache: None,
            options: client_options.clone(),
        };
        session.token_source = "the demo".into();
        (reach, Some(SecretString::from(emulator::DEMO_API_TOKEN)), None, None, Some(emulator))
    } else {
        let env = |name: &str| std::env::var(name).ok();
        session.region = config::pinned_region(session.region.take(), DEFAULT_REGION, env);
        let pin = session.region.clone();
        let endpoints =
            config::endpoints(pin.as_deref().unwrap_or(DEFAULT_REGION), env).map_err(anyhow::Error::msg)?;
        let auth_host = endpoints.auth.host_str().unwrap_or_default().to_owned();
        let token = match credentials::token_or_ask(&env, dirs::home_dir().as_deref(), &auth_host) {
            Found::Token(credential) => {
                tracing::info!(source = %credential.source, "API token found");
                if let Some(warning) = &credential.warning {
                    tracing::warn!("{warning}");
                }
                session.token_source = credential.source.to_string();
                session.token_warning = credential.warning;
                scalingo_account = credential.account;
                Some(credential.token)
            }
            Found::Ask { problem } => {
                session.ask_token = Some(problem);
                None
            }
        };
        let reach = Reach {
            pinned_urls: pin.is_some(),
            pin,
            endpoints,
            regions_cache: store::regions_cache_file(),
            options: client_options,
        };
        (reach, token, store::recents_file(), store::databases_cache_file(), None)
    };
    let recents = recents_file.as_deref().map(store::read_recents).unwrap_or_default();
    let auth_url = reach.endpoints.auth.to_string();
    let databases =
        databases_file.as_deref().map(|path| store::read_databases(path, &auth_url)).unwrap_or_default();
    let who = Who { scalingo_account, ..Who::from_env() };
    // The demo's journal is removed with its guard, at the end of this function.
    let (journal, _demo_journal) = match (cli.no_journal, cli.demo, cli.journal.clone()) {
        (true, _, _) => (Journal::off(), None),
        // Not DBDECK_JOURNAL: a bastion's shared journal is no place for demo changes.
        (false, true, None) => {
            let (path, guard) = journal::demo_journal().context("creating the demo's temporary journal")?;
            (Journal::at(path, who), Some(guard))
        }
        (false, _, flag) => {
            let path =
                journal_path(flag).context("no home directory for the journal: give --journal PATH")?;
            (Journal::at(path, who), None)
        }
    };

    let (clipboard_tx, clipboard_rx) = tokio::sync::mpsc::unbounded_channel();
    let clipboard = Clipboard::new(
        cli.clipboard,
        ClipboardEnv::from_env(),
        Duration::from_secs(cli.clipboard_clear),
        clipboard_tx,
    );
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::new(no_color, term::utf8_locale());
    term::install_panic_hook();
    let options = runtime::Options {
        session,
        theme,
        clipboard,
        sql,
        reach,
        token,
        recents,
        recents_file,
        databases,
        databases_file,
        journal,
    };
    runtime::run(options, ClipboardEvents(clipboard_rx)).await
}

/// `DBDECK_RATE_LIMIT` (`REQUESTS/SECONDS` or `off`), else Scalingo's limit with a margin.
fn pace_from_env() -> anyhow::Result<Option<Pace>> {
    match std::env::var("DBDECK_RATE_LIMIT") {
        Ok(text) if !text.trim().is_empty() => {
            Pace::parse(&text).map_err(|e| anyhow::anyhow!("DBDECK_RATE_LIMIT: {e}"))
        }
        _ => Ok(Some(Pace::DEFAULT)),
    }
}

/// `--journal`, else `DBDECK_JOURNAL`, else the default under the XDG state dir.
fn journal_path(flag: Option<PathBuf>) -> Option<PathBuf> {
    let env = std::env::var_os("DBDECK_JOURNAL").filter(|v| !v.is_empty()).map(PathBuf::from);
    flag.or(env).or_else(journal::default_path)
}

/// `dbdeck journal`: the entries kept by the filters, as a table or as the lines written.
fn print_journal(
    path: Option<PathBuf>,
    app: Option<String>,
    since: Option<&str>,
    json: bool,
) -> anyhow::Result<i32> {
    let path = path.context("no home directory: give --journal PATH")?;
    let since = since
        .map(|s| journal::time::parse_since(s, SystemTime::now()))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let read =
        journal::read_entries(&path).with_context(|| format!("reading the journal {}", path.display()))?;
    let filter = journal::Filter { app, since };
    let kept: Vec<_> = read.entries.iter().filter(|(entry, _)| filter.keeps(entry)).collect();
    let text = if json {
        journal::render_json(kept.iter().map(|(_, line)| line.as_str()))
    } else {
        journal::render_table(kept.iter().map(|(entry, _)| entry))
    };
    // A closed pipe (`| head`) is not an error.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    if read.skipped > 0 {
        eprintln!(
            "dbdeck journal: {} line(s) of {} could not be read and are left out",
            read.skipped,
            path.display()
        );
    }
    if kept.is_empty() && !json {
        let which = if read.entries.is_empty() { "" } else { " matches" };
        eprintln!("dbdeck journal: no entry in {}{which}", path.display());
    }
    Ok(0)
}

/// What to open first: `--database` (a dedicated database), `--app` (and `--addon`), or the
/// picker. Contradictions stop dbdeck before the screen opens.
fn start_request(cli: &Cli) -> anyhow::Result<Start> {
    let given = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    match (given(&cli.database), given(&cli.app), given(&cli.addon)) {
        (Some(_), Some(_), _) => {
            bail!("--app (SCALINGO_APP) and --database (SCALINGO_DATABASE) cannot be used together")
        }
        (Some(_), None, Some(_)) => bail!(
            "--addon (SCALINGO_ADDON) picks among an app's addons; a dedicated database (--database) has one"
        ),
        (Some(name), None, None) => Ok(Start::Database(name)),
        (None, Some(app), addon) => Ok(Start::App { app, addon: addon.unwrap_or_default() }),
        (None, None, Some(_)) => bail!("--addon (SCALINGO_ADDON) needs --app: which app's addon?"),
        (None, None, None) => Ok(Start::Picker),
    }
}

/// The Extensions tab's SQL connection: `--database-url` (no password allowed), else
/// DATABASE_URL, else (at run time) the app's SCALINGO_POSTGRESQL_URL; PGPASSWORD fills in a URL
/// without a password. The SSH tunnel's settings go with it.
fn sql_source(cli: &Cli) -> anyhow::Result<SqlSource> {
    let env_secret =
        |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty()).map(SecretString::from);
    let configured = match &cli.database_url {
        Some(flag) => Some((SecretString::from(flag.as_str()), UrlOrigin::Flag)),
        None => env_secret("DATABASE_URL").map(|url| (url, UrlOrigin::Env)),
    };
    let host = std::env::var("SCALINGO_SSH_HOST").ok().filter(|v| !v.trim().is_empty());
    let ssh = SshSettings {
        enabled: !cli.no_tunnel,
        host: host.map(|h| SshHost::parse(&h)).transpose().map_err(anyhow::Error::msg)?,
        identity: cli.ssh_identity.clone(),
        demo: cli.demo,
    };
    let source = SqlSource { configured, password: env_secret("PGPASSWORD"), ssh };
    source.check().map_err(anyhow::Error::msg)?;
    Ok(source)
}

async fn serve_emulator(listen: std::net::SocketAddr, config: EmulatorConfig) -> anyhow::Result<()> {
    if !listen.ip().is_loopback() {
        eprintln!("dbdeck emulator: warning: listening on {listen}, which is not a loopback address");
    }
    let running = emulator::start(config, listen).await?;
    println!("dbdeck emulator listening on {}", running.base_url());
    println!("  export SCALINGO_AUTH_URL={0} SCALINGO_API_URL={0} SCALINGO_DB_URL={0}", running.base_url());
    println!("  export SCALINGO_API_TOKEN={}", emulator::DEMO_API_TOKEN);
    tokio::signal::ctrl_c().await?;
    running.shutdown().await;
    Ok(())
}
