//! Sends records and photo pieces with `fetch`, with a timeout.

use gloo_net::http::{Request, RequestBuilder};
use tongxing_core::enrolment::{DeviceEnrolment, ServerOrigin};
use tongxing_core::http_reply::{HttpReply, TransportError};
use tongxing_core::outbox::{OutboundRecord, Transport};
use tongxing_core::photo::{PhotoHash, UploadPiece};
use tongxing_core::wire::API_PREFIX;
use tongxing_core::Lang;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

/// How long one request may take before it counts as timed out. A 64 KiB piece needs
/// about 13 s on a 40 kbit/s link, the slowest worth trying.
const REQUEST_TIMEOUT_MS: u32 = 30_000;

/// Talks to one server, as the device that server enrolled or as nobody. A token is only
/// ever paired with the server that issued it, so it cannot be sent anywhere else.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    server: ServerOrigin,
    pub lang: Lang,
    /// Sent as `Authorization: Bearer <token>`.
    token: Option<String>,
}

impl HttpTransport {
    /// As the joined phone: to the server that issued its token, with the token.
    pub fn enrolled(enrolment: &DeviceEnrolment, lang: Lang) -> HttpTransport {
        HttpTransport { server: enrolment.server.clone(), lang, token: Some(enrolment.token.clone()) }
    }

    /// Before joining: to `server` (one the app trusts), with no token.
    pub fn anonymous(server: ServerOrigin, lang: Lang) -> HttpTransport {
        HttpTransport { server, lang, token: None }
    }

    /// The address of `path` on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.as_str(), path)
    }

    /// Sends one request built by `build` (given the abort signal), and reads the answer.
    /// (`&dyn`, not generic: one copy of this for every kind of request keeps the app small.)
    async fn exchange(&self, build: &dyn Fn(&web_sys::AbortSignal) -> Result<Request, gloo_net::Error>) -> Result<HttpReply, TransportError> {
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        if !online {
            return Err(TransportError::Offline);
        }
        let controller = AbortController::new().map_err(|e| TransportError::Network(crate::js_error::describe(&e)))?;
        let signal = controller.signal();
        let timeout = gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || controller.abort());
        let request = build(&signal).map_err(|e| TransportError::Network(e.to_string()))?;
        let response = request.send().await;
        let response = response.map_err(|e| if signal.aborted() { TransportError::Timeout } else { TransportError::Network(e.to_string()) });
        let response = match response {
            Ok(response) => response,
            Err(error) => {
                timeout.cancel();
                return Err(error);
            }
        };
        let retry_after = response.headers().get("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        let status = response.status();
        // The body is read under the same timeout: a link that dies mid-answer is a failure.
        let body = response.text().await;
        timeout.cancel();
        let body = body.map_err(|e| if signal.aborted() { TransportError::Timeout } else { TransportError::Network(e.to_string()) })?;
        Ok(HttpReply { status, retry_after, body })
    }

    /// Adds the language, the abort signal and the token (if joined) to a request.
    pub fn with_common(&self, builder: RequestBuilder, signal: &web_sys::AbortSignal) -> RequestBuilder {
        let builder = builder.header("Accept-Language", self.lang.tag()).abort_signal(Some(signal));
        match &self.token {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        }
    }

    /// `GET`s `path` (below the base URL).
    pub async fn get(&self, path: &str) -> Result<HttpReply, TransportError> {
        let url = self.url(path);
        self.exchange(&|signal| self.with_common(Request::get(&url), signal).build()).await
    }

    /// `DELETE`s `path` (below the base URL).
    pub async fn delete(&self, path: &str) -> Result<HttpReply, TransportError> {
        let url = self.url(path);
        self.exchange(&|signal| self.with_common(Request::delete(&url), signal).build()).await
    }

    /// `POST`s a JSON body to `path` (below the base URL).
    pub async fn post_json(&self, path: &str, body: String) -> Result<HttpReply, TransportError> {
        let url = self.url(path);
        self.exchange(&|signal| self.with_common(Request::post(&url), signal).header("Content-Type", "application/json").body(body.as_str())).await
    }
}

impl Transport for HttpTransport {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let url = self.url(&record.path());
        self.exchange(&|signal| {
            self.with_common(Request::put(&url), signal).header("Content-Type", "application/json").body(record.body())
        })
        .await
    }

    async fn photo_status(&self, hash: &PhotoHash) -> Result<HttpReply, TransportError> {
        self.get(&format!("{API_PREFIX}/photos/{hash}/upload")).await
    }

    async fn send_photo_piece(&self, hash: &PhotoHash, piece: &UploadPiece, bytes: Vec<u8>) -> Result<HttpReply, TransportError> {
        let url = self.url(&format!("{API_PREFIX}/photos/{hash}"));
        let body = JsValue::from(js_sys::Uint8Array::from(bytes.as_slice()));
        self.exchange(&|signal| {
            self.with_common(Request::put(&url), signal)
                .header("Content-Type", "image/jpeg")
                .header("Content-Range", &piece.content_range())
                .body(body.clone())
        })
        .await
    }
}
