//! A new user's connection URL: the app's database URL (scheme, host, port, database and
//! parameters, TLS ones included) with that user's name and password, percent-encoded.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// RFC 3986's unreserved characters stay; everything else in the name and password is encoded.
const USERINFO: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// What the password is shown as.
pub const MASK: &str = "********";

/// The URL to copy, and the same with the password masked, to show.
#[derive(Debug)]
pub struct UserUrl {
    pub url: SecretString,
    pub masked: String,
}

/// `app_url` with `user` and `password` in place of its credentials. Errors never quote it.
pub fn for_user(app_url: &SecretString, user: &str, password: &SecretString) -> Result<UserUrl, String> {
    let raw = app_url.expose_secret().trim();
    let bad = |why: &str| format!("the app's database URL {why}");
    let (scheme, rest) = raw.split_once("://").ok_or_else(|| bad("is not a URL"))?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return Err(bad("has no scheme"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if host.is_empty() {
        return Err(bad("names no host"));
    }
    let name = utf8_percent_encode(user, USERINFO).to_string();
    let secret = Zeroizing::new(utf8_percent_encode(password.expose_secret(), USERINFO).to_string());
    let url = Zeroizing::new(format!("{scheme}://{name}:{}@{host}{tail}", secret.as_str()));
    let masked = format!("{scheme}://{name}:{MASK}@{host}{tail}");
    Ok(UserUrl { url: SecretString::from(url.as_str()), masked })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(app: &str, user: &str, password: &str) -> Result<(String, String), String> {
        let built = for_user(&SecretString::from(app), user, &SecretString::from(password))?;
        Ok((built.url.expose_secret().to_owned(), built.masked))
    }

    #[test]
    fn keeps_host_port_database_and_tls_and_encodes_the_credentials() {
        let app = "postgres://shop_prod_4553:old-secret@db.example.com:33517/shop_prod_4553?sslmode=prefer";
        let (url, masked) = build(app, "app_reporting", "p@ss:w/rd?#%é").unwrap();
        assert_eq!(
            url,
            "postgres://app_reporting:p%40ss%3Aw%2Frd%3F%23%25%C3%A9@db.example.com:33517/shop_prod_4553?sslmode=prefer"
        );
        assert_eq!(
            masked,
            "postgres://app_reporting:********@db.example.com:33517/shop_prod_4553?sslmode=prefer"
        );
        assert!(!url.contains("old-secret") && !masked.contains("old-secret"));
        let mysql = "mysql2://u:pw@h.example.com:30871/shop?useSSL=true";
        assert_eq!(build(mysql, "w", "x").unwrap().0, "mysql2://w:x@h.example.com:30871/shop?useSSL=true");
    }

    #[test]
    fn refuses_what_is_not_a_url_without_quoting_it() {
        for app in ["s3cret", "://s3cret@h/d", "postgres://s3cret@/d"] {
            let err = build(app, "u", "p").unwrap_err();
            assert!(!err.contains("s3cret"), "{err}");
        }
    }
}
