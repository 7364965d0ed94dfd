//! `orgwork import members FILE` and `orgwork export members`: the member register in and out
//! of CSV and XLSX files.

use super::actor;
use crate::db::DbArgs;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::import::{export_row, read_rows_in};
use orgwork_domain::structure::UnitCode;
use std::io::Write;
use std::path::PathBuf;

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import members from a CSV or XLSX file: all rows or none. A row whose card number (or
    /// else national ID) matches a member updates that member; others join their row's unit,
    /// or --unit.
    Members {
        file: PathBuf,
        /// The unit of rows without a unit column.
        #[arg(long, value_parser = code)]
        unit: Option<UnitCode>,
        /// Check the file and report what would happen, changing nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Export the members of a unit's subtree (CSV or XLSX) in the columns the import reads.
    Members {
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        #[arg(long, default_value = "csv", value_parser = ["csv", "xlsx"])]
        format: String,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        /// The file to write; standard output when absent.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Headings and coded values (sex, occupation, status…) by their names in this
        /// language; the codes when absent. Either imports back unchanged.
        #[arg(long, value_parser = ["en", "vi", "ar"])]
        lang: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run_import(command: ImportCommand) -> Result<()> {
    let ImportCommand::Members { file, unit, dry_run, db, json } = command;
    let clock = std::time::Instant::now();
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let store = db.open().await?;
    let table = orgwork_tabular::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    tracing::debug!(rows = table.len(), ms = clock.elapsed().as_millis() as u64, "import: file read");
    let bar = indicatif::ProgressBar::new(table.len().saturating_sub(1) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} rows")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("checking");
    let rows = match read_rows_in(store.profile(), orgwork_web::ui::labels::vocabulary(), &table) {
        Ok(rows) => rows,
        Err(faults) => {
            bar.finish_and_clear();
            if json {
                crate::output::json(&serde_json::json!({ "errors": faults.errors, "error_count": faults.total }))?;
            }
            for e in &faults.errors {
                eprintln!("row {}, column {}: '{}' {}", e.row, e.column, e.value, e.reason);
            }
            bail!("{}: {} faults; nothing was imported", file.display(), faults.total);
        }
    };
    tracing::debug!(ms = clock.elapsed().as_millis() as u64, "import: rows read");
    let progress = |stage: orgwork_store::ImportStage, done: u64, total: u64| {
        use orgwork_store::ImportStage::*;
        bar.set_message(match (stage, dry_run) {
            (Checking, _) => "checking",
            (Writing, true) => "trying",
            (Writing, false) => "writing",
            (Counting, _) => "counting",
        });
        bar.set_length(total);
        bar.set_position(done);
    };
    let everything = orgwork_store::ImportScope::default();
    let report =
        store.import_members_with_progress(&actor(), &rows, unit.as_ref(), dry_run, &everything, &progress).await?;
    bar.finish_and_clear();
    if json {
        crate::output::json(&report)?;
    }
    if !report.errors.is_empty() {
        for e in &report.errors {
            eprintln!("row {}, column {}: '{}' {}", e.row, e.column, e.value, e.reason);
        }
        bail!("{}: {} faults; nothing was imported", file.display(), report.error_count);
    }
    if !json {
        let verb = if dry_run { "would create" } else { "created" };
        println!(
            "{}: {verb} {}, updated {}, unchanged {}.",
            file.display(),
            report.created,
            report.updated,
            report.unchanged
        );
    }
    Ok(())
}

pub async fn run_export(command: ExportCommand) -> Result<()> {
    let ExportCommand::Members { unit, format, as_of, output, lang, db } = command;
    let tr = lang.as_deref().map(orgwork_web::ui::i18n::Tr::new);
    let store = db.open().await?;
    let on = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let heading = orgwork_web::ui::labels::export_heading(tr);
    // CSV goes out a page at a time; XLSX is assembled in memory (the format is one archive).
    let mut csv = if format == "csv" {
        let out: Box<dyn Write> = match &output {
            Some(path) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?,
            )),
            None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        Some(orgwork_tabular::CsvOut::new(out).context("writing the export")?)
    } else {
        None
    };
    if let Some(w) = csv.as_mut() {
        w.row(&heading).context("writing the export")?;
    }
    let mut kept: Vec<Vec<String>> = vec![];
    let mut count = 0usize;
    let mut page = orgwork_store::Page::first(orgwork_store::Page::MAX_LIMIT);
    loop {
        let p = store.member_records(&unit, on, page.clone()).await?;
        for (r, st, u) in &p.items {
            let row = orgwork_web::ui::labels::export_values(store.profile(), tr, export_row(r, Some(*st), u.as_str()));
            match csv.as_mut() {
                Some(w) => w.row(&row).context("writing the export")?,
                None => kept.push(row),
            }
            count += 1;
        }
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    match csv {
        Some(w) => w.finish().context("writing the export")?,
        None => {
            let bytes = orgwork_tabular::write_xlsx(&heading, &kept)?;
            match &output {
                Some(path) => std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?,
                None => std::io::stdout().write_all(&bytes).context("writing to standard output")?,
            }
        }
    }
    if let Some(path) = &output {
        eprintln!("{count} members of {unit} on {on} written to {}.", path.display());
    }
    Ok(())
}
