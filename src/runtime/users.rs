//! The Users tab's effects, each in its own task. A change is journalled before it is sent
//! (see `record::intent`), and again with its outcome once known; a users list settles the
//! changes whose outcome was lost.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::directory::Directory;
use super::record::{self, Change};
use super::spawn;
use crate::app::Msg;
use crate::app::users::{UsersEffect, UsersMsg};
use crate::journal::{Action, Check, Journal};

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
            let name = user.name.clone();
            let check = Check::UserExists(name.clone());
            let change = Change { action: Action::CreateUser, target: &name, label: None, check };
            let (client, db) = (client(&target.region), target.clone());
            let request = async move { client.await?.create_user(&db, &user).await };
            let answer_name = name.clone();
            let answer = move |result| Msg::Users(UsersMsg::Created { id, name: answer_name, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
        UsersEffect::ResetPassword { id, target, name } => {
            let check = Check::Password(name.clone());
            let change = Change { action: Action::ResetPassword, target: &name, label: None, check };
            let (client, db, user) = (client(&target.region), target.clone(), name.clone());
            let request = async move { client.await?.reset_password(&db, &user).await };
            let answer_name = name.clone();
            let answer = move |result| Msg::Users(UsersMsg::PasswordReset { id, name: answer_name, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
        UsersEffect::SetPassword { id, target, name, password } => {
            let check = Check::Password(name.clone());
            let change = Change { action: Action::SetPassword, target: &name, label: None, check };
            let (client, db, user) = (client(&target.region), target.clone(), name.clone());
            let request = async move { client.await?.set_password(&db, &user, &password).await };
            let answer_name = name.clone();
            let answer = move |result| Msg::Users(UsersMsg::PasswordSet { id, name: answer_name, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
        UsersEffect::Delete { id, target, name } => {
            let check = Check::UserGone(name.clone());
            let change = Change { action: Action::DeleteUser, target: &name, label: None, check };
            let (client, db, user) = (client(&target.region), target.clone(), name.clone());
            let request = async move { client.await?.delete_user(&db, &user).await };
            let answer_name = name.clone();
            let answer = move |result| Msg::Users(UsersMsg::Deleted { id, name: answer_name, result });
            record::api_change(&journal, tx, &target, change, request, answer);
        }
    }
}
