//! The API under `/api/v1` (the wire contract in DESIGN.md).

mod bearer_token;
mod caller;
pub(crate) mod case_plans;
pub(crate) mod changes;
pub(crate) mod children;
pub(crate) mod county;
pub(crate) mod county_reads;
pub mod door;
pub(crate) mod download_links;
pub(crate) mod duplicates;
pub(crate) mod enrolment;
pub(crate) mod exports;
pub(crate) mod health;
pub(crate) mod pairings;
pub(crate) mod phones;
pub(crate) mod photos;
pub(crate) mod reconcile;
mod record_id;
mod records;
pub(crate) mod recovery;
pub(crate) mod today;
pub(crate) mod township;
pub(crate) mod trainings;
pub(crate) mod unsent_files;
pub(crate) mod village_workers;
pub(crate) mod visits;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::Router;
use tongxing_core::wire::VISIT_BODY_LIMIT;
use tower_http::compression::CompressionLayer;

use crate::http::error::ApiError;
use crate::http::AppState;

pub use caller::{Caller, Pairer, Sender, Supervisor};
pub use case_plans::check_case_plan;
pub use pairings::check_pairing;
pub use photos::PhotoAddress;
pub use record_id::RecordId;
pub use records::latest_acceptable_date;

/// The routes under the API prefix; any other address under it is a JSON `404`, a known
/// address with another method a JSON `405`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(crate::http::openapi::openapi_json))
        .route("/enroll", post(enrolment::enroll).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)))
        .route(
            "/invites",
            post(enrolment::make_invite).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)).get(phones::list_invites),
        )
        // One segment, two meanings: a code to read (anyone with it), an id to revoke.
        .route("/invites/{code}", get(enrolment::invite_info).delete(phones::revoke_invite))
        .route("/county", get(county::county))
        .route("/county/today", get(county_reads::read_county_today))
        .route("/county/statistics", get(county_reads::read_county_statistics))
        .route("/county/statistics.xlsx", get(county_reads::download_county_statistics))
        .route("/county/audit", get(county_reads::read_audit_log))
        .route("/devices", get(phones::list_devices))
        .route("/devices/{id}", delete(phones::revoke_device))
        .route(
            "/devices/{id}/trainings",
            post(trainings::record_training)
                .layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT))
                .get(trainings::list_trainings),
        )
        .route("/devices/me/rotate", post(phones::rotate_token))
        .route("/devices/me/certification", get(trainings::my_certification))
        .route(
            "/devices/me/recovery-key",
            put(recovery::deposit_recovery_key).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)),
        )
        .route("/devices/{id}/recovery", post(recovery::issue_recovery))
        // No token: the phone is locked. A stranger's call, so counted against its address.
        .route("/recovery", post(recovery::claim_recovery).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)))
        .route("/visits", get(township::list_visits))
        .route(
            "/visits/{id}",
            put(visits::put_visit).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)).get(visits::read_visit),
        )
        // The photo handler streams the body and counts it against its own, configured limit.
        .route("/photos/{sha256}", put(photos::put_photo).layer(DefaultBodyLimit::disable()))
        .route("/photos/{sha256}/upload", get(photos::upload_status))
        .route("/pairings/{id}", put(pairings::put_pairing).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)))
        .route(
            "/unsent-files",
            post(unsent_files::post_unsent_file)
                .layer(DefaultBodyLimit::max(tongxing_core::wire::UNSENT_FILE_MAX_BYTES)),
        )
        .route("/case-plans/{id}", put(case_plans::put_case_plan).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)))
        .route("/village/workers", get(village_workers::list_village_workers))
        // A first sync carries a village's files: compressed for a 2G link (gzip or brotli,
        // as the phone's Accept-Encoding allows).
        .route("/changes", get(changes::read_changes).layer(CompressionLayer::new()))
        .route("/duplicates", get(duplicates::list_duplicates))
        .route("/today", get(today::read_today))
        .route("/duplicates/merge", post(duplicates::merge_children))
        .route("/conflicts", get(reconcile::list_to_reconcile))
        .route("/conflicts/{id}", post(reconcile::reconcile_child))
        .route("/children", get(township::list_children))
        .route("/children/{id}/archive", get(exports::child_archive))
        .route("/exports/{what}", get(exports::export_records))
        .route("/download-links", post(download_links::make_download_link))
        // No token: the code is the key, once. A stranger's call, counted against its address.
        .route("/downloads/{code}", get(download_links::download_by_link))
        .route(
            "/children/{id}",
            put(children::put_child).layer(DefaultBodyLimit::max(VISIT_BODY_LIMIT)).get(township::read_child),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}

/// Every API route behind the [`door`]: enrolled phones and strangers each have their own
/// places for requests under way; the next one is answered `503 overloaded` with
/// `Retry-After` at once, instead of queueing without end.
pub fn router_behind_the_door(state: AppState) -> Router<AppState> {
    router().layer(axum::middleware::from_fn_with_state(state, door::sort_at_the_door))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
