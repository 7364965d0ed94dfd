//! Extractors that answer bad input with the API's JSON error instead of axum's plain text:
//! invalid JSON, an unknown or missing field, a malformed query string.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// `Json<T>` whose rejections are `invalid_json` (not JSON, or not `application/json`) or
/// `invalid_body` (JSON of the wrong shape: an unknown field, a missing one, a wrong type).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "the request body must be JSON, sent with Content-Type: application/json",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "invalid_body", e.body_text()))?;
        if has_nul_escape(&bytes) {
            return Err(nul_refused());
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                format!(
                    "the request body does not fit: {}",
                    e.body_text().trim_start_matches("Failed to deserialize the JSON body into the target type: ")
                ),
            )),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                "the request body must be JSON, sent with Content-Type: application/json",
            )),
            Err(JsonRejection::BytesRejection(e)) => Err(ApiError::new(e.status(), "invalid_body", e.body_text())),
            Err(e) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("the request body is not valid JSON: {}", e.body_text()),
            )),
        }
    }
}

/// `application/json` or `application/…+json`, as axum's `Json` asks.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", sub)) => sub == "json" || sub.ends_with("+json"),
        _ => false,
    }
}

/// Whether JSON text holds a NUL character (`\u0000`, its backslash not itself escaped). No
/// text of the record may hold one (PostgreSQL refuses it in a text column), so every body is
/// refused with it before any handler reads it.
pub fn has_nul_escape(bytes: &[u8]) -> bool {
    bytes.windows(6).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"\\u0000") && bytes[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
    })
}

/// The answer to a body or form holding a NUL character.
pub fn nul_refused() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "nul_in_text", "text: a NUL character (U+0000) is not accepted")
}

/// `Query<T>` whose rejection is `invalid_query`.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!(
                    "the query string does not fit: {}",
                    e.body_text().trim_start_matches("Failed to deserialize query string: ")
                ),
            )),
            Err(e) => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text())),
        }
    }
}

/// A typed id and a number from the path's two segments (`/elections/{id}/rounds/{number}`).
pub struct IdNumber<T>(pub T, pub u32);

impl<T, S> FromRequestParts<S> for IdNumber<T>
where
    T: std::str::FromStr<Err = orgwork_domain::Error> + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path((id, number)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", e.body_text()))?;
        let number = number.parse().map_err(|_| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", format!("'{number}' is not a number"))
        })?;
        Ok(IdNumber(id.parse()?, number))
    }
}

/// A typed id from the path's one segment (`/members/{id}`): a malformed one is the 404 of
/// its kind (`member_not_found`…), as an id that names no row is.
pub struct Id<T>(pub T);

impl<T, S> FromRequestParts<S> for Id<T>
where
    T: std::str::FromStr<Err = orgwork_domain::Error> + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(text) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", e.body_text()))?;
        Ok(Id(text.parse()?))
    }
}
