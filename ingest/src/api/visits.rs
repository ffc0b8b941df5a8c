//! `PUT /api/v1/visits/{id}`: one visit, sent by the phone that made its id.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{Days, NaiveDate, Utc};
use tongxing_core::wire::{PutReply, PutStatus};
use tongxing_core::Visit;
use tracing::Instrument;

use super::RecordId;
use crate::error::ApiError;
use crate::json_body::JsonBody;
use crate::{visit_store, AppState};

/// `201` for a new visit, `200` for a newer revision (stored) or the same or an older one
/// (nothing changes); `4xx` for a visit that can never be stored as sent.
#[tracing::instrument(name = "put_visit", skip_all, fields(visit_id = %id))]
pub async fn put_visit(
    State(state): State<AppState>,
    RecordId(id): RecordId,
    JsonBody(visit): JsonBody<Visit>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    visit.validate_for(id, latest_acceptable_date()).map_err(ApiError::Invalid)?;

    // Stored on a task of its own, so that a phone that hangs up half way does not cut a
    // write short: the store finishes, and the phone's next try gets `unchanged`.
    let pool = state.pool.clone();
    let store = async move { visit_store::store_visit(&pool, &visit, Utc::now()).await };
    let stored = tokio::spawn(store.in_current_span()).await.map_err(|e| {
        tracing::error!(error = %e, "the store task failed");
        ApiError::Internal
    })??;

    tracing::info!(status = ?stored.status, revision = stored.revision, "visit received");
    let http_status = match stored.status {
        PutStatus::Created => StatusCode::CREATED,
        PutStatus::Updated | PutStatus::Unchanged => StatusCode::OK,
    };
    Ok((http_status, Json(PutReply { id, status: stored.status, revision: stored.revision })))
}

/// The server's date plus a day: a visit dated "today" on a phone in any time zone (UTC+14
/// at most) passes, and one dated later does not.
fn latest_acceptable_date() -> NaiveDate {
    let today = Utc::now().date_naive();
    today.checked_add_days(Days::new(1)).unwrap_or(today)
}
