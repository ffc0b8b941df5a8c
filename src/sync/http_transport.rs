//! Sends one outbound record with `fetch`, with a timeout.

use gloo_net::http::Request;
use tongxing_core::outbox::{HttpReply, OutboundRecord, Transport, TransportError};
use tongxing_core::Lang;
use web_sys::AbortController;

/// How long one request may take before it counts as timed out.
const REQUEST_TIMEOUT_MS: u32 = 30_000;

/// `PUT`s records to the server at `base_url` (empty: the app's own origin).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    pub base_url: String,
    pub lang: Lang,
}

impl Transport for HttpTransport {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        if !online {
            return Err(TransportError::Offline);
        }
        let url = format!("{}{}", self.base_url.trim_end_matches('/'), record.path());
        let controller = AbortController::new().map_err(|e| TransportError::Network(format!("{e:?}")))?;
        let signal = controller.signal();
        let timeout = gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || controller.abort());
        let request = Request::put(&url)
            .header("Content-Type", "application/json")
            .header("Accept-Language", self.lang.tag())
            .abort_signal(Some(&signal))
            .body(record.body())
            .map_err(|e| TransportError::Network(e.to_string()))?;
        let response = request.send().await;
        timeout.cancel();
        let response = response.map_err(|e| if signal.aborted() { TransportError::Timeout } else { TransportError::Network(e.to_string()) })?;
        let retry_after = response.headers().get("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        Ok(HttpReply { status, retry_after, body })
    }
}
