//! How long to wait before trying a failed send again: exponential backoff with jitter,
//! from seconds up to about five minutes.

use chrono::Duration;

/// The backoff schedule. The delay before attempt `n + 1` (after `n` failures) is
/// `min(max, base · 2^(n-1))`, of which the upper half is scaled by a jitter sample in
/// `[0, 1)` so that many phones coming back online at once do not retry in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the first failure, before jitter.
    pub base: Duration,
    /// The longest delay.
    pub max: Duration,
    /// The longest wait a server's `Retry-After` may impose.
    pub max_server_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy { base: Duration::seconds(2), max: Duration::minutes(5), max_server_wait: Duration::minutes(30) }
    }
}

impl RetryPolicy {
    /// The wait after `failures` failed attempts (1 or more), with `jitter` in `[0, 1)`.
    pub fn delay(&self, failures: u32, jitter: f64) -> Duration {
        let exponent = failures.saturating_sub(1).min(30);
        let ceiling_ms =
            self.base.num_milliseconds().saturating_mul(1_i64 << exponent).min(self.max.num_milliseconds());
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.5 };
        let half = ceiling_ms / 2;
        Duration::milliseconds(half + ((ceiling_ms - half) as f64 * jitter) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_exponentially_from_seconds() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, 1.0), Duration::seconds(2));
        assert_eq!(p.delay(2, 1.0), Duration::seconds(4));
        assert_eq!(p.delay(3, 1.0), Duration::seconds(8));
        assert_eq!(p.delay(1, 0.0), Duration::seconds(1));
    }

    #[test]
    fn never_exceeds_five_minutes_even_after_many_failures() {
        let p = RetryPolicy::default();
        for failures in [9, 10, 20, 31, 1000, u32::MAX] {
            let d = p.delay(failures, 0.999);
            assert!(d <= Duration::minutes(5), "{failures}: {d}");
            assert!(d >= Duration::seconds(150), "{failures}: {d}");
        }
    }

    #[test]
    fn jitter_spreads_within_the_upper_half() {
        let p = RetryPolicy::default();
        let low = p.delay(4, 0.0);
        let high = p.delay(4, 0.99);
        assert_eq!(low, Duration::seconds(8));
        assert!(high > low && high <= Duration::seconds(16));
        assert_eq!(p.delay(4, f64::NAN), Duration::seconds(12), "a broken sample falls back to the middle");
    }
}
