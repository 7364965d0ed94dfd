//! A congress's apportionment on its page: the table on the record (each unit's members,
//! quota, the seats the method decided and those with the ties' decisions), each tie with
//! the form a person decides it with, and the form that records it.

use super::{apportion_summary, decimal, number_field, say};
use crate::AppState;
use crate::api::congress::record::{RecordBody, ask_of};
use crate::api::congress::writable_congress;
use crate::error::ApiError;
use crate::ui::i18n::Tr;
use crate::ui::{FieldsForm, PageId, Submitted, field as get, redirect};
use axum::extract::State;
use axum::response::Response;
use orgwork_domain::CongressId;
use orgwork_domain::access::Permission;
use orgwork_domain::congress::TieDecision;
use orgwork_domain::date::parse_written_date;
use orgwork_store::CongressApportionment;

/// One unit's row.
pub struct RecordRow {
    pub name: String,
    pub code: String,
    pub members: String,
    pub quota: String,
    /// The seats the method decided.
    pub decided: String,
    /// With the ties' decisions.
    pub seats: String,
}

/// One tie: what it leaves open, its units for the decision's form, and its decision.
pub struct TieView {
    pub number: u32,
    pub text: String,
    pub units: Vec<(String, String)>,
    pub decided: Option<String>,
}

/// The record as the congress page shows it.
pub struct RecordView {
    pub summary: String,
    pub rows: Vec<RecordRow>,
    pub ties: Vec<TieView>,
    pub totals: Vec<(String, String)>,
    /// Seats still waiting for a decision, in words (empty when none).
    pub open: String,
}

pub fn record_view(tr: Tr, r: &CongressApportionment) -> RecordView {
    let n = |x: u64| tr.number(x as i64);
    let a = &r.apportionment;
    let name = |i: usize| r.names.get(i).map(|x| x.get(tr.lang).to_string()).unwrap_or_default();
    let label = |code: &str| {
        a.allocations
            .iter()
            .position(|x| x.unit == code)
            .map(|i| format!("{} ({code})", name(i)))
            .unwrap_or_else(|| code.to_string())
    };
    let rows = a
        .allocations
        .iter()
        .zip(&r.shares)
        .enumerate()
        .map(|(i, (x, s))| RecordRow {
            name: name(i),
            code: x.unit.clone(),
            members: n(x.members),
            quota: decimal(tr, x.quota, 3),
            decided: n(x.seats),
            seats: n(s.seats),
        })
        .collect();
    let ties = a
        .ties
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let number = i as u32 + 1;
            let names: Vec<String> = t.units.iter().map(|u| label(u)).collect();
            TieView {
                number,
                text: tr.ta2("congress-tie", "units", &names.join(", "), "seats", &n(t.seats)),
                units: t.units.iter().map(|u| (u.clone(), label(u))).collect(),
                decided: r.decisions.iter().find(|d| d.decision.tie == number).map(|d| {
                    say(
                        tr,
                        "congress-tie-decided",
                        &[
                            ("units", d.decision.units.iter().map(|u| label(u)).collect::<Vec<_>>().join(", ")),
                            ("by", d.by.clone()),
                            ("reason", d.decision.reason.clone()),
                        ],
                    )
                }),
            }
        })
        .collect();
    let mut summary = apportion_summary(tr, a);
    summary.push(' ');
    summary.push_str(&tr.ta("congress-apportion-as-of", "date", &tr.date(r.as_of)));
    RecordView {
        summary,
        rows,
        ties,
        totals: vec![
            (tr.t("congress-members"), n(a.members)),
            (tr.t("congress-decided"), n(a.decided)),
            (tr.t("congress-ex-officio"), n(a.ex_officio)),
            (tr.t("congress-total"), n(a.total)),
        ],
        open: if r.open_seats > 0 { tr.ta("congress-seats-open", "seats", &n(r.open_seats)) } else { String::new() },
    }
}

/// The congress page's apportionment forms: `action` = record, or decide (with `tie`).
pub async fn apportionment_action(
    State(s): State<AppState>,
    PageId(id): PageId<CongressId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let store = s.store.as_ref();
    let result = async {
        let c = writable_congress(store, &caller, id).await?;
        if get(&v, "action") == "decide" {
            let tie = number_field(&v, "tie")?.unwrap_or(0).min(u64::from(u32::MAX)) as u32;
            let units: Vec<String> = v
                .iter()
                .filter(|(k, val)| k.starts_with("unit:") && !val.is_empty())
                .map(|(k, _)| k["unit:".len()..].to_string())
                .collect();
            let mut units = units;
            units.sort();
            let d = TieDecision { tie, units, reason: get(&v, "reason") };
            store.decide_tie(&caller.actor(), id, d).await?;
        } else {
            let body = RecordBody {
                method: get(&v, "method"),
                seats: number_field(&v, "seats")?,
                min: number_field(&v, "min")?.unwrap_or(0),
                base: number_field(&v, "base")?.unwrap_or(0),
                per: number_field(&v, "per")?,
                ex_officio: number_field(&v, "ex_officio")?.unwrap_or(0),
                as_of: parse_written_date("as_of", &get(&v, "as_of"))?.to_string(),
            };
            let ask = ask_of(body)?;
            caller.require(store, Permission::ReadStructure, &c.unit, ask.as_of).await?;
            store.apportion_congress(&caller.actor(), id, ask).await?;
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/congresses/{id}?done=1#apportionment")),
        Err(e) => {
            let message = ctx.error_text(&e);
            super::render_congress(&s, &ctx, &caller, id, String::new(), Some(message), false, e.status).await
        }
    }
}
