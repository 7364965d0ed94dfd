//! `orgwork unit …`: the structure from the command line, as of any date.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::{Names, UnitCode, parse_decision};
use orgwork_store::{Dated, NewUnit, Page};

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

#[derive(clap::Args)]
pub struct Common {
    #[command(flatten)]
    db: DbArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct AsOf {
    /// The date to answer for (YYYY-MM-DD); today when absent.
    #[arg(long, value_parser = date)]
    as_of: Option<NaiveDate>,
}

impl AsOf {
    fn day(&self) -> NaiveDate {
        self.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

#[derive(clap::Args)]
pub struct NameArgs {
    /// The name in Vietnamese (required).
    #[arg(long)]
    name_vi: String,
    /// The name in English.
    #[arg(long)]
    name_en: Option<String>,
    /// The name in Arabic.
    #[arg(long)]
    name_ar: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// List the root units, the children of a unit (--under), or the units matching --search.
    List {
        #[arg(long, value_parser = code)]
        under: Option<UnitCode>,
        #[arg(long)]
        search: Option<String>,
        #[command(flatten)]
        as_of: AsOf,
        /// At most this many units.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        #[command(flatten)]
        common: Common,
    },
    /// Show a unit: its names, kind, parent, life and path to the root.
    Show {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[command(flatten)]
        as_of: AsOf,
        #[command(flatten)]
        common: Common,
    },
    /// Print the tree below a unit.
    Tree {
        #[arg(value_parser = code)]
        code: UnitCode,
        /// How many levels below the unit; all when absent.
        #[arg(long)]
        depth: Option<u32>,
        #[command(flatten)]
        as_of: AsOf,
        #[command(flatten)]
        common: Common,
    },
    /// Create a unit.
    Create {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[command(flatten)]
        names: NameArgs,
        /// A unit kind of the profile (see GET /api/v1/profile).
        #[arg(long)]
        kind: String,
        /// The parent's code; none for a root.
        #[arg(long, value_parser = code)]
        parent: Option<UnitCode>,
        /// The first day of the unit's life.
        #[arg(long = "from", value_parser = date)]
        valid_from: NaiveDate,
        /// The decision that establishes it.
        #[arg(long)]
        decision: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Rename a unit from a date on.
    Rename {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[command(flatten)]
        names: NameArgs,
        #[arg(long, value_parser = date)]
        effective: NaiveDate,
        #[arg(long)]
        decision: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Move a unit (and all below it) under another parent from a date on.
    Move {
        #[arg(value_parser = code)]
        code: UnitCode,
        /// The new parent.
        #[arg(long, value_parser = code)]
        to: UnitCode,
        #[arg(long, value_parser = date)]
        effective: NaiveDate,
        #[arg(long)]
        decision: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Dissolve a unit from a date on (the first day it no longer exists).
    Dissolve {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[arg(long, value_parser = date)]
        effective: NaiveDate,
        #[arg(long)]
        decision: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// The members of a unit's subtree on a date: in all, by status and by category.
    Stats {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[command(flatten)]
        as_of: AsOf,
        /// Sum the counts of the units this one replaced (merged or absorbed into it later), so
        /// that a merged unit's figures before the merger can be read.
        #[arg(long)]
        lineage: bool,
        #[command(flatten)]
        common: Common,
    },
    /// The members admitted in a year under a unit.
    Admissions {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        common: Common,
    },
    /// Show a unit's own history: creation, renames, moves, dissolution.
    History {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[command(flatten)]
        common: Common,
    },
    /// Show a unit's lineage: the units it replaced and those that replaced it.
    Lineage {
        #[arg(value_parser = code)]
        code: UnitCode,
        #[command(flatten)]
        common: Common,
    },
}

fn names(n: &NameArgs) -> Result<Names> {
    Ok(Names::parse(&n.name_vi, n.name_en.as_deref(), n.name_ar.as_deref())?)
}

async fn all_pages<T, F, Fut>(limit: usize, mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = orgwork_store::Result<orgwork_store::Paged<T>>>,
{
    let mut out = Vec::new();
    let mut page = Page::first(Page::MAX_LIMIT);
    loop {
        let p = fetch(page.clone()).await?;
        out.extend(p.items);
        match p.next {
            Some(next) if out.len() < limit => page.after = Some(next),
            _ => break,
        }
    }
    out.truncate(limit);
    Ok(out)
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::List { under, search, as_of, limit, common } => {
            let store = common.db.open().await?;
            let day = as_of.day();
            let units = all_pages(limit, |page| {
                let store = store.clone();
                let (under, search) = (under.clone(), search.clone());
                async move {
                    match (under, search) {
                        (Some(u), _) => store.children(&u, day, page).await,
                        (None, Some(q)) => store.search_units(&q, day, None, page).await,
                        (None, None) => store.roots(day, page).await,
                    }
                }
            })
            .await?;
            if common.json {
                return output::json(&units);
            }
            for u in &units {
                println!("{}", output::unit_line(u));
            }
            if units.is_empty() {
                eprintln!("no unit on {day}");
            }
        }
        Command::Show { code, as_of, common } => {
            let store = common.db.open().await?;
            let day = as_of.day();
            let unit = store.unit(&code, day).await?;
            let path = store.ancestors(&code, day).await?;
            if common.json {
                return output::json(&serde_json::json!({ "unit": unit, "ancestors": path }));
            }
            print!("{}", output::unit_block(&unit, &path));
        }
        Command::Tree { code, depth, as_of, common } => {
            let store = common.db.open().await?;
            let day = as_of.day();
            let entries = all_pages(usize::MAX, |page| {
                let store = store.clone();
                let code = code.clone();
                async move { store.subtree(&code, day, depth, page).await }
            })
            .await?;
            if common.json {
                return output::json(&entries);
            }
            for e in &entries {
                println!("{}{}  {}", "  ".repeat(e.depth as usize), e.unit.code, e.unit.name.vi);
            }
        }
        Command::Create { code, names: n, kind, parent, valid_from, decision, common } => {
            let store = common.db.open().await?;
            let unit = store
                .create_unit(
                    &actor(),
                    NewUnit {
                        code,
                        names: names(&n)?,
                        kind,
                        parent,
                        valid_from,
                        decision: parse_decision(decision.as_deref())?,
                    },
                )
                .await?;
            report(&unit, common.json, "created")?;
        }
        Command::Rename { code, names: n, effective, decision, common } => {
            let store = common.db.open().await?;
            let change = Dated { code, effective, decision: parse_decision(decision.as_deref())? };
            let unit = store.rename_unit(&actor(), change, names(&n)?).await?;
            report(&unit, common.json, "renamed")?;
        }
        Command::Move { code, to, effective, decision, common } => {
            let store = common.db.open().await?;
            let change = Dated { code, effective, decision: parse_decision(decision.as_deref())? };
            let unit = store.move_unit(&actor(), change, to).await?;
            report(&unit, common.json, "moved")?;
        }
        Command::Dissolve { code, effective, decision, common } => {
            let store = common.db.open().await?;
            let change = Dated { code, effective, decision: parse_decision(decision.as_deref())? };
            let unit = store.dissolve_unit(&actor(), change).await?;
            report(&unit, common.json, "dissolved")?;
        }
        Command::Stats { code, as_of, lineage, common } => {
            let store = common.db.open().await?;
            let day = as_of.day();
            let stats = if lineage {
                let mut sum = orgwork_store::Stats::default();
                let units = store.predecessors(&code, day).await?;
                for p in &units {
                    sum.add(&store.stats(p, day).await?);
                }
                if !common.json {
                    let list: Vec<&str> = units.iter().map(|u| u.as_str()).collect();
                    println!("{code} through its lineage: {}", list.join(" + "));
                }
                sum
            } else {
                store.stats(&code, day).await?
            };
            if common.json {
                return output::json(&stats);
            }
            println!("{code} on {day}: {} members", stats.total);
            for (k, v) in &stats.by_status {
                println!("  {k:<20} {v}");
            }
            for (k, v) in &stats.by_category {
                println!("  {k:<20} {v}");
            }
        }
        Command::Admissions { code, year, common } => {
            let a = common.db.open().await?.admissions(&code, year).await?;
            if common.json {
                return output::json(&a);
            }
            println!(
                "{code} in {year}: {} admitted ({} young, {} students, {} women, {} of ethnic minorities)",
                a.admitted, a.young, a.students, a.women, a.ethnic_minority
            );
        }
        Command::History { code, common } => {
            let store = common.db.open().await?;
            let history = store.history(&code).await?;
            if common.json {
                return output::json(&history);
            }
            for h in &history {
                println!("{}", output::history_line(h));
            }
        }
        Command::Lineage { code, common } => {
            let store = common.db.open().await?;
            let lineage = store.lineage(&code).await?;
            if common.json {
                return output::json(&lineage);
            }
            if lineage.is_empty() {
                println!("{code} has no lineage: no restructuring replaced it or made it from others.");
            }
            for l in &lineage {
                println!(
                    "{}  {} ({}) {} {} ({})  [restructuring {}]",
                    l.day, l.from, l.from_name, l.relation, l.to, l.to_name, l.restructuring
                );
            }
        }
    }
    Ok(())
}

fn report(unit: &orgwork_domain::structure::Unit, json: bool, what: &str) -> Result<()> {
    if json {
        return output::json(unit);
    }
    println!("{} {what}.", unit.code);
    print!("{}", output::unit_block(unit, &[]));
    Ok(())
}
