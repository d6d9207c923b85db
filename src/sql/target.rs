//! The database URL: where to connect, how TLS is negotiated and checked, and what may be shown
//! (host, port and database name; never the user's password).
//!
//! TLS follows libpq's `sslmode`, with one change: the default (no `sslmode`) is `require`, and
//! to a host that is not on loopback `allow`/`prefer` become `require`, so plaintext happens only
//! where the URL says `sslmode=disable` (or `prefer` on this machine).
//! - `require`: encrypted, certificate not checked (libpq's meaning; Scalingo's database
//!   certificates come from Scalingo's own CA). With `sslrootcert`, the chain is checked, as
//!   libpq does.
//! - `verify-ca`: the chain must lead to `sslrootcert` (a PEM file), else to the system roots.
//! - `verify-full`: the same, and the certificate must name the host. `sslrootcert=system`
//!   means the system roots and implies `verify-full`, as in libpq 16.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use secrecy::{ExposeSecret, SecretString};
use tokio_postgres::config::{Config, Host, SslMode};
use zeroize::Zeroizing;

use super::{CONNECT_TIMEOUT, SqlError};

/// Where the URL came from: said in messages, so the operator knows what to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlOrigin {
    Flag,
    Env,
    AppVariable,
}

impl UrlOrigin {
    pub fn label(self) -> &'static str {
        match self {
            UrlOrigin::Flag => "--database-url",
            UrlOrigin::Env => "DATABASE_URL",
            UrlOrigin::AppVariable => super::VARIABLE,
        }
    }
}

/// What may be shown of a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub dbname: String,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.host, self.port, self.dbname)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    Off,
    /// TLS if the server offers it (only ever on loopback).
    Prefer,
    Require,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Encrypted, any certificate (libpq's `require`).
    Nothing,
    Chain,
    ChainAndHost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    System,
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsPolicy {
    pub mode: TlsMode,
    pub verify: Verify,
    pub roots: Roots,
}

/// A parsed database URL, ready to connect. Its `Debug` shows no credentials.
pub struct SqlTarget {
    config: Config,
    pub tls: TlsPolicy,
    pub endpoint: Endpoint,
    pub origin: UrlOrigin,
    pub connect_timeout: Duration,
    /// Direct, or through an SSH tunnel (decided by [`super::SqlSource`]).
    pub route: super::Route,
}

impl fmt::Debug for SqlTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlTarget")
            .field("endpoint", &self.endpoint)
            .field("tls", &self.tls)
            .field("origin", &self.origin)
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

impl SqlTarget {
    /// Parses a `postgres://` or `postgresql://` URL. A URL given as a command-line flag must not
    /// hold a password: flags show in `ps` and in shell history.
    pub fn parse(url: &SecretString, origin: UrlOrigin) -> Result<SqlTarget, SqlError> {
        let bad = |why: String| SqlError::BadUrl(format!("the database URL from {}: {why}", origin.label()));
        let raw = url.expose_secret().trim();
        if !(raw.starts_with("postgres://") || raw.starts_with("postgresql://")) {
            return Err(bad("it must start with postgres:// or postgresql://".into()));
        }
        // sslmode and sslrootcert are ours (tokio-postgres knows only part of sslmode); every
        // other parameter goes to tokio-postgres, which refuses the ones it does not know.
        let (base, query) = raw.split_once('?').unwrap_or((raw, ""));
        let mut kept = Zeroizing::new(base.to_owned());
        let (mut sslmode, mut rootcert) = (None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = || percent_decode_str(value).decode_utf8_lossy().into_owned();
            match key {
                "sslmode" => sslmode = Some(decoded()),
                "sslrootcert" => rootcert = Some(decoded()),
                _ => {
                    let separator = if kept.len() == base.len() { '?' } else { '&' };
                    kept.push(separator);
                    kept.push_str(pair);
                }
            }
        }
        let mut config = Config::from_str(&kept).map_err(|e| bad(super::error::chain(&e)))?;
        if origin == UrlOrigin::Flag && config.get_password().is_some() {
            return Err(SqlError::BadUrl(
                "--database-url must not contain a password: command-line flags are visible to every user \
                 of this machine (ps) and stay in shell history. Put the URL in the DATABASE_URL \
                 environment variable instead (or the password alone in PGPASSWORD)."
                    .into(),
            ));
        }
        if config.get_hosts().is_empty() {
            return Err(bad("it names no host".into()));
        }
        let local = is_local(&config);
        let tls = tls_policy(sslmode.as_deref(), rootcert, local).map_err(bad)?;
        config.ssl_mode(match tls.mode {
            TlsMode::Off => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            TlsMode::Require => SslMode::Require,
        });
        config.connect_timeout(CONNECT_TIMEOUT);
        if config.get_application_name().is_none() {
            config.application_name("dbdeck");
        }
        let endpoint = endpoint(&config);
        let route = super::Route::Direct;
        Ok(SqlTarget { config, tls, endpoint, origin, connect_timeout: CONNECT_TIMEOUT, route })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// Uses `password` when the URL has none (PGPASSWORD, as libpq does).
    pub fn default_password(&mut self, password: &SecretString) {
        if !self.has_password() {
            self.config.password(password.expose_secret().as_bytes());
        }
    }
}

fn tls_policy(sslmode: Option<&str>, rootcert: Option<String>, local: bool) -> Result<TlsPolicy, String> {
    let roots = match rootcert.as_deref() {
        None | Some("system") => Roots::System,
        Some(path) => Roots::File(PathBuf::from(path)),
    };
    let system_roots_named = rootcert.as_deref() == Some("system");
    let (mode, verify) = match sslmode {
        None | Some("require") if rootcert.is_some() => (TlsMode::Require, Verify::Chain),
        None | Some("require") => (TlsMode::Require, Verify::Nothing),
        Some("disable") => (TlsMode::Off, Verify::Nothing),
        Some("allow" | "prefer") if local => (TlsMode::Prefer, Verify::Nothing),
        Some("allow" | "prefer") => (TlsMode::Require, Verify::Nothing),
        Some("verify-ca") => (TlsMode::Require, Verify::Chain),
        Some("verify-full") => (TlsMode::Require, Verify::ChainAndHost),
        Some(other) => {
            return Err(format!(
                "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
            ));
        }
    };
    if system_roots_named && mode != TlsMode::Off {
        return Ok(TlsPolicy { mode: TlsMode::Require, verify: Verify::ChainAndHost, roots });
    }
    Ok(TlsPolicy { mode, verify, roots })
}

/// Whether every host is on this machine: a unix socket, `localhost` or a loopback address.
fn is_local(config: &Config) -> bool {
    let loopback = |host: &str| {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    };
    let hosts_local = config.get_hosts().iter().all(|h| match h {
        Host::Tcp(name) => loopback(name),
        Host::Unix(_) => true,
    });
    // With hostaddr, the addresses are what is connected to.
    let addrs = config.get_hostaddrs();
    if addrs.is_empty() { hosts_local } else { addrs.iter().all(IpAddr::is_loopback) }
}

fn endpoint(config: &Config) -> Endpoint {
    let host = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect::<Vec<_>>()
        .join(",");
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let dbname = config.get_dbname().or(config.get_user()).unwrap_or_default().to_owned();
    Endpoint { host, port, dbname }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str, origin: UrlOrigin) -> Result<SqlTarget, SqlError> {
        SqlTarget::parse(&SecretString::from(url), origin)
    }

    fn policy(url: &str) -> TlsPolicy {
        parse(url, UrlOrigin::Env).unwrap().tls
    }

    #[test]
    fn shows_host_port_and_database_only() {
        let target = parse("postgres://u:s3cret@db.example.com:33517/shop?sslmode=prefer", UrlOrigin::Env);
        let target = target.unwrap();
        assert_eq!(target.endpoint.to_string(), "db.example.com:33517/shop");
        assert!(target.has_password());
        assert!(!format!("{target:?}").contains("s3cret"));
        let default_port = parse("postgresql://u@localhost/x", UrlOrigin::Env).unwrap();
        assert_eq!(default_port.endpoint.to_string(), "localhost:5432/x");
    }

    #[test]
    fn plaintext_only_where_asked_or_on_loopback() {
        let remote = "postgres://u:p@db.example.com:5432/d";
        // No sslmode: TLS is required, wherever the host is.
        assert_eq!(policy(remote).mode, TlsMode::Require);
        assert_eq!(policy("postgres://u@127.0.0.1/d").mode, TlsMode::Require);
        // prefer/allow to a remote host: upgraded to require.
        for mode in ["prefer", "allow"] {
            assert_eq!(policy(&format!("{remote}?sslmode={mode}")).mode, TlsMode::Require);
            for local in ["127.0.0.1", "localhost", "[::1]"] {
                let url = format!("postgres://u@{local}:5432/d?sslmode={mode}");
                assert_eq!(policy(&url).mode, TlsMode::Prefer, "{url}");
            }
        }
        // hostaddr decides where the bytes go.
        let sneaky = "postgres://u@localhost/d?sslmode=prefer&hostaddr=203.0.113.9";
        assert_eq!(policy(sneaky).mode, TlsMode::Require);
        assert_eq!(policy(&format!("{remote}?sslmode=disable")).mode, TlsMode::Off);
    }

    #[test]
    fn verification_follows_libpq() {
        let remote = "postgres://u@db.example.com/d";
        let p = policy(&format!("{remote}?sslmode=require"));
        assert_eq!((p.verify, &p.roots), (Verify::Nothing, &Roots::System));
        let p = policy(&format!("{remote}?sslmode=require&sslrootcert=%2Ftmp%2Fca.pem"));
        assert_eq!((p.verify, &p.roots), (Verify::Chain, &Roots::File("/tmp/ca.pem".into())));
        assert_eq!(policy(&format!("{remote}?sslmode=verify-ca")).verify, Verify::Chain);
        assert_eq!(policy(&format!("{remote}?sslmode=verify-full")).verify, Verify::ChainAndHost);
        let p = policy(&format!("{remote}?sslrootcert=system"));
        assert_eq!((p.mode, p.verify, &p.roots), (TlsMode::Require, Verify::ChainAndHost, &Roots::System));
    }

    #[test]
    fn refuses_bad_urls_without_quoting_them() {
        for url in [
            "mysql://u:s3cret@h/d",
            "postgres://u:s3cret@h/d?sslmode=bogus",
            "postgres://u:s3cret@h/d?nonsense=1",
            "postgres://u:s3cret@h:notaport/d",
        ] {
            let err = parse(url, UrlOrigin::Env).unwrap_err();
            assert!(matches!(err, SqlError::BadUrl(_)), "{url}: {err:?}");
            assert!(!err.to_string().contains("s3cret"), "{err}");
            assert!(err.to_string().contains("DATABASE_URL"), "names where it came from: {err}");
        }
    }

    #[test]
    fn a_flag_must_not_carry_a_password() {
        for url in ["postgres://u:s3cret@h/d", "postgres://u@h/d?password=s3cret"] {
            let err = parse(url, UrlOrigin::Flag).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("DATABASE_URL") && !text.contains("s3cret"), "{text}");
            assert!(parse(url, UrlOrigin::Env).is_ok());
        }
        let mut target = parse("postgres://u@h/d", UrlOrigin::Flag).unwrap();
        assert!(!target.has_password());
        target.default_password(&SecretString::from("from-pgpassword"));
        assert!(target.has_password());
    }
}
