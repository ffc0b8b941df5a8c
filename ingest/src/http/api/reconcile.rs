//! The supervisor's "to reconcile" list (`GET /api/v1/conflicts`) and her pick of one
//! version (`POST /api/v1/conflicts/{id}`), each written to the audit log.

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use tongxing_core::wire::{ErrorBody, PutReply, Reconcile, ToReconcile};
use tongxing_core::{FieldError, FieldErrors};

use super::township::audit;
use super::Supervisor;
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    Internal, JsonTooLarge, NotASupervisor, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::audit::LIST_TO_RECONCILE;
use crate::store::reads;
use crate::store::reconcile::{reconcile, ReconcileError};

/// `200` with the edits of her township's children's files kept aside, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/conflicts",
    tag = "township",
    summary = "Children's files edited on two phones, to reconcile",
    description = "Each child's file of the supervisor's township where two phones changed the same field to different values: the file as it stands and the edit kept aside, side by side, who sent each, and the fields in which they differ; the oldest first, at most 200.",
    responses(
        (status = 200, description = "The edits to reconcile", body = Vec<ToReconcile>),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_to_reconcile", skip_all)]
pub async fn list_to_reconcile(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
) -> Result<Json<Vec<ToReconcile>>, ApiError> {
    let list = reads::to_reconcile(&state.pool, &supervisor.place.township).await?;
    audit(&state, &supervisor, LIST_TO_RECONCILE, &format!("{} edits", list.len()), None).await?;
    Ok(Json(list))
}

/// `200` with the file's new revision once the version she keeps is stored.
#[utoipa::path(
    post,
    path = "/api/v1/conflicts/{id}",
    tag = "township",
    summary = "Keep one version of a child's file edited on two phones",
    description = "The version kept (the file as it stands, or the edit kept aside) becomes the file's next revision, which every phone of the child then receives; the edit leaves the list.",
    params(("id" = i64, Path, description = "The edit's `id` in the list")),
    request_body(content = Reconcile, content_type = "application/json"),
    responses(
        (status = 200, description = "Stored: `revision` is the file's new one", body = PutReply),
        (status = 400, description = "`bad_id`: the id in the path is not a whole number; `malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 404, description = "`not_found`: no such edit to reconcile in her township, or it was reconciled already", body = ErrorBody),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `held_revision` (`mismatch`): the file changed since the list was read; read it again", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "reconcile_child", skip_all)]
pub async fn reconcile_child(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    Path(id): Path<String>,
    JsonBody(pick): JsonBody<Reconcile>,
) -> Result<Json<PutReply>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::BadId)?;
    match reconcile(&state.pool, &supervisor, id, &pick, Utc::now()).await {
        Ok((child, arrival)) => Ok(Json(PutReply { id: child, status: arrival.status, revision: arrival.revision })),
        Err(ReconcileError::NotFound) => Err(ApiError::NotFound),
        Err(ReconcileError::Stale(_)) => {
            let mut fields = FieldErrors::new();
            fields.add("held_revision", FieldError::Mismatch);
            Err(ApiError::Invalid(fields))
        }
        Err(ReconcileError::Store(error)) => Err(error.into()),
    }
}
