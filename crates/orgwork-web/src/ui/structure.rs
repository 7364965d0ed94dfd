//! The structure's pages: the tree browser (expand, search, as-of date), a unit's page (path,
//! children, history, audit entries) and the forms of its dated changes.

use super::i18n::Tr;
use super::labels::{category_name, status_name};
use super::{Ctx, FieldsForm, FormState, Layout, Submitted, field as get, opt_field as opt, redirect};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::structure::{Change, Names, Unit, UnitCode, parse_decision};
use orgwork_store::{Dated, NewUnit, Page, Store};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

use crate::auth::today;

/// A unit as a line of a list: its code, its name in the reader's language, its kind's name.
pub struct Line {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// For a closed node: the `open` list that opens it too.
    pub open_with: String,
}

fn kind_name(store: &dyn Store, tr: Tr, kind: &str) -> String {
    super::labels::kind_name(store.profile(), tr, kind)
}

fn line(store: &dyn Store, tr: Tr, u: &Unit) -> Line {
    Line {
        code: u.code.to_string(),
        name: u.name.get(tr.lang).to_string(),
        kind: kind_name(store, tr, &u.kind),
        open_with: String::new(),
    }
}

/// The tree as a flat sequence: nested lists without recursion in the template.
pub enum TreeEvent {
    Leaf(Line),
    Open(Line),
    Closed(Line),
    End,
}

#[derive(Deserialize)]
pub struct TreeQuery {
    as_of: Option<String>,
    q: Option<String>,
    open: Option<String>,
}

#[derive(Template)]
#[template(path = "tree.html")]
struct TreePage {
    tr: Tr,
    l: Layout,
    as_of: String,
    q: String,
    results: Option<Vec<Line>>,
    results_title: String,
    nodes: Vec<TreeEvent>,
}

#[derive(Template)]
#[template(path = "tree_nodes.html")]
struct TreeFragment {
    tr: Tr,
    as_of: String,
    nodes: Vec<TreeEvent>,
}

fn as_of(ctx: &Ctx, value: Option<&str>) -> Result<NaiveDate, Response> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(today()),
        Some(v) => parse_written_date("as_of", v).map_err(|e| ctx.api_error_page(e.into())),
    }
}

const MAX_CHILDREN: u32 = 1000;

/// Appends the events of `units` (siblings), opening those in `open`.
async fn tree_events(
    store: &dyn Store,
    tr: Tr,
    units: Vec<Unit>,
    on: NaiveDate,
    open: &BTreeSet<String>,
    out: &mut Vec<TreeEvent>,
    depth: usize,
) -> Result<(), ApiError> {
    // Iteratively, with an explicit stack: (units left at this level).
    let mut stack: Vec<std::vec::IntoIter<Unit>> = vec![units.into_iter()];
    while let Some(level) = stack.last_mut() {
        let Some(u) = level.next() else {
            stack.pop();
            if !stack.is_empty() {
                out.push(TreeEvent::End);
            }
            continue;
        };
        let kids = store
            .children(&u.code, on, Page::first(if open.contains(u.code.as_str()) { MAX_CHILDREN } else { 1 }))
            .await?;
        let mut l = line(store, tr, &u);
        if kids.items.is_empty() {
            out.push(TreeEvent::Leaf(l));
        } else if open.contains(u.code.as_str()) && stack.len() + depth < 64 {
            out.push(TreeEvent::Open(l));
            stack.push(kids.items.into_iter());
        } else {
            let mut with: Vec<&str> = open.iter().map(String::as_str).collect();
            with.push(u.code.as_str());
            l.open_with = with.join(",");
            out.push(TreeEvent::Closed(l));
        }
    }
    Ok(())
}

pub async fn tree(State(s): State<AppState>, ctx: Ctx, Query(q): Query<TreeQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let on = match as_of(&ctx, q.as_of.as_deref()) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let result = async {
        let store = s.store.as_ref();
        let tops = caller.tops(store, Permission::ReadStructure, on).await?;
        let query = q.q.as_deref().map(str::trim).unwrap_or("").to_string();
        if !query.is_empty() {
            let found = store.search_units(&query, on, tops.as_deref(), Page::first(200)).await?;
            let title = ctx.tr.tnq("search-results", found.items.len(), &query);
            let results = found.items.iter().map(|u| line(store, ctx.tr, u)).collect();
            return Ok::<_, ApiError>((query, Some(results), title, vec![]));
        }
        let top_units = match tops {
            None => store.roots(on, Page::first(MAX_CHILDREN)).await?.items,
            Some(_) => crate::api::structure::scope_tops(&s, &caller, on).await,
        };
        let mut open: BTreeSet<String> = q
            .open
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| c.trim().to_ascii_uppercase())
            .collect();
        // The tops of the scope are open from the start.
        open.extend(top_units.iter().map(|u| u.code.to_string()));
        let mut nodes = vec![];
        tree_events(store, ctx.tr, top_units, on, &open, &mut nodes, 0).await?;
        Ok((query, None, String::new(), nodes))
    }
    .await;
    match result {
        Ok((q, results, results_title, nodes)) => ctx.page(
            StatusCode::OK,
            TreePage {
                tr: ctx.tr,
                l: ctx.layout("structure", on),
                as_of: on.to_string(),
                q,
                results,
                results_title,
                nodes,
            },
        ),
        Err(e) => ctx.api_error_page(e),
    }
}

/// The children of a unit as tree nodes, for htmx to put into an opened node.
pub async fn tree_fragment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<TreeQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let on = match as_of(&ctx, q.as_of.as_deref()) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let result = async {
        let code = UnitCode::parse(&code)?;
        caller.require(s.store.as_ref(), Permission::ReadStructure, &code, on).await?;
        let kids = s.store.children(&code, on, Page::first(MAX_CHILDREN)).await?;
        let mut nodes = vec![];
        tree_events(s.store.as_ref(), ctx.tr, kids.items, on, &BTreeSet::new(), &mut nodes, 0).await?;
        Ok::<_, ApiError>(nodes)
    }
    .await;
    match result {
        Ok(nodes) => ctx.page(StatusCode::OK, TreeFragment { tr: ctx.tr, as_of: on.to_string(), nodes }),
        Err(e) => ctx.api_error_page(e),
    }
}

pub struct UnitView {
    code: String,
    name: String,
    name_vi: String,
    name_en: Option<String>,
    name_ar: Option<String>,
    kind: String,
    parent: Option<Line>,
    life: String,
}

pub struct HistoryRow {
    date: String,
    text: String,
    decision: String,
}

pub type AuditRow = super::audit::EntryView;

/// The member counts of a unit's subtree, for its page.
pub struct StatsView {
    transfers_link: String,
    admissions: Vec<String>,
    title: String,
    total: String,
    rows: Vec<(String, String)>,
    /// "N members past their probation", when there are.
    past_probation: Option<String>,
    can_list: bool,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    stats: Option<StatsView>,
    programmes: Option<super::plan::UnitSection>,
    tr: Tr,
    l: Layout,
    as_of: String,
    unit: UnitView,
    path: Vec<Line>,
    children: Vec<Line>,
    children_title: String,
    more_children: bool,
    history: Vec<HistoryRow>,
    /// Which units this one replaced or was replaced by: (date, from, relation, to, restructuring).
    lineage: Vec<(String, String, String, String, String)>,
    not_live: Option<String>,
    done: bool,
    general_error: Option<String>,
    can_write: bool,
    kinds: Vec<(String, String)>,
    audit: Option<Vec<AuditRow>>,
    open_form: &'static str,
    state: FormState,
    defaults: HashMap<String, String>,
}

impl UnitPage {
    fn val(&self, form: &str, field: &str) -> String {
        self.state.val(&self.defaults, form, field)
    }

    fn err(&self, form: &str, field: &str) -> Option<String> {
        self.state.err(form, field)
    }
}

#[derive(Deserialize)]
pub struct UnitQuery {
    as_of: Option<String>,
    done: Option<String>,
}

pub async fn unit_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let on = match as_of(&ctx, q.as_of.as_deref()) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let code = match UnitCode::parse(&code) {
        Ok(c) => c,
        Err(e) => return ctx.api_error_page(ApiError::new(StatusCode::NOT_FOUND, e.code, e.message)),
    };
    render_unit(&s, &ctx, &caller, &code, on, q.done.is_some(), FormState::default(), None, StatusCode::OK).await
}

/// What the unit page shows, read for one unit on one day within the reader's rights. A module
/// that adds a section to the page adds its field here (read beside the others, `None` when the
/// reader may not see it), its view to `UnitPage` and its block to `unit.html`.
struct UnitFacts {
    unit: orgwork_domain::structure::Unit,
    live: bool,
    ancestors: Vec<orgwork_domain::structure::Unit>,
    kids: orgwork_store::Paged<orgwork_domain::structure::Unit>,
    history: Vec<orgwork_domain::structure::HistoryEntry>,
    lineage: Vec<orgwork_store::LineageEntry>,
    can_write: bool,
    audit: Option<Vec<AuditRow>>,
    stats: Option<StatsView>,
    programmes: Option<super::plan::UnitSection>,
}

#[allow(clippy::too_many_arguments)]
async fn render_unit(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    code: &UnitCode,
    on: NaiveDate,
    done: bool,
    state: FormState,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    let store = s.store.as_ref();
    let tr = ctx.tr;
    let built = async {
        let path_ids = store.path_ids(code, on).await?;
        caller.require_path(Permission::ReadStructure, code, &path_ids)?;
        let unit = store.unit(code, on).await?;
        let live = unit.valid_to.is_none_or(|end| on < end);
        let ancestors = store
            .ancestors(code, if live { on } else { unit.valid_to.map(|e| e.pred_opt().unwrap_or(e)).unwrap_or(on) })
            .await?;
        let kids = if live {
            store.children(code, on, Page::first(200)).await?
        } else {
            orgwork_store::Paged { items: vec![], next: None }
        };
        let history = store.history(code).await?;
        let lineage = store.lineage(code).await?;
        let can_write = live && caller.require_path(Permission::WriteStructure, code, &path_ids).is_ok();
        let audit = if caller.require_path(Permission::ReadAudit, code, &path_ids).is_ok() {
            let entries = store.latest_audit(Some(code), Page::first(50)).await?;
            Some(entries.items.into_iter().map(|e| super::audit::view(tr, store.profile().offset(), e)).collect())
        } else {
            None
        };
        let stats = if live {
            let st = store.stats(code, on).await?;
            let mut rows: Vec<(String, String)> =
                st.by_status.iter().map(|(k, v)| (status_name(tr, k), tr.number(*v))).collect();
            for c in &store.profile().members.categories {
                rows.push((
                    category_name(store.profile(), tr, &c.id),
                    tr.number(st.by_category.get(&c.id).copied().unwrap_or(0)),
                ));
            }
            let mut admissions = vec![];
            let year = chrono::Datelike::year(&on);
            for y in [year, year - 1] {
                let a = store.admissions(code, y).await?;
                let n = |v: i64| tr.number(v);
                admissions.push(tr.targs(
                    "admissions-line",
                    &[
                        ("year", &y.to_string()),
                        ("admitted", &n(a.admitted)),
                        ("young", &n(a.young)),
                        ("students", &n(a.students)),
                    ],
                ));
            }
            let past = store.past_probation(code, on).await?;
            Some(StatsView {
                past_probation: super::labels::past_probation(tr, past),
                admissions,
                transfers_link: tr.ta("transfers-title", "unit", unit.name.get(tr.lang)),
                title: tr.ta("stats-title", "date", &tr.date(on)),
                total: tr.number(st.total),
                rows,
                can_list: caller.require_path(Permission::ReadMembers, code, &path_ids).is_ok(),
            })
        } else {
            None
        };
        let programmes = if live {
            let known = kids.items.iter().chain([&unit]).map(|u| (u.code.clone(), u.name.get(tr.lang).to_string()));
            super::plan::unit_section(store, tr, code, on, known).await?
        } else {
            None
        };
        Ok::<_, ApiError>(UnitFacts {
            unit,
            live,
            ancestors,
            kids,
            history,
            lineage,
            can_write,
            audit,
            stats,
            programmes,
        })
    };
    let UnitFacts { unit, live, ancestors, kids, history, lineage, can_write, audit, stats, programmes } =
        match built.await {
            Ok(b) => b,
            Err(e) => return ctx.api_error_page(e),
        };
    let parent = ancestors.last().map(|p| line(store, tr, p));
    let life = match unit.valid_to {
        Some(end) => tr.ta2("unit-between", "from", &tr.date(unit.valid_from), "to", &tr.date(end)),
        None => tr.ta("unit-from", "date", &tr.date(unit.valid_from)),
    };
    let history_rows = history
        .iter()
        .map(|h| {
            let text = match h.change {
                Change::Created => match &h.parent {
                    Some(p) => tr.ta2("history-created", "name", h.name.get(tr.lang), "parent", p.as_str()),
                    None => tr.ta("history-created-root", "name", h.name.get(tr.lang)),
                },
                Change::Renamed => tr.ta2(
                    "history-renamed",
                    "old",
                    h.previous_name.as_ref().map(|n| n.get(tr.lang)).unwrap_or("?"),
                    "new",
                    h.name.get(tr.lang),
                ),
                Change::Moved => tr.ta2(
                    "history-moved",
                    "old",
                    h.previous_parent.as_ref().map(|p| p.as_str()).unwrap_or("—"),
                    "new",
                    h.parent.as_ref().map(|p| p.as_str()).unwrap_or("—"),
                ),
                Change::Dissolved => tr.t("history-dissolved"),
            };
            HistoryRow { date: tr.date(h.effective), text, decision: h.decision.clone().unwrap_or_default() }
        })
        .collect();
    let kinds: Vec<(String, String)> = store
        .profile()
        .unit_kinds
        .iter()
        .filter(|k| k.parents.contains(&unit.kind))
        .map(|k| (k.id.clone(), Names::from(k.name.clone()).get(tr.lang).to_string()))
        .collect();
    let mut defaults = HashMap::new();
    let d = today().max(on).to_string();
    for form in ["rename", "move", "dissolve"] {
        defaults.insert(format!("{form}.effective"), d.clone());
    }
    defaults.insert("create.valid_from".into(), d);
    defaults.insert("rename.name_vi".into(), unit.name.vi.clone());
    defaults.insert("rename.name_en".into(), unit.name.en.clone().unwrap_or_default());
    defaults.insert("rename.name_ar".into(), unit.name.ar.clone().unwrap_or_default());
    let page = UnitPage {
        stats,
        programmes,
        tr,
        l: ctx.layout("structure", on),
        as_of: on.to_string(),
        unit: UnitView {
            code: unit.code.to_string(),
            name: unit.name.get(tr.lang).to_string(),
            name_vi: unit.name.vi.clone(),
            name_en: unit.name.en.clone(),
            name_ar: unit.name.ar.clone(),
            kind: kind_name(store, tr, &unit.kind),
            parent,
            life,
        },
        path: ancestors.iter().map(|a| line(store, tr, a)).collect(),
        children_title: tr.tn("unit-children", kids.items.len()),
        more_children: kids.next.is_some(),
        children: kids.items.iter().map(|c| line(store, tr, c)).collect(),
        history: history_rows,
        lineage: lineage
            .iter()
            .map(|l| {
                let name = |code: &orgwork_domain::structure::UnitCode, vi: &str| format!("{code} {vi}");
                (
                    tr.date(l.day),
                    name(&l.from, &l.from_name),
                    tr.t(&format!("lineage-{}", l.relation)),
                    name(&l.to, &l.to_name),
                    l.restructuring.to_string(),
                )
            })
            .collect(),
        not_live: (!live).then(|| tr.ta("unit-not-live", "date", &tr.date(on))),
        done,
        general_error,
        can_write,
        kinds,
        audit,
        open_form: state.form,
        state,
        defaults,
    };
    ctx.page(status, page)
}

/// The form field an error belongs next to.
fn field_of(form: &str, code: &str) -> &'static str {
    match (form, code) {
        (_, "invalid_decision") => "decision",
        ("create", "invalid_code" | "duplicate_code") => "code",
        ("create", "unknown_kind" | "kind_not_allowed") => "kind",
        ("create", "invalid_date" | "parent_not_live" | "date_outside_unit") => "valid_from",
        (_, "invalid_name") => "name_vi",
        ("rename", "no_change") => "name_vi",
        (
            "move",
            "parent_not_found" | "parent_not_live" | "kind_not_allowed" | "cycle" | "no_change" | "invalid_code",
        ) => "parent",
        (_, "invalid_date" | "date_outside_unit" | "date_not_after_last_change" | "has_live_children") => "effective",
        _ => "",
    }
}

/// Runs a form's change; on refusal shows the unit page again with the error by its field.
async fn submit<F, Fut>(s: AppState, sent: Submitted<FieldsForm>, code: String, form: &'static str, run: F) -> Response
where
    F: FnOnce(AppState, Caller, UnitCode, HashMap<String, String>) -> Fut,
    Fut: std::future::Future<Output = Result<(UnitCode, NaiveDate), ApiError>>,
{
    let Submitted { ctx, caller, form: f } = sent;
    let code = match UnitCode::parse(&code) {
        Ok(c) => c,
        Err(e) => return ctx.api_error_page(ApiError::new(StatusCode::NOT_FOUND, e.code, e.message)),
    };
    let values = f.fields.clone();
    match run(s.clone(), caller.clone(), code.clone(), f.fields).await {
        Ok((shown, on)) => redirect(&format!("/units/{shown}?as_of={on}&done=1")),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = field_of(form, &e.code);
            let mut state = FormState { form, values, errors: HashMap::new() };
            let general = if field.is_empty() {
                Some(message)
            } else {
                state.errors.insert(field.to_string(), message);
                None
            };
            let on = state
                .values
                .get("effective")
                .or(state.values.get("valid_from"))
                .and_then(|v| parse_written_date("d", v).ok());
            let on = on.map(|d| d.min(today())).unwrap_or_else(today);
            // A unit that no longer exists on the chosen day is shown as of today.
            render_unit(&s, &ctx, &caller, &code, on, false, state, general, e.status).await
        }
    }
}

fn dated(code: &UnitCode, fields: &HashMap<String, String>) -> Result<Dated, ApiError> {
    Ok(Dated {
        code: code.clone(),
        effective: parse_written_date("effective", &get(fields, "effective"))?,
        decision: parse_decision(opt(fields, "decision").as_deref())?,
    })
}

fn names(fields: &HashMap<String, String>) -> Result<Names, ApiError> {
    Ok(Names::parse(&get(fields, "name_vi"), opt(fields, "name_en").as_deref(), opt(fields, "name_ar").as_deref())?)
}

pub async fn rename(State(s): State<AppState>, Path(code): Path<String>, sent: Submitted<FieldsForm>) -> Response {
    submit(s, sent, code, "rename", |s, caller, code, fields| async move {
        let change = dated(&code, &fields)?;
        let names = names(&fields)?;
        caller.require_change(s.store.as_ref(), &code, change.effective).await?;
        let on = change.effective;
        s.store.rename_unit(&caller.actor(), change, names).await?;
        Ok((code, on))
    })
    .await
}

pub async fn move_unit(State(s): State<AppState>, Path(code): Path<String>, sent: Submitted<FieldsForm>) -> Response {
    submit(s, sent, code, "move", |s, caller, code, fields| async move {
        let change = dated(&code, &fields)?;
        let parent = UnitCode::parse(&get(&fields, "parent"))?;
        caller.require_change(s.store.as_ref(), &code, change.effective).await?;
        caller.require_change(s.store.as_ref(), &parent, change.effective).await.map_err(|e| {
            if e.code == "unit_not_found" {
                ApiError::new(StatusCode::NOT_FOUND, "parent_not_found", e.message)
            } else {
                e
            }
        })?;
        let on = change.effective;
        s.store.move_unit(&caller.actor(), change, parent).await?;
        Ok((code, on))
    })
    .await
}

pub async fn dissolve(State(s): State<AppState>, Path(code): Path<String>, sent: Submitted<FieldsForm>) -> Response {
    submit(s, sent, code, "dissolve", |s, caller, code, fields| async move {
        let change = dated(&code, &fields)?;
        caller.require_change(s.store.as_ref(), &code, change.effective).await?;
        let on = change.effective;
        s.store.dissolve_unit(&caller.actor(), change).await?;
        Ok((code, on))
    })
    .await
}

pub async fn create(State(s): State<AppState>, Path(code): Path<String>, sent: Submitted<FieldsForm>) -> Response {
    submit(s, sent, code, "create", |s, caller, parent, fields| async move {
        let new = NewUnit {
            code: UnitCode::parse(&get(&fields, "code"))?,
            names: names(&fields)?,
            kind: get(&fields, "kind"),
            parent: Some(parent.clone()),
            valid_from: parse_written_date("valid_from", &get(&fields, "valid_from"))?,
            decision: parse_decision(opt(&fields, "decision").as_deref())?,
        };
        caller.require_change(s.store.as_ref(), &parent, new.valid_from).await?;
        let on = new.valid_from;
        let unit = s.store.create_unit(&caller.actor(), new).await?;
        Ok((unit.code, on))
    })
    .await
}
