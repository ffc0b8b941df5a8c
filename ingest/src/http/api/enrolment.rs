//! Joining: what an invite link offers (`GET /api/v1/invites/{code}`), enrolling a phone
//! with it (`POST /api/v1/enroll`), and a supervisor inviting a worker of her township
//! (`POST /api/v1/invites`).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{TimeDelta, Utc};
use tongxing_core::wire::ErrorBody;
use tongxing_core::wire::{EnrollReply, EnrollRequest, InviteInfo, InviteReply, InviteRequest};
use tongxing_core::worker::Place;

use axum::http::HeaderMap;

use super::bearer_token::bearer_token;
use super::caller::Inviter;
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BodyTimeout, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::audit::{self, Reader};
use crate::store::workers::invites::{self, MakeInviteError, NewInvite};
use crate::store::workers::{self, AuthError, EnrollError};

/// `200` with who invites, to which place and role; `404 invite_not_found`, `410
/// invite_expired`, `invite_used_up` or `invite_revoked`.
#[utoipa::path(
    get,
    path = "/api/v1/invites/{code}",
    tag = "joining",
    summary = "What an invite link offers: who invites, to which place and role",
    params(("code" = String, Path, description = "The invite code, the `code=` of the invite link")),
    responses(
        (status = 200, description = "The invite works", body = InviteInfo),
        (status = 404, description = "`invite_not_found`: no invite has this code", body = ErrorBody),
        (status = 410, description = "`invite_expired`: the invite has expired; `invite_used_up`: as many phones joined with it as it allows; `invite_revoked`: the invite was revoked, or the phone that made it was", body = ErrorBody),
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
    Ok(Json(invites::look_up(&state.pool, &code, Utc::now()).await?))
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
        (status = 403, description = "`forbidden`: the request carries a supervisor's device token (a supervisor's phone does not join as another worker)", body = ErrorBody),
        (status = 404, description = "`invite_not_found`: no invite has this code", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 409, description = "`own_invite`: the invite was made by a supervisor's phone and the name is that supervisor's: she cannot join as a worker with her own invite", body = ErrorBody),
        (status = 410, description = "`invite_expired`: the invite has expired; `invite_used_up`: as many phones joined with it as it allows; `invite_revoked`: the invite was revoked, or the phone that made it was", body = ErrorBody),
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
    headers: HeaderMap,
    JsonBody(request): JsonBody<EnrollRequest>,
) -> Result<(StatusCode, Json<EnrollReply>), ApiError> {
    refuse_supervisor_token(&state, &headers).await?;
    match workers::enroll(&state.pool, &request, Utc::now()).await {
        Ok(reply) => Ok((StatusCode::CREATED, Json(reply))),
        Err(EnrollError::Invalid(fields)) => Err(ApiError::Invalid(fields)),
        Err(EnrollError::OwnInvite) => Err(ApiError::OwnInvite),
        Err(EnrollError::Invite(invite)) => Err(invite.into()),
        Err(EnrollError::NoRandomness(error)) => Err(error.into()),
    }
}

/// A supervisor's phone does not join as another worker: a request to enrol that carries a
/// supervisor's (working) device token is refused with `403 forbidden`. Any other token, or
/// none, is no matter: joining needs only the invite.
async fn refuse_supervisor_token(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = bearer_token(headers) else {
        return Ok(());
    };
    match state.known_tokens.authenticate(&state.pool, token, Utc::now()).await {
        Ok(worker) if worker.role.oversees() => {
            tracing::warn!(device = %worker.id, role = %worker.role, "an overseer's phone tried to enrol");
            let reader = Reader { device: Some(worker.id), name: &worker.name };
            audit::record(&state.pool, &reader, audit::FORBIDDEN, "POST /api/v1/enroll", None, Utc::now()).await?;
            Err(ApiError::Forbidden)
        }
        Ok(_) | Err(AuthError::Unknown | AuthError::Revoked(_)) => Ok(()),
        Err(AuthError::Storage(storage)) => Err(storage.into()),
    }
}

/// `201` with the code of a new invite: a supervisor's for a village of her township (not
/// for another supervisor), the county's for any role of any township it names (`403
/// forbidden` for a role the inviter may not invite, [`Role::may_invite`]); `422` for a
/// bad township (or one named by a supervisor), village, time or count.
#[utoipa::path(
    post,
    path = "/api/v1/invites",
    tag = "joining",
    summary = "Invite a worker: a supervisor for a village of her township, the county any role of any township",
    request_body(content = InviteRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The invite: `code` (shown this once) and, when the server knows the app's address (`--app-url`), the `link` to share", body = InviteReply),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is not a supervisor's or the county's, or the inviter may not invite that role (a supervisor invites directors, love mothers and volunteers)", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `township` or `village` (`required`, `too_long`; a supervisor naming a township: `unexpected`), `valid_days` or `uses` (`out_of_range`), or a field of the wrong type (`wrong_type`) or unknown (`unexpected`)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "make_invite", skip_all)]
pub async fn make_invite(
    State(state): State<AppState>,
    inviter: Inviter,
    JsonBody(request): JsonBody<InviteRequest>,
) -> Result<(StatusCode, Json<InviteReply>), ApiError> {
    if !inviter.0.role.may_invite(request.role) {
        return Err(ApiError::Forbidden);
    }
    let township = match inviter.township() {
        // A supervisor's invites are for her own township: she names none.
        Some(_) if !request.township.trim().is_empty() => {
            let mut fields = tongxing_core::FieldErrors::new();
            fields.add("township", tongxing_core::FieldError::Unexpected);
            return Err(ApiError::Invalid(fields));
        }
        Some(hers) => hers.to_owned(),
        None => request.township,
    };
    let supervisor = inviter.0;
    let invite = NewInvite {
        role: request.role,
        place: Place { township, village: request.village }.of_role(request.role),
        invited_by: supervisor.name.clone(),
        made_by: Some(supervisor.id),
        valid_for: TimeDelta::days(i64::from(request.valid_days)),
        max_uses: request.uses,
    };
    let maker = Reader { device: Some(supervisor.id), name: &supervisor.name };
    let made = invites::make(&state.pool, &invite, &maker, Utc::now()).await.map_err(|error| match error {
        MakeInviteError::Invalid(fields) => ApiError::Invalid(fields),
        MakeInviteError::NoRandomness(error) => error.into(),
        MakeInviteError::Storage(storage) => storage.into(),
    })?;
    tracing::info!(by = %supervisor.id, role = %invite.role, village = %invite.place.village, "invite made");
    let link = state.app_url.as_ref().map(|app| invites::link(app, &made.code, None).to_string());
    Ok((StatusCode::CREATED, Json(InviteReply { code: made.code, link, expires_at: made.expires_at })))
}
