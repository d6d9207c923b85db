//! The Users tab's requests and their answers, wrapped in one `Effect` and one `Msg` variant.

use secrecy::SecretString;

use crate::api::{ApiError, DbTarget, NewUser, User, UserWithPassword};
use crate::app::RequestId;

#[derive(Debug)]
pub enum UsersEffect {
    Load { id: RequestId, target: DbTarget },
    Create { id: RequestId, target: DbTarget, user: NewUser },
    ResetPassword { id: RequestId, target: DbTarget, name: String },
    SetPassword { id: RequestId, target: DbTarget, name: String, password: SecretString },
    Delete { id: RequestId, target: DbTarget, name: String },
}

#[derive(Debug)]
pub enum UsersMsg {
    Loaded { id: RequestId, result: Result<Vec<User>, ApiError> },
    Created { id: RequestId, name: String, result: Result<UserWithPassword, ApiError> },
    PasswordReset { id: RequestId, name: String, result: Result<UserWithPassword, ApiError> },
    PasswordSet { id: RequestId, name: String, result: Result<User, ApiError> },
    Deleted { id: RequestId, name: String, result: Result<(), ApiError> },
}

impl UsersMsg {
    pub fn id(&self) -> RequestId {
        match self {
            UsersMsg::Loaded { id, .. }
            | UsersMsg::Created { id, .. }
            | UsersMsg::PasswordReset { id, .. }
            | UsersMsg::PasswordSet { id, .. }
            | UsersMsg::Deleted { id, .. } => *id,
        }
    }
}
