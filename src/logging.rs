//! Logs go to a file, never to the terminal. HTTP internals are capped at `info` whatever level
//! is asked, because their trace output would include raw bodies (passwords).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `path` at `level` (a private file: see `private_file`). The guard flushes on drop: keep it alive until exit.
pub fn init(path: &Path, level: &str) -> anyhow::Result<WorkerGuard> {
    let file = crate::private_file::open_append(path)?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_new(format!(
        "{level},hyper=info,hyper_util=info,reqwest=info,h2=info,rustls=info,axum=info,tower=info,tokio_postgres=info"
    ))?;
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(writer).init();
    Ok(guard)
}
