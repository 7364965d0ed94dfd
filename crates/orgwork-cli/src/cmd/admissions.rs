//! `orgwork candidate …`: the admission pipeline from the command line.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::NewCandidate;

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

#[derive(Subcommand)]
pub enum Command {
    /// Record a candidate proposed by a unit.
    Add {
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        #[arg(long)]
        full_name: String,
        #[arg(long)]
        sex: String,
        #[arg(long, value_parser = date)]
        birth_date: NaiveDate,
        #[arg(long)]
        occupation: Option<String>,
        #[arg(long)]
        national_id: Option<String>,
        /// The training course on the Party.
        #[arg(long)]
        course: Option<String>,
        #[arg(long, value_parser = date)]
        course_done: Option<NaiveDate>,
        #[arg(long, value_parser = date)]
        proposed_on: NaiveDate,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Candidates of a unit's subtree.
    List {
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        /// Only those still waiting.
        #[arg(long)]
        waiting: bool,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Admit a candidate: a probationary member from that day.
    Admit {
        id: orgwork_store::CandidateId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        card_number: Option<String>,
        #[arg(long)]
        document: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Withdraw a candidate.
    Withdraw {
        id: orgwork_store::CandidateId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Add {
            unit,
            full_name,
            sex,
            birth_date,
            occupation,
            national_id,
            course,
            course_done,
            proposed_on,
            db,
            json,
        } => {
            let store = db.open().await?;
            let new = NewCandidate {
                unit,
                full_name,
                sex,
                birth_date,
                occupation,
                national_id,
                course,
                course_done,
                proposed_on,
            };
            let c = store.add_candidate(&actor(), new).await?;
            if json {
                return output::json(&c);
            }
            println!("Candidate {} recorded: {} in {}.", c.id, c.full_name, c.unit);
        }
        Command::List { unit, waiting, db, json } => {
            let list = db.open().await?.candidates(&unit, waiting).await?;
            if json {
                return output::json(&list);
            }
            for c in list {
                println!(
                    "{:<20} {:<28} {:<16} proposed {}  {}",
                    c.id,
                    c.full_name,
                    c.unit,
                    c.proposed_on,
                    c.state.as_str()
                );
            }
        }
        Command::Admit { id, on, card_number, document, db } => {
            let m = db.open().await?.admit_candidate(&actor(), id, on, card_number, document).await?;
            println!("{} admitted on {on}: member {}.", m.record.full_name, m.id);
        }
        Command::Withdraw { id, on, note, db } => {
            let c = db.open().await?.withdraw_candidate(&actor(), id, on, note).await?;
            println!("Candidate {} withdrawn.", c.full_name);
        }
    }
    Ok(())
}
