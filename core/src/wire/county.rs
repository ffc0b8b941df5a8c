//! `GET /api/v1/county`: what the county decides for its phones, which each phone fetches
//! after a run that reached the server (once a day at most) and keeps with its enrolment:
//! the key its unsent-records file is sealed to (core's [`crate::unsent_file`]), how long a
//! sent visit's answers stay on it, and what a PIN must be.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::unsent_file::CountyKey;
use crate::vault::PinRule;

/// How long a sent visit's answers stay on a phone unless its county says otherwise.
pub const DEFAULT_KEEP_SENT_VISIT_DAYS: u16 = 30;
/// The fewest and most days a county may set.
pub const KEEP_SENT_VISIT_DAYS: std::ops::RangeInclusive<u16> = 1..=3650;

/// The county's settings for its phones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountyPolicy {
    /// The county's public key for unsent-records files: X25519, 64 hex digits (HPKE, RFC
    /// 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
    pub key: CountyKey,
    /// Days a visit's answers stay on the phone after the server confirmed its newest
    /// revision (its summary stays).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub keep_sent_visit_days: u16,
    /// `null`: a six-digit PIN; a number: a passphrase of at least that many characters,
    /// which a phone with a weaker PIN asks its worker to set at once.
    #[serde(rename = "passphrase_min_chars")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 8, maximum = 64))]
    pub pin_rule: PinRule,
}

/// How long a sent visit's answers stay on a phone that knows `policy` (the default until
/// it does; a number out of range is taken as its nearest bound).
pub fn keep_sent_visit_details(policy: Option<&CountyPolicy>) -> Duration {
    let days = policy.map_or(DEFAULT_KEEP_SENT_VISIT_DAYS, |policy| policy.keep_sent_visit_days);
    Duration::days(i64::from(days.clamp(*KEEP_SENT_VISIT_DAYS.start(), *KEEP_SENT_VISIT_DAYS.end())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unsent_file::CountySecret;

    #[test]
    fn a_policy_reads_as_the_server_sends_it_and_bounds_its_days() {
        let key = CountySecret::from_seed(&[3; 32]).public();
        let policy = CountyPolicy { key, keep_sent_visit_days: 14, pin_rule: PinRule::Passphrase { min_chars: 10 } };
        let json = serde_json::to_value(&policy).unwrap();
        assert_eq!(json["passphrase_min_chars"], 10);
        assert_eq!(serde_json::from_value::<CountyPolicy>(json).unwrap(), policy);
        assert_eq!(keep_sent_visit_details(Some(&policy)), Duration::days(14));
        let six = CountyPolicy { keep_sent_visit_days: 0, pin_rule: PinRule::SixDigits, ..policy };
        assert_eq!(serde_json::to_value(&six).unwrap()["passphrase_min_chars"], serde_json::Value::Null);
        assert_eq!(keep_sent_visit_details(Some(&six)), Duration::days(1), "never less than a day");
        assert_eq!(keep_sent_visit_details(None), Duration::days(30));
    }
}
