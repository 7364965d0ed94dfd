//! `orgwork serve`: applies the migrations, then serves the API.

use crate::db::DbArgs;
use anyhow::{Context, Result};
use orgwork_web::AppState;

#[derive(clap::Args)]
pub struct Args {
    /// The address to listen on.
    #[arg(long, env = "ORGWORK_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(args: Args) -> Result<()> {
    let store = args.db.open().await?;
    serve(&args.listen, store).await
}

pub async fn serve(listen: &str, store: std::sync::Arc<dyn orgwork_store::Store>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    println!("orgwork is serving on http://{addr}/ ({} database)", store.backend());
    println!("  the API: http://{addr}/api/v1/units   its description: http://{addr}/api/v1/openapi.json");
    orgwork_web::serve(listener, AppState::new(store)).await?;
    Ok(())
}
