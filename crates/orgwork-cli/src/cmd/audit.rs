//! `orgwork audit verify`: checks the audit log's whole hash chain.

use crate::db::DbArgs;
use anyhow::{Result, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Recompute every entry's hash; name the first entry that does not fit, and fail.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Verify { db } => {
            let check = db.open().await?.verify_audit().await?;
            match check.first_broken {
                None => {
                    println!("The audit log is intact: {} entries, every hash fits its chain.", check.entries);
                    Ok(())
                }
                Some((seq, why)) => bail!("the audit log is broken at entry {seq}: {why}"),
            }
        }
    }
}
