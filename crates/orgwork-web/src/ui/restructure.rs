//! Restructuring pages: the list of drafts and applied restructurings with a form to plan one
//! (a mapping table or a file of operations), and a draft's page: its operations, the
//! continuity check with the impact and the tree before and after, apply and undo.

use super::i18n::Tr;
use super::{Ctx, Layout, PageId, Submitted, redirect};
use crate::AppState;
use crate::api::restructure::{draft_from_cells, require_draft, restructuring_for};
use crate::auth::Caller;
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::restructure::Draft;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{CheckReport, DraftId, Restructuring};
use serde::Deserialize;

use crate::auth::today;

pub struct Row {
    id: DraftId,
    title: String,
    effective: String,
    state: String,
    operations: usize,
}

#[derive(Template)]
#[template(path = "restructurings.html")]
struct ListPage {
    tr: Tr,
    l: Layout,
    rows: Vec<Row>,
    error: Option<String>,
    title_value: String,
    effective_value: String,
    decision_value: String,
}

pub async fn list(State(s): State<AppState>, ctx: Ctx) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_list(&s, &ctx, &caller, None, Default::default(), StatusCode::OK).await
}

#[derive(Default)]
struct PlanValues {
    title: String,
    effective: String,
    decision: String,
}

async fn render_list(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    error: Option<String>,
    v: PlanValues,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let all = match s.store.restructurings().await {
        Ok(a) => a,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let mut rows = vec![];
    for r in all {
        match require_draft(s.store.as_ref(), caller, &r.draft(), &[Permission::ReadStructure]).await {
            Ok(()) => rows.push(Row {
                title: r.title.clone(),
                effective: tr.date(r.effective),
                state: tr.t(&format!("restructure-state-{}", r.state)),
                operations: r.operations.len(),
                id: r.id,
            }),
            Err(e) if e.status == StatusCode::FORBIDDEN => {}
            Err(e) => return ctx.api_error_page(e),
        }
    }
    let page = ListPage {
        tr,
        l: ctx.layout("restructure", today()),
        rows,
        error,
        title_value: v.title,
        effective_value: v.effective,
        decision_value: v.decision,
    };
    ctx.page(status, page)
}

/// Records a draft from an uploaded mapping table (CSV, XLSX) or file of operations (TOML).
pub async fn plan(State(s): State<AppState>, ctx: Ctx, mut form: Multipart) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut csrf = String::new();
    let mut v = PlanValues::default();
    let (mut file, mut file_name) = (vec![], String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "file" {
                    file_name = field.file_name().unwrap_or("").to_string();
                }
                match field.bytes().await {
                    Ok(b) => match name.as_str() {
                        "csrf" => csrf = String::from_utf8_lossy(&b).to_string(),
                        "title" => v.title = String::from_utf8_lossy(&b).trim().to_string(),
                        "effective" => v.effective = String::from_utf8_lossy(&b).trim().to_string(),
                        "decision" => v.decision = String::from_utf8_lossy(&b).trim().to_string(),
                        "file" => file = b.to_vec(),
                        _ => {}
                    },
                    Err(e) => return render_list(&s, &ctx, &caller, Some(e.body_text()), v, e.status()).await,
                }
            }
            Ok(None) => break,
            Err(e) => return render_list(&s, &ctx, &caller, Some(e.body_text()), v, e.status()).await,
        }
    }
    if let Err(r) = ctx.check_csrf(&csrf) {
        return r;
    }
    let result = async {
        let title = Some(v.title.clone());
        let decision = Some(v.decision.clone()).filter(|d| !d.is_empty());
        let draft = if file_name.to_ascii_lowercase().ends_with(".toml") {
            let text = String::from_utf8(file.clone()).map_err(|_| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_draft", "file: the TOML file is not UTF-8 text")
            })?;
            let effective = Some(v.effective.as_str())
                .filter(|e| !e.is_empty())
                .map(|e| parse_written_date("effective", e))
                .transpose()?;
            Draft::from_toml(&text)?.with(title, effective, decision)?
        } else {
            // A mapping table, CSV or XLSX, read once into its cells.
            let cells = orgwork_tabular::read(&file)
                .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_mapping", format!("file: {e}")))?;
            draft_from_cells(title, parse_written_date("effective", &v.effective)?, decision, &cells)?
        };
        require_draft(s.store.as_ref(), &caller, &draft, &[Permission::WriteStructure, Permission::WriteMembers])
            .await?;
        Ok::<_, ApiError>(s.store.create_restructuring(&caller.actor(), draft).await?)
    }
    .await;
    match result {
        Ok(r) => redirect(&format!("/restructurings/{}", r.id)),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_list(&s, &ctx, &caller, Some(message), v, e.status).await
        }
    }
}

pub struct ImpactRow {
    code: String,
    name: String,
    change: String,
    to: String,
    members_before: String,
    members_moved: String,
}

pub struct TreeRow {
    parent: String,
    parent_name: String,
    before: Vec<String>,
    after: Vec<String>,
}

pub struct FailureRow {
    rule: String,
    operation: String,
    message: String,
}

#[derive(Template)]
#[template(path = "restructuring.html")]
struct DraftPage {
    tr: Tr,
    l: Layout,
    r: Restructuring,
    state_text: String,
    effective: String,
    before_day: String,
    operations: Vec<String>,
    checked: bool,
    passed: bool,
    summary: String,
    impact: Vec<ImpactRow>,
    tree: Vec<TreeRow>,
    failures: Vec<FailureRow>,
    /// Open work-programme items whose responsible unit the draft takes apart: programme
    /// (link, unit and year), item, title, from, to (empty while none).
    plan_items: Vec<PlanItemRow>,
    /// Open inspections (a subject) and recommendations (the addressee) the draft takes
    /// apart: kind's label, link (inspections), id, title, body, from, to (empty while none).
    follow_ups: Vec<FollowUpRow>,
    can_write: bool,
    latest_applied: bool,
    message: Option<String>,
    error: Option<String>,
}

pub struct FollowUpRow {
    kind: String,
    link: Option<String>,
    id: String,
    title: String,
    body: String,
    from: String,
    to: String,
}

pub struct PlanItemRow {
    programme: String,
    programme_text: String,
    item: String,
    title: String,
    from: String,
    to: String,
}

#[derive(Deserialize)]
pub struct DraftQuery {
    check: Option<String>,
    done: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<DraftId>,
    Query(q): Query<DraftQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let message = q
        .done
        .as_deref()
        .map(|d| ctx.tr.t(&format!("restructure-done-{}", if d == "undo" { "undo" } else { "apply" })));
    render_draft(&s, &ctx, &caller, id, q.check.is_some(), None, message, None, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render_draft(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: DraftId,
    run_check: bool,
    report: Option<CheckReport>,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let r = match restructuring_for(store, caller, id, &[Permission::ReadStructure]).await {
        Ok(r) => r,
        Err(e) => return ctx.api_error_page(e),
    };
    let can_write =
        require_draft(store, caller, &r.draft(), &[Permission::WriteStructure, Permission::WriteMembers]).await.is_ok();
    let report = match report {
        Some(rep) => Some(rep),
        None if run_check && r.state == "draft" => match store.check_restructuring(r.id).await {
            Ok(rep) => Some(rep),
            Err(e) => return ctx.api_error_page(e.into()),
        },
        None => None,
    };
    let latest_applied = match store.latest_applied().await {
        Ok(latest) => latest.is_some_and(|x| x.id == r.id),
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let mut names = unit_names(store, tr, &r).await;
    // The tree's children lists hold units the draft does not name: named too, up to a bound.
    if let Some(rep) = &report {
        let listed = rep.impact.tree.iter().flat_map(|t| t.before.iter().chain(&t.after).chain([&t.parent]));
        let missing = unnamed(&names, listed);
        name_more(store, tr, r.effective.pred_opt().unwrap_or(r.effective), &mut names, missing).await;
    }
    if let Some(rep) = &report {
        let listed = rep.impact.plan_items.iter().flat_map(|m| [&m.programme_unit, &m.from].into_iter().chain(&m.to));
        let follow = rep.impact.follow_ups.iter().flat_map(|m| [&m.body, &m.from].into_iter().chain(&m.to));
        let missing = unnamed(&names, listed.chain(follow));
        name_more(store, tr, r.effective.pred_opt().unwrap_or(r.effective), &mut names, missing).await;
    }
    let names = names;
    let name_of = |c: &orgwork_domain::structure::UnitCode| names.get(c).cloned();
    let named = |c: &orgwork_domain::structure::UnitCode| match names.get(c) {
        Some(n) if !n.is_empty() => format!("{n} ({c})"),
        _ => c.to_string(),
    };
    let mut follow_ups = vec![];
    let (checked, passed, summary, impact, tree, failures, plan_items) = match &report {
        None => (false, false, String::new(), vec![], vec![], vec![], vec![]),
        Some(rep) => {
            let i = &rep.impact;
            let (units, concerned) = (tr.number(i.units.len() as i64), tr.number(i.members_concerned));
            let (moved, transfers) = (tr.number(i.members_moved), tr.number(i.transfers_redirected));
            let summary = tr.targs(
                "restructure-impact",
                &[("units", &units), ("concerned", &concerned), ("moved", &moved), ("transfers", &transfers)],
            );
            let impact = i
                .units
                .iter()
                .map(|u| ImpactRow {
                    code: u.code.to_string(),
                    name: names.get(&u.code).cloned().unwrap_or_else(|| u.name.clone()),
                    change: tr.t(&format!("restructure-change-{}", u.change)),
                    to: u.to.iter().map(named).collect::<Vec<_>>().join(", "),
                    members_before: tr.number(u.members_before),
                    members_moved: tr.number(u.members_moved),
                })
                .collect();
            let tree = i
                .tree
                .iter()
                .map(|t| TreeRow {
                    parent: t.parent.to_string(),
                    parent_name: names.get(&t.parent).cloned().unwrap_or_else(|| t.parent_name.clone()),
                    before: t.before.iter().map(named).collect(),
                    after: t.after.iter().map(named).collect(),
                })
                .collect();
            let failures = rep
                .failures
                .iter()
                .map(|f| FailureRow {
                    rule: tr.t(&format!("rule-{}", f.rule.as_str())),
                    operation: f.operation.map(|o| o.to_string()).unwrap_or_default(),
                    message: if tr.lang == "en" {
                        f.message.clone()
                    } else {
                        let unit = f.unit.as_ref().map(named).unwrap_or_default();
                        let member = f.member.map(|m| m.to_string()).unwrap_or_default();
                        let (programme, item) =
                            (f.programme.clone().unwrap_or_default(), f.item.clone().unwrap_or_default());
                        tr.targs(
                            &format!("failure-{}", f.rule.as_str()),
                            &[
                                ("unit", unit.as_str()),
                                ("member", member.as_str()),
                                ("programme", programme.as_str()),
                                ("item", item.as_str()),
                            ],
                        )
                    },
                })
                .collect();
            let plan_items = i
                .plan_items
                .iter()
                .map(|m| PlanItemRow {
                    programme: m.programme.clone(),
                    programme_text: tr.ta2(
                        "programme-title",
                        "unit",
                        &names.get(&m.programme_unit).cloned().unwrap_or_else(|| m.programme_unit.to_string()),
                        "year",
                        &m.year.to_string(),
                    ),
                    item: m.item.clone(),
                    title: m.title.clone(),
                    from: named(&m.from),
                    to: m.to.as_ref().map(named).unwrap_or_default(),
                })
                .collect();
            follow_ups = i
                .follow_ups
                .iter()
                .map(|m| FollowUpRow {
                    kind: tr.t(&format!("restructure-follow-{}", m.kind)),
                    link: (m.kind == "inspection").then(|| format!("/inspections/{}", m.id)),
                    id: m.id.clone(),
                    title: m.title.clone(),
                    body: named(&m.body),
                    from: named(&m.from),
                    to: m.to.as_ref().map(named).unwrap_or_default(),
                })
                .collect();
            (true, rep.passed, summary, impact, tree, failures, plan_items)
        }
    };
    let operations =
        r.operations.iter().map(|o| super::labels::operation_text(store.profile(), tr, o, &name_of)).collect();
    let page = DraftPage {
        tr,
        l: ctx.layout("restructure", r.effective),
        effective: tr.date(r.effective),
        before_day: r.effective.pred_opt().unwrap_or(r.effective).to_string(),
        operations,
        state_text: tr.t(&format!("restructure-state-{}", r.state)),
        r,
        checked,
        passed,
        summary,
        impact,
        tree,
        failures,
        plan_items,
        follow_ups,
        can_write,
        latest_applied,
        message,
        error,
    };
    ctx.page(status, page)
}

/// The names, in the reader's language, of the units a draft names: those it creates from the
/// draft, the others as they stood the day before it takes effect. A draft of thousands of
/// operations (a national reform) has its first units named and the rest shown by code.
async fn unit_names(
    store: &dyn orgwork_store::Store,
    tr: Tr,
    r: &Restructuring,
) -> std::collections::HashMap<orgwork_domain::structure::UnitCode, String> {
    use orgwork_domain::restructure::Operation;
    let mut out = std::collections::HashMap::new();
    let mut wanted = vec![];
    for op in &r.operations {
        match op {
            Operation::Create(o) => {
                out.insert(o.code.clone(), o.names.get(tr.lang).to_string());
                wanted.push(o.parent.clone());
            }
            Operation::Rename(o) => wanted.push(o.unit.clone()),
            Operation::Move(o) => wanted.extend([o.unit.clone(), o.parent.clone()]),
            Operation::Merge(o) => {
                wanted.extend(o.units.iter().cloned());
                wanted.push(o.into.clone());
            }
            Operation::Split(o) => wanted.push(o.unit.clone()),
            Operation::Dissolve(o) => wanted.extend(std::iter::once(o.unit.clone()).chain(o.into.clone())),
        }
    }
    let missing = unnamed(&out, wanted.iter());
    name_more(store, tr, r.effective.pred_opt().unwrap_or(r.effective), &mut out, missing).await;
    out
}

/// Adds the names of these units, as they stood on `day`, to those already known: at most
/// `MOST` looked up, the rest shown by code.
async fn name_more(
    store: &dyn orgwork_store::Store,
    tr: Tr,
    day: chrono::NaiveDate,
    known: &mut std::collections::HashMap<UnitCode, String>,
    codes: Vec<UnitCode>,
) {
    let mut names = super::labels::UnitNames::new(store, tr);
    for code in codes {
        let name = names.name(&code, day).await;
        if !name.is_empty() {
            known.insert(code, name);
        }
    }
}

/// The first `MOST` of these units not named yet, once each.
fn unnamed<'a>(
    known: &std::collections::HashMap<UnitCode, String>,
    codes: impl Iterator<Item = &'a UnitCode>,
) -> Vec<UnitCode> {
    const MOST: usize = 300;
    let mut seen = std::collections::HashSet::new();
    codes.filter(|c| !known.contains_key(*c) && seen.insert(*c)).take(MOST).cloned().collect()
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    /// "1" once the user has seen what applying does and confirmed it.
    #[serde(default)]
    confirmed: String,
}

super::csrf_forms!(ActForm);

/// Applies a draft, or undoes the latest restructuring.
pub async fn act(
    State(s): State<AppState>,
    Path((id, verb)): Path<(String, String)>,
    Submitted { ctx, caller, form: f }: Submitted<ActForm>,
) -> Response {
    let store = s.store.as_ref();
    let id: DraftId = match id.parse() {
        Ok(id) => id,
        Err(e) => return ctx.api_error_page(ApiError::from(e)),
    };
    let writes = [Permission::WriteStructure, Permission::WriteMembers];
    // Applying cannot be taken back but by an undo: first say what it will do.
    if verb == "apply" && f.confirmed != "1" {
        let tr = ctx.tr;
        let asked = async {
            let r = restructuring_for(store, &caller, id, &writes).await?;
            let report = store.check_restructuring(r.id).await?;
            Ok::<_, ApiError>((r, report))
        };
        return match asked.await {
            Ok((r, rep)) if rep.passed => {
                let i = &rep.impact;
                let lines = vec![
                    tr.ta("confirm-apply-effective", "date", &tr.date(r.effective)),
                    tr.targs(
                        "restructure-impact",
                        &[
                            ("units", &tr.number(i.units.len() as i64)),
                            ("concerned", &tr.number(i.members_concerned)),
                            ("moved", &tr.number(i.members_moved)),
                            ("transfers", &tr.number(i.transfers_redirected)),
                        ],
                    ),
                    tr.t("confirm-apply-undo"),
                ];
                ctx.confirm_page(
                    tr.ta("confirm-apply-title", "title", &r.title),
                    lines,
                    format!("/restructurings/{id}/apply"),
                    vec![],
                    format!("/restructurings/{id}"),
                    tr.t("restructure-apply"),
                )
            }
            // A draft that fails its check is shown with its failures, as the apply would.
            Ok((_, rep)) => {
                let msg = tr.t("restructure-refused");
                render_draft(&s, &ctx, &caller, id, false, Some(rep), None, Some(msg), StatusCode::UNPROCESSABLE_ENTITY)
                    .await
            }
            Err(e) => ctx.api_error_page(e),
        };
    }
    let result = async {
        let r = restructuring_for(store, &caller, id, &writes).await?;
        let n = r.id;
        match verb.as_str() {
            "apply" => Ok::<_, ApiError>(Some(store.apply_restructuring(&caller.actor(), n).await?)),
            "undo" => {
                let latest = store.latest_applied().await?;
                if latest.is_none_or(|l| l.id != r.id) {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "not_latest",
                        "only the most recent restructuring can be undone",
                    ));
                }
                store.undo_restructuring(&caller.actor()).await?;
                Ok(None)
            }
            _ => Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such action")),
        }
    }
    .await;
    match result {
        Ok(Some(report)) if !report.applied => {
            let msg = ctx.tr.t("restructure-refused");
            render_draft(&s, &ctx, &caller, id, false, Some(report), None, Some(msg), StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Ok(Some(_)) => redirect(&format!("/restructurings/{id}?done=apply")),
        Ok(None) => redirect(&format!("/restructurings/{id}?done=undo")),
        Err(e) if e.status == StatusCode::NOT_FOUND || e.status == StatusCode::FORBIDDEN => ctx.api_error_page(e),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_draft(&s, &ctx, &caller, id, false, None, None, Some(message), e.status).await
        }
    }
}
