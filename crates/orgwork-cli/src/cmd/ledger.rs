//! `orgwork ledger`: the count ledger's upkeep (its checkpoints; ARCHITECTURE.md, "Ledger
//! checkpoints").

use crate::db::DbArgs;
use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// List the ledger's checkpoints, or set them: with `--recent`, `--day` or `--none` the
    /// checkpoints become exactly those given (new ones are summed from the ledger, the others
    /// dropped). Counts are the same with or without them; counts and restructurings dated after
    /// a checkpoint read less. A large import or a generation leaves the recent ones; run
    /// `--recent` each January.
    Checkpoints {
        /// 1 January of this year and of the last.
        #[arg(long)]
        recent: bool,
        /// A checkpoint on this day (repeatable).
        #[arg(long = "day", value_name = "YYYY-MM-DD")]
        days: Vec<NaiveDate>,
        /// No checkpoint at all.
        #[arg(long, conflicts_with_all = ["recent", "days"])]
        none: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Checkpoints { recent, mut days, none, db } => {
            let store = db.open().await?;
            if recent {
                days.extend(orgwork_store::default_checkpoints(chrono::Local::now().date_naive()));
            }
            if recent || none || !days.is_empty() {
                days.sort();
                days.dedup();
                if let Some(d) = days.iter().find(|d| d.year() < 1) {
                    bail!("--day {d}: a checkpoint's day must be in the year 1 or later");
                }
                let clock = std::time::Instant::now();
                store.set_ledger_checkpoints(&days).await?;
                println!("Checkpoints set in {:.1} s.", clock.elapsed().as_secs_f64());
            }
            let kept = store.ledger_checkpoints().await?;
            if kept.is_empty() {
                println!("The ledger has no checkpoint.");
            } else {
                for d in kept {
                    println!("{d}");
                }
            }
            Ok(())
        }
    }
}
