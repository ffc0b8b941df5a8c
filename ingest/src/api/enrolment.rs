//! Joining: what an invite link offers (`GET /api/v1/invites/{code}`), enrolling a phone
//! with it (`POST /api/v1/enroll`), and a supervisor inviting a worker of her township
//! (`POST /api/v1/invites`).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tongxing_core::worker::{
    EnrollReply, EnrollRequest, InviteInfo, InviteReply, InviteRequest, Place,
};

use super::caller::Supervisor;
use crate::error::ApiError;
use crate::json_body::JsonBody;
use crate::workers::invites::{self, MakeInviteError, NewInvite};
use crate::workers::{self, EnrollError};
use crate::AppState;

/// `200` with who invites, to which place and role; `404 invite_not_found`, `410
/// invite_expired` or `invite_used_up`.
#[tracing::instrument(name = "invite_info", skip_all)]
pub async fn invite_info(
    State(state): State<AppState>,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<InviteInfo>, ApiError> {
    // A code that is not even text (`%ff` in the address) is no invite's code.
    let Path(code) = code.map_err(|_| ApiError::InviteNotFound)?;
    Ok(Json(
        invites::look_up(&state.pool, &code, Utc::now()).await?,
    ))
}

/// `201` with the device token (shown this once) and the worker; `422` for a bad name or
/// phone; the invite's `404`/`410` otherwise.
#[tracing::instrument(name = "enroll", skip_all)]
pub async fn enroll(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<EnrollRequest>,
) -> Result<(StatusCode, Json<EnrollReply>), ApiError> {
    match workers::enroll(&state.pool, &request, Utc::now()).await {
        Ok(reply) => Ok((StatusCode::CREATED, Json(reply))),
        Err(EnrollError::Invalid(fields)) => Err(ApiError::Invalid(fields)),
        Err(EnrollError::Invite(invite)) => Err(invite.into()),
        Err(EnrollError::NoRandomness(error)) => Err(error.into()),
    }
}

/// `201` with the code of a new invite for a village of the supervisor's township (not for
/// another supervisor); `403 forbidden` for a supervisor invite, `422` for a bad village,
/// time or count.
#[tracing::instrument(name = "make_invite", skip_all)]
pub async fn make_invite(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    JsonBody(request): JsonBody<InviteRequest>,
) -> Result<(StatusCode, Json<InviteReply>), ApiError> {
    if !request.role.sends_records() {
        return Err(ApiError::Forbidden);
    }
    let invite = NewInvite {
        role: request.role,
        place: Place {
            township: supervisor.place.township.clone(),
            village: request.village,
        },
        invited_by: supervisor.name.clone(),
        made_by: Some(supervisor.id),
        valid_for: TimeDelta::days(i64::from(request.valid_days)),
        max_uses: request.uses,
    };
    let made = invites::make(&state.pool, &invite, Utc::now())
        .await
        .map_err(|error| match error {
            MakeInviteError::Invalid(fields) => ApiError::Invalid(fields),
            MakeInviteError::NoRandomness(error) => error.into(),
            MakeInviteError::Storage(storage) => storage.into(),
        })?;
    tracing::info!(by = %supervisor.id, role = %invite.role, village = %invite.place.village, "invite made");
    let link = state
        .app_url
        .as_ref()
        .map(|app| invites::link(app, &made.code, None).to_string());
    Ok((
        StatusCode::CREATED,
        Json(InviteReply {
            code: made.code,
            link,
            expires_at: made.expires_at,
        }),
    ))
}
