//! `orgwork transfer …`: the receiving side of transfers, and the lists of a unit.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Page, TransferFilter};

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

#[derive(Subcommand)]
pub enum Command {
    /// Accept a transfer: the member moves on that day.
    Accept {
        id: orgwork_store::TransferId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        document: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Cancel a transfer still waiting.
    Cancel {
        id: orgwork_store::TransferId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Transfers to and from a unit's subtree, newest first.
    List {
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        /// in or out.
        #[arg(long, value_parser = orgwork_store::Direction::parse)]
        direction: Option<orgwork_store::Direction>,
        /// Only those still waiting.
        #[arg(long)]
        pending: bool,
        /// Only those waiting past the profile's deadline today.
        #[arg(long)]
        overdue: bool,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Accept { id, on, document, db } => {
            let t = db.open().await?.accept_transfer(&actor(), id, on, document).await?;
            println!("Transfer {} accepted: {} moves on {on}.", t.id, t.member_name);
        }
        Command::Cancel { id, on, db } => {
            let t = db.open().await?.cancel_transfer(&actor(), id, on).await?;
            println!("Transfer {} cancelled.", t.id);
        }
        Command::List { unit, direction, pending, overdue, db, json } => {
            let store = db.open().await?;
            let today = chrono::Local::now().date_naive();
            let filter = TransferFilter { direction, pending, overdue_on: overdue.then_some(today) };
            let page = store.transfers(&unit, &filter, Page::first(1000)).await?;
            if json {
                return output::json(&page.items);
            }
            for t in &page.items {
                let from = t.from_unit.as_ref().map(|u| u.to_string()).or(t.from_org.clone()).unwrap_or_default();
                let to = t.to_unit.as_ref().map(|u| u.to_string()).or(t.to_org.clone()).unwrap_or_default();
                let late =
                    if t.state == orgwork_store::TransferState::Issued && t.due_on < today { "  OVERDUE" } else { "" };
                println!(
                    "{:<20} {:<28} {from} → {to}  issued {}  {}{late}",
                    t.id,
                    t.member_name,
                    t.issued_on,
                    t.state.as_str()
                );
            }
        }
    }
    Ok(())
}
