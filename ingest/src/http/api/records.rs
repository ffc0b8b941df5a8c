//! What `PUT /api/v1/visits/{id}` and `PUT /api/v1/children/{id}` share once the record is
//! read and checked: storing it and answering.

use axum::http::StatusCode;
use axum::Json;
use chrono::{Days, NaiveDate, Utc};
use tongxing_core::wire::{PutReply, PutStatus};
use tongxing_core::Worker;
use uuid::Uuid;

use crate::http::error::ApiError;
use crate::http::telemetry;
use crate::store::group_commit::GroupCommit;
use crate::store::records::StoredRecord;

/// Stores a checked record and answers: `201` when new, `200` otherwise (updated,
/// unchanged, or kept aside as a conflict). Answers only after the change is committed.
pub async fn store_and_reply<R: StoredRecord>(
    writes: &GroupCommit,
    id: Uuid,
    record: R,
    sender: Worker,
) -> Result<(StatusCode, Json<PutReply>), ApiError> {
    // Queued to the writer task, so that a phone that hangs up half way does not cut a
    // write short: the store finishes, and the phone's next try gets `unchanged`.
    let stored = writes.store(record, sender, Utc::now()).await?;

    telemetry::record_outcome(format_args!("{} {:?} r{}", R::TABLE.kind, stored.status, stored.revision));
    metrics::counter!(crate::http::metrics::RECORDS_STORED, "kind" => R::TABLE.kind, "status" => format!("{:?}", stored.status))
        .increment(1);
    let http_status = match stored.status {
        PutStatus::Created => StatusCode::CREATED,
        PutStatus::Updated | PutStatus::Unchanged | PutStatus::Conflict => StatusCode::OK,
    };
    Ok((http_status, Json(PutReply { id, status: stored.status, revision: stored.revision })))
}

/// The server's date plus a day: a record dated "today" on a phone in any time zone
/// (UTC+14 at most) passes, and one dated later does not.
pub fn latest_acceptable_date() -> NaiveDate {
    let today = Utc::now().date_naive();
    today.checked_add_days(Days::new(1)).unwrap_or(today)
}
