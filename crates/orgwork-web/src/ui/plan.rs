//! A work programme's page: the items as a tree with their achievement bars and the lint's
//! findings beside each, the reports, and the forms to report progress and to approve.

use super::i18n::Tr;
use super::labels::fault_words;
use super::{Ctx, FieldsForm, Layout, PageId, Submitted, field as get, opt_field as opt, redirect};
use crate::AppState;
use crate::api::plan::{readable, writable};
use crate::auth::{Caller, today};
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::plan::Item;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{NewReport, ProgrammeId, ProgrammeStatus};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A finding as the page says it: the column, and why.
type Said = (String, String);

pub struct ItemRow {
    code: String,
    title: String,
    depth: usize,
    /// The responsible unit's name and code.
    responsible: (String, String),
    indicator: String,
    target: String,
    deadline: String,
    value: String,
    /// 0 to 100, and as the language writes it.
    percent: i64,
    percent_text: String,
    overdue: bool,
    /// The lint's findings on the item: errors, then warnings (column, why).
    errors: Vec<Said>,
    warnings: Vec<Said>,
    /// Its reports: day, value, note, who.
    reports: Vec<(String, String, String, String)>,
}

/// An amendment as the page says it.
pub struct HistoryRow {
    on: String,
    item: String,
    /// Added, changed or withdrawn, in the page's language.
    what: String,
    /// Each field changed: its column's name, before, after.
    changes: Vec<(String, String, String)>,
    reason: String,
    by: String,
}

/// A field's value in an item's JSON, as a page shows it.
fn shown(tr: Tr, v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_f64().map(|f| number(tr, f)).unwrap_or_else(|| n.to_string()),
        None | Some(serde_json::Value::Null) => "—".to_string(),
        Some(serde_json::Value::String(t)) => t.clone(),
        Some(serde_json::Value::Array(a)) if a.is_empty() => "—".to_string(),
        Some(serde_json::Value::Array(a)) => a.iter().map(|x| shown(tr, Some(x))).collect::<Vec<_>>().join(", "),
        Some(other) => other.to_string(),
    }
}

/// The fields an amendment changed, by column: before and after.
fn changed_fields(tr: Tr, a: &orgwork_store::Amendment) -> Vec<(String, String, String)> {
    let before = a.before.as_ref().and_then(|i| serde_json::to_value(i).ok()).unwrap_or_default();
    let after = a.after.as_ref().and_then(|i| serde_json::to_value(i).ok()).unwrap_or_default();
    orgwork_domain::plan::COLUMNS
        .iter()
        .filter(|c| **c != "code")
        .filter_map(|c| {
            let (b, n) = (before.get(*c), after.get(*c));
            let (b, n) = (shown(tr, b), shown(tr, n));
            (b != n).then(|| (tr.t(&format!("plan-col-{c}")), b, n))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    tr: Tr,
    l: Layout,
    id: String,
    title: String,
    unit_code: String,
    unit_name: String,
    status: String,
    decision: String,
    theme: String,
    as_of: String,
    completion: i64,
    completion_text: String,
    items: Vec<ItemRow>,
    can_write: bool,
    can_report: bool,
    /// The items the caller may report on: code, title.
    report_items: Vec<(String, String)>,
    can_amend: bool,
    /// The amendments, newest first.
    history: Vec<HistoryRow>,
    /// "2 faults keep the programme from being approved", for a draft with faults.
    errors: Option<String>,
    done: bool,
    general_error: Option<String>,
    /// A file's faults: row, column, value, why.
    file_faults: Vec<(String, String, String, String)>,
    today: String,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    as_of: Option<String>,
    done: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<ProgrammeId>,
    Query(q): Query<PageQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let on = match q.as_of.as_deref().filter(|v| !v.is_empty()).map(|v| parse_written_date("as_of", v)) {
        Some(Ok(d)) => d,
        Some(Err(e)) => return ctx.api_error_page(e.into()),
        None => today(),
    };
    render(&s, &ctx, &caller, id, on, q.done.is_some(), None, StatusCode::OK).await
}

/// A percentage of an achievement, whole.
fn percent(x: f64) -> i64 {
    (x * 100.0).round().clamp(0.0, 100.0) as i64
}

/// A value as the language writes it: whole numbers with its separators, others with a decimal.
fn number(tr: Tr, v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        tr.number(v as i64)
    } else {
        let text = format!("{v:.2}");
        if tr.lang == "vi" { text.replace('.', ",") } else { text }
    }
}

#[allow(clippy::too_many_arguments)]
async fn render(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: ProgrammeId,
    on: NaiveDate,
    done: bool,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    render_with(s, ctx, caller, id, on, done, general_error, vec![], status).await
}

/// A file's faults as a page lists them: row, column (by its name), value, why.
fn said_faults(tr: Tr, faults: &orgwork_domain::import::Faults) -> Vec<(String, String, String, String)> {
    faults
        .errors
        .iter()
        .map(|e| {
            let column = if orgwork_domain::plan::COLUMNS.contains(&e.column.as_str()) {
                tr.t(&format!("plan-col-{}", e.column))
            } else {
                e.column.clone()
            };
            (tr.number(e.row as i64), column, e.value.clone(), fault_words(tr, &e.fault))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn render_with(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: ProgrammeId,
    on: NaiveDate,
    done: bool,
    general_error: Option<String>,
    file_faults: Vec<(String, String, String, String)>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let built = async {
        let p = readable(store, caller, id).await?;
        let standing = store.programme_standing(id, on).await?;
        let then = store.programme_as_of(id, on).await?;
        let lint = store.lint_programme(id).await?;
        let can_write = p.status == ProgrammeStatus::Draft
            && caller
                .require_from(store, Permission::WritePlans, &p.unit, crate::api::plan::first_day(p.year))
                .await
                .is_ok();
        let reportable = if p.status == ProgrammeStatus::Approved {
            crate::api::plan::reportable(store, caller, &p).await
        } else {
            vec![]
        };
        let can_amend = p.status == ProgrammeStatus::Approved
            && caller.require_from(store, Permission::WritePlans, &p.unit, today()).await.is_ok();
        let history = store.amendments(id).await?;
        Ok::<_, ApiError>((p, then, standing, lint, can_write, reportable, can_amend, history))
    };
    let (p, then, standing, lint, can_write, reportable, can_amend, history) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let mut findings: BTreeMap<String, (Vec<Said>, Vec<Said>)> = BTreeMap::new();
    for f in &lint.errors {
        findings
            .entry(f.item.clone())
            .or_default()
            .0
            .push((tr.t(&format!("plan-col-{}", f.field)), fault_words(tr, &f.fault)));
    }
    for f in &lint.warnings {
        findings
            .entry(f.item.clone())
            .or_default()
            .1
            .push((tr.t(&format!("plan-col-{}", f.field)), fault_words(tr, &f.fault)));
    }
    let depth_of = |code: &str| {
        let mut depth = 0;
        let mut at = then.items.iter().find(|i| i.code == code);
        while let Some(parent) = at.and_then(|i| i.parent.as_deref()) {
            depth += 1;
            at = then.items.iter().find(|i| i.code == parent);
            if depth > 20 {
                break;
            }
        }
        depth
    };
    let mut names = super::labels::UnitNames::new(store, tr);
    let mut items = Vec::with_capacity(then.items.len());
    for (it, st) in then.items.iter().zip(&standing.items) {
        let (errors, warnings) = findings.remove(&it.code).unwrap_or_default();
        let responsible = match &it.responsible {
            Some(u) => names.pair(u, it.deadline.unwrap_or(on)).await,
            None => (String::new(), String::new()),
        };
        let measure = it.unit.clone().unwrap_or_default();
        items.push(ItemRow {
            code: it.code.clone(),
            title: it.title.clone(),
            depth: depth_of(&it.code),
            responsible,
            indicator: it.indicator.map(|i| tr.t(&format!("plan-indicator-{}", i.as_str()))).unwrap_or_default(),
            target: it.target.map(|t| format!("{} {measure}", number(tr, t)).trim().to_string()).unwrap_or_default(),
            deadline: it.deadline.map(|d| tr.date(d)).unwrap_or_default(),
            value: st.value.map(|v| number(tr, v)).unwrap_or_default(),
            percent: percent(st.achievement),
            percent_text: format!("{} %", percent(st.achievement)),
            overdue: st.overdue,
            errors,
            warnings,
            reports: st
                .reports
                .iter()
                .map(|r| (tr.date(r.on), number(tr, r.value), r.note.clone().unwrap_or_default(), r.by.clone()))
                .collect(),
        });
    }
    let unit_name = names.name(&p.unit, on).await;
    let page = ProgrammePage {
        tr,
        l: ctx.layout("structure", on),
        id: id.to_string(),
        title: tr.ta2("programme-title", "unit", &unit_name, "year", &p.year.to_string()),
        unit_code: p.unit.to_string(),
        unit_name,
        status: tr.t(&format!("programme-status-{}", p.status.as_str())),
        decision: match (&p.decision, p.approved_on) {
            // The number isolated (FSI … PDI), so that an Arabic page keeps its order.
            (Some(d), Some(on)) => {
                tr.ta2("programme-decision", "decision", &format!("\u{2068}{d}\u{2069}"), "date", &tr.date(on))
            }
            _ => String::new(),
        },
        theme: p.theme.clone(),
        as_of: on.to_string(),
        completion: percent(standing.completion),
        completion_text: format!("{} %", percent(standing.completion)),
        items,
        can_write,
        can_report: !reportable.is_empty(),
        report_items: p
            .items
            .iter()
            .filter(|i| reportable.contains(&i.code))
            .map(|i| (i.code.clone(), i.title.clone()))
            .collect(),
        can_amend,
        history: history
            .iter()
            .rev()
            .map(|a| HistoryRow {
                on: tr.date(a.on),
                item: a.item.clone(),
                what: tr.t(match (&a.before, &a.after) {
                    (None, _) => "amendment-added",
                    (_, None) => "amendment-withdrawn",
                    _ => "amendment-changed",
                }),
                changes: changed_fields(tr, a),
                reason: a.reason.clone(),
                by: a.by.clone(),
            })
            .collect(),
        errors: (p.status == ProgrammeStatus::Draft && !lint.errors.is_empty())
            .then(|| tr.tn("programme-errors", lint.errors.len())),
        done,
        general_error,
        file_faults,
        today: today().to_string(),
    };
    ctx.page(status, page)
}

/// Reports progress on an item from the page's form.
pub async fn progress(
    State(s): State<AppState>,
    PageId(id): PageId<ProgrammeId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let on = parse_written_date("on", &get(v, "on"))?;
        let value = get(v, "value").replace(',', ".").parse::<f64>().map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_report",
                format!("value: '{}' is not a number", get(v, "value")),
            )
        })?;
        let p = readable(store, &caller, id).await?;
        let item = get(v, "item");
        let unit = p.items.iter().find(|i| i.code == item).and_then(|i| i.responsible.clone()).unwrap_or(p.unit);
        caller.require_from(store, Permission::ReportProgress, &unit, on).await?;
        let report = NewReport { item, value, on, note: opt(v, "note"), evidence: opt(v, "evidence") };
        store.report_progress(&caller.actor(), id, report).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/programmes/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND && e.code == "programme_not_found" => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render(&s, &ctx, &caller, id, today(), false, Some(message), e.status).await
        }
    }
}

/// Approves a draft from the page's form; refused, with the lint's errors on the page, while
/// it has them.
pub async fn approve(
    State(s): State<AppState>,
    PageId(id): PageId<ProgrammeId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let on = parse_written_date("on", &get(v, "on"))?;
        writable(store, &caller, id).await?;
        store.approve_programme(&caller.actor(), id, &get(v, "decision"), on).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/programmes/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render(&s, &ctx, &caller, id, today(), false, Some(message), e.status).await
        }
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i32>,
}

/// A unit's programme for a year (this year's by default, or last year's while this year's
/// is not there yet): its page, or a page saying there is none.
pub async fn of_unit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let this_year = chrono::Datelike::year(&today());
    let year = q.year.unwrap_or(this_year).clamp(1900, 2199);
    let found = async {
        let unit = UnitCode::parse(&code)?;
        caller.require(store, Permission::ReadStructure, &unit, today()).await?;
        // Without a year asked, last year's while this year's is not there yet.
        match store.programme_of(&unit, year).await? {
            None if q.year.is_none() => Ok::<_, ApiError>(store.programme_of(&unit, this_year - 1).await?),
            found => Ok(found),
        }
    };
    match found.await {
        Ok(Some(p)) => redirect(&format!("/programmes/{}", p.id)),
        Ok(None) => match UnitCode::parse(&code) {
            Ok(unit) => no_programme(&s, &ctx, &caller, &unit, year, None, vec![], StatusCode::NOT_FOUND).await,
            Err(e) => ctx.api_error_page(e.into()),
        },
        Err(e) => ctx.api_error_page(e),
    }
}

/// Amends an approved programme from the page's form: the fields filled in change, the empty
/// ones stay; or the item is withdrawn.
pub async fn amend(
    State(s): State<AppState>,
    PageId(id): PageId<ProgrammeId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let p = readable(store, &caller, id).await?;
        let mut changes = serde_json::Map::new();
        for key in ["title", "responsible", "unit"] {
            if let Some(t) = opt(v, key) {
                changes.insert(key.to_string(), t.into());
            }
        }
        for key in ["baseline", "target", "weight"] {
            if let Some(t) = opt(v, key) {
                let n = t.replace(',', ".").parse::<f64>().map_err(|_| {
                    ApiError::new(StatusCode::BAD_REQUEST, "invalid_amendment", format!("{key}: '{t}' is not a number"))
                })?;
                changes.insert(key.to_string(), n.into());
            }
        }
        if let Some(t) = opt(v, "deadline") {
            changes.insert("deadline".into(), parse_written_date("deadline", &t)?.to_string().into());
        }
        let item = match opt(v, "new_code") {
            Some(code) => code,
            None => get(v, "item"),
        };
        let body = crate::api::plan::AmendBody {
            item,
            changes,
            withdraw: opt(v, "withdraw").is_some(),
            on: opt(v, "on").map(|t| parse_written_date("on", &t).map(|d| d.to_string())).transpose()?,
            reason: get(v, "reason"),
        };
        let a = crate::api::plan::amendment_of(&p, body)?;
        caller.require_from(store, Permission::WritePlans, &p.unit, a.on.min(today())).await?;
        store.amend_programme(&caller.actor(), id, a).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/programmes/{id}?done=1#history")),
        Err(e) if e.status == StatusCode::NOT_FOUND && e.code == "programme_not_found" => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render(&s, &ctx, &caller, id, today(), false, Some(message), e.status).await
        }
    }
}

/// The unit page's section: its programme's completion for the year and each child unit's,
/// as a chart with its table beside it, and the items overdue among them.
pub struct UnitSection {
    pub title: String,
    pub chart: String,
    /// Unit's name, code, completion as written (or "no programme"), the programme's link.
    pub rows: Vec<(String, String, String, Option<String>)>,
    /// Overdue items: unit's name, item code, title, deadline, achievement, the programme's link.
    pub overdue: Vec<(String, String, String, String, String, String)>,
    /// "38 units have no programme for the year", when some have none.
    pub without: Option<String>,
}

/// The section for a unit's page on a day: this year's programmes (or last year's while this
/// year has none), none when neither year has one in the unit or its children.
pub async fn unit_section(
    store: &dyn orgwork_store::Store,
    tr: Tr,
    unit: &UnitCode,
    on: NaiveDate,
    known: impl IntoIterator<Item = (UnitCode, String)>,
) -> Result<Option<UnitSection>, ApiError> {
    let year = chrono::Datelike::year(&on);
    let mut list = store.completions(unit, year, on).await?;
    let mut shown_year = year;
    if list.iter().all(|c| c.programme.is_none()) {
        list = store.completions(unit, year - 1, on).await?;
        shown_year = year - 1;
        if list.iter().all(|c| c.programme.is_none()) {
            return Ok(None);
        }
    }
    let mut names = super::labels::UnitNames::new(store, tr).knowing(on, known);
    let mut rows = vec![];
    let mut bars = vec![];
    let mut overdue = vec![];
    let mut without = 0;
    for c in &list {
        let name = names.name(&c.unit, on).await;
        let link = c.programme.map(|p| format!("/programmes/{p}?as_of={on}"));
        let Some(x) = c.completion else {
            without += 1;
            continue;
        };
        let text = format!("{} %", percent(x));
        bars.push(super::chart::Bar { label: name.clone(), value: percent(x), href: link.clone() });
        for o in &c.overdue {
            overdue.push((
                name.clone(),
                o.code.clone(),
                o.title.clone(),
                o.deadline.map(|d| tr.date(d)).unwrap_or_default(),
                format!("{} %", percent(o.achievement)),
                link.clone().unwrap_or_default(),
            ));
        }
        rows.push((name, c.unit.to_string(), text, link));
    }
    Ok(Some(UnitSection {
        title: tr.ta2("programme-section", "year", &shown_year.to_string(), "date", &tr.date(on)),
        chart: super::chart::scaled_bars(&bars, tr.dir() == "rtl", Some(100), |n| format!("{n} %")),
        rows,
        overdue,
        without: (without > 0).then(|| tr.tn("programme-without", without)),
    }))
}

/// A programme's items as a CSV or Excel file, for whoever may read it.
pub async fn export(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<ProgrammeId>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let made = async {
        let p = readable(s.store.as_ref(), &caller, id).await?;
        crate::api::plan::export_file(&p, q.format.as_deref().unwrap_or("csv"), q.lang.as_deref())
    };
    match made.await {
        Ok(r) => r,
        Err(e) => ctx.api_error_page(e),
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    lang: Option<String>,
}

/// A multipart form's fields and its file.
async fn read_form(
    mut form: axum::extract::Multipart,
) -> Result<(std::collections::HashMap<String, String>, axum::body::Bytes), ApiError> {
    let mut fields = std::collections::HashMap::new();
    let mut file = axum::body::Bytes::new();
    let bad = |e: axum::extract::multipart::MultipartError| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "too_large" } else { "invalid_body" };
        ApiError::new(status, code, e.body_text())
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(bad)?;
        if name == "file" {
            file = bytes;
        } else if name.len() <= 40 && bytes.len() <= 4000 {
            fields.insert(name, String::from_utf8_lossy(&bytes).trim().to_string());
        }
    }
    Ok((fields, file))
}

/// An upload from a signed-in user's form: the caller, the fields and the file, the CSRF
/// token checked; or the page that says why not.
async fn upload(
    ctx: &Ctx,
    form: axum::extract::Multipart,
) -> Result<(Caller, std::collections::HashMap<String, String>, axum::body::Bytes), Response> {
    let caller = ctx.caller()?;
    let (fields, file) = read_form(form).await.map_err(|e| ctx.api_error_page(e))?;
    ctx.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    Ok((caller, fields, file))
}

/// A file's items through the upload gate (two at once), or its faults as the page lists
/// them with the line that counts them.
async fn file_items(s: &AppState, tr: Tr, file: axum::body::Bytes) -> Result<Result<Vec<Item>, FileFaults>, ApiError> {
    let _place = s.imports.enter()?;
    Ok(crate::api::plan::items_of_file(s, file)
        .await?
        .map_err(|faults| (tr.tn("import-errors", faults.total), said_faults(tr, &faults))))
}

/// A file's faults on a page: the line that counts them, and each one.
type FileFaults = (String, Vec<(String, String, String, String)>);

/// Replaces a draft's items from a file sent from its page; the file's faults listed by row
/// and column, changing nothing.
pub async fn import_items(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<ProgrammeId>,
    form: axum::extract::Multipart,
) -> Response {
    let (caller, _, file) = match upload(&ctx, form).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let result = async {
        writable(store, &caller, id).await?;
        match file_items(&s, ctx.tr, file).await? {
            Ok(items) => {
                store.replace_items(&caller.actor(), id, items).await?;
                Ok(None)
            }
            Err(faults) => Ok::<_, ApiError>(Some(faults)),
        }
    }
    .await;
    match result {
        Ok(None) => redirect(&format!("/programmes/{id}?done=1")),
        Ok(Some((message, said))) => {
            render_with(&s, &ctx, &caller, id, today(), false, Some(message), said, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render(&s, &ctx, &caller, id, today(), false, Some(message), e.status).await
        }
    }
}

#[derive(Template)]
#[template(path = "programme_new.html")]
struct NewProgrammePage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    year: String,
    can_write: bool,
    general_error: Option<String>,
    file_faults: Vec<(String, String, String, String)>,
}

/// The page of a unit without a programme for the year: says so, and offers planners the
/// form that makes the draft from a file.
#[allow(clippy::too_many_arguments)]
async fn no_programme(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    unit: &UnitCode,
    year: i32,
    general_error: Option<String>,
    file_faults: Vec<(String, String, String, String)>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let can_write =
        caller.require_from(store, Permission::WritePlans, unit, crate::api::plan::first_day(year)).await.is_ok();
    let unit_name = super::labels::UnitNames::new(store, tr).name(unit, today()).await;
    let page = NewProgrammePage {
        tr,
        l: ctx.layout("structure", today()),
        title: tr.ta("programme-none", "year", &year.to_string()),
        unit_code: unit.to_string(),
        unit_name,
        year: year.to_string(),
        can_write,
        general_error,
        file_faults,
    };
    ctx.page(status, page)
}

/// A new draft programme of a unit for a year, from a file sent from the unit's programme
/// page.
pub async fn create_from_file(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    form: axum::extract::Multipart,
) -> Response {
    let (caller, fields, file) = match upload(&ctx, form).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let unit = match UnitCode::parse(&code) {
        Ok(u) => u,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let year = fields.get("year").and_then(|y| y.parse::<i32>().ok()).filter(|y| (1900..=2199).contains(y));
    let Some(year) = year else {
        let e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", "year: not a year");
        return ctx.api_error_page(e);
    };
    let result = async {
        caller.require(store, Permission::ReadStructure, &unit, today()).await?;
        caller.require_from(store, Permission::WritePlans, &unit, crate::api::plan::first_day(year)).await?;
        match file_items(&s, ctx.tr, file).await? {
            Ok(items) => {
                let theme = fields.get("theme").cloned().unwrap_or_default();
                let p = store.create_programme(&caller.actor(), &unit, year, &theme, items).await?;
                Ok(Ok(p.id))
            }
            Err(faults) => Ok::<_, ApiError>(Err(faults)),
        }
    }
    .await;
    match result {
        Ok(Ok(id)) => redirect(&format!("/programmes/{id}?done=1")),
        Ok(Err((message, said))) => {
            no_programme(&s, &ctx, &caller, &unit, year, Some(message), said, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) if matches!(e.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN) => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            no_programme(&s, &ctx, &caller, &unit, year, Some(message), vec![], e.status).await
        }
    }
}

/// Closes an approved programme from its page, after a page that says what it means.
pub async fn close(
    State(s): State<AppState>,
    PageId(id): PageId<ProgrammeId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let on = parse_written_date("on", &get(v, "on"))?;
        let p = writable(store, &caller, id).await?;
        if opt(v, "confirmed").is_none() {
            return Ok::<_, ApiError>(Some((p, on)));
        }
        store.close_programme(&caller.actor(), id, on).await?;
        Ok(None)
    }
    .await;
    match result {
        Ok(Some((p, on))) => {
            let tr = ctx.tr;
            let name = super::labels::UnitNames::new(store, tr).name(&p.unit, on).await;
            let title = tr.ta2("programme-title", "unit", &name, "year", &p.year.to_string());
            ctx.confirm_page(
                tr.ta("confirm-close-title", "programme", &title),
                vec![tr.ta("confirm-close-what", "date", &tr.date(on)), tr.t("confirm-close-again")],
                format!("/programmes/{id}/close"),
                vec![("on".into(), on.to_string())],
                format!("/programmes/{id}"),
                tr.t("programme-close"),
            )
        }
        Ok(None) => redirect(&format!("/programmes/{id}?done=1")),
        Err(e) if e.status == StatusCode::NOT_FOUND => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render(&s, &ctx, &caller, id, today(), false, Some(message), e.status).await
        }
    }
}
