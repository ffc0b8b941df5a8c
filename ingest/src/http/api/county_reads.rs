//! The county's console (`/api/v1/county/…`, a county administrator's token): every
//! township's "today" rolled up, the statistics (also as a workbook), and the audit log.
//! Each read is written to the audit log before it is sent.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use tongxing_core::export::statistics_file_name;
use tongxing_core::schedule::Cadence;
use tongxing_core::supervision::{county_statistics, county_today, township_today};
use tongxing_core::wire::{AuditLine, AuditQuery, CountyStatistics, CountyToday, ErrorBody, Page, AUDIT_PER_PAGE};
use tongxing_core::{Lang, Worker};
use uuid::Uuid;

use super::caller::County;
use super::exports::{download, export_error};
use super::township::audit;
use crate::export::china_time;
use crate::export::county_statistics::statistics_workbook;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, NotTheCounty, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;
use crate::store::audit::{self as audit_log, AuditEntry, AuditFilter, READ_AUDIT, READ_COUNTY};
use crate::store::db::StorageError;
use crate::store::reads;

/// The content type of a workbook.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `200` with one line a township.
#[utoipa::path(
    get,
    path = "/api/v1/county/today",
    tag = "county",
    summary = "Every township today, one line each",
    description = "Each township's figures as its supervisor's `GET /api/v1/today` computes them (the same rules), as counts: this month's round (visited of due), children overdue or never visited, red children, mandatory reports whose follow-up is open (not started, or not closed with an outcome), case plans' actions past due, files to reconcile, pairs that may be of one child, phones not seen for 14 days. The townships furthest behind this month first. The day is Beijing's.",
    responses(
        (status = 200, description = "The county today", body = CountyToday),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotTheCounty),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "county_today", skip_all)]
pub async fn read_county_today(
    State(state): State<AppState>,
    County(county): County,
) -> Result<Json<CountyToday>, ApiError> {
    let now = Utc::now();
    let today = china_time(&now).date_naive();
    let cadence = Cadence::standard();
    let mut townships = Vec::new();
    for township in reads::townships(&state.pool).await? {
        let sources = reads::today_sources(&state.pool, &township).await?;
        townships.push((township, township_today(sources, today, now, &cadence)));
    }
    let figures = county_today(today, &townships);
    audit(&state, &county, READ_COUNTY, &format!("today: {} township(s)", figures.townships.len()), None).await?;
    Ok(Json(figures))
}

async fn statistics(state: &AppState) -> Result<CountyStatistics, ApiError> {
    let today = china_time(&Utc::now()).date_naive();
    let sources = reads::statistics_sources(&state.pool, today).await?;
    Ok(county_statistics(sources, today))
}

/// `200` with the county's statistics.
#[utoipa::path(
    get,
    path = "/api/v1/county/statistics",
    tag = "county",
    summary = "The county's statistics",
    description = "Children by category, by the colour of their latest visit, by township (with this month's round) and by age band; this month's round of the county; visits and mandatory reports per month of the last 12; the policies the visits of those months linked; the field workers (directors, love mothers and volunteers whose phones are not revoked) and those certified (培训考核), of the county and by township. Every child's file not merged into another, of every township. The day is Beijing's.",
    responses(
        (status = 200, description = "The statistics", body = CountyStatistics),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotTheCounty),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "county_statistics", skip_all)]
pub async fn read_county_statistics(
    State(state): State<AppState>,
    County(county): County,
) -> Result<Json<CountyStatistics>, ApiError> {
    let figures = statistics(&state).await?;
    audit(&state, &county, READ_COUNTY, "statistics", None).await?;
    Ok(Json(figures))
}

/// `200` with the statistics as a workbook.
#[utoipa::path(
    get,
    path = "/api/v1/county/statistics.xlsx",
    tag = "county",
    summary = "The county's statistics as an Excel workbook",
    description = "The tables of `GET /api/v1/county/statistics`, a sheet each, in Chinese: 概况, 按儿童类别, 按风险等级, 按乡镇, 按年龄, 按月走访, 政策链接.",
    responses(
        (status = 200, description = "The workbook", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), headers(("Content-Disposition" = String, description = "`attachment`, with the file's name (`filename*`, UTF-8)"))),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotTheCounty),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "county_statistics_xlsx", skip_all)]
pub async fn download_county_statistics(
    State(state): State<AppState>,
    County(county): County,
) -> Result<Response, ApiError> {
    statistics_file(&state, &county).await
}

/// The statistics' workbook for `county` (also for a one-time download link she made).
pub(super) async fn statistics_file(state: &AppState, county: &Worker) -> Result<Response, ApiError> {
    let figures = statistics(state).await?;
    audit(state, county, READ_COUNTY, "statistics as xlsx", None).await?;
    let bytes = statistics_workbook(&figures).map_err(export_error)?;
    let name = statistics_file_name(figures.today, Lang::ZhCn);
    Ok(download(XLSX, &name, Body::from(bytes)))
}

/// `200` with a page of the audit log, the newest first.
#[utoipa::path(
    get,
    path = "/api/v1/county/audit",
    tag = "county",
    summary = "A page of the audit log, the newest first",
    description = "Who read, exported, invited, enrolled, revoked or sent what, and when (UTC), filtered by actor, action and days; 50 lines a page. The reading is itself written to the audit log (`read_audit`, with the filter).",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of the log; `total` counts every match", body = Page<AuditLine>),
        (status = 400, description = "`bad_query`: the query string cannot be read (an unknown parameter, a date not YYYY-MM-DD, a page not a whole number)", body = ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotTheCounty),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "county_audit", skip_all)]
pub async fn read_audit_log(
    State(state): State<AppState>,
    County(county): County,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<Page<AuditLine>>, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::BadQuery)?;
    let text = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let filter = AuditFilter {
        actor: text(&query.actor),
        action: text(&query.action),
        from: query.from,
        to: query.to,
        ..AuditFilter::default()
    };
    let subject = format!("audit log: {}", query.query_string());
    audit(&state, &county, READ_AUDIT, subject.trim_end_matches(": "), None).await?;
    let (entries, total) = audit_log::find_page(&state.pool, &filter, query.page(), AUDIT_PER_PAGE).await?;
    let items = entries.into_iter().map(line).collect::<Result<Vec<_>, StorageError>>()?;
    Ok(Json(Page { items, page: query.page(), per_page: AUDIT_PER_PAGE, total }))
}

fn line(entry: AuditEntry) -> Result<AuditLine, StorageError> {
    let corrupt = |detail: String| StorageError::Corrupt { what: "an audit row".to_owned(), detail };
    let id =
        |text: Option<String>| text.as_deref().map(Uuid::parse_str).transpose().map_err(|e| corrupt(e.to_string()));
    Ok(AuditLine {
        at: chrono::DateTime::parse_from_rfc3339(&entry.at).map_err(|e| corrupt(e.to_string()))?.with_timezone(&Utc),
        actor: entry.actor,
        device_id: id(entry.device_id)?,
        action: entry.action,
        subject: entry.subject,
        child_id: id(entry.child_id)?,
    })
}
