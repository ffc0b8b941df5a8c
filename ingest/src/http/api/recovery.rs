//! A forgotten PIN (SECURITY.md, "A forgotten PIN"): a phone leaves its data key with the
//! server (`PUT /api/v1/devices/me/recovery-key`), a supervisor issues a recovery for a phone
//! of her township (`POST /api/v1/devices/{id}/recovery`), and the locked phone, which has no
//! token to send, claims its key with the code (`POST /api/v1/recovery`). Answers carrying a
//! key or a code are `Cache-Control: no-store`, as every API answer is.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use tongxing_core::wire::{ErrorBody, RecoveredKey, RecoveryClaim, RecoveryIssued, RecoveryKeyDeposit};

use super::{Caller, RecordId, Supervisor};
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    BadId, BodyTimeout, Internal, JsonTooLarge, NotASupervisor, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::recovery::{self, ClaimError, DepositError, IssueError, SealedKeyError};

/// `204` once the phone's data key is kept (or was, the same); `422` when another phone
/// holds a key for this vault.
#[utoipa::path(
    put,
    path = "/api/v1/devices/me/recovery-key",
    tag = "recovery",
    summary = "Leave this phone's data key with the server, for a recovery if the PIN is forgotten",
    description = "The server keeps the key sealed (AES-256-GCM) under a key of its own that is not in its database, bound to this device and vault; it gives it back only to a claim with a code that the phone's supervisor issued (`POST /api/v1/recovery`). Sending the same key of the same vault again changes nothing; another vault or key replaces the one held. Any role may send it.",
    request_body(content = RecoveryKeyDeposit, content_type = "application/json"),
    responses(
        (status = 204, description = "The key is kept (or was already)"),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `key` (`wrong_type`, not 64 hex digits), `vault_id` (`wrong_type`, not a UUID), a field missing (`required`) or unknown (`unexpected`)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "deposit_recovery_key", skip_all)]
pub async fn deposit_recovery_key(
    State(state): State<AppState>,
    Caller(worker): Caller,
    JsonBody(deposit): JsonBody<RecoveryKeyDeposit>,
) -> Result<StatusCode, ApiError> {
    match recovery::deposit(&state.pool, &state.recovery_key, &worker, &deposit, Utc::now()).await {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        // Revoked between the check of its token and now.
        Err(DepositError::Revoked) => Err(ApiError::Revoked),
        Err(DepositError::Sealed(error)) => Err(unsealed(&error)),
        Err(DepositError::Storage(storage)) => Err(storage.into()),
    }
}

/// `201` with a new recovery code for a phone of the supervisor's township, in place of any
/// open one; `404` for an unknown phone and, the same, another township's; `409` when the
/// phone left no key (or was revoked).
#[utoipa::path(
    post,
    path = "/api/v1/devices/{id}/recovery",
    tag = "recovery",
    summary = "Issue a recovery for a phone of the supervisor's township whose worker forgot her PIN",
    description = "The answer carries the code, shown this once: the supervisor tells it to the worker, who types it on her locked phone. The server keeps only its hash, bound to this phone. It is good once, for 24 hours and for 5 wrong codes; issuing again replaces it. Written to the audit log (`issue_recovery`), without the code. No body.",
    params(("id" = Uuid, Path, description = "The device's id, as `GET /api/v1/devices` lists it (where `recoverable` says whether a recovery can be issued)")),
    responses(
        (status = 201, description = "The recovery: `code` (eight digits, shown this once) and `expires_at`", body = RecoveryIssued),
        (status = 400, response = BadId),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 404, description = "`not_found`: no phone of the supervisor's township has this id (another township's answers the same)", body = ErrorBody),
        (status = 409, description = "`no_recovery_key`: the phone never left its data key, or was revoked (which forgets it), or the server's recovery key file no longer opens it", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "issue_recovery", skip_all)]
pub async fn issue_recovery(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    RecordId(id): RecordId,
) -> Result<(StatusCode, Json<RecoveryIssued>), ApiError> {
    match recovery::issue(&state.pool, &state.recovery_key, id, &supervisor, Utc::now()).await {
        Ok(issued) => Ok((StatusCode::CREATED, Json(issued))),
        Err(IssueError::Unknown) => Err(ApiError::NotFound),
        // Not `401 revoked`, which would tell the supervisor's own phone that it is out.
        Err(IssueError::Revoked | IssueError::NoKey) => Err(ApiError::NoRecoveryKey),
        Err(IssueError::NoRandomness(error)) => Err(error.into()),
        Err(IssueError::Storage(storage)) => Err(storage.into()),
    }
}

/// `200` with the data key of the vault when the code is that of its phone's open recovery;
/// `403 recovery_refused` for anything else, whatever it is.
#[utoipa::path(
    post,
    path = "/api/v1/recovery",
    tag = "recovery",
    summary = "A locked phone claims its data key back with the code its supervisor issued",
    description = "No device token: the phone is locked. The vault's id finds the phone that left its key; the code must be that of the phone's open recovery. The key is given back once; a wrong code uses one of the recovery's 5 tries, and the fifth voids it. Every refusal answers the same, whatever its reason. A call without a valid token, so counted against its client address's share (`--stranger-rate-per-second`, `--stranger-rate-burst`). Written to the audit log (`recover_key`, `recovery_refused`).",
    request_body(content = RecoveryClaim, content_type = "application/json"),
    responses(
        (status = 200, description = "The data key of the vault, 64 hex digits; the recovery is used", body = RecoveredKey),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short", body = ErrorBody),
        (status = 403, description = "`recovery_refused`: no phone holds this vault, no recovery is open for it (none issued, expired, used, tried too often, or the phone was revoked), or the code is wrong", body = ErrorBody),
        (status = 408, response = BodyTimeout),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `code` (`wrong_type`, not eight digits), `vault_id` (`wrong_type`, not a UUID), a field missing (`required`) or unknown (`unexpected`)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
)]
#[tracing::instrument(name = "claim_recovery", skip_all)]
pub async fn claim_recovery(
    State(state): State<AppState>,
    JsonBody(claim): JsonBody<RecoveryClaim>,
) -> Result<Json<RecoveredKey>, ApiError> {
    match recovery::claim(&state.pool, &state.recovery_key, &claim, Utc::now()).await {
        Ok(key) => Ok(Json(RecoveredKey { key })),
        Err(ClaimError::Refused) => Err(ApiError::RecoveryRefused),
        Err(ClaimError::Unopened(error)) => Err(unsealed(&error)),
        Err(ClaimError::Storage(storage)) => Err(storage.into()),
    }
}

/// A key that could not be sealed or opened: the server's fault (no random bytes, or a
/// recovery key file replaced), logged where it happened.
fn unsealed(error: &SealedKeyError) -> ApiError {
    tracing::error!(%error, "a data key left for a recovery cannot be sealed or opened");
    ApiError::Internal
}
