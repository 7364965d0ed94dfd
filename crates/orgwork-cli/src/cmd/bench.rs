//! `orgwork bench members`: times the member register's reads on a database, in-process, each
//! beside a baseline measured in the same run, and prints the figures. No timing is asserted
//! anywhere: the figures are for BENCHMARKS.md.

use crate::db::DbArgs;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{MemberFilter, Page};
use std::time::{Duration, Instant};

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

#[derive(Subcommand)]
pub enum Command {
    /// Subtree counts from the ledger beside a recount from the records; name search p50/p95.
    Members {
        /// The unit whose subtree to count and search (the root, say).
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        /// The past date to count as of.
        #[arg(long, value_parser = date)]
        as_of: NaiveDate,
        /// How many searches to time.
        #[arg(long, default_value_t = 200)]
        searches: usize,
        /// Time the searches only (the recount takes minutes at national scale; `bench counts`
        /// checks the counts against a plain query instead).
        #[arg(long)]
        search_only: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Subtree counts from the ledger beside a plain recursive query over the tree, for each
    /// unit on each date; fails if the two disagree.
    Counts {
        /// The units to count (the root, a province, a cell…).
        #[arg(long = "unit", value_parser = code, required = true)]
        units: Vec<UnitCode>,
        /// The dates to count as of.
        #[arg(long = "as-of", value_parser = date, required = true)]
        days: Vec<NaiveDate>,
        /// Runs of the ledger's count per unit and date.
        #[arg(long, default_value_t = 50)]
        runs: usize,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A congress's delegates shared among a unit's children from their members on a date
    /// (every method), beside the reads alone and a floating-point rounding of the quotas;
    /// and an election's round counted from a ballot file (`--ballots` ballots of
    /// `--candidates` names), beside reading the file and summing its columns.
    Congress {
        /// The unit whose children share the seats (the nation's root: its provinces).
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        #[arg(long, value_parser = date)]
        as_of: NaiveDate,
        #[arg(long, default_value_t = 1600)]
        seats: u64,
        #[arg(long, default_value_t = 1600)]
        ballots: usize,
        #[arg(long, default_value_t = 200)]
        candidates: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
        #[command(flatten)]
        db: DbArgs,
    },
    /// An election's round on the record: `--ballots` delegates present, `--candidates` on
    /// the list, the ballots entered as a file and the round counted from the database,
    /// beside the same ballots counted in memory. It writes a unit BENCH-ROUNDS, its
    /// congress and one election a run: give it a scratch database.
    Rounds {
        #[arg(long, default_value_t = 1600)]
        ballots: usize,
        #[arg(long, default_value_t = 200)]
        candidates: usize,
        #[arg(long, default_value_t = 10)]
        runs: usize,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A unit's counts from the ledger, and the sorted times of `runs` reads after a first one.
async fn timed_stats(
    store: &dyn orgwork_store::Store,
    unit: &UnitCode,
    day: NaiveDate,
    runs: usize,
) -> Result<(orgwork_store::Stats, Vec<Duration>)> {
    let mut stats = store.stats(unit, day).await?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        stats = store.stats(unit, day).await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((stats, times))
}

async fn counts(units: Vec<UnitCode>, days: Vec<NaiveDate>, runs: usize, db: DbArgs) -> Result<()> {
    let store = db.open().await?;
    println!("{:<24} {:<10} {:>9}  {:>22}  {:>16}", "unit", "as of", "members", "ledger p50 / p95", "query (baseline)");
    for unit in &units {
        for day in &days {
            let (stats, times) = timed_stats(store.as_ref(), unit, *day, runs).await?;
            let t = Instant::now();
            let query = store.count_by_query(unit, *day).await?;
            let query_time = t.elapsed();
            if query.total != stats.total || query.by_status != stats.by_status {
                bail!("{unit} on {day}: the ledger ({stats:?}) and the query ({query:?}) disagree");
            }
            println!(
                "{:<24} {:<10} {:>9}  {:>9} / {:>9}  {:>16}",
                unit.as_str(),
                day.to_string(),
                stats.total,
                ms(quantile(&times, 0.5)),
                ms(quantile(&times, 0.95)),
                ms(query_time)
            );
        }
    }
    Ok(())
}

pub async fn run(command: Command) -> Result<()> {
    let (unit, as_of, searches, search_only, db) = match command {
        Command::Counts { units, days, runs, db } => return counts(units, days, runs, db).await,
        Command::Congress { unit, as_of, seats, ballots, candidates, runs, db } => {
            return congress(unit, as_of, seats, ballots, candidates, runs, db).await;
        }
        Command::Rounds { ballots, candidates, runs, db } => return rounds(ballots, candidates, runs, db).await,
        Command::Members { unit, as_of, searches, search_only, db } => (unit, as_of, searches, search_only, db),
    };
    let store = db.open().await?;

    if !search_only {
        ledger_and_recount(store.as_ref(), &unit, as_of).await?;
    }
    search(store.as_ref(), &unit, as_of, searches).await
}

async fn ledger_and_recount(store: &dyn orgwork_store::Store, unit: &UnitCode, as_of: NaiveDate) -> Result<()> {
    // Counts: the ledger (many runs) beside the recount from the records (once: it is slow).
    let (stats, times) = timed_stats(store, unit, as_of, 50).await?;
    let t = Instant::now();
    let recount = store.recount(unit, as_of).await?;
    let recount_time = t.elapsed();
    if recount != stats {
        bail!("the ledger ({stats:?}) and the recount ({recount:?}) disagree");
    }
    println!("members of {unit} on {as_of}: {}", stats.total);
    println!("  counts from the ledger   p50 {}  p95 {}", ms(quantile(&times, 0.5)), ms(quantile(&times, 0.95)));
    println!("  baseline: recount        {}  (same answer)", ms(recount_time));
    Ok(())
}

async fn search(store: &dyn orgwork_store::Store, unit: &UnitCode, as_of: NaiveDate, searches: usize) -> Result<()> {
    // Search: fragments of names present in the subtree, typed without accents.
    let sample = store.members(Some(unit), as_of, &MemberFilter::default(), Page::first(1000)).await?;
    if sample.items.is_empty() {
        bail!("no member in {unit} on {as_of} to search for");
    }
    let mut times = vec![];
    let mut found = 0usize;
    for i in 0..searches {
        let m = &sample.items[(i * 7919) % sample.items.len()];
        let words: Vec<String> = orgwork_domain::text::fold(&m.full_name).split(' ').map(str::to_string).collect();
        let query =
            if words.len() >= 2 { format!("{} {}", words[0], words[words.len() - 1]) } else { words[0].clone() };
        let filter = MemberFilter { query: Some(query), ..Default::default() };
        let t = Instant::now();
        let page = store.members(Some(unit), as_of, &filter, Page::first(20)).await?;
        times.push(t.elapsed());
        found += usize::from(!page.items.is_empty());
    }
    times.sort();
    let t = Instant::now();
    let _ = store.members(Some(unit), as_of, &MemberFilter::default(), Page::first(20)).await?;
    let plain = t.elapsed();
    println!("name search ({searches} queries, {found} with results)");
    // The slowest search shows what reading the unit tree into memory cost, when this run's
    // searches climbed enough of it for that to pay (`orgwork_store::tree`).
    println!(
        "  p50 {}  p95 {}  slowest {}",
        ms(quantile(&times, 0.5)),
        ms(quantile(&times, 0.95)),
        ms(times.last().copied().unwrap_or_default())
    );
    println!("  baseline: first page of the list without a query  {}", ms(plain));
    // The worst case: a name no member has, so that every member of the subtree is read.
    let mut times = vec![];
    for i in 0..20 {
        let filter = MemberFilter { query: Some(format!("khong ai ten {i}")), ..Default::default() };
        let t = Instant::now();
        let page = store.members(Some(unit), as_of, &filter, Page::first(20)).await?;
        times.push(t.elapsed());
        if !page.items.is_empty() {
            bail!("a name no member has was found");
        }
    }
    times.sort();
    println!(
        "name search for a name nobody has (20 queries): p50 {}  p95 {}",
        ms(quantile(&times, 0.5)),
        ms(quantile(&times, 0.95))
    );
    Ok(())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    quantile(&times, 0.5)
}

/// `bench congress`: see the command's help.
async fn congress(
    unit: UnitCode,
    as_of: NaiveDate,
    seats: u64,
    ballots: usize,
    candidates: usize,
    runs: usize,
    db: DbArgs,
) -> Result<()> {
    use orgwork_domain::congress::{Apportion, Base, Count, Method, Votes, ballots_from_cells};
    let store = db.open().await?;
    let runs = runs.max(1);
    // The reads alone: each child's members on the day.
    let mut reads = vec![];
    let mut below = vec![];
    for _ in 0..runs {
        let t = Instant::now();
        below = orgwork_store::members_below(store.as_ref(), &unit, as_of).await?;
        reads.push(t.elapsed());
    }
    let units: Vec<(String, u64)> = below.iter().map(|(u, m)| (u.code.to_string(), *m)).collect();
    let total: u64 = units.iter().map(|(_, m)| m).sum();
    println!("{} units below {unit} on {as_of}, {total} members; {seats} seats", units.len());
    println!("  baseline: the members of each (the reads)      median {}", ms(median(reads)));
    // Baseline: the quotas rounded in floating point (no method, no ties).
    let mut naive = vec![];
    for _ in 0..runs {
        let t = Instant::now();
        let q: u64 = units.iter().map(|(_, m)| (seats as f64 * *m as f64 / total.max(1) as f64).round() as u64).sum();
        std::hint::black_box(q);
        naive.push(t.elapsed());
    }
    println!("  baseline: quotas rounded in floating point     median {}", ms(median(naive)));
    for method in [Method::Hamilton, Method::Dhondt, Method::SainteLague, Method::HuntingtonHill] {
        let mut times = vec![];
        let mut ties = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let below = orgwork_store::members_below(store.as_ref(), &unit, as_of).await?;
            let units = below.into_iter().map(|(u, m)| (u.code.to_string(), m)).collect();
            let ask = Apportion { method, seats, min: 0, base: 0, per: 0, ex_officio: 0, units };
            let r = ask.run()?;
            ties = r.ties.len();
            times.push(t.elapsed());
        }
        println!(
            "  orgwork congress apportion --method {:<16} median {} (reads included; {ties} tie(s))",
            method.as_str(),
            ms(median(times))
        );
    }
    // The ballots: each keeps about nine in ten names (some keep too many and are invalid).
    let keep = candidates.saturating_sub(candidates / 10).max(1) as u64;
    let mut csv = (0..candidates).map(|i| format!("Ứng cử viên {i:03}")).collect::<Vec<_>>().join(",");
    csv.push('\n');
    for b in bench_ballots(ballots, candidates) {
        let row: Vec<&str> = b.iter().map(|k| if *k { "1" } else { "0" }).collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let bytes = csv.into_bytes();
    println!("{ballots} ballots of {candidates} candidates for {keep} seats ({} bytes of CSV)", bytes.len());
    let mut parse = vec![];
    let mut sums = vec![];
    let mut counts = vec![];
    let mut elected = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let cells = orgwork_tabular::read(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
        parse.push(t.elapsed());
        let t = Instant::now();
        let mut col = vec![0u64; candidates];
        for row in &cells[1..] {
            for (c, x) in col.iter_mut().zip(row) {
                *c += u64::from(x == "1");
            }
        }
        std::hint::black_box(&col);
        sums.push(t.elapsed() + *parse.last().unwrap_or(&Duration::ZERO));
        let t = Instant::now();
        let cells = orgwork_tabular::read(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (names, list) = ballots_from_cells(&cells)?;
        let count = Count {
            seats: keep,
            base: Base::Convened,
            convened: Some(ballots as u64),
            present: Some(ballots as u64),
            issued: None,
            candidates: names,
            votes: Votes::Ballots(list),
        };
        let r = count.run()?;
        elected = r.elected.len();
        counts.push(t.elapsed());
    }
    println!("  baseline: reading the file                     median {}", ms(median(parse)));
    println!("  baseline: reading it and summing its columns   median {}", ms(median(sums)));
    println!("  orgwork congress count (read, check, count)    median {} ({elected} elected)", ms(median(counts)));
    Ok(())
}

/// Ballots where each keeps about nine in ten names (some keep too many and are invalid).
fn bench_ballots(ballots: usize, candidates: usize) -> Vec<Vec<bool>> {
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    (0..ballots).map(|_| (0..candidates).map(|_| next() % 100 < 88).collect()).collect()
}

async fn rounds(ballots: usize, candidates: usize, runs: usize, db: DbArgs) -> Result<()> {
    use orgwork_domain::congress::{
        Attendance, Candidate, CongressKind, Count, Delegate, DelegateKind, Nomination, TermCode, Votes,
    };
    let store = db.open().await?;
    let actor = orgwork_store::Actor::cli();
    let code = UnitCode::parse("BENCH-ROUNDS")?;
    let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    let on = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
    if store.unit(&code, on).await.is_err() {
        let names = orgwork_domain::structure::Names { vi: "Đơn vị đo kiểm phiếu".into(), en: None, ar: None };
        let new = orgwork_store::NewUnit {
            code: code.clone(),
            names,
            kind: "provincial_committee".into(),
            parent: None,
            valid_from: from,
            decision: None,
        };
        store.create_unit(&actor, new).await?;
    }
    let term = TermCode::parse("2025-2030")?;
    let schedule = store.schedule(term, &code, on).await?;
    let congress = match schedule.congresses.iter().find(|c| c.unit == code) {
        Some(c) => c.id,
        None => {
            let new = orgwork_store::NewCongress {
                term,
                unit: code.clone(),
                kind: CongressKind::Delegates,
                number: None,
                planned_on: on,
                pilot: false,
            };
            let c = store.plan_congress(&actor, new).await?;
            let delegates = (0..ballots)
                .map(|i| Delegate {
                    name: format!("Đại biểu {i:05}"),
                    kind: DelegateKind::ExOfficio,
                    unit: None,
                    attendance: Attendance::Present,
                    replaces: None,
                })
                .collect();
            store.set_delegates(&actor, c.id, delegates).await?;
            c.id
        }
    };
    let seats = candidates.saturating_sub(candidates / 10).max(1) as u64;
    let names: Vec<String> = (0..candidates).map(|i| format!("Ứng cử viên {i:03}")).collect();
    let list: Vec<Candidate> = names
        .iter()
        .map(|n| Candidate { name: n.clone(), nomination: Nomination::List, support: None, withdrawn: false })
        .collect();
    let votes = bench_ballots(ballots, candidates);
    println!("{ballots} delegates present, {candidates} candidates for {seats} seats");
    let (mut memory, mut entered, mut counted) = (vec![], vec![], vec![]);
    let mut elected = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let base = store.profile().congress.base;
        let r = Count {
            seats,
            base,
            convened: Some(ballots as u64),
            present: Some(ballots as u64),
            issued: None,
            candidates: names.clone(),
            votes: Votes::Ballots(votes.clone()),
        }
        .run()?;
        std::hint::black_box(&r);
        memory.push(t.elapsed());
        let e = store.create_election(&actor, congress, "Ban Chấp hành", seats).await?;
        store.set_candidates(&actor, e.id, list.clone()).await?;
        store.open_round(&actor, e.id).await?;
        let t = Instant::now();
        store.set_ballots(&actor, e.id, 1, votes.clone()).await?;
        entered.push(t.elapsed());
        let t = Instant::now();
        let rounds = store.count_round(&actor, e.id, 1, None).await?;
        counted.push(t.elapsed());
        elected = rounds[0].result.as_ref().map_or(0, |t| t.elected.len());
    }
    println!("  baseline: the ballots counted in memory         median {}", ms(median(memory)));
    println!("  orgwork congress enter --ballots (the write)    median {}", ms(median(entered)));
    println!("  orgwork congress count-round (from the record)  median {} ({elected} elected)", ms(median(counted)));
    Ok(())
}
