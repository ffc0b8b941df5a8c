//! One-time download links (`POST /api/v1/download-links`, `GET /api/v1/downloads/{code}`):
//! inside a browser that does not save downloads (WeChat's), the supervisor's app asks for a
//! link to the export or the child's file she wants; she copies it into the phone's own
//! browser, where it fetches the file once, within ten minutes, without her token. The file
//! is made and audited as her own `GET` would be, when the link is used; a phone revoked
//! since, or a link used or expired, gets `410 link_gone`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use tongxing_core::export::ExportQuery;
use tongxing_core::wire::{DownloadLink, DownloadTarget, ErrorBody, API_PREFIX};

use super::caller::Overseer;
use super::county_reads::statistics_file;
use super::exports::{archive_file, export_file};
use super::township::audit;
use crate::http::download_links::LinkRefused;
use crate::http::error::ApiError;
use crate::http::json_body::JsonBody;
use crate::http::openapi::responses::{
    ExportLimited, Internal, JsonTooLarge, NotJson, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::audit::{FORBIDDEN, MAKE_DOWNLOAD_LINK};
use crate::store::reads;
use crate::store::workers::devices::{self, Standing};

/// `201` with the link's path and when it stops working.
#[utoipa::path(
    post,
    path = "/api/v1/download-links",
    tag = "exports",
    summary = "A one-time link to an export or a child's whole file",
    description = "For a browser that does not save downloads (WeChat's): a link that fetches the same file as `GET /api/v1/exports/{what}` or `GET /api/v1/children/{id}/archive` (a supervisor's), or `GET /api/v1/county/statistics.xlsx` (the county's) would, once, within 10 minutes, without a token, made and audited as hers when used. The code is in the link only; the server keeps its hash, in memory. At most 5 unused links a supervisor (then `429 export_under_way`).",
    request_body(content = DownloadTarget, content_type = "application/json"),
    responses(
        (status = 201, description = "The link: its path below the server's address, and until when it works", body = DownloadLink),
        (status = 400, description = "`malformed_json`: the body is not JSON, or is cut short; `bad_query`: the export's query cannot be read", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is neither a supervisor's nor the county's, or the file is not of its role (a township's records are a supervisor's, the statistics the county's)", body = ErrorBody),
        (status = 404, description = "`not_found`: no such child's file in her township, or a kind that is not exported", body = ErrorBody),
        (status = 413, response = JsonTooLarge),
        (status = 415, response = NotJson),
        (status = 429, response = ExportLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "make_download_link", skip_all)]
pub async fn make_download_link(
    State(state): State<AppState>,
    Overseer(supervisor): Overseer,
    JsonBody(target): JsonBody<DownloadTarget>,
) -> Result<(StatusCode, Json<DownloadLink>), ApiError> {
    // A supervisor's files are her township's, the county's its statistics.
    let hers = match &target {
        DownloadTarget::Export { .. } | DownloadTarget::Archive { .. } => supervisor.role.reads_township(),
        DownloadTarget::CountyStatistics {} => supervisor.role.reads_county(),
    };
    if !hers {
        audit(&state, &supervisor, FORBIDDEN, "POST /api/v1/download-links", None).await?;
        return Err(ApiError::Forbidden);
    }
    // Checked now, so that a link made works when used.
    let subject = match &target {
        DownloadTarget::CountyStatistics {} => "county statistics as xlsx".to_owned(),
        DownloadTarget::Export { kind, query } => {
            if !kind.is_exported() {
                return Err(ApiError::NotFound);
            }
            let query = export_query(query)?;
            format!("{} as {}", kind.collection(), query.format.code())
        }
        DownloadTarget::Archive { child } => {
            let place = reads::child_place(&state.pool, *child).await?;
            if !place.is_some_and(|place| supervisor.place.may_read(&place)) {
                return Err(ApiError::NotFound);
            }
            format!("child {child}")
        }
    };
    let (code, expires_at) =
        state.download_links.make(&supervisor, target, Utc::now()).map_err(|refused| match refused {
            LinkRefused::TooMany => ApiError::ExportUnderWay,
            LinkRefused::NoRandomness(error) => {
                tracing::error!(%error, "no randomness for a download link");
                ApiError::Internal
            }
        })?;
    audit(&state, &supervisor, MAKE_DOWNLOAD_LINK, &subject, None).await?;
    Ok((StatusCode::CREATED, Json(DownloadLink { path: format!("{API_PREFIX}/downloads/{code}"), expires_at })))
}

/// `200` with the file of a one-time link, which then stops working.
#[utoipa::path(
    get,
    path = "/api/v1/downloads/{code}",
    tag = "exports",
    summary = "The file of a one-time download link",
    description = "Fetches, once, the file a supervisor's link names (`POST /api/v1/download-links`), as her own `GET` would, and audited as hers. A link used already, expired, unknown, or made by a phone revoked since is `410 link_gone`.",
    params(("code" = String, Path, description = "The link's code")),
    responses(
        (status = 200, description = "The file", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv; charset=utf-8"), ("application/json"), ("application/zip"))),
        (status = 410, description = "`link_gone`: no such link, or it was used, expired, or its phone revoked", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
)]
#[tracing::instrument(name = "download_by_link", skip_all)]
pub async fn download_by_link(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, ApiError> {
    let link = state.download_links.take(&code, Utc::now()).ok_or(ApiError::LinkGone)?;
    let mut conn = state.pool.acquire().await.map_err(crate::store::db::StorageError::from)?;
    if devices::standing(&mut conn, link.by.id, None).await? != Standing::Active {
        return Err(ApiError::LinkGone);
    }
    drop(conn);
    match link.target {
        DownloadTarget::Export { kind, query } => export_file(&state, &link.by, kind, export_query(&query)?).await,
        DownloadTarget::Archive { child } => archive_file(&state, &link.by, child).await,
        DownloadTarget::CountyStatistics {} => statistics_file(&state, &link.by).await,
    }
}

/// An export's query string, read as `GET /exports/{what}` reads it.
fn export_query(query: &str) -> Result<ExportQuery, ApiError> {
    DownloadTarget::export_query(query).ok_or(ApiError::BadQuery)
}
