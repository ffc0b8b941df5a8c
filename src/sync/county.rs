//! Asking the county's policy (`GET /api/v1/county`: its public key, how long sent visits'
//! answers stay, what a PIN must be) after a run that reached the server, once a day at
//! most, and keeping it with the enrolment.

use tongxing_core::enrolment::DeviceEnrolment;
use tongxing_core::outbox::Clock;
use tongxing_core::wire::{CountyPolicy, API_PREFIX};
use tongxing_core::Lang;

use super::{BrowserClock, HttpTransport};
use crate::storage::enrolment;

/// Asks it if due; any failure leaves it to the next run.
pub async fn fetch_if_due(lang: Lang) {
    let now = BrowserClock.now();
    let Some(enrolled) = enrolment::load().filter(|enrolled| enrolled.county_due(now)) else { return };
    let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), lang);
    let Ok(reply) = transport.get(&format!("{API_PREFIX}/county")).await else { return };
    if reply.status != 200 {
        return;
    }
    if let Ok(policy) = serde_json::from_str::<CountyPolicy>(&reply.body) {
        keep(&enrolled, policy);
    }
}

/// Keeps `policy` with the enrolment, unless the phone joined again meanwhile (in another tab).
fn keep(fetched_for: &DeviceEnrolment, policy: CountyPolicy) {
    let same = |now: &DeviceEnrolment| now.worker == fetched_for.worker && now.server == fetched_for.server;
    if let Some(now) = enrolment::load().filter(same) {
        let _ = enrolment::store(&now.with_county(policy, BrowserClock.now()));
    }
}
