//! `orgwork restructure …`: drafts (from a mapping table or a file of operations), the
//! continuity check, apply, undo.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::restructure::{Draft, ValidDraft, default_title, draft_from_mapping, mapping_rows};
use orgwork_store::{CheckReport, Restructuring};
use std::path::PathBuf;

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

#[derive(Subcommand)]
pub enum Command {
    /// Record a draft: from a TOML (or JSON) file of operations, or from mapping tables
    /// (`--mapping FILE.csv`, columns from,to,to_name,to_kind,to_parent). Prints its id.
    Plan {
        /// A file of operations (.toml or .json); needed for splits.
        file: Option<PathBuf>,
        /// Mapping tables (CSV or XLSX), read as one draft; may be given several times.
        #[arg(long)]
        mapping: Vec<PathBuf>,
        /// The effective date (for mapping tables).
        #[arg(long, value_parser = date)]
        effective: Option<NaiveDate>,
        #[arg(long)]
        title: Option<String>,
        /// The decision that orders it.
        #[arg(long)]
        decision: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Drafts and applied restructurings, newest first.
    List {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// One restructuring and its operations.
    Show {
        id: orgwork_store::DraftId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Run the continuity check and show the impact; fails when a rule is broken.
    Check {
        id: orgwork_store::DraftId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Check again and apply, all or nothing.
    Apply {
        id: orgwork_store::DraftId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Undo the most recent restructuring (refused if anything was recorded after it on the
    /// units it touched).
    Undo {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Reads a draft from the command's arguments.
pub fn read_draft(
    file: Option<&PathBuf>,
    mappings: &[PathBuf],
    effective: Option<NaiveDate>,
    title: Option<String>,
    decision: Option<String>,
) -> Result<ValidDraft> {
    match (file, mappings.is_empty()) {
        (Some(_), false) => bail!("give either a file of operations or --mapping tables, not both"),
        (None, true) => bail!("give a file of operations (.toml or .json) or --mapping FILE.csv"),
        (Some(f), true) => {
            let text = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            let draft = if f.extension().is_some_and(|e| e == "json") {
                serde_json::from_str::<Draft>(&text).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?.validate()
            } else {
                Draft::from_toml(&text)
            }
            .and_then(|d| d.with(title, effective, decision))
            .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
            Ok(draft)
        }
        (None, false) => {
            let Some(effective) = effective else { bail!("--effective DATE is needed with --mapping") };
            let mut rows = vec![];
            for m in mappings {
                let bytes = std::fs::read(m).with_context(|| format!("reading {}", m.display()))?;
                let cells = orgwork_tabular::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", m.display()))?;
                let more = mapping_rows(&cells).map_err(|e| anyhow::anyhow!("{}: {e}", m.display()))?;
                rows.push((m.clone(), more));
            }
            let all: Vec<_> = rows.iter().flat_map(|(_, r)| r.iter().cloned()).collect();
            let title = title.unwrap_or_else(|| default_title(effective));
            draft_from_mapping(&title, effective, decision, &all).map_err(|e| {
                let files: Vec<String> = rows.iter().map(|(p, _)| p.display().to_string()).collect();
                anyhow::anyhow!("{}: {e}", files.join(", "))
            })
        }
    }
}

fn print_restructuring(r: &Restructuring) {
    println!("Restructuring {}: {}", r.id, r.title);
    println!(
        "  effective {}{}",
        r.effective,
        r.decision.as_ref().map(|d| format!(", decision {d}")).unwrap_or_default()
    );
    let mut state = format!("  {} (planned by {} at {})", r.state, r.created_by, r.created_at);
    if let (Some(by), Some(at)) = (&r.applied_by, &r.applied_at) {
        state.push_str(&format!(", applied by {by} at {at}"));
    }
    if let Some(at) = &r.undone_at {
        state.push_str(&format!(", undone at {at}"));
    }
    println!("{state}");
    for (i, op) in r.operations.iter().enumerate() {
        println!("  {:>3}. {}", i + 1, op.summary());
    }
}

fn print_report(report: &CheckReport) {
    let i = &report.impact;
    println!(
        "Impact: {} units change; {} members concerned, {} move to another unit; {} transfers in progress redirected; {} committees.",
        i.units.len(),
        i.members_concerned,
        i.members_moved,
        i.transfers_redirected,
        i.committees
    );
    for u in &i.units {
        let to = if u.to.is_empty() {
            String::new()
        } else {
            format!(" → {}", u.to.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))
        };
        let moved = if u.members_moved > 0 { format!(", {} members move", u.members_moved) } else { String::new() };
        println!("  {:<16} {:<10} {}{to} ({} members before{moved})", u.code, u.change, u.name, u.members_before);
    }
    if !i.plan_items.is_empty() {
        println!("Open work-programme items that change hands: {}.", i.plan_items.len());
        for m in &i.plan_items {
            let to = m.to.as_ref().map_or("(no unit takes it over)".to_string(), |t| t.to_string());
            println!(
                "  programme {} ({}, {}) item {:<8} {} → {to}: {}",
                m.programme, m.programme_unit, m.year, m.item, m.from, m.title
            );
        }
    }
    if !i.follow_ups.is_empty() {
        println!("Open inspections and recommendations that change hands: {}.", i.follow_ups.len());
        for m in &i.follow_ups {
            let to = m.to.as_ref().map_or("(no unit takes it over)".to_string(), |t| t.to_string());
            println!("  {} {} of {}: {} → {to}: {}", m.kind, m.id, m.body, m.from, m.title);
        }
    }
    for t in &i.tree {
        let list =
            |v: &[orgwork_domain::structure::UnitCode]| v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" ");
        println!("  under {} ({}):", t.parent, t.parent_name);
        println!("    before: {}", list(&t.before));
        println!("    after:  {}", list(&t.after));
    }
    if report.failures.is_empty() {
        println!("Continuity check: passed ({} rules).", report.rules.len());
    } else {
        println!("Continuity check: {} failures.", report.failures.len());
        for f in &report.failures {
            let op = f.operation.map(|o| format!(" [operation {o}]")).unwrap_or_default();
            println!("  {}{op}: {}", f.rule.as_str(), f.message);
        }
    }
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Plan { file, mapping, effective, title, decision, db, json } => {
            let draft = read_draft(file.as_ref(), &mapping, effective, title, decision)?;
            let r = db.open().await?.create_restructuring(&actor(), draft).await?;
            if json {
                return output::json(&r);
            }
            println!("{}", r.id);
            eprintln!(
                "Draft {} recorded: {} operations effective {}. Next: orgwork restructure check {}",
                r.id,
                r.operations.len(),
                r.effective,
                r.id
            );
        }
        Command::List { db, json } => {
            let all = db.open().await?.restructurings().await?;
            if json {
                return output::json(&all);
            }
            for r in &all {
                println!(
                    "{:<20} {:<8} {}  {:>4} operations  {}",
                    r.id,
                    r.state,
                    r.effective,
                    r.operations.len(),
                    r.title
                );
            }
        }
        Command::Show { id, db, json } => {
            let r = db.open().await?.restructuring(id).await?;
            if json {
                return output::json(&r);
            }
            print_restructuring(&r);
        }
        Command::Check { id, db, json } => {
            let report = db.open().await?.check_restructuring(id).await?;
            if json {
                output::json(&report)?;
            } else {
                print_report(&report);
            }
            if !report.passed {
                bail!("restructuring {id} fails the continuity check ({} failures)", report.failures.len());
            }
        }
        Command::Apply { id, db, json } => {
            let report = db.open().await?.apply_restructuring(&actor(), id).await?;
            if json {
                output::json(&report)?;
            } else {
                print_report(&report);
            }
            if !report.applied {
                bail!(
                    "restructuring {id} was not applied: it fails the continuity check ({} failures)",
                    report.failures.len()
                );
            }
            if !json {
                println!("Applied restructuring {id}.");
            }
        }
        Command::Undo { db } => {
            let r = db.open().await?.undo_restructuring(&actor()).await?;
            println!("Undid restructuring {}: {} (effective {}).", r.id, r.title, r.effective);
        }
    }
    Ok(())
}
