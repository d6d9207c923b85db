//! The platform's rules for user names and passwords, as its documentation states them, checked
//! before anything is sent. The emulator enforces the same rules on its side.

use super::types::Engine;

pub const MIN_USERNAME_LEN: usize = 6;
pub const MIN_PASSWORD_LEN: usize = 24;
pub const MAX_PASSWORD_LEN: usize = 64;

/// `None` when the name is acceptable, else the reason, phrased for the operator.
pub fn username_problem(engine: Engine, name: &str) -> Option<String> {
    let max = engine.max_username_len();
    let len = name.chars().count();
    if name.is_empty() {
        return Some("a name is required".into());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("must start with a letter".into());
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Some(format!("'{bad}' is not allowed: letters, digits and _ only"));
    }
    if len < MIN_USERNAME_LEN || len > max {
        return Some(format!("{MIN_USERNAME_LEN} to {max} characters ({len} now)"));
    }
    None
}

/// `None` when the password is acceptable, else the reason. Never echoes the password.
pub fn password_problem(password: &str) -> Option<String> {
    let len = password.chars().count();
    if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&len) {
        return Some(format!("{MIN_PASSWORD_LEN} to {MAX_PASSWORD_LEN} characters ({len} now)"));
    }
    if password.contains(['"', '\'']) {
        return Some("quotes (\" and ') are not allowed".into());
    }
    if password.chars().any(char::is_control) {
        return Some("control characters are not allowed".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_documented_rules() {
        assert_eq!(username_problem(Engine::PostgreSql, "app_reader"), None);
        assert_eq!(username_problem(Engine::PostgreSql, "Reader2"), None);
        assert!(username_problem(Engine::PostgreSql, "").is_some());
        assert!(username_problem(Engine::PostgreSql, "short").is_some());
        assert!(username_problem(Engine::PostgreSql, "1reader").is_some());
        assert!(username_problem(Engine::PostgreSql, "_reader").is_some());
        assert!(username_problem(Engine::PostgreSql, "app-reader").is_some());
        assert!(username_problem(Engine::PostgreSql, &"a".repeat(33)).is_some());
        assert_eq!(username_problem(Engine::PostgreSql, &"a".repeat(32)), None);
        assert_eq!(username_problem(Engine::MySql, &"a".repeat(16)), None);
        assert!(username_problem(Engine::MySql, &"a".repeat(17)).is_some());
    }

    #[test]
    fn passwords_need_length_and_no_quotes() {
        assert_eq!(password_problem(&"x".repeat(24)), None);
        assert_eq!(password_problem(&"x".repeat(64)), None);
        assert!(password_problem(&"x".repeat(23)).is_some());
        assert!(password_problem(&"x".repeat(65)).is_some());
        assert!(password_problem(&format!("{}\"", "x".repeat(30))).is_some());
        assert!(password_problem(&format!("{}'", "x".repeat(30))).is_some());
        let problem = password_problem("secret-secret").unwrap();
        assert!(!problem.contains("secret"), "the reason must not echo the password");
    }
}
