//! The record id in an address, such as `/visits/{id}`: a UUID made on the phone.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use uuid::Uuid;

use crate::http::error::ApiError;

/// The `{id}` of the route, refused with `400 bad_id` unless it is a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for RecordId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(text) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::BadId)?;
        Uuid::try_parse(&text).map(RecordId).map_err(|_| ApiError::BadId)
    }
}
