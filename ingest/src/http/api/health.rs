//! `GET /api/v1/health`: whether the server can answer, its database included.

use std::time::Duration;

use axum::extract::State;
use axum::Json;
use tongxing_core::wire::Health;

use crate::http::error::ApiError;
use crate::http::AppState;
use crate::store::db;

/// How long the database may take to answer before the server counts as unhealthy.
const DATABASE_DEADLINE: Duration = Duration::from_secs(3);

/// `200 {"status":"ok","version":…}` when the database answers, else `503 unavailable`.
#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "service",
    summary = "Whether the server and its database answer",
    responses(
        (status = 200, description = "The server and its database answer; `version` is the server's", body = Health),
        (status = 429, response = crate::http::openapi::responses::RateLimited),
        (status = 503, response = crate::http::openapi::responses::Unavailable),
    ),
)]
#[tracing::instrument(name = "health", skip_all)]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    match tokio::time::timeout(DATABASE_DEADLINE, db::ping(&state.pool)).await {
        Ok(Ok(())) => Ok(Json(Health { status: "ok".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() })),
        Ok(Err(error)) => {
            tracing::error!(%error, "the database failed the health check");
            Err(ApiError::Unavailable)
        }
        Err(_elapsed) => {
            tracing::warn!("the database did not answer the health check in time");
            Err(ApiError::Unavailable)
        }
    }
}
