//! The OpenAPI 3.1 description of the API under `/api/v1`, generated from the handlers'
//! `#[utoipa::path]` attributes and core's wire types (feature `openapi`). The server serves
//! it at `GET /api/v1/openapi.json`, and it is checked in as `ingest/openapi.json`:
//!
//! ```sh
//! cargo run -p tongxing-ingest -- openapi > ingest/openapi.json
//! ```
//!
//! A new route needs `#[utoipa::path(...)]` on its handler and the handler in `paths(...)`
//! below; the tests then insist on it being in `ingest/openapi.json` and in the README.

pub mod responses;
pub(crate) mod schemas;
#[cfg(test)]
mod tests;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::http::error::ApiError;

/// The name of the security scheme of a device token.
pub const DEVICE_TOKEN: &str = "device_token";

/// The command that writes the checked-in document.
pub const REGENERATE: &str = "cargo run -p tongxing-ingest -- openapi > ingest/openapi.json";

/// The API's OpenAPI document: `ApiDoc::openapi()`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tongxing API", version = env!("CARGO_PKG_VERSION"), description = include_str!("openapi/description.md")),
    servers((url = "/", description = "The server that serves this document (paths start with /api/v1)")),
    paths(
        crate::http::api::health::health,
        openapi_json,
        crate::http::api::enrolment::invite_info,
        crate::http::api::enrolment::enroll,
        crate::http::api::enrolment::make_invite,
        crate::http::api::phones::list_invites,
        crate::http::api::phones::revoke_invite,
        crate::http::api::phones::list_devices,
        crate::http::api::phones::revoke_device,
        crate::http::api::phones::rotate_token,
        crate::http::api::county::county,
        crate::http::api::county_reads::read_county_today,
        crate::http::api::county_reads::read_county_statistics,
        crate::http::api::county_reads::download_county_statistics,
        crate::http::api::county_reads::read_audit_log,
        crate::http::api::recovery::deposit_recovery_key,
        crate::http::api::recovery::issue_recovery,
        crate::http::api::recovery::claim_recovery,
        crate::http::api::visits::put_visit,
        crate::http::api::visits::read_visit,
        crate::http::api::children::put_child,
        crate::http::api::photos::put_photo,
        crate::http::api::photos::upload_status,
        crate::http::api::pairings::put_pairing,
        crate::http::api::case_plans::put_case_plan,
        crate::http::api::unsent_files::post_unsent_file,
        crate::http::api::trainings::record_training,
        crate::http::api::trainings::list_trainings,
        crate::http::api::trainings::my_certification,
        crate::http::api::village_workers::list_village_workers,
        crate::http::api::changes::read_changes,
        crate::http::api::duplicates::list_duplicates,
        crate::http::api::duplicates::merge_children,
        crate::http::api::download_links::make_download_link,
        crate::http::api::download_links::download_by_link,
        crate::http::api::today::read_today,
        crate::http::api::reconcile::list_to_reconcile,
        crate::http::api::reconcile::reconcile_child,
        crate::http::api::township::list_children,
        crate::http::api::township::read_child,
        crate::http::api::township::list_visits,
        crate::http::api::exports::export_records,
        crate::http::api::exports::child_archive,
    ),
    components(
        schemas(tongxing_core::wire::ErrorBody),
        responses(
            responses::Unauthorized,
            responses::RateLimited,
            responses::PhotoLimited,
            responses::ExportLimited,
            responses::Unavailable,
            responses::Internal,
            responses::BodyTimeout,
            responses::JsonTooLarge,
            responses::NotJson,
            responses::MethodNotAllowed,
            responses::NotASupervisor,
            responses::NotAnInviter,
            responses::NotTheCounty,
            responses::BadId,
            responses::BadListQuery,
            responses::InvalidListQuery,
        ),
    ),
    modifiers(&DeviceToken),
    tags(
        (name = "service", description = "Whether the server answers, and this document"),
        (name = "joining", description = "Invite links and enrolling a phone, which gives it its device token; a supervisor's invites and phones"),
        (name = "recovery", description = "A forgotten PIN: a phone's data key kept sealed on the server, a recovery its supervisor issues, and the locked phone's claim"),
        (name = "records", description = "Visits and children's files, sent by the phone that made their ids; each kept once, every revision kept"),
        (name = "photos", description = "Photos, addressed by the SHA-256 of their bytes, sent whole or in pieces; a visit is stored only once the server holds its photos"),
        (name = "township", description = "A township supervisor's reads of her township, each written to the audit log"),
        (name = "exports", description = "A township supervisor's downloads of her township's records, each written to the audit log"),
        (name = "county", description = "The county administrator's console: every township's figures, the statistics and the audit log, each read written to the audit log"),
    ),
)]
pub struct ApiDoc;

/// Adds the scheme of `Authorization: Bearer <device token>`.
struct DeviceToken;

impl Modify for DeviceToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The device token that `POST /api/v1/enroll` gave the phone (shown once; the server keeps only its hash).",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(DEVICE_TOKEN, SecurityScheme::Http(scheme));
    }
}

/// The document as `ingest/openapi.json` holds it: pretty-printed, keys in a stable order,
/// with a final newline.
pub fn document_json() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|json| json + "\n")
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "service",
    summary = "This OpenAPI document",
    description = "The OpenAPI 3.1 description of the API, as checked in as `ingest/openapi.json`.",
    responses(
        (status = 200, description = "The document", body = Object, content_type = "application/json"),
        (status = 429, response = responses::RateLimited),
        (status = 500, response = responses::Internal),
        (status = 503, response = responses::Unavailable),
    ),
)]
pub async fn openapi_json() -> Result<Response, ApiError> {
    let json = document_json().map_err(|error| {
        tracing::error!(%error, "the OpenAPI document cannot be written");
        ApiError::Internal
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}
