//! Error messages in the language the request asked for. An [`ApiError`] answers in Chinese,
//! the default; this middleware says it again in English when `Accept-Language` prefers it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use tongxing_core::Lang;

use crate::http::error::ApiError;

/// The language `headers` ask for, Chinese when they say nothing we speak.
pub fn requested_lang(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// Rewrites the body of an error response in the requested language.
pub async fn localise_errors(request: Request, next: Next) -> Response {
    let lang = requested_lang(request.headers());
    let mut response = next.run(request).await;
    if lang == Lang::default() {
        return response;
    }
    let Some(error) = response.extensions().get::<ApiError>() else {
        return response;
    };
    match serde_json::to_vec(&error.body(lang)) {
        Ok(body) => {
            response.headers_mut().remove(header::CONTENT_LENGTH);
            *response.body_mut() = Body::from(body);
        }
        Err(e) => tracing::error!(error = %e, "cannot write the error body; kept the default language"),
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn chinese_unless_asked_otherwise() {
        let mut headers = HeaderMap::new();
        assert_eq!(requested_lang(&headers), Lang::ZhCn);
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB,en;q=0.9"));
        assert_eq!(requested_lang(&headers), Lang::En);
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("zh-CN,en;q=0.5"));
        assert_eq!(requested_lang(&headers), Lang::ZhCn);
    }
}
