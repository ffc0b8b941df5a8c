//! `PUT /api/v1/children/{id}`: one child's file, sent by the phone that made its id, under
//! the same rules as a visit.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tongxing_core::child::Child;
use tongxing_core::wire::{ErrorBody, PutReply};

use super::records::{latest_acceptable_date, store_and_reply};
use super::{RecordId, Sender};
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BodyTimeout, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;

/// `201` for a new file, `200` for a newer revision (stored), the same or an older one
/// (nothing changes), or the same revision with other content (kept aside as a conflict);
/// `4xx` for a file that can never be stored as sent.
#[utoipa::path(
    put,
    path = "/api/v1/children/{id}",
    tag = "records",
    summary = "Send one child's file",
    description = "One child's file (一童一档), under exactly the rules of a visit.",
    params(("id" = Uuid, Path, description = "The file's id, made on the phone; equal to the body's `id`")),
    request_body(content = Child, content_type = "application/json"),
    responses(
        (status = 201, description = "The file is new, and now committed and synced to disk", body = PutReply),
        (status = 200, description = "`status` says which: `updated`: a newer revision, stored (the older ones kept in history), or another phone's edit made from an older revision than the one held, merged with it field by field against the revision both were made from and stored as the next revision (`revision` is that one); `unchanged`: the same or an older revision is held already, nothing changes (`revision` is the held one); `conflict`: an edit made from an older revision that changed a field the held one changed too (or the same revision with other content, when the one it was made from is not held): the held one stays current and this one is kept aside for a person to reconcile", body = PutReply),
        (status = 400, description = "`bad_id`: the id in the path is not a UUID; `malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is a supervisor's (supervisors do not send records); `out_of_scope`: the file is held for another village", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong, by the field (`guardians[1].name` for a guardian's): `required`, `wrong_type`, `unexpected`, `too_long`, `too_few` (`categories`), `in_future`, `too_old` (`birth_date`), `bad_id_number` (`id_number`), `bad_phone`, `mismatch` (`id`), `out_of_range` (`revision`); a body that is not an object under `body`; `out_of_range` under `revision` also when it is more than 1000 above the revision held (for a new record, above 1000), so that no send can freeze the record; `too_many_conflicts`: the revision held already has 20 differing bodies kept aside as conflicts, so this one is refused and nothing is stored (the phone keeps it for the worker)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "put_child", skip_all)]
pub async fn put_child(
    State(state): State<AppState>,
    Sender(sender): Sender,
    RecordId(id): RecordId,
    JsonBody(child): JsonBody<Child>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    child.validate_for(id, latest_acceptable_date()).map_err(ApiError::Invalid)?;
    store_and_reply(&state.writes, id, child, sender).await
}
