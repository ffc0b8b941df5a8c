//! `PUT /api/v1/pairings/{id}`: a pairing (结对) of a love mother or a volunteer with a
//! child of the village, set or ended by the village's director (or by the township's
//! supervisor, for the child's village), stored like any record.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sqlx::AnyPool;
use tongxing_core::pairing::Pairing;
use tongxing_core::wire::{ErrorBody, PutReply};
use tongxing_core::{FieldError, FieldErrors, Worker};
use uuid::Uuid;

use super::records::store_and_reply;
use super::{Pairer, RecordId};
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BodyTimeout, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::reads;
use crate::store::workers::pairable;

/// `201` for a new pairing, `200` for a newer revision, the same or an older one, or a
/// conflict, as for a visit.
#[utoipa::path(
    put,
    path = "/api/v1/pairings/{id}",
    tag = "records",
    summary = "Pair a love mother or a volunteer with a child, or end the pairing",
    description = "Sent by the village's director, or by the township's supervisor for a child whose file is of her township (the pairing is then kept as of the child's village, and checked against its love mothers and volunteers). The paired worker's phone then receives the child's file and visits (`GET /api/v1/changes`); a revision with `active: false` ends the pairing, and her phone drops the child.",
    params(("id" = Uuid, Path, description = "The pairing's id, made on the phone; equal to the body's `id`")),
    request_body(content = Pairing, content_type = "application/json"),
    responses(
        (status = 201, description = "The pairing is new, and now committed and synced to disk", body = PutReply),
        (status = 200, description = "`updated`, `unchanged` or `conflict`, as for a visit", body = PutReply),
        (status = 400, description = "`bad_id`: the id in the path is not a UUID; `malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is not a director's or a supervisor's; `out_of_scope`: the pairing, or its child's file, is held for another village (for a supervisor: the server holds no file of the child in her township)", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `id` (`mismatch`), `revision` (`out_of_range`), `worker_id` (`not_a_choice`) when no love mother's or volunteer's phone of the village, not revoked, has that id, or a field of the wrong type (`wrong_type`) or unknown (`unexpected`); `too_many_conflicts` as for a visit", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "put_pairing", skip_all)]
pub async fn put_pairing(
    State(state): State<AppState>,
    Pairer(pairer): Pairer,
    RecordId(id): RecordId,
    JsonBody(pairing): JsonBody<Pairing>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    let sender = acting_for(&state.pool, pairer, pairing.child_id).await?;
    check_pairing(&state.pool, &sender, id, &pairing).await?;
    store_and_reply(&state.writes, id, pairing, sender).await
}

/// Whom a record about the child `child` (a pairing, a case plan) is stored as sent by: a
/// village's worker as herself; a supervisor with the place of the child's file, which must
/// be of her township, so that the record belongs to the child's village and reaches its
/// phones (the history names her device all the same).
pub async fn acting_for(pool: &AnyPool, sender: Worker, child: Uuid) -> Result<Worker, ApiError> {
    if !sender.role.reads_township() {
        return Ok(sender);
    }
    match reads::child_place(pool, child).await? {
        Some(place) if sender.place.may_read(&place) => Ok(Worker { place, ..sender }),
        _ => Err(ApiError::OutOfScope),
    }
}

/// Checks a pairing sent by `sender` as `id` (its `PUT`, and the same record in an
/// unsent-records file): only a director (or a supervisor acting for the child's village)
/// pairs, and only a love mother or a volunteer of that village, not revoked.
pub async fn check_pairing(pool: &AnyPool, sender: &Worker, id: Uuid, pairing: &Pairing) -> Result<(), ApiError> {
    if !sender.role.pairs_workers() {
        return Err(ApiError::Forbidden);
    }
    pairing.validate_for(id).map_err(ApiError::Invalid)?;
    if !pairable::pairable(pool, pairing.worker_id, &sender.place).await? {
        let mut errors = FieldErrors::new();
        errors.add("worker_id", FieldError::NotAChoice);
        return Err(ApiError::Invalid(errors));
    }
    Ok(())
}
