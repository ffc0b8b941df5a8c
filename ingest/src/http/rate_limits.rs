//! Per-device rate limits: each device token may make so many calls a second, with a burst
//! for a phone emptying a month's queue after a week without signal. A device over its
//! share gets `429` with `Retry-After`, which the phone's outbox honours.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::QuantaInstant;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota, RateLimiter};
use uuid::Uuid;

/// Calls a second a device may keep up, by default.
pub const DEFAULT_RATE_PER_SECOND: u32 = 20;
/// Calls a device may make at once after a quiet spell, by default. A month of visits with
/// three photos each, sent in 64 KiB pieces, is a few hundred calls.
pub const DEFAULT_RATE_BURST: u32 = 400;

/// How many calls each device may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

impl Default for RateLimit {
    fn default() -> RateLimit {
        RateLimit {
            per_second: NonZeroU32::new(DEFAULT_RATE_PER_SECOND).unwrap_or(NonZeroU32::MIN),
            burst: NonZeroU32::new(DEFAULT_RATE_BURST).unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// The limiter shared by every request, keyed by device.
#[derive(Clone)]
pub struct RateLimits {
    limiter: Arc<DefaultKeyedRateLimiter<Uuid>>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").field("devices", &self.limiter.len()).finish()
    }
}

impl RateLimits {
    pub fn new(limit: RateLimit) -> RateLimits {
        let quota = Quota::per_second(limit.per_second).allow_burst(limit.burst);
        RateLimits { limiter: Arc::new(RateLimiter::keyed(quota)) }
    }

    /// Counts one call of `device`: `Err` with the seconds to wait when it is over its share.
    pub fn check(&self, device: Uuid) -> Result<(), u32> {
        self.limiter.check_key(&device).map_err(|not_until| retry_after_secs(&not_until))
    }

    /// Forgets devices that have been quiet long enough to be back at a full burst.
    pub fn forget_quiet(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// The whole seconds until a refused caller may call again, at least one: `Retry-After` has
/// no fractions.
pub fn retry_after_secs(not_until: &NotUntil<QuantaInstant>) -> u32 {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).saturating_add(u32::from(wait.subsec_nanos() > 0)).max(1)
}

/// How often quiet devices are forgotten.
pub const FORGET_EVERY: Duration = Duration::from_secs(10 * 60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_over_its_burst_waits_and_others_do_not() {
        let limit = RateLimit { per_second: NonZeroU32::new(1).unwrap(), burst: NonZeroU32::new(3).unwrap() };
        let limits = RateLimits::new(limit);
        let (busy, quiet) = (Uuid::from_u128(1), Uuid::from_u128(2));
        for _ in 0..3 {
            assert_eq!(limits.check(busy), Ok(()));
        }
        let wait = limits.check(busy).unwrap_err();
        assert!((1..=1).contains(&wait), "waits about a second, got {wait}");
        assert_eq!(limits.check(quiet), Ok(()), "another device has its own share");
    }
}
