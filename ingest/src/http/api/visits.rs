//! `PUT /api/v1/visits/{id}`: one visit, sent by the phone that made its id; `GET`: one
//! visit whole, for a phone that receives it (its summary came in the changes feed).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tongxing_core::form::FormCatalog;
use tongxing_core::wire::{ErrorBody, PutReply};
use tongxing_core::Visit;

use super::records::{latest_acceptable_date, store_and_reply};
use super::township::{audit, refused_read};
use super::{RecordId, Sender};
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BodyTimeout, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::audit::READ_VISIT;
use crate::store::reads;
use tongxing_core::read_scope::ReadScope;

/// `201` for a new visit, `200` for a newer revision (stored), the same or an older one
/// (nothing changes), or the same revision with other content (kept aside as a conflict);
/// `4xx` for a visit that can never be stored as sent: `422` when it fails its own form
/// version's checks (that version of the built-in catalog; an unknown version is
/// `form_version: unknown_form`).
#[utoipa::path(
    put,
    path = "/api/v1/visits/{id}",
    tag = "records",
    summary = "Send one visit",
    description = "One visit, checked against the form version it answered (the server's built-in forms). Its photos must reach the server first (`PUT /api/v1/photos/{sha256}`).",
    params(("id" = Uuid, Path, description = "The visit's id, made on the phone; equal to the body's `id`")),
    request_body(content = Visit, content_type = "application/json"),
    responses(
        (status = 201, description = "The visit is new, and now committed and synced to disk", body = PutReply),
        (status = 200, description = "`status` says which: `updated`: a newer revision, stored (the older ones kept in history), or another phone's edit made from an older revision than the one held, merged with it field by field against the revision both were made from and stored as the next revision (`revision` is that one); `unchanged`: the same or an older revision is held already, nothing changes (`revision` is the held one); `conflict`: an edit made from an older revision that changed a field the held one changed too (or the same revision with other content, when the one it was made from is not held): the held one stays current and this one is kept aside for a person to reconcile", body = PutReply),
        (status = 400, description = "`bad_id`: the id in the path is not a UUID; `malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is a supervisor's (supervisors do not send records); `out_of_scope`: the visit, or its child's file, is held for another village", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 409, description = "`missing_photos`: the visit (new, newer or a conflict) names photos the server does not hold whole; `missing` lists exactly those. Nothing is stored: send them, then the visit again", body = ErrorBody),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong, by the visit's own field (`id`, `child_id`, `form_version`, `revision`, …) or an answer's field id alone (`visit_date`, not `answers.visit_date`): `required`, `wrong_type`, `not_a_choice`, `unexpected`, `too_long`, `too_short`, `too_few`, `too_many`, `too_many_photos`, `in_future`, `too_old`, `too_late`, `not_a_whole_number`, `bad_phone`, `bad_id_number`, `mismatch` (`id`), `out_of_range`, `unknown_form` (`form_version`), `reason_needed` (`risk_colour_reason`); a body that is not an object under `body`; `out_of_range` under `revision` also when it is more than 1000 above the revision held (for a new record, above 1000), so that no send can freeze the record; `too_many_conflicts`: the revision held already has 20 differing bodies kept aside as conflicts, so this one is refused and nothing is stored (the phone keeps it for the worker)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "put_visit", skip_all)]
pub async fn put_visit(
    State(state): State<AppState>,
    Sender(sender): Sender,
    RecordId(id): RecordId,
    JsonBody(visit): JsonBody<Visit>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    visit.validate_for(id, FormCatalog::builtin(), latest_acceptable_date()).map_err(ApiError::Invalid)?;
    store_and_reply(&state.writes, id, visit, sender).await
}

/// `200` with the visit as it now stands, for a phone whose worker receives it.
#[utoipa::path(
    get,
    path = "/api/v1/visits/{id}",
    tag = "records",
    summary = "Read one visit whole",
    description = "The full answers of a visit whose summary the phone received (`GET /api/v1/changes`): a visit of the director's village, or of a child paired with the love mother or volunteer. Every read is written to the audit log first.",
    params(("id" = Uuid, Path, description = "The visit's id")),
    responses(
        (status = 200, description = "The visit, its latest revision", body = Visit),
        (status = 400, description = "`bad_id`: the id in the path is not a UUID", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is a supervisor's (she reads a child's whole file instead)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such visit, or one this phone does not receive (the same answer, so that a phone learns nothing of other villages' records)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "read_visit", skip_all)]
pub async fn read_visit(
    State(state): State<AppState>,
    Sender(worker): Sender,
    RecordId(id): RecordId,
) -> Result<Json<Visit>, ApiError> {
    let Some(visit) = reads::visit_for_phone(&state.pool, &ReadScope::of(&worker), id).await? else {
        return Err(refused_read(&state, &worker, id, None).await);
    };
    audit(&state, &worker, READ_VISIT, &id.to_string(), Some(visit.child_id)).await?;
    Ok(Json(visit))
}
