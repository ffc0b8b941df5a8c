//! Joining: what an invite link offers (`GET /api/v1/invites/{code}`), enrolling a phone
//! with it (`POST /api/v1/enroll`), and a supervisor inviting a worker of her township
//! (`POST /api/v1/invites`).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tongxing_core::wire::ErrorBody;
use tongxing_core::worker::{
    EnrollReply, EnrollRequest, InviteInfo, InviteReply, InviteRequest, Place,
};

use super::caller::Supervisor;
use crate::error::ApiError;
use crate::openapi::responses::{BodyTimeout, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable};
use crate::json_body::JsonBody;
use crate::workers::invites::{self, MakeInviteError, NewInvite};
use crate::workers::{self, EnrollError};
use crate::AppState;

/// `200` with who invites, to which place and role; `404 invite_not_found`, `410
/// invite_expired` or `invite_used_up`.
#[utoipa::path(
    get,
    path = "/api/v1/invites/{code}",
    tag = "joining",
    summary = "What an invite link offers: who invites, to which place and role",
    params(("code" = String, Path, description = "The invite code, the `code=` of the invite link")),
    responses(
        (status = 200, description = "The invite works", body = InviteInfo),
        (status = 404, description = "`invite_not_found`: no invite has this code", body = ErrorBody),
        (status = 410, description = "`invite_expired`: the invite has expired; `invite_used_up`: as many phones joined with it as it allows", body = ErrorBody),
        (status = 500, response = Internal),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    ),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/enroll",
    tag = "joining",
    summary = "Enrol a phone with an invite code; gives its device token",
    request_body(content = EnrollRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Enrolled: `token` (shown this once) goes as `Authorization: Bearer <token>` with every later call", body = EnrollReply),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 404, description = "`invite_not_found`: no invite has this code", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 410, description = "`invite_expired`: the invite has expired; `invite_used_up`: as many phones joined with it as it allows", body = ErrorBody),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `code`, `name` (`required`, `too_long`), `phone` (`required`, `bad_phone`), or a field of the wrong type (`wrong_type`) or unknown (`unexpected`)", body = ErrorBody),
        (status = 500, response = Internal),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    ),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/invites",
    tag = "joining",
    summary = "Invite a worker for a village of the supervisor's township",
    request_body(content = InviteRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The invite: `code` (shown this once) and, when the server knows the app's address (`--app-url`), the `link` to share", body = InviteReply),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is not a supervisor's, or the invite is for a supervisor", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `village` (`required`, `too_long`), `valid_days` or `uses` (`out_of_range`), or a field of the wrong type (`wrong_type`) or unknown (`unexpected`)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
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
