//! `PUT /api/v1/photos/{sha256}`: the raw bytes of one photo, named by their SHA-256.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use tongxing_core::wire::{PhotoReply, PhotoStatus};

use crate::error::ApiError;
use crate::photo_store::{PhotoError, PhotoHash, PhotoOutcome};
use crate::AppState;

/// The `{sha256}` of the route, refused with `400 bad_hash` unless it is 64 lower-case hex
/// digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoAddress(pub PhotoHash);

impl<S: Send + Sync> FromRequestParts<S> for PhotoAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(text) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::BadHash)?;
        PhotoHash::parse(&text).map(PhotoAddress).map_err(|_| ApiError::BadHash)
    }
}

/// `201` new, `200` held already, both only once the photo is synced to disk; `400
/// hash_mismatch`, `413 too_large` (as soon as the limit is crossed), `415 not_an_image`
/// (by its bytes; the Content-Type is not trusted); `503` with `Retry-After` when the disk
/// fails.
#[tracing::instrument(name = "put_photo", skip_all, fields(sha256 = %hash))]
pub async fn put_photo(
    State(state): State<AppState>,
    PhotoAddress(hash): PhotoAddress,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<PhotoReply>), ApiError> {
    if declared_length(&headers).is_some_and(|length| length > state.photos.max_bytes()) {
        return Err(ApiError::TooLarge);
    }
    let kept = state.photos.receive(&state.pool, &hash, body).await.map_err(ApiError::from)?;
    let (status, reply_status) = match kept.outcome {
        PhotoOutcome::Created => (StatusCode::CREATED, PhotoStatus::Created),
        PhotoOutcome::Held => (StatusCode::OK, PhotoStatus::Held),
    };
    tracing::info!(bytes = kept.bytes, kind = kept.kind.mime_type(), status = ?reply_status, "photo kept");
    Ok((status, Json(PhotoReply { sha256: kept.hash, status: reply_status, received: kept.bytes, size: Some(kept.bytes) })))
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

impl From<PhotoError> for ApiError {
    /// Logs what stays on the server and keeps what the phone can act on.
    fn from(error: PhotoError) -> ApiError {
        match error {
            PhotoError::TooLarge { .. } => ApiError::TooLarge,
            PhotoError::NotAnImage => ApiError::NotAnImage,
            PhotoError::HashMismatch { .. } => {
                tracing::info!(%error, "photo refused");
                ApiError::HashMismatch
            }
            PhotoError::BodyCut(_) => {
                tracing::info!(%error, "photo cut short");
                ApiError::IncompleteBody
            }
            PhotoError::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                tracing::error!(error = %io, "photo disk full");
                ApiError::DiskFull
            }
            PhotoError::Io(io) => {
                tracing::error!(error = %io, "cannot write a photo");
                ApiError::Unavailable
            }
            PhotoError::Storage(storage) => storage.into(),
        }
    }
}
