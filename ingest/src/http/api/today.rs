//! `GET /api/v1/today`: the supervisor's township at a glance (core's [`township_today`]),
//! written to the audit log before it is sent.

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use tongxing_core::schedule::Cadence;
use tongxing_core::supervision::township_today;
use tongxing_core::wire::TownshipToday;

use super::township::audit;
use super::Supervisor;
use crate::export::china_time;
use crate::http::error::ApiError;
use crate::http::openapi::responses::{Internal, NotASupervisor, RateLimited, Unauthorized, Unavailable};
use crate::http::AppState;
use crate::store::audit::READ_TODAY;
use crate::store::reads;

/// `200` with her township today.
#[utoipa::path(
    get,
    path = "/api/v1/today",
    tag = "township",
    summary = "The supervisor's township today",
    description = "This month's round in each village (children visited this calendar month of those under 18, the villages furthest behind first); the children overdue, or never visited, and the children rated red, as a director's due list groups them, each by name, village, colour, latest visit and due date; the visits of the last 90 days that found harm the police must be told of; how many files wait to be reconciled or may be of one child; and the phones not seen for 14 days. The day is Beijing's.",
    responses(
        (status = 200, description = "Her township today", body = TownshipToday),
        (status = 401, response = Unauthorized),
        (status = 403, response = NotASupervisor),
        (status = 429, response = RateLimited),
        (status = 500, response = Internal),
        (status = 503, response = Unavailable),
    ),
    security(("device_token" = [])),
)]
#[tracing::instrument(name = "read_today", skip_all)]
pub async fn read_today(
    State(state): State<AppState>,
    Supervisor(supervisor): Supervisor,
) -> Result<Json<TownshipToday>, ApiError> {
    let now = Utc::now();
    let today = china_time(&now).date_naive();
    let township = &supervisor.place.township;
    let sources = reads::today_sources(&state.pool, township).await?;
    let figures = township_today(sources, today, now, &Cadence::standard());
    let subject =
        format!("{} overdue, {} red, {} reports", figures.overdue.len(), figures.red.len(), figures.reports.len());
    audit(&state, &supervisor, READ_TODAY, &subject, None).await?;
    Ok(Json(figures))
}
