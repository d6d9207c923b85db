//! What is wrong with a form right now, field by field. `update` refuses to submit while there
//! is anything, and the UI shows the same list inline: one source for both.

use super::state::{ConfirmForm, CreateField, CreateUserForm, PasswordField, SetPasswordForm};
use crate::api::User;
use crate::api::validate::{password_problem, username_problem};

/// Problems of a password and its confirmation, or of neither when `allow_empty` and both are
/// empty (the platform then generates one).
fn password_pair(password: &str, confirmation: &str, allow_empty: bool) -> (Option<String>, Option<String>) {
    if allow_empty && password.is_empty() && confirmation.is_empty() {
        return (None, None);
    }
    let mismatch = (password != confirmation).then(|| "does not match the password".to_owned());
    (password_problem(password), mismatch)
}

pub fn create_problems(form: &CreateUserForm, existing: &[User]) -> Vec<(CreateField, String)> {
    let name = form.name.value();
    let mut problems = Vec::new();
    let name_problem = username_problem(form.engine, name).or_else(|| {
        existing
            .iter()
            .any(|u| u.name.eq_ignore_ascii_case(name))
            .then(|| format!("a user named {name} already exists"))
    });
    if let Some(p) = name_problem {
        problems.push((CreateField::Name, p));
    }
    let (password, confirmation) = password_pair(form.password.value(), form.confirmation.value(), true);
    problems.extend(password.map(|p| (CreateField::Password, p)));
    problems.extend(confirmation.map(|p| (CreateField::Confirmation, p)));
    problems
}

pub fn set_password_problems(form: &SetPasswordForm) -> Vec<(PasswordField, String)> {
    let (password, confirmation) = password_pair(form.password.value(), form.confirmation.value(), false);
    let mut problems = Vec::new();
    problems.extend(password.map(|p| (PasswordField::Password, p)));
    problems.extend(confirmation.map(|p| (PasswordField::Confirmation, p)));
    problems
}

/// Why Enter is still inert, or `None` once the typed text is the name byte for byte.
pub fn confirm_problems(form: &ConfirmForm) -> Option<String> {
    (!form.matches()).then(|| format!("type {} exactly to confirm", form.expected))
}
