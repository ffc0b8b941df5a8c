//! `GET /api/v1/village/workers`: whom a director may pair with a child of her village
//! (结对): its love mothers and volunteers, by phone, name and role; a supervisor names a
//! village of her township (`?village=`). Written to the audit log before it is sent.

use axum::extract::{Query, State};
use axum::Json;
use tongxing_core::wire::{ErrorBody, VillageQuery, VillageWorker};

use super::township::audit;
use super::Pairer;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;
use crate::store::audit::LIST_VILLAGE_WORKERS;
use crate::store::workers::pairable;

/// `200` with the love mothers and volunteers of the director's village (or of the village
/// a supervisor names), by name.
#[utoipa::path(
    get,
    path = "/api/v1/village/workers",
    tag = "records",
    summary = "The love mothers and volunteers a director or a supervisor may pair with a child",
    description = "The phones of the director's village (a supervisor: of the village of her township she names) joined as a love mother or a volunteer and not revoked: each by its device id (a pairing's `worker_id`), the worker's name as she joined and her role. No phone number, nothing of another village. Written to the audit log (`list_village_workers`).",
    params(VillageQuery),
    responses(
        (status = 200, description = "The village's love mothers and volunteers, by name", body = Vec<VillageWorker>),
        (status = 400, description = "`bad_query`: an unknown parameter, a supervisor naming no village, or a director naming another village than hers", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is not a director's or a supervisor's", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_village_workers", skip_all)]
pub async fn list_village_workers(
    State(state): State<AppState>,
    Pairer(pairer): Pairer,
    query: Result<Query<VillageQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<VillageWorker>>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::BadQuery)?;
    let place = query.place_for(&pairer).ok_or(ApiError::BadQuery)?;
    let workers = pairable::pairable_workers(&state.pool, &place).await?;
    let subject = format!("{} love mothers and volunteers of {}", workers.len(), place.village);
    audit(&state, &pairer, LIST_VILLAGE_WORKERS, &subject, None).await?;
    Ok(Json(workers))
}
