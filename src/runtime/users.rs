//! The Users tab's effects, each in its own task. A change is journalled before it is sent
//! (see `record::intent`), and again with its outcome once known; a users list settles the
//! changes whose outcome was lost.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::directory::Directory;
use super::{record, spawn};
use crate::app::Msg;
use crate::app::users::{UsersEffect, UsersMsg};
use crate::journal::{Action, Check, Journal, JournalError};

pub(super) fn perform(
    effect: UsersEffect,
    directory: Arc<Directory>,
    tx: UnboundedSender<Msg>,
    journal: Journal,
) {
    let client = |region: &str| {
        let (directory, region) = (directory.clone(), region.to_owned());
        async move { directory.client(&region).await }
    };
    match effect {
        UsersEffect::Load { id, target } => {
            let client = client(&target.region);
            let read = journal.read_mark(&target.addon_id);
            spawn(tx, async move {
                let result = async { client.await?.list_users(&target).await }.await;
                if let Ok(users) = &result {
                    journal.settle_users(&read, users);
                }
                Msg::Users(UsersMsg::Loaded { id, result })
            })
        }
        UsersEffect::Create { id, target, user } => {
            let refuse = |e: JournalError| {
                Msg::Users(UsersMsg::Created { id, name: user.name.clone(), result: Err(e.into()) })
            };
            let Some(pending) =
                record::intent(&journal, &tx, &target, Action::CreateUser, &user.name, None, refuse)
            else {
                return;
            };
            let client = client(&target.region);
            spawn(tx, async move {
                let result = async { client.await?.create_user(&target, &user).await }.await;
                pending.finish(&result, Check::UserExists(user.name.clone()));
                Msg::Users(UsersMsg::Created { id, name: user.name, result })
            })
        }
        UsersEffect::ResetPassword { id, target, name } => {
            let refuse = |e: JournalError| {
                Msg::Users(UsersMsg::PasswordReset { id, name: name.clone(), result: Err(e.into()) })
            };
            let Some(pending) =
                record::intent(&journal, &tx, &target, Action::ResetPassword, &name, None, refuse)
            else {
                return;
            };
            let client = client(&target.region);
            spawn(tx, async move {
                let result = async { client.await?.reset_password(&target, &name).await }.await;
                pending.finish(&result, Check::Password(name.clone()));
                Msg::Users(UsersMsg::PasswordReset { id, name, result })
            })
        }
        UsersEffect::SetPassword { id, target, name, password } => {
            let refuse = |e: JournalError| {
                Msg::Users(UsersMsg::PasswordSet { id, name: name.clone(), result: Err(e.into()) })
            };
            let Some(pending) =
                record::intent(&journal, &tx, &target, Action::SetPassword, &name, None, refuse)
            else {
                return;
            };
            let client = client(&target.region);
            spawn(tx, async move {
                let result = async { client.await?.set_password(&target, &name, &password).await }.await;
                pending.finish(&result, Check::Password(name.clone()));
                Msg::Users(UsersMsg::PasswordSet { id, name, result })
            })
        }
        UsersEffect::Delete { id, target, name } => {
            let refuse = |e: JournalError| {
                Msg::Users(UsersMsg::Deleted { id, name: name.clone(), result: Err(e.into()) })
            };
            let Some(pending) =
                record::intent(&journal, &tx, &target, Action::DeleteUser, &name, None, refuse)
            else {
                return;
            };
            let client = client(&target.region);
            spawn(tx, async move {
                let result = async { client.await?.delete_user(&target, &name).await }.await;
                pending.finish(&result, Check::UserGone(name.clone()));
                Msg::Users(UsersMsg::Deleted { id, name, result })
            })
        }
    }
}
