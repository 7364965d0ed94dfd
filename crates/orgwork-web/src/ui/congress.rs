//! Congresses' pages: the apportionment of a congress's delegates (the method, the seats, each
//! unit's members, quota and seats, the ties left open) and the count of an election's round
//! as minutes that print (ballots issued, returned, valid, invalid, the base and the
//! threshold, each candidate's votes, who is elected, who is tied, the seats left).
//!
//! The term's schedule is a timeline of the congresses under a unit (each at its day along the
//! months), with the schedule check's breaches named, and the forms organizers plan, hold
//! and cancel congresses with.
//!
//! The computations and their access are the API's (`api::congress`).

pub mod election;
pub mod record;

use super::i18n::Tr;
use super::{Ctx, FieldsForm, Layout, PageId, Submitted, field as get, redirect, urlencode};
use crate::AppState;
use crate::api::congress::{
    ApportionBody, CandidateVotes, CountBody, csv_cells, run_apportion, run_count, writable_congress,
};
use crate::auth::today;
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use orgwork_domain::CongressId;
use orgwork_domain::access::Permission;
use orgwork_domain::congress::{
    Apportionment, Base, Breach, CongressKind, CongressStatus, Method, Tally, TermCode, check_list,
};
use orgwork_domain::date::parse_written_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::NewCongress;
use std::collections::HashMap;

/// A number with the page's decimal mark, to `places` places.
fn decimal(tr: Tr, x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match tr.lang {
        "vi" => s.replace('.', ","),
        "ar" => s.replace('.', "\u{066B}"),
        _ => s,
    }
}

fn method_choices(tr: Tr) -> Vec<(String, String)> {
    Method::ALL.iter().map(|m| (m.as_str().to_string(), tr.t(&format!("congress-method-{}", m.as_str())))).collect()
}

fn base_choices(tr: Tr) -> Vec<(String, String)> {
    Base::ALL.iter().map(|b| (b.as_str().to_string(), tr.t(&format!("congress-base-{}", b.as_str())))).collect()
}

/// One unit's row of the apportionment table.
pub struct ShareRow {
    name: String,
    code: String,
    members: String,
    quota: String,
    seats: String,
}

#[derive(Template)]
#[template(path = "congress_apportion.html")]
struct ApportionPage {
    tr: Tr,
    l: Layout,
    methods: Vec<(String, String)>,
    values: HashMap<String, String>,
    error: Option<String>,
    /// The result: a sentence saying what was shared, the rows, the ties, the totals.
    shown: bool,
    summary: String,
    rows: Vec<ShareRow>,
    ties: Vec<String>,
    totals: Vec<(String, String)>,
}

impl ApportionPage {
    fn val(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

fn number_field(v: &HashMap<String, String>, name: &str) -> Result<Option<u64>, ApiError> {
    let t = get(v, name);
    if t.is_empty() {
        return Ok(None);
    }
    t.replace([',', '.', ' '], "").parse::<u64>().map(Some).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_number", format!("{name}: '{t}' is not a whole number"))
    })
}

/// The apportionment form, empty (the demo's bloc as of today when the caller has one).
pub async fn apportion_page(State(_s): State<AppState>, ctx: Ctx) -> Response {
    if let Err(r) = ctx.caller() {
        return r;
    }
    let mut values = HashMap::new();
    values.insert("method".to_string(), "hamilton".to_string());
    values.insert("as_of".to_string(), today().to_string());
    if let Some(g) = ctx.user.as_ref().and_then(|u| u.grants.first()) {
        values.insert("unit".to_string(), g.unit.to_string());
    }
    render_apportion(&ctx, values, None, None, StatusCode::OK)
}

/// Shares the seats as the form asks, and shows the table.
pub async fn apportion(
    State(s): State<AppState>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let store = s.store.as_ref();
    let result = async {
        let csv = get(&v, "csv");
        let unit = get(&v, "unit");
        let body = ApportionBody {
            seats: number_field(&v, "seats")?,
            method: get(&v, "method"),
            min: number_field(&v, "min")?.unwrap_or(0),
            base: number_field(&v, "base")?.unwrap_or(0),
            per: number_field(&v, "per")?,
            ex_officio: number_field(&v, "ex_officio")?.unwrap_or(0),
            units: None,
            csv: (!csv.is_empty()).then_some(csv.clone()),
            unit: (csv.is_empty() && !unit.is_empty()).then_some(unit),
            as_of: (csv.is_empty()).then(|| get(&v, "as_of")).filter(|d| !d.is_empty()),
        };
        run_apportion(store, &caller, body).await
    }
    .await;
    match result {
        Ok(r) => render_apportion(&ctx, v, Some(r), None, StatusCode::OK),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_apportion(&ctx, v, None, Some(message), e.status)
        }
    }
}

/// What an apportionment shared, in words: the seats, the method, the floor or the base.
fn apportion_summary(tr: Tr, r: &Apportionment) -> String {
    let n = |x: u64| tr.number(x as i64);
    let mut summary = tr.ta2(
        "congress-apportion-summary",
        "seats",
        &n(r.seats),
        "method",
        &tr.t(&format!("congress-method-{}", r.method.as_str())),
    );
    if r.min > 0 {
        summary.push(' ');
        summary.push_str(&tr.ta("congress-apportion-min", "min", &n(r.min)));
    }
    if r.base > 0 {
        summary.push(' ');
        summary.push_str(&tr.ta("congress-apportion-base", "base", &n(r.base)));
    }
    summary
}

fn render_apportion(
    ctx: &Ctx,
    values: HashMap<String, String>,
    result: Option<(Apportionment, Vec<Option<orgwork_domain::structure::Names>>)>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let n = |x: u64| tr.number(x as i64);
    let (shown, summary, rows, ties, totals) = match &result {
        None => (false, String::new(), vec![], vec![], vec![]),
        Some((r, names)) => {
            let names: Vec<String> =
                names.iter().map(|n| n.as_ref().map(|n| n.get(tr.lang).to_string()).unwrap_or_default()).collect();
            let rows = r
                .allocations
                .iter()
                .zip(&names)
                .map(|(a, name)| ShareRow {
                    name: if name.is_empty() { a.unit.clone() } else { name.clone() },
                    code: if name.is_empty() { String::new() } else { a.unit.clone() },
                    members: n(a.members),
                    quota: decimal(tr, a.quota, 3),
                    seats: n(a.seats),
                })
                .collect();
            let name_of = |u: &str| {
                r.allocations
                    .iter()
                    .zip(&names)
                    .find(|(a, _)| a.unit == u)
                    .map(|(a, nm)| if nm.is_empty() { a.unit.clone() } else { format!("{nm} ({})", a.unit) })
                    .unwrap_or_else(|| u.to_string())
            };
            let ties = r
                .ties
                .iter()
                .map(|t| {
                    tr.ta2(
                        "congress-tie",
                        "units",
                        &t.units.iter().map(|u| name_of(u)).collect::<Vec<_>>().join(", "),
                        "seats",
                        &n(t.seats),
                    )
                })
                .collect();
            let summary = apportion_summary(tr, r);
            let totals = vec![
                (tr.t("congress-members"), n(r.members)),
                (tr.t("congress-decided"), n(r.decided)),
                (tr.t("congress-ex-officio"), n(r.ex_officio)),
                (tr.t("congress-total"), n(r.total)),
            ];
            (true, summary, rows, ties, totals)
        }
    };
    let page = ApportionPage {
        tr,
        l: ctx.layout("congress", today()),
        methods: method_choices(tr),
        values,
        error,
        shown,
        summary,
        rows,
        ties,
        totals,
    };
    ctx.page(status, page)
}

/// One candidate's row of the minutes.
pub struct VoteRow {
    name: String,
    votes: String,
    share: String,
    passed: String,
    elected: bool,
    elected_text: String,
}

#[derive(Template)]
#[template(path = "congress_count.html")]
struct CountPage {
    tr: Tr,
    l: Layout,
    bases: Vec<(String, String)>,
    values: HashMap<String, String>,
    error: Option<String>,
    shown: bool,
    /// The minutes' figures: (label, value).
    figures: Vec<(String, String)>,
    rows: Vec<VoteRow>,
    elected: String,
    tied: String,
    next_round: String,
    list_check: String,
    printed: String,
}

impl CountPage {
    fn val(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

pub async fn count_page(State(s): State<AppState>, ctx: Ctx) -> Response {
    if let Err(r) = ctx.caller() {
        return r;
    }
    let mut values = HashMap::new();
    values.insert("base".to_string(), s.store.profile().congress.base.as_str().to_string());
    render_count(&s, &ctx, values, None, None, StatusCode::OK)
}

/// Counts the round the form gives, and shows its minutes.
pub async fn count(
    State(s): State<AppState>,
    Submitted { ctx, caller: _, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let result = (|| {
        let ballots = get(&v, "ballots");
        let tally_text = get(&v, "tally");
        let tally = if ballots.is_empty() && !tally_text.is_empty() {
            let cells = orgwork_tabular::read(tally_text.as_bytes())
                .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_count", format!("tally: {e}")))?;
            let (names, votes) = orgwork_domain::congress::tally_from_cells(&cells)?;
            Some(names.into_iter().zip(votes).map(|(candidate, votes)| CandidateVotes { candidate, votes }).collect())
        } else {
            None
        };
        let body = CountBody {
            seats: number_field(&v, "seats")?.unwrap_or(0),
            base: Some(get(&v, "base")).filter(|b| !b.is_empty()),
            convened: number_field(&v, "convened")?,
            present: number_field(&v, "present")?,
            issued: number_field(&v, "issued")?,
            candidates: None,
            ballots: None,
            csv: (!ballots.is_empty()).then_some(ballots),
            tally,
            cast: number_field(&v, "cast")?,
            valid: number_field(&v, "valid")?,
        };
        run_count(s.store.profile(), body)
    })();
    match result {
        Ok(t) => render_count(&s, &ctx, v, Some(t), None, StatusCode::OK),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_count(&s, &ctx, v, None, Some(message), e.status)
        }
    }
}

/// A round's minutes: the figures, each candidate's row, who is elected, who is tied, and the
/// further round, in the reader's words.
pub struct Minutes {
    pub figures: Vec<(String, String)>,
    pub rows: Vec<VoteRow>,
    pub elected: String,
    pub tied: String,
    pub next_round: String,
}

pub fn minutes(tr: Tr, t: &Tally) -> Minutes {
    let n = |x: u64| tr.number(x as i64);
    let mut figures = vec![(tr.t("congress-seats"), n(t.seats))];
    if let Some(c) = t.convened {
        figures.push((tr.t("congress-base-convened"), n(c)));
    }
    if let Some(p) = t.present {
        figures.push((tr.t("congress-base-present"), n(p)));
    }
    if let Some(i) = t.issued {
        figures.push((tr.t("congress-issued"), n(i)));
    }
    figures.extend([
        (tr.t("congress-returned"), n(t.ballots)),
        (tr.t("congress-valid"), n(t.valid)),
        (tr.t("congress-invalid"), n(t.invalid)),
        (
            tr.t("congress-base"),
            format!("{}: {}", tr.t(&format!("congress-base-{}", t.base.as_str())), n(t.base_count)),
        ),
        (tr.t("congress-threshold"), n(t.threshold)),
    ]);
    let rows = t
        .candidates
        .iter()
        .map(|c| VoteRow {
            name: c.name.clone(),
            votes: n(c.votes),
            share: if t.base_count == 0 {
                String::new()
            } else {
                format!("{} %", decimal(tr, 100.0 * c.votes as f64 / t.base_count as f64, 2))
            },
            passed: tr.t(if c.passed { "congress-yes" } else { "congress-no" }),
            elected: c.elected,
            elected_text: if c.elected {
                tr.t("congress-elected-yes")
            } else if t.tied.contains(&c.name) {
                tr.t("congress-tied-yes")
            } else {
                String::new()
            },
        })
        .collect();
    let next_round = match &t.next_round {
        Some(r) => tr.ta2("congress-next-round", "seats", &n(r.seats), "candidates", &r.candidates.join(", ")),
        None if t.unfilled > 0 => tr.ta("congress-unfilled-left", "seats", &n(t.unfilled)),
        None => String::new(),
    };
    Minutes {
        figures,
        rows,
        elected: if t.elected.is_empty() { tr.t("congress-none") } else { t.elected.join(", ") },
        tied: t.tied.join(", "),
        next_round,
    }
}

fn render_count(
    s: &AppState,
    ctx: &Ctx,
    values: HashMap<String, String>,
    t: Option<Tally>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let n = |x: u64| tr.number(x as i64);
    let mut page = CountPage {
        tr,
        l: ctx.layout("congress", today()),
        bases: base_choices(tr),
        values,
        error,
        shown: false,
        figures: vec![],
        rows: vec![],
        elected: String::new(),
        tied: String::new(),
        next_round: String::new(),
        list_check: String::new(),
        printed: tr.date(today()),
    };
    if let Some(t) = t {
        page.shown = true;
        let m = minutes(tr, &t);
        (page.figures, page.rows, page.elected, page.tied, page.next_round) =
            (m.figures, m.rows, m.elected, m.tied, m.next_round);
        let list = check_list(&s.store.profile().congress, t.seats, t.candidates.len() as u64);
        if !list.ok {
            page.list_check = tr.ta2("congress-list-outside", "least", &n(list.least), "most", &n(list.most));
        }
    }
    ctx.page(status, page)
}

// ---------------------------------------------------------------------------------------------
// The term's schedule: a timeline of the congresses under a unit, the check's breaches, and the
// forms that plan, hold and cancel them.

#[derive(Debug, Default, serde::Deserialize)]
pub struct ScheduleQuery {
    term: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
    done: Option<u8>,
}

/// One congress of the timeline: its day's place along the axis (0 to 100), its words.
pub struct TimelineRow {
    id: String,
    name: String,
    code: String,
    level: String,
    kind: String,
    number: String,
    day: String,
    status: String,
    status_code: &'static str,
    pilot: bool,
    planned: bool,
    at: String,
    /// Breached: the rows a breach names.
    breached: bool,
}

#[derive(Template)]
#[template(path = "congress_schedule.html")]
struct SchedulePage {
    tr: Tr,
    l: Layout,
    terms: Vec<String>,
    term: String,
    unit: String,
    as_of: String,
    shown: bool,
    summary: String,
    passed: bool,
    rows: Vec<TimelineRow>,
    /// The axis's months: (label, place 0 to 100).
    months: Vec<(String, String)>,
    breaches: Vec<String>,
    without: Vec<String>,
    can_write: bool,
    kinds: Vec<(String, String)>,
    values: HashMap<String, String>,
    error: Option<String>,
    done: bool,
}

impl SchedulePage {
    fn val(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    fn today_text(&self) -> String {
        today().to_string()
    }
}

/// The months from the first to the last congress's (one at least), and a day's place on them.
fn axis(days: &[chrono::NaiveDate]) -> Option<(chrono::NaiveDate, i64)> {
    use chrono::Datelike;
    let (first, last) = (days.iter().min()?, days.iter().max()?);
    let start = first.with_day(1)?;
    let after = last.with_day(1)?.checked_add_months(chrono::Months::new(1))?;
    Some((start, (after - start).num_days().max(1)))
}

fn place(start: chrono::NaiveDate, span: i64, day: chrono::NaiveDate) -> String {
    format!("{:.2}", ((day - start).num_days() as f64 * 100.0 / span as f64).clamp(0.0, 100.0))
}

/// The schedule page: the form, and the timeline when a term and a unit are given (the
/// latest term and the caller's first unit by default).
pub async fn schedule_page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ScheduleQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_schedule(&s, &ctx, &caller, q, HashMap::new(), None, StatusCode::OK).await
}

async fn render_schedule(
    s: &AppState,
    ctx: &Ctx,
    caller: &crate::auth::Caller,
    q: ScheduleQuery,
    values: HashMap<String, String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let terms: Vec<String> = match store.terms().await {
        Ok(t) => t.into_iter().map(|t| t.code).collect(),
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let term = q.term.filter(|t| !t.trim().is_empty()).or_else(|| terms.first().cloned()).unwrap_or_default();
    let unit = q
        .unit
        .filter(|u| !u.trim().is_empty())
        .or_else(|| ctx.user.as_ref().and_then(|u| u.grants.first()).map(|g| g.unit.to_string()))
        .unwrap_or_default();
    let as_of_text = q.as_of.filter(|d| !d.trim().is_empty()).unwrap_or_else(|| today().to_string());
    let mut page = SchedulePage {
        tr,
        l: ctx.layout("congress", today()),
        terms,
        term: term.clone(),
        unit: unit.clone(),
        as_of: as_of_text.clone(),
        shown: false,
        summary: String::new(),
        passed: true,
        rows: vec![],
        months: vec![],
        breaches: vec![],
        without: vec![],
        can_write: false,
        kinds: CongressKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), tr.t(&format!("congress-kind-{}", k.as_str()))))
            .collect(),
        values,
        error,
        done: q.done == Some(1),
    };
    if term.is_empty() || unit.is_empty() {
        return ctx.page(status, page);
    }
    let read = async {
        let term = TermCode::parse(&term)?;
        let unit = UnitCode::parse(&unit)?;
        let as_of = parse_written_date("as_of", &as_of_text)?;
        caller.require(store, Permission::ReadStructure, &unit, as_of).await?;
        let can_write = caller.require(store, Permission::WriteCongresses, &unit, today()).await.is_ok();
        Ok::<_, ApiError>((store.schedule(term, &unit, as_of).await?, can_write))
    }
    .await;
    let (sched, can_write) = match read {
        Ok(x) => x,
        Err(e) => {
            page.error = page.error.or_else(|| Some(ctx.error_text(&e)));
            return ctx.page(if status == StatusCode::OK { e.status } else { status }, page);
        }
    };
    let profile = store.profile();
    let n = |x: u64| tr.number(x as i64);
    let named: HashMap<String, String> = sched
        .congresses
        .iter()
        .map(|c| (c.unit.to_string(), format!("{} ({})", c.names.get(tr.lang), c.unit)))
        .collect();
    let mut names = super::labels::UnitNames::new(store, tr);
    let mut name_of = async |code: &str, day: chrono::NaiveDate| -> String {
        if let Some(n) = named.get(code) {
            return n.clone();
        }
        match UnitCode::parse(code) {
            Ok(c) => {
                let name = names.name(&c, day).await;
                if name.is_empty() { code.to_string() } else { format!("{name} ({code})") }
            }
            Err(_) => code.to_string(),
        }
    };
    let mut breaches = vec![];
    let mut breached = std::collections::HashSet::new();
    for b in &sched.breaches {
        let text = match b {
            Breach::BeforeChild { unit, on, child, child_on, margin_days } => {
                breached.insert(unit.clone());
                say(
                    tr,
                    "congress-breach-before-child",
                    &[
                        ("unit", name_of(unit, *on).await),
                        ("on", tr.date(*on)),
                        ("child", name_of(child, *child_on).await),
                        ("child_on", tr.date(*child_on)),
                        ("margin", n(u64::from(*margin_days))),
                    ],
                )
            }
            Breach::ChildWithout { unit, on, child } => {
                breached.insert(unit.clone());
                say(
                    tr,
                    "congress-breach-child-without",
                    &[("unit", name_of(unit, *on).await), ("on", tr.date(*on)), ("child", name_of(child, *on).await)],
                )
            }
            Breach::PilotNotFirst { unit, on, pilot, pilot_on } => {
                breached.insert(unit.clone());
                say(
                    tr,
                    "congress-breach-pilot-not-first",
                    &[
                        ("unit", name_of(unit, *on).await),
                        ("on", tr.date(*on)),
                        ("pilot", name_of(pilot, *pilot_on).await),
                        ("pilot_on", tr.date(*pilot_on)),
                    ],
                )
            }
        };
        breaches.push(text);
    }
    let mut without = vec![];
    for u in &sched.without {
        without.push(name_of(u.as_str(), sched.as_of).await);
    }
    let days: Vec<chrono::NaiveDate> = sched.congresses.iter().map(|c| c.on()).collect();
    if let Some((start, span)) = axis(&days) {
        let mut m = start;
        while (m - start).num_days() < span {
            page.months.push((tr.month_year(m), place(start, span, m)));
            match m.checked_add_months(chrono::Months::new(1)) {
                Some(next) => m = next,
                None => break,
            }
        }
        page.rows = sched
            .congresses
            .iter()
            .map(|c| TimelineRow {
                id: c.id.to_string(),
                name: c.names.get(tr.lang).to_string(),
                code: c.unit.to_string(),
                level: super::labels::kind_name(profile, tr, &c.level),
                kind: tr.t(&format!("congress-kind-{}", c.kind.as_str())),
                number: c.number.map(|x| n(u64::from(x))).unwrap_or_default(),
                day: tr.date(c.on()),
                status: tr.t(&format!("congress-status-{}", c.status.as_str())),
                status_code: c.status.as_str(),
                pilot: c.pilot,
                planned: c.status == CongressStatus::Planned,
                at: place(start, span, c.on()),
                breached: breached.contains(c.unit.as_str()),
            })
            .collect();
    }
    page.summary = say(
        tr,
        "congress-schedule-summary",
        &[
            ("count", n(sched.congresses.len() as u64)),
            ("term", sched.term.clone()),
            ("margin", n(u64::from(sched.margin_days))),
        ],
    );
    page.passed = sched.passed;
    page.breaches = breaches;
    page.without = without;
    page.can_write = can_write;
    page.shown = true;
    ctx.page(status, page)
}

/// A message with named arguments given as owned strings.
fn say(tr: Tr, key: &str, pairs: &[(&str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tr.targs(key, &pairs)
}

fn back(term: &str, unit: &str, as_of: &str) -> String {
    format!("/congresses/schedule?term={}&unit={}&as_of={}&done=1", urlencode(term), urlencode(unit), urlencode(as_of))
}

fn query_of(v: &HashMap<String, String>) -> ScheduleQuery {
    ScheduleQuery {
        term: Some(get(v, "back_term")),
        unit: Some(get(v, "back_unit")),
        as_of: Some(get(v, "back_as_of")),
        done: None,
    }
}

/// Plans a congress from the schedule page's form.
pub async fn plan_congress(
    State(s): State<AppState>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let store = s.store.as_ref();
    let result = async {
        let term = TermCode::parse(&get(&v, "term"))?;
        let unit = UnitCode::parse(&get(&v, "unit"))?;
        let planned_on = parse_written_date("planned_on", &get(&v, "planned_on"))?;
        let kind = CongressKind::parse(&get(&v, "kind"))?;
        let number = number_field(&v, "number")?
            .map(|x| {
                u32::try_from(x).map_err(|_| {
                    ApiError::new(StatusCode::BAD_REQUEST, "invalid_number", format!("number: {x} is too large"))
                })
            })
            .transpose()?;
        caller.require_from(store, Permission::WriteCongresses, &unit, planned_on).await?;
        let pilot = get(&v, "pilot") == "1";
        store.plan_congress(&caller.actor(), NewCongress { term, unit, kind, number, planned_on, pilot }).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&back(&get(&v, "term"), &get(&v, "back_unit"), &get(&v, "back_as_of"))),
        Err(e) => {
            let message = ctx.error_text(&e);
            let q = query_of(&v);
            render_schedule(&s, &ctx, &caller, q, v.clone(), Some(message), e.status).await
        }
    }
}

/// Holds, or cancels, a planned congress from its row of the timeline.
pub async fn congress_action(
    State(s): State<AppState>,
    PageId(id): PageId<CongressId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let store = s.store.as_ref();
    let result = async {
        let c = writable_congress(store, &caller, id).await?;
        match get(&v, "action").as_str() {
            "hold" => {
                let on = parse_written_date("held_on", &get(&v, "held_on"))?;
                caller.require_from(store, Permission::WriteCongresses, &c.unit, on).await?;
                store.hold_congress(&caller.actor(), id, on).await?;
            }
            "cancel" => {
                store.cancel_congress(&caller.actor(), id, &get(&v, "reason")).await?;
            }
            other => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_body",
                    format!("action: '{other}' is not hold or cancel"),
                ));
            }
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&back(&get(&v, "back_term"), &get(&v, "back_unit"), &get(&v, "back_as_of"))),
        Err(e) => {
            let message = ctx.error_text(&e);
            let q = query_of(&v);
            render_schedule(&s, &ctx, &caller, q, v.clone(), Some(message), e.status).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One congress: its facts, its delegates and the counts their credentials give.

/// A delegate's row.
pub struct DelegateRow {
    number: String,
    name: String,
    kind: String,
    unit: String,
    attendance: String,
    seated_for: String,
}

/// An election's section of the congress page.
pub struct ElectionView {
    id: String,
    title: String,
    summary: String,
    rows: Vec<CandidateRow>,
    verdict: String,
    ok: bool,
    /// Its rounds so far, in words (empty before the vote).
    rounds: String,
}

/// A candidate's row.
pub struct CandidateRow {
    number: String,
    name: String,
    how: String,
    state: String,
    stands: bool,
}

#[derive(Template)]
#[template(path = "congress.html")]
struct CongressPage {
    elections: Vec<ElectionView>,
    /// A congress of delegates: its apportionment on the record, and the form's choices.
    of_delegates: bool,
    apportionment: Option<record::RecordView>,
    methods: Vec<(String, String)>,
    as_of: String,
    tr: Tr,
    l: Layout,
    id: String,
    title: String,
    facts: Vec<(String, String)>,
    rows: Vec<DelegateRow>,
    credentials: Vec<(String, String)>,
    back: String,
    can_write: bool,
    csv: String,
    error: Option<String>,
    done: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DoneQuery {
    done: Option<u8>,
}

/// A congress's page.
pub async fn congress_page(
    State(s): State<AppState>,
    PageId(id): PageId<CongressId>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_congress(&s, &ctx, &caller, id, String::new(), None, q.done == Some(1), StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render_congress(
    s: &AppState,
    ctx: &Ctx,
    caller: &crate::auth::Caller,
    id: CongressId,
    csv: String,
    error: Option<String>,
    done: bool,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let c = match crate::api::congress::readable_congress(store, caller, id).await {
        Ok(c) => c,
        Err(e) => return ctx.api_error_page(e),
    };
    let list = match store.delegates(id).await {
        Ok(l) => l,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let can_write = caller.require(store, Permission::WriteCongresses, &c.unit, today()).await.is_ok()
        && c.status != CongressStatus::Cancelled;
    let n = |x: u64| tr.number(x as i64);
    let mut facts = vec![
        (tr.t("congress-term"), c.term.clone()),
        (tr.t("congress-level"), super::labels::kind_name(store.profile(), tr, &c.level)),
        (tr.t("congress-kind"), tr.t(&format!("congress-kind-{}", c.kind.as_str()))),
        (tr.t("congress-status"), tr.t(&format!("congress-status-{}", c.status.as_str()))),
        (tr.t("congress-planned-on"), tr.date(c.planned_on)),
    ];
    if let Some(h) = c.held_on {
        facts.push((tr.t("congress-held-on"), tr.date(h)));
    }
    if let Some(r) = &c.reason {
        facts.push((tr.t("congress-reason"), r.clone()));
    }
    if let Some(x) = c.number {
        facts.push((tr.t("congress-number"), n(u64::from(x))));
    }
    if c.pilot {
        facts.push((tr.t("congress-pilot"), tr.t("congress-yes")));
    }
    let rows = list
        .delegates
        .iter()
        .enumerate()
        .map(|(i, d)| DelegateRow {
            number: n(i as u64 + 1),
            name: d.name.clone(),
            kind: tr.t(&format!("congress-delegate-kind-{}", d.kind.as_str())),
            unit: d.unit.clone().unwrap_or_default(),
            attendance: tr.t(&format!("congress-attendance-{}", d.attendance.as_str())),
            seated_for: d
                .replaces
                .map(|r| tr.ta("congress-seated-for", "number", &n(u64::from(r))))
                .unwrap_or_default(),
        })
        .collect();
    let k = list.credentials;
    let credentials = vec![
        (tr.t("congress-summoned"), n(k.summoned)),
        (tr.t("congress-delegate-kind-elected"), n(k.elected)),
        (tr.t("congress-delegate-kind-ex_officio"), n(k.ex_officio)),
        (tr.t("congress-absent"), n(k.absent)),
        (tr.t("congress-convened"), n(k.convened)),
        (tr.t("congress-present"), n(k.present)),
        (tr.t("congress-substitutes"), format!("{} ({})", n(k.substitutes), n(k.seated_substitutes))),
    ];
    let back = format!(
        "/congresses/schedule?term={}&unit={}&as_of={}",
        urlencode(&c.term),
        urlencode(c.unit.as_str()),
        c.on()
    );
    let elections = match store.elections(id).await {
        Ok(list) => list.iter().map(|e| election_view(tr, e)).collect(),
        Err(e) => return ctx.api_error_page(e.into()),
    };
    let of_delegates = c.kind == CongressKind::Delegates;
    let apportionment = if of_delegates {
        match store.congress_apportionment(id).await {
            Ok(a) => a.map(|a| record::record_view(tr, &a)),
            Err(e) => return ctx.api_error_page(e.into()),
        }
    } else {
        None
    };
    let page = CongressPage {
        tr,
        l: ctx.layout("congress", today()),
        elections,
        of_delegates,
        apportionment,
        methods: method_choices(tr),
        as_of: tr.date_input(c.on().min(today()).to_string()),
        id: id.to_string(),
        title: format!("{} · {}", c.names.get(tr.lang), tr.t(&format!("congress-kind-{}", c.kind.as_str()))),
        facts,
        rows,
        credentials,
        back,
        can_write,
        csv,
        error,
        done,
    };
    ctx.page(status, page)
}

/// Replaces a congress's delegates by the rows pasted in.
pub async fn set_delegates(
    State(s): State<AppState>,
    PageId(id): PageId<CongressId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let csv = get(&f.fields, "csv");
    let store = s.store.as_ref();
    let result = async {
        writable_congress(store, &caller, id).await?;
        let cells = csv_cells("invalid_delegate", &csv)?;
        let list = orgwork_domain::congress::delegates_from_cells(&cells)?;
        store.set_delegates(&caller.actor(), id, list).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/congresses/{id}?done=1")),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_congress(&s, &ctx, &caller, id, csv, Some(message), false, e.status).await
        }
    }
}

fn election_view(tr: Tr, e: &orgwork_store::Election) -> ElectionView {
    use orgwork_domain::congress::Nomination;
    let n = |x: u64| tr.number(x as i64);
    let r = &e.review;
    let rows = r
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| CandidateRow {
            number: n(i as u64 + 1),
            name: c.name.clone(),
            how: match c.nomination {
                Nomination::List => tr.t("congress-nomination-list"),
                Nomination::Floor => say(
                    tr,
                    if c.enters == Some(true) { "congress-floor-enters" } else { "congress-floor-stays-out" },
                    &[("support", n(c.support.unwrap_or(0))), ("present", n(r.present))],
                ),
            },
            state: if c.withdrawn {
                tr.t("congress-withdrawn")
            } else if c.stands {
                tr.t("congress-on-ballot")
            } else {
                String::new()
            },
            stands: c.stands,
        })
        .collect();
    let k = &r.check;
    let verdict = say(
        tr,
        if k.ok { "congress-list-within" } else { "congress-list-outside" },
        &[("least", n(k.least)), ("most", n(k.most)), ("candidates", n(k.candidates))],
    );
    ElectionView {
        id: e.id.to_string(),
        title: e.title.clone(),
        summary: say(tr, "congress-election-summary", &[("seats", n(e.seats)), ("candidates", n(k.candidates))]),
        rows,
        verdict,
        ok: k.ok,
        rounds: match (e.rounds, e.published_at.is_some()) {
            (0, _) => String::new(),
            (r, true) => tr.ta("congress-rounds-published", "rounds", &n(u64::from(r))),
            (r, false) => tr.ta("congress-rounds-so-far", "rounds", &n(u64::from(r))),
        },
    }
}

/// Opens an election at a congress, or replaces an election's candidates, from the congress page.
pub async fn election_action(
    State(s): State<AppState>,
    PageId(id): PageId<CongressId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let store = s.store.as_ref();
    let result = async {
        writable_congress(store, &caller, id).await?;
        let election = get(&v, "election");
        if election.is_empty() {
            let seats = number_field(&v, "seats")?.unwrap_or(0);
            store.create_election(&caller.actor(), id, &get(&v, "title"), seats).await?;
        } else {
            let eid: orgwork_domain::ElectionId = election.parse()?;
            if store.election_congress(eid).await? != id {
                return Err(ApiError::from(orgwork_domain::ElectionId::not_found(eid)));
            }
            let cells = csv_cells("invalid_candidate", &get(&v, "csv"))?;
            let list = orgwork_domain::congress::candidates_from_cells(&cells)?;
            store.set_candidates(&caller.actor(), eid, list).await?;
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/congresses/{id}?done=1#elections")),
        Err(e) => {
            let message = ctx.error_text(&e);
            render_congress(&s, &ctx, &caller, id, String::new(), Some(message), false, e.status).await
        }
    }
}
