//! `PUT /api/v1/case-plans/{id}`: a case plan (帮扶计划, 一人一策一案) drafted or changed on
//! a village worker's phone, or changed and approved by the township's supervisor, stored
//! like any record. Only a supervisor sets an approval (core's
//! [`CasePlan::approval_allowed`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sqlx::AnyPool;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::wire::{ErrorBody, PutReply};
use tongxing_core::{FieldError, FieldErrors, Worker};
use uuid::Uuid;

use super::pairings::acting_for;
use super::records::store_and_reply;
use super::{Caller, RecordId};
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BodyTimeout, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::reads;

/// `201` for a new plan, `200` for a newer revision, the same or an older one, or a conflict,
/// as for a visit.
#[utoipa::path(
    put,
    path = "/api/v1/case-plans/{id}",
    tag = "records",
    summary = "Send a case plan, or a follow-up of a mandatory report",
    description = "Sent by a worker of the child's village (drafted on her phone, offline first), or by the township's supervisor for a child whose file is of her township (the plan is then kept as of the child's village). A plan names the needs found, its actions (each with who does it, by when, and where it stands: `planned`, `applied`, `granted`, `refused`, `done`), a review date, and once closed, why. A follow-up of a mandatory report names the visit (`report_visit_id`), keeps the four fixed first steps and closes with an outcome. Only a supervisor sets `approved_at`; anyone else sends the approval held, or none. Every phone of the village then receives the plan (`GET /api/v1/changes`).",
    params(("id" = Uuid, Path, description = "The plan's id, made on the phone; equal to the body's `id`")),
    request_body(content = CasePlan, content_type = "application/json"),
    responses(
        (status = 201, description = "The plan is new, and now committed and synced to disk", body = PutReply),
        (status = 200, description = "`updated`, `unchanged` or `conflict`, as for a visit", body = PutReply),
        (status = 400, description = "`bad_id`: the id in the path is not a UUID; `malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`out_of_scope`: the plan, or its child's file, is held for another village (for a supervisor: the server holds no file of the child in her township)", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `id` (`mismatch`), `revision` (`out_of_range`), `child_id` (`required`), `needs` (`required` for a case plan, `not_a_choice`, `unexpected` when one is named twice), `needs_note` (`too_long`), `actions` (`too_many`; `required` when a report's fixed step is missing), `actions.N.kind` (`not_a_choice`), `actions.N.id` (`unexpected`, for two actions of one id), `actions.N.note` (`required` for `other`, `too_long`), `actions.N.by_whom` (`too_long`), `closed.reason` (`not_a_choice`), `closed.note` (`required` for `other`, `too_long`), `approved_at` (`unexpected`, for an approval not set by a supervisor), or a field of the wrong type (`wrong_type`) or unknown (`unexpected`); `too_many_conflicts` as for a visit", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "put_case_plan", skip_all)]
pub async fn put_case_plan(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RecordId(id): RecordId,
    JsonBody(plan): JsonBody<CasePlan>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    let sender = acting_for(&state.pool, caller, plan.child_id).await?;
    check_case_plan(&state.pool, &sender, id, &plan).await?;
    store_and_reply(&state.writes, id, plan, sender).await
}

/// Checks a plan sent by `sender` as `id` (its `PUT`, and the same record in an
/// unsent-records file): a worker of the village or its supervisor, a plan that passes core's
/// checks, and an approval only from a supervisor.
pub async fn check_case_plan(pool: &AnyPool, sender: &Worker, id: Uuid, plan: &CasePlan) -> Result<(), ApiError> {
    if !sender.role.sends_records() && !sender.role.approves_plans() {
        return Err(ApiError::Forbidden);
    }
    plan.validate_for(id).map_err(ApiError::Invalid)?;
    let held = reads::held_case_plan(pool, id).await?;
    if !plan.approval_allowed(held.as_ref(), sender.role) {
        let mut errors = FieldErrors::new();
        errors.add("approved_at", FieldError::Unexpected);
        return Err(ApiError::Invalid(errors));
    }
    Ok(())
}
