//! Who is calling: the worker whose device token came as `Authorization: Bearer <token>`,
//! checked before anything else of the request is read, and counted against the device's
//! rate limit.

use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::request::Parts;
use chrono::Utc;
use tongxing_core::{Role, Worker};

use super::bearer_token::bearer_token;
use super::door::TokenCheck;
use crate::http::error::ApiError;
use crate::http::AppState;
use crate::store::audit::{self, Reader};
use crate::store::workers::AuthError;

/// Any enrolled worker whose device is not revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller(pub Worker);

/// A worker whose role sends visits and children's files (not a supervisor, not the county).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender(pub Worker);

/// A worker whose role reads her township's data (a supervisor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervisor(pub Worker);

/// The county administrator: reads every township of the county and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County(pub Worker);

/// A worker whose role reads from the server rather than sends (a supervisor, the county).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overseer(pub Worker);

/// A worker whose role invites others (a supervisor for her township, the county anyone)
/// and lists and revokes their phones and invites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inviter(pub Worker);

impl Inviter {
    /// The township whose phones and invites she manages: her own, or every one (`None`)
    /// for the county.
    pub fn township(&self) -> Option<&str> {
        self.0.role.has_township().then_some(self.0.place.township.as_str())
    }
}

/// A worker whose role pairs love mothers and volunteers with children (结对): a director
/// in her village, a supervisor in her township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairer(pub Worker);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        // The door has checked the token already; a router without it checks here.
        let worker = match parts.extensions.get::<TokenCheck>() {
            Some(TokenCheck::Valid(worker)) => worker.clone(),
            Some(TokenCheck::Unknown) => return Err(ApiError::Unauthorized),
            Some(TokenCheck::Revoked(revoked_as)) => return Err(ApiError::revoked(*revoked_as)),
            None => {
                state.known_tokens.authenticate(&state.pool, token, Utc::now()).await.map_err(|error| match error {
                    AuthError::Unknown => ApiError::Unauthorized,
                    AuthError::Revoked(revoked_as) => ApiError::revoked(revoked_as),
                    AuthError::Storage(storage) => storage.into(),
                })?
            }
        };
        state.rate_limits.check(worker.id).map_err(|retry_after_secs| {
            tracing::info!(device = %worker.id, retry_after_secs, "rate limited");
            ApiError::RateLimited { retry_after_secs }
        })?;
        Ok(Caller(worker))
    }
}

impl FromRequestParts<AppState> for Sender {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Sender, ApiError> {
        let Caller(worker) = Caller::from_request_parts(parts, state).await?;
        if worker.role.sends_records() {
            Ok(Sender(worker))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Supervisor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Supervisor, ApiError> {
        caller_whose_role(parts, state, Role::reads_township).await.map(Supervisor)
    }
}

impl FromRequestParts<AppState> for County {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<County, ApiError> {
        caller_whose_role(parts, state, Role::reads_county).await.map(County)
    }
}

impl FromRequestParts<AppState> for Overseer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Overseer, ApiError> {
        caller_whose_role(parts, state, Role::oversees).await.map(Overseer)
    }
}

impl FromRequestParts<AppState> for Inviter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Inviter, ApiError> {
        caller_whose_role(parts, state, Role::invites).await.map(Inviter)
    }
}

impl FromRequestParts<AppState> for Pairer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Pairer, ApiError> {
        caller_whose_role(parts, state, Role::pairs_workers).await.map(Pairer)
    }
}

/// The caller, when her role `may` make this call; otherwise [`refuse`]d.
async fn caller_whose_role(parts: &mut Parts, state: &AppState, may: fn(Role) -> bool) -> Result<Worker, ApiError> {
    let Caller(worker) = Caller::from_request_parts(parts, state).await?;
    if may(worker.role) {
        return Ok(worker);
    }
    Err(refuse(parts, state, &worker).await)
}

/// A phone reaching for a route its role may not call is written down: the route (its
/// template, never the address with its ids) and the method. `403`, or the audit's failure.
async fn refuse(parts: &Parts, state: &AppState, worker: &Worker) -> ApiError {
    let route = parts.extensions.get::<MatchedPath>().map_or("(unknown route)", MatchedPath::as_str);
    let subject = format!("{} {route}", parts.method);
    let reader = Reader { device: Some(worker.id), name: &worker.name };
    match audit::record(&state.pool, &reader, audit::FORBIDDEN, &subject, None, Utc::now()).await {
        Ok(()) => ApiError::Forbidden,
        Err(error) => error.into(),
    }
}
