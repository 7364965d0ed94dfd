//! `orgwork inspection …`, `orgwork recommendation …` and `orgwork discipline …`: inspection
//! and supervision from the command line: an inspecting body's programme for a year, the
//! inspections planned in it, their conclusions, the recommendations' follow-up, disciplinary
//! cases and their appeals, and the coverage of a body's subtree.
//!
//! The command line acts with the database's own rights; `--as USER` makes a change as that
//! user (the four-eyes rule of verification judges who verifies).

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::inspection::{AppealOutcome, InspectionStatus, RecommendationStatus};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, CaseFilter, CaseId, InspectionId, InspectionProgrammeId, MemberId, NewCase, NewInspection,
    RecommendationFilter, RecommendationId, Reschedule, Store, SubjectRef,
};
use std::path::PathBuf;

fn date(s: &str) -> Result<NaiveDate, String> {
    parse_written_date("date", s).map_err(|e| e.message)
}

fn code(s: &str) -> Result<UnitCode, String> {
    UnitCode::parse(s).map_err(|e| e.message)
}

fn subject(s: &str) -> Result<SubjectRef, String> {
    SubjectRef::parse(s).map_err(|e| e.message)
}

/// The largest conclusion file read.
const MAX_FILE: u64 = 4 * 1024 * 1024;

#[derive(Subcommand)]
pub enum Command {
    /// An inspecting body's programme for a year: create, approve, show, list.
    #[command(subcommand)]
    Programme(ProgrammeCommand),
    /// Plan an inspection or supervision in a programme: refused, naming the member and the
    /// subject, when a team member belongs to a subject's subtree during the window (unless
    /// --override-conflict gives the reason to keep them).
    Plan {
        programme: InspectionProgrammeId,
        /// A type of the profile's `inspection.types` (its code or name).
        #[arg(long = "type")]
        kind: String,
        /// A unit's code, or `member:ID`; repeat for several.
        #[arg(long = "subject", value_parser = subject, required = true)]
        subjects: Vec<SubjectRef>,
        #[arg(long)]
        topic: String,
        /// A regulation it judges by; repeat for several.
        #[arg(long = "criterion")]
        criteria: Vec<String>,
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, value_parser = date)]
        to: NaiveDate,
        /// The team's head (a user).
        #[arg(long)]
        head: String,
        /// A team member (a user); repeat for several.
        #[arg(long = "member")]
        members: Vec<String>,
        #[arg(long)]
        override_conflict: Option<String>,
        /// Why it is added to an approved programme (kept in its history).
        #[arg(long)]
        reason: Option<String>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Start a planned inspection on a day.
    Start {
        id: InspectionId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put an inspection off, with the reason.
    Defer {
        id: InspectionId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        reason: String,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Cancel an inspection, with the reason.
    Cancel {
        id: InspectionId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        reason: String,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Move a planned or deferred inspection to a new window, or give it a new team: its
    /// subjects and the conflict of interest checked again, recorded with the reason.
    Reschedule {
        id: InspectionId,
        #[arg(long, value_parser = date)]
        from: NaiveDate,
        #[arg(long, value_parser = date)]
        to: NaiveDate,
        /// A new head of the team (with --member for its members); the team stays without it.
        #[arg(long)]
        head: Option<String>,
        #[arg(long = "member", requires = "head")]
        members: Vec<String>,
        #[arg(long)]
        override_conflict: Option<String>,
        #[arg(long)]
        reason: String,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Take a deferred inspection up again.
    Resume {
        id: InspectionId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Conclude an inspection on a day with its findings and recommendations (a TOML file of
    /// `[[finding]]` and `[[recommendation]]` tables): locked from then on.
    Conclude {
        id: InspectionId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        findings: PathBuf,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// An inspection from plan to conclusion.
    Show {
        id: InspectionId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Which units of a body's subtree were inspected, supervised, or neither in a year; and
    /// with --never-since, those not inspected nor supervised in any year since.
    Coverage {
        #[arg(long, value_parser = code)]
        body: UnitCode,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        never_since: Option<i32>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ProgrammeCommand {
    /// A new draft programme of an inspecting body for a year.
    Create {
        #[arg(long, value_parser = code)]
        body: UnitCode,
        #[arg(long)]
        year: i32,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Approve a draft under a decision: locked from then on, changes recorded.
    Approve {
        id: InspectionProgrammeId,
        #[arg(long)]
        decision: String,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// A programme and its inspections.
    Show {
        id: InspectionProgrammeId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// The changes recorded on an approved programme.
    History {
        id: InspectionProgrammeId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum RecommendationCommand {
    /// Report a recommendation done, with the evidence.
    Done {
        id: RecommendationId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        evidence: String,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Verify a recommendation reported done (it closes), or with --reject send it back open:
    /// refused when USER is its owner or the one who reported it.
    Verify {
        id: RecommendationId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long)]
        reject: bool,
        /// Why (required with --reject).
        #[arg(long)]
        note: Option<String>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The recommendations of a body's inspections, or addressed to a unit's subtree.
    List {
        #[arg(long, value_parser = code)]
        body: Option<UnitCode>,
        #[arg(long, value_parser = code)]
        addressee: Option<UnitCode>,
        /// Only those past due and not verified.
        #[arg(long)]
        overdue: bool,
        /// open, done (awaiting verification) or verified.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_parser = date)]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum DisciplineCommand {
    /// Open a case against a member or a unit, with the measure proposed.
    Open {
        #[arg(long, required_unless_present = "unit", conflicts_with = "unit")]
        member: Option<MemberId>,
        #[arg(long, value_parser = code)]
        unit: Option<UnitCode>,
        /// A measure of the profile's ladder (its code or name).
        #[arg(long)]
        measure: String,
        /// The deciding body.
        #[arg(long, value_parser = code)]
        body: UnitCode,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        /// The finding the case comes from.
        #[arg(long)]
        finding: Option<orgwork_store::FindingId>,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Issue the case's decision: locked; an expulsion ends the membership from that day.
    Issue {
        id: CaseId,
        #[arg(long)]
        decision: String,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Record an appeal's decision, by the body above the last to decide.
    Appeal {
        id: CaseId,
        #[arg(long, value_parser = date)]
        on: NaiveDate,
        /// keep, lighten, raise or annul.
        #[arg(long)]
        outcome: String,
        /// The measure it lightens or raises to (one step when absent).
        #[arg(long)]
        measure: Option<String>,
        #[arg(long)]
        decision: Option<String>,
        #[arg(long = "as")]
        as_user: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// A case and its appeals.
    Show {
        id: CaseId,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// The cases of a unit's subtree, of a year.
    List {
        #[arg(long, value_parser = code)]
        unit: Option<UnitCode>,
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

/// Who a change is made as: the user named by --as, or the command line.
pub(crate) async fn who(store: &dyn Store, as_user: Option<String>) -> Result<Actor> {
    match as_user {
        None => Ok(actor()),
        Some(name) => match store.credentials(name.trim()).await? {
            Some(c) if !c.user.disabled => Ok(Actor::user(c.user.id, &c.user.name)),
            Some(_) => bail!("--as: user {name} is disabled"),
            None => bail!("--as: no user is named '{name}'"),
        },
    }
}

fn print_inspection(i: &orgwork_store::Inspection) {
    let subjects = i
        .subjects
        .iter()
        .map(|s| match (&s.unit, &s.member) {
            (Some(u), _) => u.to_string(),
            (None, Some(m)) => format!("{} (member {m})", s.name.as_deref().unwrap_or("")),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    println!("Inspection {} ({}) of {}: {}", i.id, i.kind, i.body, i.topic);
    println!("  subjects: {subjects}; {} – {}; {}", i.from, i.to, i.status.as_str());
    println!("  team: {} (head){}", i.head, i.members.iter().map(|m| format!(", {m}")).collect::<String>());
    for c in &i.conflicts {
        println!("  conflict overridden: {} (member {}) belongs to {}", c.user, c.member, c.subject);
    }
    if let Some(r) = &i.override_reason {
        println!("  override: {r}");
    }
    for f in &i.findings {
        println!(
            "  finding {} ({}{}): {}",
            f.id,
            f.kind.as_str(),
            f.severity.as_deref().map(|s| format!(", {s}")).unwrap_or_default(),
            f.text
        );
    }
    for r in &i.recommendations {
        println!("  recommendation {} to {}, due {} ({}): {}", r.id, r.addressee, r.due, r.status.as_str(), r.text);
    }
}

pub async fn run(c: Command) -> Result<()> {
    match c {
        Command::Programme(p) => run_programme(p).await,
        Command::Plan {
            programme,
            kind,
            subjects,
            topic,
            criteria,
            from,
            to,
            head,
            members,
            override_conflict,
            reason,
            as_user,
            db,
            json,
        } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let new =
                NewInspection { kind, subjects, topic, criteria, from, to, head, members, override_conflict, reason };
            let i = store.plan_inspection(&by, programme, new).await?;
            if json {
                return output::json(&i);
            }
            print_inspection(&i);
            Ok(())
        }
        Command::Start { id, on, as_user, db } => status(db, as_user, id, InspectionStatus::InProgress, on, None).await,
        Command::Defer { id, on, reason, as_user, db } => {
            status(db, as_user, id, InspectionStatus::Deferred, on, Some(reason)).await
        }
        Command::Cancel { id, on, reason, as_user, db } => {
            status(db, as_user, id, InspectionStatus::Cancelled, on, Some(reason)).await
        }
        Command::Reschedule { id, from, to, head, members, override_conflict, reason, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let change = Reschedule { from, to, team: head.map(|h| (h, members)), override_conflict, reason };
            let i = store.reschedule_inspection(&by, id, change).await?;
            if json {
                return output::json(&i);
            }
            print_inspection(&i);
            Ok(())
        }
        Command::Resume { id, on, as_user, db } => status(db, as_user, id, InspectionStatus::Planned, on, None).await,
        Command::Conclude { id, on, findings, as_user, db, json } => {
            let size = std::fs::metadata(&findings)?.len();
            if size > MAX_FILE {
                bail!("{}: {size} bytes; a conclusion's file is at most {MAX_FILE}", findings.display());
            }
            let text = std::fs::read_to_string(&findings)?;
            let conclusion = orgwork_domain::inspection::read_conclusion(&text)?;
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let i = store.conclude_inspection(&by, id, on, conclusion).await?;
            if json {
                return output::json(&serde_json::json!({
                    "id": i.id,
                    "status": i.status,
                    "findings": i.findings.iter().map(|f| f.id).collect::<Vec<_>>(),
                    "recommendations": i.recommendations.iter().map(|r| r.id).collect::<Vec<_>>(),
                }));
            }
            println!(
                "Inspection {} concluded on {on}: {} findings, {} recommendations; it is locked.",
                i.id,
                i.findings.len(),
                i.recommendations.len()
            );
            Ok(())
        }
        Command::Show { id, db, json } => {
            let i = db.open().await?.inspection(id).await?;
            if json {
                return output::json(&i);
            }
            print_inspection(&i);
            Ok(())
        }
        Command::Coverage { body, year, never_since, db, json } => {
            let c = db.open().await?.coverage(&body, year, never_since).await?;
            if json {
                return output::json(&c);
            }
            let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
            println!("Coverage of {body}'s subtree in {year} ({} units):", c.units.len());
            println!("  inspected: {}", list(&c.coverage.inspected));
            println!("  supervised: {}", list(&c.coverage.supervised));
            println!("  neither: {}", list(&c.coverage.neither));
            if let Some(since) = never_since {
                println!("  neither since {since}: {}", list(&c.coverage.never_since));
            }
            Ok(())
        }
    }
}

async fn status(
    db: DbArgs,
    as_user: Option<String>,
    id: InspectionId,
    to: InspectionStatus,
    on: NaiveDate,
    reason: Option<String>,
) -> Result<()> {
    let store = db.open().await?;
    let by = who(store.as_ref(), as_user).await?;
    let i = store.set_inspection_status(&by, id, to, on, reason).await?;
    println!("Inspection {} is {} from {on}.", i.id, i.status.as_str());
    Ok(())
}

async fn run_programme(c: ProgrammeCommand) -> Result<()> {
    match c {
        ProgrammeCommand::Create { body, year, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let p = store.create_inspection_programme(&by, &body, year).await?;
            if json {
                return output::json(&p);
            }
            println!("Inspection programme {} of {} for {}: a draft.", p.id, p.body, p.year);
        }
        ProgrammeCommand::Approve { id, decision, on, as_user, db } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let p = store.approve_inspection_programme(&by, id, &decision, on).await?;
            println!("Inspection programme {} approved on {on} ({decision}); it is locked.", p.id);
        }
        ProgrammeCommand::Show { id, db, json } => {
            let p = db.open().await?.inspection_programme(id).await?;
            if json {
                return output::json(&p);
            }
            println!("Inspection programme {} of {} for {} ({}):", p.id, p.body, p.year, p.status.as_str());
            for i in &p.inspections {
                print_inspection(i);
            }
        }
        ProgrammeCommand::History { id, db, json } => {
            let list = db.open().await?.inspection_amendments(id).await?;
            if json {
                return output::json(&list);
            }
            for a in &list {
                let what = if a.before.is_none() { "added" } else { "changed" };
                println!(
                    "{} inspection {} {what} by {}: {}",
                    a.on,
                    a.inspection,
                    a.by,
                    a.reason.as_deref().unwrap_or("-")
                );
            }
        }
    }
    Ok(())
}

pub async fn run_recommendation(c: RecommendationCommand) -> Result<()> {
    match c {
        RecommendationCommand::Done { id, on, evidence, as_user, db } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let r = store.report_recommendation_done(&by, id, on, &evidence).await?;
            println!("Recommendation {} reported done on {on} by {}; it awaits verification.", r.id, by.name);
        }
        RecommendationCommand::Verify { id, on, reject, note, as_user, db } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let r = store.verify_recommendation(&by, id, on, !reject, note).await?;
            println!("Recommendation {} is {} from {on} ({}).", r.id, r.status.as_str(), by.name);
        }
        RecommendationCommand::List { body, addressee, overdue, status, as_of, db, json } => {
            let status = match status {
                None => None,
                Some(s) => Some(
                    RecommendationStatus::parse(s.trim())
                        .ok_or_else(|| anyhow::anyhow!("--status: '{s}' is not one of open, done, verified"))?,
                ),
            };
            let filter = RecommendationFilter { body, addressee, overdue, status, as_of };
            let list = db.open().await?.recommendations(&filter).await?;
            if json {
                return output::json(&list);
            }
            for r in &list {
                let flag = if r.overdue { " OVERDUE" } else { "" };
                println!(
                    "{} {} to {}, due {} ({}{flag}): {}",
                    r.id,
                    r.body,
                    r.addressee,
                    r.due,
                    r.status.as_str(),
                    r.text
                );
            }
            println!("{} recommendations.", list.len());
        }
    }
    Ok(())
}

fn print_case(c: &orgwork_store::DisciplineCase) {
    let whom = match (&c.member, &c.unit) {
        (Some(m), _) => format!("member {m} ({})", c.member_name.as_deref().unwrap_or("")),
        (None, Some(u)) => format!("unit {u}"),
        _ => String::new(),
    };
    println!(
        "Case {} against {whom}, decided by {}: {} ({}), in force: {}",
        c.id,
        c.body,
        c.measure,
        c.status.as_str(),
        c.measure_now.as_deref().unwrap_or("annulled")
    );
    for a in &c.appeals {
        println!(
            "  appeal {} decided by {}: {} ({} → {})",
            a.on,
            a.body,
            a.outcome.as_str(),
            a.before.as_deref().unwrap_or("-"),
            a.after.as_deref().unwrap_or("annulled")
        );
    }
}

pub async fn run_discipline(c: DisciplineCommand) -> Result<()> {
    match c {
        DisciplineCommand::Open { member, unit, measure, body, on, finding, reason, as_user, db, json } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let c = store.open_case(&by, NewCase { member, unit, measure, body, on, finding, reason }).await?;
            if json {
                return output::json(&c);
            }
            print_case(&c);
        }
        DisciplineCommand::Issue { id, decision, on, as_user, db } => {
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let c = store.issue_case(&by, id, &decision, on).await?;
            println!("Case {} issued on {on} ({decision}): {}; it is locked.", c.id, c.measure);
        }
        DisciplineCommand::Appeal { id, on, outcome, measure, decision, as_user, db, json } => {
            let outcome = AppealOutcome::parse(&outcome)?;
            let store = db.open().await?;
            let by = who(store.as_ref(), as_user).await?;
            let c = store.appeal_case(&by, id, on, outcome, measure, decision).await?;
            if json {
                return output::json(&c);
            }
            print_case(&c);
        }
        DisciplineCommand::Show { id, db, json } => {
            let c = db.open().await?.case(id).await?;
            if json {
                return output::json(&c);
            }
            print_case(&c);
        }
        DisciplineCommand::List { unit, year, db, json } => {
            let list = db.open().await?.cases(&CaseFilter { unit, year }).await?;
            if json {
                return output::json(&list);
            }
            for c in &list {
                print_case(c);
            }
            println!("{} cases.", list.len());
        }
    }
    Ok(())
}
