//! The servers this build of the app talks to: the origin it is served from, and those named
//! by `TONGXING_ALLOWED_SERVERS` when it was built (README, "Deploying"). What each address
//! means is decided in `tongxing_core::enrolment::TrustedServers`.

use tongxing_core::enrolment::{ServerOrigin, TrustedServers};

/// The comma-separated origins the app was built to trust besides its own.
const BUILT_WITH: &str = match option_env!("TONGXING_ALLOWED_SERVERS") {
    Some(list) => list,
    None => "",
};

/// The servers the app may talk to; `None` when the page has no web origin of its own (it
/// then talks to none).
pub fn trusted_servers() -> Option<TrustedServers> {
    let origin = web_sys::window()?.location().origin().ok()?;
    ServerOrigin::parse(&origin).ok().map(|own| TrustedServers::new(own, BUILT_WITH))
}
