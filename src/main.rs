use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use secrecy::SecretString;

use dbdeck::api::{ClientOptions, Endpoints, ScalingoClient};
use dbdeck::app::state::Session;
use dbdeck::cli::{Cli, Command};
use dbdeck::clipboard::{Clipboard, ClipboardEnv};
use dbdeck::emulator::{self, EmulatorConfig, Seed};
use dbdeck::runtime::{self, ClipboardEvents};
use dbdeck::sql::{SqlSource, UrlOrigin};
use dbdeck::ui::Theme;
use dbdeck::{config, credentials, logging, term};

/// What `--demo` opens unless told otherwise: the seeded app's PostgreSQL database.
const DEMO_APP: &str = "shop-prod";

/// In `--demo`, feature changes stay pending this long, so a person sees them settle.
const DEMO_FEATURE_SETTLE: Duration = Duration::from_secs(5);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(e.into()),
    };
    let result = match cli.command {
        Some(Command::Emulator { listen, state, seed, token_lifetime, latency_ms, feature_settle_ms }) => {
            let settle = Duration::from_millis(feature_settle_ms);
            runtime
                .block_on(serve_emulator(listen, state, seed, token_lifetime, latency_ms, settle))
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
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("dbdeck is interactive and needs a terminal (stdin and stdout must be a TTY)");
    }
    let log_file = cli.log_file.clone().unwrap_or_else(config::default_log_file);
    let _log_guard = logging::init(&log_file, &cli.log_level)
        .with_context(|| format!("cannot open the log file {}", log_file.display()))?;

    // The emulator must outlive the UI in demo mode: keep its handle here.
    let (client, session, _emulator) = if cli.demo {
        let config = EmulatorConfig { feature_settle: DEMO_FEATURE_SETTLE, ..EmulatorConfig::demo() };
        let emulator = emulator::start(config, "127.0.0.1:0".parse()?).await?;
        let endpoints = Endpoints::single(emulator.base_url());
        let token = SecretString::from(emulator::DEMO_API_TOKEN);
        let client = ScalingoClient::new(endpoints, token, ClientOptions::default())?;
        let session = Session {
            app: cli.app.clone().unwrap_or_else(|| DEMO_APP.into()),
            addon: cli.addon.clone().unwrap_or_default(),
            region: cli.region.clone(),
            demo: true,
            read_only: cli.read_only,
            token_source: "the demo".into(),
        };
        (client, session, Some(emulator))
    } else {
        let Some(app) = cli.app.clone() else {
            bail!("which app? pass --app NAME (or set SCALINGO_APP); --addon picks its database");
        };
        let endpoints =
            config::endpoints(&cli.region, |name| std::env::var(name).ok()).map_err(anyhow::Error::msg)?;
        let auth_host = endpoints.auth.host_str().unwrap_or_default().to_owned();
        let env = |name: &str| std::env::var(name).ok();
        let credential = credentials::find(&env, dirs::home_dir().as_deref(), &auth_host)
            .map_err(anyhow::Error::msg)?
            .context(
                "no API token: log in with the Scalingo CLI (`scalingo login`), or set SCALINGO_API_TOKEN \
                 (create one in the dashboard under Profile > API tokens); or try `dbdeck --demo`",
            )?;
        tracing::info!(source = %credential.source, "API token found");
        let client = ScalingoClient::new(endpoints, credential.token, ClientOptions::default())?;
        let session = Session {
            app,
            addon: cli.addon.clone().unwrap_or_default(),
            region: cli.region.clone(),
            demo: false,
            read_only: cli.read_only,
            token_source: credential.source.to_string(),
        };
        (client, session, None)
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
    let options = runtime::Options { session, theme, clipboard, sql };
    runtime::run(client, options, ClipboardEvents(clipboard_rx)).await
}

/// The Extensions tab's SQL connection: `--database-url` (no password allowed), else
/// DATABASE_URL, else (at run time) the app's SCALINGO_POSTGRESQL_URL; PGPASSWORD fills in a URL
/// without a password.
fn sql_source(cli: &Cli) -> anyhow::Result<SqlSource> {
    let env_secret =
        |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty()).map(SecretString::from);
    let configured = match &cli.database_url {
        Some(flag) => Some((SecretString::from(flag.as_str()), UrlOrigin::Flag)),
        None => env_secret("DATABASE_URL").map(|url| (url, UrlOrigin::Env)),
    };
    let source = SqlSource { configured, password: env_secret("PGPASSWORD") };
    source.check().map_err(anyhow::Error::msg)?;
    Ok(source)
}

async fn serve_emulator(
    listen: std::net::SocketAddr,
    state: Option<std::path::PathBuf>,
    seed: Option<std::path::PathBuf>,
    token_lifetime: u64,
    latency_ms: u64,
    feature_settle: Duration,
) -> anyhow::Result<()> {
    if !listen.ip().is_loopback() {
        eprintln!("dbdeck emulator: warning: listening on {listen}, which is not a loopback address");
    }
    let seed = match seed {
        Some(path) => Seed::from_json(&std::fs::read_to_string(&path)?).map_err(anyhow::Error::msg)?,
        None => Seed::demo(),
    };
    let config = EmulatorConfig {
        seed,
        token_lifetime: Duration::from_secs(token_lifetime),
        latency: Duration::from_millis(latency_ms),
        state_file: state,
        feature_settle,
    };
    let running = emulator::start(config, listen).await?;
    println!("dbdeck emulator listening on {}", running.base_url());
    println!("  export SCALINGO_AUTH_URL={0} SCALINGO_API_URL={0} SCALINGO_DB_URL={0}", running.base_url());
    println!("  export SCALINGO_API_TOKEN={}", emulator::DEMO_API_TOKEN);
    tokio::signal::ctrl_c().await?;
    running.shutdown().await;
    Ok(())
}
