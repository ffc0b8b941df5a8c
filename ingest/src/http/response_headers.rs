//! The headers every answer carries. Under `/api`: `Cache-Control: no-store`, so that no
//! browser cache or proxy keeps a child's data (a supervisor's phone keeps nothing of what it
//! reads), errors and overload answers included. Everywhere else (the app's files): a
//! `Content-Security-Policy` that lets the app talk only to itself and to the servers it
//! was built for. Both: `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::http::static_app::is_api_path;

const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");
const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const NO_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");

/// The app's content security policy, allowing `connect-src` to its own origin and to
/// `allowed_servers` (origins, as [`crate::http::config::parse_origin`] checked them), and the
/// inline scripts of `script_hashes` (`'sha256-…'`, Trunk's loader of the WebAssembly).
pub fn content_security_policy(allowed_servers: &[HeaderValue], script_hashes: &[String]) -> HeaderValue {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        scripts.push(' ');
        scripts.push_str(hash);
    }
    let mut connect = String::from("'self'");
    for server in allowed_servers {
        if let Ok(origin) = server.to_str() {
            connect.push(' ');
            connect.push_str(origin);
        }
    }
    let policy = format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src {connect}; worker-src 'self'; manifest-src 'self'; \
         frame-ancestors 'none'; object-src 'none'; base-uri 'self'"
    );
    // Origins are checked to be header values already; the fixed text is too.
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'self'"))
}

/// The headers of the app's files, as `(name, value)`, for a static host to send too.
pub fn app_headers(policy: &HeaderValue) -> [(&'static str, String); 3] {
    [
        ("Content-Security-Policy", policy.to_str().unwrap_or_default().to_owned()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
    ]
}

/// Adds the headers of an API answer or of the app's answers; `policy` is the app's
/// [`content_security_policy`].
pub async fn add_response_headers(State(policy): State<HeaderValue>, request: Request, next: Next) -> Response {
    let api = is_api_path(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if api {
        headers.insert(header::CACHE_CONTROL, NO_STORE);
    } else {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    headers.insert(HeaderName::from_static("referrer-policy"), NO_REFERRER);
    response
}

#[cfg(test)]
mod app_header_tests {
    use super::*;

    #[test]
    fn a_static_host_is_told_the_same_headers() {
        let policy = content_security_policy(&[], &["'sha256-x'".to_owned()]);
        let headers = app_headers(&policy);
        assert_eq!(headers[0], ("Content-Security-Policy", policy.to_str().unwrap().to_owned()));
        assert_eq!(headers[1].1, NOSNIFF.to_str().unwrap());
        assert_eq!(headers[2].1, NO_REFERRER.to_str().unwrap());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_app_itself_and_its_servers() {
        let servers =
            [HeaderValue::from_static("https://tx.example.gov.cn"), HeaderValue::from_static("http://localhost:8080")];
        let policy =
            content_security_policy(&servers, &["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='".to_owned()]);
        let policy = policy.to_str().expect("text");
        assert!(policy.contains("connect-src 'self' https://tx.example.gov.cn http://localhost:8080;"), "{policy}");
        assert!(
            policy.contains(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=';"
            ),
            "{policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let alone = content_security_policy(&[], &[]);
        assert!(alone.to_str().expect("text").contains("connect-src 'self';"));
    }
}
