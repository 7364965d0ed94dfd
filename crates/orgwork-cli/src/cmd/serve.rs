//! `orgwork serve`: applies the migrations, then serves the API.

use crate::db::DbArgs;
use anyhow::{Context, Result};
use orgwork_web::AppState;

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on.
    #[arg(long, env = "ORGWORK_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Mark cookies Secure even when the proxy in front does not send X-Forwarded-Proto: https.
    #[arg(long, env = "ORGWORK_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Read every answer from the database: no read cache (see ARCHITECTURE.md, "The read
    /// cache"). For measuring the database's own speed, or ruling the cache out.
    #[arg(long, env = "ORGWORK_NO_READ_CACHE")]
    no_read_cache: bool,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(args: Args) -> Result<()> {
    let store = args.db.open().await?;
    serve_with(&args.listen, store, args.secure_cookies, !args.no_read_cache).await
}

pub async fn serve(listen: &str, store: std::sync::Arc<dyn orgwork_store::Store>) -> Result<()> {
    serve_with(listen, store, false, true).await
}

async fn serve_with(
    listen: &str,
    store: std::sync::Arc<dyn orgwork_store::Store>,
    secure_cookies: bool,
    read_cache: bool,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    println!("orgwork is serving on http://{addr}/ ({} database)", store.backend());
    println!("  the API: http://{addr}/api/v1/units   its description: http://{addr}/api/v1/openapi.json");
    let mut state = AppState::new(store.clone());
    state.secure_cookies = secure_cookies;
    store.cache_reads(read_cache);
    orgwork_web::serve(listener, state).await?;
    Ok(())
}
