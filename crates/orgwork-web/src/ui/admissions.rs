//! The admission pipeline's page: a unit's candidates, the forms to propose one, and to admit
//! or withdraw each.

use super::i18n::Tr;
use super::{Ctx, FieldsForm, FormState, Layout, Submitted, field as get, opt_field as opt, redirect};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{CandidateId, CandidateState, MemberId, NewCandidate};
use serde::Deserialize;
use std::collections::HashMap;

use crate::auth::today;

pub struct Row {
    id: CandidateId,
    name: String,
    born: String,
    /// The unit's name and code.
    unit: (String, String),
    course: String,
    proposed: String,
    state: String,
    waiting: bool,
    member: Option<MemberId>,
}

#[derive(Template)]
#[template(path = "admissions.html")]
struct CandidatesPage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    today: String,
    rows: Vec<Row>,
    can_write: bool,
    done: bool,
    general_error: Option<String>,
    /// Candidates already waiting who look like the one proposed: the form asks again.
    similar: Vec<String>,
    open_form: bool,
    sexes: Vec<(String, String)>,
    state: FormState,
    defaults: HashMap<String, String>,
}

impl CandidatesPage {
    fn val(&self, form: &str, field: &str) -> String {
        self.state.val(&self.defaults, form, field)
    }
    fn err(&self, form: &str, field: &str) -> Option<String> {
        self.state.err(form, field)
    }
}

#[derive(Deserialize)]
pub struct PageQuery {
    done: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render(&s, &ctx, &caller, &code, q.done.is_some(), FormState::default(), None, Vec::new(), StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    code: &str,
    done: bool,
    state: FormState,
    general_error: Option<String>,
    similar: Vec<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let built = async {
        let code = UnitCode::parse(code)?;
        caller.require(store, Permission::ReadMembers, &code, today()).await?;
        let unit = store.unit(&code, today()).await?;
        let list = store.candidates(&code, false).await?;
        let can_write = caller.require(store, Permission::WriteMembers, &code, today()).await.is_ok();
        Ok::<_, ApiError>((code, unit, list, can_write))
    };
    let (code, unit, list, can_write) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let unit_name = unit.name.get(tr.lang).to_string();
    let mut names = super::labels::UnitNames::new(store, tr);
    let mut rows = Vec::with_capacity(list.len());
    for c in list {
        rows.push(Row {
            id: c.id,
            unit: names.pair(&c.unit, today()).await,
            name: c.full_name,
            born: tr.date(c.birth_date),
            course: match (c.course, c.course_done) {
                (Some(name), Some(done)) => format!("{name} ({})", tr.date(done)),
                (Some(name), None) => name,
                (None, Some(done)) => tr.date(done),
                (None, None) => String::new(),
            },
            proposed: tr.date(c.proposed_on),
            waiting: c.state == CandidateState::Candidate,
            state: tr.t(&format!("candidate-state-{}", c.state.as_str())),
            member: c.member_id,
        });
    }
    let mut defaults = HashMap::new();
    defaults.insert("candidate.proposed_on".to_string(), today().to_string());
    let page = CandidatesPage {
        tr,
        l: ctx.layout("structure", today()),
        title: tr.ta("candidates-title", "unit", &unit_name),
        unit_code: code.to_string(),
        unit_name,
        today: today().to_string(),
        rows,
        can_write,
        done,
        general_error,
        similar,
        open_form: !state.form.is_empty(),
        sexes: super::labels::choices(&store.profile().members.sex, tr),
        state,
        defaults,
    };
    ctx.page(status, page)
}

pub async fn add(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = &f.fields;
    let store = s.store.as_ref();
    let result = async {
        let new = NewCandidate {
            unit: UnitCode::parse(&code)?,
            full_name: get(v, "full_name"),
            sex: get(v, "sex"),
            birth_date: parse_written_date("birth_date", &get(v, "birth_date"))?,
            occupation: opt(v, "occupation"),
            national_id: opt(v, "national_id"),
            course: opt(v, "course"),
            course_done: opt(v, "course_done").map(|d| parse_written_date("course_done", &d)).transpose()?,
            proposed_on: parse_written_date("proposed_on", &get(v, "proposed_on"))?,
        };
        caller.require_from(store, Permission::WriteMembers, &new.unit, new.proposed_on).await?;
        // One already waiting who looks like this person is said first; proposing again, the
        // user has seen it.
        if get(v, "confirmed") != "1" {
            let like = store.similar_candidates(&new.full_name, new.birth_date, new.national_id.as_deref()).await?;
            if !like.is_empty() {
                return Ok(Some(like));
            }
        }
        store.add_candidate(&caller.actor(), new).await?;
        Ok::<_, ApiError>(None)
    }
    .await;
    match result {
        Ok(None) => redirect(&format!("/units/{code}/candidates?done=1")),
        Ok(Some(like)) => {
            let tr = ctx.tr;
            let mut names = super::labels::UnitNames::new(store, tr);
            let mut similar = Vec::with_capacity(like.len());
            for c in like {
                // The candidate's record and unit are shown only to who may read them; anyone
                // else learns only that someone with what they typed is waiting elsewhere.
                if caller.require(store, Permission::ReadMembers, &c.unit, today()).await.is_err() {
                    similar.push(tr.t("candidate-similar-hidden"));
                    continue;
                }
                let unit = names.name(&c.unit, today()).await;
                similar.push(tr.targs(
                    "candidate-similar-one",
                    &[
                        ("name", &c.full_name),
                        ("born", &tr.date(c.birth_date)),
                        ("unit", &unit),
                        ("proposed", &tr.date(c.proposed_on)),
                    ],
                ));
            }
            similar.dedup();
            let state = FormState { form: "candidate", values: v.clone(), errors: HashMap::new() };
            render(&s, &ctx, &caller, &code, false, state, None, similar, StatusCode::OK).await
        }
        Err(e) => {
            let field = ["full_name", "birth_date", "proposed_on", "course_done", "occupation", "sex"]
                .into_iter()
                .find(|f| e.message.starts_with(f) || e.message.contains(&format!("{f}:")))
                .unwrap_or("full_name");
            let mut state = FormState { form: "candidate", values: v.clone(), errors: HashMap::new() };
            state.errors.insert(field.to_string(), ctx.error_text(&e));
            render(&s, &ctx, &caller, &code, false, state, None, Vec::new(), e.status).await
        }
    }
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    effective: String,
    #[serde(default)]
    card_number: String,
    #[serde(default)]
    back: String,
    /// "1" once the user has seen what withdrawing does and confirmed it.
    #[serde(default)]
    confirmed: String,
}

super::csrf_forms!(ActForm);

/// Admits or withdraws a candidate from the unit's page.
pub async fn act(
    State(s): State<AppState>,
    Path((id, verb)): Path<(String, String)>,
    Submitted { ctx, caller, form: f }: Submitted<ActForm>,
) -> Response {
    let store = s.store.as_ref();
    let back = UnitCode::parse(&f.back).map(|c| c.to_string()).unwrap_or_default();
    let result = async {
        let on = parse_written_date("effective", &f.effective)?;
        let id: CandidateId = id.parse()?;
        let c = crate::api::admissions::candidate_to_change(store, &caller, id, on).await?;
        let n = c.id;
        if verb == "withdraw" && f.confirmed != "1" {
            return Ok(Some((c, on)));
        }
        match verb.as_str() {
            "admit" => {
                let card = Some(f.card_number.trim().to_string()).filter(|c| !c.is_empty());
                store.admit_candidate(&caller.actor(), n, on, card, None).await?;
            }
            "withdraw" => {
                store.withdraw_candidate(&caller.actor(), n, on, None).await?;
            }
            _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such action")),
        }
        Ok::<_, ApiError>(None)
    }
    .await;
    match result {
        // Withdrawing ends the candidate's file: first say so, and ask.
        Ok(Some((c, on))) => {
            let tr = ctx.tr;
            ctx.confirm_page(
                tr.ta("confirm-withdraw-title", "name", &c.full_name),
                vec![
                    tr.targs("confirm-withdraw-what", &[("name", &c.full_name), ("date", &tr.date(on))]),
                    tr.t("confirm-withdraw-again"),
                ],
                format!("/candidates/{}/withdraw", c.id),
                vec![("effective".into(), on.to_string()), ("back".into(), back.clone())],
                format!("/units/{back}/candidates"),
                tr.t("candidate-withdraw"),
            )
        }
        Ok(None) => redirect(&format!("/units/{back}/candidates?done=1")),
        Err(e) => {
            let error = Some(ctx.error_text(&e));
            render(&s, &ctx, &caller, &back, false, FormState::default(), error, Vec::new(), e.status).await
        }
    }
}
