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
use orgwork_store::{NewAmendment, NewReport, ProgrammeId};
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
    /// Close an approved programme (its year reviewed): nothing reported or amended after.
    Close {
        id: ProgrammeId,
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
    /// Amend an approved programme: change an item's fields, add an item, or withdraw one;
    /// recorded with the item before and after, the day and the reason.
    Amend {
        id: ProgrammeId,
        /// The item's code (a new code adds an item).
        item: String,
        #[arg(long)]
        reason: String,
        /// The day it takes effect (today when not given).
        #[arg(long, value_parser = date)]
        on: Option<NaiveDate>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        target: Option<f64>,
        #[arg(long, allow_hyphen_values = true)]
        baseline: Option<f64>,
        #[arg(long, value_parser = date)]
        deadline: Option<NaiveDate>,
        #[arg(long, value_parser = code)]
        responsible: Option<UnitCode>,
        #[arg(long)]
        weight: Option<f64>,
        /// Any other fields, as the item's JSON: '{"indicator": "count", "unit": "members"}'.
        #[arg(long)]
        changes: Option<String>,
        /// Withdraw the item.
        #[arg(long, conflicts_with_all = ["title", "target", "baseline", "deadline", "responsible", "weight", "changes"])]
        withdraw: bool,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Write a programme's items to a CSV or XLSX file (by the file's extension; CSV on the
    /// standard output without --out), in the columns `plan import` reads back.
    Export {
        id: ProgrammeId,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Vietnamese headings and names (vi), or the interface's (the default).
        #[arg(long, default_value = "en")]
        lang: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Every unit's completion for a year on a day: its approved programme's, counts carried
    /// up the tree, or the mean of its children's where it has none.
    Completion {
        #[arg(long)]
        year: i32,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        /// Only this unit's line.
        #[arg(long, value_parser = code)]
        unit: Option<UnitCode>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A programme's amendments, oldest first.
    History {
        id: ProgrammeId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
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
        Command::Close { id, on, db } => {
            let p = db.open().await?.close_programme(&actor(), id, on).await?;
            println!("Programme {} of {} for {} closed on {on}.", p.id, p.unit, p.year);
        }
        Command::Progress { id, item, value, on, note, evidence, db } => {
            let r =
                db.open().await?.report_progress(&actor(), id, NewReport { item, value, on, note, evidence }).await?;
            println!("Reported {} on {} for item {}.", r.value, r.on, r.item);
        }
        Command::Amend {
            id,
            item,
            reason,
            on,
            title,
            target,
            baseline,
            deadline,
            responsible,
            weight,
            changes,
            withdraw,
            db,
            json,
        } => {
            let mut fields: serde_json::Map<String, serde_json::Value> = match changes {
                Some(text) => serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("--changes: {e}"))?,
                None => Default::default(),
            };
            let mut set = |k: &str, v: serde_json::Value| fields.insert(k.to_string(), v);
            if let Some(v) = title {
                set("title", v.into());
            }
            if let Some(v) = target {
                set("target", v.into());
            }
            if let Some(v) = baseline {
                set("baseline", v.into());
            }
            if let Some(v) = deadline {
                set("deadline", v.to_string().into());
            }
            if let Some(v) = responsible {
                set("responsible", v.to_string().into());
            }
            if let Some(v) = weight {
                set("weight", v.into());
            }
            let store = db.open().await?;
            let p = store.programme(id).await?;
            let after = if withdraw {
                None
            } else {
                Some(orgwork_domain::plan::amended_item(p.items.iter().find(|i| i.code == item), &item, &fields)?)
            };
            let on = on.unwrap_or_else(|| chrono::Local::now().date_naive());
            let a = store.amend_programme(&actor(), id, NewAmendment { item, after, on, reason }).await?;
            if json {
                return output::json(&a);
            }
            let what = match (&a.before, &a.after) {
                (None, _) => "added",
                (_, None) => "withdrawn",
                _ => "amended",
            };
            println!("Item {} of programme {id} {what} from {}: {}.", a.item, a.on, a.reason);
        }
        Command::Export { id, out, lang, db } => {
            let vietnamese = match lang.as_str() {
                "vi" => true,
                "en" | "ar" => false,
                other => bail!("--lang: '{other}' is not en, vi or ar"),
            };
            let p = db.open().await?.programme(id).await?;
            let table = orgwork_domain::plan::item_table(&p.items, vietnamese);
            match out {
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&orgwork_tabular::write_csv(&table))?;
                }
                Some(path) => {
                    let xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
                    let bytes = if xlsx {
                        orgwork_tabular::write_xlsx(&table[0], &table[1..])?
                    } else {
                        orgwork_tabular::write_csv(&table)
                    };
                    std::fs::write(&path, bytes)?;
                    println!("Wrote {} items of programme {id} to {}.", p.items.len(), path.display());
                }
            }
        }
        Command::Completion { year, as_of, unit, db, json } => {
            let on = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            let t = std::time::Instant::now();
            let mut all = db.open().await?.roll_up(year, on).await?;
            let elapsed = t.elapsed();
            if let Some(u) = &unit {
                all.retain(|r| &r.unit == u);
            }
            if json {
                return output::json(&all);
            }
            for r in &all {
                let how = if r.own { "programme" } else { "units below" };
                println!("{:<24} {:>5.1} %  ({how})", r.unit, r.completion * 100.0);
            }
            eprintln!("{} units as of {on}, in {:.2} s.", all.len(), elapsed.as_secs_f64());
        }
        Command::History { id, db, json } => {
            let list = db.open().await?.amendments(id).await?;
            if json {
                return output::json(&list);
            }
            for a in &list {
                let what = match (&a.before, &a.after) {
                    (None, _) => "added",
                    (_, None) => "withdrawn",
                    _ => "amended",
                };
                println!("{}  item {:<8} {what:<9} by {}: {}", a.on, a.item, a.by, a.reason);
            }
            println!("{} amendments.", list.len());
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
