//! Where the API token comes from: `SCALINGO_API_TOKEN` first (in the CLI, a stored login wins
//! over it), else the official CLI's login (`~/.config/scalingo/auth`, one entry per auth host,
//! keyed without port), read but never written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

mod auth_file;

/// Where a token was found, to say so when the exchange refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Environment,
    CliLogin(PathBuf),
    Typed,
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Environment => write!(f, "SCALINGO_API_TOKEN"),
            TokenSource::CliLogin(path) => write!(f, "the Scalingo CLI login in {}", path.display()),
            TokenSource::Typed => write!(f, "the token typed at start-up"),
        }
    }
}

#[derive(Debug)]
pub struct Credential {
    pub token: SecretString,
    pub source: TokenSource,
    /// To tell the operator once: the file it came from is readable by other users.
    pub warning: Option<String>,
    /// The Scalingo account the token belongs to (its user name, else its email), when the CLI's
    /// login says so; for the journal.
    pub account: Option<String>,
}

/// The CLI's auth file: `$AUTH_FILE`, else `$CONFIG_DIR/auth`, else `~/.config/scalingo/auth`.
pub fn auth_file_path(env: &impl Fn(&str) -> Option<String>, home: Option<&Path>) -> Option<PathBuf> {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(file) = set("AUTH_FILE") {
        return Some(PathBuf::from(file));
    }
    let dir = set("CONFIG_DIR").map(PathBuf::from).or_else(|| home.map(|h| h.join(".config/scalingo")))?;
    Some(dir.join("auth"))
}

/// The token to use, by precedence: the environment, then the CLI's login for `auth_host` (the
/// host of the auth URL, without port). `Ok(None)`: nothing found, ask the operator. An
/// unreadable or malformed auth file is an `Err` saying why (the caller may still ask).
pub fn find(
    env: &impl Fn(&str) -> Option<String>,
    home: Option<&Path>,
    auth_host: &str,
) -> Result<Option<Credential>, String> {
    if let Some(token) = env("SCALINGO_API_TOKEN").filter(|t| !t.trim().is_empty()) {
        return Ok(Some(Credential {
            token: SecretString::from(token.trim()),
            source: TokenSource::Environment,
            warning: None,
            account: None,
        }));
    }
    let Some(path) = auth_file_path(env, home) else { return Ok(None) };
    let Some(file) = auth_file::read(&path)? else { return Ok(None) };
    let text = std::str::from_utf8(&file.bytes)
        .map_err(|_| format!("{}: not a Scalingo CLI auth file (not UTF-8)", path.display()))?;
    let login = login_in_auth_file(text, auth_host).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(login.map(|login| Credential {
        token: login.token,
        source: TokenSource::CliLogin(path),
        warning: file.warning,
        account: login.account,
    }))
}

/// What start-up does about the token.
#[derive(Debug)]
pub enum Found {
    Token(Credential),
    /// Nothing found: the first screen asks for one. `problem`: an auth file that could not be
    /// read, said on that screen.
    Ask {
        problem: Option<String>,
    },
}

/// [`find`], with "ask the operator" as the last resort.
pub fn token_or_ask(env: &impl Fn(&str) -> Option<String>, home: Option<&Path>, auth_host: &str) -> Found {
    match find(env, home, auth_host) {
        Ok(Some(credential)) => Found::Token(credential),
        Ok(None) => Found::Ask { problem: None },
        Err(problem) => Found::Ask { problem: Some(problem) },
    }
}

#[derive(Deserialize)]
struct AuthFile {
    auth_data_version: String,
    #[serde(default)]
    auth_config_data: HashMap<String, AuthEntry>,
}

#[derive(Deserialize)]
struct AuthEntry {
    #[serde(default)]
    tokens: Option<Tokens>,
    /// The CLI counts an entry without a user as logged out.
    #[serde(default)]
    user: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Tokens {
    token: Option<SecretString>,
}

/// What the CLI stored for one auth host.
struct Login {
    token: SecretString,
    account: Option<String>,
}

/// The API token the CLI stored for `auth_host`, and whose it is, if it is logged in there.
fn login_in_auth_file(text: &str, auth_host: &str) -> Result<Option<Login>, String> {
    // serde's message may quote a value (the token): say only where and what kind of error.
    let file: AuthFile = serde_json::from_str(text).map_err(|e| {
        format!(
            "not a Scalingo CLI auth file ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        )
    })?;
    // Version 2.0 keyed the default entry by the API host; the CLI migrates it to the auth host.
    let key = match file.auth_data_version.as_str() {
        "2.1" => auth_host,
        "2.0" if auth_host == "auth.scalingo.com" => "api.scalingo.com",
        "2.0" => auth_host,
        _ => return Ok(None),
    };
    let Some(entry) = file.auth_config_data.into_iter().find(|(k, _)| k == key).map(|(_, v)| v) else {
        return Ok(None);
    };
    let Some(user) = entry.user.filter(|u| !u.is_null()) else { return Ok(None) };
    let field = |name: &str| user.get(name).and_then(serde_json::Value::as_str).filter(|v| !v.is_empty());
    let account = field("username").or_else(|| field("email")).map(str::to_owned);
    Ok(entry.tokens.and_then(|t| t.token).map(|token| Login { token, account }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn v21(host: &str, token: &str) -> String {
        format!(
            r#"{{"auth_data_version": "2.1", "last_update": "2026-01-01T00:00:00Z",
                "auth_config_data": {{"{host}": {{"tokens": {{"token": "{token}"}},
                "user": {{"id": "us-1", "username": "ops", "email": "ops@example.com", "flags": {{}}}}}}}}}}"#
        )
    }

    fn token_in_auth_file(text: &str, auth_host: &str) -> Result<Option<SecretString>, String> {
        login_in_auth_file(text, auth_host).map(|login| login.map(|l| l.token))
    }

    fn exposed(r: Result<Option<SecretString>, String>) -> Option<String> {
        r.unwrap().map(|s| s.expose_secret().to_owned())
    }

    #[test]
    fn the_login_names_its_account() {
        let login = login_in_auth_file(&v21("auth.scalingo.com", "tk-us-a"), "auth.scalingo.com");
        assert_eq!(login.unwrap().unwrap().account.as_deref(), Some("ops"));
        let email_only = r#"{"auth_data_version": "2.1", "auth_config_data": {"auth.scalingo.com":
            {"tokens": {"token": "tk"}, "user": {"username": "", "email": "ops@example.com"}}}}"#;
        let login = login_in_auth_file(email_only, "auth.scalingo.com").unwrap().unwrap();
        assert_eq!(login.account.as_deref(), Some("ops@example.com"));
    }

    #[test]
    fn reads_versions_2_1_and_2_0() {
        assert_eq!(
            exposed(token_in_auth_file(&v21("auth.scalingo.com", "tk-us-a"), "auth.scalingo.com")),
            Some("tk-us-a".into())
        );
        let v20 = v21("api.scalingo.com", "tk-us-old").replace("2.1", "2.0");
        assert_eq!(exposed(token_in_auth_file(&v20, "auth.scalingo.com")), Some("tk-us-old".into()));
        let v3 = v21("auth.scalingo.com", "tk-us-a").replace("2.1", "3.0");
        assert_eq!(
            exposed(token_in_auth_file(&v3, "auth.scalingo.com")),
            None,
            "unknown versions: logged out"
        );
    }

    #[test]
    fn another_auth_host_or_no_user_is_not_logged_in() {
        assert_eq!(
            exposed(token_in_auth_file(&v21("auth.example.net", "tk-us-a"), "auth.scalingo.com")),
            None
        );
        let no_user = r#"{"auth_data_version": "2.1", "auth_config_data": {"auth.scalingo.com": {"tokens": {"token": "tk"}}}}"#;
        assert_eq!(exposed(token_in_auth_file(no_user, "auth.scalingo.com")), None);
        assert!(token_in_auth_file("{not json", "auth.scalingo.com").is_err());
        let wrong_shape = r#"{"auth_data_version": "2.1", "auth_config_data": {"auth.scalingo.com": {"tokens": "tk-us-canary"}}}"#;
        let err = token_in_auth_file(wrong_shape, "auth.scalingo.com").err().unwrap();
        assert!(!err.contains("tk-us-canary"), "the token leaked into the error: {err}");
    }

    #[test]
    fn environment_wins_then_the_file_then_nothing() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join(".config/scalingo");
        std::fs::create_dir_all(&dir).unwrap();
        let env_with = |token: Option<&'static str>| {
            move |name: &str| (name == "SCALINGO_API_TOKEN").then_some(token).flatten().map(str::to_owned)
        };

        // No file: nothing.
        assert!(find(&env_with(None), Some(home.path()), "auth.scalingo.com").unwrap().is_none());

        std::fs::write(dir.join("auth"), v21("auth.scalingo.com", "tk-us-file")).unwrap();
        let found = find(&env_with(None), Some(home.path()), "auth.scalingo.com").unwrap().unwrap();
        assert_eq!(found.token.expose_secret(), "tk-us-file");
        assert_eq!(found.source, TokenSource::CliLogin(dir.join("auth")));

        let found =
            find(&env_with(Some("tk-us-env")), Some(home.path()), "auth.scalingo.com").unwrap().unwrap();
        assert_eq!((found.token.expose_secret(), found.source), ("tk-us-env", TokenSource::Environment));
    }

    /// Under a temporary HOME: the environment, then the CLI's file, then the first screen (which
    /// also says why a broken file was not used). Missing files, entries and other hosts ask.
    #[test]
    fn precedence_env_then_file_then_prompt() {
        let home = tempfile::tempdir().unwrap();
        let file = home.path().join(".config/scalingo/auth");
        let host = "auth.scalingo.com";
        let env = |token: Option<&'static str>| {
            move |name: &str| (name == "SCALINGO_API_TOKEN").then_some(token).flatten().map(str::to_owned)
        };
        let source = |found: Found| match found {
            Found::Token(c) => format!("{}={}", c.source, c.token.expose_secret()),
            Found::Ask { problem } => format!("ask {problem:?}"),
        };

        assert_eq!(source(token_or_ask(&env(None), Some(home.path()), host)), "ask None", "no file");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, v21("auth.example.net", "tk-us-other")).unwrap();
        assert_eq!(source(token_or_ask(&env(None), Some(home.path()), host)), "ask None", "another host");
        std::fs::write(&file, r#"{"auth_data_version": "2.1", "auth_config_data": {}}"#).unwrap();
        assert_eq!(source(token_or_ask(&env(None), Some(home.path()), host)), "ask None", "no entry");

        std::fs::write(&file, v21(host, "tk-us-file")).unwrap();
        let from_file = source(token_or_ask(&env(None), Some(home.path()), host));
        assert!(from_file.starts_with("the Scalingo CLI login in ") && from_file.ends_with("=tk-us-file"));
        let from_env = source(token_or_ask(&env(Some("tk-us-env")), Some(home.path()), host));
        assert_eq!(from_env, "SCALINGO_API_TOKEN=tk-us-env", "the environment wins over the file");

        std::fs::write(&file, "{broken").unwrap();
        let broken = source(token_or_ask(&env(None), Some(home.path()), host));
        assert!(
            broken.starts_with("ask Some") && broken.contains("not a Scalingo CLI auth file"),
            "{broken}"
        );
        assert_eq!(TokenSource::Typed.to_string(), "the token typed at start-up");
    }

    #[test]
    fn config_dir_and_auth_file_are_honoured() {
        let home = Path::new("/home/ops");
        let none = |_: &str| None;
        assert_eq!(auth_file_path(&none, Some(home)), Some(home.join(".config/scalingo/auth")));
        let config_dir = |n: &str| (n == "CONFIG_DIR").then(|| "/etc/sc".to_owned());
        assert_eq!(auth_file_path(&config_dir, Some(home)), Some(PathBuf::from("/etc/sc/auth")));
        let auth_file = |n: &str| (n == "AUTH_FILE").then(|| "/tmp/a.json".to_owned());
        assert_eq!(auth_file_path(&auth_file, Some(home)), Some(PathBuf::from("/tmp/a.json")));
    }
}
