// Inspection and supervision, and discipline, written once for both backends (see mod.rs for
// how this folder is compiled). The rules are `orgwork_domain::inspection`'s; this loads their
// facts (the subjects' and the team's places in the tree over a window, the ladders) and keeps
// the programmes, inspections, findings, recommendations and cases.

use super::Backend;
use super::audit::{Change as AuditChange, append, now_text};
use super::common::{Conn, DbResult, id_list};
use super::members::{path_on, segments};
use async_trait::async_trait;
use chrono::{Datelike, NaiveDate};
use orgwork_domain::Error;
use orgwork_domain::inspection::{
    self as rules, Against, AppealOutcome, CaseStatus, ConclusionInput, Conflict, FindingKind, InspectionStatus,
    RecommendationStatus, SubjectFacts, TeamFacts,
};
use orgwork_domain::members::{Span, Status};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    Actor, Appeal, BulkInspectionProgramme, CaseFilter, CaseId, CoverageReport, DisciplineCase, Finding, FindingId,
    FollowUp, Inspection, InspectionAmendment, InspectionId, InspectionProgramme, InspectionProgrammeId,
    InspectionStore, MemberId, NewCase, NewInspection, ProgrammeStatus, Recommendation, RecommendationFilter,
    RecommendationId, Reschedule, Result, StoreError, Subject, SubjectRef,
};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Most regulations one inspection lists as criteria.
const MAX_CRITERIA: usize = 50;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn bad_json(e: serde_json::Error) -> StoreError {
    StoreError::Backend(format!("inspection: {e}"))
}

/// The programme's row: the programme without its inspections, and its body's id.
async fn programme_row(conn: &mut Conn, id: InspectionProgrammeId) -> Result<(InspectionProgramme, i64)> {
    let row = sqlx::query(
        "SELECT p.unit_id, u.code, p.year, p.status, p.decision, p.approved_on FROM inspection_programme p \
         JOIN unit u ON u.id = p.unit_id WHERE p.id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await
    .db()?
    .ok_or_else(|| StoreError::from(InspectionProgrammeId::not_found(id)))?;
    let status: String = row.try_get("status").db()?;
    Ok((
        InspectionProgramme {
            id,
            body: UnitCode::from_stored(row.try_get::<String, _>("code").db()?),
            year: row.try_get::<i32, _>("year").db()?,
            status: ProgrammeStatus::parse(&status)
                .ok_or_else(|| StoreError::Backend(format!("inspection programme status '{status}'")))?,
            decision: row.try_get("decision").db()?,
            approved_on: row.try_get("approved_on").db()?,
            inspections: vec![],
        },
        row.try_get("unit_id").db()?,
    ))
}

async fn load_programme(store: &Backend, conn: &mut Conn, id: InspectionProgrammeId) -> Result<InspectionProgramme> {
    let (mut p, _) = programme_row(conn, id).await?;
    p.inspections = load_inspections_where(store, conn, "i.programme_id = $1", id.get()).await?;
    Ok(p)
}

fn subject_of(unit: Option<String>, member: Option<i64>, name: Option<String>) -> Subject {
    Subject { unit: unit.map(UnitCode::from_stored), member: member.map(MemberId::new), name }
}

/// An inspection with its subjects, team, findings and recommendations.
async fn load_inspection(store: &Backend, conn: &mut Conn, id: InspectionId) -> Result<Inspection> {
    load_inspections_where(store, conn, "i.id = $1", id.get())
        .await?
        .pop()
        .ok_or_else(|| StoreError::from(InspectionId::not_found(id)))
}

/// The inspections meeting a condition on one number (`$1`) over `inspection i`, by window
/// and id, each with its subjects, team, findings and recommendations: five statements
/// whatever their number.
async fn load_inspections_where(
    store: &Backend,
    conn: &mut Conn,
    condition: &str,
    arg: i64,
) -> Result<Vec<Inspection>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT i.id, i.programme_id, u.code, p.year, i.kind, i.topic, i.criteria, i.window_from, i.window_to, \
         i.status, i.status_reason, i.override_reason, i.conflicts, i.started_on, i.concluded_on \
         FROM inspection i JOIN inspection_programme p ON p.id = i.programme_id JOIN unit u ON u.id = p.unit_id \
         WHERE {condition} ORDER BY i.window_from, i.id"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let within = format!("IN (SELECT i.id FROM inspection i WHERE {condition})");
    let mut subjects: BTreeMap<i64, Vec<Subject>> = BTreeMap::new();
    for r in sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT s.inspection_id, u.code, s.member_id, m.full_name FROM inspection_subject s \
         LEFT JOIN unit u ON u.id = s.unit_id LEFT JOIN member m ON m.id = s.member_id \
         WHERE s.inspection_id {within} ORDER BY s.inspection_id, s.position"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await
    .db()?
    {
        let subject = subject_of(r.try_get("code").db()?, r.try_get("member_id").db()?, r.try_get("full_name").db()?);
        subjects.entry(r.try_get("inspection_id").db()?).or_default().push(subject);
    }
    let mut teams: BTreeMap<i64, (String, Vec<String>)> = BTreeMap::new();
    for t in sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT t.inspection_id, a.name, t.head FROM inspection_team t JOIN app_user a ON a.id = t.user_id \
         WHERE t.inspection_id {within} ORDER BY t.inspection_id, t.position"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await
    .db()?
    {
        let name: String = t.try_get("name").db()?;
        let team = teams.entry(t.try_get("inspection_id").db()?).or_default();
        if t.try_get::<bool, _>("head").db()? {
            team.0 = name;
        } else {
            team.1.push(name);
        }
    }
    let mut findings: BTreeMap<i64, Vec<Finding>> = BTreeMap::new();
    for r in sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT f.id, f.inspection_id, u.code, f.subject_member_id, m.full_name, f.kind, f.severity, f.regulation, \
         f.text, f.repeat_of FROM finding f LEFT JOIN unit u ON u.id = f.subject_unit_id \
         LEFT JOIN member m ON m.id = f.subject_member_id WHERE f.inspection_id {within} \
         ORDER BY f.inspection_id, f.position"
    )))
    .bind(arg)
    .fetch_all(&mut *conn)
    .await
    .db()?
    {
        let kind: String = r.try_get("kind").db()?;
        let inspection: i64 = r.try_get("inspection_id").db()?;
        findings.entry(inspection).or_default().push(Finding {
            id: FindingId::new(r.try_get("id").db()?),
            inspection: InspectionId::new(inspection),
            subject: subject_of(
                r.try_get("code").db()?,
                r.try_get("subject_member_id").db()?,
                r.try_get("full_name").db()?,
            ),
            kind: FindingKind::parse(&kind).ok_or_else(|| StoreError::Backend(format!("finding kind '{kind}'")))?,
            severity: r.try_get("severity").db()?,
            regulation: r.try_get("regulation").db()?,
            text: r.try_get("text").db()?,
            repeat_of: r.try_get::<Option<i64>, _>("repeat_of").db()?.map(FindingId::new),
        });
    }
    let mut recommendations: BTreeMap<InspectionId, Vec<Recommendation>> = BTreeMap::new();
    for r in load_recommendations(conn, &format!("r.inspection_id {within}"), arg, today()).await? {
        recommendations.entry(r.inspection).or_default().push(r);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id").db()?;
        let status: String = row.try_get("status").db()?;
        let kind: String = row.try_get("kind").db()?;
        let criteria: String = row.try_get("criteria").db()?;
        let conflicts: String = row.try_get("conflicts").db()?;
        let (head, members) = teams.remove(&id).unwrap_or_default();
        out.push(Inspection {
            id: InspectionId::new(id),
            programme: InspectionProgrammeId::new(row.try_get("programme_id").db()?),
            body: UnitCode::from_stored(row.try_get::<String, _>("code").db()?),
            year: row.try_get::<i32, _>("year").db()?,
            supervision: store.profile.inspection.is_supervision(&kind),
            kind,
            subjects: subjects.remove(&id).unwrap_or_default(),
            topic: row.try_get("topic").db()?,
            criteria: serde_json::from_str(&criteria).map_err(bad_json)?,
            from: row.try_get("window_from").db()?,
            to: row.try_get("window_to").db()?,
            head,
            members,
            status: InspectionStatus::parse(&status)
                .ok_or_else(|| StoreError::Backend(format!("inspection status '{status}'")))?,
            reason: row.try_get("status_reason").db()?,
            conflicts: serde_json::from_str::<Vec<Conflict>>(&conflicts).map_err(bad_json)?,
            override_reason: row.try_get("override_reason").db()?,
            started_on: row.try_get("started_on").db()?,
            concluded_on: row.try_get("concluded_on").db()?,
            findings: findings.remove(&id).unwrap_or_default(),
            recommendations: recommendations.remove(&InspectionId::new(id)).unwrap_or_default(),
        });
    }
    Ok(out)
}

const RECOMMENDATION_SELECT: &str = "SELECT r.id, r.inspection_id, r.finding_id, au.code AS addressee, r.text, r.due, \
     ou.name AS owner, r.status, r.done_on, r.evidence, r.reported_by, r.verified_on, r.verified_by, bu.code AS body, \
     r.addressee_unit_id \
     FROM recommendation r JOIN unit au ON au.id = r.addressee_unit_id JOIN app_user ou ON ou.id = r.owner_user_id \
     JOIN inspection i ON i.id = r.inspection_id JOIN inspection_programme p ON p.id = i.programme_id \
     JOIN unit bu ON bu.id = p.unit_id WHERE ";

/// Recommendations meeting a condition on one number (`$1`), with their follow-up, as of a
/// day (for the overdue flag); each with its addressee's id.
async fn load_recommendations_with_units(
    conn: &mut Conn,
    condition: &str,
    arg: i64,
    as_of: NaiveDate,
) -> Result<Vec<(Recommendation, i64)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{RECOMMENDATION_SELECT}{condition} ORDER BY r.due, r.id")))
        .bind(arg)
        .fetch_all(&mut *conn)
        .await
        .db()?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let status: String = r.try_get("status").db()?;
        let status = RecommendationStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("recommendation status '{status}'")))?;
        let due: NaiveDate = r.try_get("due").db()?;
        out.push((
            Recommendation {
                id: RecommendationId::new(r.try_get("id").db()?),
                inspection: InspectionId::new(r.try_get("inspection_id").db()?),
                finding: r.try_get::<Option<i64>, _>("finding_id").db()?.map(FindingId::new),
                body: UnitCode::from_stored(r.try_get::<String, _>("body").db()?),
                addressee: UnitCode::from_stored(r.try_get::<String, _>("addressee").db()?),
                text: r.try_get("text").db()?,
                due,
                owner: r.try_get("owner").db()?,
                status,
                overdue: rules::is_overdue(status, due, as_of),
                done_on: r.try_get("done_on").db()?,
                evidence: r.try_get("evidence").db()?,
                reported_by: r.try_get("reported_by").db()?,
                verified_on: r.try_get("verified_on").db()?,
                verified_by: r.try_get("verified_by").db()?,
                events: vec![],
            },
            r.try_get("addressee_unit_id").db()?,
        ));
    }
    if !out.is_empty() {
        let ids: Vec<i64> = out.iter().map(|(r, _)| r.id.get()).collect();
        let events = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT recommendation_id, event, on_day, note, actor FROM recommendation_event \
             WHERE recommendation_id IN ({}) ORDER BY id",
            id_list(&ids)
        )))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut by: BTreeMap<i64, Vec<FollowUp>> = BTreeMap::new();
        for e in events {
            by.entry(e.try_get("recommendation_id").db()?).or_default().push(FollowUp {
                event: e.try_get("event").db()?,
                on: e.try_get("on_day").db()?,
                note: e.try_get("note").db()?,
                by: e.try_get("actor").db()?,
            });
        }
        for (r, _) in &mut out {
            r.events = by.remove(&r.id.get()).unwrap_or_default();
        }
    }
    Ok(out)
}

async fn load_recommendations(
    conn: &mut Conn,
    condition: &str,
    arg: i64,
    as_of: NaiveDate,
) -> Result<Vec<Recommendation>> {
    Ok(load_recommendations_with_units(conn, condition, arg, as_of).await?.into_iter().map(|(r, _)| r).collect())
}

async fn one_recommendation(conn: &mut Conn, id: RecommendationId, as_of: NaiveDate) -> Result<(Recommendation, i64)> {
    load_recommendations_with_units(conn, "r.id = $1", id.get(), as_of)
        .await?
        .pop()
        .ok_or_else(|| RecommendationId::not_found(id).into())
}

/// The memberships of a member that meet a window: (unit, from, to), cut to the window.
async fn memberships_over(conn: &mut Conn, member: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<(i64, Span)>> {
    let rows = sqlx::query(
        "SELECT unit_id, valid_from, valid_to FROM membership \
         WHERE member_id = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $2) ORDER BY valid_from",
    )
    .bind(member)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let end = to.succ_opt();
    rows.iter()
        .map(|r| {
            let vf: NaiveDate = r.try_get("valid_from").db()?;
            let vt: Option<NaiveDate> = r.try_get("valid_to").db()?;
            let to = match (vt, end) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            Ok((r.try_get("unit_id").db()?, Span { from: vf.max(from), to }))
        })
        .collect()
}

/// Every path of a unit over a span.
async fn paths_in(conn: &mut Conn, unit: i64, span: Span) -> Result<Vec<(NaiveDate, Vec<i64>)>> {
    Ok(segments(conn, unit, span).await?.into_iter().map(|(day, _, path)| (day, path)).collect())
}

async fn user_id(conn: &mut Conn, name: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM app_user WHERE name = $1")
        .bind(name.trim())
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| Error::not_found("user_not_found", format!("no user is named '{}'", name.trim())).into())
}

async fn member_name(conn: &mut Conn, id: i64) -> Result<String> {
    sqlx::query_scalar("SELECT full_name FROM member WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| MemberId::not_found(id).into())
}

/// The unit (id) a member belongs to on a day.
async fn member_unit_on(conn: &mut Conn, member: i64, day: NaiveDate) -> Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT unit_id FROM membership WHERE member_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)",
    )
    .bind(member)
    .bind(day)
    .fetch_optional(&mut *conn)
    .await
    .db()
}

/// The ids of a unit's subtree on a day (the unit first), with their codes, in code order.
pub(super) async fn subtree_ids(conn: &mut Conn, top: i64, day: NaiveDate) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
         SELECT v.unit_id FROM unit_version v JOIN sub ON v.parent_id = sub.id \
         WHERE v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) \
         SELECT sub.id, u.code FROM sub JOIN unit u ON u.id = sub.id ORDER BY sub.id = $1 DESC, u.code",
    )
    .bind(top)
    .bind(day)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    rows.iter().map(|r| Ok((r.try_get("id").db()?, r.try_get("code").db()?))).collect()
}

/// An inspection's team rows, the head first.
async fn write_team(tx: &mut Conn, id: InspectionId, team: &[(i64, TeamFacts)]) -> Result<()> {
    for (i, (uid, _)) in team.iter().enumerate() {
        sqlx::query("INSERT INTO inspection_team (inspection_id, user_id, position, head) VALUES ($1, $2, $3, $4)")
            .bind(id.get())
            .bind(uid)
            .bind(i as i64)
            .bind(i == 0)
            .execute(&mut *tx)
            .await
            .db()?;
    }
    Ok(())
}

fn inspection_json(i: &Inspection) -> Option<serde_json::Value> {
    serde_json::to_value(i).ok()
}

#[allow(clippy::too_many_arguments)]
async fn record_amendment(
    store: &Backend,
    tx: &mut Conn,
    actor: &Actor,
    programme: InspectionProgrammeId,
    before: Option<&Inspection>,
    after: &Inspection,
    on: NaiveDate,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inspection_amendment (id, programme_id, inspection_id, before_body, after_body, on_day, reason, \
         restructuring_id, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)",
    )
    .bind(store.ids.next_id())
    .bind(programme.get())
    .bind(after.id.get())
    .bind(before.map(serde_json::to_string).transpose().map_err(bad_json)?)
    .bind(serde_json::to_string(after).map_err(bad_json)?)
    .bind(on)
    .bind(reason)
    .bind(&actor.name)
    .bind(now_text())
    .execute(&mut *tx)
    .await
    .db()?;
    Ok(())
}

async fn load_cases(conn: &mut Conn, condition: &str, args: &[i64]) -> Result<Vec<DisciplineCase>> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT c.id, c.member_id, m.full_name, cu.code AS unit, c.finding_id, bu.code AS body, c.measure, \
         c.measure_now, c.reason, c.opened_on, c.status, c.decision, c.issued_on \
         FROM discipline_case c JOIN unit cu ON cu.id = c.unit_id JOIN unit bu ON bu.id = c.body_unit_id \
         LEFT JOIN member m ON m.id = c.member_id WHERE {condition} ORDER BY c.opened_on, c.id"
    )));
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.fetch_all(&mut *conn).await.db()?;
    let mut out = vec![];
    for r in rows {
        let status: String = r.try_get("status").db()?;
        let member: Option<i64> = r.try_get("member_id").db()?;
        out.push(DisciplineCase {
            id: CaseId::new(r.try_get("id").db()?),
            against: if member.is_some() { Against::Member } else { Against::Unit },
            member: member.map(MemberId::new),
            member_name: r.try_get("full_name").db()?,
            unit: Some(UnitCode::from_stored(r.try_get::<String, _>("unit").db()?)),
            finding: r.try_get::<Option<i64>, _>("finding_id").db()?.map(FindingId::new),
            body: UnitCode::from_stored(r.try_get::<String, _>("body").db()?),
            measure: r.try_get("measure").db()?,
            measure_now: r.try_get("measure_now").db()?,
            reason: r.try_get("reason").db()?,
            opened_on: r.try_get("opened_on").db()?,
            status: CaseStatus::parse(&status).ok_or_else(|| StoreError::Backend(format!("case status '{status}'")))?,
            decision: r.try_get("decision").db()?,
            issued_on: r.try_get("issued_on").db()?,
            appeals: vec![],
        });
    }
    if !out.is_empty() {
        let ids: Vec<i64> = out.iter().map(|c| c.id.get()).collect();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT a.case_id, a.on_day, u.code, a.outcome, a.measure_before, a.measure_after, a.decision, a.actor \
             FROM discipline_appeal a JOIN unit u ON u.id = a.body_unit_id WHERE a.case_id IN ({}) \
             ORDER BY a.case_id, a.position",
            id_list(&ids)
        )))
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut by: BTreeMap<i64, Vec<Appeal>> = BTreeMap::new();
        for a in rows {
            let outcome: String = a.try_get("outcome").db()?;
            by.entry(a.try_get("case_id").db()?).or_default().push(Appeal {
                on: a.try_get("on_day").db()?,
                body: UnitCode::from_stored(a.try_get::<String, _>("code").db()?),
                outcome: AppealOutcome::parse(&outcome)?,
                before: a.try_get("measure_before").db()?,
                after: a.try_get("measure_after").db()?,
                decision: a.try_get("decision").db()?,
                by: a.try_get("actor").db()?,
            });
        }
        for c in &mut out {
            c.appeals = by.remove(&c.id.get()).unwrap_or_default();
        }
    }
    Ok(out)
}

async fn one_case(conn: &mut Conn, id: CaseId) -> Result<DisciplineCase> {
    load_cases(conn, "c.id = $1", &[id.get()]).await?.pop().ok_or_else(|| CaseId::not_found(id).into())
}

fn check_decision(decision: &str) -> Result<String> {
    let d = decision.trim();
    if d.is_empty() || d.chars().count() > 200 {
        return Err(
            Error::invalid("invalid_decision", "decision: give the decision's number (1 to 200 characters)").into()
        );
    }
    Ok(d.to_string())
}

fn case_json(c: &DisciplineCase) -> Option<serde_json::Value> {
    serde_json::to_value(c).ok()
}

fn programme_json(p: &InspectionProgramme) -> Option<serde_json::Value> {
    serde_json::to_value(p).ok()
}

impl Backend {
    /// A subject's facts for the conflict check, after checking that it lies in the body's
    /// subtree on every day of the window it is live or a member.
    async fn subject_facts(
        &self,
        tx: &mut Conn,
        subject: &SubjectRef,
        body: (i64, &UnitCode),
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(SubjectFacts, Option<i64>, Option<i64>)> {
        let outside = |what: String, day: NaiveDate| -> StoreError {
            Error::rule("subject_outside_body", format!("subject: {what} is not in {}'s subtree on {day}", body.1))
                .into()
        };
        match subject {
            SubjectRef::Unit(code) => {
                let unit = super::structure::live_unit_id(tx, code, from).await?;
                for (day, path) in paths_in(tx, unit, Span { from, to: to.succ_opt() }).await? {
                    if !path.contains(&body.0) {
                        return Err(outside(code.to_string(), day));
                    }
                }
                Ok((SubjectFacts { label: code.to_string(), units: vec![unit], member: None }, Some(unit), None))
            }
            SubjectRef::Member(m) => {
                let name = member_name(tx, m.get()).await?;
                let label = format!("{name} (member {m})");
                let spans = memberships_over(tx, m.get(), from, to).await?;
                if spans.is_empty() {
                    return Err(Error::rule(
                        "subject_not_member",
                        format!("subject: {label} belongs to no unit from {from} to {to}"),
                    )
                    .into());
                }
                let mut units = vec![];
                for (unit, span) in spans {
                    for (day, path) in paths_in(tx, unit, span).await? {
                        if !path.contains(&body.0) {
                            return Err(outside(label.clone(), day));
                        }
                    }
                    units.push(unit);
                }
                Ok((SubjectFacts { label, units, member: Some(m.get()) }, None, Some(m.get())))
            }
        }
    }

    /// The team (the head first, each user once) with each member's facts for the window.
    async fn team(
        &self,
        tx: &mut Conn,
        head: &str,
        members: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, TeamFacts)>> {
        let mut names = vec![head.trim().to_string()];
        for m in members {
            let m = m.trim().to_string();
            if !names.contains(&m) {
                names.push(m);
            }
        }
        let mut team = vec![];
        for n in &names {
            let uid = user_id(tx, n).await?;
            team.push((uid, self.team_facts(tx, uid, n, from, to).await?));
        }
        Ok(team)
    }

    /// A team member's facts: the member record they are, and its units' paths over the window.
    async fn team_facts(
        &self,
        tx: &mut Conn,
        user: i64,
        name: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<TeamFacts> {
        let member: Option<Option<i64>> = sqlx::query_scalar("SELECT member_id FROM app_user WHERE id = $1")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await
            .db()?;
        let member = member.flatten();
        let mut paths = vec![];
        let mut member_label = String::new();
        if let Some(m) = member {
            member_label = format!("{} ({m})", member_name(tx, m).await?);
            for (unit, span) in memberships_over(tx, m, from, to).await? {
                paths.extend(paths_in(tx, unit, span).await?.into_iter().map(|(_, p)| p));
            }
        }
        Ok(TeamFacts { user: name.to_string(), member, member_label, paths })
    }

    /// Ends an expelled member's expulsion from a day (an appeal that annulled or lightened it).
    async fn reinstate(
        &self,
        tx: &mut Conn,
        actor: &Actor,
        member: i64,
        on: NaiveDate,
        decision: Option<&str>,
    ) -> Result<()> {
        super::members::reinstate(tx, &self.profile, actor, member, on, decision.map(str::to_string)).await?;
        Ok(())
    }
}

#[async_trait]
impl InspectionStore for Backend {
    async fn load_inspections(&self, actor: &Actor, list: &[BulkInspectionProgramme]) -> Result<usize> {
        use super::common::{JsonCol::*, json_rows};
        let mut tx = self.begin_write().await?;
        let units: Vec<(i64, String, NaiveDate, Option<NaiveDate>)> =
            sqlx::query_as("SELECT id, code, valid_from, valid_to FROM unit").fetch_all(&mut *tx).await.db()?;
        let mut by_code: HashMap<&str, Vec<(i64, NaiveDate, Option<NaiveDate>)>> = HashMap::new();
        for (id, code, from, to) in &units {
            by_code.entry(code.as_str()).or_default().push((*id, *from, *to));
        }
        // The unit of the code live on the day; or else the last one with the code begun by then
        // (a generated history may name a unit a later restructuring ended).
        let live = |code: &UnitCode, d: NaiveDate| -> Result<i64> {
            let versions = by_code.get(code.as_str());
            versions
                .and_then(|v| v.iter().find(|(_, f, t)| *f <= d && t.is_none_or(|t| t > d)))
                .or_else(|| versions.and_then(|v| v.iter().filter(|(_, f, _)| *f <= d).max_by_key(|(_, f, _)| *f)))
                .map(|(id, _, _)| *id)
                .ok_or_else(|| Error::not_found("unit_not_found", format!("unit {code} on {d}")).into())
        };
        let now = now_text();
        let (mut programmes, mut inspections, mut subjects, mut findings) = (vec![], vec![], vec![], vec![]);
        let mut taken = BTreeSet::new();
        for p in list {
            let first = NaiveDate::from_ymd_opt(p.year, 1, 1).unwrap_or(p.approved_on);
            let body = live(&p.body, super::plan::tree_day(p.year)).or_else(|_| live(&p.body, first))?;
            if !taken.insert((body, p.year)) {
                return Err(Error::conflict(
                    "inspection_programme_exists",
                    "a body is given two programmes for a year",
                )
                .into());
            }
            let pid = self.ids.next_id();
            programmes.push(serde_json::json!([
                pid,
                body,
                p.year,
                "approved",
                "generated",
                p.approved_on.to_string(),
                now
            ]));
            for i in &p.inspections {
                let iid = self.ids.next_id();
                inspections.push(serde_json::json!([
                    iid,
                    pid,
                    i.kind,
                    i.topic,
                    "[]",
                    i.from.to_string(),
                    i.to.to_string(),
                    i.status.as_str(),
                    "[]",
                    i.status.counts_as_done().then(|| i.from.to_string()),
                    i.concluded_on.map(|d| d.to_string()),
                    now
                ]));
                let mut ids = HashMap::new();
                for (k, s) in i.subjects.iter().enumerate() {
                    let u = live(s, i.from)?;
                    ids.insert(s.as_str(), u);
                    subjects.push(serde_json::json!([iid, k, u]));
                }
                for (k, (subject, kind, severity, text)) in i.findings.iter().enumerate() {
                    let u = match ids.get(subject.as_str()) {
                        Some(u) => *u,
                        None => live(subject, i.concluded_on.unwrap_or(i.from))?,
                    };
                    findings.push(serde_json::json!([self.ids.next_id(), iid, k, u, kind.as_str(), severity, text]));
                }
            }
        }
        let bodies: Vec<i64> = taken.iter().map(|(b, _)| *b).collect();
        for chunk in bodies.chunks(500) {
            let sql = format!("SELECT unit_id, year FROM inspection_programme WHERE unit_id IN ({})", id_list(chunk));
            let rows: Vec<(i64, i32)> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await.db()?;
            if let Some((unit, year)) = rows.into_iter().find(|(u, y)| taken.contains(&(*u, *y))) {
                return Err(Error::conflict(
                    "inspection_programme_exists",
                    format!("unit {unit} has an inspection programme for {year} already; nothing was loaded"),
                )
                .into());
            }
        }
        let statements = [
            (
                "INSERT INTO inspection_programme (id, unit_id, year, status, decision, approved_on, recorded_at) ",
                json_rows(&[Int, Int, Int, Text, Text, Date, Text]),
                &programmes,
            ),
            (
                "INSERT INTO inspection (id, programme_id, kind, topic, criteria, window_from, window_to, status, \
                 conflicts, started_on, concluded_on, recorded_at) ",
                json_rows(&[Int, Int, Text, Text, Text, Date, Date, Text, Text, Date, Date, Text]),
                &inspections,
            ),
            (
                "INSERT INTO inspection_subject (inspection_id, position, unit_id) ",
                json_rows(&[Int, Int, Int]),
                &subjects,
            ),
            (
                "INSERT INTO finding (id, inspection_id, position, subject_unit_id, kind, severity, text) ",
                json_rows(&[Int, Int, Int, Int, Text, Text, Text]),
                &findings,
            ),
        ];
        for (insert, rows, values) in statements {
            super::members::write_json(&mut tx, &format!("{insert}{rows}"), values, &|_| {}).await?;
        }
        let after =
            serde_json::json!({"programmes": list.len(), "inspections": inspections.len(), "findings": findings.len()});
        let entry = AuditChange {
            action: "inspection_programme.load",
            target: "inspections",
            unit_id: None,
            before: None,
            after: Some(after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(list.len())
    }

    async fn create_inspection_programme(
        &self,
        actor: &Actor,
        body: &UnitCode,
        year: i32,
    ) -> Result<InspectionProgramme> {
        if !(1900..=2199).contains(&year) {
            return Err(Error::invalid("invalid_year", format!("year: {year}")).into());
        }
        let mut tx = self.begin_write().await?;
        let unit_id = super::structure::live_unit_id(&mut tx, body, super::plan::tree_day(year)).await?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM inspection_programme WHERE unit_id = $1 AND year = $2")
                .bind(unit_id)
                .bind(year)
                .fetch_optional(&mut *tx)
                .await
                .db()?;
        if let Some(other) = taken {
            return Err(Error::conflict(
                "inspection_programme_exists",
                format!("body: {body} has an inspection programme for {year} already ({other})"),
            )
            .into());
        }
        let id = InspectionProgrammeId::new(self.ids.next_id());
        sqlx::query(
            "INSERT INTO inspection_programme (id, unit_id, year, status, decision, approved_on, recorded_at) \
             VALUES ($1, $2, $3, 'draft', NULL, NULL, $4)",
        )
        .bind(id.get())
        .bind(unit_id)
        .bind(year)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let p = load_programme(self, &mut tx, id).await?;
        let target = format!("inspection_programme:{id}");
        let entry = AuditChange {
            action: "inspection_programme.create",
            target: &target,
            unit_id: Some(unit_id),
            before: None,
            after: programme_json(&p),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(p)
    }

    async fn approve_inspection_programme(
        &self,
        actor: &Actor,
        id: InspectionProgrammeId,
        decision: &str,
        on: NaiveDate,
    ) -> Result<InspectionProgramme> {
        self.horizon("on", on)?;
        let decision = check_decision(decision)?;
        let mut tx = self.begin_write().await?;
        let (row, unit_id) = programme_row(&mut tx, id).await?;
        if row.status != ProgrammeStatus::Draft {
            return Err(Error::conflict(
                "programme_locked",
                format!("inspection programme {id} is {} already", row.status.as_str()),
            )
            .into());
        }
        if on.year() > row.year {
            return Err(
                Error::invalid("invalid_date", format!("on: {on} is after the programme's year {}", row.year)).into()
            );
        }
        let before = load_programme(self, &mut tx, id).await?;
        sqlx::query(
            "UPDATE inspection_programme SET status = 'approved', decision = $2, approved_on = $3 WHERE id = $1",
        )
        .bind(id.get())
        .bind(&decision)
        .bind(on)
        .execute(&mut *tx)
        .await
        .db()?;
        let after = load_programme(self, &mut tx, id).await?;
        let target = format!("inspection_programme:{id}");
        let entry = AuditChange {
            action: "inspection_programme.approve",
            target: &target,
            unit_id: Some(unit_id),
            before: programme_json(&before),
            after: programme_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn inspection_programme(&self, id: InspectionProgrammeId) -> Result<InspectionProgramme> {
        let mut conn = self.reader().acquire().await.db()?;
        load_programme(self, &mut conn, id).await
    }

    async fn inspection_programme_of(&self, body: &UnitCode, year: i32) -> Result<Option<InspectionProgramme>> {
        let read = self.inspection_programme_of_uncached(body, year);
        self.through_cache(&self.cache.inspection_programmes, (body.as_str().to_string(), year), read).await
    }

    async fn recommendations(&self, filter: &RecommendationFilter) -> Result<Vec<Recommendation>> {
        let as_of = filter.as_of.unwrap_or_else(today);
        let key = format!("{:?}|{:?}|{}|{:?}", filter.body, filter.addressee, filter.overdue, filter.status);
        self.through_cache(&self.cache.recommendations, (key, as_of), self.recommendations_uncached(filter)).await
    }

    async fn inspection_programmes(&self, unit: &UnitCode, year: i32) -> Result<Vec<InspectionProgramme>> {
        let mut conn = self.reader().acquire().await.db()?;
        let day = super::plan::tree_day(year);
        let top = super::structure::resolve_for_read(&mut conn, unit, day).await?;
        let units = subtree_ids(&mut conn, top.id, day).await?;
        let order: BTreeMap<i64, usize> = units.iter().enumerate().map(|(i, (u, _))| (*u, i)).collect();
        let rows = sqlx::query("SELECT id, unit_id FROM inspection_programme WHERE year = $1")
            .bind(year)
            .fetch_all(&mut *conn)
            .await
            .db()?;
        let mut found = vec![];
        for r in rows {
            let unit: i64 = r.try_get("unit_id").db()?;
            if let Some(at) = order.get(&unit) {
                found.push((*at, r.try_get::<i64, _>("id").db()?));
            }
        }
        found.sort();
        let mut out = vec![];
        for (_, id) in found {
            out.push(load_programme(self, &mut conn, InspectionProgrammeId::new(id)).await?);
        }
        Ok(out)
    }

    async fn inspection_amendments(&self, id: InspectionProgrammeId) -> Result<Vec<InspectionAmendment>> {
        let mut conn = self.reader().acquire().await.db()?;
        programme_row(&mut conn, id).await?;
        let rows = sqlx::query(
            "SELECT inspection_id, before_body, after_body, on_day, reason, actor, recorded_at FROM inspection_amendment \
             WHERE programme_id = $1 ORDER BY recorded_at, id",
        )
        .bind(id.get())
        .fetch_all(&mut *conn)
        .await
        .db()?;
        rows.iter()
            .map(|r| {
                let before: Option<String> = r.try_get("before_body").db()?;
                let after: String = r.try_get("after_body").db()?;
                Ok(InspectionAmendment {
                    inspection: InspectionId::new(r.try_get("inspection_id").db()?),
                    before: before.map(|b| serde_json::from_str(&b)).transpose().map_err(bad_json)?,
                    after: serde_json::from_str(&after).map_err(bad_json)?,
                    on: r.try_get("on_day").db()?,
                    reason: r.try_get("reason").db()?,
                    by: r.try_get("actor").db()?,
                    recorded_at: r.try_get("recorded_at").db()?,
                })
            })
            .collect()
    }

    async fn plan_inspection(
        &self,
        actor: &Actor,
        id: InspectionProgrammeId,
        new: NewInspection,
    ) -> Result<Inspection> {
        let ins = &self.profile.inspection;
        let kind = ins.types.resolve(&new.kind).map(|e| e.code.clone()).ok_or_else(|| {
            StoreError::from(Error::invalid(
                "invalid_inspection_type",
                format!("type: '{}' is not one of {}", new.kind, ins.types.codes().collect::<Vec<_>>().join(", ")),
            ))
        })?;
        let topic = rules::check_text("topic", &new.topic, true)?;
        if new.criteria.len() > MAX_CRITERIA {
            return Err(Error::invalid("invalid_text", format!("criteria: at most {MAX_CRITERIA}")).into());
        }
        let criteria = new
            .criteria
            .iter()
            .map(|c| rules::check_text("criteria", c, false))
            .collect::<orgwork_domain::Result<Vec<_>>>()?
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>();
        if new.subjects.is_empty() || new.subjects.len() > rules::MAX_SUBJECTS {
            return Err(Error::invalid(
                "invalid_subjects",
                format!("subject: give 1 to {} subjects (units or members)", rules::MAX_SUBJECTS),
            )
            .into());
        }
        if new.members.len() > rules::MAX_TEAM {
            return Err(
                Error::invalid("invalid_team", format!("member: at most {} team members", rules::MAX_TEAM)).into()
            );
        }
        let override_reason =
            new.override_conflict.as_deref().map(|r| rules::check_text("override_conflict", r, true)).transpose()?;
        let reason =
            new.reason.as_deref().map(|r| rules::check_text("reason", r, false)).transpose()?.filter(|r| !r.is_empty());
        self.horizon("to", new.to)?;
        let mut tx = self.begin_write().await?;
        let (programme, body_id) = programme_row(&mut tx, id).await?;
        if programme.status == ProgrammeStatus::Closed {
            return Err(Error::conflict("programme_locked", format!("inspection programme {id} is closed")).into());
        }
        rules::check_window(programme.year, new.from, new.to)?;
        let mut facts = vec![];
        let mut stored = vec![];
        let mut seen = BTreeSet::new();
        for s in &new.subjects {
            if !seen.insert(format!("{s:?}")) {
                continue;
            }
            let (f, unit, member) =
                self.subject_facts(&mut tx, s, (body_id, &programme.body), new.from, new.to).await?;
            facts.push(f);
            stored.push((unit, member));
        }
        let team = self.team(&mut tx, &new.head, &new.members, new.from, new.to).await?;
        let found = rules::conflicts(&team.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>(), &facts);
        if !found.is_empty() && override_reason.is_none() {
            return Err(rules::conflict_error(&found).into());
        }
        let iid = InspectionId::new(self.ids.next_id());
        sqlx::query(
            "INSERT INTO inspection (id, programme_id, kind, topic, criteria, window_from, window_to, status, status_reason, \
             override_reason, conflicts, started_on, concluded_on, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned', NULL, $8, $9, NULL, NULL, $10)",
        )
        .bind(iid.get())
        .bind(id.get())
        .bind(&kind)
        .bind(&topic)
        .bind(serde_json::to_string(&criteria).map_err(bad_json)?)
        .bind(new.from)
        .bind(new.to)
        .bind(if found.is_empty() { None } else { override_reason })
        .bind(serde_json::to_string(&found).map_err(bad_json)?)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        for (i, (unit, member)) in stored.iter().enumerate() {
            sqlx::query(
                "INSERT INTO inspection_subject (inspection_id, position, unit_id, member_id) VALUES ($1, $2, $3, $4)",
            )
            .bind(iid.get())
            .bind(i as i64)
            .bind(unit)
            .bind(member)
            .execute(&mut *tx)
            .await
            .db()?;
        }
        write_team(&mut tx, iid, &team).await?;
        let after = load_inspection(self, &mut tx, iid).await?;
        if programme.status == ProgrammeStatus::Approved {
            record_amendment(self, &mut tx, actor, id, None, &after, today(), reason.as_deref()).await?;
        }
        let target = format!("inspection:{iid}");
        let entry = AuditChange {
            action: "inspection.plan",
            target: &target,
            unit_id: Some(body_id),
            before: None,
            after: inspection_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn inspection(&self, id: InspectionId) -> Result<Inspection> {
        let mut conn = self.reader().acquire().await.db()?;
        load_inspection(self, &mut conn, id).await
    }

    async fn reschedule_inspection(&self, actor: &Actor, id: InspectionId, change: Reschedule) -> Result<Inspection> {
        self.horizon("to", change.to)?;
        let reason = rules::check_text("reason", &change.reason, true)?;
        let override_reason =
            change.override_conflict.as_deref().map(|r| rules::check_text("override_conflict", r, true)).transpose()?;
        let mut tx = self.begin_write().await?;
        let before = load_inspection(self, &mut tx, id).await?;
        if !matches!(before.status, InspectionStatus::Planned | InspectionStatus::Deferred) {
            return Err(Error::conflict(
                "invalid_inspection_status",
                format!("status: an inspection {} keeps its window and team", before.status.as_str()),
            )
            .into());
        }
        let (programme, body_id) = programme_row(&mut tx, before.programme).await?;
        rules::check_window(programme.year, change.from, change.to)?;
        let mut facts = vec![];
        for s in &before.subjects {
            let r = match (&s.unit, &s.member) {
                (Some(u), _) => SubjectRef::Unit(u.clone()),
                (None, Some(m)) => SubjectRef::Member(*m),
                _ => continue,
            };
            facts.push(self.subject_facts(&mut tx, &r, (body_id, &programme.body), change.from, change.to).await?.0);
        }
        let (head, members) = change.team.clone().unwrap_or((before.head.clone(), before.members.clone()));
        if members.len() > rules::MAX_TEAM {
            return Err(
                Error::invalid("invalid_team", format!("member: at most {} team members", rules::MAX_TEAM)).into()
            );
        }
        let team = self.team(&mut tx, &head, &members, change.from, change.to).await?;
        let found = rules::conflicts(&team.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>(), &facts);
        let kept = override_reason.or_else(|| before.override_reason.clone());
        if !found.is_empty() && kept.is_none() {
            return Err(rules::conflict_error(&found).into());
        }
        sqlx::query(
            "UPDATE inspection SET window_from = $2, window_to = $3, status = 'planned', status_reason = NULL, \
             override_reason = $4, conflicts = $5 WHERE id = $1",
        )
        .bind(id.get())
        .bind(change.from)
        .bind(change.to)
        .bind(if found.is_empty() { None } else { kept })
        .bind(serde_json::to_string(&found).map_err(bad_json)?)
        .execute(&mut *tx)
        .await
        .db()?;
        sqlx::query("DELETE FROM inspection_team WHERE inspection_id = $1")
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .db()?;
        write_team(&mut tx, id, &team).await?;
        let after = load_inspection(self, &mut tx, id).await?;
        if programme.status == ProgrammeStatus::Approved {
            record_amendment(self, &mut tx, actor, before.programme, Some(&before), &after, today(), Some(&reason))
                .await?;
        }
        let target = format!("inspection:{id}");
        let entry = AuditChange {
            action: "inspection.reschedule",
            target: &target,
            unit_id: Some(body_id),
            before: inspection_json(&before),
            after: inspection_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn set_inspection_status(
        &self,
        actor: &Actor,
        id: InspectionId,
        to: InspectionStatus,
        on: NaiveDate,
        reason: Option<String>,
    ) -> Result<Inspection> {
        self.horizon("on", on)?;
        let reason =
            reason.as_deref().map(|r| rules::check_text("reason", r, false)).transpose()?.filter(|r| !r.is_empty());
        if matches!(to, InspectionStatus::Deferred | InspectionStatus::Cancelled) && reason.is_none() {
            return Err(Error::invalid("invalid_text", "reason: is required to defer or cancel").into());
        }
        if to == InspectionStatus::Concluded {
            return Err(Error::invalid(
                "invalid_inspection_status",
                "status: conclude an inspection with its findings",
            )
            .into());
        }
        let mut tx = self.begin_write().await?;
        let before = load_inspection(self, &mut tx, id).await?;
        rules::check_transition(before.status, to)?;
        let (programme, body_id) = programme_row(&mut tx, before.programme).await?;
        if to == InspectionStatus::InProgress && on.year() != programme.year {
            return Err(Error::invalid(
                "invalid_date",
                format!("on: {on} is not in the programme's year {}", programme.year),
            )
            .into());
        }
        sqlx::query(
            "UPDATE inspection SET status = $2, status_reason = $3, \
             started_on = CASE WHEN $2 = 'in_progress' THEN $4 ELSE started_on END WHERE id = $1",
        )
        .bind(id.get())
        .bind(to.as_str())
        .bind(&reason)
        .bind(on)
        .execute(&mut *tx)
        .await
        .db()?;
        let after = load_inspection(self, &mut tx, id).await?;
        if programme.status == ProgrammeStatus::Approved && to != InspectionStatus::InProgress {
            record_amendment(self, &mut tx, actor, before.programme, Some(&before), &after, on, reason.as_deref())
                .await?;
        }
        let target = format!("inspection:{id}");
        let action = match to {
            InspectionStatus::InProgress => "inspection.start",
            InspectionStatus::Deferred => "inspection.defer",
            InspectionStatus::Cancelled => "inspection.cancel",
            _ => "inspection.resume",
        };
        let entry = AuditChange {
            action,
            target: &target,
            unit_id: Some(body_id),
            before: inspection_json(&before),
            after: inspection_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn conclude_inspection(
        &self,
        actor: &Actor,
        id: InspectionId,
        on: NaiveDate,
        conclusion: ConclusionInput,
    ) -> Result<Inspection> {
        self.horizon("on", on)?;
        let checked = rules::check_conclusion(&self.profile.inspection, &conclusion, on)?;
        let mut tx = self.begin_write().await?;
        let before = load_inspection(self, &mut tx, id).await?;
        if !matches!(before.status, InspectionStatus::Planned | InspectionStatus::InProgress) {
            rules::check_transition(before.status, InspectionStatus::Concluded)?;
        }
        if on < before.from {
            return Err(Error::invalid(
                "invalid_date",
                format!("on: {on} is before the inspection's window opens ({})", before.from),
            )
            .into());
        }
        let (_, body_id) = programme_row(&mut tx, before.programme).await?;
        // The subjects' units (ids) and members.
        let subjects = sqlx::query("SELECT unit_id, member_id FROM inspection_subject WHERE inspection_id = $1")
            .bind(id.get())
            .fetch_all(&mut *tx)
            .await
            .db()?;
        let mut subject_units = vec![];
        let mut subject_members = vec![];
        for s in subjects {
            if let Some(u) = s.try_get::<Option<i64>, _>("unit_id").db()? {
                subject_units.push(u);
            }
            if let Some(m) = s.try_get::<Option<i64>, _>("member_id").db()? {
                subject_members.push(m);
                if let Some(u) = member_unit_on(&mut tx, m, before.from).await? {
                    subject_units.push(u);
                }
            }
        }
        let mut finding_ids = vec![];
        for (i, f) in checked.iter().enumerate() {
            let at = format!("finding {}", i + 1);
            let (unit, member) = match SubjectRef::parse(&f.subject)? {
                SubjectRef::Member(m) => {
                    let inside = subject_members.contains(&m.get()) || {
                        match member_unit_on(&mut tx, m.get(), on).await? {
                            Some(u) => path_on(&mut tx, u, on).await?.iter().any(|p| subject_units.contains(p)),
                            None => false,
                        }
                    };
                    if !inside {
                        return Err(Error::rule(
                            "finding_subject_outside",
                            format!("{at}: member {m} is not a subject of the inspection, nor in a subject's unit"),
                        )
                        .into());
                    }
                    (None, Some(m.get()))
                }
                SubjectRef::Unit(code) => {
                    let unit = super::structure::live_unit_id(&mut tx, &code, on).await?;
                    if !path_on(&mut tx, unit, on).await?.iter().any(|p| subject_units.contains(p)) {
                        return Err(Error::rule(
                            "finding_subject_outside",
                            format!("{at}: {code} is not a subject of the inspection, nor under one, on {on}"),
                        )
                        .into());
                    }
                    (Some(unit), None)
                }
            };
            let repeat_of = match &f.repeat_of {
                None => None,
                Some(r) => {
                    let rid: FindingId = r.parse()?;
                    let found: Option<i64> = sqlx::query_scalar("SELECT inspection_id FROM finding WHERE id = $1")
                        .bind(rid.get())
                        .fetch_optional(&mut *tx)
                        .await
                        .db()?;
                    match found {
                        None => return Err(FindingId::not_found(rid).into()),
                        Some(other) if other == id.get() => {
                            return Err(Error::invalid(
                                "invalid_finding",
                                format!("{at}: repeat_of names a finding of this same inspection"),
                            )
                            .into());
                        }
                        Some(_) => Some(rid.get()),
                    }
                }
            };
            let fid = self.ids.next_id();
            sqlx::query(
                "INSERT INTO finding (id, inspection_id, position, subject_unit_id, subject_member_id, kind, severity, \
                 regulation, text, repeat_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(fid)
            .bind(id.get())
            .bind(i as i64)
            .bind(unit)
            .bind(member)
            .bind(f.kind.as_str())
            .bind(&f.severity)
            .bind(&f.regulation)
            .bind(&f.text)
            .bind(repeat_of)
            .execute(&mut *tx)
            .await
            .db()?;
            finding_ids.push(fid);
        }
        for (i, r) in conclusion.recommendations.iter().enumerate() {
            let at = format!("recommendation {}", i + 1);
            let code = UnitCode::parse(&r.addressee)?;
            let unit = super::structure::live_unit_id(&mut tx, &code, on).await?;
            if !path_on(&mut tx, unit, on).await?.contains(&body_id) {
                return Err(Error::rule(
                    "subject_outside_body",
                    format!("{at}: addressee {code} is not in {}'s subtree on {on}", before.body),
                )
                .into());
            }
            let owner = user_id(&mut tx, &r.owner).await?;
            sqlx::query(
                "INSERT INTO recommendation (id, inspection_id, finding_id, position, addressee_unit_id, text, due, \
                 owner_user_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open')",
            )
            .bind(self.ids.next_id())
            .bind(id.get())
            .bind(r.finding.map(|n| finding_ids[n - 1]))
            .bind(i as i64)
            .bind(unit)
            .bind(r.text.trim())
            .bind(r.due)
            .bind(owner)
            .execute(&mut *tx)
            .await
            .db()?;
        }
        sqlx::query(
            "UPDATE inspection SET status = 'concluded', concluded_on = $2, started_on = COALESCE(started_on, $3) \
             WHERE id = $1",
        )
        .bind(id.get())
        .bind(on)
        .bind(before.from.min(on))
        .execute(&mut *tx)
        .await
        .db()?;
        let after = load_inspection(self, &mut tx, id).await?;
        let target = format!("inspection:{id}");
        let entry = AuditChange {
            action: "inspection.conclude",
            target: &target,
            unit_id: Some(body_id),
            before: inspection_json(&before),
            after: inspection_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn recommendation(&self, id: RecommendationId, as_of: NaiveDate) -> Result<Recommendation> {
        let mut conn = self.reader().acquire().await.db()?;
        Ok(one_recommendation(&mut conn, id, as_of).await?.0)
    }

    async fn report_recommendation_done(
        &self,
        actor: &Actor,
        id: RecommendationId,
        on: NaiveDate,
        evidence: &str,
    ) -> Result<Recommendation> {
        self.horizon("on", on)?;
        let evidence = rules::check_text("evidence", evidence, true)?;
        let mut tx = self.begin_write().await?;
        let (before, unit) = one_recommendation(&mut tx, id, on).await?;
        rules::check_done(before.status)?;
        let concluded = load_inspection(self, &mut tx, before.inspection).await?.concluded_on;
        if concluded.is_some_and(|c| on < c) {
            return Err(Error::invalid("invalid_date", format!("on: {on} is before the conclusion")).into());
        }
        sqlx::query(
            "UPDATE recommendation SET status = 'done', done_on = $2, evidence = $3, reported_by = $4 WHERE id = $1",
        )
        .bind(id.get())
        .bind(on)
        .bind(&evidence)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await
        .db()?;
        self.follow_up(tx, actor, id, "done", on, Some(&evidence), unit, &before).await
    }

    async fn verify_recommendation(
        &self,
        actor: &Actor,
        id: RecommendationId,
        on: NaiveDate,
        accept: bool,
        note: Option<String>,
    ) -> Result<Recommendation> {
        self.horizon("on", on)?;
        let note = note.as_deref().map(|n| rules::check_text("note", n, false)).transpose()?.filter(|n| !n.is_empty());
        if !accept && note.is_none() {
            return Err(Error::invalid("invalid_text", "note: say why the report is rejected").into());
        }
        let mut tx = self.begin_write().await?;
        let (before, unit) = one_recommendation(&mut tx, id, on).await?;
        rules::check_verifier(before.status, &before.owner, before.reported_by.as_deref(), &actor.name)?;
        if before.done_on.is_some_and(|d| on < d) {
            return Err(Error::invalid("invalid_date", format!("on: {on} is before it was reported done")).into());
        }
        if accept {
            sqlx::query(
                "UPDATE recommendation SET status = 'verified', verified_on = $2, verified_by = $3 WHERE id = $1",
            )
            .bind(id.get())
            .bind(on)
            .bind(&actor.name)
            .execute(&mut *tx)
            .await
            .db()?;
        } else {
            sqlx::query(
                "UPDATE recommendation SET status = 'open', done_on = NULL, evidence = NULL, reported_by = NULL \
                 WHERE id = $1",
            )
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .db()?;
        }
        let event = if accept { "verified" } else { "rejected" };
        self.follow_up(tx, actor, id, event, on, note.as_deref(), unit, &before).await
    }

    async fn open_case(&self, actor: &Actor, new: NewCase) -> Result<DisciplineCase> {
        self.horizon("on", new.on)?;
        let against = match (&new.member, &new.unit) {
            (Some(_), None) => Against::Member,
            (None, Some(_)) => Against::Unit,
            _ => {
                return Err(
                    Error::invalid("invalid_case", "member, unit: a case is against one member or one unit").into()
                );
            }
        };
        let measure = rules::resolve_measure(&self.profile.inspection, against, &new.measure)?;
        let reason =
            new.reason.as_deref().map(|r| rules::check_text("reason", r, false)).transpose()?.filter(|r| !r.is_empty());
        let mut tx = self.begin_write().await?;
        let body = super::structure::live_unit_id(&mut tx, &new.body, new.on).await?;
        let unit = match (&new.member, &new.unit) {
            (Some(m), _) => {
                member_name(&mut tx, m.get()).await?;
                member_unit_on(&mut tx, m.get(), new.on).await?.ok_or_else(|| {
                    StoreError::from(Error::rule(
                        "not_a_member",
                        format!("member: member {m} belongs to no unit on {}", new.on),
                    ))
                })?
            }
            (None, Some(code)) => {
                let u = super::structure::live_unit_id(&mut tx, code, new.on).await?;
                if u == body {
                    return Err(Error::rule(
                        "invalid_case",
                        format!("body: a unit's case is decided by a body above it, not by {code} itself"),
                    )
                    .into());
                }
                u
            }
            _ => unreachable!("checked above"),
        };
        if !path_on(&mut tx, unit, new.on).await?.contains(&body) {
            return Err(Error::rule(
                "subject_outside_body",
                format!("body: the case's {} is not in {}'s subtree on {}", against.as_str(), new.body, new.on),
            )
            .into());
        }
        if let Some(f) = new.finding {
            let known: Option<i64> = sqlx::query_scalar("SELECT id FROM finding WHERE id = $1")
                .bind(f.get())
                .fetch_optional(&mut *tx)
                .await
                .db()?;
            if known.is_none() {
                return Err(FindingId::not_found(f).into());
            }
        }
        let id = CaseId::new(self.ids.next_id());
        sqlx::query(
            "INSERT INTO discipline_case (id, member_id, unit_id, finding_id, body_unit_id, measure, measure_now, reason, \
             opened_on, status, decision, issued_on, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, 'open', NULL, NULL, $9)",
        )
        .bind(id.get())
        .bind(new.member.map(MemberId::get))
        .bind(unit)
        .bind(new.finding.map(FindingId::get))
        .bind(body)
        .bind(&measure)
        .bind(&reason)
        .bind(new.on)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let after = one_case(&mut tx, id).await?;
        let target = format!("discipline:{id}");
        let entry = AuditChange {
            action: "discipline.open",
            target: &target,
            unit_id: Some(unit),
            before: None,
            after: case_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn issue_case(&self, actor: &Actor, id: CaseId, decision: &str, on: NaiveDate) -> Result<DisciplineCase> {
        self.horizon("on", on)?;
        let decision = check_decision(decision)?;
        let mut tx = self.begin_write().await?;
        let before = one_case(&mut tx, id).await?;
        if before.status != CaseStatus::Open {
            return Err(Error::conflict(
                "case_locked",
                format!("case {id} was issued already; it changes only by appeal"),
            )
            .into());
        }
        if on < before.opened_on {
            return Err(Error::invalid(
                "invalid_date",
                format!("on: {on} is before the case was opened ({})", before.opened_on),
            )
            .into());
        }
        sqlx::query("UPDATE discipline_case SET status = 'issued', decision = $2, issued_on = $3 WHERE id = $1")
            .bind(id.get())
            .bind(&decision)
            .bind(on)
            .execute(&mut *tx)
            .await
            .db()?;
        if let Some(m) = before.member
            && self.profile.inspection.expels.as_deref() == Some(before.measure.as_str())
        {
            super::members::set_status(
                &mut tx,
                &self.profile,
                actor,
                m.get(),
                Status::Expelled,
                on,
                Some(decision.clone()),
            )
            .await?;
        }
        self.case_change(tx, actor, id, "discipline.issue", &before).await
    }

    async fn appeal_case(
        &self,
        actor: &Actor,
        id: CaseId,
        on: NaiveDate,
        outcome: AppealOutcome,
        measure: Option<String>,
        decision: Option<String>,
    ) -> Result<DisciplineCase> {
        self.horizon("on", on)?;
        let decision = decision.as_deref().map(check_decision).transpose()?;
        let mut tx = self.begin_write().await?;
        let before = one_case(&mut tx, id).await?;
        if before.status != CaseStatus::Issued {
            return Err(
                Error::rule("case_not_issued", format!("case {id}: only an issued decision can be appealed")).into()
            );
        }
        let last_day = before.appeals.last().map_or(before.issued_on, |a| Some(a.on));
        if last_day.is_some_and(|d| on < d) {
            return Err(Error::invalid(
                "invalid_date",
                format!("on: {on} is before the last decision on the case ({})", last_day.unwrap_or(on)),
            )
            .into());
        }
        let last_body = before.appeals.last().map_or(&before.body, |a| &a.body).clone();
        let last_id = super::structure::resolve_for_read(&mut tx, &last_body, on).await?.id;
        let path = path_on(&mut tx, last_id, on).await?;
        let above = *path.get(1).ok_or_else(|| {
            StoreError::from(Error::rule(
                "no_body_above",
                format!("body: {last_body} has no body above it to decide an appeal"),
            ))
        })?;
        let against = before.against;
        let list = rules::ladder(&self.profile.inspection, against);
        let after_measure = rules::appeal_measure(list, before.measure_now.as_deref(), outcome, measure.as_deref())?;
        let position = before.appeals.len() as i64;
        sqlx::query(
            "INSERT INTO discipline_appeal (id, case_id, position, on_day, body_unit_id, outcome, measure_before, \
             measure_after, decision, actor, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(self.ids.next_id())
        .bind(id.get())
        .bind(position)
        .bind(on)
        .bind(above)
        .bind(outcome.as_str())
        .bind(&before.measure_now)
        .bind(&after_measure)
        .bind(&decision)
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        sqlx::query("UPDATE discipline_case SET measure_now = $2 WHERE id = $1")
            .bind(id.get())
            .bind(&after_measure)
            .execute(&mut *tx)
            .await
            .db()?;
        if let Some(m) = before.member {
            let expels = self.profile.inspection.expels.as_deref();
            let was = expels.is_some() && before.measure_now.as_deref() == expels;
            let is = expels.is_some() && after_measure.as_deref() == expels;
            if is && !was {
                let doc = decision.clone().or_else(|| before.decision.clone());
                super::members::set_status(&mut tx, &self.profile, actor, m.get(), Status::Expelled, on, doc).await?;
            } else if was && !is {
                self.reinstate(&mut tx, actor, m.get(), on, decision.as_deref()).await?;
            }
        }
        self.case_change(tx, actor, id, "discipline.appeal", &before).await
    }

    async fn case(&self, id: CaseId) -> Result<DisciplineCase> {
        let mut conn = self.reader().acquire().await.db()?;
        one_case(&mut conn, id).await
    }

    async fn cases(&self, filter: &CaseFilter) -> Result<Vec<DisciplineCase>> {
        let mut conn = self.reader().acquire().await.db()?;
        let all = load_cases(&mut conn, "c.id <> $1", &[0]).await?;
        let within = match &filter.unit {
            Some(u) => {
                let day = filter.year.map_or_else(today, super::plan::tree_day);
                let top = super::structure::resolve_for_read(&mut conn, u, day).await?;
                Some(subtree_ids(&mut conn, top.id, day).await?.into_iter().map(|(_, c)| c).collect::<BTreeSet<_>>())
            }
            None => None,
        };
        Ok(all
            .into_iter()
            .filter(|c| {
                within.as_ref().is_none_or(|w| {
                    w.contains(c.body.as_str()) || c.unit.as_ref().is_some_and(|u| w.contains(u.as_str()))
                })
            })
            .filter(|c| {
                filter.year.is_none_or(|y| {
                    c.opened_on.year() == y
                        || c.issued_on.is_some_and(|d| d.year() == y)
                        || c.appeals.iter().any(|a| a.on.year() == y)
                })
            })
            .collect())
    }

    async fn coverage(&self, body: &UnitCode, year: i32, never_since: Option<i32>) -> Result<CoverageReport> {
        use super::common::{Arg, read_rows};
        if !(1900..=2199).contains(&year) || never_since.is_some_and(|s| !(1900..=year).contains(&s)) {
            return Err(Error::invalid("invalid_year", format!("year: {year}; never_since a year up to it")).into());
        }
        let day = super::plan::tree_day(year);
        let mut conn = self.reader().acquire().await.db()?;
        let top = super::structure::resolve_for_read(&mut conn, body, day).await?;
        // The subtree and the done subjects in two set reads (on SQLite each crosses the driver
        // as one JSON text): the whole nation's 268,000 units at once.
        let mut units: Vec<(i64, String)> = read_rows(
            &mut conn,
            "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
             SELECT v.unit_id FROM unit_version v JOIN sub ON v.parent_id = sub.id \
             WHERE v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)) \
             SELECT sub.id AS id, u.code AS code FROM sub JOIN unit u ON u.id = sub.id",
            &["id", "code"],
            &[Arg::Text(top.id.to_string()), Arg::Date(day)],
        )
        .await?;
        // The body first, then by code.
        units.sort_by(|a, b| (a.0 != top.id).cmp(&(b.0 != top.id)).then_with(|| a.1.cmp(&b.1)));
        let since = never_since.unwrap_or(year).min(year);
        let subjects: Vec<(i64, String, i32)> = read_rows(
            &mut conn,
            "SELECT s.unit_id AS unit_id, i.kind AS kind, p.year AS year FROM inspection_subject s \
             JOIN inspection i ON i.id = s.inspection_id JOIN inspection_programme p ON p.id = i.programme_id \
             WHERE s.unit_id IS NOT NULL AND i.status IN ('in_progress', 'concluded') \
             AND p.year >= CAST($1 AS INTEGER) AND p.year <= CAST($2 AS INTEGER)",
            &["unit_id", "kind", "year"],
            &[Arg::Text(since.to_string()), Arg::Text(year.to_string())],
        )
        .await?;
        let code_of_id: HashMap<i64, &str> = units.iter().map(|(i, c)| (*i, c.as_str())).collect();
        let mut done: BTreeMap<String, (BTreeSet<i32>, BTreeSet<i32>)> = BTreeMap::new();
        for (unit, kind, y) in &subjects {
            if let Some(code) = code_of_id.get(unit) {
                let e = done.entry(code.to_string()).or_default();
                if self.profile.inspection.is_supervision(kind) {
                    e.1.insert(*y)
                } else {
                    e.0.insert(*y)
                };
            }
        }
        // Members who were subjects in the year, by their unit on the window's first day.
        let rows = sqlx::query(
            "SELECT s.member_id, i.kind, i.window_from FROM inspection_subject s \
             JOIN inspection i ON i.id = s.inspection_id JOIN inspection_programme p ON p.id = i.programme_id \
             WHERE s.member_id IS NOT NULL AND i.status IN ('in_progress', 'concluded') AND p.year = $1",
        )
        .bind(year)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        let mut members_inspected = BTreeSet::new();
        let mut members_supervised = BTreeSet::new();
        for r in rows {
            let m: i64 = r.try_get("member_id").db()?;
            let kind: String = r.try_get("kind").db()?;
            let from: NaiveDate = r.try_get("window_from").db()?;
            if let Some(u) = member_unit_on(&mut conn, m, from).await?
                && code_of_id.contains_key(&u)
            {
                if self.profile.inspection.is_supervision(&kind) {
                    members_supervised.insert(m)
                } else {
                    members_inspected.insert(m)
                };
            }
        }
        drop(code_of_id);
        let codes: Vec<String> = units.into_iter().map(|(_, c)| c).collect();
        let (coverage, rows) = rules::coverage(&codes, &done, year, never_since);
        Ok(CoverageReport {
            coverage,
            members_inspected: members_inspected.into_iter().map(MemberId::new).collect(),
            members_supervised: members_supervised.into_iter().map(MemberId::new).collect(),
            units: rows,
        })
    }
}

impl Backend {
    pub(super) async fn inspection_programme_of_uncached(
        &self,
        body: &UnitCode,
        year: i32,
    ) -> Result<Option<InspectionProgramme>> {
        let mut conn = self.reader().acquire().await.db()?;
        let unit = super::structure::resolve_for_read(&mut conn, body, super::plan::tree_day(year)).await?;
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM inspection_programme WHERE unit_id = $1 AND year = $2")
                .bind(unit.id)
                .bind(year)
                .fetch_optional(&mut *conn)
                .await
                .db()?;
        match id {
            None => Ok(None),
            Some(id) => Ok(Some(load_programme(self, &mut conn, InspectionProgrammeId::new(id)).await?)),
        }
    }

    pub(super) async fn recommendations_uncached(&self, filter: &RecommendationFilter) -> Result<Vec<Recommendation>> {
        let as_of = filter.as_of.unwrap_or_else(today);
        let mut conn = self.reader().acquire().await.db()?;
        let within = match &filter.addressee {
            Some(a) => Some(super::structure::resolve_for_read(&mut conn, a, as_of).await?.id),
            None => None,
        };
        let found = match (&filter.body, within) {
            (Some(body), within) => {
                let b = super::structure::resolve_for_read(&mut conn, body, as_of).await?;
                let found = load_recommendations_with_units(&mut conn, "p.unit_id = $1", b.id, as_of).await?;
                match within {
                    None => found,
                    Some(top) => {
                        let sub: BTreeSet<i64> =
                            subtree_ids(&mut conn, top, as_of).await?.into_iter().map(|(u, _)| u).collect();
                        found.into_iter().filter(|(_, u)| sub.contains(u)).collect()
                    }
                }
            }
            // Addressed to the subtree on the day: the subtree's units in the same statement.
            (None, Some(top)) => {
                let condition = format!(
                    "r.addressee_unit_id IN (WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
                     SELECT v.unit_id FROM unit_version v JOIN sub ON v.parent_id = sub.id \
                     WHERE v.valid_from <= '{as_of}' AND (v.valid_to IS NULL OR v.valid_to > '{as_of}')) SELECT id FROM sub)"
                );
                load_recommendations_with_units(&mut conn, &condition, top, as_of).await?
            }
            (None, None) => load_recommendations_with_units(&mut conn, "r.id <> $1", 0, as_of).await?,
        };
        Ok(found
            .into_iter()
            .map(|(r, _)| r)
            .filter(|r| !filter.overdue || r.overdue)
            .filter(|r| filter.status.is_none_or(|s| s == r.status))
            .collect())
    }

    /// Appends a follow-up event and the audit entry of a recommendation's change, and commits.
    #[allow(clippy::too_many_arguments)]
    async fn follow_up(
        &self,
        mut tx: sqlx::Transaction<'static, super::Db>,
        actor: &Actor,
        id: RecommendationId,
        event: &str,
        on: NaiveDate,
        note: Option<&str>,
        unit: i64,
        before: &Recommendation,
    ) -> Result<Recommendation> {
        sqlx::query(
            "INSERT INTO recommendation_event (id, recommendation_id, event, on_day, note, actor, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(self.ids.next_id())
        .bind(id.get())
        .bind(event)
        .bind(on)
        .bind(note)
        .bind(&actor.name)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let (after, _) = one_recommendation(&mut tx, id, on).await?;
        let target = format!("recommendation:{id}");
        let action = match event {
            "done" => "recommendation.done",
            "verified" => "recommendation.verify",
            _ => "recommendation.reject",
        };
        let entry = AuditChange {
            action,
            target: &target,
            unit_id: Some(unit),
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(&after).ok(),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn case_change(
        &self,
        mut tx: sqlx::Transaction<'static, super::Db>,
        actor: &Actor,
        id: CaseId,
        action: &'static str,
        before: &DisciplineCase,
    ) -> Result<DisciplineCase> {
        let after = one_case(&mut tx, id).await?;
        let unit: i64 = sqlx::query_scalar("SELECT unit_id FROM discipline_case WHERE id = $1")
            .bind(id.get())
            .fetch_one(&mut *tx)
            .await
            .db()?;
        let target = format!("discipline:{id}");
        let entry = AuditChange {
            action,
            target: &target,
            unit_id: Some(unit),
            before: case_json(before),
            after: case_json(&after),
        };
        append(&mut tx, actor, entry).await?;
        self.commit(tx).await?;
        Ok(after)
    }
}
