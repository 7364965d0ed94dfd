// Congresses, written once for both backends (see mod.rs for how this folder is compiled).
// The rules are `orgwork_domain::congress`'s; this keeps the terms and each unit's congress in
// a term, and loads the schedule check's facts (each congress's children on its own day, with
// their congresses' days).

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult, id_list};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::Error;
use orgwork_domain::congress::{
    self as rules, Attendance, Below, Candidate, CongressKind, CongressStatus, Delegate, DelegateKind, Nomination,
    Round, RoundStatus, RoundTally, Slot, TermCode, VoteEntry,
};
use orgwork_domain::structure::{Names, UnitCode};
use orgwork_store::{
    Actor, ApportionAsk, Congress, CongressApportionment, CongressChange, CongressId, CongressStore, Decided,
    DelegateList, Election, ElectionId, MemberStore, NewCongress, Result, Schedule, StoreError, Term,
};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};

/// The longest reason a cancellation keeps, and the highest number in a unit's series.
const MAX_TEXT: usize = 1000;
const MAX_NUMBER: u32 = 1000;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A congress's columns, with its unit's version on the congress's day (held, else planned):
/// the latest version begun by then.
const CONGRESS_SELECT: &str = "SELECT c.id, c.term, c.unit_id, u.code, v.kind AS level, v.name_vi, v.name_en, v.name_ar, \
     c.kind, c.number, c.planned_on, c.held_on, c.pilot, c.status, c.reason \
     FROM congress c JOIN unit u ON u.id = c.unit_id \
     JOIN unit_version v ON v.unit_id = c.unit_id AND v.valid_from = (SELECT MAX(w.valid_from) FROM unit_version w \
       WHERE w.unit_id = c.unit_id AND w.valid_from <= COALESCE(c.held_on, c.planned_on))";

fn congress_from_row(row: &super::DbRow) -> Result<(Congress, i64)> {
    let kind: String = row.try_get("kind").db()?;
    let status: String = row.try_get("status").db()?;
    let number: Option<i32> = row.try_get("number").db()?;
    Ok((
        Congress {
            id: CongressId::new(row.try_get("id").db()?),
            term: row.try_get("term").db()?,
            unit: UnitCode::from_stored(row.try_get::<String, _>("code").db()?),
            names: Names {
                vi: row.try_get("name_vi").db()?,
                en: row.try_get("name_en").db()?,
                ar: row.try_get("name_ar").db()?,
            },
            level: row.try_get("level").db()?,
            kind: CongressKind::parse(&kind).map_err(|_| StoreError::Backend(format!("congress kind '{kind}'")))?,
            number: number.map(|n| n as u32),
            planned_on: row.try_get("planned_on").db()?,
            held_on: row.try_get("held_on").db()?,
            pilot: row.try_get("pilot").db()?,
            status: CongressStatus::parse(&status)
                .map_err(|_| StoreError::Backend(format!("congress status '{status}'")))?,
            reason: row.try_get("reason").db()?,
        },
        row.try_get("unit_id").db()?,
    ))
}

async fn load(conn: &mut Conn, id: CongressId) -> Result<(Congress, i64)> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{CONGRESS_SELECT} WHERE c.id = $1")))
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| StoreError::from(CongressId::not_found(id)))?;
    congress_from_row(&row)
}

fn json(c: &Congress) -> Option<serde_json::Value> {
    serde_json::to_value(c).ok()
}

/// The term's record, opened by its first congress: refused when it overlaps another term.
async fn open_term(conn: &mut Conn, term: TermCode) -> Result<()> {
    let code = term.to_string();
    let rows = sqlx::query("SELECT code, year_from, year_to FROM congress_term").fetch_all(&mut *conn).await.db()?;
    for r in &rows {
        let other: String = r.try_get("code").db()?;
        if other == code {
            return Ok(());
        }
        let (from, to): (i32, i32) = (r.try_get("year_from").db()?, r.try_get("year_to").db()?);
        // Terms meet at their ends (2020-2025, 2025-2030): they overlap only inside.
        if term.from < to && from < term.to {
            return Err(Error::conflict("term_overlaps", format!("term: {code} overlaps the term {other}")).into());
        }
    }
    sqlx::query("INSERT INTO congress_term (code, year_from, year_to, recorded_at) VALUES ($1, $2, $3, $4)")
        .bind(&code)
        .bind(term.from)
        .bind(term.to)
        .bind(now_text())
        .execute(&mut *conn)
        .await
        .db()?;
    Ok(())
}

/// A day within the term.
fn check_in_term(field: &str, term: TermCode, day: NaiveDate) -> Result<()> {
    let (from, to) = term.span();
    if day < from || day > to {
        return Err(Error::invalid(
            "date_outside_term",
            format!("{field}: {day} lies outside the term {term} ({from} to {to})"),
        )
        .into());
    }
    Ok(())
}

fn check_number(number: Option<u32>) -> Result<()> {
    match number {
        Some(n) if n == 0 || n > MAX_NUMBER => {
            Err(Error::invalid("invalid_number", format!("number: {n} is not from 1 to {MAX_NUMBER}")).into())
        }
        _ => Ok(()),
    }
}

fn term_of(c: &Congress) -> Result<TermCode> {
    TermCode::parse(&c.term).map_err(|_| StoreError::Backend(format!("congress term '{}'", c.term)))
}

/// Refuses a change of a congress that is no longer planned.
fn check_planned(c: &Congress, what: &str) -> Result<()> {
    if c.status != CongressStatus::Planned {
        return Err(Error::conflict(
            "congress_not_planned",
            format!("congress {}: it is {}; only a planned congress can be {what}", c.id, c.status.as_str()),
        )
        .into());
    }
    Ok(())
}

impl Backend {
    /// Writes one congress change in its own transaction: checks, update, audit entry.
    async fn congress_write(
        &self,
        actor: &Actor,
        id: CongressId,
        action: &'static str,
        change: impl for<'c> FnOnce(&'c Congress) -> Result<(String, Vec<Bound>)>,
    ) -> Result<Congress> {
        let mut tx = self.begin_write().await?;
        let (before, unit_id) = load(&mut tx, id).await?;
        let (set, binds) = change(&before)?;
        let mut q = sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE congress SET {set} WHERE id = $1"))).bind(id.get());
        for b in binds {
            q = match b {
                Bound::Day(d) => q.bind(d),
                Bound::Text(t) => q.bind(t),
                Bound::Flag(f) => q.bind(f),
                Bound::Number(n) => q.bind(n),
            };
        }
        q.execute(&mut *tx).await.db()?;
        let (after, _) = load(&mut tx, id).await?;
        // The unit must be live on the congress's (new) day.
        super::structure::live_unit_id(&mut tx, &after.unit, after.on()).await?;
        let target = format!("congress:{id}");
        let entry =
            AuditChange { action, target: &target, unit_id: Some(unit_id), before: json(&before), after: json(&after) };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }
}

async fn load_delegates(conn: &mut Conn, id: CongressId) -> Result<DelegateList> {
    let rows = sqlx::query(
        "SELECT d.name, d.kind, u.code, d.attendance, d.replaces FROM congress_delegate d \
         LEFT JOIN unit u ON u.id = d.unit_id WHERE d.congress_id = $1 ORDER BY d.position",
    )
    .bind(id.get())
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut delegates = vec![];
    for r in &rows {
        let kind: String = r.try_get("kind").db()?;
        let attendance: String = r.try_get("attendance").db()?;
        let replaces: Option<i64> = r.try_get("replaces").db()?;
        delegates.push(Delegate {
            name: r.try_get("name").db()?,
            kind: DelegateKind::parse(&kind).map_err(|_| StoreError::Backend(format!("delegate kind '{kind}'")))?,
            unit: r.try_get("code").db()?,
            attendance: Attendance::parse(&attendance)
                .map_err(|_| StoreError::Backend(format!("delegate attendance '{attendance}'")))?,
            replaces: replaces.map(|n| n as u32),
        });
    }
    let credentials = rules::credentials(&delegates);
    Ok(DelegateList { congress: id, delegates, credentials })
}

/// An election with its list reviewed; `present` is the congress's delegates present when the
/// caller has read them already (a congress's elections share them), else read here.
async fn load_election(
    conn: &mut Conn,
    profile: &orgwork_domain::profile::Profile,
    id: ElectionId,
    present: Option<u64>,
) -> Result<(Election, CongressId)> {
    let row = sqlx::query(
        "SELECT congress_id, title, seats, published_at, \
         (SELECT COUNT(*) FROM congress_round r WHERE r.election_id = e.id) AS rounds \
         FROM congress_election e WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await
    .db()?
    .ok_or_else(|| StoreError::from(ElectionId::not_found(id)))?;
    let congress = CongressId::new(row.try_get("congress_id").db()?);
    let seats = row.try_get::<i64, _>("seats").db()?.max(0) as u64;
    let rows = sqlx::query(
        "SELECT name, nomination, support, withdrawn FROM congress_candidate WHERE election_id = $1 ORDER BY position",
    )
    .bind(id.get())
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut candidates = vec![];
    for r in &rows {
        let nomination: String = r.try_get("nomination").db()?;
        candidates.push(Candidate {
            name: r.try_get("name").db()?,
            nomination: if nomination == "floor" { Nomination::Floor } else { Nomination::List },
            support: r.try_get::<Option<i64>, _>("support").db()?.map(|n| n.max(0) as u64),
            withdrawn: r.try_get("withdrawn").db()?,
        });
    }
    let present = match present {
        Some(p) => p,
        None => load_delegates(conn, congress).await?.credentials.present,
    };
    let review = rules::review_list(&profile.congress, seats, present, &candidates);
    let election = Election {
        id,
        congress,
        title: row.try_get("title").db()?,
        seats,
        candidates,
        review,
        published_at: row.try_get("published_at").db()?,
        rounds: row.try_get::<i64, _>("rounds").db()?.clamp(0, i64::from(u32::MAX)) as u32,
    };
    Ok((election, congress))
}

/// Appends a write's audit entry: the target, and what it was before and after.
async fn audited<B: serde::Serialize, A: serde::Serialize>(
    conn: &mut Conn,
    actor: &Actor,
    action: &'static str,
    target: String,
    unit_id: i64,
    before: Option<&B>,
    after: &A,
) -> Result<()> {
    let entry = AuditChange {
        action,
        target: &target,
        unit_id: Some(unit_id),
        before: before.and_then(|b| serde_json::to_value(b).ok()),
        after: serde_json::to_value(after).ok(),
    };
    append(conn, actor, entry).await
}

// ---------------------------------------------------------------------------------------------
// Rounds

const ROUND_SELECT: &str = "SELECT r.id, r.number, r.seats, r.candidates, r.status, r.entry, r.issued, \
     r.cast_count, r.valid_count, r.votes, r.result, \
     (SELECT COUNT(*) FROM congress_ballot b WHERE b.round_id = r.id) AS ballots FROM congress_round r";

fn stored<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(format!("congress_round {what}: {e}")))
}

fn whole(n: i64) -> u64 {
    n.max(0) as u64
}

fn round_from_row(row: &super::DbRow) -> Result<(Round, i64)> {
    let status: String = row.try_get("status").db()?;
    let entry: String = row.try_get("entry").db()?;
    let candidates: String = row.try_get("candidates").db()?;
    let votes: Option<String> = row.try_get("votes").db()?;
    let result: Option<String> = row.try_get("result").db()?;
    let cast: Option<i64> = row.try_get("cast_count").db()?;
    let valid: Option<i64> = row.try_get("valid_count").db()?;
    let tally = match (cast, valid, votes) {
        (Some(c), Some(v), Some(votes)) => {
            Some(RoundTally { cast: whole(c), valid: whole(v), votes: stored("votes", &votes)? })
        }
        _ => None,
    };
    Ok((
        Round {
            number: row.try_get::<i64, _>("number").db()?.clamp(0, i64::from(u32::MAX)) as u32,
            seats: whole(row.try_get("seats").db()?),
            candidates: stored("candidates", &candidates)?,
            status: RoundStatus::parse(&status)
                .ok_or_else(|| StoreError::Backend(format!("round status '{status}'")))?,
            issued: row.try_get::<Option<i64>, _>("issued").db()?.map(whole),
            entry: VoteEntry::parse(&entry).ok_or_else(|| StoreError::Backend(format!("round entry '{entry}'")))?,
            ballots: whole(row.try_get("ballots").db()?),
            tally,
            result: result.map(|r| stored("result", &r)).transpose()?,
        },
        row.try_get("id").db()?,
    ))
}

async fn load_rounds(conn: &mut Conn, election: ElectionId) -> Result<Vec<(Round, i64)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{ROUND_SELECT} WHERE r.election_id = $1 ORDER BY r.number")))
        .bind(election.get())
        .fetch_all(&mut *conn)
        .await
        .db()?;
    rows.iter().map(round_from_row).collect()
}

async fn load_ballots(conn: &mut Conn, round_id: i64) -> Result<Vec<Vec<bool>>> {
    let marks: Vec<String> =
        sqlx::query_scalar("SELECT marks FROM congress_ballot WHERE round_id = $1 ORDER BY number")
            .bind(round_id)
            .fetch_all(&mut *conn)
            .await
            .db()?;
    Ok(marks.iter().map(|m| rules::decode_marks(m)).collect())
}

/// A congress that may still change: not cancelled.
fn not_cancelled(c: &Congress) -> Result<()> {
    if c.status == CongressStatus::Cancelled {
        return Err(Error::conflict("congress_not_planned", format!("congress {}: it is cancelled", c.id)).into());
    }
    Ok(())
}

/// What a write of an election's rounds needs of it: its congress (not cancelled), that
/// congress's unit, and its rounds so far (without the list and its review).
async fn election_to_change(conn: &mut Conn, id: ElectionId) -> Result<(Congress, i64, u32)> {
    let row = sqlx::query(
        "SELECT congress_id, (SELECT COUNT(*) FROM congress_round r WHERE r.election_id = e.id) AS rounds \
         FROM congress_election e WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await
    .db()?
    .ok_or_else(|| StoreError::from(ElectionId::not_found(id)))?;
    let (c, unit_id) = load(conn, CongressId::new(row.try_get("congress_id").db()?)).await?;
    not_cancelled(&c)?;
    Ok((c, unit_id, row.try_get::<i64, _>("rounds").db()?.clamp(0, i64::from(u32::MAX)) as u32))
}

/// The congress an election is held at.
async fn election_congress_of(conn: &mut Conn, id: ElectionId) -> Result<CongressId> {
    let congress: Option<i64> = sqlx::query_scalar("SELECT congress_id FROM congress_election WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    congress.map(CongressId::new).ok_or_else(|| ElectionId::not_found(id).into())
}

/// One round of an election, if it has that round.
async fn load_round(conn: &mut Conn, election: ElectionId, number: u32) -> Result<Option<(Round, i64)>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{ROUND_SELECT} WHERE r.election_id = $1 AND r.number = $2")))
        .bind(election.get())
        .bind(i64::from(number))
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    row.as_ref().map(round_from_row).transpose()
}

/// The open round numbered `number`: refused when there is none, or when it is counted.
async fn open_round_of(conn: &mut Conn, election: ElectionId, number: u32) -> Result<(Round, i64)> {
    let (round, id) = load_round(conn, election, number).await?.ok_or_else(|| {
        StoreError::from(Error::not_found(
            "round_not_found",
            format!("round: election {election} has no round {number}"),
        ))
    })?;
    if round.status != RoundStatus::Open {
        return Err(Error::conflict("round_closed", format!("round {number}: it is counted already")).into());
    }
    Ok((round, id))
}

/// The round's record after a write, audited.
async fn audit_round(
    conn: &mut Conn,
    actor: &Actor,
    action: &'static str,
    election: ElectionId,
    unit_id: i64,
    before: Option<&Round>,
    number: u32,
) -> Result<Round> {
    let (after, _) = load_round(conn, election, number)
        .await?
        .ok_or_else(|| StoreError::Backend(format!("round {number} of election {election} vanished")))?;
    audited(conn, actor, action, format!("election:{election}:round:{number}"), unit_id, before, &after).await?;
    Ok(after)
}

async fn insert_round(
    conn: &mut Conn,
    id: i64,
    election: ElectionId,
    number: u32,
    seats: u64,
    names: &[String],
) -> Result<()> {
    let candidates = serde_json::to_string(names).map_err(|e| StoreError::Backend(e.to_string()))?;
    sqlx::query(
        "INSERT INTO congress_round (id, election_id, number, seats, candidates, status, entry) \
         VALUES ($1, $2, $3, $4, $5, 'open', 'none')",
    )
    .bind(id)
    .bind(election.get())
    .bind(i64::from(number))
    .bind(seats as i64)
    .bind(candidates)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

async fn clear_votes(conn: &mut Conn, round_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM congress_ballot WHERE round_id = $1").bind(round_id).execute(&mut *conn).await.db()?;
    sqlx::query(
        "UPDATE congress_round SET entry = 'none', cast_count = NULL, valid_count = NULL, votes = NULL WHERE id = $1",
    )
    .bind(round_id)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

async fn write_ballots(conn: &mut Conn, round_id: i64, from: u64, ballots: &[Vec<bool>]) -> Result<()> {
    let rows: Vec<serde_json::Value> = ballots
        .iter()
        .enumerate()
        .map(|(k, b)| serde_json::json!([round_id, from as i64 + k as i64 + 1, rules::encode_marks(b)]))
        .collect();
    use super::common::JsonCol::{Int, Text};
    let sql = format!(
        "INSERT INTO congress_ballot (round_id, number, marks) {}",
        super::common::json_rows(&[Int, Int, Text])
    );
    super::members::write_json(conn, &sql, &rows, &|_| {}).await?;
    sqlx::query("UPDATE congress_round SET entry = 'ballots' WHERE id = $1")
        .bind(round_id)
        .execute(&mut *conn)
        .await
        .db()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// A congress's apportionment

async fn load_apportionment(conn: &mut Conn, congress: CongressId) -> Result<Option<CongressApportionment>> {
    let Some(row) = sqlx::query("SELECT as_of, result, names FROM congress_apportionment WHERE congress_id = $1")
        .bind(congress.get())
        .fetch_optional(&mut *conn)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let apportionment: rules::Apportionment = stored("result", &row.try_get::<String, _>("result").db()?)?;
    let names: Vec<Names> = stored("names", &row.try_get::<String, _>("names").db()?)?;
    let rows = sqlx::query(
        "SELECT tie, units, reason, decided_by, decided_at FROM congress_tie_decision WHERE congress_id = $1 ORDER BY tie",
    )
    .bind(congress.get())
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut decisions = vec![];
    for r in &rows {
        decisions.push(Decided {
            decision: rules::TieDecision {
                tie: r.try_get::<i64, _>("tie").db()?.clamp(0, i64::from(u32::MAX)) as u32,
                units: stored("units", &r.try_get::<String, _>("units").db()?)?,
                reason: r.try_get("reason").db()?,
            },
            by: r.try_get("decided_by").db()?,
            at: r.try_get("decided_at").db()?,
        });
    }
    let made: Vec<rules::TieDecision> = decisions.iter().map(|d| d.decision.clone()).collect();
    let (shares, open_seats) = rules::decided_shares(&apportionment, &made);
    Ok(Some(CongressApportionment {
        congress,
        as_of: row.try_get("as_of").db()?,
        apportionment,
        names,
        decisions,
        shares,
        open_seats,
    }))
}

fn to_text<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

/// A value an update binds after the congress's id (`$2`, `$3`, …).
enum Bound {
    Day(NaiveDate),
    Text(String),
    Flag(bool),
    Number(Option<i32>),
}

#[async_trait]
impl CongressStore for Backend {
    async fn terms(&self) -> Result<Vec<Term>> {
        let rows = sqlx::query(
            "SELECT t.code, t.year_from, t.year_to, (SELECT COUNT(*) FROM congress c WHERE c.term = t.code) AS n \
             FROM congress_term t ORDER BY t.year_from DESC",
        )
        .fetch_all(&mut *self.reader().acquire().await.db()?)
        .await
        .db()?;
        rows.iter()
            .map(|r| {
                Ok(Term {
                    code: r.try_get("code").db()?,
                    from: r.try_get("year_from").db()?,
                    to: r.try_get("year_to").db()?,
                    congresses: r.try_get::<i64, _>("n").db()?.max(0) as u64,
                })
            })
            .collect()
    }

    async fn plan_congress(&self, actor: &Actor, new: NewCongress) -> Result<Congress> {
        check_in_term("planned_on", new.term, new.planned_on)?;
        check_number(new.number)?;
        let mut tx = self.begin_write().await?;
        let unit_id = super::structure::live_unit_id(&mut tx, &new.unit, new.planned_on).await?;
        open_term(&mut tx, new.term).await?;
        let term = new.term.to_string();
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM congress WHERE term = $1 AND unit_id = $2")
            .bind(&term)
            .bind(unit_id)
            .fetch_optional(&mut *tx)
            .await
            .db()?;
        if let Some(other) = taken {
            return Err(Error::conflict(
                "congress_exists",
                format!("unit {}: it has a congress in the term {term} already (congress {other})", new.unit),
            )
            .into());
        }
        let id = CongressId::new(self.ids.next_id());
        sqlx::query(
            "INSERT INTO congress (id, term, unit_id, kind, number, planned_on, held_on, pilot, status, reason, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, 'planned', NULL, $8)",
        )
        .bind(id.get())
        .bind(&term)
        .bind(unit_id)
        .bind(new.kind.as_str())
        .bind(new.number.map(|n| n as i32))
        .bind(new.planned_on)
        .bind(new.pilot)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let (c, _) = load(&mut tx, id).await?;
        let target = format!("congress:{id}");
        let entry = AuditChange {
            action: "congress.plan",
            target: &target,
            unit_id: Some(unit_id),
            before: None,
            after: json(&c),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(c)
    }

    async fn change_congress(&self, actor: &Actor, id: CongressId, change: CongressChange) -> Result<Congress> {
        check_number(change.number)?;
        self.congress_write(actor, id, "congress.change", move |c| {
            check_planned(c, "changed")?;
            let planned_on = change.planned_on.unwrap_or(c.planned_on);
            check_in_term("planned_on", term_of(c)?, planned_on)?;
            let number = change.number.or(c.number).map(|n| n as i32);
            Ok((
                "planned_on = $2, pilot = $3, kind = $4, number = $5".into(),
                vec![
                    Bound::Day(planned_on),
                    Bound::Flag(change.pilot.unwrap_or(c.pilot)),
                    Bound::Text(change.kind.unwrap_or(c.kind).as_str().into()),
                    Bound::Number(number),
                ],
            ))
        })
        .await
    }

    async fn hold_congress(&self, actor: &Actor, id: CongressId, on: NaiveDate) -> Result<Congress> {
        if on > today() {
            return Err(Error::invalid("held_in_future", format!("held_on: {on} is after today")).into());
        }
        self.congress_write(actor, id, "congress.hold", move |c| {
            check_planned(c, "held")?;
            check_in_term("held_on", term_of(c)?, on)?;
            Ok(("held_on = $2, status = 'held'".into(), vec![Bound::Day(on)]))
        })
        .await
    }

    async fn cancel_congress(&self, actor: &Actor, id: CongressId, reason: &str) -> Result<Congress> {
        let Some(reason) = rules::written(reason, MAX_TEXT, true).map(str::to_string) else {
            return Err(Error::invalid("invalid_reason", format!("reason: from 1 to {MAX_TEXT} characters")).into());
        };
        self.congress_write(actor, id, "congress.cancel", move |c| {
            check_planned(c, "cancelled")?;
            Ok(("status = 'cancelled', reason = $2".into(), vec![Bound::Text(reason)]))
        })
        .await
    }

    async fn congress(&self, id: CongressId) -> Result<Congress> {
        Ok(load(&mut *self.reader().acquire().await.db()?, id).await?.0)
    }

    async fn schedule(&self, term: TermCode, unit: &UnitCode, as_of: NaiveDate) -> Result<Schedule> {
        let mut conn = self.reader().acquire().await.db()?;
        let top = super::structure::live_unit_id(&mut conn, unit, as_of).await?;
        let code = term.to_string();
        // The subtree on `as_of`.
        // The subtree on `as_of`, with each unit's depth below the top: a congress's level.
        let rows = sqlx::query(
            "WITH RECURSIVE sub(id, depth) AS (SELECT CAST($1 AS BIGINT), CAST(0 AS BIGINT) UNION ALL \
               SELECT v.unit_id, s.depth + 1 FROM sub s JOIN unit_version v ON v.parent_id = s.id \
               AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) \
             SELECT sub.id, sub.depth, u.code FROM sub JOIN unit u ON u.id = sub.id ORDER BY u.code",
        )
        .bind(top)
        .bind(as_of)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut subtree: Vec<(i64, UnitCode)> = vec![];
        let mut depth: HashMap<i64, i64> = HashMap::new();
        for r in &rows {
            let id: i64 = r.try_get("id").db()?;
            depth.insert(id, r.try_get::<i64, _>("depth").db()?);
            subtree.push((id, UnitCode::from_stored(r.try_get::<String, _>("code").db()?)));
        }
        let ids: Vec<i64> = subtree.iter().map(|(id, _)| *id).collect();
        let mut congresses: Vec<(Congress, i64)> = vec![];
        // The children of each congress's unit on the congress's day, with their congresses'
        // days in the term (a cancelled one counts as none).
        let mut below: BTreeMap<i64, Vec<Below>> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let list = id_list(chunk);
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "{CONGRESS_SELECT} WHERE c.term = $1 AND c.unit_id IN ({list})"
            )))
            .bind(&code)
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in &rows {
                congresses.push(congress_from_row(r)?);
            }
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT c.unit_id AS parent, u.code, COALESCE(cc.held_on, cc.planned_on) AS child_on \
                 FROM congress c \
                 JOIN unit_version v ON v.parent_id = c.unit_id AND v.valid_from <= COALESCE(c.held_on, c.planned_on) \
                   AND (v.valid_to IS NULL OR v.valid_to > COALESCE(c.held_on, c.planned_on)) \
                 JOIN unit u ON u.id = v.unit_id \
                 LEFT JOIN congress cc ON cc.unit_id = v.unit_id AND cc.term = c.term AND cc.status <> 'cancelled' \
                 WHERE c.term = $1 AND c.status <> 'cancelled' AND c.unit_id IN ({list}) ORDER BY u.code"
            )))
            .bind(&code)
            .fetch_all(&mut *conn)
            .await
            .db()?;
            for r in &rows {
                below
                    .entry(r.try_get("parent").db()?)
                    .or_default()
                    .push((r.try_get("code").db()?, r.try_get("child_on").db()?));
            }
        }
        congresses.sort_by(|(a, _), (b, _)| (a.on(), a.unit.as_str()).cmp(&(b.on(), b.unit.as_str())));
        let live: Vec<&(Congress, i64)> =
            congresses.iter().filter(|(c, _)| c.status != CongressStatus::Cancelled).collect();
        let slots: Vec<Slot> = live
            .iter()
            .map(|(c, id)| Slot {
                unit: c.unit.to_string(),
                level: depth.get(id).copied().unwrap_or_default().to_string(),
                on: c.on(),
                pilot: c.pilot,
            })
            .collect();
        let below: Vec<(String, Vec<Below>)> =
            live.iter().map(|(c, id)| (c.unit.to_string(), below.get(id).cloned().unwrap_or_default())).collect();
        let margin = self.profile.congress.schedule_margin_days;
        let breaches = rules::check_schedule(&slots, &below, margin);
        let held: std::collections::HashSet<i64> = live.iter().map(|(_, id)| *id).collect();
        let without = subtree.into_iter().filter(|(id, _)| !held.contains(id)).map(|(_, c)| c).collect();
        Ok(Schedule {
            term: code,
            unit: unit.clone(),
            as_of,
            margin_days: margin,
            passed: breaches.is_empty(),
            congresses: congresses.into_iter().map(|(c, _)| c).collect(),
            without,
            breaches,
        })
    }

    async fn set_delegates(&self, actor: &Actor, id: CongressId, list: Vec<Delegate>) -> Result<DelegateList> {
        rules::check_delegates(&list)?;
        let mut tx = self.begin_write().await?;
        let (c, unit_id) = load(&mut tx, id).await?;
        not_cancelled(&c)?;
        let before = load_delegates(&mut tx, id).await?;
        sqlx::query("DELETE FROM congress_delegate WHERE congress_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .db()?;
        // Each delegate's unit: live on the congress's day, in the congress's unit's subtree
        // (one read of the subtree on that day).
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{} SELECT sub.id, u.code FROM sub JOIN unit u ON u.id = sub.id",
            super::members::SUBTREE
        )))
        .bind(unit_id)
        .bind(c.on())
        .fetch_all(&mut *tx)
        .await
        .db()?;
        let mut units: HashMap<String, i64> = HashMap::with_capacity(rows.len());
        for r in &rows {
            units.insert(r.try_get("code").db()?, r.try_get("id").db()?);
        }
        let mut unit_ids: Vec<Option<i64>> = Vec::with_capacity(list.len());
        for (i, d) in list.iter().enumerate() {
            let Some(code) = d.unit.as_deref() else {
                unit_ids.push(None);
                continue;
            };
            let parsed = UnitCode::parse(code)
                .map_err(|e| Error::invalid("invalid_delegate", format!("delegate {}: {}", i + 1, e.message)))?;
            let Some(uid) = units.get(parsed.as_str()) else {
                return Err(Error::invalid(
                    "invalid_delegate",
                    format!("delegate {}: unit {code} is not under {} on {}", i + 1, c.unit, c.on()),
                )
                .into());
            };
            unit_ids.push(Some(*uid));
        }
        // The rows as one JSON text a chunk (`json_rows`), as the project's bulk writes are.
        let rows: Vec<serde_json::Value> = list
            .iter()
            .zip(&unit_ids)
            .enumerate()
            .map(|(k, (d, uid))| {
                serde_json::json!([
                    id.get(),
                    k as i64 + 1,
                    d.name.trim(),
                    d.kind.as_str(),
                    uid,
                    d.attendance.as_str(),
                    d.replaces.map(i64::from)
                ])
            })
            .collect();
        use super::common::JsonCol::{Int, Text};
        let sql = format!(
            "INSERT INTO congress_delegate (congress_id, position, name, kind, unit_id, attendance, replaces) {}",
            super::common::json_rows(&[Int, Int, Text, Text, Int, Text, Int])
        );
        super::members::write_json(&mut tx, &sql, &rows, &|_| {}).await?;
        let after = load_delegates(&mut tx, id).await?;
        audited(&mut tx, actor, "congress.delegates", format!("congress:{id}"), unit_id, Some(&before), &after).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn delegates(&self, id: CongressId) -> Result<DelegateList> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, id).await?;
        load_delegates(&mut conn, id).await
    }

    async fn create_election(&self, actor: &Actor, congress: CongressId, title: &str, seats: u64) -> Result<Election> {
        let Some(title) = rules::written(title, MAX_TEXT, false) else {
            return Err(Error::invalid("invalid_election", format!("title: from 1 to {MAX_TEXT} characters")).into());
        };
        if seats == 0 || seats > rules::MAX_ELECTION_SEATS {
            return Err(
                Error::invalid("invalid_election", format!("seats: from 1 to {}", rules::MAX_ELECTION_SEATS)).into()
            );
        }
        let mut tx = self.begin_write().await?;
        let (c, unit_id) = load(&mut tx, congress).await?;
        not_cancelled(&c)?;
        let id = ElectionId::new(self.ids.next_id());
        sqlx::query(
            "INSERT INTO congress_election (id, congress_id, title, seats, recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.get())
        .bind(congress.get())
        .bind(title)
        .bind(seats as i64)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let (e, _) = load_election(&mut tx, &self.profile, id, None).await?;
        audited(&mut tx, actor, "congress.election", format!("election:{id}"), unit_id, None::<&()>, &e).await?;
        self.commit(tx).await?;
        Ok(e)
    }

    async fn set_candidates(&self, actor: &Actor, id: ElectionId, list: Vec<Candidate>) -> Result<Election> {
        let mut tx = self.begin_write().await?;
        let (before, congress) = load_election(&mut tx, &self.profile, id, None).await?;
        let (c, unit_id) = load(&mut tx, congress).await?;
        not_cancelled(&c)?;
        if before.rounds > 0 {
            return Err(Error::conflict(
                "election_voting",
                format!("election {id}: its vote has begun; the candidate list is kept as it went to the ballot"),
            )
            .into());
        }
        rules::check_candidates(&list, before.review.present)?;
        sqlx::query("DELETE FROM congress_candidate WHERE election_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .db()?;
        let rows: Vec<serde_json::Value> = list
            .iter()
            .enumerate()
            .map(|(k, cand)| {
                serde_json::json!([
                    id.get(),
                    k as i64 + 1,
                    cand.name.trim(),
                    if cand.nomination == Nomination::Floor { "floor" } else { "list" },
                    cand.support.map(|s| s.min(i64::MAX as u64) as i64),
                    cand.withdrawn
                ])
            })
            .collect();
        use super::common::JsonCol::{Bool, Int, Text};
        let sql = format!(
            "INSERT INTO congress_candidate (election_id, position, name, nomination, support, withdrawn) {}",
            super::common::json_rows(&[Int, Int, Text, Text, Int, Bool])
        );
        super::members::write_json(&mut tx, &sql, &rows, &|_| {}).await?;
        let (after, _) = load_election(&mut tx, &self.profile, id, None).await?;
        audited(&mut tx, actor, "congress.candidates", format!("election:{id}"), unit_id, Some(&before), &after)
            .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn election(&self, id: ElectionId) -> Result<Election> {
        let mut conn = self.reader().acquire().await.db()?;
        Ok(load_election(&mut conn, &self.profile, id, None).await?.0)
    }

    async fn election_congress(&self, id: ElectionId) -> Result<CongressId> {
        election_congress_of(&mut *self.reader().acquire().await.db()?, id).await
    }

    async fn elections(&self, congress: CongressId) -> Result<Vec<Election>> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, congress).await?;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM congress_election WHERE congress_id = $1 ORDER BY id")
            .bind(congress.get())
            .fetch_all(&mut *conn)
            .await
            .db()?;
        let present = load_delegates(&mut conn, congress).await?.credentials.present;
        let mut out = vec![];
        for id in ids {
            out.push(load_election(&mut conn, &self.profile, ElectionId::new(id), Some(present)).await?.0);
        }
        Ok(out)
    }

    async fn open_round(&self, actor: &Actor, election: ElectionId) -> Result<Round> {
        let mut tx = self.begin_write().await?;
        let (_, unit_id, rounds) = election_to_change(&mut tx, election).await?;
        if rounds > 0 {
            return Err(Error::conflict(
                "election_voting",
                format!("election {election}: its first round is open already"),
            )
            .into());
        }
        let (e, _) = load_election(&mut tx, &self.profile, election, None).await?;
        let (seats, names) = rules::first_round(&e.review)?;
        insert_round(&mut tx, self.ids.next_id(), election, 1, seats, &names).await?;
        let round = audit_round(&mut tx, actor, "congress.round", election, unit_id, None, 1).await?;
        self.commit(tx).await?;
        Ok(round)
    }

    async fn rounds(&self, election: ElectionId) -> Result<Vec<Round>> {
        let mut conn = self.reader().acquire().await.db()?;
        election_congress_of(&mut conn, election).await?;
        Ok(load_rounds(&mut conn, election).await?.into_iter().map(|(r, _)| r).collect())
    }

    async fn add_ballot(&self, actor: &Actor, election: ElectionId, round: u32, marks: Vec<bool>) -> Result<Round> {
        let mut tx = self.begin_write().await?;
        let (c, unit_id, _) = election_to_change(&mut tx, election).await?;
        let (before, round_id) = open_round_of(&mut tx, election, round).await?;
        if before.entry == VoteEntry::Tally {
            return Err(Error::conflict(
                "round_entry",
                format!("round {round}: its votes are entered as tallies; replace them to enter ballots"),
            )
            .into());
        }
        if marks.len() != before.candidates.len() {
            return Err(Error::invalid(
                "invalid_ballot",
                format!("ballot: {} marks for the {} names of round {round}", marks.len(), before.candidates.len()),
            )
            .into());
        }
        let present = load_delegates(&mut tx, c.id).await?.credentials.present;
        if before.ballots >= present.min(rules::MAX_BALLOTS as u64) {
            return Err(Error::invalid(
                "invalid_ballot",
                format!(
                    "ballot: round {round} has {} ballots already, one for each of the {present} delegates present",
                    before.ballots
                ),
            )
            .into());
        }
        write_ballots(&mut tx, round_id, before.ballots, &[marks]).await?;
        let after = audit_round(&mut tx, actor, "congress.ballot", election, unit_id, Some(&before), round).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn set_ballots(
        &self,
        actor: &Actor,
        election: ElectionId,
        round: u32,
        ballots: Vec<Vec<bool>>,
    ) -> Result<Round> {
        let mut tx = self.begin_write().await?;
        let (c, unit_id, _) = election_to_change(&mut tx, election).await?;
        let (before, round_id) = open_round_of(&mut tx, election, round).await?;
        let credentials = load_delegates(&mut tx, c.id).await?.credentials;
        // Checked as the count will check them: marks per name, ballots per delegate.
        let trial = Round { entry: VoteEntry::Ballots, ..before.clone() };
        rules::count_round(&trial, ballots.clone(), self.profile.congress.base, &credentials)?;
        clear_votes(&mut tx, round_id).await?;
        write_ballots(&mut tx, round_id, 0, &ballots).await?;
        let after = audit_round(&mut tx, actor, "congress.ballots", election, unit_id, Some(&before), round).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn set_tally(&self, actor: &Actor, election: ElectionId, round: u32, tally: RoundTally) -> Result<Round> {
        let mut tx = self.begin_write().await?;
        let (c, unit_id, _) = election_to_change(&mut tx, election).await?;
        let (before, round_id) = open_round_of(&mut tx, election, round).await?;
        let credentials = load_delegates(&mut tx, c.id).await?.credentials;
        let trial = Round { entry: VoteEntry::Tally, tally: Some(tally.clone()), ..before.clone() };
        rules::count_round(&trial, vec![], self.profile.congress.base, &credentials)?;
        clear_votes(&mut tx, round_id).await?;
        let votes = serde_json::to_string(&tally.votes).map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query(
            "UPDATE congress_round SET entry = 'tally', cast_count = $2, valid_count = $3, votes = $4 WHERE id = $1",
        )
        .bind(round_id)
        .bind(tally.cast as i64)
        .bind(tally.valid as i64)
        .bind(votes)
        .execute(&mut *tx)
        .await
        .db()?;
        let after = audit_round(&mut tx, actor, "congress.tally", election, unit_id, Some(&before), round).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn count_round(
        &self,
        actor: &Actor,
        election: ElectionId,
        round: u32,
        issued: Option<u64>,
    ) -> Result<Vec<Round>> {
        let mut tx = self.begin_write().await?;
        let (c, unit_id, _) = election_to_change(&mut tx, election).await?;
        let (before, round_id) = open_round_of(&mut tx, election, round).await?;
        let credentials = load_delegates(&mut tx, c.id).await?.credentials;
        let ballots = if before.entry == VoteEntry::Ballots { load_ballots(&mut tx, round_id).await? } else { vec![] };
        let asked = Round { issued: issued.or(before.issued), ..before.clone() };
        let tally = rules::count_round(&asked, ballots, self.profile.congress.base, &credentials)?;
        let result = serde_json::to_string(&tally).map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query(
            "UPDATE congress_round SET status = 'counted', issued = $2, result = $3, counted_at = $4 WHERE id = $1",
        )
        .bind(round_id)
        .bind(asked.issued.map(|i| i as i64))
        .bind(result)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        audit_round(&mut tx, actor, "congress.count", election, unit_id, Some(&before), round).await?;
        if let Some(next) = &tally.next_round
            && round < rules::MAX_ROUNDS
        {
            insert_round(&mut tx, self.ids.next_id(), election, round + 1, next.seats, &next.candidates).await?;
            audit_round(&mut tx, actor, "congress.round", election, unit_id, None, round + 1).await?;
        }
        let rounds = load_rounds(&mut tx, election).await?.into_iter().map(|(r, _)| r).collect();
        self.commit(tx).await?;
        Ok(rounds)
    }

    async fn publish_results(&self, actor: &Actor, election: ElectionId) -> Result<Election> {
        let mut tx = self.begin_write().await?;
        let (_, unit_id, _) = election_to_change(&mut tx, election).await?;
        let counted = load_rounds(&mut tx, election).await?.iter().any(|(r, _)| r.status == RoundStatus::Counted);
        if !counted {
            return Err(Error::conflict(
                "nothing_to_publish",
                format!("election {election}: no round is counted yet; count one before publishing"),
            )
            .into());
        }
        let (before, _) = load_election(&mut tx, &self.profile, election, None).await?;
        if before.published_at.is_some() {
            return Ok(before);
        }
        sqlx::query("UPDATE congress_election SET published_at = $2 WHERE id = $1")
            .bind(election.get())
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .db()?;
        let (after, _) = load_election(&mut tx, &self.profile, election, None).await?;
        audited(&mut tx, actor, "congress.publish", format!("election:{election}"), unit_id, Some(&before), &after)
            .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn apportion_congress(
        &self,
        actor: &Actor,
        congress: CongressId,
        ask: ApportionAsk,
    ) -> Result<CongressApportionment> {
        if ask.as_of > today() {
            return Err(Error::invalid("invalid_apportionment", format!("as_of: {} is after today", ask.as_of)).into());
        }
        let c = self.congress(congress).await?;
        if c.kind != CongressKind::Delegates {
            return Err(Error::invalid(
                "invalid_apportionment",
                format!("congress {congress}: a congress of all the members has no delegates to share"),
            )
            .into());
        }
        not_cancelled(&c)?;
        let below = self.totals_below(&c.unit, ask.as_of).await?;
        if below.is_empty() {
            return Err(Error::invalid(
                "invalid_apportionment",
                format!("unit: {} has no units below it on {}", c.unit, ask.as_of),
            )
            .into());
        }
        let result = rules::Apportion {
            method: ask.method,
            seats: ask.seats,
            min: ask.min,
            base: ask.base,
            per: ask.per,
            ex_officio: ask.ex_officio,
            units: below.iter().map(|(u, m)| (u.code.to_string(), *m)).collect(),
        }
        .run()?;
        let names: Vec<Names> = below.into_iter().map(|(u, _)| u.name).collect();
        let mut tx = self.begin_write().await?;
        let (_, unit_id) = load(&mut tx, congress).await?;
        let before = load_apportionment(&mut tx, congress).await?;
        for table in ["congress_tie_decision", "congress_apportionment"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE congress_id = $1")))
                .bind(congress.get())
                .execute(&mut *tx)
                .await
                .db()?;
        }
        sqlx::query(
            "INSERT INTO congress_apportionment (congress_id, as_of, result, names, recorded_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(congress.get())
        .bind(ask.as_of)
        .bind(to_text(&result)?)
        .bind(to_text(&names)?)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let after = load_apportionment(&mut tx, congress)
            .await?
            .ok_or_else(|| StoreError::Backend("the apportionment just written is not there".into()))?;
        audited(&mut tx, actor, "congress.apportion", format!("congress:{congress}"), unit_id, before.as_ref(), &after)
            .await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn congress_apportionment(&self, congress: CongressId) -> Result<Option<CongressApportionment>> {
        let mut conn = self.reader().acquire().await.db()?;
        load(&mut conn, congress).await?;
        load_apportionment(&mut conn, congress).await
    }

    async fn decide_tie(
        &self,
        actor: &Actor,
        congress: CongressId,
        decision: rules::TieDecision,
    ) -> Result<CongressApportionment> {
        let mut tx = self.begin_write().await?;
        let (c, unit_id) = load(&mut tx, congress).await?;
        not_cancelled(&c)?;
        let before = load_apportionment(&mut tx, congress).await?.ok_or_else(|| {
            StoreError::from(Error::conflict(
                "no_apportionment",
                format!("congress {congress}: no apportionment is recorded to decide a tie of"),
            ))
        })?;
        let made: Vec<rules::TieDecision> = before.decisions.iter().map(|d| d.decision.clone()).collect();
        rules::check_decision(&before.apportionment, &made, &decision)?;
        sqlx::query(
            "INSERT INTO congress_tie_decision (congress_id, tie, units, reason, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(congress.get())
        .bind(i64::from(decision.tie))
        .bind(to_text(&decision.units)?)
        .bind(decision.reason.trim())
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let after = load_apportionment(&mut tx, congress)
            .await?
            .ok_or_else(|| StoreError::Backend("the apportionment vanished".into()))?;
        audited(&mut tx, actor, "congress.decide", format!("congress:{congress}"), unit_id, Some(&before), &after)
            .await?;
        self.commit(tx).await?;
        Ok(after)
    }
}
