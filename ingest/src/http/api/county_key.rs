//! `GET /api/v1/county-key`: the public half of the county's key, which every phone keeps so
//! that, if it is never online again, it can write its unsent records into a file only this
//! county's server opens (`tongxing-ingest import`; core's `unsent_file`).

use axum::extract::State;
use axum::Json;
use tongxing_core::wire::CountyKeyReply;

use super::Caller;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;

/// `200` with the county's public key.
#[utoipa::path(
    get,
    path = "/api/v1/county-key",
    tag = "records",
    summary = "The county's public key for a phone's unsent-records file",
    description = "An X25519 public key (HPKE, RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM). A phone that will never be online again writes every record it has not delivered, with its photos, into one file sealed to this key, which `tongxing-ingest import` takes as if the phone had sent each record. Any enrolled phone may read it.",
    responses(
        (status = 200, description = "The county's public key", body = CountyKeyReply),
        (status = 401, response = Unauthorized),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "county_key", skip_all)]
pub async fn county_key(State(state): State<AppState>, Caller(_): Caller) -> Result<Json<CountyKeyReply>, ApiError> {
    Ok(Json(CountyKeyReply { key: state.county_key.clone() }))
}
