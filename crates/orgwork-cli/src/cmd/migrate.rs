//! `orgwork migrate`: applies the migrations of the database's backend.

use crate::db::DbArgs;
use anyhow::Result;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(args: Args) -> Result<()> {
    let store = args.db.open().await?;
    println!("The {} database is up to date.", store.backend());
    Ok(())
}
