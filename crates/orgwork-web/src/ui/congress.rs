//! Congresses' pages: the apportionment of a congress's delegates (the method, the seats, each
//! unit's members, quota and seats, the ties left open) and the count of an election's round
//! as minutes that print (ballots issued, returned, valid, invalid, the base and the
//! threshold, each candidate's votes, who is elected, who is tied, the seats left).
//!
//! The computations and their access are the API's (`api::congress`).

use super::i18n::Tr;
use super::{Ctx, FieldsForm, Layout, Submitted, field as get};
use crate::AppState;
use crate::api::congress::{ApportionBody, CandidateVotes, CountBody, run_apportion, run_count};
use crate::auth::today;
use crate::error::ApiError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use orgwork_domain::congress::{Apportionment, Base, Method, Tally, check_list};
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
        page.figures = figures;
        page.rows = t
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
        page.elected = if t.elected.is_empty() { tr.t("congress-none") } else { t.elected.join(", ") };
        page.tied = t.tied.join(", ");
        if let Some(r) = &t.next_round {
            page.next_round =
                tr.ta2("congress-next-round", "seats", &n(r.seats), "candidates", &r.candidates.join(", "));
        }
        let list = check_list(&s.store.profile().congress, t.seats, t.candidates.len() as u64);
        if !list.ok {
            page.list_check = tr.ta2("congress-list-outside", "least", &n(list.least), "most", &n(list.most));
        }
    }
    ctx.page(status, page)
}
