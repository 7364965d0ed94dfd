//! `GET /api/v1/profile`: the profile in force.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use orgwork_domain::profile::Profile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_profile))
}

/// The profile in force: the kinds of unit and which parent kinds each may have.
#[utoipa::path(get, path = "/api/v1/profile", tag = "system", responses((status = 200, body = Profile), (status = 401, body = crate::error::ErrorBody)))]
async fn get_profile(State(state): State<AppState>, _caller: crate::auth::ApiCaller) -> Json<Profile> {
    Json(state.store.profile().clone())
}
