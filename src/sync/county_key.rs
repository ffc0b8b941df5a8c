//! Fetching the county's public key (`GET /api/v1/county-key`) once, after a run that reached
//! the server, and keeping it with the enrolment: what the phone seals its unsent records to
//! if it is never online again (core's `unsent_file`).

use tongxing_core::enrolment::DeviceEnrolment;
use tongxing_core::wire::{CountyKeyReply, API_PREFIX};
use tongxing_core::Lang;

use super::HttpTransport;
use crate::storage::enrolment;

/// Fetches the key if the phone's enrolment has none; any failure leaves it to the next run.
pub async fn fetch_if_missing(lang: Lang) {
    let Some(enrolled) = enrolment::load().filter(|enrolled| enrolled.county_key.is_none()) else { return };
    let transport = HttpTransport::new(enrolled.server.clone(), Some(&enrolled), lang);
    let Ok(reply) = transport.get(&format!("{API_PREFIX}/county-key")).await else { return };
    if reply.status != 200 {
        return;
    }
    if let Ok(CountyKeyReply { key }) = serde_json::from_str(&reply.body) {
        keep(&enrolled, key);
    }
}

/// Keeps `key` with the enrolment, unless the phone joined again meanwhile (in another tab).
fn keep(fetched_for: &DeviceEnrolment, key: tongxing_core::unsent_file::CountyKey) {
    if let Some(now) =
        enrolment::load().filter(|now| now.worker == fetched_for.worker && now.server == fetched_for.server)
    {
        let _ = enrolment::store(&now.with_county_key(key));
    }
}
