//! `PUT /api/v1/photos/{sha256}`: the raw bytes of one photo, named by their SHA-256, whole
//! or (with `Content-Range`) in pieces; `GET /api/v1/photos/{sha256}/upload`: how much of it
//! the server holds.

use std::future::Future;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use tongxing_core::photo::UploadPiece;
use tongxing_core::wire::{ErrorBody, PhotoReply, PhotoStatus};
use tongxing_core::Worker;
use tracing::Instrument;

use super::Sender;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, PhotoLimited, RateLimited, Unauthorized, Unavailable};
use crate::http::{telemetry, AppState};
use crate::photos::{PhotoError, PhotoHash};
use crate::store::upload_quota::{self, QuotaError};

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

/// Without `Content-Range`, the whole photo: `201` new, `200` held already, both only once
/// the photo is synced to disk; `400 hash_mismatch`, `413 too_large` (as soon as the limit is
/// crossed), `415 not_an_image` (by its bytes; the Content-Type is not trusted).
///
/// With `Content-Range: bytes <first>-<last>/<size>`, one piece: `202 partial` with the bytes
/// now held, then `201`/`200` once the photo is whole; `400 bad_range`, `409 upload_offset`
/// with the bytes held when the piece does not start there, `413` at once for a size over
/// the limit, and the refusals of a whole photo.
///
/// `503` with `Retry-After` when the disk fails.
#[utoipa::path(
    put,
    path = "/api/v1/photos/{sha256}",
    tag = "photos",
    summary = "Send a photo, whole or a piece",
    description = "The raw bytes of one photo, addressed by their SHA-256. The kind is told by the first bytes (JPEG, PNG or WebP only), not by `Content-Type`. Without `Content-Range` the body is the whole photo; with it, one piece, which must start where the bytes the server holds end (`GET /api/v1/photos/{sha256}/upload`). Requests about one photo take turns.",
    params(
        ("sha256" = PhotoHash, Path, description = "The SHA-256 of the photo's bytes, as 64 lower-case hex digits"),
        ("Content-Range" = Option<String>, Header, nullable = false, description = "`bytes <first>-<last>/<size>` (`last` inclusive): the body is this piece of a photo of `size` bytes. Without it the body is the whole photo"),
    ),
    request_body(
        description = "The photo's bytes, or a piece of them",
        content(("image/jpeg"), ("image/png"), ("image/webp"), ("application/octet-stream")),
    ),
    responses(
        (status = 201, description = "`created`: the photo is new (or this piece made it whole), checked, and on disk", body = PhotoReply),
        (status = 200, description = "`held`: the photo was held whole already; the bytes sent are discarded", body = PhotoReply),
        (status = 202, description = "`partial`: the piece is appended and synced; `received` bytes from the start are held, of `size`", body = PhotoReply),
        (status = 400, description = "`bad_hash`: the address is not 64 lower-case hex digits; `hash_mismatch`: the whole photo does not hash to the address (damaged on the way; nothing kept, an upload in pieces is dropped); `bad_range`: `Content-Range` cannot be read, names another size than the upload under way, or the body is longer than the range; `incomplete_body`: the body stopped before its end, or stalled (a piece keeps the bytes that came)", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is a supervisor's (supervisors do not send photos); `out_of_scope`: a phone of another place is sending this photo in pieces (the upload is untouched)", body = ErrorBody),
        (status = 409, description = "`upload_offset`: the piece does not start where the held bytes end; `received` says where they end, so where to send from. The upload is untouched", body = ErrorBody),
        (status = 413, description = "`too_large`: the photo is over `--max-photo-bytes`: at once when `Content-Length` or the range's size says so, else as soon as the bytes pass it; nothing kept", body = ErrorBody),
        (status = 415, description = "`not_an_image`: the first bytes are not a JPEG, PNG or WebP image, whatever `Content-Type` says; nothing kept", body = ErrorBody),
        (status = 429, response = PhotoLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "put_photo", skip_all, fields(sha256 = %hash))]
pub async fn put_photo(
    State(state): State<AppState>,
    Sender(sender): Sender,
    PhotoAddress(hash): PhotoAddress,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<PhotoReply>), PhotoRefusal> {
    let declared = declared_length(&headers);
    let reply = match content_range(&headers)? {
        None => {
            if declared.is_some_and(|length| length > state.photos.max_bytes()) {
                return Err(ApiError::TooLarge.into());
            }
            // Without a length, counted as the largest photo the server takes.
            charge_quota(&state, &sender, declared.unwrap_or(state.photos.max_bytes()))
                .await
                .map_err(PhotoRefusal::before_the_body)?;
            let (store, pool, hash, place) = (state.photos.clone(), state.pool.clone(), hash.clone(), sender.place);
            let kept = on_own_task(async move { store.receive(&pool, &hash, &place, body).await }).await?;
            telemetry::record_outcome(format_args!(
                "photo {:?} {} {} bytes",
                kept.outcome,
                kept.kind.mime_type(),
                kept.bytes
            ));
            kept.reply()
        }
        Some(piece) => {
            if piece.size > state.photos.max_bytes() {
                return Err(ApiError::TooLarge.into());
            }
            if declared.is_some_and(|length| length > piece.len()) {
                return Err(ApiError::BadRange.into());
            }
            charge_quota(&state, &sender, piece.len()).await.map_err(PhotoRefusal::before_the_body)?;
            let (store, pool, hash, place) = (state.photos.clone(), state.pool.clone(), hash.clone(), sender.place);
            let range = piece.content_range();
            let reply =
                on_own_task(async move { store.receive_piece(&pool, &hash, &place, piece, body).await }).await?;
            telemetry::record_outcome(format_args!("photo piece {range} {:?} {} held", reply.status, reply.received));
            reply
        }
    };
    metrics::counter!(crate::http::metrics::PHOTOS_RECEIVED, "status" => format!("{:?}", reply.status)).increment(1);
    let status = match reply.status {
        PhotoStatus::Created => StatusCode::CREATED,
        PhotoStatus::Partial => StatusCode::ACCEPTED,
        PhotoStatus::Held | PhotoStatus::Absent => StatusCode::OK,
    };
    Ok((status, Json(reply)))
}

/// `200` with how much of the photo the server holds: `held` (whole; `received` = `size`),
/// `partial` (`received` bytes synced to disk, of `size`) or `absent` (`received` 0).
#[utoipa::path(
    get,
    path = "/api/v1/photos/{sha256}/upload",
    tag = "photos",
    summary = "How much of a photo the server holds, to know where to resume",
    description = "Waits for a piece of that photo under way, so after a cut it tells what the cut piece left. A photo, or an upload in pieces, of another place than the phone's is `absent`, as one the server never saw.",
    params(("sha256" = PhotoHash, Path, description = "The SHA-256 of the photo's bytes, as 64 lower-case hex digits")),
    responses(
        (status = 200, description = "`status` says which: `held`: whole (`received` = `size`); `partial`: `received` bytes synced to disk, of `size`; `absent`: nothing (`received` 0)", body = PhotoReply),
        (status = 400, description = "`bad_hash`: the address is not 64 lower-case hex digits", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is a supervisor's (supervisors do not send photos)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "photo_upload_status", skip_all, fields(sha256 = %hash))]
pub async fn upload_status(
    State(state): State<AppState>,
    Sender(sender): Sender,
    PhotoAddress(hash): PhotoAddress,
) -> Result<Json<PhotoReply>, ApiError> {
    let (store, pool, place) = (state.photos.clone(), state.pool.clone(), sender.place);
    on_own_task(async move { store.upload_status(&pool, &hash, &place).await }).await.map(Json)
}

/// A photo refused, and whether its body was left unread: then the connection is closed
/// after the answer (`Connection: close`), so that the client does not send its next
/// request on a connection that still has a body to skip.
#[derive(Debug)]
pub struct PhotoRefusal {
    error: ApiError,
    body_unread: bool,
}

impl PhotoRefusal {
    fn before_the_body(error: ApiError) -> PhotoRefusal {
        PhotoRefusal { error, body_unread: true }
    }
}

impl From<ApiError> for PhotoRefusal {
    fn from(error: ApiError) -> PhotoRefusal {
        PhotoRefusal { error, body_unread: false }
    }
}

impl From<PhotoError> for PhotoRefusal {
    fn from(error: PhotoError) -> PhotoRefusal {
        ApiError::from(error).into()
    }
}

impl IntoResponse for PhotoRefusal {
    fn into_response(self) -> Response {
        let mut response = self.error.into_response();
        if self.body_unread {
            response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// Counts `bytes` against the sender's daily share (`429 quota_exceeded` beyond it).
async fn charge_quota(state: &AppState, sender: &Worker, bytes: u64) -> Result<(), ApiError> {
    upload_quota::charge(&state.pool, sender.id, bytes, state.daily_upload_bytes, Utc::now()).await.map_err(|error| {
        match error {
            QuotaError::Exceeded { retry_after_secs } => {
                tracing::info!(device = %sender.id, retry_after_secs, "daily upload quota used up");
                ApiError::QuotaExceeded { retry_after_secs }
            }
            QuotaError::Storage(storage) => storage.into(),
        }
    })
}

/// Runs `work` on a task of its own, so that a phone that hangs up does not cut it short:
/// the bytes that came are still synced and counted, and a photo made whole is still kept.
async fn on_own_task<T: Send + 'static>(
    work: impl Future<Output = Result<T, PhotoError>> + Send + 'static,
) -> Result<T, ApiError> {
    let finished = tokio::spawn(work.in_current_span()).await.map_err(|error| {
        tracing::error!(%error, "the photo task failed");
        ApiError::Internal
    })?;
    finished.map_err(ApiError::from)
}

/// The piece named by `Content-Range`, if the request has one; `400 bad_range` when it is not
/// `bytes <first>-<last>/<size>`.
fn content_range(headers: &HeaderMap) -> Result<Option<UploadPiece>, ApiError> {
    let Some(value) = headers.get(header::CONTENT_RANGE) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ApiError::BadRange)?;
    UploadPiece::parse_content_range(text).map(Some).map_err(|_| ApiError::BadRange)
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
            PhotoError::UploadOffset { received } => ApiError::UploadOffset { received },
            PhotoError::OtherPlace => ApiError::OutOfScope,
            PhotoError::HashMismatch { .. } => {
                tracing::info!(%error, "photo refused");
                ApiError::HashMismatch
            }
            PhotoError::BadRange(_) => {
                tracing::info!(%error, "photo piece refused");
                ApiError::BadRange
            }
            PhotoError::BodyCut(_) | PhotoError::BodyStalled => {
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
            PhotoError::Bucket(bucket) => {
                metrics::counter!(crate::http::metrics::PHOTO_BUCKET_ERRORS).increment(1);
                tracing::error!(error = %bucket, "cannot reach the photo bucket");
                ApiError::Unavailable
            }
            PhotoError::Storage(storage) => storage.into(),
        }
    }
}
