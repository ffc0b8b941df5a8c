//! `GET /api/v1/changes?after=<cursor>`: what a worker's phone receives of the server's
//! records (README, "Who sees what"), a page at a time. Each page that carries records is
//! written to the audit log before it is sent.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use tongxing_core::read_scope::ReadScope;
use tongxing_core::wire::{ChangesPage, ChangesQuery};

use super::township::{audit, checked};
use super::Sender;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;
use crate::store::audit::READ_CHANGES;
use crate::store::reads;

/// `200` with the changes after the cursor that reach this phone.
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "records",
    summary = "What changed for this phone since a cursor",
    description = "Every children's file, visit (as a summary: date, colour, next date, whether reported, and who made it) and pairing that reaches the calling phone, each once as it now stands, a page of the oldest changes at a time in lists by kind, with who registered each file and the files merged into another (the phone drops each). Which records: a director's whole village; a love mother's or volunteer's children paired with her (and her own pairings, ended ones included, so that her phone can drop a child). Ask again with `after` set to the page's `next` while `more` is true; keep `next` for the next sync. A cut connection resumes from the last `next` the phone kept; asking twice is harmless.",
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesPage),
        (status = 400, description = "`bad_query`: the query string cannot be read (an unknown parameter, a cursor or a limit not a whole number)", body = tongxing_core::wire::ErrorBody),
        (status = 401, response = Unauthorized),
        (status = 403, description = "`forbidden`: the device is a supervisor's (she reads her township's lists)", body = tongxing_core::wire::ErrorBody),
        (status = 422, description = "`invalid`: `fields` says what is wrong: `limit` (`out_of_range`), which is 1 to 500", body = tongxing_core::wire::ErrorBody),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "read_changes", skip_all)]
pub async fn read_changes(
    State(state): State<AppState>,
    Sender(worker): Sender,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Json<ChangesPage>, ApiError> {
    let query = checked(query)?;
    let page = reads::changes_page(&state.pool, &ReadScope::of(&worker), &query).await?;
    if !page.is_empty() {
        audit(&state, &worker, READ_CHANGES, &subject(query.cursor(), &page), None).await?;
    }
    Ok(Json(page))
}

/// `after 120: 3 files, 12 visits, 1 pairings`: what the audit log notes of a page.
fn subject(cursor: u64, page: &ChangesPage) -> String {
    format!(
        "after {cursor}: {} files, {} visits, {} pairings, {} case plans",
        page.children.len(),
        page.visits.len(),
        page.pairings.len(),
        page.case_plans.len()
    )
}
