//! Logs: to standard error, filtered by `TONGXING_LOG`, else `RUST_LOG`, else `info`.
//!
//! A request is logged by its method and its route's template (`GET
//! /api/v1/invites/{code}`, axum's [`MatchedPath`]), never by the address it came to: an
//! address carries invite codes, children's ids and query strings (filters, the app's
//! `/join?code=…`), which must not reach a log. A request that matched no route (the app's
//! pages, unknown addresses) is logged as `(no route)`.
//!
//! One line a request, when its answer is sent: what a handler has to add (what it stored)
//! it records in the request's span ([`record_outcome`]) rather than logging a line of its
//! own, so that a month-end peak of visits costs one log line each, not two.

use axum::extract::{MatchedPath, Request};
use tracing::Span;
use tracing_subscriber::EnvFilter;

/// What a request is logged as when it matched no route.
pub const NO_ROUTE: &str = "(no route)";

/// The span of one request: its method and its route's template, nothing of its address.
pub fn request_span(request: &Request) -> Span {
    let route = request.extensions().get::<MatchedPath>().map_or(NO_ROUTE, MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), route, outcome = tracing::field::Empty)
}

/// Adds what the request did (a record's kind, how it was stored, its revision; a photo's
/// bytes) to its span, and so to its one log line. Nothing of a child's data: kinds,
/// statuses and counts only.
pub fn record_outcome(outcome: std::fmt::Arguments<'_>) {
    Span::current().record("outcome", outcome);
}

/// The filter from `TONGXING_LOG`, else `RUST_LOG`, else `default`.
pub fn env_filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env("TONGXING_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new(default))
}

/// Sends logs to standard error (standard output carries the listening line and exports).
pub fn init_logging() {
    tracing_subscriber::fmt().with_env_filter(env_filter("info")).with_writer(std::io::stderr).init();
}
