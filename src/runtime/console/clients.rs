//! What each console program is given: psql its connection in `PG*` environment variables (the
//! password in PGPASSWORD), mariadb / mysql an option file of mode 0600 in a private directory,
//! removed when the console ends. Never a password on a command line.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::sql::{SqlTarget, TlsMode, Verify};

/// Where a client connects (the tunnel's local end, or the database itself).
pub(super) struct Endpoint {
    pub host: String,
    pub port: u16,
}

/// A program with its arguments and environment, ready to run.
pub(super) struct Launch {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(&'static str, SecretString)>,
    pub env_remove: &'static [&'static str],
    /// A private directory to remove when the console ends (the option file's).
    pub scratch: Option<Scratch>,
}

/// A private directory, removed with what it holds when dropped.
pub(super) struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The first of `names` found on PATH.
pub(super) fn find_program(names: &[&str]) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        names
            .iter()
            .map(|name| dir.join(name))
            .find(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
    })
}

/// psql on `target`'s database at `at`, as the URL's user. Through a tunnel psql connects to
/// the local end (`PGHOSTADDR`) while checking the certificate against the database's own host
/// name (`PGHOST`), so `verify-full` stays `verify-full`.
pub(super) fn psql(program: PathBuf, target: &SqlTarget, at: &Endpoint, tunnelled: bool) -> Launch {
    let config = target.config();
    let sslmode = match (target.tls.mode, target.tls.verify) {
        (TlsMode::Off, _) => "disable",
        (TlsMode::Prefer, _) => "prefer",
        (TlsMode::Require, Verify::Nothing) => "require",
        (TlsMode::Require, Verify::Chain) => "verify-ca",
        (TlsMode::Require, Verify::ChainAndHost) => "verify-full",
    };
    let plain = |text: &str| SecretString::from(text.to_owned());
    let database_host = target.endpoint.host.split(',').next().unwrap_or_default();
    let host = if tunnelled { database_host } else { at.host.as_str() };
    let mut env = vec![
        ("PGHOST", plain(host)),
        ("PGPORT", plain(&at.port.to_string())),
        ("PGDATABASE", plain(&target.endpoint.dbname)),
        ("PGSSLMODE", plain(sslmode)),
        ("PGAPPNAME", plain("dbdeck console")),
    ];
    if let Some(user) = config.get_user() {
        env.push(("PGUSER", plain(user)));
    }
    if let Some(password) = config.get_password() {
        let password = Zeroizing::new(String::from_utf8_lossy(password).into_owned());
        env.push(("PGPASSWORD", SecretString::from(password.as_str())));
    }
    if let crate::sql::target::Roots::File(path) = &target.tls.roots {
        env.push(("PGSSLROOTCERT", plain(&path.display().to_string())));
    }
    if tunnelled {
        env.push(("PGHOSTADDR", plain(&at.host)));
    }
    const REMOVE: &[&str] = &["PGHOSTADDR", "PGSERVICE", "PGSERVICEFILE", "PGSSLROOTCERT", "PGOPTIONS"];
    Launch { program, args: vec![], env, env_remove: REMOVE, scratch: None }
}

/// A MySQL URL from the app's variable (`mysql2://user:password@host:port/db?useSSL=true`).
pub(super) struct MySqlUrl {
    pub host: String,
    pub port: u16,
    user: String,
    password: Zeroizing<String>,
    database: String,
    tls: bool,
}

impl MySqlUrl {
    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn parse(url: &SecretString) -> Result<MySqlUrl, String> {
        let bad = |why: &str| format!("the app's SCALINGO_MYSQL_URL {why}");
        let raw = url.expose_secret().trim();
        let rest = raw.split_once("://").map(|(_, rest)| rest).ok_or_else(|| bad("is not a URL"))?;
        let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, database) = base.split_once('/').unwrap_or((base, ""));
        let (userinfo, hostport) = authority.rsplit_once('@').ok_or_else(|| bad("names no user"))?;
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| bad("has a bad port"))?),
            None => (hostport, 3306),
        };
        let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
        let tls = query.split('&').any(|p| {
            let p = p.to_ascii_lowercase();
            p == "usessl=true"
                || p == "ssl=true"
                || p.starts_with("ssl-mode=req")
                || p.starts_with("sslmode=req")
        });
        if host.is_empty() {
            return Err(bad("names no host"));
        }
        Ok(MySqlUrl {
            host: host.to_owned(),
            port,
            user: decode(user),
            password: Zeroizing::new(decode(password)),
            database: decode(database),
            tls,
        })
    }
}

/// mariadb (or mysql) with `--defaults-extra-file` naming a 0600 option file in a private
/// directory under `tmp`.
pub(super) fn mariadb(program: PathBuf, url: &MySqlUrl, at: &Endpoint, tmp: &Path) -> Result<Launch, String> {
    let dir = tmp.join(format!("dbdeck-console-{}-{}", std::process::id(), random_suffix()));
    let why = |e: std::io::Error| format!("writing the client's option file: {e}");
    crate::private_file::ensure_dir(&dir).map_err(why)?;
    let scratch = Scratch(dir.clone());
    let file = dir.join("client.cnf");
    let mut text = Zeroizing::new(String::from("[client]\n"));
    text.push_str(&format!("host={}\nport={}\n", option(&at.host), at.port));
    text.push_str(&format!("user={}\npassword={}\n", option(&url.user), option(&url.password)));
    if !url.database.is_empty() {
        text.push_str(&format!("database={}\n", option(&url.database)));
    }
    if url.tls {
        text.push_str("ssl\n");
    }
    crate::private_file::write_atomic(&file, text.as_bytes()).map_err(why)?;
    let mut extra = OsString::from("--defaults-extra-file=");
    extra.push(&file);
    Ok(Launch { program, args: vec![extra], env: vec![], env_remove: &["MYSQL_PWD"], scratch: Some(scratch) })
}

/// A value for a MySQL option file: double-quoted, with `\` and `"` escaped.
fn option(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mysql_url_gives_its_parts_decoded() {
        let url =
            SecretString::from("mysql2://shop_7281:p%40ss%22w@h.example.com:30871/shop_7281?useSSL=true");
        let parsed = MySqlUrl::parse(&url).unwrap();
        assert_eq!(
            (parsed.host.as_str(), parsed.port, parsed.user.as_str()),
            ("h.example.com", 30871, "shop_7281")
        );
        assert_eq!(
            (parsed.password.as_str(), parsed.database.as_str(), parsed.tls),
            ("p@ss\"w", "shop_7281", true)
        );
        assert!(MySqlUrl::parse(&SecretString::from("nonsense")).is_err());
    }

    #[test]
    fn the_option_file_is_private_quoted_and_removed_with_the_console() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let url = MySqlUrl::parse(&SecretString::from("mysql://u:a%5Cb%22c@db:3306/d")).unwrap();
        let at = Endpoint { host: "127.0.0.1".into(), port: 4000 };
        let launch = mariadb("mariadb".into(), &url, &at, tmp.path()).unwrap();
        let arg = launch.args[0].to_string_lossy().into_owned();
        assert!(!arg.contains("a\\b"), "no password on the command line");
        let file = PathBuf::from(arg.strip_prefix("--defaults-extra-file=").unwrap());
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("password=\"a\\\\b\\\"c\"") && text.contains("port=4000"), "{text}");
        drop(launch);
        assert!(!file.exists(), "removed when the console ends");
    }

    #[test]
    fn through_the_tunnel_psql_checks_the_database_host_name_at_the_local_end() {
        let url = SecretString::from("postgres://u:p@db.example.com:5432/d?sslmode=verify-full");
        let target = SqlTarget::parse(&url, crate::sql::UrlOrigin::AppVariable).unwrap();
        let at = Endpoint { host: "127.0.0.1".into(), port: 4000 };
        let env = |tunnelled| {
            let launch = psql("psql".into(), &target, &at, tunnelled);
            let value = |name: &str| {
                let found = launch.env.iter().find(|(n, _)| *n == name);
                found.map(|(_, v)| secrecy::ExposeSecret::expose_secret(v).to_owned())
            };
            (value("PGHOST"), value("PGHOSTADDR"), value("PGSSLMODE"), value("PGPORT"))
        };
        let (host, addr, mode, port) = env(true);
        assert_eq!(host.as_deref(), Some("db.example.com"), "the name the certificate is checked against");
        assert_eq!((addr.as_deref(), port.as_deref()), (Some("127.0.0.1"), Some("4000")));
        assert_eq!(mode.as_deref(), Some("verify-full"));
        let (host, addr, mode, _) = env(false);
        assert_eq!((host.as_deref(), addr, mode.as_deref()), (Some("127.0.0.1"), None, Some("verify-full")));
    }
}
