//! A supervisor's reads of her township: `GET /api/v1/children`, `/children/{id}` and
//! `/visits`. Each read is written to the audit log before the data is sent.

use axum::extract::{Query, State};
use axum::Json;
use chrono::Utc;
use tongxing_core::township_view::{ChildFile, ChildListing, ListFilter, VisitListing};
use tongxing_core::worker::Page;
use tongxing_core::Worker;

use super::{RecordId, Supervisor};
use crate::audit_log::{self, Reader};
use crate::error::ApiError;
use crate::township_reads::{self, FileReadError};
use crate::AppState;

/// `200` with a page of the township's children (`?village=&colour=&from=&to=&page=&per_page=`).
#[tracing::instrument(name = "list_children", skip_all)]
pub async fn list_children(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<ChildListing>>, ApiError> {
    let filter = checked(filter)?;
    audit(&state, &supervisor, "list_children", &describe(&filter)).await?;
    Ok(Json(township_reads::children(&state.pool, &supervisor.place.township, &filter).await?))
}

/// `200` with a page of the township's visits, the latest first.
#[tracing::instrument(name = "list_visits", skip_all)]
pub async fn list_visits(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<VisitListing>>, ApiError> {
    let filter = checked(filter)?;
    audit(&state, &supervisor, "list_visits", &describe(&filter)).await?;
    Ok(Json(township_reads::visits(&state.pool, &supervisor.place.township, &filter).await?))
}

/// `200` with one child's whole file; `404` when there is no such child, `403
/// out_of_scope` when the child belongs to another township.
#[tracing::instrument(name = "read_child", skip_all, fields(child_id = %id))]
pub async fn read_child(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
    RecordId(id): RecordId,
) -> Result<Json<ChildFile>, ApiError> {
    let file = township_reads::child_file(&state.pool, &supervisor.place, id).await.map_err(|error| match error {
        FileReadError::NotFound => ApiError::NotFound,
        FileReadError::OutOfScope => ApiError::OutOfScope,
        FileReadError::Storage(storage) => storage.into(),
    })?;
    audit(&state, &supervisor, "read_child", &id.to_string()).await?;
    Ok(Json(file))
}

/// The filter of a list, refused with `400 bad_query` when it cannot be read and `422`
/// when it reads but is wrong.
pub fn checked(filter: Result<Query<ListFilter>, axum::extract::rejection::QueryRejection>) -> Result<ListFilter, ApiError> {
    let Query(filter) = filter.map_err(|_| ApiError::BadQuery)?;
    filter.validate().map_err(ApiError::Invalid)?;
    Ok(filter)
}

/// Writes the audit row of a read by `worker`.
pub async fn audit(state: &AppState, worker: &Worker, action: &str, subject: &str) -> Result<(), ApiError> {
    let reader = Reader { device: Some(worker.id), name: &worker.name };
    audit_log::record(&state.pool, &reader, action, subject, Utc::now()).await?;
    Ok(())
}

/// A filter as the audit log keeps it: as a query string, unencoded so that people can read
/// it (`village=桃源村&colour=red&page=1&per_page=50`).
pub fn describe(filter: &ListFilter) -> String {
    let mut parts = Vec::new();
    if let Some(village) = &filter.village {
        parts.push(format!("village={village}"));
    }
    if let Some(colour) = filter.colour {
        parts.push(format!("colour={}", colour.code()));
    }
    if let Some(from) = filter.from {
        parts.push(format!("from={from}"));
    }
    if let Some(to) = filter.to {
        parts.push(format!("to={to}"));
    }
    parts.push(format!("page={}", filter.page()));
    parts.push(format!("per_page={}", filter.per_page()));
    parts.join("&")
}
