//! Starting and stopping the server: open the pool, bring the schema up to date, serve until
//! SIGINT/SIGTERM, then stop accepting and let in-flight requests finish.

use crate::clock::Clock;
use crate::state::AppState;
use std::net::SocketAddr;

#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Demo mode: staff may sign in without TOTP, and every page says so in a banner.
    pub demo: bool,
    /// No request log on stderr.
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Connections per server: SQLite serialises writers anyway; PostgreSQL gets a modest pool.
const POOL_SIZE: u32 = 8;

/// Serves the app until SIGINT/SIGTERM, then finishes in-flight requests.
pub fn serve_blocking(
    location: store::Location,
    addr: SocketAddr,
    options: ServeOptions,
) -> Result<(), WebError> {
    let pool = store::Pool::open(&location, POOL_SIZE)?;
    let unprojected = {
        let mut conn = pool.get()?;
        store::migrate::migrate(&mut conn)?;
        store::dashboard::unprojected_students(&mut conn)?
    };
    if unprojected > 0 {
        // Dashboards read the projection; fill it for students no sweep has seen yet, beside
        // the server rather than before it, since a large district takes a while.
        let location = location.clone();
        let today = Clock::default().today();
        eprintln!("iep504: computing deadlines for {unprojected} students in the background");
        std::thread::spawn(
            move || match store::projection::sweep(&location, today, &|_| {}) {
                Ok(summary) => eprintln!(
                    "iep504: deadlines computed for {} students",
                    summary.students
                ),
                // The message could quote stored data; `iep504 sweep` shows it to an operator.
                Err(_) => {
                    eprintln!("iep504: computing deadlines failed; run `iep504 sweep` for details")
                }
            },
        );
    }
    // The pool is last dropped here, outside the runtime: closing a PostgreSQL connection
    // blocks, which a runtime thread must not do.
    let keep = pool.clone();
    let runtime = tokio::runtime::Runtime::new()?;
    let served = runtime.block_on(async move {
        let state = AppState::new(pool, options.demo, Clock::default(), !options.quiet);
        let access_log = state.access_log.clone();
        let app = crate::routes::router(state);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Bind { addr, source })?;
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await?;
        report_held_reads(&access_log);
        Ok(())
    });
    drop(runtime);
    drop(keep);
    served
}

/// Entries held through a storage outage get one last chance to be written; what is still held
/// is counted in the log, because stopping now loses it.
fn report_held_reads(access_log: &store::access_log::GroupWriter) {
    match access_log.flush() {
        Ok(0) => {}
        Ok(held) => eprintln!(
            "record of access: storage is still refusing writes; {held} entries of reads made during the outage are lost with this stop"
        ),
        Err(e) => eprintln!("record of access: {e}"),
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
