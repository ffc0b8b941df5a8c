//! `POST /api/v1/unsent-files`: a phone's unsent-records file sent over the network (core's
//! [`tongxing_core::wire::UnsentFileReply`]), as its service worker sends it when the
//! connection returns with no page of the app open. The file is sealed to the county's key
//! and carries its device's proof, so the call takes no token: the server opens it and
//! stores what it holds as `tongxing-ingest import` does ([`import_unsent`]), each record
//! and photo once however often the file comes.

use std::io::Cursor;

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use tongxing_core::wire::{ErrorBody, UnsentFileReply};

use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, RateLimited, Unavailable};
use crate::http::AppState;
use crate::store::audit::Reader;
use crate::unsent_import::{import_unsent, FileCame, ImportError};

/// The audit log's name for who stored a file sent this way.
const SENDER: &str = "手机后台上传 (service worker)";

/// `200` with what storing the file did.
#[utoipa::path(
    post,
    path = "/api/v1/unsent-files",
    tag = "records",
    summary = "Send a phone's unsent-records file",
    description = "The body is a phone's unsent-records file (`application/octet-stream`, at most 64 MiB), as it saves it for the county and as its service worker sends it when the connection returns with no page of the app open (Background Sync). The file is sealed to the county's key (`GET /api/v1/county`) and proves its device, so the call takes no token. Its photos and records are stored as each one's own call would store them (a record the server holds already is `unchanged`), and the answer counts them; what is refused is counted, the rest stored all the same. Audited (`import_unsent`).",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Stored: how many records were new, newer, unchanged or kept aside, how many photos were new or held, how many refused", body = UnsentFileReply),
        (status = 400, description = "`unreadable_file`: the county's key does not open the file, or it was changed or cut short", body = ErrorBody),
        (status = 403, description = "`forbidden`: the file's device is unknown, the file was not made with its token, the device was revoked (the county's command line imports the file of a worker who left), or it is a supervisor's, which sends no records", body = ErrorBody),
        (status = 413, description = "`too_large`: the file is over 64 MiB", body = ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
)]
#[tracing::instrument(name = "post_unsent_file", skip_all)]
pub async fn post_unsent_file(State(state): State<AppState>, body: Bytes) -> Result<Json<UnsentFileReply>, ApiError> {
    let by = Reader { device: None, name: SENDER };
    let imported = import_unsent(
        &state.pool,
        &state.writes,
        &state.photos,
        &state.county_secret,
        Cursor::new(body),
        &by,
        FileCame::OverTheNetwork,
    )
    .await;
    let report = imported.map_err(|error| match error {
        ImportError::File(_) => ApiError::UnreadableFile,
        // The call takes no token: whatever is wrong with the device, the file is refused.
        ImportError::UnknownDevice(_)
        | ImportError::NotThisDevice(_)
        | ImportError::Lost(_)
        | ImportError::Revoked(_)
        | ImportError::NotASender(_) => ApiError::Forbidden,
        ImportError::Storage(storage) => storage.into(),
    })?;
    Ok(Json(UnsentFileReply {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        conflicts: report.conflicts,
        photos_new: report.photos_new,
        photos_held: report.photos_held,
        refused: u32::try_from(report.refused.len()).unwrap_or(u32::MAX),
    }))
}
