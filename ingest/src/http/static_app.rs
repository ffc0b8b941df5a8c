//! The built apps (`dist/`: the field app, and the oversight app in its `oversight/`),
//! served at `/` when a static directory is configured.
//!
//! Any address that is not a file gets its app's `index.html` (the oversight app's below
//! [`PhoneApp::OVERSIGHT_ROOT`], the field app's elsewhere), so the app's own router can
//! show a deep link; addresses under `/api` never do. A file is sent as the build's
//! brotli or gzip copy beside it (`.br`, `.gz`) when the browser accepts it, with
//! `Vary: Accept-Encoding`. `index.html`, the service workers and the manifest are
//! revalidated on every load so that a new release reaches phones; file names with a
//! content hash never change and are cached for a year.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use tongxing_core::phone_app::PhoneApp;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::http::error::ApiError;

const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const VARY_ENCODING: HeaderValue = HeaderValue::from_static("accept-encoding");

/// Why the static directory cannot be served.
#[derive(Debug, thiserror::Error)]
#[error("the static directory {0} has no index.html; build the app first")]
pub struct NoIndexHtml(pub PathBuf);

/// Answers an address that is no file with its app's `index.html`.
type IndexFallback =
    BoxCloneSyncService<Request, Response<tower_http::services::fs::ServeFileSystemResponseBody>, Infallible>;

/// The apps' files in a directory.
#[derive(Debug, Clone)]
pub struct StaticApp {
    files: ServeDir<IndexFallback>,
    /// The hashes of the inline scripts of both apps' `index.html`, as read when the server
    /// started.
    script_hashes: Vec<String>,
}

impl StaticApp {
    /// Serves `dir`, which must hold the field app's `index.html`; the oversight app is
    /// served from its `oversight/` when built there.
    pub fn new(dir: &Path) -> Result<StaticApp, NoIndexHtml> {
        let field_index = dir.join("index.html");
        let html = std::fs::read_to_string(&field_index).map_err(|_| NoIndexHtml(dir.to_owned()))?;
        let mut script_hashes = crate::http::inline_scripts::script_hashes(&html);
        let oversight_index = dir.join(PhoneApp::OVERSIGHT_ROOT.trim_matches('/')).join("index.html");
        if let Ok(html) = std::fs::read_to_string(&oversight_index) {
            for hash in crate::http::inline_scripts::script_hashes(&html) {
                if !script_hashes.contains(&hash) {
                    script_hashes.push(hash);
                }
            }
        }
        let (field, oversight) =
            (precompressed(ServeFile::new(field_index)), precompressed(ServeFile::new(oversight_index)));
        let fallback = tower::service_fn(move |request: Request| {
            let index = match PhoneApp::serving(request.uri().path()) {
                PhoneApp::Field => field.clone(),
                PhoneApp::Oversight => oversight.clone(),
            };
            async move { index.oneshot(request).await.map_err(|never| match never {}) }
        });
        let files = ServeDir::new(dir)
            .append_index_html_on_directories(true)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(BoxCloneSyncService::new(fallback));
        Ok(StaticApp { files, script_hashes })
    }

    /// `'sha256-…'` of each inline script of the apps' `index.html`, for the
    /// Content-Security-Policy.
    pub fn script_hashes(&self) -> &[String] {
        &self.script_hashes
    }

    /// Answers a `GET` or `HEAD` for a file of an app, or its app's `index.html` for any
    /// other address.
    pub async fn serve(&self, request: Request) -> Response {
        let path = request.uri().path().to_owned();
        let response = match self.files.clone().oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        };
        with_cache_policy(&path, response)
    }
}

/// `index.html` sent as its build's `.br` or `.gz` copy when accepted.
fn precompressed(file: ServeFile) -> ServeFile {
    file.precompressed_br().precompressed_gzip()
}

/// Everything that no route took: under `/api`, a JSON `404`; elsewhere the app, if one is
/// served.
pub async fn app_or_not_found(app: Option<StaticApp>, request: Request) -> Response {
    if is_api_path(request.uri().path()) {
        return ApiError::NotFound.into_response();
    }
    let Some(app) = app else {
        return ApiError::NotFound.into_response();
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return ApiError::MethodNotAllowed.into_response();
    }
    app.serve(request).await
}

/// Whether `path` is under `/api`, where the app is never the answer.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn with_cache_policy(path: &str, mut response: Response) -> Response {
    if !(response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED) {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let file_name = path.rsplit('/').next().unwrap_or("");
    let policy = if !is_html && has_content_hash(file_name) { IMMUTABLE } else { REVALIDATE };
    response.headers_mut().insert(header::CACHE_CONTROL, policy);
    response.headers_mut().insert(header::VARY, VARY_ENCODING);
    response
}

/// Whether a file name carries a content hash: `name-<hex digits>` followed by `.` or `_`,
/// as in `tongxing-c6162e11dbd5aa17.js` or `tongxing-c6162e11dbd5aa17_bg.wasm`. Trunk
/// writes its 64-bit hash without leading zeros, so one build in sixteen has 15 digits;
/// 12 to 16 are taken as a hash (fewer than 12 happens once in 65,536 builds, and is
/// merely revalidated).
fn has_content_hash(file_name: &str) -> bool {
    let Some((_, after_dash)) = file_name.rsplit_once('-') else {
        return false;
    };
    let Some(hash_len) = after_dash.find(['.', '_']) else {
        return false;
    };
    (12..=16).contains(&hash_len) && after_dash[..hash_len].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_content_hashes() {
        assert!(has_content_hash("tongxing-c6162e11dbd5aa17.js"));
        assert!(has_content_hash("tongxing-c6162e11dbd5aa17_bg.wasm"));
        assert!(has_content_hash("main-8c1ac1196260f9b3.css"));
        assert!(has_content_hash("main-99e7b7f081d6c29.css"), "a hash with a leading zero dropped");
        assert!(has_content_hash("tongxing-203529e7292cb60d_split_screens.wasm"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("sw.js"));
        assert!(!has_content_hash("manifest.webmanifest"));
        assert!(!has_content_hash("icon-192.png"));
        assert!(!has_content_hash("tongxing-c6162e11dbd5aa17"));
        assert!(!has_content_hash("x-c6162e11dbd5aa1z.js"));
        assert!(!has_content_hash("icons-2024.svg"));
    }

    #[test]
    fn api_paths_never_reach_the_app() {
        assert!(is_api_path("/api"));
        assert!(is_api_path("/api/v1/nope"));
        assert!(!is_api_path("/apiary"));
        assert!(!is_api_path("/visits/new"));
    }
}
