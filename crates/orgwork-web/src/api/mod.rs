//! The JSON API under `/api/v1`, one module per area, and its OpenAPI document.

pub mod admissions;
pub mod audit;
pub mod congress;
pub mod files;
pub mod inspection;
pub mod members;
pub mod plan;
pub mod profile;
pub mod restructure;
pub mod structure;
pub mod transfers;

use crate::AppState;
use crate::error::{ApiError, ErrorBody, ErrorDetail};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "orgwork",
        description = "The system of record of a hierarchical membership organization: its units and their history."
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "system", description = "Health and the profile in force"),
        (name = "units", description = "The structure: units as of any date, and their dated changes"),
        (name = "members", description = "The member register and its counts"),
        (name = "restructuring", description = "Merges, splits, moves and dissolutions with one effective date: drafts, the continuity check, apply, undo, lineage"),
        (name = "audit", description = "The audit log"),
        (name = "plans", description = "Annual work programmes: items, the lint, approval, progress, where they stand"),
        (name = "inspections", description = "Inspection and supervision: programmes, inspections, findings, recommendations and their follow-up, discipline, coverage"),
        (name = "congresses", description = "Congresses: the apportionment of delegates, the count of an election's round, the candidate list's rules")
    )
)]
struct ApiDoc;

/// Every endpoint but /healthz and the OpenAPI document takes `Authorization: Bearer <token>`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A page of a list: the items, and the cursor to pass as `after` for the next page.
#[derive(Debug, Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

/// Liveness: the server answers.
#[utoipa::path(get, path = "/healthz", tag = "system", security(()), responses((status = 200, body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The routes and the OpenAPI document they describe.
pub fn routes() -> (Router<AppState>, OpenApiDoc) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(healthz))
        .merge(profile::routes())
        .merge(structure::routes())
        .merge(audit::routes())
        .merge(members::routes())
        .merge(restructure::routes())
        .merge(transfers::routes())
        .merge(files::routes())
        .merge(admissions::routes())
        .merge(plan::routes())
        .merge(inspection::routes())
        .merge(congress::routes())
        .split_for_parts();
    (router, loosen_flattened(doc))
}

/// Schemas that are parts of an `allOf` and deny unknown fields: a member's record flattened
/// into the admission's body (`CreateMember`), and each restructuring operation beside its
/// `op` tag (`Operation`). As parts, their own `additionalProperties: false` would forbid the
/// fields of the other part, and no body or answer could fit the document; it is dropped from
/// the document. The server still refuses unknown fields (400).
fn loosen_flattened(mut doc: OpenApiDoc) -> OpenApiDoc {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    const PARTS: [&str; 7] = ["RecordInput", "CreateOp", "RenameOp", "MoveOp", "MergeOp", "SplitOp", "DissolveOp"];
    if let Some(components) = doc.components.as_mut() {
        for name in PARTS {
            if let Some(RefOr::T(Schema::Object(part))) = components.schemas.get_mut(name) {
                part.additional_properties = None;
            }
        }
    }
    doc
}

/// The OpenAPI document of the API.
pub fn openapi() -> OpenApiDoc {
    routes().1
}

pub fn router(state: AppState) -> Router {
    let (api, doc) = routes();
    let doc = std::sync::Arc::new(doc);
    api.route(
        "/api/v1/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { Json(doc.as_ref().clone()) }
        }),
    )
    .fallback(|uri: axum::http::Uri| async move {
        if uri.path().starts_with("/api/") {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint").into_response()
        } else {
            (
                StatusCode::NOT_FOUND,
                [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!doctype html><html lang=\"en\"><title>Not found · orgwork</title><p>There is no such page. <a href=\"/units\">Back to the tree</a></p></html>",
            )
                .into_response()
        }
    })
    .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
    .with_state(state)
}
