//! No redirect is ever followed: a 3xx from any service is an error naming the status and the
//! Location's host, and a second server the Location points to receives nothing.

use super::*;

const PASSWORD: &str = "redirected-password-0123456789";

/// The API on one loopback server, and a second one that records whatever reaches it.
async fn start_with_elsewhere() -> (Arc<Mock>, ScalingoClient, Arc<Mock>, String) {
    let (mock, client) = start().await;
    let elsewhere = Mock::new();
    let url = serve(elsewhere.clone()).await;
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    (mock, client, elsewhere, host)
}

fn redirect(status: u16, host: &str, path: &str) -> Canned {
    Canned::status(status)
        .header("location", &format!("http://{host}{path}?stolen=1"))
        .header("x-request-id", &format!("req-{status}"))
}

fn assert_refused(err: &ApiError, status: u16, host: &str) {
    let text = err.to_string();
    assert_eq!(err.status(), Some(status), "{text}");
    assert!(text.starts_with(&format!("HTTP {status} (request id req-{status}): ")), "{text}");
    assert!(text.contains(&format!("redirect to {host} refused")), "{text}");
    assert!(!text.contains("HTTP 200") && !text.contains("stolen"), "{text}");
    assert!(!text.contains(PASSWORD), "{text}");
}

#[tokio::test]
async fn password_writes_are_never_sent_to_a_redirect() {
    let (mock, client, elsewhere, host) = start_with_elsewhere().await;
    let reader = format!("{USERS}/reader");
    for status in [307, 308] {
        mock.push("POST", USERS, redirect(status, &host, USERS));
        let err = client.create_user(&target(), &new_user(Some(PASSWORD))).await.unwrap_err();
        assert_refused(&err, status, &host);
        assert!(!err.outcome_unknown(), "a redirect applied nothing");

        mock.push("PATCH", &reader, redirect(status, &host, &reader));
        let err = client.set_password(&target(), "reader", &SecretString::from(PASSWORD)).await.unwrap_err();
        assert_refused(&err, status, &host);

        let reset = format!("{reader}/reset_password");
        mock.push("POST", &reset, redirect(status, &host, &reset));
        let err = client.reset_password(&target(), "reader").await.unwrap_err();
        assert_refused(&err, status, &host);
    }
    assert_eq!(elsewhere.seen().len(), 0, "the second server received something");
    // Each write reached the API once: nothing was re-sent after the redirect.
    assert_eq!(mock.count("POST", USERS), 2);
    assert_eq!(mock.count("PATCH", &reader), 2);
}

#[tokio::test]
async fn every_service_refuses_redirects() {
    let (mock, client, elsewhere, host) = start_with_elsewhere().await;

    // The token exchange: the API token itself would follow.
    mock.push("POST", "/v1/tokens/exchange", redirect(307, &host, "/v1/tokens/exchange"));
    assert_refused(&client.list_apps().await.unwrap_err(), 307, &host);

    // The main API (apps and addons), and the addon token mint.
    mock.push("GET", "/v1/apps/my-app/addons", redirect(302, &host, "/v1/apps/my-app/addons"));
    assert_refused(&client.find_addon("my-app", "").await.unwrap_err(), 302, &host);
    let mint = "/v1/apps/my-app/addons/ad-pg/token";
    mock.push("POST", mint, redirect(308, &host, mint));
    assert_refused(&client.list_users(&target()).await.unwrap_err(), 308, &host);

    // The database API.
    mock.push("GET", USERS, redirect(301, &host, USERS));
    assert_refused(&client.list_users(&target()).await.unwrap_err(), 301, &host);
    mock.push("DELETE", &format!("{USERS}/reader"), redirect(307, &host, USERS));
    assert_refused(&client.delete_user(&target(), "reader").await.unwrap_err(), 307, &host);

    // The regions list (on the auth service).
    mock.push("GET", "/v1/regions", redirect(303, &host, "/v1/regions"));
    assert_refused(&client.regions().await.unwrap_err(), 303, &host);

    assert_eq!(elsewhere.seen().len(), 0, "the second server received something");
    // A redirect is not transient: each idempotent GET was asked once.
    assert_eq!(mock.count("GET", USERS), 1);
    assert_eq!(mock.count("GET", "/v1/regions"), 1);
}

#[tokio::test]
async fn a_redirect_without_location_is_refused_too() {
    let (mock, client) = start().await;
    mock.push("GET", USERS, Canned::status(302));
    let err = client.list_users(&target()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "HTTP 302: redirect without a usable Location refused: dbdeck follows no redirect and sent \
         nothing there"
    );
}
