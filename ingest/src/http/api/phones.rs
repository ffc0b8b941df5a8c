//! A supervisor's care of her township's invites and phones (the county's, of every township): `GET /api/v1/invites` and
//! `DELETE /api/v1/invites/{id}`, `GET /api/v1/devices` and `DELETE /api/v1/devices/{id}`;
//! and any phone's `POST /api/v1/devices/me/rotate`, which renews its own token. An invite or
//! phone of another township answers exactly as one that does not exist. No answer carries
//! an invite code, a token or a phone number.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use tongxing_core::wire::ErrorBody;
use tongxing_core::wire::{InviteListing, PhoneListing, RevokedAs, TokenReply};

use super::caller::Inviter;
use super::{Caller, RecordId};
use crate::http::error::ApiError;
use crate::http::openapi::responses::{BadId, Internal, NotAnInviter, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;
use crate::store::audit::Reader;
use crate::store::workers::devices::{self, Revoked, RotateError};
use crate::store::workers::invites;

/// `200` with the invites of the supervisor's township, the newest first, without codes.
#[utoipa::path(
    get,
    path = "/api/v1/invites",
    tag = "joining",
    summary = "The invites of the supervisor's township (the county's: every invite), without their codes",
    responses(
        (status = 200, description = "Every invite of the township, the newest first: id, role, place, who made it and when, expiry, uses left and state", body = Vec<InviteListing>),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotAnInviter),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_invites", skip_all)]
pub async fn list_invites(
    State(state): State<AppState>,
    inviter: Inviter,
) -> Result<Json<Vec<InviteListing>>, ApiError> {
    Ok(Json(invites::list(&state.pool, inviter.township(), Utc::now()).await?))
}

/// `204` once the invite is revoked (or was already); `404` for an unknown invite and, the
/// same, for another township's.
#[utoipa::path(
    delete,
    path = "/api/v1/invites/{code}",
    tag = "joining",
    summary = "Revoke an invite of the supervisor's township (the county: any invite)",
    description = "The last segment is the invite's **id** (as `GET /api/v1/invites` lists it), not its code: the address shares its template with `GET /api/v1/invites/{code}`, and OpenAPI allows one name per segment.",
    params(("code" = Uuid, Path, description = "The invite's id, as `GET /api/v1/invites` lists it (not its code)")),
    responses(
        (status = 204, description = "The invite is revoked (or was already): its link answers `410 invite_revoked`"),
        (status = 400, response = BadId),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotAnInviter),
        (status = 404, description = "`not_found`: no invite of the supervisor's township has this id (another township's answers the same)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "revoke_invite", skip_all)]
pub async fn revoke_invite(
    State(state): State<AppState>,
    inviter: Inviter,
    RecordId(id): RecordId,
) -> Result<StatusCode, ApiError> {
    let by = Reader { device: Some(inviter.0.id), name: &inviter.0.name };
    let revoked = invites::revoke(&state.pool, id, inviter.township(), &by, Utc::now()).await?;
    no_content_unless_unknown(revoked)
}

/// `200` with the phones of the supervisor's township, revoked ones included.
#[utoipa::path(
    get,
    path = "/api/v1/devices",
    tag = "joining",
    summary = "The phones of the supervisor's township (the county's: every phone)",
    responses(
        (status = 200, description = "Every phone enrolled in the township, by village then name: id, worker's name, role, place, when enrolled, when last seen, whether revoked; no phone number, no token", body = Vec<PhoneListing>),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotAnInviter),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_devices", skip_all)]
pub async fn list_devices(
    State(state): State<AppState>,
    inviter: Inviter,
) -> Result<Json<Vec<PhoneListing>>, ApiError> {
    Ok(Json(devices::list_in_township(&state.pool, inviter.township()).await?))
}

/// `?as=`: how a phone is revoked; nothing else may be asked.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RevokeQuery {
    /// `left` (unless given): her worker left the job, and the phone keeps her unsent work
    /// and asks to join again (`401 revoked`); `lost`: lost or stolen, and the phone wipes
    /// Tongxing's data on it and sends nothing (`401 revoked_lost`).
    #[serde(rename = "as")]
    #[param(inline)]
    revoked_as: Option<RevokedAs>,
}

/// `204` once the phone is revoked (or was already, which keeps how); `400 bad_query` for a
/// query other than `as=left` or `as=lost`; `404` for an unknown phone and, the same, for
/// another township's. A supervisor may revoke her own phone, which is then out.
#[utoipa::path(
    delete,
    path = "/api/v1/devices/{id}",
    tag = "joining",
    summary = "Revoke a phone of the supervisor's township (the county: any phone), as left or as lost",
    description = "Its token answers `401 revoked` (`as=left`, the default: the phone keeps its unsent work and may join again) or `401 revoked_lost` (`as=lost`: lost or stolen, the phone wipes Tongxing's data on it) from then on, and the invites it made `410 invite_revoked`. A phone revoked already stays revoked as it was. A supervisor may revoke her own phone; it is then out like any other.",
    params(("id" = Uuid, Path, description = "The device's id, as `GET /api/v1/devices` lists it"), RevokeQuery),
    responses(
        (status = 204, description = "The phone is revoked (or was already)"),
        (status = 400, description = "`bad_id`: the id is not a UUID; `bad_query`: the query string is not `as=left` or `as=lost` (or nothing)", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotAnInviter),
        (status = 404, description = "`not_found`: no phone of the supervisor's township has this id (another township's answers the same)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "revoke_device", skip_all)]
pub async fn revoke_device(
    State(state): State<AppState>,
    inviter: Inviter,
    RecordId(id): RecordId,
    query: Result<Query<RevokeQuery>, QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::BadQuery)?;
    let revoked_as = query.revoked_as.unwrap_or_default();
    let by = Reader { device: Some(inviter.0.id), name: &inviter.0.name };
    let township = inviter.township();
    let revoked = devices::revoke(&state.pool, id, revoked_as, township, &by, Utc::now()).await?;
    no_content_unless_unknown(revoked)
}

/// `200` with a new device token for the calling phone; the token of the request stays
/// accepted until the new one is first used.
#[utoipa::path(
    post,
    path = "/api/v1/devices/me/rotate",
    tag = "joining",
    summary = "Renew this phone's device token",
    description = "The phone gets a new token (shown this once, kept on the server only hashed). The token of this request stays accepted until the phone first uses the new one, so that an answer lost on the way does not lock the phone out; then it answers `401`. Any older token answers `401` at once.",
    responses(
        (status = 200, description = "The new token, to send as `Authorization: Bearer <token>` from now on", body = TokenReply),
        (status = 401, response = Unauthorized),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "rotate_token", skip_all)]
pub async fn rotate_token(
    State(state): State<AppState>,
    Caller(worker): Caller,
    headers: HeaderMap,
) -> Result<Json<TokenReply>, ApiError> {
    // `Caller` has checked this very token.
    let presented = super::bearer_token::bearer_token(&headers).ok_or(ApiError::Unauthorized)?;
    match devices::rotate_token(&state.pool, &worker, presented, Utc::now()).await {
        Ok(Some(token)) => Ok(Json(TokenReply { token })),
        // Revoked between the check of its token and now.
        Ok(None) => Err(ApiError::Revoked),
        Err(RotateError::NoRandomness(error)) => Err(error.into()),
        Err(RotateError::Storage(storage)) => Err(storage.into()),
    }
}

fn no_content_unless_unknown(revoked: Revoked) -> Result<StatusCode, ApiError> {
    match revoked {
        Revoked::Now | Revoked::Already => Ok(StatusCode::NO_CONTENT),
        Revoked::Unknown => Err(ApiError::NotFound),
    }
}
