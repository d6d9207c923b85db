//! The Users tab's state: its list, its two forms (create, set password), and what a change
//! whose answer was lost may have done.

use crate::api::{Engine, User};
use crate::app::input::TextInput;
use crate::app::list::ListState;
use crate::app::msg::RequestId;
use crate::app::state::Remote;

#[derive(Debug, Clone, Default)]
pub struct UsersTab {
    pub users: Remote<Vec<User>>,
    pub list: ListState,
}

impl UsersTab {
    /// The users whose name passes the filter, in server order.
    pub fn visible(&self) -> Vec<&User> {
        self.list.shown().iter().filter_map(|&i| self.user(i)).collect()
    }

    /// The user at `index` in server order (an index of [`ListState::shown`]).
    pub fn user(&self, index: usize) -> Option<&User> {
        self.users.data.as_ref()?.get(index)
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.user(self.list.selected_row()?)
    }

    /// Changes the users (a fresh list, or a change's own answer) and filters them again,
    /// keeping the same user selected.
    pub fn change_users(&mut self, change: impl FnOnce(&mut Vec<User>)) {
        let selected = self.selected_user().map(|u| u.name.clone());
        change(self.users.data.get_or_insert_default());
        self.refilter();
        let users = self.users.data.as_deref().unwrap_or_default();
        self.list.reselect(|i| selected.as_deref() == Some(users[i].name.as_str()));
    }

    /// Filters the users again (their list or the filter changed).
    pub fn refilter(&mut self) {
        self.list.refilter(self.users.data.iter().flatten().map(|u| u.name.as_str()));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateField {
    Name,
    Access,
    Password,
    Confirmation,
}

impl CreateField {
    pub const ORDER: [CreateField; 4] =
        [CreateField::Name, CreateField::Access, CreateField::Password, CreateField::Confirmation];
}

#[derive(Debug, Clone)]
pub struct CreateUserForm {
    pub engine: Engine,
    pub name: TextInput,
    /// PostgreSQL shows "Read only" (off by default); MySQL shows "Write" (off by default, so a
    /// new MySQL user is read-only unless asked), as the web dashboards do.
    pub access_checked: bool,
    pub password: TextInput,
    pub confirmation: TextInput,
    pub focus: CreateField,
    /// Set after a refused submit, so errors show only once the operator tried.
    pub tried: bool,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
    /// Esc was pressed on a changed form: the modal asks before discarding.
    pub discard_asked: bool,
}

impl CreateUserForm {
    pub fn new(engine: Engine) -> Self {
        CreateUserForm {
            engine,
            name: TextInput::plain(),
            access_checked: false,
            password: TextInput::masked(),
            confirmation: TextInput::masked(),
            focus: CreateField::Name,
            tried: false,
            server_error: None,
            pending: None,
            discard_asked: false,
        }
    }

    /// Whether anything was typed or chosen.
    pub fn changed(&self) -> bool {
        self.access_checked
            || [&self.name, &self.password, &self.confirmation].iter().any(|f| !f.value().is_empty())
    }

    pub fn access_label(&self) -> &'static str {
        match self.engine {
            Engine::PostgreSql => "Read only",
            Engine::MySql => "Write",
        }
    }

    pub fn read_only(&self) -> bool {
        match self.engine {
            Engine::PostgreSql => self.access_checked,
            Engine::MySql => !self.access_checked,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordField {
    Password,
    Confirmation,
}

#[derive(Debug, Clone)]
pub struct SetPasswordForm {
    pub user: String,
    pub password: TextInput,
    pub confirmation: TextInput,
    pub focus: PasswordField,
    pub tried: bool,
    pub server_error: Option<String>,
    pub pending: Option<RequestId>,
    /// Esc was pressed on a changed form: the modal asks before discarding.
    pub discard_asked: bool,
}

impl SetPasswordForm {
    pub fn new(user: String) -> Self {
        SetPasswordForm {
            user,
            password: TextInput::masked(),
            confirmation: TextInput::masked(),
            focus: PasswordField::Password,
            tried: false,
            server_error: None,
            pending: None,
            discard_asked: false,
        }
    }

    /// Whether anything was typed.
    pub fn changed(&self) -> bool {
        !self.password.value().is_empty() || !self.confirmation.value().is_empty()
    }
}

/// A user change whose answer was lost: the next user list says what really happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconcile {
    /// The user's name, and whether the operator chose its password (else it was generated and
    /// is lost with the answer).
    Create {
        name: String,
        chose_password: bool,
    },
    Reset(String),
    SetPassword(String),
    Delete(String),
}
