//! `C`: a SQL console on the open database. Prepared in a task (the app's variable, the way in,
//! the client program), then run by the event loop with the screen suspended: keys are no
//! longer read, the terminal is given back as it was, and the program inherits it. When it
//! exits, the screen comes back whole. Through the SSH tunnel, a listener on 127.0.0.1 (a port
//! of the system's choosing, open only while the console runs) carries each connection of the
//! program over its own `ssh -W`.

mod clients;

use std::sync::{Arc, Mutex};

use crossterm::event::EventStream;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::directory::Directory;
use crate::api::{DbTarget, Engine};
use crate::app::Msg;
use crate::app::access::AccessMsg;
use crate::sql::{Route, SqlError, SqlSource, SqlTarget, Tunnel, UrlOrigin};
use crate::term::{self, Tui};
use clients::{Endpoint, Launch, MySqlUrl};

/// The console prepared, waiting for the loop to run it.
pub(super) type Slot = Arc<Mutex<Option<Prepared>>>;

pub(super) struct Prepared {
    launch: Launch,
    /// Said on the terminal before the program starts.
    banner: String,
    forwarder: Option<Forwarder>,
}

/// The tunnel's local end: stops (and its ssh processes end) when dropped.
struct Forwarder {
    task: tokio::task::JoinHandle<()>,
    /// What ssh said when a connection through it failed.
    failures: Arc<Mutex<Vec<String>>>,
    /// Connections not finished yet (their ssh's verdict included).
    active: Arc<watch::Sender<usize>>,
}

impl Forwarder {
    /// What ssh said, once the connections still closing are done (at most 20 s: an unknown
    /// host key is looked up with ssh-keyscan).
    async fn failures(&self) -> Vec<String> {
        let mut active = self.active.subscribe();
        let finished = active.wait_for(|count| *count == 0);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(20), finished).await;
        self.failures.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Finds the program and the way in, and keeps the result in `slot`.
pub(super) async fn prepare(
    directory: &Directory,
    source: &SqlSource,
    target: &DbTarget,
    engine: Engine,
    slot: &Slot,
) -> Result<(), String> {
    let client = directory.client(&target.region).await.map_err(|e| e.to_string())?;
    let (names, package): (&[&str], _) = match engine {
        Engine::PostgreSql => (&["psql"], "postgresql-client"),
        Engine::MySql => (&["mariadb", "mysql"], "mariadb-client"),
    };
    let program = clients::find_program(names)
        .ok_or_else(|| format!("{} is not installed here (apt-get install {package})", names.join(" or ")))?;
    let variable = super::access::variable(engine);
    let url = client
        .app_variable(&target.app, variable)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("the app has no {variable} variable"))?;
    let route = source.route(&client, target, directory.ssh_host(&target.region).as_deref()).await;
    let tmp = std::env::temp_dir();
    let (launch, shown, user, forwarder) = match engine {
        Engine::PostgreSql => {
            let sql = SqlTarget::parse(&url, UrlOrigin::AppVariable).map_err(|e| e.to_string())?;
            let host = sql.endpoint.host.split(',').next().unwrap_or_default().to_owned();
            let (at, forwarder) = way_in(&route, &host, sql.endpoint.port).await?;
            let tunnelled = forwarder.is_some();
            let user = sql.config().get_user().unwrap_or_default().to_owned();
            (clients::psql(program, &sql, &at, tunnelled), sql.endpoint.to_string(), user, forwarder)
        }
        Engine::MySql => {
            let my = MySqlUrl::parse(&url)?;
            let (at, forwarder) = way_in(&route, &my.host, my.port).await?;
            let shown = format!("{}:{}", my.host, my.port);
            let user = my.user().to_owned();
            (clients::mariadb(program, &my, &at, &tmp)?, shown, user, forwarder)
        }
    };
    let via = match &route {
        Route::Tunnel(t) | Route::DirectElseTunnel(t) if forwarder.is_some() => {
            format!(" via SSH tunnel through {}", t.via)
        }
        _ => String::new(),
    };
    let name = launch.program.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let banner = format!("dbdeck: {name} as {user} on {shown}{via}. Quit it to come back to dbdeck.");
    tracing::info!("console prepared: {banner}");
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(Prepared { launch, banner, forwarder });
    Ok(())
}

/// Where the program connects: the database itself, or the tunnel's local end. An
/// Internet-accessible database is tried directly first.
async fn way_in(route: &Route, host: &str, port: u16) -> Result<(Endpoint, Option<Forwarder>), String> {
    let direct = || Endpoint { host: host.to_owned(), port };
    let tunnel = match route {
        Route::Direct => return Ok((direct(), None)),
        Route::DirectElseTunnel(tunnel) => {
            let reach = tokio::net::TcpStream::connect((host, port));
            match tokio::time::timeout(crate::sql::CONNECT_TIMEOUT, reach).await {
                Ok(Ok(_)) => return Ok((direct(), None)),
                _ => tunnel,
            }
        }
        Route::Tunnel(tunnel) => tunnel,
    };
    let listener =
        TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("the tunnel's local end: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?.port();
    let failures = Arc::new(Mutex::new(Vec::new()));
    let active = Arc::new(watch::Sender::new(0));
    let to = (host.to_owned(), port);
    let task = tokio::spawn(forward(listener, tunnel.clone(), to, failures.clone(), active.clone()));
    Ok((Endpoint { host: "127.0.0.1".into(), port: local }, Some(Forwarder { task, failures, active })))
}

/// Each connection to `listener` over its own ssh, until aborted (which ends them all).
async fn forward(
    listener: TcpListener,
    tunnel: Tunnel,
    (host, port): (String, u16),
    failures: Arc<Mutex<Vec<String>>>,
    active: Arc<watch::Sender<usize>>,
) {
    let mut connections = JoinSet::new();
    while let Ok((mut socket, _)) = listener.accept().await {
        let (tunnel, host, failures) = (tunnel.clone(), host.clone(), failures.clone());
        active.send_modify(|count| *count += 1);
        let done = Done(active.clone());
        connections.spawn(async move {
            let _done = done;
            let failed = match tunnel.open(&host, port) {
                Ok(mut opened) => {
                    let _ = tokio::io::copy_bidirectional(&mut socket, &mut opened.io).await;
                    drop(socket);
                    match opened.child.failure(&tunnel, SqlError::Other(String::new())).await {
                        SqlError::Other(_) => return,
                        e => e,
                    }
                }
                Err(e) => e,
            };
            failures.lock().unwrap_or_else(|e| e.into_inner()).push(failed.to_string());
        });
    }
}

/// Counts a connection as finished when dropped (returned or aborted).
struct Done(Arc<watch::Sender<usize>>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.send_modify(|count| *count -= 1);
    }
}

/// Runs the prepared console with the screen suspended, then brings the screen back. `events`
/// is dropped first (its reader stops), so that no key is read while the program has the
/// terminal, and made again after.
pub(super) async fn run(slot: &Slot, terminal: &mut Tui, events: &mut Option<EventStream>) -> Msg {
    let Some(prepared) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return Msg::Access(AccessMsg::ConsoleEnded(Err("nothing to run".into())));
    };
    // Dropping the stream wakes its reader thread, which ends and releases crossterm's reader.
    *events = None;
    let _ = terminal.show_cursor();
    term::restore();
    let Prepared { launch, banner, forwarder } = prepared;
    println!("{banner}");
    let Launch { program, args, env, env_remove, scratch } = launch;
    let mut command = tokio::process::Command::new(&program);
    command.args(args);
    for name in env_remove {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, secrecy::ExposeSecret::expose_secret(&value));
    }
    let status = match command.status().await {
        Ok(status) => Ok(status),
        Err(e) => Err(format!("cannot start {}: {e}", program.display())),
    };
    let failures = match &forwarder {
        Some(forwarder) => forwarder.failures().await,
        None => vec![],
    };
    drop((forwarder, scratch));
    let name = program.file_name().unwrap_or_default().to_string_lossy().into_owned();
    // A failed client's last words (and ssh's) stay readable until the operator is done.
    if !status.as_ref().is_ok_and(|s| s.success()) {
        for failure in &failures {
            println!("dbdeck: {failure}");
        }
        println!("dbdeck: {name} did not end well. Press Enter to come back to dbdeck.");
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await;
    }
    match term::enter() {
        Ok(tui) => *terminal = tui,
        Err(e) => tracing::error!("the screen could not come back after the console: {e}"),
    }
    *events = Some(EventStream::new());
    let result = status.map(|status| match status.code() {
        Some(0) => format!("{name} ended"),
        Some(code) => format!("{name} ended with status {code}"),
        None => format!("{name} ended ({status})"),
    });
    let result = match (result, failures.last()) {
        (Ok(text), Some(ssh)) => Err(format!("{text}; {ssh}")),
        (result, _) => result,
    };
    Msg::Access(AccessMsg::ConsoleEnded(result))
}
