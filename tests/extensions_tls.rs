//! TLS to PostgreSQL (promise P13, within the decided libpq semantics): `sslmode=require`
//! connects encrypted; a server that refuses TLS gets no credentials unless the URL says
//! `sslmode=disable` (or `prefer` on loopback); verify-ca/verify-full check the chain and the
//! name; a server that never answers or a closed port is "cannot reach".

mod support;

use std::time::Duration;

use dbdeck::sql::{self, SqlError, SqlTarget, UrlOrigin};
use secrecy::SecretString;
use support::pg::pg;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn target(url: &str) -> SqlTarget {
    SqlTarget::parse(&SecretString::from(url), UrlOrigin::Env).unwrap()
}

async fn tls_in_use(url: &str) -> Result<bool, SqlError> {
    let client = sql::connect(&target(url)).await?;
    let row = client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).await;
    Ok(row.unwrap().get(0))
}

#[tokio::test]
async fn require_connects_encrypted_without_checking_the_certificate() {
    let Some(pg) = pg() else { return };
    assert!(tls_in_use(&pg.url(&pg.user, "sslmode=require")).await.unwrap());
    // No sslmode at all: require too.
    assert!(tls_in_use(&pg.url(&pg.user, "")).await.unwrap());
    // sslmode=disable is the only way to plaintext, and it is honoured.
    assert!(!tls_in_use(&pg.url(&pg.user, "sslmode=disable")).await.unwrap());
}

#[tokio::test]
async fn verify_ca_and_verify_full_check_the_chain_and_the_name() {
    let Some(pg) = pg() else { return };
    let ca = pg.ca.display().to_string();
    let by_name = |params: &str| {
        format!("postgres://{}:{}@localhost:{}/{}?{params}", pg.user, pg.password, pg.port, pg.user)
    };
    // The certificate names localhost, not 127.0.0.1.
    assert!(tls_in_use(&by_name(&format!("sslmode=verify-full&sslrootcert={ca}"))).await.unwrap());
    assert!(tls_in_use(&pg.url(&pg.user, &format!("sslmode=verify-ca&sslrootcert={ca}"))).await.unwrap());
    let wrong_name = tls_in_use(&pg.url(&pg.user, &format!("sslmode=verify-full&sslrootcert={ca}"))).await;
    assert!(
        matches!(&wrong_name, Err(SqlError::Tls { detail, .. }) if detail.contains("not valid for name")),
        "{wrong_name:?}"
    );
    // The system roots do not know the test CA.
    let wrong_ca = tls_in_use(&by_name("sslmode=verify-full")).await;
    assert!(
        matches!(&wrong_ca, Err(SqlError::Tls { detail, .. }) if detail.contains("UnknownIssuer")),
        "an unknown issuer is refused: {wrong_ca:?}"
    );
}

/// A plaintext-only PostgreSQL: answers the SSLRequest with 'N', then records whatever the
/// client sends next (a startup message would carry the user name in plaintext).
async fn plaintext_only_server() -> (u16, tokio::task::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 8];
        socket.read_exact(&mut request).await.unwrap();
        assert_eq!(request, [0, 0, 0, 8, 4, 210, 22, 47], "an SSLRequest comes first");
        socket.write_all(b"N").await.unwrap();
        let mut after = vec![0u8; 512];
        let n = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut after)).await;
        after.truncate(n.ok().and_then(Result::ok).unwrap_or(0));
        after
    });
    (port, task)
}

#[tokio::test]
async fn a_plaintext_only_server_gets_nothing_with_the_default_mode() {
    let (port, server) = plaintext_only_server().await;
    let url = format!("postgres://someone:s3cret@127.0.0.1:{port}/db");
    let err = sql::connect(&target(&url)).await.unwrap_err();
    assert_eq!(err, SqlError::NoTls { endpoint: format!("127.0.0.1:{port}/db") });
    assert!(err.to_string().contains("sslmode=disable"), "says how to allow it: {err}");
    assert!(server.await.unwrap().is_empty(), "nothing after the refusal");
}

#[tokio::test]
async fn prefer_on_loopback_falls_back_to_plaintext_as_libpq_does() {
    let (port, server) = plaintext_only_server().await;
    let url = format!("postgres://someone@127.0.0.1:{port}/db?sslmode=prefer");
    let _ = sql::connect(&target(&url)).await;
    let sent = server.await.unwrap();
    assert!(String::from_utf8_lossy(&sent).contains("someone"), "the startup message went in clear");
}

#[tokio::test]
async fn a_server_that_never_answers_or_a_closed_port_is_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let _silent = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        std::future::pending::<()>().await
    });
    let mut silent = target(&format!("postgres://u:p@127.0.0.1:{port}/db"));
    silent.connect_timeout = Duration::from_millis(300);
    let err = sql::connect(&silent).await.unwrap_err();
    assert!(err.unreachable(), "{err:?}");

    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let err = sql::connect(&target(&format!("postgres://u:p@127.0.0.1:{port}/db"))).await.unwrap_err();
    assert!(err.unreachable() && err.to_string().contains("cannot reach the database"), "{err}");
}

#[tokio::test]
async fn a_wrong_password_is_postgresqls_refusal_without_the_password() {
    let Some(pg) = pg() else { return };
    let url = format!("postgres://{}:not-the-password@127.0.0.1:{}/{}", pg.user, pg.port, pg.user);
    let err = sql::connect(&target(&url)).await.unwrap_err();
    assert_eq!(err.code(), Some("28P01"), "{err:?}");
    assert!(!err.to_string().contains("not-the-password"));
}
