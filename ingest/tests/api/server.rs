//! The server as a whole: health, durability across a restart, the app's static files,
//! CORS, and what a phone hears when the database is busy.

use crate::common;

use std::time::Duration;

use common::{expect_error, spawn_app, spawn_app_with, visit, AppOptions};
use reqwest::header::{
    ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, CACHE_CONTROL,
    CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ORIGIN, RETRY_AFTER, VARY,
};
use reqwest::{Method, StatusCode};
use tongxing_core::wire::{Health, PutReply, PutStatus};
use tongxing_ingest::store::db;
use tongxing_ingest::CorsOrigins;

#[tokio::test]
async fn health_answers_ok_with_the_version() {
    let app = spawn_app().await;

    let response = app.client.get(app.api("/health")).send().await.expect("sent");

    assert_eq!(response.status(), StatusCode::OK);
    let health: Health = response.json().await.expect("Health JSON");
    assert_eq!(health, Health { status: "ok".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() });
}

#[tokio::test]
async fn a_stored_visit_survives_a_restart() {
    let app = spawn_app().await;
    let visit = visit();
    assert_eq!(app.put_visit(&visit).await.status(), StatusCode::CREATED);

    let data = app.stop().await;
    let pool = common::open_db(data.path()).await;
    let held = tongxing_ingest::store::records::current_visits(&pool).await.expect("read");
    pool.close().await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].record, visit);

    let app = spawn_app_with(AppOptions { data: Some(data), ..AppOptions::default() }).await;
    let response = app.put_visit(&visit).await;
    assert_eq!(response.status(), StatusCode::OK, "the restarted server knows the visit");
    let reply: PutReply = response.json().await.expect("PutReply");
    assert_eq!(reply.status, PutStatus::Unchanged);
}

#[tokio::test]
async fn a_busy_database_is_503_with_retry_after() {
    let app = spawn_app().await;
    let pool = app.pool().await;
    // Another writer holds the write lock for longer than the server's busy timeout.
    let writer = db::begin_write(&pool).await.expect("write lock");

    let response = tokio::time::timeout(Duration::from_secs(30), app.put_visit(&visit()))
        .await
        .expect("answered within the busy timeout and some");

    let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = expect_error(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    assert!(retry_after.and_then(|v| v.parse::<u32>().ok()).is_some_and(|secs| secs > 0), "Retry-After in seconds");
    assert!(body.fields.is_empty());
    writer.rollback().await.expect("rollback");
    pool.close().await;
    app.assert_nothing_stored().await;
}

fn app_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>同行</title>").expect("write");
    std::fs::write(dir.path().join("sw.js"), "self.addEventListener('fetch', () => {});").expect("write");
    std::fs::write(dir.path().join("tongxing-c6162e11dbd5aa17.js"), "console.log(1);").expect("write");
    std::fs::write(dir.path().join("manifest.webmanifest"), "{}").expect("write");
    dir
}

#[tokio::test]
async fn the_app_is_served_with_deep_links_and_no_stale_shell() {
    let files = app_dir();
    let app = spawn_app_with(AppOptions { static_dir: Some(files.path().to_owned()), ..AppOptions::default() }).await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.url)).send();

    for path in ["/", "/index.html", "/some/deep/link", "/visits/new"] {
        let response = get(path).await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers().get(CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-cache"[..]), "{path}");
        assert_eq!(response.text().await.expect("text"), "<!doctype html><title>同行</title>", "{path}");
    }
    for path in ["/sw.js", "/manifest.webmanifest"] {
        let response = get(path).await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers().get(CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-cache"[..]), "{path}");
    }
    let hashed = get("/tongxing-c6162e11dbd5aa17.js").await.expect("sent");
    assert_eq!(hashed.status(), StatusCode::OK);
    let cache = hashed.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(cache.contains("immutable"), "{cache}");
    assert_eq!(hashed.text().await.expect("text"), "console.log(1);");

    for path in ["/api/v1/nope", "/api/nope"] {
        expect_error(get(path).await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;
    }
    let post = app.client.post(format!("{}/", app.url)).body("x").send().await.expect("sent");
    expect_error(post, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    assert_eq!(app.client.get(app.api("/health")).send().await.expect("sent").status(), StatusCode::OK);
}

/// A build of both apps, as `scripts/build.sh` leaves it: the field app at the top, the
/// oversight app in `oversight/`, each file with its `.br` and `.gz` copy (here marked
/// bytes, not real compression: the server sends them as they are).
fn two_apps_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    };
    for (file, text) in [
        ("index.html", "<!doctype html><script type=module>field()</script>"),
        ("tongxing-c6162e11dbd5aa17_bg.wasm", "field wasm"),
        ("oversight/index.html", "<!doctype html><script type=module>oversight()</script>"),
        ("oversight/oversight-0123456789abcdef_bg.wasm", "oversight wasm"),
    ] {
        write(file, text);
        write(&format!("{file}.br"), &format!("br:{text}"));
        write(&format!("{file}.gz"), &format!("gz:{text}"));
    }
    dir
}

#[tokio::test]
async fn each_app_answers_its_own_addresses_compressed_as_the_browser_accepts() {
    let files = two_apps_dir();
    let app = spawn_app_with(AppOptions { static_dir: Some(files.path().to_owned()), ..AppOptions::default() }).await;
    let get = |path: &str, accept: &'static str| {
        let mut request = app.client.get(format!("{}{path}", app.url));
        if !accept.is_empty() {
            request = request.header(ACCEPT_ENCODING, accept);
        }
        request.send()
    };
    let field = "<!doctype html><script type=module>field()</script>";
    let oversight = "<!doctype html><script type=module>oversight()</script>";

    for (path, html) in [
        ("/", field),
        ("/children/abc", field),
        ("/join", field),
        ("/oversightly", field),
        ("/oversight/", oversight),
        ("/oversight/children/abc", oversight),
        ("/oversight/settings", oversight),
    ] {
        let plain = get(path, "").await.expect("sent");
        assert_eq!(plain.status(), StatusCode::OK, "{path}");
        assert_eq!(plain.headers().get(CONTENT_ENCODING), None, "{path}");
        assert_eq!(plain.text().await.expect("text"), html, "{path}");
        let br = get(path, "gzip, deflate, br").await.expect("sent");
        assert_eq!(br.headers().get(CONTENT_ENCODING).map(|v| v.as_bytes()), Some(&b"br"[..]), "{path}");
        let vary = br.headers().get_all(VARY).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
        assert!(vary.to_ascii_lowercase().contains("accept-encoding"), "{path}: {vary}");
        assert_eq!(br.text().await.expect("text"), format!("br:{html}"), "{path}");
        let gz = get(path, "gzip").await.expect("sent");
        assert_eq!(gz.headers().get(CONTENT_ENCODING).map(|v| v.as_bytes()), Some(&b"gzip"[..]), "{path}");
        assert_eq!(gz.text().await.expect("text"), format!("gz:{html}"), "{path}");
    }
    let wasm = get("/oversight/oversight-0123456789abcdef_bg.wasm", "br").await.expect("sent");
    assert_eq!(wasm.headers().get(CONTENT_TYPE).map(|v| v.as_bytes()), Some(&b"application/wasm"[..]));
    assert!(wasm.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("").contains("immutable"));
    assert_eq!(wasm.text().await.expect("text"), "br:oversight wasm");

    // Both apps' loaders may run, and no other inline script.
    let policy = get("/", "").await.expect("sent");
    let policy = policy.headers().get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let hashes = policy.matches("'sha256-").count();
    assert_eq!(hashes, 2, "{policy}");
}

#[tokio::test]
async fn without_an_app_only_the_api_answers() {
    let app = spawn_app().await;

    let response = app.client.get(format!("{}/", app.url)).send().await.expect("sent");

    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_static_dir_without_index_html_is_refused_at_start() {
    let empty = tempfile::tempdir().expect("temp dir");
    let data = tempfile::tempdir().expect("temp dir");
    let config = tongxing_ingest::ServeConfig {
        addr: "127.0.0.1:0".to_owned(),
        metrics_addr: None,
        data_dir: data.path().to_owned(),
        database_url: None,
        static_dir: Some(empty.path().to_owned()),
        cors_origins: CorsOrigins::Any,
        max_photo_bytes: tongxing_ingest::photos::DEFAULT_MAX_PHOTO_BYTES,
        photo_grace_hours: tongxing_ingest::photos::cleanup::DEFAULT_PHOTO_GRACE_HOURS,
        app_url: None,
        rate_limit: Default::default(),
        max_in_flight: tongxing_ingest::http::config::DEFAULT_MAX_IN_FLIGHT,
        ..tongxing_ingest::ServeConfig::default()
    };

    let error = tongxing_ingest::Server::bind(&config).await.err().expect("refused");

    assert!(error.to_string().contains("index.html"), "{error}");
}

#[tokio::test]
async fn with_star_a_page_on_another_origin_may_send_visits() {
    let app = spawn_app_with(AppOptions { cors_origins: CorsOrigins::Any, ..AppOptions::default() }).await;
    let visit = visit();
    let url = app.api(&format!("/visits/{}", visit.id));

    let preflight = app
        .client
        .request(Method::OPTIONS, &url)
        .header(ORIGIN, "https://app.example.org")
        .header(ACCESS_CONTROL_REQUEST_METHOD, "PUT")
        .header(ACCESS_CONTROL_REQUEST_HEADERS, "content-type,accept-language")
        .send()
        .await
        .expect("sent");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let header = |name| preflight.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    assert_eq!(header(ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(header(ACCESS_CONTROL_ALLOW_METHODS).contains("put"), "{}", header(ACCESS_CONTROL_ALLOW_METHODS));
    assert!(header(ACCESS_CONTROL_ALLOW_HEADERS).contains("content-type"));
    app.assert_nothing_stored().await;

    let put = app.client.put(&url).header(ORIGIN, "https://app.example.org").json(&visit).send().await.expect("sent");
    assert_eq!(put.status(), StatusCode::CREATED);
    assert_eq!(put.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).map(|v| v.as_bytes()), Some(&b"*"[..]));
    let exposed = put.headers().get(ACCESS_CONTROL_EXPOSE_HEADERS).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(exposed.to_ascii_lowercase().contains("retry-after"), "{exposed}");
}

#[tokio::test]
async fn a_list_of_origins_admits_only_those() {
    let origins: CorsOrigins = "https://app.example.org".parse().expect("origins");
    let app = spawn_app_with(AppOptions { cors_origins: origins, ..AppOptions::default() }).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.api("/health"))
            .header(ORIGIN, origin)
            .header(ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .send()
    };

    let admitted = preflight("https://app.example.org").await.expect("sent");
    let refused = preflight("https://evil.example.com").await.expect("sent");

    assert_eq!(
        admitted.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).map(|v| v.as_bytes()),
        Some(&b"https://app.example.org"[..])
    );
    assert_eq!(refused.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN), None);
}

#[tokio::test]
async fn health_is_503_when_the_database_does_not_answer() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    let data = tempfile::tempdir().expect("temp dir");
    let pool = db::open(data.path()).await.expect("database");
    pool.close().await;
    let photos = tongxing_ingest::photos::PhotoStore::open(data.path(), 1024, None).await.expect("photo folders");
    let state = tongxing_ingest::http::AppState {
        writes: tongxing_ingest::store::group_commit::GroupCommit::start(pool.clone()),
        known_tokens: std::sync::Arc::new(tongxing_ingest::store::workers::KnownTokens::new(&pool)),
        pool,
        photos,
        static_app: None,
        rate_limits: tongxing_ingest::http::rate_limits::RateLimits::new(Default::default()),
        app_url: None,
        door: tongxing_ingest::http::api::door::Door::new(1, 1, Default::default()),
        content_security_policy: tongxing_ingest::http::response_headers::content_security_policy(&[], &[]),
        daily_upload_bytes: tongxing_ingest::http::config::DEFAULT_DAILY_UPLOAD_BYTES,
        exports_under_way: Default::default(),
        download_links: Default::default(),
        recovery_key: tongxing_ingest::store::recovery::ServerKey::from_bytes([0; 32]),
        county: tongxing_core::wire::CountyPolicy {
            key: tongxing_core::unsent_file::CountySecret::from_seed(&[0; 32]).public(),
            keep_sent_visit_days: 30,
            pin_rule: Default::default(),
        },
        county_secret: tongxing_core::unsent_file::CountySecret::from_seed(&[0; 32]),
    };
    let router = tongxing_ingest::http::router(state, &CorsOrigins::Any);

    let request = Request::get("/api/v1/health").header("accept-language", "en").body(Body::empty()).expect("request");
    let response = router.oneshot(request).await.expect("answered");

    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key(RETRY_AFTER));
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.expect("body");
    let body: tongxing_core::wire::ErrorBody = serde_json::from_slice(&bytes).expect("ErrorBody");
    assert_eq!(body.error.as_str(), "unavailable");
    assert_eq!(body.message, tongxing_ingest::ApiError::Unavailable.message(tongxing_core::Lang::En));
}
