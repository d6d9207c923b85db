//! Where the bytes go: straight to the database's host, or through the SSH tunnel, or straight
//! first and through the tunnel when the host cannot be reached. TLS and authentication are the
//! same either way; only the stream under them differs.

use tokio_postgres::Client;
use tokio_postgres::tls::MakeTlsConnect;

use super::tunnel::{Tunnel, TunnelIo};
use super::{SqlError, SqlTarget, error, tls};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Route {
    #[default]
    Direct,
    Tunnel(Tunnel),
    /// Straight, and through the tunnel if the database cannot be reached.
    DirectElseTunnel(Tunnel),
}

/// A client (its connection running in its own task, with the tunnel's ssh if any), and the SSH
/// host it went through.
pub(crate) async fn connect(target: &SqlTarget) -> Result<(Client, Option<String>), SqlError> {
    let (client, via) = match &target.route {
        Route::Direct => (super::connect_direct(target).await?, None),
        Route::Tunnel(tunnel) => (tunnelled(target, tunnel).await?, Some(tunnel.via.to_string())),
        Route::DirectElseTunnel(tunnel) => match super::connect_direct(target).await {
            Err(e) if e.unreachable() => {
                tracing::info!("direct connection failed ({e}): trying the SSH tunnel");
                (tunnelled(target, tunnel).await?, Some(tunnel.via.to_string()))
            }
            other => (other?, None),
        },
    };
    client
        .batch_execute("SET statement_timeout = '30s'; SET lock_timeout = '10s'")
        .await
        .map_err(|e| SqlError::query(&e))?;
    Ok((client, via))
}

/// The PostgreSQL protocol over ssh's stdio, TLS checked against the database's own host name.
async fn tunnelled(target: &SqlTarget, tunnel: &Tunnel) -> Result<Client, SqlError> {
    let endpoint = target.endpoint.to_string();
    let host = target.endpoint.host.split(',').next().unwrap_or_default().to_owned();
    let opened = tunnel.open(&host, target.endpoint.port)?;
    let mut make = tls::connector(&target.tls)?;
    let tls = MakeTlsConnect::<TunnelIo>::make_tls_connect(&mut make, &host)
        .map_err(|e| SqlError::Tls { endpoint: endpoint.clone(), detail: e.to_string() })?;
    let child = opened.child;
    let connecting = target.config().connect_raw(opened.io, tls);
    let failed = match tokio::time::timeout(target.connect_timeout, connecting).await {
        Ok(Ok((client, connection))) => {
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!("SQL connection (tunnel) ended: {}", error::chain(&e));
                }
                // Ends ssh with the connection.
                drop(child);
            });
            return Ok(client);
        }
        Ok(Err(e)) => SqlError::connecting(&endpoint, &e),
        Err(_) => SqlError::Unreachable {
            endpoint,
            detail: format!("no answer through the SSH tunnel within {} s", target.connect_timeout.as_secs()),
        },
    };
    // The server's own refusal (a wrong password) needs no word from ssh.
    if matches!(failed, SqlError::Postgres(_)) {
        return Err(failed);
    }
    Err(child.failure(tunnel, failed).await)
}
