//! The member register's pages: a unit's member list (filters, paging, the admission form) and
//! a member's page (record, history, status change; transfers are `transfers.rs`). Records are
//! personal data: a member outside the reader's scope is "not found".

use super::i18n::Tr;
use super::labels::{category_name, status_name, value_name};
use super::{
    Ctx, FieldsForm, FormState, Layout, PageId, Submitted, field as get, opt_field as opt, redirect, urlencode,
};
use crate::AppState;
use crate::api::members::member_in_scope;
use crate::auth::Caller;
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::members::{Record, RecordInput, Status};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Direction, MemberFilter, MemberId, NewMember, Page};
use serde::Deserialize;
use std::collections::HashMap;

use crate::auth::today;

pub struct Row {
    id: MemberId,
    name: String,
    born: String,
    sex: String,
    status: String,
    /// The unit's name and code.
    unit: (String, String),
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
    probation_over: bool,
    statuses: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    rows: Vec<Row>,
    /// How many the search found, and the page's number.
    found: String,
    paging: Paging,
    can_write: bool,
    done: bool,
    open_form: bool,
    general_error: Option<String>,
    lists: super::labels::Choices,
    state: FormState,
    defaults: HashMap<String, String>,
}

impl MembersPage {
    fn options(&self, field: &str) -> &[(String, String)] {
        self.lists.of_field(field)
    }
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
    /// "over": only the probationary members past their probation.
    probation: Option<String>,
    after: Option<String>,
    /// The cursors of the pages before this one (the first page's is empty), newest last,
    /// so that the list pages back as well as forward.
    trail: Option<String>,
    /// This page's number.
    page: Option<u32>,
    done: Option<String>,
}

/// Most pages back that a list's links remember; further back is the first page.
const TRAIL: usize = 40;
/// A member list's page size, and how far its count goes before it says "more than".
const PAGE_SIZE: u32 = 50;
const COUNT_CAP: u32 = 1000;

/// The links of a list paged by cursor: back and forward, with the page's number.
pub struct Paging {
    pub number: u32,
    /// "Page 3", in the reader's language.
    pub label: String,
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Paging {
    /// `base` is the list's address with its filters (ending in a parameter); `after` this
    /// page's cursor, `trail` the cursors before it, `next` the next page's.
    pub fn new(
        tr: Tr,
        base: &str,
        number: u32,
        after: Option<&str>,
        trail: Option<&str>,
        next: Option<String>,
    ) -> Paging {
        let number = if after.is_none() { 1 } else { number.max(2) };
        let mut trail: Vec<&str> = match (after, trail) {
            (Some(_), Some(t)) => t.split(',').collect(),
            _ => Vec::new(),
        };
        let keep = trail.len().saturating_sub(TRAIL);
        trail.drain(..keep);
        let link = |after: &str, trail: &[&str], number: u32| {
            let mut href = format!("{base}&page={number}");
            if !after.is_empty() {
                href.push_str(&format!("&after={}", urlencode(after)));
            }
            if !trail.is_empty() {
                href.push_str(&format!("&trail={}", urlencode(&trail.join(","))));
            }
            href
        };
        let prev = match trail.split_last() {
            Some((last, rest)) if number > 1 => Some(link(last, rest, number - 1)),
            _ => None,
        };
        // A trail cut short cannot step back past its start: the first page is linked instead.
        let first = (number > 2 || (number > 1 && prev.is_none())).then(|| link("", &[], 1));
        let next = next.map(|n| {
            let mut ahead = trail.clone();
            ahead.push(after.unwrap_or(""));
            let keep = ahead.len().saturating_sub(TRAIL);
            link(&n, &ahead[keep..], number + 1)
        });
        Paging { number, label: tr.tn("page-number", number as usize), first, prev, next }
    }
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
            Some(v) => parse_written_date("as_of", v)?,
            None => today(),
        };
        caller.require(store, Permission::ReadMembers, &code, on).await?;
        let unit = store.unit(&code, on).await?;
        let filter = MemberFilter {
            query: q.q.clone().filter(|v| !v.trim().is_empty()),
            status: q.status.as_deref().filter(|v| !v.is_empty()).map(Status::parse).transpose()?,
            category: q.category.clone().filter(|v| !v.is_empty()),
            probation_over: q.probation.as_deref() == Some("over"),
        };
        let after = q.after.clone().filter(|a| !a.is_empty());
        let page = store.members(Some(&code), on, &filter, Page { limit: PAGE_SIZE, after: after.clone() }).await?;
        let total = store.stats(&code, on).await?.total;
        // One page with nothing after it is its own count.
        let found = if after.is_none() && page.next.is_none() {
            orgwork_store::Tally { count: page.items.len() as u64, more: false }
        } else {
            store.count_members(&code, on, &filter, COUNT_CAP).await?
        };
        let can_write = caller.require(store, Permission::WriteMembers, &code, on).await.is_ok();
        Ok::<_, ApiError>((code, on, unit, page, total, found, can_write))
    };
    let (code, on, unit, page, total, found, can_write) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let unit_name = unit.name.get(tr.lang).to_string();
    let mut names = super::labels::UnitNames::new(store, tr);
    let mut rows = Vec::with_capacity(page.items.len());
    for m in &page.items {
        rows.push(Row {
            id: m.id,
            name: m.full_name.clone(),
            born: tr.date(m.birth_date),
            sex: value_name(store.profile(), tr, "sex", &m.sex),
            status: status_name(tr, m.status.as_str()),
            unit: names.pair(&m.unit, on).await,
            card: m.card_number.clone().unwrap_or_default(),
        });
    }
    let profile = store.profile();
    let probation_over = q.probation.as_deref() == Some("over");
    let base = format!(
        "/units/{code}/members?as_of={on}&q={}&status={}&category={}{}",
        urlencode(q.q.as_deref().unwrap_or("")),
        urlencode(q.status.as_deref().unwrap_or("")),
        urlencode(q.category.as_deref().unwrap_or("")),
        if probation_over { "&probation=over" } else { "" }
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
        probation_over,
        statuses: [Status::Probationary, Status::Official]
            .iter()
            .map(|s| (s.as_str().to_string(), status_name(tr, s.as_str())))
            .collect(),
        categories: profile
            .members
            .categories
            .iter()
            .map(|c| (c.id.clone(), category_name(store.profile(), tr, &c.id)))
            .collect(),
        rows,
        found: match found {
            orgwork_store::Tally { count, more: true } => tr.tn("members-found-more", count as usize),
            orgwork_store::Tally { count, more: false } => tr.tn("members-found", count as usize),
        },
        paging: Paging::new(
            tr,
            &base,
            q.page.unwrap_or(1).min(1_000_000),
            q.after.as_deref().filter(|a| !a.is_empty()),
            q.trail.as_deref(),
            page.next,
        ),
        can_write,
        done: q.done.is_some(),
        open_form: !state.form.is_empty(),
        general_error,
        lists: super::labels::Choices::of(profile, tr),
        state,
        defaults,
    };
    ctx.page(status, page)
}

/// Admits a member from the list page's form; a refusal shows the form again, each faulty
/// field with its error.
pub async fn create(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let store = s.store.as_ref();
    let v = &f.fields;
    // The admission form's fields.
    let fields = [
        "full_name",
        "sex",
        "birth_date",
        "admitted_on",
        "official_on",
        "card_number",
        "national_id",
        "ethnicity",
        "hometown",
        "occupation",
        "education",
    ];
    let input = RecordInput::default().with(&fields, |f| opt(v, f));
    let mut state = FormState { form: "member", values: v.clone(), errors: HashMap::new() };
    let back = ListQuery { as_of: Some(today().to_string()), ..Default::default() };
    let record = match Record::parse(&store.profile().members, &input) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                let why = super::labels::fault_text(store.profile(), ctx.tr, &e.fault, Some(&e.field));
                state
                    .errors
                    .insert(e.field.clone(), if e.value.is_empty() { why } else { format!("{} — {why}", e.value) });
            }
            let msg = ctx.tr.error("invalid_member");
            return render_list(&s, &ctx, &caller, &code, back, state, msg, StatusCode::BAD_REQUEST).await;
        }
    };
    let result = async {
        let unit = UnitCode::parse(&code)?;
        let joined_on = match opt(v, "joined_on") {
            Some(d) => parse_written_date("joined_on", &d)?,
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
    lists: super::labels::Choices,
    state: FormState,
    defaults: HashMap<String, String>,
}

impl MemberPage {
    fn options(&self, field: &str) -> &[(String, String)] {
        self.lists.of_field(field)
    }
    fn val(&self, form: &str, field: &str) -> String {
        self.state.val(&self.defaults, form, field)
    }
    fn err(&self, form: &str, field: &str) -> Option<String> {
        self.state.err(form, field)
    }
}

pub struct MemberView {
    id: MemberId,
    name: String,
    /// The unit on the day asked about: its code and name.
    unit: Option<(String, String)>,
    facts: Vec<(String, String)>,
    /// When, the unit's name and code, the document.
    memberships: Vec<(String, String, String, String)>,
    statuses: Vec<(String, String, String)>,
    /// Past their probation on the day, still probationary: the flag's sentence.
    probation_over: Option<String>,
    /// The badges of party age reached by the day, and the next one.
    badges_reached: Vec<String>,
    badge_next: Option<String>,
}

#[derive(Deserialize)]
pub struct MemberQuery {
    as_of: Option<String>,
    done: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    PageId(id): PageId<MemberId>,
    Query(q): Query<MemberQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let on = match q.as_of.as_deref().filter(|v| !v.is_empty()).map(|v| parse_written_date("as_of", v)) {
        None => today(),
        Some(Ok(d)) => d,
        Some(Err(e)) => return ctx.api_error_page(e.into()),
    };
    render_member(&s, &ctx, &caller, id, on, q.done.is_some(), FormState::default(), None, StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn render_member(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: MemberId,
    on: NaiveDate,
    done: bool,
    state: FormState,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let m = match member_in_scope(store, caller, id, on, Permission::ReadMembers).await {
        Ok(m) => m,
        Err(e) => return ctx.api_error_page(e),
    };
    let can_write = m.unit.is_some() && member_in_scope(store, caller, id, on, Permission::WriteMembers).await.is_ok();
    let r = &m.record;
    let mut facts = vec![
        (tr.t("member-born"), tr.date(r.birth_date)),
        (tr.t("member-sex"), value_name(store.profile(), tr, "sex", &r.sex)),
        (tr.t("member-admitted"), tr.date(r.admitted_on)),
    ];
    let optional = [
        ("member-official", r.official_on.map(|d| tr.date(d))),
        ("member-card", r.card_number.clone()),
        ("member-national-id", r.national_id.clone()),
        ("member-ethnicity", r.ethnicity.clone()),
        ("member-religion", r.religion.clone()),
        ("member-hometown", r.hometown.clone()),
        ("member-occupation", r.occupation.as_deref().map(|v| value_name(store.profile(), tr, "occupation", v))),
        ("member-education", r.education.as_deref().map(|v| value_name(store.profile(), tr, "education", v))),
        ("member-theory", r.theory_level.as_deref().map(|v| value_name(store.profile(), tr, "theory_level", v))),
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
            m.categories.iter().map(|c| category_name(store.profile(), tr, c)).collect::<Vec<_>>().join(", "),
        ));
    }
    let badges = orgwork_domain::members::badges_on(&m.badges, on);
    let badge =
        |(years, day): &(u32, NaiveDate)| tr.ta2("member-badge", "years", &years.to_string(), "date", &tr.date(*day));
    let span = |from: NaiveDate, to: Option<NaiveDate>| match to {
        Some(t) => tr.ta2("member-from-to", "from", &tr.date(from), "to", &tr.date(t)),
        None => tr.ta("member-since", "from", &tr.date(from)),
    };
    let mut names = super::labels::UnitNames::new(store, tr);
    let mut memberships = vec![];
    for x in &m.memberships {
        let name = names.name(&x.unit, x.valid_from).await;
        memberships.push((
            span(x.valid_from, x.valid_to),
            name,
            x.unit.to_string(),
            x.document.clone().unwrap_or_default(),
        ));
    }
    let view = MemberView {
        id: m.id,
        name: r.full_name.clone(),
        unit: match &m.unit {
            Some(u) => Some((u.to_string(), names.name(u, on).await)),
            None => None,
        },
        facts,
        memberships,
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
        probation_over: orgwork_domain::members::probation_overdue(
            m.status,
            r.admitted_on,
            store.profile().members.probation_months,
            on,
        )
        .map(|end| tr.ta("member-probation-over", "date", &tr.date(end))),
        badges_reached: badges.0.iter().map(&badge).collect(),
        badge_next: badges.1.as_ref().map(badge),
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
        ("occupation", r.occupation.as_deref().map(str::to_string)),
        ("education", r.education.as_deref().map(str::to_string)),
        ("theory_level", r.theory_level.as_deref().map(str::to_string)),
    ];
    for (field, value) in fields {
        defaults.insert(format!("edit.{field}"), value.unwrap_or_default());
    }
    let filter = orgwork_store::TransferFilter { direction: Some(Direction::Out), pending: true, overdue_on: None };
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
        lists: super::labels::Choices::of(store.profile(), tr),
        state,
        defaults,
    };
    ctx.page(status, page)
}

pub async fn status(
    State(s): State<AppState>,
    PageId(id): PageId<MemberId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let store = s.store.as_ref();
    let v = &f.fields;
    let result = async {
        let member = id;
        let status = Status::parse(&get(v, "status"))?;
        let on = parse_written_date("effective", &get(v, "effective"))?;
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
            render_member(&s, &ctx, &caller, id, today(), false, state, None, e.status).await
        }
    }
}

/// Corrects the record from the member's page: each faulty field with its error.
pub async fn edit(
    State(s): State<AppState>,
    PageId(member): PageId<MemberId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let store = s.store.as_ref();
    let v = &f.fields;
    let current = match member_in_scope(store, &caller, member, today(), Permission::WriteMembers).await {
        Ok(m) => m.record,
        Err(e) => return ctx.api_error_page(e),
    };
    // The edit form's fields; the others stay as they are.
    let fields = [
        "full_name",
        "birth_date",
        "ethnicity",
        "religion",
        "hometown",
        "national_id",
        "education",
        "theory_level",
        "occupation",
        "card_number",
    ];
    let input = RecordInput::from(&current).with(&fields, |f| opt(v, f));
    let mut state = FormState { form: "edit", values: v.clone(), errors: HashMap::new() };
    let record = match Record::parse(&store.profile().members, &input) {
        Ok(r) => r,
        Err(errors) => {
            for e in errors {
                let why = super::labels::fault_text(store.profile(), ctx.tr, &e.fault, Some(&e.field));
                state
                    .errors
                    .insert(e.field.clone(), if e.value.is_empty() { why } else { format!("{} — {why}", e.value) });
            }
            return render_member(&s, &ctx, &caller, member, today(), false, state, None, StatusCode::BAD_REQUEST)
                .await;
        }
    };
    match store.edit_member(&caller.actor(), member, record).await {
        Ok(_) => redirect(&format!("/members/{member}?done=1")),
        Err(e) => {
            let e: ApiError = e.into();
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = if e.code == "duplicate_member" {
                if e.message.starts_with("national_id") { "national_id" } else { "card_number" }
            } else {
                "full_name"
            };
            state.errors.insert(field.to_string(), message);
            render_member(&s, &ctx, &caller, member, today(), false, state, None, e.status).await
        }
    }
}
