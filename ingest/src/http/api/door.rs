//! The API's door: every request is sorted by its device token before anything else of it is
//! read. An enrolled phone's request takes a place among the `--max-in-flight` requests of
//! enrolled phones; a stranger's (no token, an unknown or a revoked one, enrolling, reading
//! an invite, the health check) takes one of a few places of its own and is counted against
//! its client address. A flood of bogus tokens or enrolments therefore never makes an
//! enrolled phone's visit wait or fail: it is answered `429 rate_limited` or `503
//! overloaded`, with `Retry-After`, at once.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;
use tongxing_core::wire::RevokedAs;
use tongxing_core::Worker;

use super::bearer_token::bearer_token;
use crate::http::error::ApiError;
use crate::http::rate_limits::{retry_after_secs, RateLimit};
use crate::http::AppState;
use crate::store::workers::AuthError;

/// Strangers' requests under way at once (enrolling, invite links, bad tokens, health), by
/// default.
pub const DEFAULT_STRANGERS_IN_FLIGHT: usize = 16;
/// Strangers' calls a second from one client address, kept up, by default.
pub const DEFAULT_STRANGER_RATE_PER_SECOND: u32 = 2;
/// Strangers' calls from one client address at once after a quiet spell, by default (a
/// township's workers joining together behind one network address).
pub const DEFAULT_STRANGER_RATE_BURST: u32 = 30;

/// The strangers' share of each client address, by default.
pub fn default_stranger_rate() -> RateLimit {
    RateLimit {
        per_second: NonZeroU32::new(DEFAULT_STRANGER_RATE_PER_SECOND).unwrap_or(NonZeroU32::MIN),
        burst: NonZeroU32::new(DEFAULT_STRANGER_RATE_BURST).unwrap_or(NonZeroU32::MIN),
    }
}

/// What the door found of a request's device token, for [`super::Caller`].
#[derive(Debug, Clone)]
pub enum TokenCheck {
    Valid(Worker),
    Unknown,
    /// Revoked, as left or lost.
    Revoked(RevokedAs),
}

/// The places for requests under way and the strangers' share of each client address.
#[derive(Clone)]
pub struct Door {
    enrolled: Arc<Semaphore>,
    /// How many places `enrolled` has.
    max_in_flight: usize,
    strangers: Arc<Semaphore>,
    by_address: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Whether the client's address is the last one of `X-Forwarded-For` (set by a reverse
    /// proxy in front, which every request then comes from).
    behind_proxy: bool,
}

impl std::fmt::Debug for Door {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Door")
            .field("enrolled_free", &self.enrolled.available_permits())
            .field("strangers_free", &self.strangers.available_permits())
            .finish()
    }
}

impl Door {
    /// `max_in_flight` enrolled phones' requests at once; `strangers_in_flight` strangers'
    /// requests, each client address at `stranger_rate`.
    pub fn new(max_in_flight: usize, strangers_in_flight: usize, stranger_rate: RateLimit) -> Door {
        Door::with_proxy(max_in_flight, strangers_in_flight, stranger_rate, false)
    }

    /// As [`Door::new`]; with `behind_proxy`, each client is known by the last address of
    /// `X-Forwarded-For` rather than by the connection's (`--behind-proxy`).
    pub fn with_proxy(
        max_in_flight: usize,
        strangers_in_flight: usize,
        stranger_rate: RateLimit,
        behind_proxy: bool,
    ) -> Door {
        let quota = Quota::per_second(stranger_rate.per_second).allow_burst(stranger_rate.burst);
        Door {
            enrolled: Arc::new(Semaphore::new(max_in_flight.max(1))),
            max_in_flight: max_in_flight.max(1),
            strangers: Arc::new(Semaphore::new(strangers_in_flight.max(1))),
            by_address: Arc::new(RateLimiter::keyed(quota)),
            behind_proxy,
        }
    }

    /// How many requests of enrolled phones are under way.
    pub fn enrolled_in_flight(&self) -> usize {
        self.max_in_flight.saturating_sub(self.enrolled.available_permits())
    }

    /// Counts one stranger's call from `address`: `Err` with the seconds to wait.
    fn check_address(&self, address: IpAddr) -> Result<(), u32> {
        self.by_address.check_key(&address).map_err(|not_until| retry_after_secs(&not_until))
    }

    /// Forgets client addresses quiet long enough to be back at a full burst.
    pub fn forget_quiet(&self) {
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
    }
}

/// The client's address: the connection's, or behind a proxy the last address the proxy
/// added to `X-Forwarded-For` (the connection's when there is none).
fn client_address(request: &Request, behind_proxy: bool) -> IpAddr {
    let forwarded = behind_proxy
        .then(|| request.headers().get_all(X_FORWARDED_FOR).iter().next_back())
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|list| list.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok());
    forwarded.unwrap_or_else(|| {
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(address)| address.ip())
    })
}

const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// Sorts a request at the door, then lets it in or answers it at once.
pub async fn sort_at_the_door(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let check = match bearer_token(request.headers()) {
        None => None,
        Some(token) => match state.known_tokens.authenticate(&state.pool, token, Utc::now()).await {
            Ok(worker) => Some(TokenCheck::Valid(worker)),
            Err(AuthError::Unknown) => Some(TokenCheck::Unknown),
            Err(AuthError::Revoked(revoked_as)) => Some(TokenCheck::Revoked(revoked_as)),
            Err(AuthError::Storage(storage)) => return ApiError::from(storage).into_response(),
        },
    };
    let door = &state.door;
    let permit = if let Some(TokenCheck::Valid(_)) = check {
        door.enrolled.clone().try_acquire_owned()
    } else {
        let address = client_address(&request, door.behind_proxy);
        if let Err(retry_after_secs) = door.check_address(address) {
            tracing::info!(retry_after_secs, "a stranger's address is rate limited");
            return ApiError::RateLimited { retry_after_secs }.into_response();
        }
        door.strangers.clone().try_acquire_owned()
    };
    let Ok(_permit) = permit else {
        return ApiError::Overloaded.into_response();
    };
    if let Some(check) = check {
        request.extensions_mut().insert(check);
    }
    next.run(request).await
}
