//! `orgwork generate`: a deterministic organization (demo, province or nation scale) into a
//! database, or as CSV files.

use super::actor;
use crate::db::DbArgs;
use crate::generate::{GenMember, Organization, Scale, generate, history_to, units_from};
use anyhow::{Context, Result};
use orgwork_domain::import::{COLUMNS, export_row};
use orgwork_domain::members::Status;
use orgwork_domain::structure::{Names, UnitCode};
use orgwork_store::{MemberHistory, NewUnit};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// demo (about 2,000 members), province (about 100,000) or nation (the 63 provinces before
    /// mid-2025, about 5.7 million).
    #[arg(long, value_enum)]
    scale: Scale,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write units.csv, members.csv and history.csv into this folder instead of a database,
    /// with the 2025 reform as mapping tables (mapping-2025-*.csv).
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Also write the work programmes of this year: every grassroots organization's (ten
    /// items, progress reported each quarter to September) and its parent's, approved.
    #[arg(long)]
    programmes: Option<i32>,
    /// Only the programmes, into a database that holds the same generated organization (same
    /// scale and seed) already.
    #[arg(long, requires = "programmes")]
    programmes_only: bool,
    /// Also write the inspection and supervision programmes of this year and the two before:
    /// every unit with units under it inspects or supervises about a third of them; those
    /// done by 30 September of this year concluded with their findings.
    #[arg(long)]
    inspections: Option<i32>,
    /// Only the inspection programmes, into a database that holds the same generated
    /// organization already.
    #[arg(long, requires = "inspections")]
    inspections_only: bool,
    #[command(flatten)]
    db: DbArgs,
}

async fn load_inspections(
    store: &dyn orgwork_store::Store,
    units: &[crate::generate::GenUnit],
    year: i32,
    seed: u64,
) -> Result<()> {
    let t = std::time::Instant::now();
    // The generated year stands as on its 30 September (as its work programmes' reports do):
    // the same seed gives the same inspections whatever the day it is run.
    let today = chrono::NaiveDate::from_ymd_opt(year, 9, 30).unwrap_or_default();
    let (mut programmes, mut inspections, mut findings) = (0, 0, 0);
    for y in year - 2..=year {
        let list = crate::generate::inspections::programmes(units, y, seed, today)?;
        programmes += list.len();
        inspections += list.iter().map(|p| p.inspections.len()).sum::<usize>();
        findings += list.iter().flat_map(|p| &p.inspections).map(|i| i.findings.len()).sum::<usize>();
        for slice in list.chunks(5_000) {
            store.load_inspections(&actor(), slice).await?;
        }
    }
    println!(
        "Loaded {programmes} inspection programmes of {}–{year} ({inspections} inspections, {findings} findings) in {:.1} s.",
        year - 2,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn load_programmes(
    store: &dyn orgwork_store::Store,
    units: &[crate::generate::GenUnit],
    year: i32,
    seed: u64,
) -> Result<()> {
    let t = std::time::Instant::now();
    let list = crate::generate::plans::programmes(units, year, seed)?;
    let items: usize = list.iter().map(|p| p.items.len()).sum();
    let reports: usize = list.iter().map(|p| p.reports.len()).sum();
    // In slices, each one transaction: the nation's some 600,000 items at once would hold the
    // writer for long, and its statement texts in memory.
    for slice in list.chunks(5_000) {
        store.load_programmes(&actor(), slice).await?;
    }
    println!(
        "Loaded {} programmes of {year} ({items} items, {reports} reports) in {:.1} s.",
        list.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:<10} {bar:40} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_string());
    bar
}

/// A member's status on a day.
fn status_on(m: &GenMember, day: chrono::NaiveDate) -> Option<Status> {
    m.statuses.iter().find(|(_, f, t)| *f <= day && t.is_none_or(|t| day < t)).map(|(s, _, _)| *s)
}

fn write_csv(org: &Organization, dir: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let open = |name: &str| -> Result<orgwork_tabular::CsvOut<std::io::BufWriter<std::fs::File>>> {
        let path = dir.join(name);
        let file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(orgwork_tabular::CsvOut::new(std::io::BufWriter::new(file))?)
    };
    let mut units = open("units.csv")?;
    units.row(&["code", "parent", "kind", "name_vi", "name_en", "valid_from"].map(String::from))?;
    for u in &org.units {
        let parent = u.parent.clone().unwrap_or_default();
        let en = u.name_en.clone().unwrap_or_default();
        units.row(&[u.code.clone(), parent, u.kind.to_string(), u.name_vi.clone(), en, units_from().to_string()])?;
    }
    units.finish()?;
    let bar = bar(org.members.len() as u64, "writing");
    let (mut members, mut history) = (open("members.csv")?, open("history.csv")?);
    members.row(&COLUMNS.map(String::from))?;
    history.row(&["card_number", "kind", "value", "from", "to"].map(String::from))?;
    let end = history_to();
    for (i, m) in org.members.iter().enumerate() {
        let unit = &org.units[m.units.last().map(|u| u.0).unwrap_or(0)].code;
        members.row(&export_row(&m.record, status_on(m, end), unit))?;
        let card = m.record.card_number.clone().unwrap_or_default();
        for (u, from, to) in &m.units {
            let to = to.map(|t| t.to_string()).unwrap_or_default();
            history.row(&[card.clone(), "unit".into(), org.units[*u].code.clone(), from.to_string(), to])?;
        }
        for (s, from, to) in &m.statuses {
            let to = to.map(|t| t.to_string()).unwrap_or_default();
            history.row(&[card.clone(), "status".into(), s.as_str().into(), from.to_string(), to])?;
        }
        if i % 10_000 == 0 {
            bar.set_position(i as u64);
        }
    }
    members.finish()?;
    history.finish()?;
    bar.finish_and_clear();
    let (provinces, districts, communes) = crate::generate::mapping_2025(org);
    for (name, rows) in [
        ("mapping-2025-provinces.csv", provinces),
        ("mapping-2025-districts.csv", districts),
        ("mapping-2025-communes.csv", communes),
    ] {
        let mut out = open(name)?;
        out.row(&orgwork_domain::restructure::MAPPING_COLUMNS.map(String::from))?;
        for r in rows {
            out.row(&r)?;
        }
        out.finish()?;
    }
    Ok(())
}

pub async fn run(args: Args) -> Result<()> {
    let t = std::time::Instant::now();
    let org = generate(args.scale, args.seed);
    eprintln!(
        "Generated {} units ({} cells) and {} members in {:.1} s.",
        org.units.len(),
        org.cells.len(),
        org.members.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(dir) = &args.csv {
        write_csv(&org, dir)?;
        println!("Wrote units.csv, members.csv, history.csv and the 2025 mapping tables into {}.", dir.display());
        return Ok(());
    }
    let store = args.db.open().await?;
    if args.programmes_only || args.inspections_only {
        if let Some(year) = args.programmes.filter(|_| args.programmes_only) {
            load_programmes(store.as_ref(), &org.units, year, args.seed).await?;
        }
        if let Some(year) = args.inspections.filter(|_| args.inspections_only) {
            load_inspections(store.as_ref(), &org.units, year, args.seed).await?;
        }
        return Ok(());
    }
    let units: Vec<NewUnit> = org
        .units
        .iter()
        .map(|u| {
            Ok(NewUnit {
                code: UnitCode::parse(&u.code)?,
                names: Names::parse(&u.name_vi, u.name_en.as_deref(), None)?,
                kind: u.kind.to_string(),
                parent: u.parent.as_deref().map(UnitCode::parse).transpose()?,
                valid_from: units_from(),
                decision: None,
            })
        })
        .collect::<Result<_>>()?;
    let bar_units = bar(units.len() as u64, "units");
    let n = store.load_units(&actor(), &units, &|_, done, _| bar_units.set_position(done)).await?;
    bar_units.finish_and_clear();
    eprintln!("Loaded {n} units in {:.1} s.", t.elapsed().as_secs_f64());
    let codes: Vec<UnitCode> = units.iter().map(|u| u.code.clone()).collect();
    let members: Vec<MemberHistory> = org
        .members
        .into_iter()
        .map(|m| MemberHistory {
            record: m.record,
            units: m.units.into_iter().map(|(u, f, t)| (codes[u].clone(), f, t)).collect(),
            statuses: m.statuses,
        })
        .collect();
    let bar_members = bar(members.len() as u64, "members");
    let progress = |stage: orgwork_store::ImportStage, done: u64, total: u64| {
        bar_members.set_message(format!("{stage:?}").to_lowercase());
        bar_members.set_length(total);
        bar_members.set_position(done);
    };
    let loaded = store.load_members(&actor(), &members, &progress).await?;
    bar_members.finish_and_clear();
    println!("Loaded {n} units and {loaded} members in {:.1} s.", t.elapsed().as_secs_f64());
    if let Some(year) = args.programmes {
        load_programmes(store.as_ref(), &org.units, year, args.seed).await?;
    }
    if let Some(year) = args.inspections {
        load_inspections(store.as_ref(), &org.units, year, args.seed).await?;
    }
    Ok(())
}
