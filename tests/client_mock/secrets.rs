//! Passwords and tokens never reach logs, error messages or Debug output.

use super::*;

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

thread_local! {
    /// Where the log lines of this thread's test go; none by default.
    static CAPTURE: std::cell::RefCell<Option<LogBuffer>> = const { std::cell::RefCell::new(None) };
}

/// Captures every log line written on this thread (a current-thread runtime runs the client and
/// its connections here) until the returned buffer is dropped from `CAPTURE`.
///
/// One global TRACE subscriber, not `set_default`: tracing caches per call site whether anyone
/// listens, and a test without a subscriber running at the same time on another thread can make
/// that cache say "no one" for the scoped subscriber too, which left the log empty whenever cargo
/// ran four tests at once.
fn capture_logs() -> LogBuffer {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| {
                CAPTURE.with(|c| c.borrow().clone()).map_or_else(
                    || Box::new(std::io::sink()) as Box<dyn std::io::Write>,
                    |buffer| Box::new(buffer),
                )
            })
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    });
    let buffer = LogBuffer::default();
    CAPTURE.with(|c| *c.borrow_mut() = Some(buffer.clone()));
    buffer
}

#[tokio::test]
async fn passwords_and_tokens_never_reach_logs_or_errors() {
    const CANARY: &str = "CANARY-p4ssw0rd-0123456789abcdef";
    let logs = capture_logs();

    let (mock, client) = start().await;
    client.create_user(&target(), &new_user(Some(CANARY))).await.unwrap();
    mock.push(
        "POST",
        "/api/databases/ad-pg/users/reader/reset_password",
        Canned::json(200, json!({"database_user": {"name": "reader", "password": CANARY}})),
    );
    let reset = client.reset_password(&target(), "reader").await.unwrap();
    assert_eq!(reset.password.unwrap().expose_secret(), CANARY);
    // A server that echoes the chosen password in a raw 422 body.
    mock.push(
        "PATCH",
        "/api/databases/ad-pg/users/reader",
        Canned::json(422, json!({"message": format!("password {CANARY} is weak")}))
            .header("x-request-id", "req-echo"),
    );
    let err = client.set_password(&target(), "reader", &CANARY.into()).await.unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(CANARY), "{text}");
    assert!(text.contains("[redacted]") && text.contains("req-echo"), "{text}");
    assert!(!format!("{err:?}").contains(CANARY));
    assert!(!format!("{client:?}").contains(API_TOKEN));

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("/api/databases/ad-pg/users"), "{logs}");
    assert!(logs.contains("status=201"), "{logs}");
    assert!(logs.contains("req-echo"), "{logs}");
    let tokens = mock.tokens.lock().unwrap().clone();
    assert_eq!(tokens.len(), 2);
    for secret in tokens.iter().map(String::as_str).chain([CANARY, API_TOKEN]) {
        assert!(!logs.contains(secret), "{secret} in {logs}");
        assert!(!text.contains(secret));
    }
    let encoded = STANDARD.encode(format!(":{API_TOKEN}"));
    assert!(!logs.contains(&encoded));
}
