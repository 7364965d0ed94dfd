//! The home page: the signed-in user's unit at a glance. Its members by status and category
//! (a chart, its table beside it), then one section per area with its figures, each linking
//! to its list. A module adds its section in `sections` (work programme, inspections…).

use super::chart::{Bar, bars};
use super::i18n::Tr;
use super::labels::{category_name, status_name};
use super::{Ctx, Layout, redirect};
use crate::AppState;
use crate::auth::{Caller, today};
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use orgwork_domain::access::Permission;
use orgwork_domain::members::Status;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Page, Store, TransferFilter};
use serde::Deserialize;

/// A figure of a section: what it counts, how many, and the list that shows them.
pub struct Figure {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

/// A section of the home page: a heading and its figures.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub figures: Vec<Figure>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    /// The other units the user may look at (their other grants): code and name.
    others: Vec<(String, String)>,
    total: String,
    /// The members' chart (SVG markup, made by `chart::bars`) and its table.
    chart: String,
    chart_rows: Vec<Figure>,
    sections: Vec<Section>,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    unit: Option<String>,
}

/// A count of a list read a page at a time: "1,000+" when there are more than a page holds.
fn count_of(tr: Tr, n: usize, more: bool) -> String {
    if more { format!("{}+", tr.number(n as i64)) } else { tr.number(n as i64) }
}

pub async fn page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<HomeQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let on = today();
    // The units whose members the user may read, as granted, live today.
    let mut units: Vec<(UnitCode, String)> = vec![];
    for g in caller.user.grants.iter().filter(|g| g.role.permits(Permission::ReadMembers)) {
        if let Ok(u) = store.unit(&g.unit, on).await
            && !units.iter().any(|(c, _)| *c == u.code)
        {
            units.push((u.code.clone(), u.name.get(tr.lang).to_string()));
        }
    }
    let chosen = q.unit.as_deref().and_then(|c| units.iter().position(|(u, _)| u.as_str() == c)).unwrap_or(0);
    let Some((code, name)) = units.get(chosen).cloned() else {
        // No unit to show (a grant on units no longer live): the tree says what there is.
        return redirect("/units");
    };
    match build(store, &caller, tr, &code, on).await {
        Ok((total, chart_rows, sections)) => {
            let chart_bars: Vec<Bar> = chart_rows
                .iter()
                .map(|(f, n)| Bar { label: f.label.clone(), value: *n, href: f.href.clone() })
                .collect();
            let chart_rows = chart_rows.into_iter().map(|(f, _)| f).collect();
            let page = HomePage {
                tr,
                l: ctx.layout("home", on),
                title: tr.ta("home-title", "unit", &name),
                unit_code: code.to_string(),
                others: units.iter().filter(|(c, _)| *c != code).map(|(c, n)| (c.to_string(), n.clone())).collect(),
                total: tr.number(total),
                chart: bars(&chart_bars, tr.dir() == "rtl", |n| tr.number(n)),
                chart_rows,
                sections,
            };
            ctx.page(StatusCode::OK, page)
        }
        Err(e) => ctx.api_error_page(e),
    }
}

/// The unit's figures: the members' total, the chart's rows, the sections.
async fn build(
    store: &dyn Store,
    caller: &Caller,
    tr: Tr,
    code: &UnitCode,
    on: NaiveDate,
) -> Result<(i64, Vec<(Figure, i64)>, Vec<Section>), ApiError> {
    let profile = store.profile();
    let stats = store.stats(code, on).await?;
    let members = format!("/units/{code}/members?as_of={on}");
    let mut chart = vec![];
    for st in [Status::Probationary, Status::Official] {
        let n = stats.by_status.get(st.as_str()).copied().unwrap_or(0);
        let href = Some(format!("{members}&status={}", st.as_str()));
        chart.push((Figure { label: status_name(tr, st.as_str()), value: tr.number(n), href }, n));
    }
    for c in &profile.members.categories {
        let n = stats.by_category.get(&c.id).copied().unwrap_or(0);
        let href = Some(format!("{members}&category={}", c.id));
        chart.push((Figure { label: category_name(profile, tr, &c.id), value: tr.number(n), href }, n));
    }
    let mut sections = vec![];
    // Admissions: this year's and last year's, and the candidates waiting.
    let candidates = format!("/units/{code}/candidates");
    let this_year = store.admissions(code, on.year()).await?;
    let last_year = store.admissions(code, on.year() - 1).await?;
    let waiting = store.candidates(code, true).await?;
    // Probationary members past their probation: due to be made official.
    let past = store.past_probation(code, on).await?;
    sections.push(Section {
        id: "admissions",
        title: tr.t("home-admissions"),
        figures: vec![
            Figure {
                label: tr.t("home-probation-over"),
                value: format!("{}{}", if past.more { "> " } else { "" }, tr.number(past.count as i64)),
                href: Some(format!("{members}&probation=over")),
            },
            Figure {
                label: tr.ta("home-admitted-in", "year", &on.year().to_string()),
                value: tr.number(this_year.admitted),
                href: Some(candidates.clone()),
            },
            Figure {
                label: tr.ta("home-admitted-in", "year", &(on.year() - 1).to_string()),
                value: tr.number(last_year.admitted),
                href: Some(candidates.clone()),
            },
            Figure {
                label: tr.t("home-candidates-waiting"),
                value: tr.number(waiting.len() as i64),
                href: Some(candidates),
            },
        ],
    });
    // Transfers: those waiting, and those waiting past the profile's deadline.
    let transfers = format!("/units/{code}/transfers");
    let still_waiting = TransferFilter { pending: true, ..Default::default() };
    let pending = store.transfers(code, &still_waiting, Page::first(Page::MAX_LIMIT)).await?;
    // Overdue: waiting past the profile's deadline (each transfer's `due_on`), as the list's
    // `overdue` filter counts them.
    let overdue = pending.items.iter().filter(|t| t.due_on < on).count();
    sections.push(Section {
        id: "transfers",
        title: tr.t("home-transfers"),
        figures: vec![
            Figure {
                label: tr.t("home-transfers-waiting"),
                value: count_of(tr, pending.items.len(), pending.next.is_some()),
                href: Some(transfers.clone()),
            },
            Figure {
                label: tr.t("home-transfers-overdue"),
                value: count_of(tr, overdue, pending.next.is_some()),
                href: Some(transfers),
            },
        ],
    });
    // Restructuring: the latest that changed the unit itself (its lineage), and, for who sees
    // the whole tree, the drafts waiting. Judging each draft unit by unit (`require_draft`)
    // costs a path per unit named: a national reform's thousands of units would cost the page
    // a second, so the page reads the unit's own lineage instead.
    let mut figures = vec![];
    let lineage = store.lineage(code).await?;
    if let Some(last) = lineage.iter().max_by_key(|l| l.day) {
        let r = store.restructuring(last.restructuring).await?;
        if r.state == "applied" {
            figures.push(Figure {
                label: tr.ta("home-restructuring-latest", "date", &tr.date(r.effective)),
                value: r.title.clone(),
                href: Some(format!("/restructurings/{}", r.id)),
            });
        }
    }
    if caller.tops(store, Permission::ReadStructure, on).await?.is_none() {
        let drafts = store.restructurings().await?.iter().filter(|r| r.state == "draft").count();
        figures.push(Figure {
            label: tr.t("home-restructuring-drafts"),
            value: tr.number(drafts as i64),
            href: Some("/restructurings".into()),
        });
    }
    if !figures.is_empty() {
        sections.push(Section { id: "restructuring", title: tr.t("home-restructuring"), figures });
    }
    // Inspection: the recommendations addressed to the subtree, and for an inspector of the
    // unit its programme of the year.
    use orgwork_domain::inspection::RecommendationStatus as R;
    let filter =
        orgwork_store::RecommendationFilter { addressee: Some(code.clone()), as_of: Some(on), ..Default::default() };
    let recs = store.recommendations(&filter).await?;
    let count = |f: &dyn Fn(&orgwork_store::Recommendation) -> bool| recs.iter().filter(|r| f(r)).count() as i64;
    let follow = format!("/recommendations?unit={code}");
    let mut figures = vec![];
    let inspector = caller.require(store, Permission::ReadInspections, code, on).await.is_ok();
    if inspector {
        let p = store.inspection_programme_of(code, on.year()).await?;
        let (planned, done) = p.as_ref().map_or((0, 0), |p| {
            let done = p.inspections.iter().filter(|i| i.status.counts_as_done()).count();
            (p.inspections.len() as i64, done as i64)
        });
        figures.push(Figure {
            label: tr.ta("home-inspections-year", "year", &on.year().to_string()),
            value: tr.ta2("home-inspections-done", "done", &tr.number(done), "planned", &tr.number(planned)),
            href: Some(format!("/inspections?unit={code}&year={}", on.year())),
        });
    }
    if inspector || !recs.is_empty() {
        for (key, n, view) in [
            ("home-recommendations-open", count(&|r| r.status != R::Verified), "due"),
            ("home-recommendations-overdue", count(&|r| r.overdue), "overdue"),
            ("home-recommendations-awaiting", count(&|r| r.status == R::Done), "awaiting"),
        ] {
            figures.push(Figure { label: tr.t(key), value: tr.number(n), href: Some(format!("{follow}&view={view}")) });
        }
        sections.push(Section { id: "inspection", title: tr.t("nav-inspection"), figures });
    }
    // Congresses: the latest term's under the unit, held and planned, and the schedule check.
    if let Some(term) = store.terms().await?.into_iter().next()
        && let Ok(code_of_term) = orgwork_domain::congress::TermCode::parse(&term.code)
    {
        let sched = store.schedule(code_of_term, code, on).await?;
        let link = format!("/congresses/schedule?term={}&unit={code}", term.code);
        let of = |st: orgwork_domain::congress::CongressStatus| {
            sched.congresses.iter().filter(|c| c.status == st).count() as i64
        };
        if !sched.congresses.is_empty() {
            use orgwork_domain::congress::CongressStatus as C;
            let figures = vec![
                Figure { label: tr.t("home-congresses-held"), value: tr.number(of(C::Held)), href: Some(link.clone()) },
                Figure {
                    label: tr.t("home-congresses-planned"),
                    value: tr.number(of(C::Planned)),
                    href: Some(link.clone()),
                },
                Figure {
                    label: tr.t("home-congresses-breaches"),
                    value: tr.number(sched.breaches.len() as i64),
                    href: Some(link),
                },
            ];
            sections.push(Section { id: "congresses", title: tr.ta("home-congresses", "term", &term.code), figures });
        }
    }
    Ok((stats.total, chart, sections))
}
