//! `PUT /api/v1/children/{id}`: one child's file, sent by the phone that made its id, under
//! the same rules as a visit.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tongxing_core::child::Child;
use tongxing_core::wire::PutReply;

use super::records::{latest_acceptable_date, store_and_reply};
use super::{RecordId, Sender};
use crate::error::ApiError;
use crate::json_body::JsonBody;
use crate::AppState;

/// `201` for a new file, `200` for a newer revision (stored), the same or an older one
/// (nothing changes), or the same revision with other content (kept aside as a conflict);
/// `4xx` for a file that can never be stored as sent.
#[tracing::instrument(name = "put_child", skip_all, fields(child_id = %id))]
pub async fn put_child(
    State(state): State<AppState>,
    Sender(sender): Sender,
    RecordId(id): RecordId,
    JsonBody(child): JsonBody<Child>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    child
        .validate_for(id, latest_acceptable_date())
        .map_err(ApiError::Invalid)?;
    store_and_reply(&state.writes, id, child, sender).await
}
