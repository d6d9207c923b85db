//! The throwaway PostgreSQL cluster that `scripts/test` starts (TLS on, an extension allow-list,
//! a non-superuser owning its database), as the tests see it through `DBDECK_TEST_PG_*`.
//! Without it the SQL tests skip (`support::skip`), except under CI where they fail.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use secrecy::SecretString;

pub struct Pg {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub socket_dir: PathBuf,
    pub ca: PathBuf,
    pub bin: PathBuf,
    pub log: PathBuf,
}

/// The cluster, or `None` (with a notice) when the tests run outside `scripts/test`.
pub fn pg() -> Option<Pg> {
    let var = |name: &str| std::env::var(format!("DBDECK_TEST_PG_{name}")).ok();
    let Some(port) = var("PORT") else {
        super::skip::skip("no PostgreSQL test cluster (run the tests with scripts/test)");
        return None;
    };
    Some(Pg {
        host: var("HOST").unwrap_or_else(|| "127.0.0.1".into()),
        port: port.parse().expect("DBDECK_TEST_PG_PORT is a port"),
        user: var("USER").expect("DBDECK_TEST_PG_USER"),
        password: var("PASSWORD").expect("DBDECK_TEST_PG_PASSWORD"),
        socket_dir: var("SOCKET_DIR").expect("DBDECK_TEST_PG_SOCKET_DIR").into(),
        ca: var("CA").expect("DBDECK_TEST_PG_CA").into(),
        bin: var("BIN").expect("DBDECK_TEST_PG_BIN").into(),
        log: var("LOG").expect("DBDECK_TEST_PG_LOG").into(),
    })
}

impl Pg {
    /// The owner's URL to `db` with query `params` (e.g. `sslmode=require`), password included.
    pub fn url(&self, db: &str, params: &str) -> String {
        let query = if params.is_empty() { String::new() } else { format!("?{params}") };
        format!("postgres://{}:{}@{}:{}/{db}{query}", self.user, self.password, self.host, self.port)
    }

    pub fn secret_url(&self, db: &str, params: &str) -> SecretString {
        SecretString::from(self.url(db, params))
    }

    /// The `postgres` superuser over the cluster's unix socket: to set up and to observe.
    pub async fn admin(&self, db: &str) -> tokio_postgres::Client {
        let mut config = tokio_postgres::Config::new();
        config.host_path(&self.socket_dir).port(self.port).user("postgres").dbname(db);
        let (client, connection) = config.connect(tokio_postgres::NoTls).await.expect("admin connection");
        tokio::spawn(connection);
        client
    }

    /// A fresh database owned by the test user, so tests do not see each other's extensions.
    pub async fn scratch_db(&self, tag: &str) -> String {
        let name = format!("t_{tag}_{}", std::process::id());
        let admin = self.admin("postgres").await;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.unwrap();
        admin.batch_execute(&format!("CREATE DATABASE {name} OWNER {}", self.user)).await.unwrap();
        name
    }

    /// The enabled extensions of `db`, `name=version`, read by the superuser.
    pub async fn enabled(&self, db: &str) -> Vec<String> {
        let admin = self.admin(db).await;
        let rows = admin.query("SELECT extname::text || '=' || extversion FROM pg_extension ORDER BY 1", &[]);
        rows.await.unwrap().iter().map(|r| r.get(0)).collect()
    }

    /// `psql` as the owner, over TLS, printing bare values.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .arg(format!(
                "host={} port={} user={} dbname={db} sslmode=require",
                self.host, self.port, self.user
            ))
            .env("PGPASSWORD", &self.password)
            .output()
            .expect("psql runs");
        assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// The server's log so far (it logs every statement).
    pub fn server_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}
