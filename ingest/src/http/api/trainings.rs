//! Training and certification (培训考核): `POST /api/v1/devices/{id}/trainings`, the county
//! recording a course a worker took and whether she passed its assessment; `GET` the same,
//! her trainings, for the county or her township's supervisor. Whether she is certified is
//! in every list of phones (`certification`, core's [`tongxing_core::training::Certification`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use tongxing_core::training::{Certification, Training, TrainingRecord};
use tongxing_core::wire::ErrorBody;
use uuid::Uuid;

use super::caller::{County, Inviter};
use super::records::latest_acceptable_date;
use super::Caller;
use super::RecordId;
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BadId, Internal, JsonTooLarge, NotAnInviter, NotJson, NotTheCounty, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::audit::LIST_TRAININGS;
use crate::store::db::StorageError;
use crate::store::workers::devices;
use crate::store::workers::revocation::Standing;
use crate::store::workers::trainings;

/// `201` with the training kept.
#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/trainings",
    tag = "county",
    summary = "Record a worker's training and assessment",
    description = "The county records a course the worker of the phone `id` took, its day, and whether she passed its assessment (培训考核). A worker is certified once she has passed one; every list of phones says so (`certification`). Audited (`record_training`).",
    params(("id" = Uuid, Path, description = "The phone's device id")),
    request_body(content = Training, content_type = "application/json"),
    responses(
        (status = 201, description = "Kept", body = TrainingRecord),
        (status = 400, response = BadId),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotTheCounty),
        (status = 404, description = "`not_found`: no phone has this id", body = ErrorBody),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `course` (`required`, `too_long`), `date` (`in_future`), or a field of the wrong type (`wrong_type`) or unknown (`unexpected`)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "record_training", skip_all)]
pub async fn record_training(
    State(state): State<AppState>,
    County(county): County,
    RecordId(id): RecordId,
    JsonBody(training): JsonBody<Training>,
) -> Result<(StatusCode, Json<TrainingRecord>), ApiError> {
    training.validate(latest_acceptable_date()).map_err(ApiError::Invalid)?;
    require_known_phone(&state, id, None).await?;
    let kept = trainings::record(&state.pool, id, &training, &county, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(kept)))
}

/// `200` with whether the calling worker is certified.
#[utoipa::path(
    get,
    path = "/api/v1/devices/me/certification",
    tag = "joining",
    summary = "Whether this phone's worker is certified",
    description = "Whether the worker of the calling phone has passed a training's assessment (培训考核), and since when, as the county recorded it: her phone shows it in its settings.",
    responses(
        (status = 200, description = "`{\"state\": \"certified\", \"since\": \"2026-04-02\"}` or `{\"state\": \"not_certified\"}`", body = Certification),
        (status = 401, response = Unauthorized),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "my_certification", skip_all)]
pub async fn my_certification(
    State(state): State<AppState>,
    Caller(me): Caller,
) -> Result<Json<Certification>, ApiError> {
    let trainings = trainings::of_device(&state.pool, me.id).await?;
    Ok(Json(Certification::of(trainings.iter().map(|record| &record.training))))
}

/// `200` with her trainings, the latest first.
#[utoipa::path(
    get,
    path = "/api/v1/devices/{id}/trainings",
    tag = "county",
    summary = "A worker's trainings",
    description = "The courses the worker of the phone `id` took and whether she passed each, the latest first: for the county, or for the supervisor of the phone's township (another township's phone is `404`, as an unknown one). Audited (`list_trainings`).",
    params(("id" = Uuid, Path, description = "The phone's device id")),
    responses(
        (status = 200, description = "Her trainings", body = Vec<TrainingRecord>),
        (status = 400, response = BadId),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotAnInviter),
        (status = 404, description = "`not_found`: no phone of hers has this id", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_trainings", skip_all)]
pub async fn list_trainings(
    State(state): State<AppState>,
    inviter: Inviter,
    RecordId(id): RecordId,
) -> Result<Json<Vec<TrainingRecord>>, ApiError> {
    require_known_phone(&state, id, inviter.township()).await?;
    let listed = trainings::of_device(&state.pool, id).await?;
    super::township::audit(&state, &inviter.0, LIST_TRAININGS, &format!("device {id}"), None).await?;
    Ok(Json(listed))
}

/// `404` unless the phone `id` is known (of `township` only, when given), revoked or not.
async fn require_known_phone(state: &AppState, id: Uuid, township: Option<&str>) -> Result<(), ApiError> {
    let mut conn = state.pool.acquire().await.map_err(StorageError::from)?;
    match devices::standing(&mut conn, id, township).await? {
        Standing::Unknown => Err(ApiError::NotFound),
        _ => Ok(()),
    }
}
