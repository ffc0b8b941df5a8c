//! A supervisor's exports of her township: `GET /api/v1/exports/{visits|children}` as
//! readable CSV or XLSX (Chinese columns) or JSON, with the list filter, and one child's
//! whole file as a zip, `GET /api/v1/children/{id}/archive`. Each is written to the audit
//! log before the data is sent.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use tokio_util::io::ReaderStream;
use tongxing_core::export::{archive_file_name, export_file_name, ExportFormat, ExportQuery};
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::wire::ErrorBody;
use tongxing_core::Worker;
use tongxing_core::{Lang, RecordKind};
use uuid::Uuid;

use super::township::{audit, refused_read};
use super::{RecordId, Supervisor};
use crate::export::child_archive::{self, ChildArchiveError};
use crate::export::{self, china_time, ExportError, ExportRequest};
use crate::http::error::ApiError;
use crate::http::exports_under_way::SentWithTurn;
use crate::http::openapi::responses::{BadId, ExportLimited, Internal, NotASupervisor, Unauthorized, Unavailable};
use crate::http::openapi::schemas::ExportedRecords;
use crate::http::AppState;
use crate::store::audit::EXPORT_CHILD_FILE;
use crate::store::reads::{self, Selection};

/// Today in Beijing, the day a download's name says.
fn beijing_today() -> NaiveDate {
    china_time(&Utc::now()).date_naive()
}

/// `?format=`: the file's format, one of those offered online.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the query; `ExportQuery` reads it
struct ExportFormatParam {
    /// The file's format (see [`online_formats`]).
    #[param(schema_with = online_formats)]
    format: Option<String>,
}

/// The formats a supervisor may ask for.
fn online_formats() -> utoipa::openapi::schema::Object {
    let codes = ExportFormat::ALL.into_iter().filter(|format| format.is_offered_online()).map(ExportFormat::code);
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes))
        .description(Some("The file's format (`xlsx` unless given): a readable Excel workbook, readable CSV for Excel (with a byte order mark), or JSON (the records as the app sends them)."))
        .build()
}

/// `200` with the township's visits or children as a file to download.
#[utoipa::path(
    get,
    path = "/api/v1/exports/{what}",
    tag = "exports",
    summary = "The township's visits or children as a file to download",
    description = "The newest revision of each record of the supervisor's township, filtered: readable XLSX or CSV (with a byte order mark) with Chinese column names, or JSON (the records as the app sends them).",
    params(("what" = inline(ExportedRecords), Path), ExportFormatParam, RecordFilter),
    responses(
        (status = 200, description = "The file", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv; charset=utf-8"), ("application/json")), headers(("Content-Disposition" = String, description = "`attachment`, with the file's name (`filename*`, UTF-8)"))),
        (status = 400, description = "`bad_query`: the query string cannot be read (an unknown parameter or format, a colour other than red, yellow, blue or green, a date not YYYY-MM-DD)", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 404, description = "`not_found`: `what` is neither `visits` nor `children`", body = ErrorBody),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `to` before `from` (`too_old`), `village` (`too_long`)", body = ErrorBody),
        (status = 429, response = ExportLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "export_records", skip_all, fields(what = %what))]
pub async fn export_records(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    Path(what): Path<String>,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let kind = RecordKind::exported_from_collection(&what).ok_or(ApiError::NotFound)?;
    let Query(query) = query.map_err(|_| ApiError::BadQuery)?;
    export_file(&state, &supervisor, kind, query).await
}

/// The file of an export of `kind` as `query` asks, for `supervisor`: checked, audited, then
/// written and streamed (also for a one-time download link she made).
pub(super) async fn export_file(
    state: &AppState,
    supervisor: &Worker,
    kind: RecordKind,
    query: ExportQuery,
) -> Result<Response, ApiError> {
    if !query.is_taken_online() {
        return Err(ApiError::BadQuery);
    }
    let turn = state.exports_under_way.begin(supervisor.id).ok_or(ApiError::ExportUnderWay)?;
    let mut problems = tongxing_core::FieldErrors::new();
    query.records.check(&mut problems);
    problems.into_result(()).map_err(ApiError::Invalid)?;
    let request = ExportRequest {
        selection: Selection::in_township(&supervisor.place.township, query.records.clone()),
        ..ExportRequest::new(kind, query.format)
    };
    audit(state, supervisor, request.audit_action(), &request.audit_subject(), None).await?;
    // Written to a temp file as the rows come (never whole in memory), then streamed from there.
    let out = std::io::BufWriter::new(tempfile::tempfile().map_err(|error| storage_io(&error))?);
    let (out, count) = export::export(&state.pool, &request, out).await.map_err(export_error)?;
    let mut file = out.into_inner().map_err(|error| storage_io(error.error()))?;
    std::io::Seek::rewind(&mut file).map_err(|error| storage_io(&error))?;
    tracing::info!(by = %supervisor.id, count, "exported");
    let name = export_file_name(&supervisor.place.township, kind, &query, beijing_today(), Lang::ZhCn);
    let body = Body::from_stream(ReaderStream::new(SentWithTurn::new(tokio::fs::File::from_std(file), turn)));
    Ok(download(query.format.content_type(), &name, body))
}

/// `200` with one child's whole file (details, visits, revisions, photos) as a zip; `404`
/// for an unknown child and, the same, for a child of another township.
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}/archive",
    tag = "exports",
    summary = "One child's whole file as a zip: details, visits, revisions and photos",
    params(("id" = Uuid, Path, description = "The child's id")),
    responses(
        (status = 200, description = "The zip", content(("application/zip")), headers(("Content-Disposition" = String, description = "`attachment`, with the file's name (`filename*`, UTF-8)"))),
        (status = 400, response = BadId),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 404, description = "`not_found`: the server holds no file of this child in the supervisor's township, as for `GET /api/v1/children/{id}` (a child of another township, or known only by visits, answers the same)", body = ErrorBody),
        (status = 429, response = ExportLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "child_archive", skip_all)]
pub async fn child_archive(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    RecordId(id): RecordId,
) -> Result<Response, ApiError> {
    archive_file(&state, &supervisor, id).await
}

/// One child's whole file as a zip, for `supervisor` (also for a one-time download link).
pub(super) async fn archive_file(state: &AppState, supervisor: &Worker, id: Uuid) -> Result<Response, ApiError> {
    let turn = state.exports_under_way.begin(supervisor.id).ok_or(ApiError::ExportUnderWay)?;
    let place = reads::child_place(&state.pool, id).await?;
    if !place.is_some_and(|place| supervisor.place.may_read(&place)) {
        return Err(refused_read(state, supervisor, id, Some(id)).await);
    }
    audit(state, supervisor, EXPORT_CHILD_FILE, &id.to_string(), Some(id)).await?;
    // Written to a temp file (photos make it large), then streamed from there.
    let file = tempfile::tempfile().map_err(|error| storage_io(&error))?;
    let (mut file, archive) =
        child_archive::child_archive(&state.pool, &state.photos, id, file).await.map_err(|error| match error {
            ChildArchiveError::UnknownChild(_) => ApiError::NotFound,
            ChildArchiveError::Storage(storage) => storage.into(),
            ChildArchiveError::Write(io) | ChildArchiveError::Photo { source: io, .. } => storage_io(&io),
            other => {
                tracing::error!(error = %other, "cannot write a child's file");
                ApiError::Internal
            }
        })?;
    std::io::Seek::rewind(&mut file).map_err(|error| storage_io(&error))?;
    tracing::info!(by = %supervisor.id, visits = archive.visits, photos = archive.photos, "child's file exported");
    let body = Body::from_stream(ReaderStream::new(SentWithTurn::new(tokio::fs::File::from_std(file), turn)));
    let name = archive_file_name(&supervisor.place.township, id, beijing_today(), Lang::ZhCn);
    Ok(download("application/zip", &name, body))
}

/// A response that browsers save as `file_name`.
pub(super) fn download(content_type: &'static str, file_name: &str, body: Body) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // RFC 6266 with RFC 8187 for the Chinese in a child's name; a plain name for old clients.
    let encoded: String =
        url::form_urlencoded::byte_serialize(file_name.as_bytes()).collect::<String>().replace('+', "%20");
    let disposition =
        format!("attachment; filename=\"tongxing-export.{}\"; filename*=UTF-8''{encoded}", extension(file_name));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn extension(file_name: &str) -> &str {
    file_name.rsplit_once('.').map_or("bin", |(_, extension)| extension)
}

pub(super) fn export_error(error: ExportError) -> ApiError {
    match error {
        ExportError::Storage(storage) => storage.into(),
        ExportError::Selection(_) => ApiError::BadQuery,
        ExportError::NotExported(_) => ApiError::NotFound,
        ExportError::Write(io) => storage_io(&io),
        other => {
            tracing::error!(error = %other, "cannot write an export");
            ApiError::Internal
        }
    }
}

/// A temp file that cannot be written: a full disk is `503`, anything else a `500`.
fn storage_io(error: &std::io::Error) -> ApiError {
    if error.kind() == std::io::ErrorKind::StorageFull {
        ApiError::DiskFull
    } else {
        tracing::error!(%error, "cannot write an export's file");
        ApiError::Internal
    }
}
