//! Inspection and supervision's pages: a body's programme for a year as a calendar (months ×
//! inspections), an inspection from plan to conclusion with its findings and recommendations,
//! the documents to print (the decision establishing the team, the conclusion), the
//! follow-up list, disciplinary cases, and the coverage of a body's subtree as a tree.
//!
//! Access is the API's (`api::inspection`): inspectors of the body's subtree see and change
//! everything; whoever sees a unit an inspection concerns reads that unit's part of it.

use super::i18n::Tr;
use super::{Ctx, FieldsForm, Layout, PageId, Submitted, field as get, opt_field as opt, redirect};
use crate::AppState;
use crate::api::inspection::{
    may_decide_appeal, readable, readable_case, readable_recommendation, writable, writable_programme,
};
use crate::auth::{Caller, today};
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::inspection::{
    AppealOutcome, ConclusionInput, FindingInput, InspectionStatus, RecommendationInput, RecommendationStatus,
};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    CaseFilter, CaseId, DisciplineCase, Inspection, InspectionId, InspectionProgrammeId, NewCase, NewInspection,
    Recommendation, RecommendationFilter, RecommendationId, Store, SubjectRef,
};
use serde::Deserialize;
use std::collections::HashMap;

/// How many finding and recommendation rows the conclusion form offers.
const CONCLUSION_ROWS: usize = 6;

fn type_label(store: &dyn Store, tr: Tr, code: &str) -> String {
    store.profile().inspection.types.label(code, tr.lang).to_string()
}

fn severity_label(store: &dyn Store, tr: Tr, code: &str) -> String {
    store.profile().inspection.severities.label(code, tr.lang).to_string()
}

fn measure_label(store: &dyn Store, tr: Tr, against: orgwork_domain::inspection::Against, code: &str) -> String {
    orgwork_domain::inspection::ladder(&store.profile().inspection, against).label(code, tr.lang).to_string()
}

/// A unit as a page names it: its name in the page's language, and its code.
async fn named(names: &mut super::labels::UnitNames<'_>, code: &UnitCode, day: NaiveDate) -> (String, String) {
    (names.name(code, day).await, code.to_string())
}

/// The unit the caller inspects from (the first of their grants that reads inspections).
fn home_body(caller: &Caller) -> Option<UnitCode> {
    caller.user.grants.iter().find(|g| g.role.permits(Permission::ReadInspections)).map(|g| g.unit.clone())
}

/// Any unit of the caller's grants: the follow-up and discipline lists' default.
fn home_unit(caller: &Caller) -> Option<UnitCode> {
    home_body(caller).or_else(|| caller.user.grants.first().map(|g| g.unit.clone()))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<String>,
    year: Option<i32>,
    done: Option<u8>,
    since: Option<i32>,
    view: Option<String>,
}

/// One row of the calendar: an inspection and the months its window covers.
pub struct CalendarRow {
    id: String,
    kind: String,
    topic: String,
    subjects: String,
    window: String,
    status: String,
    status_code: &'static str,
    /// For each month, January first: whether the window covers it, and the month's name.
    months: Vec<(bool, String)>,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct ProgrammePage {
    tr: Tr,
    l: Layout,
    body_code: String,
    body_name: String,
    year: i32,
    year_text: String,
    prev_year: String,
    next_year: String,
    title: String,
    month_names: Vec<String>,
    /// None while the body has no programme for the year.
    programme: Option<String>,
    status: String,
    decision: String,
    is_draft: bool,
    rows: Vec<CalendarRow>,
    /// The changes recorded since approval: day, inspection, reason, who.
    history: Vec<(String, String, String, String)>,
    can_write: bool,
    types: Vec<(String, String)>,
    done: bool,
    error: Option<String>,
    values: HashMap<String, String>,
    today: String,
}

impl ProgrammePage {
    fn val(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

fn month_names(tr: Tr) -> Vec<String> {
    (1..=12).map(|m| tr.t(&format!("month-{m}"))).collect()
}

/// A body's programme for a year: the calendar, and the forms to create, approve and plan.
pub async fn programme_page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let year = q.year.unwrap_or_else(|| today().year());
    render_programme(&s, &ctx, &caller, q.unit.as_deref(), year, q.done.is_some(), None, HashMap::new(), StatusCode::OK)
        .await
}

#[allow(clippy::too_many_arguments)]
async fn render_programme(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    unit: Option<&str>,
    year: i32,
    done: bool,
    error: Option<String>,
    values: HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let body = match unit.map(UnitCode::parse).transpose() {
        Ok(Some(b)) => b,
        // Who inspects nothing follows up the recommendations addressed to their units.
        Ok(None) => match home_body(caller) {
            Some(b) => b,
            None => return redirect("/recommendations"),
        },
        Err(e) => return ctx.api_error_page(e.into()),
    };
    if !(1900..=2199).contains(&year) {
        return ctx.api_error_page(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {year}")));
    }
    let first = crate::api::inspection::first_day(year);
    if let Err(e) = caller.require(store, Permission::ReadInspections, &body, first).await
        && caller.require(store, Permission::ReadInspections, &body, today()).await.is_err()
    {
        return ctx.api_error_page(e);
    }
    let can_write = caller.require_from(store, Permission::WriteInspections, &body, first).await.is_ok();
    let programme = match store.inspection_programme_of(&body, year).await {
        Ok(p) => p,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let mut names = super::labels::UnitNames::new(store, tr);
    let day = super::super::api::inspection::first_day(year).max(first);
    let body_name = names.name(&body, day).await;
    let mut rows = vec![];
    let mut history = vec![];
    if let Some(p) = &programme {
        for i in &p.inspections {
            let mut subjects = vec![];
            for sub in &i.subjects {
                subjects.push(match (&sub.unit, &sub.name) {
                    (Some(u), _) => {
                        let (n, c) = named(&mut names, u, i.from).await;
                        if n.is_empty() { c } else { format!("{n} ({c})") }
                    }
                    (None, Some(n)) => n.clone(),
                    _ => String::new(),
                });
            }
            let months = (1..=12u32)
                .map(|m| {
                    let start = NaiveDate::from_ymd_opt(year, m, 1).unwrap_or(i.from);
                    let end = start.checked_add_months(chrono::Months::new(1)).unwrap_or(start);
                    (i.from < end && i.to >= start, tr.t(&format!("month-{m}")))
                })
                .collect();
            rows.push(CalendarRow {
                id: i.id.to_string(),
                kind: type_label(store, tr, &i.kind),
                topic: i.topic.clone(),
                subjects: subjects.join(", "),
                window: format!("{} – {}", tr.date(i.from), tr.date(i.to)),
                status: tr.t(&format!("inspection-status-{}", i.status.as_str())),
                status_code: i.status.as_str(),
                months,
            });
        }
        if let Ok(list) = store.inspection_amendments(p.id).await {
            for a in list.iter().rev() {
                let topic = a.after.get("topic").and_then(|t| t.as_str()).unwrap_or_default().to_string();
                history.push((
                    tr.date(a.on),
                    if topic.is_empty() { a.inspection.to_string() } else { topic },
                    a.reason.clone().unwrap_or_else(|| tr.t("inspection-no-reason")),
                    a.by.clone(),
                ));
            }
        }
    }
    let types = super::labels::choices(&store.profile().inspection.types, tr);
    let page = ProgrammePage {
        tr,
        l: ctx.layout("inspection", today()),
        title: tr.ta2("inspection-programme-title", "unit", &body_name, "year", &year.to_string()),
        body_code: body.to_string(),
        body_name,
        year,
        year_text: year.to_string(),
        prev_year: (year - 1).to_string(),
        next_year: (year + 1).to_string(),
        month_names: month_names(tr),
        status: programme
            .as_ref()
            .map(|p| tr.t(&format!("programme-status-{}", p.status.as_str())))
            .unwrap_or_default(),
        decision: programme
            .as_ref()
            .and_then(|p| {
                p.decision.as_ref().map(|d| format!("{d} ({})", p.approved_on.map(|o| tr.date(o)).unwrap_or_default()))
            })
            .unwrap_or_default(),
        is_draft: programme.as_ref().is_some_and(|p| p.status == orgwork_store::ProgrammeStatus::Draft),
        programme: programme.as_ref().map(|p| p.id.to_string()),
        rows,
        history,
        can_write,
        types,
        done,
        error,
        values,
        today: today().to_string(),
    };
    ctx.page(status, page)
}

/// A new draft programme of a body for a year.
pub async fn create_programme(
    State(s): State<AppState>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let year: i32 = get(v, "year").parse().unwrap_or(0);
    let unit = get(v, "body");
    let result = async {
        let body = UnitCode::parse(&unit)?;
        if !(1900..=2199).contains(&year) {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {year}")));
        }
        caller
            .require_from(store, Permission::WriteInspections, &body, crate::api::inspection::first_day(year))
            .await?;
        store.create_inspection_programme(&caller.actor(), &body, year).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/inspections?unit={unit}&year={year}&done=1")),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_programme(&s, &ctx, &caller, Some(&unit), year, false, Some(message), v.clone(), e.status).await
        }
    }
}

/// Approves a draft programme under a decision.
pub async fn approve_programme(
    State(s): State<AppState>,
    PageId(id): PageId<InspectionProgrammeId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let p = match writable_programme(store, &caller, id).await {
        Ok(p) => p,
        Err(e) => return ctx.api_error_page(e),
    };
    let result = async {
        let on = parse_written_date("approved_on", &get(v, "approved_on"))?;
        store.approve_inspection_programme(&caller.actor(), id, &get(v, "decision"), on).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    let back = format!("/inspections?unit={}&year={}", p.body, p.year);
    match result {
        Ok(()) => redirect(&format!("{back}&done=1")),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_programme(
                &s,
                &ctx,
                &caller,
                Some(p.body.as_str()),
                p.year,
                false,
                Some(message),
                v.clone(),
                e.status,
            )
            .await
        }
    }
}

/// Words separated by commas or new lines.
fn list_of(text: &str) -> Vec<String> {
    text.split([',', '\n', ';']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Plans an inspection in a programme.
pub async fn plan(
    State(s): State<AppState>,
    PageId(id): PageId<InspectionProgrammeId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let p = match writable_programme(store, &caller, id).await {
        Ok(p) => p,
        Err(e) => return ctx.api_error_page(e),
    };
    let result = async {
        let from = parse_written_date("from_on", &get(v, "from_on"))?;
        let to = parse_written_date("to_on", &get(v, "to_on"))?;
        let subjects =
            list_of(&get(v, "subjects")).iter().map(|t| SubjectRef::parse(t)).collect::<Result<Vec<_>, _>>()?;
        let new = NewInspection {
            kind: get(v, "type"),
            subjects,
            topic: get(v, "topic"),
            criteria: list_of(&get(v, "criteria")),
            from,
            to,
            head: get(v, "head"),
            members: list_of(&get(v, "members")),
            override_conflict: opt(v, "override_conflict"),
            reason: opt(v, "reason"),
        };
        Ok::<_, ApiError>(store.plan_inspection(&caller.actor(), id, new).await?)
    }
    .await;
    match result {
        Ok(i) => redirect(&format!("/inspections/{}?done=1", i.id)),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_programme(
                &s,
                &ctx,
                &caller,
                Some(p.body.as_str()),
                p.year,
                false,
                Some(message),
                v.clone(),
                e.status,
            )
            .await
        }
    }
}

pub struct FindingRow {
    id: String,
    subject: (String, String),
    kind: String,
    severity: String,
    regulation: String,
    text: String,
    repeat_of: String,
}

/// The findings as the inspection page and the printed conclusion show them.
async fn finding_rows(
    store: &dyn Store,
    tr: Tr,
    names: &mut super::labels::UnitNames<'_>,
    i: &Inspection,
) -> Vec<FindingRow> {
    let mut out = vec![];
    for f in &i.findings {
        let subject = match (&f.subject.unit, &f.subject.member) {
            (Some(u), _) => named(names, u, i.concluded_on.unwrap_or(i.from)).await,
            (None, Some(m)) => (f.subject.name.clone().unwrap_or_default(), format!("member:{m}")),
            _ => (String::new(), String::new()),
        };
        out.push(FindingRow {
            id: f.id.to_string(),
            subject,
            kind: tr.t(&format!("finding-kind-{}", f.kind.as_str())),
            severity: f.severity.as_deref().map(|c| severity_label(store, tr, c)).unwrap_or_default(),
            regulation: f.regulation.clone().unwrap_or_default(),
            text: f.text.clone(),
            repeat_of: f.repeat_of.map(|r| r.to_string()).unwrap_or_default(),
        });
    }
    out
}

pub struct RecommendationRow {
    id: String,
    inspection: String,
    body: (String, String),
    addressee: (String, String),
    text: String,
    due: String,
    owner: String,
    status: String,
    overdue: bool,
    awaiting: bool,
    evidence: String,
    /// day, what, note, who
    events: Vec<(String, String, String, String)>,
    can_report: bool,
    can_verify: bool,
}

#[derive(Template)]
#[template(path = "inspection.html")]
struct InspectionPage {
    tr: Tr,
    l: Layout,
    id: String,
    title: String,
    body: (String, String),
    programme_link: String,
    kind: String,
    subjects: Vec<(String, String)>,
    criteria: Vec<String>,
    window: String,
    head: String,
    members: Vec<String>,
    status: String,
    status_code: &'static str,
    reason: String,
    conflicts: Vec<String>,
    override_reason: String,
    started: String,
    concluded: String,
    findings: Vec<FindingRow>,
    recommendations: Vec<RecommendationRow>,
    /// Where the recommendations' forms come back to.
    back: String,
    can_start: bool,
    can_defer: bool,
    can_resume: bool,
    can_reschedule: bool,
    can_cancel: bool,
    can_conclude: bool,
    kinds: Vec<(String, String)>,
    severities: Vec<(String, String)>,
    rows: Vec<String>,
    /// The subjects' units, for the findings' choice: code, name.
    subject_units: Vec<(String, String)>,
    done: bool,
    error: Option<String>,
    values: HashMap<String, String>,
    today: String,
}

impl InspectionPage {
    fn val(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// A conclusion row's field as submitted: `f2_text`, `r1_due_on`.
    fn rv(&self, prefix: &str, n: &str, field: &str) -> String {
        self.val(&format!("{prefix}{n}_{field}"))
    }
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<u8>,
}

/// An inspection from plan to conclusion.
pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<InspectionId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_inspection(&s, &ctx, &caller, id, q.done.is_some(), None, HashMap::new(), StatusCode::OK).await
}

/// The recommendations as a page shows them, with what the caller may do on each.
async fn recommendation_rows(
    store: &dyn Store,
    tr: Tr,
    caller: &Caller,
    names: &mut super::labels::UnitNames<'_>,
    list: &[Recommendation],
) -> Vec<RecommendationRow> {
    let mut out = vec![];
    for r in list {
        let can_report = r.status == RecommendationStatus::Open
            && (r.owner == caller.user.name
                || caller.require(store, Permission::ReportFollowUp, &r.addressee, today()).await.is_ok());
        let can_verify = r.status == RecommendationStatus::Done
            && caller.require(store, Permission::WriteInspections, &r.body, today()).await.is_ok();
        let events = r
            .events
            .iter()
            .map(|e| {
                (
                    tr.date(e.on),
                    tr.t(&format!("recommendation-event-{}", e.event)),
                    e.note.clone().unwrap_or_default(),
                    e.by.clone(),
                )
            })
            .collect();
        out.push(RecommendationRow {
            id: r.id.to_string(),
            inspection: r.inspection.to_string(),
            body: named(names, &r.body, r.due).await,
            addressee: named(names, &r.addressee, r.due.min(today())).await,
            text: r.text.clone(),
            due: tr.date(r.due),
            owner: r.owner.clone(),
            status: tr.t(&format!("recommendation-status-{}", r.status.as_str())),
            overdue: r.overdue,
            awaiting: r.status == RecommendationStatus::Done,
            evidence: r.evidence.clone().unwrap_or_default(),
            events,
            can_report,
            can_verify,
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn render_inspection(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: InspectionId,
    done: bool,
    error: Option<String>,
    values: HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let i = match readable(store, caller, id).await {
        Ok(i) => i,
        Err(e) => return ctx.api_error_page(e),
    };
    let can_write = caller
        .require_from(store, Permission::WriteInspections, &i.body, crate::api::inspection::first_day(i.year))
        .await
        .is_ok();
    let mut names = super::labels::UnitNames::new(store, tr);
    let body = named(&mut names, &i.body, i.from).await;
    let mut subjects = vec![];
    let mut subject_units = vec![];
    for sub in &i.subjects {
        match (&sub.unit, &sub.member) {
            (Some(u), _) => {
                let n = named(&mut names, u, i.from).await;
                subject_units.push((n.1.clone(), n.0.clone()));
                subjects.push(n);
            }
            (None, Some(m)) => subjects.push((sub.name.clone().unwrap_or_default(), format!("member:{m}"))),
            _ => {}
        }
    }
    let findings = finding_rows(store, tr, &mut names, &i).await;
    let recommendations = recommendation_rows(store, tr, caller, &mut names, &i.recommendations).await;
    use InspectionStatus as S;
    let page = InspectionPage {
        tr,
        l: ctx.layout("inspection", today()),
        id: i.id.to_string(),
        title: i.topic.clone(),
        programme_link: format!("/inspections?unit={}&year={}", i.body, i.year),
        body,
        kind: type_label(store, tr, &i.kind),
        subjects,
        criteria: i.criteria.clone(),
        window: format!("{} – {}", tr.date(i.from), tr.date(i.to)),
        head: i.head.clone(),
        members: i.members.clone(),
        status: tr.t(&format!("inspection-status-{}", i.status.as_str())),
        status_code: i.status.as_str(),
        reason: i.reason.clone().unwrap_or_default(),
        conflicts: i
            .conflicts
            .iter()
            .map(|c| {
                tr.targs(
                    "inspection-conflict",
                    &[("user", c.user.as_str()), ("member", c.member.as_str()), ("subject", c.subject.as_str())],
                )
            })
            .collect(),
        back: format!("/inspections/{}", i.id),
        override_reason: i.override_reason.clone().unwrap_or_default(),
        started: i.started_on.map(|d| tr.date(d)).unwrap_or_default(),
        concluded: i.concluded_on.map(|d| tr.date(d)).unwrap_or_default(),
        findings,
        recommendations,
        can_start: can_write && i.status == S::Planned,
        can_defer: can_write && matches!(i.status, S::Planned | S::Deferred),
        can_resume: can_write && i.status == S::Deferred,
        can_reschedule: can_write && matches!(i.status, S::Planned | S::Deferred),
        can_cancel: can_write && matches!(i.status, S::Planned | S::Deferred | S::InProgress),
        can_conclude: can_write && matches!(i.status, S::Planned | S::InProgress),
        kinds: orgwork_domain::inspection::FindingKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), tr.t(&format!("finding-kind-{}", k.as_str()))))
            .collect(),
        severities: super::labels::choices(&store.profile().inspection.severities, tr),
        rows: (1..=CONCLUSION_ROWS).map(|n| n.to_string()).collect(),
        subject_units,
        done,
        error,
        values,
        today: today().to_string(),
    };
    ctx.page(status, page)
}

/// Starts, defers, cancels or takes up again an inspection.
pub async fn set_status(
    State(s): State<AppState>,
    PageId(id): PageId<InspectionId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        writable(store, &caller, id).await?;
        let to = InspectionStatus::parse(&get(v, "status")).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_inspection_status", "status: not a status")
        })?;
        let on = parse_written_date("status_on", &get(v, "status_on"))?;
        store.set_inspection_status(&caller.actor(), id, to, on, opt(v, "reason")).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/inspections/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_inspection(&s, &ctx, &caller, id, false, Some(message), v.clone(), e.status).await
        }
    }
}

/// Moves an inspection to a new window (and a new team, when one is typed).
pub async fn reschedule(
    State(s): State<AppState>,
    PageId(id): PageId<InspectionId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        writable(store, &caller, id).await?;
        let from = parse_written_date("new_from_on", &get(v, "new_from_on"))?;
        let to = parse_written_date("new_to_on", &get(v, "new_to_on"))?;
        let team = opt(v, "new_head").map(|h| (h, list_of(&get(v, "new_members"))));
        let change = orgwork_store::Reschedule {
            from,
            to,
            team,
            override_conflict: opt(v, "new_override"),
            reason: get(v, "new_reason"),
        };
        store.reschedule_inspection(&caller.actor(), id, change).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/inspections/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_inspection(&s, &ctx, &caller, id, false, Some(message), v.clone(), e.status).await
        }
    }
}

/// The conclusion typed in the form's rows: the rows left empty are skipped.
fn conclusion_of(v: &HashMap<String, String>) -> Result<ConclusionInput, ApiError> {
    let mut c = ConclusionInput::default();
    for n in 1..=CONCLUSION_ROWS {
        let text = get(v, &format!("f{n}_text"));
        if text.is_empty() {
            continue;
        }
        c.findings.push(FindingInput {
            subject: get(v, &format!("f{n}_subject")),
            kind: get(v, &format!("f{n}_kind")),
            severity: opt(v, &format!("f{n}_severity")),
            regulation: opt(v, &format!("f{n}_regulation")),
            text,
            repeat_of: opt(v, &format!("f{n}_repeat_of")),
        });
    }
    for n in 1..=CONCLUSION_ROWS {
        let text = get(v, &format!("r{n}_text"));
        if text.is_empty() {
            continue;
        }
        let due = parse_written_date("due", &get(v, &format!("r{n}_due_on")))?;
        let finding = match opt(v, &format!("r{n}_finding")) {
            None => None,
            Some(t) => Some(t.parse::<usize>().map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_recommendation",
                    format!("finding: '{t}' is not a number"),
                )
            })?),
        };
        c.recommendations.push(RecommendationInput {
            finding,
            addressee: get(v, &format!("r{n}_addressee")),
            text,
            due,
            owner: get(v, &format!("r{n}_owner")),
        });
    }
    Ok(c)
}

/// Concludes an inspection with the findings and recommendations typed in.
pub async fn conclude(
    State(s): State<AppState>,
    PageId(id): PageId<InspectionId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        writable(store, &caller, id).await?;
        let on = parse_written_date("concluded_on", &get(v, "concluded_on"))?;
        let c = conclusion_of(v)?;
        store.conclude_inspection(&caller.actor(), id, on, c).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/inspections/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_inspection(&s, &ctx, &caller, id, false, Some(message), v.clone(), e.status).await
        }
    }
}

#[derive(Template)]
#[template(path = "inspection_print.html")]
struct PrintPage {
    tr: Tr,
    title: String,
    /// `decision` (establishing the team) or `conclusion`.
    what: &'static str,
    body: (String, String),
    kind: String,
    subjects: Vec<(String, String)>,
    topic: String,
    criteria: Vec<String>,
    window: String,
    head: String,
    members: Vec<String>,
    concluded: String,
    findings: Vec<FindingRow>,
    recommendations: Vec<(String, String, String, String)>,
    back: String,
    printed: String,
}

/// The documents to print: the decision establishing the team, the conclusion.
pub async fn print(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Path((id, what)): axum::extract::Path<(String, String)>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let id: InspectionId = match id.parse() {
        Ok(i) => i,
        Err(e) => return ctx.api_error_page(ApiError::from(e)),
    };
    let what: &'static str = match what.as_str() {
        "decision" => "decision",
        "conclusion" => "conclusion",
        _ => return ctx.api_error_page(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such document")),
    };
    let i: Inspection = match readable(store, &caller, id).await {
        Ok(i) => i,
        Err(e) => return ctx.api_error_page(e),
    };
    if what == "conclusion" && i.status != InspectionStatus::Concluded {
        return ctx.api_error_page(ApiError::new(StatusCode::NOT_FOUND, "inspection_not_found", "not concluded"));
    }
    let mut names = super::labels::UnitNames::new(store, tr);
    let body = named(&mut names, &i.body, i.from).await;
    let mut subjects = vec![];
    for sub in &i.subjects {
        match (&sub.unit, &sub.member) {
            (Some(u), _) => subjects.push(named(&mut names, u, i.from).await),
            (None, Some(m)) => subjects.push((sub.name.clone().unwrap_or_default(), format!("member:{m}"))),
            _ => {}
        }
    }
    let findings = finding_rows(store, tr, &mut names, &i).await;
    let mut recommendations = vec![];
    for r in &i.recommendations {
        let (n, c) = named(&mut names, &r.addressee, r.due.min(today())).await;
        recommendations.push((format!("{n} ({c})"), r.text.clone(), tr.date(r.due), r.owner.clone()));
    }
    let title = tr.t(&format!("inspection-print-{what}"));
    let page = PrintPage {
        tr,
        title,
        what,
        body,
        kind: type_label(store, tr, &i.kind),
        subjects,
        topic: i.topic.clone(),
        criteria: i.criteria.clone(),
        window: format!("{} – {}", tr.date(i.from), tr.date(i.to)),
        head: i.head.clone(),
        members: i.members.clone(),
        concluded: i.concluded_on.map(|d| tr.date(d)).unwrap_or_default(),
        findings,
        recommendations,
        back: format!("/inspections/{id}"),
        printed: tr.date(today()),
    };
    ctx.page(StatusCode::OK, page)
}

#[derive(Template)]
#[template(path = "recommendations.html")]
struct FollowUpPage {
    tr: Tr,
    l: Layout,
    unit_code: String,
    unit_name: String,
    view: String,
    views: Vec<(String, String)>,
    recommendations: Vec<RecommendationRow>,
    back: String,
    done: bool,
    error: Option<String>,
    today: String,
}

/// The follow-up list of a unit: the recommendations its inspections made and those addressed
/// to its subtree, due, overdue, or awaiting verification.
pub async fn follow_up(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_follow_up(&s, &ctx, &caller, q.unit.as_deref(), q.view.as_deref(), q.done.is_some(), None, StatusCode::OK)
        .await
}

#[allow(clippy::too_many_arguments)]
async fn render_follow_up(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    unit: Option<&str>,
    view: Option<&str>,
    done: bool,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let unit = match unit.map(UnitCode::parse).transpose() {
        Ok(Some(u)) => u,
        Ok(None) => match home_unit(caller) {
            Some(u) => u,
            None => return ctx.api_error_page(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "no role")),
        },
        Err(e) => return ctx.api_error_page(e.into()),
    };
    if let Err(e) = caller.require(store, Permission::ReadStructure, &unit, today()).await {
        return ctx.api_error_page(e);
    }
    let view = match view {
        Some("overdue") => "overdue",
        Some("awaiting") => "awaiting",
        Some("all") => "all",
        _ => "due",
    };
    let base = RecommendationFilter {
        overdue: view == "overdue",
        status: match view {
            "awaiting" => Some(RecommendationStatus::Done),
            _ => None,
        },
        as_of: Some(today()),
        ..Default::default()
    };
    // Addressed to the unit's subtree, and, for an inspector of it, those its inspections made.
    let mut found =
        match store.recommendations(&RecommendationFilter { addressee: Some(unit.clone()), ..base.clone() }).await {
            Ok(l) => l,
            Err(e) => return ctx.api_error_page(e.into()),
        };
    if caller.require(store, Permission::ReadInspections, &unit, today()).await.is_ok() {
        match store.recommendations(&RecommendationFilter { body: Some(unit.clone()), ..base }).await {
            Ok(more) => {
                for r in more {
                    if !found.iter().any(|f| f.id == r.id) {
                        found.push(r);
                    }
                }
            }
            Err(e) => return ctx.api_error_page(e.into()),
        }
    }
    if view == "due" {
        found.retain(|r| r.status != RecommendationStatus::Verified);
    }
    found.sort_by_key(|r| (r.due, r.id));
    let mut names = super::labels::UnitNames::new(store, tr);
    let unit_name = names.name(&unit, today()).await;
    let rows = recommendation_rows(store, tr, caller, &mut names, &found).await;
    let views = ["due", "overdue", "awaiting", "all"]
        .iter()
        .map(|v| (v.to_string(), tr.t(&format!("follow-up-view-{v}"))))
        .collect();
    let page = FollowUpPage {
        tr,
        l: ctx.layout("inspection", today()),
        unit_code: unit.to_string(),
        unit_name,
        back: format!("/recommendations?unit={unit}&view={view}"),
        view: view.to_string(),
        views,
        recommendations: rows,
        done,
        error,
        today: today().to_string(),
    };
    ctx.page(status, page)
}

/// Where a recommendation's form goes back to: the page it was sent from (a path here).
fn back_to(v: &HashMap<String, String>, id: RecommendationId) -> String {
    let back = get(v, "back");
    if back.starts_with('/') && !back.starts_with("//") && !back.contains('#') {
        let join = if back.contains('?') { '&' } else { '?' };
        format!("{back}{join}done=1#rec-{id}")
    } else {
        format!("/recommendations?done=1#rec-{id}")
    }
}

/// Reports a recommendation done.
pub async fn report_done(
    State(s): State<AppState>,
    PageId(id): PageId<RecommendationId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let r = readable_recommendation(store, &caller, id).await?;
        let on = parse_written_date("done_on", &get(v, "done_on"))?;
        if r.owner != caller.user.name {
            caller.require_from(store, Permission::ReportFollowUp, &r.addressee, on).await?;
        }
        store.report_recommendation_done(&caller.actor(), id, on, &get(v, "evidence")).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    follow_up_answer(&s, &ctx, &caller, v, id, result).await
}

/// Verifies a recommendation, or rejects its report.
pub async fn verify(
    State(s): State<AppState>,
    PageId(id): PageId<RecommendationId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let r = readable_recommendation(store, &caller, id).await?;
        let on = parse_written_date("verified_on", &get(v, "verified_on"))?;
        caller.require_from(store, Permission::WriteInspections, &r.body, on).await?;
        let accept = get(v, "accept") != "no";
        store.verify_recommendation(&caller.actor(), id, on, accept, opt(v, "note")).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    follow_up_answer(&s, &ctx, &caller, v, id, result).await
}

async fn follow_up_answer(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    v: &HashMap<String, String>,
    id: RecommendationId,
    result: Result<(), ApiError>,
) -> Response {
    match result {
        Ok(()) => redirect(&back_to(v, id)),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_follow_up(s, ctx, caller, opt(v, "unit").as_deref(), Some("all"), false, Some(message), e.status)
                .await
        }
    }
}

/// An appeal as a page says it: day, deciding body (name, code), outcome, measure before and
/// after, decision.
type AppealRow = (String, (String, String), String, String, String, String);

pub struct CaseRow {
    id: String,
    against: String,
    unit: (String, String),
    body: (String, String),
    measure: String,
    measure_now: String,
    status: String,
    opened: String,
    issued: String,
    decision: String,
    reason: String,
    appeals: Vec<AppealRow>,
}

async fn case_row(store: &dyn Store, tr: Tr, names: &mut super::labels::UnitNames<'_>, c: &DisciplineCase) -> CaseRow {
    let against = match (&c.member, &c.member_name) {
        (Some(m), Some(n)) => format!("{n} ({m})"),
        _ => c.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
    };
    let unit = match &c.unit {
        Some(u) => named(names, u, c.opened_on).await,
        None => (String::new(), String::new()),
    };
    let mut appeals = vec![];
    for a in &c.appeals {
        appeals.push((
            tr.date(a.on),
            named(names, &a.body, a.on).await,
            tr.t(&format!("appeal-outcome-{}", a.outcome.as_str())),
            a.before.as_deref().map(|m| measure_label(store, tr, c.against, m)).unwrap_or_default(),
            a.after.as_deref().map(|m| measure_label(store, tr, c.against, m)).unwrap_or_else(|| tr.t("case-annulled")),
            a.decision.clone().unwrap_or_default(),
        ));
    }
    CaseRow {
        id: c.id.to_string(),
        against,
        unit,
        body: named(names, &c.body, c.opened_on).await,
        measure: measure_label(store, tr, c.against, &c.measure),
        measure_now: c
            .measure_now
            .as_deref()
            .map(|m| measure_label(store, tr, c.against, m))
            .unwrap_or_else(|| tr.t("case-annulled")),
        status: tr.t(&format!("case-status-{}", c.status.as_str())),
        opened: tr.date(c.opened_on),
        issued: c.issued_on.map(|d| tr.date(d)).unwrap_or_default(),
        decision: c.decision.clone().unwrap_or_default(),
        reason: c.reason.clone().unwrap_or_default(),
        appeals,
    }
}

#[derive(Template)]
#[template(path = "discipline.html")]
struct CasesPage {
    tr: Tr,
    l: Layout,
    unit_code: String,
    unit_name: String,
    year: i32,
    rows: Vec<CaseRow>,
    /// One case's page: its row, and the forms.
    one: bool,
    can_write: bool,
    can_issue: bool,
    can_appeal: bool,
    member_measures: Vec<(String, String)>,
    unit_measures: Vec<(String, String)>,
    /// The case's own ladder, for its appeal.
    appeal_measures: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    done: bool,
    error: Option<String>,
    values: HashMap<String, String>,
    today: String,
}

impl CasesPage {
    fn val(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

/// The disciplinary cases of a unit's subtree for a year, and the form to open one.
pub async fn cases(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let year = q.year.unwrap_or_else(|| today().year());
    render_cases(
        &s,
        &ctx,
        &caller,
        q.unit.as_deref(),
        year,
        None,
        q.done.is_some(),
        None,
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_cases(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    unit: Option<&str>,
    year: i32,
    one: Option<CaseId>,
    done: bool,
    error: Option<String>,
    values: HashMap<String, String>,
    status: StatusCode,
) -> Response {
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let mut names = super::labels::UnitNames::new(store, tr);
    let (unit, list) = match one {
        Some(id) => match readable_case(store, caller, id).await {
            Ok(c) => (c.body.clone(), vec![c]),
            Err(e) => return ctx.api_error_page(e),
        },
        None => {
            let unit = match unit.map(UnitCode::parse).transpose() {
                Ok(Some(u)) => u,
                Ok(None) => match home_unit(caller) {
                    Some(u) => u,
                    None => return ctx.api_error_page(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "no role")),
                },
                Err(e) => return ctx.api_error_page(e.into()),
            };
            if !(1900..=2199).contains(&year) {
                return ctx.api_error_page(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_year",
                    format!("year: {year}"),
                ));
            }
            let first = crate::api::inspection::first_day(year);
            if let Err(e) = caller.require(store, Permission::ReadMembers, &unit, first).await
                && caller.require(store, Permission::ReadInspections, &unit, today()).await.is_err()
            {
                return ctx.api_error_page(e);
            }
            let all = match store.cases(&CaseFilter { unit: Some(unit.clone()), year: Some(year) }).await {
                Ok(l) => l,
                Err(e) => return ctx.api_error_page(e.into()),
            };
            let mut list = vec![];
            for c in all {
                if readable_case(store, caller, c.id).await.is_ok() {
                    list.push(c);
                }
            }
            (unit, list)
        }
    };
    let mut rows = vec![];
    for c in &list {
        rows.push(case_row(store, tr, &mut names, c).await);
    }
    let can_write = caller.require(store, Permission::WriteInspections, &unit, today()).await.is_ok();
    let only = one.and(list.first());
    let can_issue = only.is_some_and(|c| c.status == orgwork_domain::inspection::CaseStatus::Open) && can_write;
    let can_appeal =
        only.is_some_and(|c| c.status == orgwork_domain::inspection::CaseStatus::Issued && c.measure_now.is_some());
    let unit_name = names.name(&unit, today()).await;
    let ins = &store.profile().inspection;
    let page = CasesPage {
        tr,
        l: ctx.layout("inspection", today()),
        unit_code: unit.to_string(),
        unit_name,
        year,
        rows,
        one: one.is_some(),
        can_write: can_write && one.is_none(),
        can_issue,
        can_appeal,
        member_measures: super::labels::choices(&ins.member_measures, tr),
        unit_measures: super::labels::choices(&ins.unit_measures, tr),
        appeal_measures: only
            .map(|c| super::labels::choices(orgwork_domain::inspection::ladder(ins, c.against), tr))
            .unwrap_or_default(),
        outcomes: AppealOutcome::ALL
            .iter()
            .map(|o| (o.as_str().to_string(), tr.t(&format!("appeal-outcome-{}", o.as_str()))))
            .collect(),
        done,
        error,
        values,
        today: today().to_string(),
    };
    ctx.page(status, page)
}

/// A case's page.
pub async fn case_page(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<CaseId>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_cases(
        &s,
        &ctx,
        &caller,
        None,
        today().year(),
        Some(id),
        q.done.is_some(),
        None,
        HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// Opens a case.
pub async fn open_case(
    State(s): State<AppState>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let on = parse_written_date("opened_on", &get(v, "opened_on"))?;
        let body = UnitCode::parse(&get(v, "body"))?;
        caller.require_from(store, Permission::WriteInspections, &body, on).await?;
        let (member, unit, measure) = match get(v, "against").as_str() {
            "unit" => (None, Some(UnitCode::parse(&get(v, "target"))?), get(v, "unit_measure")),
            _ => (Some(get(v, "target").parse()?), None, get(v, "member_measure")),
        };
        let finding = opt(v, "finding").map(|f| f.parse()).transpose()?;
        let c = store
            .open_case(&caller.actor(), NewCase { member, unit, measure, body, on, finding, reason: opt(v, "reason") })
            .await?;
        Ok::<_, ApiError>(c.id)
    }
    .await;
    match result {
        Ok(id) => redirect(&format!("/discipline/{id}?done=1")),
        Err(e) => {
            let message = ctx.error_text(&e);
            let unit = get(v, "body");
            render_cases(
                &s,
                &ctx,
                &caller,
                Some(&unit),
                today().year(),
                None,
                false,
                Some(message),
                v.clone(),
                e.status,
            )
            .await
        }
    }
}

/// Issues a case's decision.
pub async fn issue(
    State(s): State<AppState>,
    PageId(id): PageId<CaseId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let c = readable_case(store, &caller, id).await?;
        let on = parse_written_date("issued_on", &get(v, "issued_on"))?;
        caller.require_from(store, Permission::WriteInspections, &c.body, on).await?;
        store.issue_case(&caller.actor(), id, &get(v, "decision"), on).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    case_answer(&s, &ctx, &caller, v, id, result).await
}

/// Records an appeal's decision.
pub async fn appeal(
    State(s): State<AppState>,
    PageId(id): PageId<CaseId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let c = readable_case(store, &caller, id).await?;
        let on = parse_written_date("appeal_on", &get(v, "appeal_on"))?;
        may_decide_appeal(store, &caller, &c, on).await?;
        let outcome = AppealOutcome::parse(&get(v, "outcome"))?;
        store.appeal_case(&caller.actor(), id, on, outcome, opt(v, "measure"), opt(v, "decision")).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    case_answer(&s, &ctx, &caller, v, id, result).await
}

async fn case_answer(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    v: &HashMap<String, String>,
    id: CaseId,
    result: Result<(), ApiError>,
) -> Response {
    match result {
        Ok(()) => redirect(&format!("/discipline/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_cases(s, ctx, caller, None, today().year(), Some(id), false, Some(message), v.clone(), e.status)
                .await
        }
    }
}

/// A unit of the coverage's tree: depth, name, code, and what it had.
pub struct CoverageRow {
    depth: usize,
    name: String,
    code: String,
    class: &'static str,
    what: String,
    last: String,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct CoveragePage {
    tr: Tr,
    l: Layout,
    body_code: String,
    body_name: String,
    year: i32,
    since: i32,
    counts: Vec<(String, usize, &'static str)>,
    rows: Vec<CoverageRow>,
    truncated: bool,
}

/// The most units the coverage's tree lists on one page.
const COVERAGE_ROWS: usize = 2000;

/// The coverage of a body's subtree for a year, as a tree coloured by what each unit had.
pub async fn coverage(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let body = match q.unit.as_deref().map(UnitCode::parse).transpose() {
        Ok(Some(b)) => b,
        Ok(None) => match home_body(&caller) {
            Some(b) => b,
            None => return ctx.api_error_page(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "no inspection role")),
        },
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let year = q.year.unwrap_or_else(|| today().year());
    let since = q.since.unwrap_or(year - 4).min(year);
    if !(1900..=2199).contains(&year) || since < 1900 {
        return ctx.api_error_page(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {year}")));
    }
    if let Err(e) = caller.require(store, Permission::ReadInspections, &body, today()).await
        && caller
            .require(store, Permission::ReadInspections, &body, crate::api::inspection::first_day(year))
            .await
            .is_err()
    {
        return ctx.api_error_page(e);
    }
    let report = match store.coverage(&body, year, Some(since)).await {
        Ok(r) => r,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let day = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_else(today).min(today());
    // The tree's order and depth: the subtree as of the day.
    let tree = match store.subtree(&body, day, None, orgwork_store::Page::first(orgwork_store::Page::MAX_LIMIT)).await {
        Ok(t) => t,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let by_code: HashMap<&str, &orgwork_domain::inspection::Covered> =
        report.units.iter().map(|c| (c.unit.as_str(), c)).collect();
    let never: std::collections::HashSet<&str> = report.coverage.never_since.iter().map(String::as_str).collect();
    let mut rows = vec![];
    for e in tree.items.iter().take(COVERAGE_ROWS) {
        let code = e.unit.code.to_string();
        let c = by_code.get(code.as_str());
        let (class, what) = match c {
            Some(c) if c.inspected && c.supervised => ("both", tr.t("coverage-both")),
            Some(c) if c.inspected => ("inspected", tr.t("coverage-inspected")),
            Some(c) if c.supervised => ("supervised", tr.t("coverage-supervised")),
            _ if never.contains(code.as_str()) => ("never", tr.ta("coverage-never", "year", &since.to_string())),
            _ => ("neither", tr.t("coverage-neither")),
        };
        rows.push(CoverageRow {
            depth: e.depth as usize,
            name: e.unit.name.get(tr.lang).to_string(),
            code,
            class,
            what,
            last: c.and_then(|c| c.last_year).map(|y| y.to_string()).unwrap_or_default(),
        });
    }
    let mut names = super::labels::UnitNames::new(store, tr);
    let body_name = names.name(&body, day).await;
    let cov = &report.coverage;
    let page = CoveragePage {
        tr,
        l: ctx.layout("inspection", today()),
        body_code: body.to_string(),
        body_name,
        year,
        since,
        counts: vec![
            (tr.t("coverage-inspected"), cov.inspected.len(), "inspected"),
            (tr.t("coverage-supervised"), cov.supervised.len(), "supervised"),
            (tr.t("coverage-neither"), cov.neither.len(), "neither"),
            (tr.ta("coverage-never", "year", &since.to_string()), cov.never_since.len(), "never"),
        ],
        truncated: tree.next.is_some() || tree.items.len() > COVERAGE_ROWS,
        rows,
    };
    ctx.page(StatusCode::OK, page)
}
