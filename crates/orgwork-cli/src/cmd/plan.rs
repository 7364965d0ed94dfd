//! `orgwork plan …`: annual work programmes from the command line: import a programme's
//! items from a file, lint it, approve it, report progress, show where it stands.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{NewReport, ProgrammeId};
use std::path::PathBuf;

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_written_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

/// The largest file a programme is read from.
const MAX_FILE: u64 = 16 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// Read a programme's items from a CSV or XLSX file: a new draft of the unit for the year,
    /// or with --programme the draft's items replaced.
    Import {
        file: PathBuf,
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        #[arg(long)]
        year: i32,
        #[arg(long, default_value = "")]
        theme: String,
        /// Replace this draft's items instead (refused once it is approved).
        #[arg(long)]
        programme: Option<ProgrammeId>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Next year's draft from a programme: the same items and theme, deadlines a year on,
    /// nothing reported.
    Copy {
        id: ProgrammeId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// What keeps a programme from being counted (errors) and what reads vague (warnings).
    Lint {
        id: ProgrammeId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Approve a draft under a decision: refused, changing nothing, while the lint has errors.
    Approve {
        id: ProgrammeId,
        #[arg(long)]
        decision: String,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Report an item's progress (appended; earlier reports stay).
    Progress {
        id: ProgrammeId,
        item: String,
        #[arg(long, allow_hyphen_values = true)]
        value: f64,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        evidence: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Where a programme stands on a day: its completion, each item's achievement.
    Show {
        id: ProgrammeId,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Import { file, unit, year, theme, programme, db, json } => {
            let size = std::fs::metadata(&file)?.len();
            if size > MAX_FILE {
                bail!("{}: {size} bytes; a programme's file is at most {MAX_FILE}", file.display());
            }
            let cells = orgwork_tabular::read(&std::fs::read(&file)?)?;
            let items = match orgwork_domain::plan::read_items(&cells) {
                Ok(items) => items,
                Err(faults) => {
                    for e in &faults.errors {
                        eprintln!("row {}, column {} ('{}'): {}", e.row, e.column, e.value, e.reason);
                    }
                    bail!("{} faults; nothing was imported", faults.total);
                }
            };
            let store = db.open().await?;
            let p = match programme {
                Some(id) => store.replace_items(&actor(), id, items).await?,
                None => store.create_programme(&actor(), &unit, year, &theme, items).await?,
            };
            if json {
                return output::json(&p);
            }
            println!(
                "Programme {} of {} for {}: {} items, {}.",
                p.id,
                p.unit,
                p.year,
                p.items.len(),
                p.status.as_str()
            );
        }
        Command::Copy { id, db, json } => {
            let store = db.open().await?;
            let p = store.programme(id).await?;
            let items = orgwork_domain::plan::next_year(&p.items);
            let next = store.create_programme(&actor(), &p.unit, p.year + 1, &p.theme, items).await?;
            if json {
                return output::json(&next);
            }
            println!(
                "Programme {} of {} for {}: a draft of {} items.",
                next.id,
                next.unit,
                next.year,
                next.items.len()
            );
        }
        Command::Lint { id, db, json } => {
            let lint = db.open().await?.lint_programme(id).await?;
            if json {
                return output::json(&lint);
            }
            for (kind, list) in [("error", &lint.errors), ("warning", &lint.warnings)] {
                for f in list {
                    println!("{kind}: item {}, {}: {}", f.item, f.field, f.message);
                }
            }
            println!("{} errors, {} warnings.", lint.errors.len(), lint.warnings.len());
        }
        Command::Approve { id, decision, on, db } => {
            let store = db.open().await?;
            let lint = store.lint_programme(id).await?;
            if !lint.errors.is_empty() {
                for f in &lint.errors {
                    eprintln!("item {}, {}: {}", f.item, f.field, f.message);
                }
                bail!("programme {id} cannot be approved: {} errors; nothing was changed", lint.errors.len());
            }
            let p = store.approve_programme(&actor(), id, &decision, on).await?;
            println!("Programme {} approved on {on} ({decision}); it is locked.", p.id);
        }
        Command::Progress { id, item, value, on, note, evidence, db } => {
            let r =
                db.open().await?.report_progress(&actor(), id, NewReport { item, value, on, note, evidence }).await?;
            println!("Reported {} on {} for item {}.", r.value, r.on, r.item);
        }
        Command::Show { id, as_of, db, json } => {
            let on = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            let s = db.open().await?.programme_standing(id, on).await?;
            if json {
                return output::json(&s);
            }
            println!(
                "Programme {} of {} for {} ({}), as of {on}: {:.1} % done.",
                s.id,
                s.unit,
                s.year,
                s.status.as_str(),
                s.completion * 100.0
            );
            for it in &s.items {
                let flag = if it.overdue { "  OVERDUE" } else { "" };
                println!("  {:<10} {:>5.1} %  {}{flag}", it.code, it.achievement * 100.0, it.title);
            }
        }
    }
    Ok(())
}
