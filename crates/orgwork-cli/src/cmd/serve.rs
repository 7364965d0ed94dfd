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
    /// The most rows (after the heading) a file sent for import may have; larger files are
    /// refused with a message saying so (the command line's `orgwork import` has no bound).
    #[arg(long, env = "ORGWORK_IMPORT_MAX_ROWS", default_value_t = 50_000)]
    import_max_rows: usize,
    /// The most megabytes an XLSX workbook sent for import may inflate to (its parts are
    /// compressed, and a small file can inflate a thousandfold).
    #[arg(long, env = "ORGWORK_IMPORT_MAX_INFLATED_MB", default_value_t = 256)]
    import_max_inflated_mb: u64,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(args: Args) -> Result<()> {
    if args.import_max_rows == 0 || args.import_max_inflated_mb == 0 {
        anyhow::bail!("--import-max-rows and --import-max-inflated-mb must be at least 1");
    }
    let store = args.db.open().await?;
    let limits = orgwork_tabular::Limits {
        max_rows: args.import_max_rows,
        max_inflated: args.import_max_inflated_mb.saturating_mul(1024 * 1024),
        ..orgwork_web::api::files::ImportGate::DEFAULT_LIMITS
    };
    serve_with(&args.listen, store, args.secure_cookies, !args.no_read_cache, limits).await
}

pub async fn serve(listen: &str, store: std::sync::Arc<dyn orgwork_store::Store>) -> Result<()> {
    serve_with(listen, store, false, true, orgwork_web::api::files::ImportGate::DEFAULT_LIMITS).await
}

async fn serve_with(
    listen: &str,
    store: std::sync::Arc<dyn orgwork_store::Store>,
    secure_cookies: bool,
    read_cache: bool,
    limits: orgwork_tabular::Limits,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    println!("orgwork is serving on http://{addr}/ ({} database)", store.backend());
    println!("  the API: http://{addr}/api/v1/units   its description: http://{addr}/api/v1/openapi.json");
    let mut state = AppState::new(store.clone());
    state.secure_cookies = secure_cookies;
    state.imports = std::sync::Arc::new(orgwork_web::api::files::ImportGate::new(limits));
    store.cache_reads(read_cache);
    orgwork_web::serve(listener, state).await?;
    Ok(())
}
