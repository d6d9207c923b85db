//! Bodies are read under a cap: a server that streams without end, or announces more than the
//! cap, gets a clear error quickly, once, and the rest of its answer is never read.

use tokio::io::AsyncWriteExt;

use super::*;

/// The test client's total timeout, and how long the server keeps going: far longer than the
/// cap takes to reach, so that only the cap can end a call early, even on a loaded machine.
const LONG: Duration = Duration::from_secs(60);
const PIECE: usize = 1024 * 1024;

/// How the raw server answers each request.
#[derive(Clone, Copy)]
enum Hostile {
    /// A 200 whose chunked JSON body never ends.
    Endless,
    /// A 200 announcing a 1 GiB body, then silence.
    Announced,
}

/// A raw HTTP/1.1 server on loopback, answering every request as `how` says. Counts the
/// requests and the body bytes it managed to send.
async fn serve_hostile(how: Hostile) -> (Url, Arc<AtomicU64>, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (requests, sent) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (count, bytes) = (requests.clone(), sent.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (count, bytes) = (count.clone(), bytes.clone());
            tokio::spawn(async move {
                if !read_head(&mut socket).await {
                    return;
                }
                let mut chunk = [0u8; 64];
                count.fetch_add(1, Ordering::SeqCst);
                let head = match how {
                    Hostile::Endless => "Transfer-Encoding: chunked",
                    Hostile::Announced => "Content-Length: 1073741824",
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: req-huge\r\n{head}\r\n\r\n"
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                if let Hostile::Announced = how {
                    // Hold the connection open without a byte more.
                    let _ = tokio::time::timeout(LONG, socket.read(&mut chunk)).await;
                    return;
                }
                let mut piece = format!("{:x}\r\n", PIECE + 1).into_bytes();
                piece.push(b'[');
                piece.extend(std::iter::repeat_n(b' ', PIECE));
                piece.extend_from_slice(b"\r\n");
                let started = Instant::now();
                // Bounded, so a client that keeps reading cannot keep the test running forever.
                while started.elapsed() < LONG {
                    if socket.write_all(&piece).await.is_err() {
                        return;
                    }
                    bytes.fetch_add(piece.len() as u64, Ordering::SeqCst);
                }
            });
        }
    });
    (Url::parse(&format!("http://{addr}")).unwrap(), requests, sent)
}

/// The auth and main API on the scripted mock; the database API on the hostile server.
async fn start_hostile(how: Hostile) -> (ScalingoClient, Arc<AtomicU64>, Arc<AtomicU64>) {
    let mock = Mock::new();
    let base = serve(mock).await;
    let (db, requests, sent) = serve_hostile(how).await;
    let endpoints = Endpoints { auth: base.clone(), api: base, db };
    let options = ClientOptions { total_timeout: LONG, ..options() };
    let client = ScalingoClient::new(endpoints, SecretString::from(API_TOKEN), options).unwrap();
    (client, requests, sent)
}

fn assert_too_large(err: &ApiError) {
    let text = err.to_string();
    assert_eq!(
        text,
        "unexpected answer from GET /api/databases/ad-pg/users: the answer is larger than 32 MiB; \
         dbdeck stopped reading it (HTTP 200, request id req-huge)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_cut_at_the_cap_and_not_retried() {
    let (client, requests, sent) = start_hostile(Hostile::Endless).await;
    let started = Instant::now();
    let err = client.list_users(&target()).await.unwrap_err();
    let took = started.elapsed();
    assert_too_large(&err);
    assert!(took < LONG, "took {took:?}: the timeout, not the cap, ended it");
    assert_eq!(requests.load(Ordering::SeqCst), 1, "an over-long answer is not transient");
    // The connection is dropped at the cap: the server cannot push much past it (socket buffers).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < 48 * 1024 * 1024, "{sent} bytes were taken from the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_content_length_over_the_cap_is_refused_before_reading() {
    let (client, requests, _) = start_hostile(Hostile::Announced).await;
    let started = Instant::now();
    let err = client.list_users(&target()).await.unwrap_err();
    assert_too_large(&err);
    let took = started.elapsed();
    assert!(took < LONG / 4, "took {took:?}: it waited for a body it should not read");
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}

/// Invalid JSON in a success is a clear error that quotes nothing of the body.
#[tokio::test]
async fn invalid_json_in_a_success_is_a_clear_error() {
    let (mock, client) = start().await;
    mock.push(
        "GET",
        USERS,
        Canned::text(200, r#"{"database-users": [{"name": "secret-x"#).header("x-request-id", "req-bad"),
    );
    let err = client.list_users(&target()).await.unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("unexpected answer from the user list: truncated JSON"), "{text}");
    assert!(text.contains("req-bad") && !text.contains("secret-x"), "{text}");
}
