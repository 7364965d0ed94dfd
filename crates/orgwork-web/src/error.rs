//! The API's error: `{"error": {"code": "...", "message": "..."}}` with a fitting status.
//! Domain errors keep their stable code; database failures are logged and reported as
//! `internal` without their details.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use orgwork_domain::{Error, ErrorKind};
use orgwork_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code, e.g. `cycle`, `kind_not_allowed`, `invalid_date`.
    pub code: String,
    /// What is wrong, for people; names the field or value at fault.
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// The domain's reason with its values, when it has one: pages word it in their language.
    pub fault: Option<orgwork_domain::fault::Fault>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, code: code.to_string(), message: message.into(), fault: None }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match e.kind {
            ErrorKind::Invalid => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Rule => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError { fault: e.fault, ..ApiError::new(status, e.code, e.message) }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(e) => e.into(),
            StoreError::Database(source) => {
                tracing::error!(error = %source, debug = ?source, "database error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the database failed; the change was not made",
                )
            }
            StoreError::Backend(detail) => {
                tracing::error!(%detail, "database error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the database failed; the change was not made",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code, message: self.message } };
        (self.status, Json(body)).into_response()
    }
}
