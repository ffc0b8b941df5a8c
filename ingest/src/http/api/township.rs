//! A supervisor's reads of her township: `GET /api/v1/children`, `/children/{id}` and
//! `/visits`. Each read is written to the audit log before the data is sent.

use axum::extract::{Query, State};
use axum::Json;
use chrono::Utc;
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::wire::ErrorBody;
use tongxing_core::wire::{ChildFile, ChildListing, ListFilter, Page, VisitListing};
use tongxing_core::Worker;

use super::{RecordId, Supervisor};
use crate::http::error::ApiError;
use crate::http::openapi::responses::{
    BadId, BadListQuery, Internal, InvalidListQuery, NotASupervisor, RateLimited, Unauthorized, Unavailable,
};
use crate::http::AppState;
use crate::store::audit::{self, Reader};
use crate::store::reads::{self, FileReadError, Selection};

/// `200` with a page of the township's children (`?village=&colour=&from=&to=&page=&per_page=`).
#[utoipa::path(
    get,
    path = "/api/v1/children",
    tag = "township",
    summary = "A page of the township's children",
    description = "Each child's name, village and the colour and date of the latest visit, nothing more (the whole file is `GET /api/v1/children/{id}`, audited); `colour`, `from` and `to` filter by the latest visit.",
    params(RecordFilter, ListFilter),
    responses(
        (status = 200, description = "A page of children; `total` counts every match", body = Page<ChildListing>),
        (status = 400, response = BadListQuery),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 422, response = InvalidListQuery),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_children", skip_all)]
pub async fn list_children(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<ChildListing>>, ApiError> {
    let filter = checked(filter)?;
    audit(&state, &supervisor, "list_children", &filter.audit_subject(), None).await?;
    let selection = Selection::in_township(&supervisor.place.township, filter.records.clone());
    let page = reads::child_page(&state.pool, &selection, &filter).await?;
    Ok(Json(page.map(|row| ChildListing {
        id: row.child.id,
        name: row.child.name,
        village: row.place.village,
        risk_colour: row.latest_visit.and_then(|latest| latest.colour),
        last_visit_date: row.latest_visit.and_then(|latest| latest.date),
    })))
}

/// `200` with a page of the township's visits, the latest first.
#[utoipa::path(
    get,
    path = "/api/v1/visits",
    tag = "township",
    summary = "A page of the township's visits, the latest first",
    description = "Each visit's date, kind, colour, next date and whether it was reported, nothing of its answers.",
    params(RecordFilter, ListFilter),
    responses(
        (status = 200, description = "A page of visits; `total` counts every match", body = Page<VisitListing>),
        (status = 400, response = BadListQuery),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 422, response = InvalidListQuery),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "list_visits", skip_all)]
pub async fn list_visits(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<VisitListing>>, ApiError> {
    let filter = checked(filter)?;
    audit(&state, &supervisor, "list_visits", &filter.audit_subject(), None).await?;
    let selection = Selection::in_township(&supervisor.place.township, filter.records.clone());
    let page = reads::visit_page(&state.pool, &selection, &filter).await?;
    // The line is read from the whole visit here, on the server; only the line leaves it.
    Ok(Json(page.map(|row| VisitListing::of(&row.visit, row.child_name, row.place.village))))
}

/// `200` with one child's whole file; `404` when there is no such child or the child
/// belongs to another township (the two answers are the same, so that a supervisor cannot
/// tell which ids exist elsewhere); the refusal is written to the audit log.
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}",
    tag = "township",
    summary = "One child's whole file and every visit, the latest first",
    params(("id" = Uuid, Path, description = "The child's id")),
    responses(
        (status = 200, description = "The child's file (一童一档)", body = ChildFile),
        (status = 400, response = BadId),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 404, description = "`not_found`: the server holds no file of this child in the supervisor's township (a child of another township answers the same)", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "read_child", skip_all)]
pub async fn read_child(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    RecordId(id): RecordId,
) -> Result<Json<ChildFile>, ApiError> {
    let file = match reads::child_file(&state.pool, &supervisor.place, id).await {
        Ok(file) => file,
        Err(FileReadError::NotFound | FileReadError::OutOfScope) => {
            return Err(refused_read(&state, &supervisor, id, Some(id)).await)
        }
        Err(FileReadError::Storage(storage)) => return Err(storage.into()),
    };
    audit(&state, &supervisor, audit::READ_CHILD, &id.to_string(), Some(id)).await?;
    Ok(Json(file))
}

/// A read of a child (or a visit) that does not exist or that the reader may not read:
/// written to the audit log (`child`: the child's id when it is a child that was asked
/// for), and answered `404 not_found` either way.
pub async fn refused_read(state: &AppState, reader: &Worker, id: uuid::Uuid, child: Option<uuid::Uuid>) -> ApiError {
    match audit(state, reader, audit::READ_REFUSED, &id.to_string(), child).await {
        Ok(()) => ApiError::NotFound,
        Err(error) => error,
    }
}

/// A query string the API reads: the parameters nobody reads, and its own checks.
pub trait CheckedQuery {
    /// Whether it names a parameter nobody reads.
    fn has_unknown(&self) -> bool;
    /// Its own checks, by field.
    fn check(&self) -> Result<(), tongxing_core::FieldErrors>;
}

impl CheckedQuery for ListFilter {
    fn has_unknown(&self) -> bool {
        !self.unknown.is_empty()
    }
    fn check(&self) -> Result<(), tongxing_core::FieldErrors> {
        self.validate()
    }
}

impl CheckedQuery for tongxing_core::wire::ChangesQuery {
    fn has_unknown(&self) -> bool {
        !self.unknown.is_empty()
    }
    fn check(&self) -> Result<(), tongxing_core::FieldErrors> {
        self.validate()
    }
}

/// A query string, refused with `400 bad_query` when it cannot be read or names a
/// parameter nobody reads, and `422` when it reads but is wrong.
pub fn checked<Q: CheckedQuery>(
    query: Result<Query<Q>, axum::extract::rejection::QueryRejection>,
) -> Result<Q, ApiError> {
    let Query(query) = query.map_err(|_| ApiError::BadQuery)?;
    if query.has_unknown() {
        return Err(ApiError::BadQuery);
    }
    query.check().map_err(ApiError::Invalid)?;
    Ok(query)
}

/// Writes the audit row of a read by `worker`, about the child `child` if one.
pub async fn audit(
    state: &AppState,
    worker: &Worker,
    action: &str,
    subject: &str,
    child: Option<uuid::Uuid>,
) -> Result<(), ApiError> {
    let reader = Reader { device: Some(worker.id), name: &worker.name };
    audit::record(&state.pool, &reader, action, subject, child, Utc::now()).await?;
    Ok(())
}
