//! The member register's pages: a unit's member list (filters, paging, the admission form) and
//! a member's page (record, history, status change). Records are personal data: a member
//! outside the reader's scope is "not found".

use super::i18n::Tr;
use super::structure::{category_name, status_name};
use super::{Ctx, FieldsForm, FormState, Layout, field as get, opt_field as opt, redirect, urlencode};
use crate::AppState;
use crate::api::members::member_in_scope;
use crate::auth::Caller;
use crate::error::ApiError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::members::{Record, RecordInput, Status};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{MemberFilter, NewMember, Page};
use serde::Deserialize;
use std::collections::HashMap;

use crate::auth::today;

pub struct Row {
    id: String,
    name: String,
    born: String,
    sex: String,
    status: String,
    unit: String,
    card: String,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    as_of: String,
    q: String,
    status: String,
    category: String,
    statuses: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    rows: Vec<Row>,
    next: Option<String>,
    next_base: String,
    can_write: bool,
    done: bool,
    open_form: bool,
    general_error: Option<String>,
    sexes: Vec<(String, String)>,
    occupations: Vec<String>,
    state: FormState,
    defaults: HashMap<String, String>,
}

impl MembersPage {
    fn val(&self, form: &str, field: &str) -> String {
        self.state.val(&self.defaults, form, field)
    }
    fn err(&self, form: &str, field: &str) -> Option<String> {
        self.state.err(form, field)
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    as_of: Option<String>,
    q: Option<String>,
    status: Option<String>,
    category: Option<String>,
    after: Option<String>,
    done: Option<String>,
}

pub async fn list(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_list(&s, &ctx, &caller, &code, q, FormState::default(), None, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render_list(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    code: &str,
    q: ListQuery,
    state: FormState,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let built = async {
        let code = UnitCode::parse(code)?;
        let on = match q.as_of.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => parse_date("as_of", v)?,
            None => today(),
        };
        caller.require(store, Permission::ReadMembers, &code, on).await?;
        let unit = store.unit(&code, on).await?;
        let filter = MemberFilter {
            query: q.q.clone().filter(|v| !v.trim().is_empty()),
            status: q.status.as_deref().filter(|v| !v.is_empty()).map(Status::parse).transpose()?,
            category: q.category.clone().filter(|v| !v.is_empty()),
        };
        let page = store.members(Some(&code), on, &filter, Page { limit: 50, after: q.after.clone() }).await?;
        let total = store.stats(&code, on).await?.total;
        let can_write = caller.require(store, Permission::WriteMembers, &code, on).await.is_ok();
        Ok::<_, ApiError>((code, on, unit, page, total, can_write))
    };
    let (code, on, unit, page, total, can_write) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let unit_name = unit.name.get(tr.lang).to_string();
    let rows = page
        .items
        .iter()
        .map(|m| Row {
            id: m.id.clone(),
            name: m.full_name.clone(),
            born: tr.date(m.birth_date),
            sex: tr.t(&format!("sex-{}", m.sex)),
            status: status_name(tr, m.status.as_str()),
            unit: m.unit.to_string(),
            card: m.card_number.clone().unwrap_or_default(),
        })
        .collect();
    let profile = store.profile();
    let next_base = format!(
        "/units/{code}/members?as_of={on}&q={}&status={}&category={}",
        urlencode(q.q.as_deref().unwrap_or("")),
        urlencode(q.status.as_deref().unwrap_or("")),
        urlencode(q.category.as_deref().unwrap_or(""))
    );
    let mut defaults = HashMap::new();
    defaults.insert("member.admitted_on".to_string(), today().to_string());
    defaults.insert("member.ethnicity".to_string(), "Kinh".to_string());
    let page = MembersPage {
        tr,
        l: ctx.layout("structure", on),
        title: format!("{} · {}", tr.ta("members-title", "unit", &unit_name), tr.tn("members-count", total as usize)),
        unit_code: code.to_string(),
        unit_name,
        as_of: on.to_string(),
        q: q.q.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        category: q.category.unwrap_or_default(),
        statuses: [Status::Probationary, Status::Official]
            .iter()
            .map(|s| (s.as_str().to_string(), status_name(tr, s.as_str())))
            .collect(),
        categories: profile
            .members
            .categories
            .iter()
            .map(|c| (c.id.clone(), category_name(store, tr, &c.id)))
            .collect(),
        rows,
        next: page.next,
        next_base,
        can_write,
        done: q.done.is_some(),
        open_form: !state.form.is_empty(),
        general_error,
        sexes: profile.members.sex.iter().map(|s| (s.clone(), tr.t(&format!("sex-{s}")))).collect(),
        occupations: profile.members.occupation.clone(),
        state,
        defaults,
    };
    ctx.page(status, page)
}

/// Admits a member from the list page's form; a refusal shows the form again, each faulty
/// field with its error.
pub async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<FieldsForm>,
) -> Response {
    let caller = match ctx.form_caller(&f.csrf) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let v = &f.fields;
    let input = RecordInput {
        full_name: get(v, "full_name"),
        sex: get(v, "sex"),
        birth_date: get(v, "birth_date"),
        admitted_on: get(v, "admitted_on"),
        official_on: opt(v, "official_on"),
        card_number: opt(v, "card_number"),
        national_id: opt(v, "national_id"),
        ethnicity: opt(v, "ethnicity"),
        hometown: opt(v, "hometown"),
        occupation: opt(v, "occupation"),
        ..Default::default()
    };
    let mut state = FormState { form: "member", values: v.clone(), errors: HashMap::new() };
    let back = ListQuery { as_of: Some(today().to_string()), ..Default::default() };
    let record = match Record::parse(&store.profile().members, &input) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                state.errors.insert(e.field.clone(), format!("{} — {}", e.value, e.reason));
            }
            let msg = ctx.tr.error("invalid_member");
            return render_list(&s, &ctx, &caller, &code, back, state, msg, StatusCode::BAD_REQUEST).await;
        }
    };
    let result = async {
        let unit = UnitCode::parse(&code)?;
        let joined_on = match opt(v, "joined_on") {
            Some(d) => parse_date("joined_on", &d)?,
            None => record.admitted_on,
        };
        caller.require_from(store, Permission::WriteMembers, &unit, joined_on).await?;
        let document = orgwork_domain::structure::parse_decision(opt(v, "document").as_deref())?;
        let m = store
            .create_member(&caller.actor(), NewMember { record, unit, joined_on, document, from_org: None })
            .await?;
        Ok::<_, ApiError>((m.id, joined_on))
    }
    .await;
    match result {
        Ok((id, on)) => redirect(&format!("/members/{id}?as_of={}&done=1", on.max(today()))),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = match e.code.as_str() {
                "duplicate_member" => {
                    Some(if e.message.starts_with("national_id") { "national_id" } else { "card_number" })
                }
                "invalid_date" | "date_before_admission" | "date_outside_unit" => Some("joined_on"),
                "invalid_decision" => Some("document"),
                _ => None,
            };
            let general = match field {
                Some(f) => {
                    state.errors.insert(f.to_string(), message);
                    None
                }
                None => Some(message),
            };
            render_list(&s, &ctx, &caller, &code, back, state, general, e.status).await
        }
    }
}

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    tr: Tr,
    l: Layout,
    as_of: String,
    m: MemberView,
    pending: Option<String>,
    can_write: bool,
    done: bool,
    open_form: &'static str,
    general_error: Option<String>,
    next_statuses: Vec<(String, String)>,
    state: FormState,
    defaults: HashMap<String, String>,
}

impl MemberPage {
    fn val(&self, form: &str, field: &str) -> String {
        self.state.val(&self.defaults, form, field)
    }
    fn err(&self, form: &str, field: &str) -> Option<String> {
        self.state.err(form, field)
    }
}

pub struct MemberView {
    id: String,
    name: String,
    unit: Option<String>,
    facts: Vec<(String, String)>,
    memberships: Vec<(String, String, String)>,
    statuses: Vec<(String, String, String)>,
    badges: Vec<String>,
}

#[derive(Deserialize)]
pub struct MemberQuery {
    as_of: Option<String>,
    done: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MemberQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let on = match q.as_of.as_deref().filter(|v| !v.is_empty()).map(|v| parse_date("as_of", v)) {
        None => today(),
        Some(Ok(d)) => d,
        Some(Err(e)) => return ctx.api_error_page(e.into()),
    };
    render_member(&s, &ctx, &caller, &id, on, q.done.is_some(), FormState::default(), None, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render_member(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: &str,
    on: NaiveDate,
    done: bool,
    state: FormState,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let id: i64 = match id.parse() {
        Ok(i) => i,
        Err(_) => {
            return ctx.api_error_page(ApiError::new(StatusCode::NOT_FOUND, "member_not_found", "no such member"));
        }
    };
    let m = match member_in_scope(store, caller, id, on, Permission::ReadMembers).await {
        Ok(m) => m,
        Err(e) => return ctx.api_error_page(e),
    };
    let can_write = m.unit.is_some() && member_in_scope(store, caller, id, on, Permission::WriteMembers).await.is_ok();
    let r = &m.record;
    let mut facts = vec![
        (tr.t("member-born"), tr.date(r.birth_date)),
        (tr.t("member-sex"), tr.t(&format!("sex-{}", r.sex))),
        (tr.t("member-admitted"), tr.date(r.admitted_on)),
    ];
    let optional = [
        ("member-official", r.official_on.map(|d| tr.date(d))),
        ("member-card", r.card_number.clone()),
        ("member-national-id", r.national_id.clone()),
        ("member-ethnicity", r.ethnicity.clone()),
        ("member-religion", r.religion.clone()),
        ("member-hometown", r.hometown.clone()),
        ("member-occupation", r.occupation.clone()),
        ("member-education", r.education.clone()),
        ("member-theory", r.theory_level.clone()),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            facts.push((tr.t(key), v));
        }
    }
    facts.push((tr.t("member-status"), m.status.map(|s| status_name(tr, s.as_str())).unwrap_or_else(|| "—".into())));
    if !m.categories.is_empty() {
        facts.push((
            tr.t("member-categories"),
            m.categories.iter().map(|c| category_name(store, tr, c)).collect::<Vec<_>>().join(", "),
        ));
    }
    let span = |from: NaiveDate, to: Option<NaiveDate>| match to {
        Some(t) => tr.ta2("member-from-to", "from", &tr.date(from), "to", &tr.date(t)),
        None => tr.ta("member-since", "from", &tr.date(from)),
    };
    let view = MemberView {
        id: m.id.clone(),
        name: r.full_name.clone(),
        unit: m.unit.as_ref().map(|u| u.to_string()),
        facts,
        memberships: m
            .memberships
            .iter()
            .map(|x| (span(x.valid_from, x.valid_to), x.unit.to_string(), x.document.clone().unwrap_or_default()))
            .collect(),
        statuses: m
            .statuses
            .iter()
            .map(|x| {
                (
                    span(x.valid_from, x.valid_to),
                    status_name(tr, x.status.as_str()),
                    x.document.clone().unwrap_or_default(),
                )
            })
            .collect(),
        badges: m.badges.iter().map(|(y, d)| format!("{y} — {}", tr.date(*d))).collect(),
    };
    let next_statuses = [Status::Official, Status::Deceased, Status::Expelled, Status::Removed, Status::Resigned]
        .iter()
        .filter(|s| Some(**s) != m.status)
        .map(|s| (s.as_str().to_string(), status_name(tr, s.as_str())))
        .collect();
    let mut defaults = HashMap::new();
    defaults.insert("status.effective".to_string(), today().max(on).to_string());
    defaults.insert("transfer.issued_on".to_string(), today().max(on).to_string());
    let fields = [
        ("full_name", Some(r.full_name.clone())),
        ("birth_date", Some(r.birth_date.to_string())),
        ("card_number", r.card_number.clone()),
        ("national_id", r.national_id.clone()),
        ("ethnicity", r.ethnicity.clone()),
        ("religion", r.religion.clone()),
        ("hometown", r.hometown.clone()),
        ("occupation", r.occupation.clone()),
        ("education", r.education.clone()),
    ];
    for (field, value) in fields {
        defaults.insert(format!("edit.{field}"), value.unwrap_or_default());
    }
    let filter = orgwork_store::TransferFilter { direction: Some("out".into()), pending: true, overdue_on: None };
    let pending = match &m.unit {
        Some(u) => store
            .transfers(u, &filter, Page::first(200))
            .await
            .ok()
            .and_then(|p| p.items.into_iter().find(|t| t.member_id == m.id))
            .map(|t| tr.ta("transfer-pending", "date", &tr.date(t.issued_on))),
        None => None,
    };
    let page = MemberPage {
        tr,
        l: ctx.layout("structure", on),
        as_of: on.to_string(),
        m: view,
        pending,
        can_write,
        done,
        open_form: state.form,
        general_error,
        next_statuses,
        state,
        defaults,
    };
    ctx.page(status, page)
}

pub async fn status(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<FieldsForm>,
) -> Response {
    let caller = match ctx.form_caller(&f.csrf) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let v = &f.fields;
    let result = async {
        let member: i64 =
            id.parse().map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "member_not_found", "no such member"))?;
        let status = Status::parse(&get(v, "status"))?;
        let on = parse_date("effective", &get(v, "effective"))?;
        let document = orgwork_domain::structure::parse_decision(opt(v, "document").as_deref())?;
        member_in_scope(store, &caller, member, on, Permission::WriteMembers).await?;
        store.change_status(&caller.actor(), member, status, on, document).await?;
        Ok::<_, ApiError>(on)
    }
    .await;
    match result {
        Ok(on) => redirect(&format!("/members/{id}?as_of={on}&done=1")),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = match e.code.as_str() {
                "invalid_status" | "invalid_status_change" | "no_change" | "not_a_member" => "status",
                "invalid_decision" => "document",
                _ => "effective",
            };
            let mut state = FormState { form: "status", values: v.clone(), errors: HashMap::new() };
            state.errors.insert(field.to_string(), message);
            render_member(&s, &ctx, &caller, &id, today(), false, state, None, e.status).await
        }
    }
}

/// Corrects the record from the member's page: each faulty field with its error.
pub async fn edit(State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<FieldsForm>) -> Response {
    let caller = match ctx.form_caller(&f.csrf) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let v = &f.fields;
    let member: i64 = match id.parse() {
        Ok(m) => m,
        Err(_) => {
            return ctx.api_error_page(ApiError::new(StatusCode::NOT_FOUND, "member_not_found", "no such member"));
        }
    };
    let current = match member_in_scope(store, &caller, member, today(), Permission::WriteMembers).await {
        Ok(m) => m.record,
        Err(e) => return ctx.api_error_page(e),
    };
    let input = RecordInput {
        full_name: get(v, "full_name"),
        other_names: current.other_names.clone(),
        sex: current.sex.clone(),
        birth_date: get(v, "birth_date"),
        ethnicity: opt(v, "ethnicity"),
        religion: opt(v, "religion"),
        hometown: opt(v, "hometown"),
        national_id: opt(v, "national_id"),
        education: opt(v, "education"),
        theory_level: current.theory_level.clone(),
        occupation: opt(v, "occupation"),
        workplace: current.workplace.clone(),
        phone: current.phone.clone(),
        email: current.email.clone(),
        admitted_on: current.admitted_on.to_string(),
        official_on: current.official_on.map(|d| d.to_string()),
        card_number: opt(v, "card_number"),
        record_number: current.record_number.clone(),
    };
    let mut state = FormState { form: "edit", values: v.clone(), errors: HashMap::new() };
    let record = match Record::parse(&store.profile().members, &input) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                state.errors.insert(e.field.clone(), format!("{} — {}", e.value, e.reason));
            }
            return render_member(&s, &ctx, &caller, &id, today(), false, state, None, StatusCode::BAD_REQUEST).await;
        }
    };
    match store.edit_member(&caller.actor(), member, record).await {
        Ok(_) => redirect(&format!("/members/{id}?done=1")),
        Err(e) => {
            let e: ApiError = e.into();
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = if e.code == "duplicate_member" {
                if e.message.starts_with("national_id") { "national_id" } else { "card_number" }
            } else {
                "full_name"
            };
            state.errors.insert(field.to_string(), message);
            render_member(&s, &ctx, &caller, &id, today(), false, state, None, e.status).await
        }
    }
}

/// Issues a transfer from the member's page.
pub async fn transfer(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<FieldsForm>,
) -> Response {
    let caller = match ctx.form_caller(&f.csrf) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let v = &f.fields;
    let result = async {
        let member: i64 =
            id.parse().map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "member_not_found", "no such member"))?;
        let on = parse_date("issued_on", &get(v, "issued_on"))?;
        let to = match (opt(v, "to_unit"), opt(v, "to_org")) {
            (Some(u), None) => orgwork_store::Destination::Unit(UnitCode::parse(&u)?),
            (None, Some(o)) => orgwork_store::Destination::Outside(o),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_organization",
                    "give a receiving unit or an organization",
                ));
            }
        };
        let document = orgwork_domain::structure::parse_decision(opt(v, "document").as_deref())?;
        member_in_scope(store, &caller, member, on, Permission::WriteMembers).await?;
        store.issue_transfer(&caller.actor(), member, to, on, document).await?;
        Ok::<_, ApiError>(on)
    }
    .await;
    match result {
        Ok(on) => redirect(&format!("/members/{id}?as_of={on}&done=1")),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = match e.code.as_str() {
                "invalid_date" | "date_outside_membership" => "issued_on",
                "invalid_organization" => "to_org",
                "invalid_decision" => "document",
                _ => "to_unit",
            };
            let mut state = FormState { form: "transfer", values: v.clone(), errors: HashMap::new() };
            state.errors.insert(field.to_string(), message);
            render_member(&s, &ctx, &caller, &id, today(), false, state, None, e.status).await
        }
    }
}

pub struct TransferRow {
    id: String,
    member_id: String,
    member: String,
    from: String,
    to: String,
    issued: String,
    due: String,
    state: String,
    overdue: bool,
    can_act: bool,
    verb: &'static str,
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    today: String,
    done: bool,
    general_error: Option<String>,
    sections: Vec<(String, Vec<TransferRow>, String)>,
}

#[derive(Deserialize)]
pub struct TransfersQuery {
    done: Option<String>,
}

/// A unit's transfers: those waiting to be received (with the form to receive them), those
/// sent and waiting (to cancel), and the closed ones; overdue ones flagged.
pub async fn transfers(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<TransfersQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_transfers(&s, &ctx, &caller, &code, q.done.is_some(), None, StatusCode::OK).await
}

async fn render_transfers(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    code: &str,
    done: bool,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let now = today();
    let built = async {
        let code = UnitCode::parse(code)?;
        caller.require(store, Permission::ReadMembers, &code, now).await?;
        let unit = store.unit(&code, now).await?;
        let all = store.transfers(&code, &orgwork_store::TransferFilter::default(), Page::first(500)).await?;
        // The unit's own key, once: each row asks whether its receiver lies below it.
        let top = store.path_ids(&code, now).await?.first().copied().unwrap_or_default();
        let mut rows: (Vec<TransferRow>, Vec<TransferRow>, Vec<TransferRow>) = (vec![], vec![], vec![]);
        for t in all.items {
            let place = |u: &Option<UnitCode>, o: &Option<String>| {
                u.as_ref().map(|u| u.to_string()).or(o.clone()).unwrap_or_default()
            };
            let incoming_here = match &t.to_unit {
                Some(u) => {
                    caller.require(store, Permission::ReadMembers, u, now).await.is_ok()
                        && within(store, u, top, now).await
                }
                None => false,
            };
            let (verb, side) = if t.state == "issued" && incoming_here {
                ("accept", t.to_unit.clone())
            } else {
                ("cancel", t.from_unit.clone())
            };
            let can_act = match &side {
                Some(u) => caller.require(store, Permission::WriteMembers, u, now).await.is_ok(),
                None => false,
            };
            // Out of the tree, the sender records the receipt.
            let (verb, can_act) =
                if t.state == "issued" && t.to_unit.is_none() { ("accept", can_act) } else { (verb, can_act) };
            let row = TransferRow {
                id: t.id.clone(),
                member_id: t.member_id.clone(),
                member: t.member_name.clone(),
                from: place(&t.from_unit, &t.from_org),
                to: place(&t.to_unit, &t.to_org),
                issued: tr.date(t.issued_on),
                due: tr.date(t.due_on),
                state: tr.t(&format!("state-{}", t.state)),
                overdue: t.state == "issued" && t.due_on < now,
                can_act: can_act && t.state == "issued",
                verb,
            };
            match (t.state.as_str(), incoming_here) {
                ("issued", true) => rows.0.push(row),
                ("issued", false) => rows.1.push(row),
                _ => rows.2.push(row),
            }
        }
        Ok::<_, ApiError>((code, unit, rows))
    };
    let (code, unit, (incoming, outgoing, closed)) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let unit_name = unit.name.get(tr.lang).to_string();
    let page = TransfersPage {
        tr,
        l: ctx.layout("structure", now),
        title: tr.ta("transfers-title", "unit", &unit_name),
        unit_code: code.to_string(),
        unit_name,
        today: now.to_string(),
        done,
        general_error,
        sections: vec![
            (tr.t("transfers-incoming"), incoming, tr.t("transfer-accept")),
            (tr.t("transfers-outgoing"), outgoing, tr.t("transfer-cancel")),
            (tr.t("transfers-history"), closed, String::new()),
        ],
    };
    ctx.page(status, page)
}

/// Is `unit` in the subtree of `top` on `on`?
/// Is `unit` in the subtree of the unit whose store key is `top`, on `on`?
async fn within(store: &dyn orgwork_store::Store, unit: &UnitCode, top: i64, on: NaiveDate) -> bool {
    store.path_ids(unit, on).await.is_ok_and(|path| path.contains(&top))
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    effective: String,
    #[serde(default)]
    back: String,
}

/// Receives (or, for a transfer out of the tree, confirms) or cancels a transfer from the
/// unit's transfer page.
pub async fn close_transfer(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, verb)): Path<(String, String)>,
    Form(f): Form<CloseForm>,
) -> Response {
    let caller = match ctx.form_caller(&f.csrf) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let result = async {
        let on = parse_date("effective", &f.effective)?;
        let t = crate::api::transfers::transfer_in_scope(store, &caller, &id, Permission::ReadMembers, "either", None)
            .await?;
        let n: i64 = t.id.parse().unwrap_or_default();
        match verb.as_str() {
            "accept" => {
                let side = if t.to_unit.is_some() { "to" } else { "from" };
                crate::api::transfers::transfer_in_scope(store, &caller, &id, Permission::WriteMembers, side, Some(on))
                    .await?;
                store.accept_transfer(&caller.actor(), n, on, None).await?;
            }
            "cancel" => {
                let from = Some(on.min(t.issued_on));
                crate::api::transfers::transfer_in_scope(store, &caller, &id, Permission::WriteMembers, "from", from)
                    .await?;
                store.cancel_transfer(&caller.actor(), n, on).await?;
            }
            _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such action")),
        }
        Ok::<_, ApiError>(())
    }
    .await;
    let back = UnitCode::parse(&f.back).map(|c| c.to_string()).unwrap_or_default();
    match result {
        Ok(()) => redirect(&format!("/units/{back}/transfers?done=1")),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            render_transfers(&s, &ctx, &caller, &back, false, Some(message), e.status).await
        }
    }
}
