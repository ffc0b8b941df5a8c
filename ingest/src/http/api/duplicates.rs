//! `GET /api/v1/duplicates`: the files of the supervisor's township that may be of one
//! child (一童一档), written to the audit log before they are sent; and
//! `POST /api/v1/duplicates/merge`: she merges two of them into one.

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use tongxing_core::wire::{ErrorBody, MergeChildren, MergedChildren, PossibleDuplicate};

use super::township::audit;
use super::Supervisor;
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    Internal, JsonTooLarge, NotASupervisor, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::child_merge::{merge, MergeError};
use crate::store::reads;

/// `200` with the pairs of files that may be of one child, the newest found first.
#[utoipa::path(
    get,
    path = "/api/v1/duplicates",
    tag = "township",
    summary = "Files of the township that may be of one child",
    description = "Pairs of children's files of the supervisor's township with the same ID number, or without one the same name, birth date and village, noted as files are stored. Each file is named by its id, the child's name, village and birth date, and who registered it; nothing else of it.",
    responses(
        (status = 200, description = "The pairs, the newest found first", body = Vec<PossibleDuplicate>),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_duplicates", skip_all)]
pub async fn list_duplicates(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
) -> Result<Json<Vec<PossibleDuplicate>>, ApiError> {
    audit(&state, &supervisor, "list_duplicates", "possible duplicates", None).await?;
    Ok(Json(reads::possible_duplicates(&state.pool, &supervisor.place.township).await?))
}

/// `200` with what moved once the merge is committed.
#[utoipa::path(
    post,
    path = "/api/v1/duplicates/merge",
    tag = "township",
    summary = "Merge two files of one child into one",
    description = "The file `keep` stays as it is; every visit and pairing of the file `merge` becomes a new revision under it, and the file `merge` leaves every list and export (its history stays). Every phone that held the merged file receives the merge in its changes (`merges`) and drops it; an edit of it sent later is kept aside beside the kept file, to reconcile, and a visit of it is stored under the kept file. Written to the audit log (`merge_children`).",
    request_body(content = MergeChildren, content_type = "application/json"),
    responses(
        (status = 200, description = "Merged: the kept file and how many visits and pairings moved to it", body = MergedChildren),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 404, description = "`not_found`: either file is not held in her township, or was merged already", body = ErrorBody),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `merge` (`mismatch`): a file cannot be merged into itself", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "merge_children", skip_all)]
pub async fn merge_children(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    JsonBody(pick): JsonBody<MergeChildren>,
) -> Result<Json<MergedChildren>, ApiError> {
    pick.validate().map_err(ApiError::Invalid)?;
    match merge(&state.pool, &supervisor, &pick, Utc::now()).await {
        Ok(merged) => Ok(Json(merged)),
        Err(MergeError::NotFound) => Err(ApiError::NotFound),
        Err(MergeError::Store(error)) => Err(error.into()),
    }
}
