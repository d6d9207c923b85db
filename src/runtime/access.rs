//! The connection URL of a user: the app's database variable read through the API, the user's
//! name and password put in (`sql::user_url`). The URL goes back to the app, which copies it
//! like the password (same clipboard, same clear timer). And the console's preparation
//! (`console.rs`).

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::directory::Directory;
use super::{console, spawn};
use crate::api::Engine;
use crate::app::Msg;
use crate::app::access::{AccessEffect, AccessMsg};
use crate::sql::{SqlSource, user_url};

/// The app variable holding the URL of a database of `engine`.
pub fn variable(engine: Engine) -> &'static str {
    match engine {
        Engine::PostgreSql => crate::sql::VARIABLE,
        Engine::MySql => "SCALINGO_MYSQL_URL",
    }
}

pub(super) fn perform(
    effect: AccessEffect,
    directory: Arc<Directory>,
    source: &SqlSource,
    slot: &console::Slot,
    tx: UnboundedSender<Msg>,
) {
    match effect {
        AccessEffect::PrepareConsole { target, engine } => {
            let (source, slot) = (source.clone(), slot.clone());
            spawn(tx, async move {
                let result = console::prepare(&directory, &source, &target, engine, &slot).await;
                Msg::Access(AccessMsg::ConsoleReady { target, result })
            })
        }
        // Run by the event loop, which owns the terminal.
        AccessEffect::RunConsole => {}
        AccessEffect::UserUrl { target, engine, user, password } => spawn(tx, async move {
            let name = variable(engine);
            let result = async {
                let client = directory.client(&target.region).await.map_err(|e| e.to_string())?;
                let app_url = client.app_variable(&target.app, name).await.map_err(|e| e.to_string())?;
                let app_url = app_url.ok_or_else(|| format!("the app has no {name} variable"))?;
                let built = user_url::for_user(&app_url, &user, &password)?;
                Ok((built.masked, built.url))
            }
            .await;
            Msg::Access(AccessMsg::UserUrl { user, result })
        }),
    }
}
