//! Every request of the app to its server: records and photo pieces, the supervisor's reads
//! and downloads, joining and token renewal, each through one `fetch` exchange with a
//! timeout.

use gloo_net::http::{Request, RequestBuilder};
use tongxing_core::enrolment::{DeviceEnrolment, ServerOrigin};
use tongxing_core::http_reply::{HttpReply, TransportError};
use tongxing_core::outbox::{OutboundRecord, Transport};
use tongxing_core::photo::{PhotoHash, UploadPiece};
use tongxing_core::pull::ChangesSource;
use tongxing_core::wire::API_PREFIX;
use tongxing_core::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use crate::js_error::describe;

/// How long one request may take before it counts as timed out. A 64 KiB piece needs
/// about 13 s on a 40 kbit/s link, the slowest worth trying.
const REQUEST_TIMEOUT_MS: u32 = 30_000;
/// How long a download may take: a child's whole file carries its photos.
const DOWNLOAD_TIMEOUT_MS: u32 = 300_000;

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
    /// To `server` (one the app trusts), as the device `enrolment` if that server issued it,
    /// else as nobody: a token is never sent to another server.
    pub fn new(server: ServerOrigin, enrolment: Option<&DeviceEnrolment>, lang: Lang) -> HttpTransport {
        let token = enrolment.and_then(|enrolled| enrolled.token_for(&server)).map(str::to_owned);
        HttpTransport { server, lang, token }
    }

    /// The address of `path` on the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.as_str(), path)
    }

    /// Sends one request built by `build` (given the abort signal), and reads the answer
    /// within `wait_ms`: its text, or with `as_file` the `Blob` of a `2xx` answer (the reply's
    /// body then empty). (`&dyn`, not generic: one copy of this for every kind of request
    /// keeps the app small.)
    async fn exchange(
        &self,
        build: &dyn Fn(&web_sys::AbortSignal) -> Result<Request, gloo_net::Error>,
        wait_ms: u32,
        as_file: bool,
    ) -> Result<(HttpReply, Option<web_sys::Blob>), TransportError> {
        let online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        if !online {
            return Err(TransportError::Offline);
        }
        let controller = AbortController::new().map_err(|e| TransportError::Network(describe(&e)))?;
        let signal = controller.signal();
        let failed =
            |text: String| if signal.aborted() { TransportError::Timeout } else { TransportError::Network(text) };
        // Dropped (and so cancelled) when the answer is read or the exchange fails.
        let _timeout = gloo_timers::callback::Timeout::new(wait_ms, move || controller.abort());
        let request = build(&signal).map_err(|e| TransportError::Network(e.to_string()))?;
        let response = request.send().await.map_err(|e| failed(e.to_string()))?;
        let retry_after = response.headers().get("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
        let status = response.status();
        // The body is read under the same timeout: a link that dies mid-answer is a failure.
        if as_file && (200..300).contains(&status) {
            let raw: web_sys::Response = response.into();
            let blob = raw.blob().map_err(|e| failed(describe(&e)))?;
            let blob = JsFuture::from(blob).await.map_err(|e| failed(describe(&e)))?;
            let blob = blob.dyn_into::<web_sys::Blob>().map_err(|e| TransportError::Network(describe(&e)))?;
            return Ok((HttpReply { status, retry_after, body: String::new() }, Some(blob)));
        }
        let body = response.text().await.map_err(|e| failed(e.to_string()))?;
        Ok((HttpReply { status, retry_after, body }, None))
    }

    /// [`HttpTransport::exchange`] of a text answer, with the usual timeout.
    async fn reply(
        &self,
        build: &dyn Fn(&web_sys::AbortSignal) -> Result<Request, gloo_net::Error>,
    ) -> Result<HttpReply, TransportError> {
        self.exchange(build, REQUEST_TIMEOUT_MS, false).await.map(|(reply, _)| reply)
    }

    /// Adds the language, the abort signal and the token (if joined) to a request.
    fn with_common(&self, builder: RequestBuilder, signal: &web_sys::AbortSignal) -> RequestBuilder {
        let builder = builder.header("Accept-Language", self.lang.tag()).abort_signal(Some(signal));
        match &self.token {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        }
    }

    /// `GET`s `path` (below the base URL).
    pub async fn get(&self, path: &str) -> Result<HttpReply, TransportError> {
        let url = self.url(path);
        self.reply(&|signal| self.with_common(Request::get(&url), signal).build()).await
    }

    /// `GET`s the file at `path` (below the base URL), allowing a long time for it: its
    /// contents on `2xx`, else the server's answer.
    pub async fn download(&self, path: &str) -> Result<Result<web_sys::Blob, HttpReply>, TransportError> {
        let url = self.url(path);
        let (reply, file) = self
            .exchange(&|signal| self.with_common(Request::get(&url), signal).build(), DOWNLOAD_TIMEOUT_MS, true)
            .await?;
        Ok(file.ok_or(reply))
    }

    /// `DELETE`s `path` (below the base URL).
    pub async fn delete(&self, path: &str) -> Result<HttpReply, TransportError> {
        let url = self.url(path);
        self.reply(&|signal| self.with_common(Request::delete(&url), signal).build()).await
    }

    /// `POST`s a JSON body to `path` (below the base URL).
    pub async fn post_json(&self, path: &str, body: String) -> Result<HttpReply, TransportError> {
        self.send_json(Request::post, path, body).await
    }

    /// `PUT`s a JSON body to `path` (below the base URL).
    pub async fn put_json(&self, path: &str, body: String) -> Result<HttpReply, TransportError> {
        self.send_json(Request::put, path, body).await
    }

    async fn send_json(
        &self,
        method: fn(&str) -> RequestBuilder,
        path: &str,
        body: String,
    ) -> Result<HttpReply, TransportError> {
        let url = self.url(path);
        self.reply(&|signal| {
            self.with_common(method(&url), signal).header("Content-Type", "application/json").body(body.as_str())
        })
        .await
    }
}

impl Transport for HttpTransport {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let url = self.url(&record.path());
        self.reply(&|signal| {
            self.with_common(Request::put(&url), signal).header("Content-Type", "application/json").body(record.body())
        })
        .await
    }

    async fn photo_status(&self, hash: &PhotoHash) -> Result<HttpReply, TransportError> {
        self.get(&format!("{API_PREFIX}/photos/{hash}/upload")).await
    }

    async fn send_photo_piece(
        &self,
        hash: &PhotoHash,
        piece: &UploadPiece,
        bytes: Vec<u8>,
    ) -> Result<HttpReply, TransportError> {
        let url = self.url(&format!("{API_PREFIX}/photos/{hash}"));
        let body = JsValue::from(js_sys::Uint8Array::from(bytes.as_slice()));
        self.reply(&|signal| {
            self.with_common(Request::put(&url), signal)
                .header("Content-Type", "image/jpeg")
                .header("Content-Range", &piece.content_range())
                .body(body.clone())
        })
        .await
    }
}

impl ChangesSource for HttpTransport {
    async fn changes_after(&self, cursor: u64) -> Result<HttpReply, TransportError> {
        self.get(&tongxing_core::pull::changes_path(cursor)).await
    }
}
