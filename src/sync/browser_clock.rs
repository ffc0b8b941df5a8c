//! The phone's clock and randomness, for the outbox engine.

use chrono::{DateTime, FixedOffset, Offset, Utc};
use tongxing_core::outbox::{Clock, Jitter};

/// `Date.now()` and `Math.random()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl BrowserClock {
    /// The current time with the phone's UTC offset, as visits record it.
    pub fn local_now() -> DateTime<FixedOffset> {
        BrowserClock::to_local(BrowserClock.now())
    }

    /// An instant in the phone's time zone (with the offset in force at that instant).
    pub fn to_local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64));
        // `getTimezoneOffset` is minutes *behind* UTC (UTC+8 gives -480).
        let offset_secs = -(date.get_timezone_offset() as i32) * 60;
        let offset = FixedOffset::east_opt(offset_secs).unwrap_or(Utc.fix());
        at.with_timezone(&offset)
    }
}

impl Clock for BrowserClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
}

impl Jitter for BrowserClock {
    fn sample(&self) -> f64 {
        js_sys::Math::random()
    }
}
