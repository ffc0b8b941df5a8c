//! What every browser test needs before it touches storage: the phone's vault made with a
//! PIN (the real PBKDF2, once per test module) and unlocked, as a worker's phone is after
//! she has typed her PIN; a fresh database; the tests' clock.

// Each test file uses what it needs of these.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use tongxing::ids::new_uuid;
use tongxing::storage::Database;
use tongxing::vault;
use tongxing_core::vault::{Pin, PinRule};

/// The tests' "now": 2026-11-23 09:30 in China.
pub fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
}

pub fn utc() -> DateTime<Utc> {
    now().with_timezone(&Utc)
}

/// A database of its own (and its name, to reopen it), with the vault unlocked.
pub async fn fresh_db() -> (String, Database) {
    unlocked().await;
    let name = format!("tongxing-test-{}", new_uuid());
    let db = Database::open_named(&name).await.expect("the database opens");
    (name, db)
}

/// The PIN the browser tests set.
pub const TEST_PIN: &str = "284913";

/// Makes the vault (first call, or after a test cleared `localStorage`) or unlocks it again
/// (after a test locked it).
pub async fn unlocked() {
    let outcome = if vault::kept_vault().is_some() {
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
