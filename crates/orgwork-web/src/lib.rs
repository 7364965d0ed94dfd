//! orgwork's HTTP server (axum): the JSON API under `/api/v1`, described by an OpenAPI
//! document generated from the handlers (utoipa), and `/healthz`.
//!
//! Handlers parse their input into domain types, call the `Store`, and map errors once, at
//! the edge (`error.rs`). The web layer never knows which database is behind the store.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod ui;

use axum::Router;
use orgwork_store::Store;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Failed logins, per account and per address.
    pub limiter: Arc<ui::auth::LoginLimiter>,
    /// Mark cookies Secure even without `X-Forwarded-Proto: https` (behind a TLS proxy).
    pub secure_cookies: bool,
    /// Files checked in the UI and waiting for the user's confirmation.
    pub pending_imports: Arc<ui::files::PendingImports>,
    /// Checks and imports of large files running in the background.
    pub import_jobs: Arc<ui::files::ImportJobs>,
    /// Import rows that met members their sender may not see, per user.
    pub probes: Arc<api::files::ProbeBudget>,
    /// The bounds of sent files and the places for imports running at once.
    pub imports: Arc<api::files::ImportGate>,
}

impl AppState {
    /// The server's state; turns the store's read cache on (see `orgwork_store::cache`) and its
    /// large loads' page cache off (the server's memory stays bounded).
    pub fn new(store: Arc<dyn Store>) -> AppState {
        store.cache_reads(true);
        store.large_load_cache(false);
        AppState {
            store,
            limiter: Arc::new(ui::auth::LoginLimiter::default()),
            secure_cookies: false,
            pending_imports: Arc::new(ui::files::PendingImports::default()),
            import_jobs: Arc::new(ui::files::ImportJobs::default()),
            probes: Arc::new(api::files::ProbeBudget::default()),
            imports: Arc::new(api::files::ImportGate::default()),
        }
    }
}

/// The whole application: the web UI, the API, its OpenAPI document and `/healthz`.
pub fn app(state: AppState) -> Router {
    api::router(state.clone()).merge(ui::routes().with_state(state))
}

/// Serves the application on `listener` until ctrl-c (or SIGTERM).
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
