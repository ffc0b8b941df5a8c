//! What the operator watches, on a port of its own (`--metrics-addr`), apart from the phones':
//! Prometheus-format metrics (`GET /metrics`), whether the process answers (`GET /healthz`)
//! and whether it can take requests (`GET /readyz`: the database answers and the photo
//! store takes a file).
//!
//! Every metric is named here, once. Labels are route templates, methods, statuses and
//! record kinds: never an address, a token, a code or anything of a child. Gauges of what
//! is under way (requests in flight, records waiting for the writer) are read when scraped.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::telemetry::NO_ROUTE;
use super::AppState;
use crate::store::db;

/// Requests answered, by method, route template and status.
pub const REQUESTS: &str = "tongxing_http_requests_total";
/// Seconds from a request's head to its answer's head, by method and route template.
pub const REQUEST_SECONDS: &str = "tongxing_http_request_duration_seconds";
/// API requests of enrolled phones under way.
pub const REQUESTS_IN_FLIGHT: &str = "tongxing_http_requests_in_flight";
/// Records (visits, children's files, pairings, case plans) a phone sent, by kind and by
/// what storing did (`Created`, `Updated`, `Unchanged`, `Conflict`).
pub const RECORDS_STORED: &str = "tongxing_records_stored_total";
/// Photos and photo pieces received, by what became of them.
pub const PHOTOS_RECEIVED: &str = "tongxing_photos_received_total";
/// The group commit's own, counted where it commits (the store names them).
pub use crate::store::group_commit::{GROUP_COMMITS, GROUP_COMMIT_BATCH, GROUP_COMMIT_FAILURES};
/// Records waiting for the group commit's writer.
pub const GROUP_COMMIT_QUEUE: &str = "tongxing_group_commit_queue_depth";
/// Photo requests answered `503` because the photo bucket did not answer.
pub const PHOTO_BUCKET_ERRORS: &str = "tongxing_photo_bucket_errors_total";

/// How often histograms are folded, so that their samples do not pile up between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);
/// How long the database and the photo store may take to answer a readiness check.
const READY_DEADLINE: Duration = Duration::from_secs(3);

/// The process's recorder, once installed.
static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use (a server's start): later servers of the
/// same process (tests) share it.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(REQUEST_SECONDS.to_owned()),
                &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0],
            )
            .and_then(|builder| {
                builder.set_buckets_for_metric(
                    Matcher::Full(GROUP_COMMIT_BATCH.to_owned()),
                    &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0],
                )
            })
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics shows nothing of this server");
        }
        handle
    })
}

/// Folds the histograms now and then, for as long as the server runs.
pub async fn keep_up() {
    let mut every = tokio::time::interval(UPKEEP_EVERY);
    loop {
        every.tick().await;
        handle().run_upkeep();
    }
}

/// Counts each request and times it, by its route's template (see [`super::telemetry`]),
/// once a recorder is installed (`--metrics-addr`).
pub async fn count_requests(request: Request, next: Next) -> Response {
    // No operator's port, no recorder: nothing to count, and nothing to copy for it.
    if HANDLE.get().is_none() {
        return next.run(request).await;
    }
    let route = request.extensions().get::<MatchedPath>().map_or(NO_ROUTE, MatchedPath::as_str).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_str().to_owned();
    metrics::histogram!(REQUEST_SECONDS, "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!(REQUESTS, "method" => method, "route" => route, "status" => status).increment(1);
    response
}

/// The operator's routes: `/metrics`, `/healthz`, `/readyz`.
pub fn operator_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .with_state(state)
}

async fn render(State(state): State<AppState>) -> Response {
    metrics::gauge!(REQUESTS_IN_FLIGHT).set(state.door.enrolled_in_flight() as f64);
    metrics::gauge!(GROUP_COMMIT_QUEUE).set(state.writes.queued() as f64);
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render()).into_response()
}

/// `200 ready` when the database answers and the photo store takes a file, else `503` with
/// which one failed (for the operator's load balancer; nothing of the failure's details).
async fn ready(State(state): State<AppState>) -> Response {
    let database = tokio::time::timeout(READY_DEADLINE, db::ping(&state.pool)).await;
    if !matches!(database, Ok(Ok(()))) {
        tracing::warn!("not ready: the database does not answer");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response();
    }
    let photos = tokio::time::timeout(READY_DEADLINE, state.photos.check_writable()).await;
    if let Ok(Err(error)) = &photos {
        tracing::warn!(%error, "not ready: the photo store does not take a file");
    }
    if !matches!(photos, Ok(Ok(()))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "photo store unavailable\n").into_response();
    }
    (StatusCode::OK, "ready\n").into_response()
}
