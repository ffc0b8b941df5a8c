//! Renewing the device token every 30 days (`POST /api/v1/devices/me/rotate`), after a run
//! that reached the server, inside the same cross-tab lock, so that two tabs never renew at
//! once. When to renew is decided in core ([`DeviceEnrolment::rotation_due`]).

use tongxing_core::enrolment::DeviceEnrolment;
use tongxing_core::outbox::Clock;
use tongxing_core::wire::TokenReply;
use tongxing_core::wire::API_PREFIX;
use tongxing_core::Lang;

use super::{BrowserClock, HttpTransport};
use crate::storage::enrolment;

/// Asks for a new token if the one held is old enough, and keeps it with the same server.
/// Any failure leaves the old token in use: the next run asks again.
pub async fn renew_if_due(enrolled: &DeviceEnrolment, lang: Lang) {
    let now = BrowserClock.now();
    if !enrolled.rotation_due(now) {
        return;
    }
    let transport = HttpTransport::new(enrolled.server.clone(), Some(enrolled), lang);
    let Ok(reply) = transport.post_json(&format!("{API_PREFIX}/devices/me/rotate"), "{}".to_owned()).await else {
        return;
    };
    if !(200..300).contains(&reply.status) {
        return;
    }
    let Ok(renewed) = serde_json::from_str::<TokenReply>(&reply.body) else { return };
    // Unless the phone joined again meanwhile (in another tab).
    if enrolment::load().as_ref() == Some(enrolled) {
        let _ = enrolment::store(&enrolled.rotated(renewed.token, now));
    }
}
