//! The API under `/api/v1` (the wire contract in DESIGN.md).

mod children;
mod health;
mod photos;
mod record_id;
mod records;
mod visits;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, put};
use axum::Router;
use tongxing_core::wire::VISIT_BODY_LIMIT;

use crate::error::ApiError;
use crate::AppState;

pub use photos::PhotoAddress;
pub use record_id::RecordId;

/// The routes under the API prefix; any other address under it is a JSON `404`, a known
/// address with another method a JSON `405`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/visits/{id}", put(visits::put_visit).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)))
        // The photo handler streams the body and counts it against its own, configured limit.
        .route("/photos/{sha256}", put(photos::put_photo).layer(DefaultBodyLimit::disable()))
        .route("/photos/{sha256}/upload", get(photos::upload_status))
        .route("/children/{id}", put(children::put_child).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
