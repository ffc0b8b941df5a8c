//! "Close the doors", the server's part: what a supervisor's phone keeps of what it reads
//! (no-store, lists that are not files, download names without children's names), what
//! anyone can do without a token (floods of bogus tokens and enrolments, slow headers),
//! what one phone can do to the disk (quotas, conflict rows, revision jumps, exports), the
//! modes of the data files, the app's headers, and formulas in CSV. Every refusal is a 4xx
//! with a JSON error body, nothing refused is stored, and nothing answers 5xx where the
//! client is at fault.

use crate::common;

use std::time::Duration;

use common::{child, spawn_app, spawn_app_with, visit, with_actions, AppOptions, TestApp};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use tongxing_core::child::Child;
use tongxing_core::worker::{Place, Role};
use tongxing_core::Visit;
use tongxing_ingest::http::openapi::document_json;
use tongxing_ingest::store::db::{self, Engine};
use uuid::Uuid;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

/// Every documented call as (method, concrete address): a UUID, a photo hash or a word in
/// each `{…}`.
fn documented_calls() -> Vec<(Method, String)> {
    let doc: Value = serde_json::from_str(&document_json().expect("the document")).expect("JSON");
    let mut calls = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let address: String = template
            .split('/')
            .map(|part| match part {
                "{id}" => Uuid::new_v4().to_string(),
                "{sha256}" => "0".repeat(64),
                "{what}" => "visits".to_owned(),
                part if part.starts_with('{') => "probe".to_owned(),
                part => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().expect("a path item").keys() {
            if let Ok(method) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) {
                calls.push((method, address.clone()));
            }
        }
    }
    calls
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Asserts the headers every API answer carries.
fn assert_api_headers(response: &reqwest::Response, what: &str) {
    assert_eq!(header(response, CACHE_CONTROL.as_str()).as_deref(), Some("no-store"), "{what}: Cache-Control");
    assert_eq!(header(response, "x-content-type-options").as_deref(), Some("nosniff"), "{what}: nosniff");
    assert_eq!(header(response, "referrer-policy").as_deref(), Some("no-referrer"), "{what}: Referrer-Policy");
}

// ---- Item 4: a supervisor's phone keeps what it reads ----

#[tokio::test]
async fn every_api_answer_is_no_store_errors_and_overload_included() {
    let app = spawn_app_with(AppOptions { strangers_in_flight: Some(1), ..AppOptions::default() }).await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let stranger = Client::new();
    let calls = documented_calls();
    assert!(calls.len() >= 14, "{calls:?}");
    for (method, address) in &calls {
        for (who, client) in [("no token", &stranger), ("a director", &app.client), ("a supervisor", &supervisor)] {
            let response = client
                .request(method.clone(), format!("{}{address}", app.url))
                .header("Content-Length", "0")
                .send()
                .await
                .expect("answered");
            assert_api_headers(&response, &format!("{method} {address} by {who} ({})", response.status()));
        }
    }
    // The router's own 404 and 405, a bad token's 401, a CORS preflight.
    let not_found = stranger.get(app.api("/nothing/here")).send().await.expect("answered");
    assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
    assert_api_headers(&not_found, "an unknown address");
    let not_allowed = app.client.delete(app.api("/health")).send().await.expect("answered");
    assert_eq!(not_allowed.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_api_headers(&not_allowed, "another method");
    let bad_token = common::client_with_token("not-a-token").get(app.api("/children")).send().await.expect("answered");
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
    assert_api_headers(&bad_token, "a bad token");

    // Overload: the one stranger's place is taken by an enrolment whose body never comes.
    let mut stalled = tokio::net::TcpStream::connect(app.url.trim_start_matches("http://")).await.expect("connect");
    let head =
        "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
    tokio::io::AsyncWriteExt::write_all(&mut stalled, head.as_bytes()).await.expect("sent");
    let overloaded = loop {
        let response = stranger.get(app.api("/health")).send().await.expect("answered");
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            break response;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!(overloaded.headers().contains_key("retry-after"));
    assert_api_headers(&overloaded, "overloaded");
    drop(stalled);
    app.stop().await;
}

/// Sends a child's file with an ID number, a guardian and a note, and a visit with a
/// free-text answer, as the director.
async fn send_a_childs_file_and_visit(app: &TestApp) -> (Child, Visit) {
    let child = Child { notes: "母亲离家出走，父亲酗酒".into(), ..child() };
    assert_eq!(app.put_child(&child).await.status(), StatusCode::CREATED);
    let visit = with_actions(&Visit { child_id: child.id, ..visit() }, "已联系派出所核实家暴情况");
    assert_eq!(app.put_visit(&visit).await.status(), StatusCode::CREATED);
    (child, visit)
}

#[tokio::test]
async fn lists_carry_only_what_the_list_shows_not_the_file() {
    let app = spawn_app().await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let (child, visit) = send_a_childs_file_and_visit(&app).await;
    let id_number = child.id_number.clone().expect("the sample has an ID number");
    let guardian = child.guardians[0].name.clone();
    let guardian_phone = child.guardians[0].phone.clone();

    for path in ["/children", "/visits"] {
        let response = supervisor.get(app.api(path)).send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.expect("a body");
        let secrets = [
            id_number.as_str(),
            &guardian,
            &guardian_phone,
            &child.notes,
            &child.school,
            "已联系派出所",
            "answers",
            "guardians",
        ];
        for secret in secrets {
            assert!(!text.contains(secret), "{path} carries {secret:?}: {text}");
        }
        let page: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(page["total"], 1, "{path}: {text}");
    }
    let children: Value =
        supervisor.get(app.api("/children")).send().await.expect("answered").json().await.expect("JSON");
    let line = &children["items"][0];
    assert_eq!(
        (line["id"].as_str(), line["name"].as_str()),
        (Some(child.id.to_string().as_str()), Some(child.name.as_str()))
    );
    let visits: Value = supervisor.get(app.api("/visits")).send().await.expect("answered").json().await.expect("JSON");
    let line = &visits["items"][0];
    assert_eq!(line["child_id"].as_str(), Some(child.id.to_string().as_str()));
    assert_eq!(line["visit_date"].as_str(), visit.visit_date().map(|d| d.to_string()).as_deref());
    assert_eq!(line["risk_colour"].as_str(), visit.risk_colour().map(|c| c.code()));

    // The whole file comes only from the audited read of one child.
    let file = supervisor.get(app.api(&format!("/children/{}", child.id))).send().await.expect("answered");
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.text().await.expect("a body").contains(&id_number));
    app.stop().await;
}

#[tokio::test]
async fn download_names_say_township_kind_and_day_never_a_childs_name() {
    let app = spawn_app().await;
    let township = app.director.place.township.clone();
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&township, ""), "王督导").await;
    let (child, _) = send_a_childs_file_and_visit(&app).await;
    let encoded = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    for (path, kind) in [
        ("/exports/visits?format=csv".to_owned(), "走访记录"),
        ("/exports/children?format=xlsx".to_owned(), "儿童信息"),
        (format!("/children/{}/archive", child.id), "儿童档案"),
    ] {
        let response = supervisor.get(app.api(&path)).send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_api_headers(&response, &path);
        let disposition = header(&response, CONTENT_DISPOSITION.as_str()).expect("Content-Disposition");
        assert!(!disposition.contains(&encoded(&child.name)), "{path}: {disposition}");
        assert!(disposition.contains(&encoded(&township)), "{path} names the township: {disposition}");
        assert!(disposition.contains(&encoded(kind)), "{path} names what it holds: {disposition}");
        assert!(disposition.contains(&encoded("导出")), "{path} names the day: {disposition}");
    }
    app.stop().await;
}

// ---- Item 5: anyone can stall the server without a token ----

#[tokio::test]
async fn a_bogus_invite_code_is_refused_while_the_write_lock_is_held() {
    let app = spawn_app().await;
    // Another writer holds the database's write lock (as a long batch of visits would).
    let pool = app.pool().await;
    let writer = tongxing_ingest::store::db::begin_write(&pool).await.expect("the write lock");

    let started = std::time::Instant::now();
    let bogus = serde_json::json!({"code": "no-such-code-at-all", "name": "张三", "phone": "13800138000"});
    let response = Client::new().post(app.api("/enroll")).json(&bogus).send().await.expect("answered");
    common::expect_error(response, StatusCode::NOT_FOUND, "invite_not_found").await;
    let response = Client::new().get(app.api("/invites/no-such-code-at-all")).send().await.expect("answered");
    common::expect_error(response, StatusCode::NOT_FOUND, "invite_not_found").await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused without waiting for the lock: {:?}",
        started.elapsed()
    );

    writer.rollback().await.expect("released");
    pool.close().await;
    app.stop().await;
}

/// A server with the strangers' limits of a real one.
async fn spawn_app_with_real_doors() -> TestApp {
    spawn_app_with(AppOptions {
        strangers_in_flight: Some(tongxing_ingest::http::api::door::DEFAULT_STRANGERS_IN_FLIGHT),
        stranger_rate: Some(tongxing_ingest::http::api::door::default_stranger_rate()),
        ..AppOptions::default()
    })
    .await
}

#[tokio::test]
async fn a_flood_without_good_tokens_never_makes_a_phones_visit_wait_or_fail() {
    let app = spawn_app_with_real_doors().await;
    let bogus_enrolment = serde_json::json!({"code": "guessed-code", "name": "张三", "phone": "13800138000"});
    let bad_token = common::client_with_token("guessed-token-0123456789");
    let stranger = Client::new();
    let flood = (0..400).map(|n| {
        let request = match n % 4 {
            0 => stranger.post(app.api("/enroll")).json(&bogus_enrolment),
            1 => stranger.get(app.api("/invites/guessed-code")),
            2 => bad_token.put(app.api(&format!("/visits/{}", Uuid::new_v4()))).json(&visit()),
            _ => stranger.get(app.api("/children")),
        };
        async move {
            let response = request.send().await.expect("answered");
            let status = response.status().as_u16();
            let retry_after = response.headers().contains_key("retry-after");
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, retry_after, body["error"].as_str().map(str::to_owned))
        }
    });
    let visits: Vec<Visit> = (0..40).map(|_| visit()).collect();
    let phone = visits.iter().map(|visit| async { app.put_visit(visit).await.status() });
    let (flood, phone) = tokio::join!(futures::future::join_all(flood), futures::future::join_all(phone));

    assert!(phone.iter().all(StatusCode::is_success), "every visit of the enrolled phone is stored: {phone:?}");
    assert_eq!(app.current_visits().await.len(), visits.len());
    let mut turned_away = 0;
    for (status, retry_after, error) in &flood {
        assert!(matches!(status, 401 | 404 | 429 | 503), "a flood request got {status} {error:?}");
        assert!(error.is_some(), "a JSON error body for {status}");
        if matches!(status, 429 | 503) {
            turned_away += 1;
            assert!(retry_after, "{status} says when to come back");
            assert!(matches!(error.as_deref(), Some("rate_limited" | "overloaded")), "{error:?}");
        }
    }
    assert!(turned_away >= 300, "the flood is turned away at the door: {turned_away} of {}", flood.len());
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_stalls_in_its_request_line_is_disconnected() {
    let app =
        spawn_app_with(AppOptions { header_read_timeout: Some(Duration::from_millis(300)), ..AppOptions::default() })
            .await;
    let address = app.url.trim_start_matches("http://").to_owned();
    for half in ["GET /api/v1/hea", "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: appl"] {
        let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
        tokio::io::AsyncWriteExt::write_all(&mut stream, half.as_bytes()).await.expect("sent");
        let mut buffer = [0_u8; 256];
        let read =
            tokio::time::timeout(Duration::from_secs(5), tokio::io::AsyncReadExt::read(&mut stream, &mut buffer))
                .await
                .unwrap_or_else(|_| panic!("still connected 5 s after sending {half:?}"));
        assert!(matches!(read, Ok(0) | Err(_)), "closed without an answer: {read:?}");
    }
    // A client that sends its request whole is still served.
    let response = Client::new().get(app.api("/health")).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    app.stop().await;
}

// ---- Item 6: one phone can fill the disk ----

#[tokio::test]
async fn a_phone_over_its_daily_photo_bytes_waits_for_the_next_day_even_after_a_restart() {
    use common::photos::{jpeg_of_len, sha256};
    let options = || AppOptions { daily_upload_bytes: Some(10_000), ..AppOptions::default() };
    let app = spawn_app_with(options()).await;
    for _ in 0..2 {
        let photo = jpeg_of_len(4_000);
        assert_eq!(app.put_photo(&sha256(&photo), photo).await.status(), StatusCode::CREATED);
    }
    let third = jpeg_of_len(4_000);
    let response = app.put_photo(&sha256(&third), third.clone()).await;
    let wait: u32 = header(&response, "retry-after").and_then(|s| s.parse().ok()).expect("Retry-After");
    assert!((1..=86_400).contains(&wait), "until the next day: {wait}");
    common::expect_error(response, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    assert!(app.kept_photo(&sha256(&third)).await.is_none(), "nothing of the refused photo is kept");
    // Pieces count too.
    let response = app.put_piece(&sha256(&third), &third, 0..3_000).await;
    common::expect_error(response, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    assert!(app.staged_upload(&sha256(&third)).await.is_none());

    // A restart does not give a fresh share; another phone (enrolled at the restart) has its own.
    let used_up = app.token.clone();
    let data = app.stop().await;
    let app = spawn_app_with(AppOptions { data: Some(data), ..options() }).await;
    let other = app.client.clone();
    let response = common::client_with_token(&used_up)
        .put(app.api(&format!("/photos/{}", sha256(&third))))
        .body(third.clone())
        .send()
        .await
        .expect("answered");
    common::expect_error(response, StatusCode::TOO_MANY_REQUESTS, "quota_exceeded").await;
    let response =
        other.put(app.api(&format!("/photos/{}", sha256(&third)))).body(third.clone()).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::CREATED);
    app.stop().await;
}

#[tokio::test]
async fn conflicting_bodies_of_one_revision_stop_at_the_cap() {
    let app = spawn_app().await;
    let held = visit();
    assert_eq!(app.put_visit(&held).await.status(), StatusCode::CREATED);
    let cap = tongxing_ingest::store::records::CONFLICTS_PER_RECORD_MAX;
    for n in 0..cap {
        let response = app.put_visit(&with_actions(&held, &format!("第{n}次"))).await;
        assert_eq!(response.status(), StatusCode::OK, "conflict {n} kept aside");
    }
    let response = app.put_visit(&with_actions(&held, "再来一次")).await;
    let body = common::expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "too_many_conflicts").await;
    assert!(common::is_chinese(&body.message));
    // One already kept is recognised, not refused; nothing more is stored.
    assert_eq!(app.put_visit(&with_actions(&held, "第0次")).await.status(), StatusCode::OK);
    assert_eq!(app.conflicts_of::<Visit>().await.len(), usize::try_from(cap).expect("small"));
    app.stop().await;
}

#[tokio::test]
async fn a_revision_may_not_jump_so_far_that_it_freezes_the_record() {
    let app = spawn_app().await;
    let step = tongxing_core::revision_step::REVISION_STEP_MAX;
    for revision in [step + 1, u32::MAX] {
        let jumped = Visit { revision, ..visit() };
        let body =
            common::expect_error(app.put_visit(&jumped).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
        assert!(body.fields.get("revision").is_some(), "{body:?}");
        let child = Child { revision, ..child() };
        let body = common::expect_error(app.put_child(&child).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
        assert!(body.fields.get("revision").is_some(), "{body:?}");
    }
    app.assert_nothing_stored().await;

    let held = visit();
    assert_eq!(app.put_visit(&held).await.status(), StatusCode::CREATED);
    let frozen = Visit { revision: u32::MAX, ..with_actions(&held, "冻结") };
    common::expect_error(app.put_visit(&frozen).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    let next = common::revised(&held, "下一次");
    assert_eq!(app.put_visit(&next).await.status(), StatusCode::OK, "the honest next revision is stored");
    let current = app.current_visits().await;
    assert_eq!(current.iter().map(|v| v.record.revision).collect::<Vec<_>>(), [2]);
    app.stop().await;
}

#[tokio::test]
async fn a_second_export_of_one_phone_while_the_first_is_written_waits() {
    let app = spawn_app().await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let (child, _) = send_a_childs_file_and_visit(&app).await;
    // The first export waits to write its audit row while another writer holds the lock:
    // SQLite's write lock; on PostgreSQL, the audit log's table.
    let pool = app.pool().await;
    let writer = match Engine::of_pool(&pool) {
        Engine::Sqlite => db::begin_write(&pool).await.expect("the write lock"),
        Engine::Postgres => {
            let mut writer = pool.begin().await.expect("a transaction");
            sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE").execute(&mut *writer).await.expect("the lock");
            writer
        }
    };
    let exports = [app.api("/exports/visits?format=csv"), app.api(&format!("/children/{}/archive", child.id))];
    let first = tokio::spawn(supervisor.get(exports[0].clone()).send());
    // Time enough for the first to take its turn and wait on the lock.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let response = supervisor.get(exports[1].clone()).send().await.expect("answered");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break response;
        }
        assert!(!first.is_finished(), "the first export is held by the lock");
    };
    assert!(header(&second, "retry-after").is_some());
    common::expect_error(second, StatusCode::TOO_MANY_REQUESTS, "export_under_way").await;
    writer.rollback().await.expect("released");
    let first = first.await.expect("the task").expect("answered");
    assert_eq!(first.status(), StatusCode::OK);
    assert!(first.text().await.expect("the file").contains(&child.name));
    // Once the first is written, the next may start.
    assert_eq!(supervisor.get(exports[1].clone()).send().await.expect("answered").status(), StatusCode::OK);
    pool.close().await;
    app.stop().await;
}

// ---- Item 7: the data files and the app's headers ----

#[cfg(unix)]
#[tokio::test]
async fn the_data_files_are_the_servers_alone_whatever_the_umask() {
    use common::photos::{jpeg_of_len, sha256};
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
    };
    // The process's umask lets others read what is made without a mode (typically 022).
    let probe = tempfile::tempdir().expect("temp dir");
    std::fs::write(probe.path().join("probe"), b"x").expect("written");
    assert_ne!(mode(&probe.path().join("probe")) & 0o044, 0, "this test needs an umask that lets others read");

    // SQLite's files among the data directory's.
    let app = spawn_app_with(AppOptions { sqlite: true, ..AppOptions::default() }).await;
    let whole = jpeg_of_len(3_000);
    assert_eq!(app.put_photo(&sha256(&whole), whole.clone()).await.status(), StatusCode::CREATED);
    let half_sent = jpeg_of_len(3_000);
    assert_eq!(app.put_piece(&sha256(&half_sent), &half_sent, 0..1_000).await.status(), StatusCode::ACCEPTED);
    assert_eq!(app.put_visit(&visit()).await.status(), StatusCode::CREATED);

    let data = app.data.path().to_owned();
    let photo = app.photo_path(&sha256(&whole));
    let folders = [
        data.clone(),
        data.join("photos"),
        photo.parent().expect("a shard").to_owned(),
        data.join("partial"),
        data.join("tmp"),
    ];
    for folder in &folders {
        assert_eq!(mode(folder), 0o700, "{}", folder.display());
    }
    let files = [
        data.join("tongxing.db"),
        data.join("tongxing.db-wal"),
        data.join("tongxing.db-shm"),
        photo,
        app.partial_path(&sha256(&half_sent)),
    ];
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    app.stop().await;
}

#[tokio::test]
async fn the_app_is_served_with_a_content_security_policy() {
    let site = tempfile::tempdir().expect("temp dir");
    // As Trunk writes it: an inline loader of the WebAssembly, which the policy names by hash.
    let index = "<!doctype html><title>童行</title><script type=module>alert(1)</script><script defer src=register-sw.js></script>";
    std::fs::write(site.path().join("index.html"), index).expect("index.html");
    std::fs::write(site.path().join("register-sw.js"), "navigator.serviceWorker.register('/sw.js');")
        .expect("a script");
    let allowed = "https://tx.example.gov.cn,http://localhost:8080".parse().expect("origins");
    let app = spawn_app_with(AppOptions {
        static_dir: Some(site.path().to_owned()),
        allowed_servers: allowed,
        ..AppOptions::default()
    })
    .await;
    let expected = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; \
                    style-src 'self'; img-src 'self' blob: data:; \
                    connect-src 'self' https://tx.example.gov.cn http://localhost:8080; worker-src 'self'; manifest-src 'self'; \
                    frame-ancestors 'none'; object-src 'none'; base-uri 'self'";
    let client = Client::new();
    for (method, path) in [
        (Method::GET, "/"),
        (Method::GET, "/register-sw.js"),
        (Method::GET, "/township/children/x"),
        (Method::HEAD, "/"),
        (Method::POST, "/"),
    ] {
        let response = client.request(method.clone(), format!("{}{path}", app.url)).send().await.expect("answered");
        let at = format!("{method} {path} ({})", response.status());
        assert!(!response.status().is_server_error(), "{at}");
        assert_eq!(header(&response, "content-security-policy").as_deref(), Some(expected), "{at}");
        assert_eq!(header(&response, "x-content-type-options").as_deref(), Some("nosniff"), "{at}");
        assert_eq!(header(&response, "referrer-policy").as_deref(), Some("no-referrer"), "{at}");
    }
    app.stop().await;
}

// ---- Item 9: formulas in every CSV the server writes ----

/// Every cell of a CSV (after its byte order mark), header included.
fn csv_cells(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader
        .records()
        .flat_map(|record| record.expect("a CSV row").iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

fn assert_no_formula(what: &str, cells: &[String], names: &[String]) {
    for cell in cells {
        // A tab before an ID number or a landline keeps its digits; it runs nothing.
        let kept_number = cell.strip_prefix('\t').is_some_and(|n| n.chars().all(|c| c.is_ascii_digit() || c == 'X'));
        assert!(
            kept_number || !cell.starts_with(tongxing_ingest::export::FORMULA_STARTS),
            "{what}: a cell a spreadsheet would run: {cell:?}"
        );
    }
    for name in names {
        assert!(cells.iter().any(|cell| *cell == format!("'{name}")), "{what}: {name:?} is there, guarded");
    }
}

#[tokio::test]
async fn no_csv_the_server_writes_starts_a_cell_with_a_formula() {
    use common::photos::{jpeg, sha256, with_photos};
    use tongxing_core::export::ExportFormat;
    use tongxing_core::RecordKind;
    use tongxing_ingest::export::ExportRequest;
    let app = spawn_app().await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let mut names = Vec::new();
    for start in tongxing_ingest::export::FORMULA_STARTS {
        let name = format!("{start}HYPERLINK(\"http://x\",\"点我\")");
        let child = Child { name: name.clone(), notes: format!("{start}1+1"), ..child() };
        if app.put_child(&child).await.status() != StatusCode::CREATED {
            assert!(start.is_whitespace(), "{start:?} is a name's first character a phone may send");
            continue;
        }
        let photo = jpeg();
        assert_eq!(app.put_photo(&sha256(&photo), photo.clone()).await.status(), StatusCode::CREATED);
        let visit = with_photos(
            &with_actions(&Visit { child_id: child.id, ..visit() }, &format!("{start}cmd|' /C calc'!A0")),
            &[&photo],
        );
        assert_eq!(app.put_visit(&visit).await.status(), StatusCode::CREATED, "{start:?}");
        names.push(name);
    }
    assert!(names.len() >= 8, "{names:?}");

    // Readable CSV, as a supervisor downloads it.
    for what in ["children", "visits"] {
        let response = supervisor.get(app.api(&format!("/exports/{what}?format=csv"))).send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.expect("the file");
        assert_no_formula(&format!("readable {what}"), &csv_cells(&bytes), &names);
    }
    // csv-codes, as the command line writes it.
    let pool = app.pool().await;
    for kind in [RecordKind::Child, RecordKind::Visit] {
        let (out, _) =
            tongxing_ingest::export::export(&pool, &ExportRequest::new(kind, ExportFormat::CsvCodes), Vec::new())
                .await
                .expect("exported");
        let expected = if kind == RecordKind::Child { names.clone() } else { Vec::new() };
        assert_no_formula(&format!("csv-codes {kind:?}"), &csv_cells(&out), &expected);
    }
    // The photos' index.csv.
    let store = crate::common::photo_store(app.data.path());
    let zip_path = app.data.path().join("photos.zip");
    tongxing_ingest::export::photos::export_photos(
        &pool,
        &store,
        tongxing_ingest::export::photos::PhotoGrouping::Child,
        &zip_path,
    )
    .await
    .expect("exported");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).expect("the zip")).expect("a zip");
    let mut index = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("index.csv").expect("index.csv"), &mut index).expect("read");
    assert_no_formula("index.csv", &csv_cells(&index), &names);
    pool.close().await;
    app.stop().await;
}

#[tokio::test]
async fn behind_a_proxy_each_forwarded_client_has_its_own_share() {
    let app = spawn_app_with(AppOptions {
        stranger_rate: Some(tongxing_ingest::http::api::door::default_stranger_rate()),
        behind_proxy: true,
        ..AppOptions::default()
    })
    .await;
    let client = Client::new();
    let invite =
        |forwarded: &'static str| client.get(app.api("/invites/guessed-code")).header("X-Forwarded-For", forwarded);
    let burst = tongxing_ingest::http::api::door::DEFAULT_STRANGER_RATE_BURST;
    // Its burst, then 429 (on a slow machine the share refills a little meanwhile: at 2 a
    // second, twice the burst is far more than the calls take to refill).
    let mut statuses = Vec::new();
    while statuses.last() != Some(&429) && statuses.len() < 2 * burst as usize {
        statuses.push(invite("203.0.113.9, 198.51.100.7").send().await.expect("answered").status().as_u16());
    }
    assert_eq!(statuses.last(), Some(&429), "one forwarded client over its share: {statuses:?}");
    assert!(statuses.len() > burst as usize, "not limited before its burst: {statuses:?}");
    // Another client behind the same proxy is not held up by the first.
    let response = invite("203.0.113.9, 198.51.100.8").send().await.expect("answered");
    common::expect_error(response, StatusCode::NOT_FOUND, "invite_not_found").await;
    app.stop().await;
}
