//! `PUT /api/v1/visits/{id}`: one visit, sent by the phone that made its id.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use tongxing_core::form::FormCatalog;
use tongxing_core::wire::PutReply;
use tongxing_core::Visit;

use super::records::{latest_acceptable_date, store_and_reply};
use super::{RecordId, Sender};
use crate::error::ApiError;
use crate::json_body::JsonBody;
use crate::AppState;

/// `201` for a new visit, `200` for a newer revision (stored), the same or an older one
/// (nothing changes), or the same revision with other content (kept aside as a conflict);
/// `4xx` for a visit that can never be stored as sent: `422` when it fails its own form
/// version's checks (that version of the built-in catalog; an unknown version is
/// `form_version: unknown_form`).
#[tracing::instrument(name = "put_visit", skip_all, fields(visit_id = %id))]
pub async fn put_visit(
    State(state): State<AppState>,
    Sender(sender): Sender,
    RecordId(id): RecordId,
    JsonBody(visit): JsonBody<Visit>,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    visit
        .validate_for(id, FormCatalog::builtin(), latest_acceptable_date())
        .map_err(ApiError::Invalid)?;
    store_and_reply(&state.writes, id, visit, sender).await
}
