//! `orgwork congress …`: the sharing of a congress's delegates among the units below
//! (`apportion`, from a file or from the register as of a date) and the count of an
//! election's round (`count`, from the ballots one by one or from tallies); the terms and each
//! unit's congress in a term (`plan`, `change`, `hold`, `cancel`, `show`, `terms`) and the
//! term's schedule with its check (`schedule`); delegates, elections and candidate lists;
//! an election's rounds (`open-round`, `enter`, `count-round`, `rounds`, `publish`).

use crate::cmd::inspection::who;
use crate::db::DbArgs;
use crate::output;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::congress::{
    Apportion, Apportionment, Base, CongressKind, Count, Method, Round, RoundStatus, RoundTally, Tally, TermCode,
    VoteEntry, Votes, ballots_from_cells, candidates_from_cells, delegates_from_cells, order_ballots, order_votes,
    tally_from_cells, units_from_cells,
};
use orgwork_domain::date::parse_written_date;
use orgwork_domain::structure::UnitCode;
use orgwork_domain::{CongressId, ElectionId};
use orgwork_store::{Congress, CongressChange, NewCongress, Schedule};
use std::path::{Path, PathBuf};

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_written_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

fn method(s: &str) -> Result<Method, String> {
    Method::parse(s).ok_or_else(|| format!("'{s}': give hamilton, dhondt, sainte-lague, huntington-hill or ratio"))
}

fn base(s: &str) -> Result<Base, String> {
    Base::parse(s).ok_or_else(|| format!("'{s}': give convened, present, valid or cast"))
}

fn term(s: &str) -> Result<TermCode, String> {
    TermCode::parse(s).map_err(|e| e.message)
}

fn kind(s: &str) -> Result<CongressKind, String> {
    CongressKind::parse(s).map_err(|e| e.message)
}

/// The largest file read (a ballot file of a large congress is well under it).
const MAX_FILE: u64 = 64 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// Share a congress's delegates among units in proportion to their members. A tie for
    /// the last seats is reported (the units and the seats they contend for) and those seats
    /// are left unassigned.
    Apportion {
        /// The seats to share (not with the ratio rule, whose total follows from the members).
        #[arg(long)]
        seats: Option<u64>,
        #[arg(long, value_parser = method)]
        method: Method,
        /// At least K seats each; the method shares the rest going on from K (the U.S.
        /// House's rule is Huntington-Hill with --min 1).
        #[arg(long, default_value_t = 0)]
        min: u64,
        /// K seats each first; the method shares the rest from nothing. With the ratio rule:
        /// the seats each unit has before those per members.
        #[arg(long, default_value_t = 0)]
        base: u64,
        /// The ratio rule's members per seat (one more when the remainder is over half).
        #[arg(long)]
        per: Option<u64>,
        /// Delegates on top of those shared (the convening committee's members).
        #[arg(long, default_value_t = 0)]
        ex_officio: u64,
        /// A CSV or XLSX file with the columns unit and members (others are ignored).
        #[arg(long, conflicts_with_all = ["unit", "as_of"])]
        input: Option<PathBuf>,
        /// The unit whose children share the seats, with their members as of --as-of.
        #[arg(long, value_parser = code, requires = "as_of")]
        unit: Option<UnitCode>,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Count a round of an election: a ballot keeps the names it does not cross out and is
    /// valid when it keeps no more names than seats; a candidate passes with more than half of
    /// the base; if more pass than seats the most voted win, and a tie at the last seat elects
    /// none of the tied.
    Count {
        #[arg(long)]
        seats: u64,
        /// What a candidate needs more than half of (the profile's `congress.base` when absent).
        #[arg(long, value_parser = base)]
        base: Option<Base>,
        /// The delegates convened (less those absent from the whole congress).
        #[arg(long)]
        convened: Option<u64>,
        #[arg(long)]
        present: Option<u64>,
        /// The ballots handed out (for the minutes).
        #[arg(long)]
        issued: Option<u64>,
        /// A CSV or XLSX file: the heading row names the candidates, each further row is a
        /// ballot (1 for a name kept, 0 or empty for one crossed out).
        #[arg(long, required_unless_present = "tally", conflicts_with = "tally")]
        ballots: Option<PathBuf>,
        /// Instead of ballots: a file with the columns candidate and votes, with --cast and
        /// --valid.
        #[arg(long, requires_all = ["cast", "valid"])]
        tally: Option<PathBuf>,
        #[arg(long)]
        cast: Option<u64>,
        #[arg(long)]
        valid: Option<u64>,
        /// Take --convened and --present (when not given) from this congress's credentials on
        /// the record.
        #[arg(long)]
        congress: Option<CongressId>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Plan a unit's congress in a term (the first congress of a term opens it).
    Plan {
        /// The term: 2025-2030.
        #[arg(long, value_parser = term)]
        term: TermCode,
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        /// The day planned.
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        /// members (all the unit's members) or delegates (elected below).
        #[arg(long, value_parser = kind, default_value = "members")]
        kind: CongressKind,
        /// Its number in the unit's series (16 for the 16th congress).
        #[arg(long)]
        number: Option<u32>,
        /// A pilot congress, held before the others of its level.
        #[arg(long)]
        pilot: bool,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Change a planned congress: its day, pilot flag, kind or number.
    Change {
        id: CongressId,
        #[arg(long, value_parser = date)]
        on: Option<NaiveDate>,
        #[arg(long)]
        pilot: Option<bool>,
        #[arg(long, value_parser = kind)]
        kind: Option<CongressKind>,
        #[arg(long)]
        number: Option<u32>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Record a planned congress held on a day.
    Hold {
        id: CongressId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Cancel a planned congress, with the reason.
    Cancel {
        id: CongressId,
        #[arg(long)]
        reason: String,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// One congress.
    Show {
        id: CongressId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A congress's delegates and their credentials: with --input, the list is replaced by a
    /// CSV or XLSX file's (columns name, kind = elected|ex_officio|substitute, and optionally
    /// unit, attendance = convened|present|absent, replaces = the number of the absent
    /// elected delegate a substitute is seated for); without, shown.
    Delegates {
        id: CongressId,
        #[arg(long)]
        input: Option<PathBuf>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Open an election at a congress: what it elects (its committee, its delegates to the
    /// congress above) and the seats.
    Election {
        congress: CongressId,
        #[arg(long)]
        title: String,
        #[arg(long)]
        seats: u64,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// An election's candidate list and its review (the ballot, the surplus rule, the floor
    /// nominations that enter): with --input, replaced by a file's (columns name, and
    /// optionally nomination = list|floor, support, withdrawn); without, shown.
    Candidates {
        election: ElectionId,
        #[arg(long)]
        input: Option<PathBuf>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A congress's elections with their lists reviewed.
    Elections {
        congress: CongressId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A congress's apportionment on the record: with --method, the congress's delegates are
    /// shared among the units directly below its unit from their members on --as-of, and
    /// recorded (replacing the record before); without, the record is shown.
    Apportionment {
        congress: CongressId,
        #[arg(long, value_parser = method, requires = "as_of")]
        method: Option<Method>,
        #[arg(long)]
        seats: Option<u64>,
        #[arg(long, default_value_t = 0)]
        min: u64,
        #[arg(long, default_value_t = 0)]
        base: u64,
        #[arg(long)]
        per: Option<u64>,
        #[arg(long, default_value_t = 0)]
        ex_officio: u64,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Decide a tie of a congress's recorded apportionment: the units (of those contending)
    /// that take its seats, one each (--unit once per seat), and why.
    Decide {
        congress: CongressId,
        /// The tie's number, from 1, as the apportionment lists them.
        #[arg(long)]
        tie: u32,
        #[arg(long = "unit", required = true)]
        units: Vec<String>,
        #[arg(long)]
        reason: String,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Open an election's first round from its candidate list's ballot (the list must keep
    /// the surplus rule; it is frozen from then on).
    OpenRound {
        election: ElectionId,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Enter an open round's votes, replacing any entered: --ballots FILE (the heading row
    /// names the round's candidates, each further row is a ballot, 1 for a name kept, 0 or
    /// empty for one crossed out), or --tally FILE (columns candidate,votes) with --cast and
    /// --valid. The round is the open one unless --round names it.
    Enter {
        election: ElectionId,
        #[arg(long)]
        round: Option<u32>,
        #[arg(long)]
        ballots: Option<PathBuf>,
        #[arg(long)]
        tally: Option<PathBuf>,
        #[arg(long)]
        cast: Option<u64>,
        #[arg(long)]
        valid: Option<u64>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Count an open round on the profile's base with the congress's credentials; when seats
    /// are left and candidates remain, the next round opens with them.
    CountRound {
        election: ElectionId,
        #[arg(long)]
        round: Option<u32>,
        /// The ballots handed out, for the minutes.
        #[arg(long)]
        issued: Option<u64>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// An election's rounds: the names on each ballot, the votes entered, the counts.
    Rounds {
        election: ElectionId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Publish an election's results (a round counted) to every reader of its congress.
    Publish {
        election: ElectionId,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// The terms, the latest first, with their congresses on the record.
    Terms {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A term's congresses in a unit's subtree in the order of their days, and the schedule
    /// check: each unit's congress after its children's (the profile's margin), every child
    /// with one, pilots before the others of their level. Exits with 1 when a rule is broken.
    Schedule {
        #[arg(long, value_parser = term)]
        term: TermCode,
        #[arg(long, value_parser = code)]
        unit: UnitCode,
        /// The day whose tree gives the subtree (today when absent).
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

fn read_cells(path: &Path) -> Result<Vec<Vec<String>>> {
    let size = std::fs::metadata(path).with_context(|| path.display().to_string())?.len();
    if size > MAX_FILE {
        bail!("{}: {size} bytes; a file is at most {MAX_FILE}", path.display());
    }
    let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
    orgwork_tabular::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub async fn run(c: Command) -> Result<()> {
    match c {
        Command::Apportion { seats, method, min, base, per, ex_officio, input, unit, as_of, db, json } => {
            let (units, names) = match (input, unit, as_of) {
                (Some(file), None, None) => {
                    let units = units_from_cells(&read_cells(&file)?)?;
                    let names = vec![String::new(); units.len()];
                    (units, names)
                }
                (None, Some(unit), Some(as_of)) => {
                    let store = db.open().await?;
                    let below = orgwork_store::members_below(store.as_ref(), &unit, as_of).await?;
                    if below.is_empty() {
                        bail!("{unit} has no units below it on {as_of}");
                    }
                    let names = below.iter().map(|(u, _)| u.name.vi.clone()).collect();
                    (below.into_iter().map(|(u, m)| (u.code.to_string(), m)).collect(), names)
                }
                _ => bail!("give --input FILE, or --unit CODE with --as-of DATE"),
            };
            if method != Method::Ratio && seats.is_none() {
                bail!("--seats: give the seats to share");
            }
            let ask =
                Apportion { method, seats: seats.unwrap_or(0), min, base, per: per.unwrap_or(0), ex_officio, units };
            let r = ask.run()?;
            if json {
                return output::json(&r);
            }
            print_apportionment(&r, &names);
            Ok(())
        }
        Command::Count { seats, base, convened, present, issued, ballots, tally, cast, valid, congress, db, json } => {
            let base = match base {
                Some(b) => b,
                None => db.profile.load()?.congress.base,
            };
            let (convened, present) = match congress {
                Some(id) => {
                    let c = db.open().await?.delegates(id).await?.credentials;
                    (convened.or(Some(c.convened)), present.or(Some(c.present)))
                }
                None => (convened, present),
            };
            let (candidates, votes) = match (ballots, tally) {
                (Some(file), None) => {
                    let (candidates, list) = ballots_from_cells(&read_cells(&file)?)?;
                    (candidates, Votes::Ballots(list))
                }
                (None, Some(file)) => {
                    let (candidates, votes) = tally_from_cells(&read_cells(&file)?)?;
                    let (Some(cast), Some(valid)) = (cast, valid) else { bail!("--tally needs --cast and --valid") };
                    (candidates, Votes::Tally { cast, valid, votes })
                }
                _ => bail!("give --ballots FILE or --tally FILE"),
            };
            let t = Count { seats, base, convened, present, issued, candidates, votes }.run()?;
            if json {
                return output::json(&t);
            }
            print_tally(&t);
            Ok(())
        }
        Command::Plan { term, unit, on, kind, number, pilot, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let c = store.plan_congress(&by, NewCongress { term, unit, kind, number, planned_on: on, pilot }).await?;
            show(&c, json)
        }
        Command::Change { id, on, pilot, kind, number, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let c = store.change_congress(&by, id, CongressChange { planned_on: on, pilot, kind, number }).await?;
            show(&c, json)
        }
        Command::Hold { id, on, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            show(&store.hold_congress(&by, id, on).await?, json)
        }
        Command::Cancel { id, reason, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            show(&store.cancel_congress(&by, id, &reason).await?, json)
        }
        Command::Show { id, db, json } => show(&db.open().await?.congress(id).await?, json),
        Command::Delegates { id, input, as_user, db, json } => {
            let store = db.open().await?;
            let list = match input {
                Some(file) => {
                    let by = who(store.as_ref(), as_user).await?;
                    let list = delegates_from_cells(&read_cells(&file)?)?;
                    store.set_delegates(&by, id, list).await?
                }
                None => store.delegates(id).await?,
            };
            if json {
                return output::json(&list);
            }
            for (i, d) in list.delegates.iter().enumerate() {
                let seat = d.replaces.map(|r| format!(", seated for {r}")).unwrap_or_default();
                println!(
                    "{:>5}  {:<32} {:<10} {:<9} {}{seat}",
                    i + 1,
                    d.name,
                    d.kind.as_str(),
                    d.attendance.as_str(),
                    d.unit.as_deref().unwrap_or("")
                );
            }
            let c = list.credentials;
            println!(
                "Summoned {} ({} elected, {} ex officio); absent {}; convened {}; present {}; substitutes {} ({} seated).",
                c.summoned,
                c.elected,
                c.ex_officio,
                c.absent,
                c.convened,
                c.present,
                c.substitutes,
                c.seated_substitutes
            );
            Ok(())
        }
        Command::Election { congress, title, seats, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let e = store.create_election(&by, congress, &title, seats).await?;
            show_election(&e, json)
        }
        Command::Candidates { election, input, as_user, db, json } => {
            let store = db.open().await?;
            let e = match input {
                Some(file) => {
                    let by = who(store.as_ref(), as_user).await?;
                    let list = candidates_from_cells(&read_cells(&file)?)?;
                    store.set_candidates(&by, election, list).await?
                }
                None => store.election(election).await?,
            };
            show_election(&e, json)
        }
        Command::Elections { congress, db, json } => {
            let list = db.open().await?.elections(congress).await?;
            if json {
                return output::json(&list);
            }
            for e in &list {
                show_election(e, false)?;
            }
            Ok(())
        }
        Command::Apportionment { congress, method, seats, min, base, per, ex_officio, as_of, as_user, db, json } => {
            let store = db.open().await?;
            let recorded = match (method, as_of) {
                (Some(method), Some(as_of)) => {
                    if method != Method::Ratio && seats.is_none() {
                        bail!("give --seats, the seats to share");
                    }
                    let by = who(store.as_ref(), as_user).await?;
                    let ask = orgwork_store::ApportionAsk {
                        method,
                        seats: seats.unwrap_or(0),
                        min,
                        base,
                        per: per.unwrap_or(0),
                        ex_officio,
                        as_of,
                    };
                    store.apportion_congress(&by, congress, ask).await?
                }
                _ => match store.congress_apportionment(congress).await? {
                    Some(a) => a,
                    None => bail!("congress {congress} has no apportionment on the record"),
                },
            };
            print_recorded(&recorded, json)
        }
        Command::Decide { congress, tie, units, reason, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let d = orgwork_domain::congress::TieDecision { tie, units, reason };
            print_recorded(&store.decide_tie(&by, congress, d).await?, json)
        }
        Command::OpenRound { election, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let r = store.open_round(&by, election).await?;
            print_rounds(&[r], json)
        }
        Command::Enter { election, round, ballots, tally, cast, valid, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let open = open_round(store.as_ref(), election, round).await?;
            let r = match (ballots, tally) {
                (Some(file), None) => {
                    let (heading, list) = ballots_from_cells(&read_cells(&file)?)?;
                    let list = order_ballots(&open.candidates, &heading, list)?;
                    store.set_ballots(&by, election, open.number, list).await?
                }
                (None, Some(file)) => {
                    let (Some(cast), Some(valid)) = (cast, valid) else {
                        bail!("a tally needs --cast and --valid: the ballots cast and the valid ones")
                    };
                    let (names, votes) = tally_from_cells(&read_cells(&file)?)?;
                    let votes = order_votes(&open.candidates, &names, &votes)?;
                    store.set_tally(&by, election, open.number, RoundTally { cast, valid, votes }).await?
                }
                _ => bail!("give --ballots FILE or --tally FILE"),
            };
            print_rounds(&[r], json)
        }
        Command::CountRound { election, round, issued, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let open = open_round(store.as_ref(), election, round).await?;
            let rounds = store.count_round(&by, election, open.number, issued).await?;
            print_rounds(&rounds, json)
        }
        Command::Rounds { election, db, json } => print_rounds(&db.open().await?.rounds(election).await?, json),
        Command::Publish { election, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let e = store.publish_results(&by, election).await?;
            if json {
                return output::json(&e);
            }
            println!("{}: results published at {}", e.title, e.published_at.unwrap_or_default());
            Ok(())
        }
        Command::Terms { db, json } => {
            let terms = db.open().await?.terms().await?;
            if json {
                return output::json(&terms);
            }
            for t in terms {
                println!("{}  {} congresses", t.code, t.congresses);
            }
            Ok(())
        }
        Command::Schedule { term, unit, as_of, db, json } => {
            let store = db.open().await?;
            let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            let s = store.schedule(term, &unit, as_of).await?;
            if json {
                output::json(&s)?;
            } else {
                print_schedule(&s);
            }
            if !s.passed {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

fn print_recorded(r: &orgwork_store::CongressApportionment, json: bool) -> Result<()> {
    if json {
        return output::json(r);
    }
    println!("Members counted on {}.", r.as_of);
    let names: Vec<String> = r.names.iter().map(|n| n.vi.clone()).collect();
    print_apportionment(&r.apportionment, &names);
    for d in &r.decisions {
        println!(
            "Tie {} decided by {} ({}): {}. {}",
            d.decision.tie,
            d.by,
            d.at,
            d.decision.units.join(", "),
            d.decision.reason
        );
    }
    if r.open_seats > 0 {
        println!("{} seat(s) wait for a decision.", r.open_seats);
    } else {
        let seats: Vec<String> = r.shares.iter().map(|s| format!("{} {}", s.unit, s.seats)).collect();
        println!("Every seat is decided: {}.", seats.join(", "));
    }
    Ok(())
}

/// The round asked for, or the open one.
async fn open_round(store: &dyn orgwork_store::Store, election: ElectionId, number: Option<u32>) -> Result<Round> {
    let rounds = store.rounds(election).await?;
    let found = match number {
        Some(n) => rounds.into_iter().find(|r| r.number == n),
        None => rounds.into_iter().rev().find(|r| r.status == RoundStatus::Open),
    };
    match (found, number) {
        (Some(r), _) => Ok(r),
        (None, Some(n)) => bail!("election {election} has no round {n}"),
        (None, None) => bail!("election {election} has no open round; open the first with `congress open-round`"),
    }
}

fn print_rounds(rounds: &[Round], json: bool) -> Result<()> {
    if json {
        return output::json(&rounds);
    }
    for r in rounds {
        println!(
            "round {}: {} seat(s), {} on the ballot, {}",
            r.number,
            r.seats,
            r.candidates.len(),
            r.status.as_str()
        );
        match (&r.result, r.entry) {
            (Some(t), _) => {
                println!(
                    "  ballots {} (valid {}, invalid {}); base {} {}, passing with {} votes",
                    t.ballots,
                    t.valid,
                    t.invalid,
                    t.base.as_str(),
                    t.base_count,
                    t.threshold
                );
                for c in &t.candidates {
                    let mark = if c.elected {
                        "elected"
                    } else if c.passed {
                        "passed"
                    } else {
                        ""
                    };
                    println!("  {:>6}  {}  {mark}", c.votes, c.name);
                }
                println!("  elected: {}", t.elected.join(", "));
                if !t.tied.is_empty() {
                    println!("  tied at the last seat: {}", t.tied.join(", "));
                }
                if t.unfilled > 0 {
                    println!("  seats unfilled: {}", t.unfilled);
                }
            }
            (None, VoteEntry::Ballots) => println!("  {} ballots entered", r.ballots),
            (None, VoteEntry::Tally) => println!("  tallies entered"),
            (None, VoteEntry::None) => println!("  no votes entered"),
        }
    }
    Ok(())
}

fn show(c: &Congress, json: bool) -> Result<()> {
    if json {
        return output::json(c);
    }
    println!("{}", congress_line(c));
    Ok(())
}

fn show_election(e: &orgwork_store::Election, json: bool) -> Result<()> {
    if json {
        return output::json(e);
    }
    let r = &e.review;
    println!("Election {} — {}: {} seat(s); {} delegates present.", e.id, e.title, e.seats, r.present);
    for (i, c) in r.candidates.iter().enumerate() {
        let how = match (c.nomination, c.enters) {
            (orgwork_domain::congress::Nomination::Floor, Some(true)) => {
                format!("floor ({} supporting: enters)", c.support.unwrap_or(0))
            }
            (orgwork_domain::congress::Nomination::Floor, _) => {
                format!("floor ({} supporting: does not enter)", c.support.unwrap_or(0))
            }
            _ => "list".into(),
        };
        let state = if c.withdrawn {
            "withdrawn"
        } else if c.stands {
            "on the ballot"
        } else {
            ""
        };
        println!("{:>5}  {:<32} {how:<36} {state}", i + 1, c.name);
    }
    let k = &r.check;
    println!(
        "{} on the ballot; the rule allows {} to {} ({}); advised {} to {}.",
        k.candidates,
        k.least,
        k.most,
        if k.ok { "within it" } else { "outside it" },
        k.advised_least,
        k.advised_most
    );
    Ok(())
}

fn congress_line(c: &Congress) -> String {
    let number = c.number.map(|n| format!(" no. {n}")).unwrap_or_default();
    let day = match (c.status, c.held_on) {
        (_, Some(h)) => format!("held on {h}"),
        (orgwork_domain::congress::CongressStatus::Cancelled, _) => {
            format!("cancelled ({})", c.reason.as_deref().unwrap_or(""))
        }
        _ => format!("planned for {}", c.planned_on),
    };
    format!(
        "{:>20}  {:<16} {}{} ({} congress{}), {day}: {}",
        c.id,
        c.unit,
        c.term,
        number,
        c.kind.as_str(),
        if c.pilot { ", pilot" } else { "" },
        c.names.vi
    )
}

fn print_schedule(s: &Schedule) {
    println!("Term {} under {} (the tree of {}), margin {} days:", s.term, s.unit, s.as_of, s.margin_days);
    for c in &s.congresses {
        println!("{}", congress_line(c));
    }
    if !s.without.is_empty() {
        println!("Without a congress: {}.", s.without.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(", "));
    }
    use orgwork_domain::congress::Breach;
    for b in &s.breaches {
        let text = match b {
            Breach::BeforeChild { unit, on, child, child_on, margin_days } => {
                format!("{unit}'s congress on {on} is less than {margin_days} days after {child}'s on {child_on}")
            }
            Breach::ChildWithout { unit, on, child } => {
                format!("{child}, below {unit} on {on}, has no congress in the term")
            }
            Breach::PilotNotFirst { unit, on, pilot, pilot_on } => {
                format!("{unit}'s congress on {on} is not after the pilot {pilot}'s on {pilot_on}")
            }
        };
        println!("Breach ({}): {text}.", b.rule());
    }
    println!("{}", if s.passed { "The schedule holds." } else { "The schedule breaks a rule." });
}

fn print_apportionment(r: &Apportionment, names: &[String]) {
    println!(
        "{} seats by {} among {} units ({} members){}{}",
        r.seats,
        r.method.as_str(),
        r.allocations.len(),
        r.members,
        if r.min > 0 { format!(", at least {} each", r.min) } else { String::new() },
        if r.base > 0 { format!(", {} each first", r.base) } else { String::new() },
    );
    println!("{:<24} {:>12} {:>10} {:>6}  name", "unit", "members", "quota", "seats");
    for (a, name) in r.allocations.iter().zip(names) {
        println!("{:<24} {:>12} {:>10.3} {:>6}  {}", a.unit, a.members, a.quota, a.seats, name);
    }
    for t in &r.ties {
        println!("Tie: {} contend for {} seat(s), left unassigned until decided.", t.units.join(", "), t.seats);
    }
    if r.ex_officio > 0 {
        println!("Ex-officio delegates: {}; delegates in all: {}.", r.ex_officio, r.total);
    }
}

fn print_tally(t: &Tally) {
    println!(
        "Ballots {} (valid {}, invalid {}); base: {} = {}, more than half is {} votes.",
        t.ballots,
        t.valid,
        t.invalid,
        t.base.as_str(),
        t.base_count,
        t.threshold
    );
    println!("{:<32} {:>7}  passed  elected", "candidate", "votes");
    for c in &t.candidates {
        println!(
            "{:<32} {:>7}  {:<6}  {}",
            c.name,
            c.votes,
            if c.passed { "yes" } else { "no" },
            if c.elected { "yes" } else { "" }
        );
    }
    println!("Elected: {}.", if t.elected.is_empty() { "none".into() } else { t.elected.join(", ") });
    if !t.tied.is_empty() {
        println!("Tied at the last seat, none of them elected: {}.", t.tied.join(", "));
    }
    if let Some(n) = &t.next_round {
        println!("{} seat(s) unfilled: a further round with {}.", n.seats, n.candidates.join(", "));
    }
}
