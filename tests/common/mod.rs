//! What every browser test needs before it touches storage: the phone's vault made with a
//! PIN (the real PBKDF2, once per test module) and unlocked, as a worker's phone is after
//! she has typed her PIN.

use tongxing::vault;
use tongxing_core::vault::{Pin, PinRule};

/// The PIN the browser tests set.
pub const TEST_PIN: &str = "284913";

/// Makes the vault (first call, or after a test cleared `localStorage`) or unlocks it again
/// (after a test locked it).
pub async fn unlocked() {
    let outcome = if vault::has_vault() {
        if vault::is_unlocked() {
            return;
        }
        vault::unlock(&Pin::typed(TEST_PIN)).await
    } else {
        let pin = Pin::choose(TEST_PIN, TEST_PIN, PinRule::SixDigits).expect("the test PIN passes its rule");
        vault::create(&pin, PinRule::SixDigits).await
    };
    outcome.expect("the test vault unlocks");
}
