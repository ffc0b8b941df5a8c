//! How many PBKDF2 iterations derive a PIN's key: enough that deriving takes about half a
//! second on the phone that sets the PIN, and never fewer than OWASP's 600,000 for
//! PBKDF2-HMAC-SHA256.

use chrono::Duration;
use serde::{Deserialize, Serialize};

/// A number of PBKDF2-HMAC-SHA256 iterations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Iterations(u32);

impl Iterations {
    /// The fewest ever used.
    pub const MIN: Iterations = Iterations(600_000);
    /// The most: a phone whose timing sample came out implausibly fast must not make every
    /// later unlock take minutes.
    pub const MAX: Iterations = Iterations(5_000_000);
    /// How long deriving should take on the phone that sets the PIN.
    pub const TARGET_MS: i64 = 500;
    /// How many iterations the phone times to tune.
    pub const SAMPLE: u32 = 100_000;

    /// The iterations that take about [`Self::TARGET_MS`] on a phone that derived
    /// [`Self::SAMPLE`] iterations in `sample_took`, within [`Self::MIN`] and [`Self::MAX`].
    pub fn tuned(sample_took: Duration) -> Iterations {
        let took_ms = sample_took.num_milliseconds().max(1);
        let scaled = i64::from(Self::SAMPLE) * Self::TARGET_MS / took_ms;
        Iterations(scaled.clamp(i64::from(Self::MIN.0), i64::from(Self::MAX.0)) as u32)
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Iterations {
    type Error = String;

    /// A kept count below [`Iterations::MIN`] (or above the most) is refused: a phone never
    /// unlocks with a weakened derivation that someone wrote into its storage.
    fn try_from(n: u32) -> Result<Iterations, String> {
        if (Self::MIN.0..=Self::MAX.0).contains(&n) {
            Ok(Iterations(n))
        } else {
            Err(format!("PBKDF2 iterations must be between {} and {}", Self::MIN.0, Self::MAX.0))
        }
    }
}

impl From<Iterations> for u32 {
    fn from(n: Iterations) -> u32 {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_phone_gets_the_minimum_and_a_fast_one_more() {
        // A low-end phone: 100,000 iterations in 120 ms would give 416,666: below the floor.
        assert_eq!(Iterations::tuned(Duration::milliseconds(120)), Iterations::MIN);
        // A newer phone: 100,000 in 50 ms gives 1,000,000, about half a second.
        assert_eq!(Iterations::tuned(Duration::milliseconds(50)).get(), 1_000_000);
    }

    #[test]
    fn an_implausible_sample_stays_within_bounds() {
        assert_eq!(Iterations::tuned(Duration::zero()), Iterations::MAX);
        assert_eq!(Iterations::tuned(Duration::milliseconds(-5)), Iterations::MAX);
        assert_eq!(Iterations::tuned(Duration::days(1)), Iterations::MIN);
    }

    #[test]
    fn a_kept_count_outside_the_bounds_is_refused() {
        assert!(serde_json::from_str::<Iterations>("1000").is_err());
        assert!(serde_json::from_str::<Iterations>("5000001").is_err());
        assert_eq!(serde_json::from_str::<Iterations>("600000").unwrap(), Iterations::MIN);
    }
}
