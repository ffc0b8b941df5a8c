//! The server's HTTP side: the router and the state its handlers share, the API's
//! handlers (`api/`), their extractors (`caller`, `json_body`) and errors, the built app
//! served at `/`, the response headers, the OpenAPI document, admission (the door, rate
//! limits, one export at a time) and the listening [`server::Server`].

pub mod api;
pub mod config;
pub mod download_links;
pub mod error;
pub mod error_language;
pub mod exports_under_way;
pub mod inline_scripts;
pub mod json_body;
pub mod metrics;
pub mod openapi;
pub mod rate_limits;
pub mod response_headers;
pub mod server;
pub mod static_app;
pub mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Router;
use sqlx::AnyPool;
use tongxing_core::unsent_file::CountySecret;
use tongxing_core::wire::{CountyPolicy, API_PREFIX};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::photos::PhotoStore;
use crate::store::group_commit::GroupCommit;
use crate::store::recovery::ServerKey;
use crate::store::workers::KnownTokens;
use api::door::Door;
use config::CorsOrigins;
use error::ApiError;
use rate_limits::RateLimits;
use static_app::StaticApp;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: AnyPool,
    /// Device tokens accepted lately, so that most calls need no read of the database.
    pub known_tokens: Arc<KnownTokens>,
    /// The writer that stores visits and children's files, many to a transaction.
    pub writes: GroupCommit,
    /// The photo folder and its size limit.
    pub photos: PhotoStore,
    /// The built app served at `/`, if any.
    pub static_app: Option<StaticApp>,
    /// Each device's share of calls.
    pub rate_limits: RateLimits,
    /// Where the app is served, for invite links.
    pub app_url: Option<url::Url>,
    /// The places for requests under way, enrolled phones' and strangers'.
    pub door: Door,
    /// The app's `Content-Security-Policy`.
    pub content_security_policy: HeaderValue,
    /// Photo bytes each device may send a day.
    pub daily_upload_bytes: u64,
    /// The devices whose export is being written.
    pub exports_under_way: exports_under_way::ExportsUnderWay,
    /// One-time download links not yet used.
    pub download_links: download_links::DownloadLinks,
    /// The key that seals the data keys phones leave for a PIN's recovery.
    pub recovery_key: ServerKey,
    /// What the county decides for its phones (its key's public half, how long sent
    /// visits' answers stay, what a PIN must be).
    pub county: CountyPolicy,
    /// The county's private key, which opens the unsent-records files phones send
    /// (`POST /api/v1/unsent-files`).
    pub county_secret: CountySecret,
}

/// How long a browser may keep a CORS preflight answer (fewer round trips on slow links).
const CORS_MAX_AGE: Duration = Duration::from_secs(60 * 60);

/// Every route: the API under `/api/v1`, the app (if any) everywhere else.
pub fn router(state: AppState, cors_origins: &CorsOrigins) -> Router {
    let policy = state.content_security_policy.clone();
    Router::new()
        .nest(API_PREFIX, api::router_behind_the_door(state.clone()))
        .fallback(app_or_not_found)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn(error_language::localise_errors))
        .layer(cors(cors_origins))
        .layer(axum::middleware::from_fn_with_state(policy, response_headers::add_response_headers))
        .layer(
            // By the route's template, never the address (telemetry.rs).
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        // Likewise by the route's template (metrics.rs).
        .layer(axum::middleware::from_fn(metrics::count_requests))
        .with_state(state)
}

async fn app_or_not_found(State(state): State<AppState>, request: Request) -> Response {
    static_app::app_or_not_found(state.static_app, request).await
}

/// Which other web pages may call the API: by default none (the app served from this
/// origin needs no CORS), else the configured origins, or any with `*`.
fn cors(origins: &CorsOrigins) -> CorsLayer {
    let allow_origin = match origins {
        CorsOrigins::SameOrigin => AllowOrigin::list([]),
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(list) => AllowOrigin::list(list.iter().cloned()),
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::PUT, Method::POST, Method::DELETE, Method::OPTIONS])
        // Content-Range: a photo sent in pieces.
        .allow_headers([header::CONTENT_TYPE, header::CONTENT_RANGE, header::AUTHORIZATION, header::ACCEPT_LANGUAGE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(CORS_MAX_AGE)
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    ApiError::Internal.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn a_panic_is_a_json_500() {
        let response = panic_response(Box::new("boom"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.extensions().get::<ApiError>(), Some(&ApiError::Internal));
    }
}
