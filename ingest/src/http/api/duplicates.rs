//! `GET /api/v1/duplicates`: the files of the supervisor's township that may be of one
//! child (一童一档), written to the audit log before they are sent.

use axum::extract::State;
use axum::Json;
use tongxing_core::wire::PossibleDuplicate;

use super::township::audit;
use super::Supervisor;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, NotASupervisor, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;
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
