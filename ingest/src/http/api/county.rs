//! `GET /api/v1/county`: what the county decides for its phones (core's `CountyPolicy`): the
//! public half of its key, which every phone keeps so that, if it is never online again, it
//! can write its unsent records into a file only this server opens (`tongxing-ingest
//! import`); how long sent visits' answers stay on a phone; and what a PIN must be. One
//! server is one county: these are its `serve` settings.

use axum::extract::State;
use axum::Json;
use tongxing_core::wire::CountyPolicy;

use super::Caller;
use crate::http::openapi::responses::{Internal, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;

/// `200` with the county's policy.
#[utoipa::path(
    get,
    path = "/api/v1/county",
    tag = "joining",
    summary = "What the county decides for its phones",
    description = "The county's public key for a phone's unsent-records file (an X25519 key: HPKE, RFC 9180, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; a phone that will never be online again writes every record it has not delivered, with its photos, into one file sealed to it, which `tongxing-ingest import` takes as if the phone had sent each record), the days a sent visit's answers stay on a phone, and whether a PIN must be a passphrase (a phone whose PIN is weaker asks its worker for a new one at once). Any enrolled phone may read it; phones ask again once a day.",
    responses(
        (status = 200, description = "The county's policy", body = CountyPolicy),
        (status = 401, response = Unauthorized),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "county", skip_all)]
pub async fn county(State(state): State<AppState>, Caller(_): Caller) -> Json<CountyPolicy> {
    Json(state.county.clone())
}
