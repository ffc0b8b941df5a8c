//! Hostile clients against the real server (loopback port, SQLite file): broken, cut,
//! mistyped, huge, deeply nested and non-UTF-8 bodies; bad ids and hashes in addresses;
//! path traversal; wrong methods and content types; oversize bodies by `Content-Length`
//! and by chunked streaming; bodies that trickle or stall; bad `Content-Range`s; visits
//! naming photos by bad hashes. Each of those carries a valid director's device token, so
//! that it reaches what it is meant to test.
//!
//! Then the device tokens themselves: no token, and empty, garbage, overlong, non-ASCII and
//! wrong-scheme `Authorization` headers, wrong and revoked tokens, on every route that needs
//! one, alone and with malformed, oversize and stalled bodies (the `401` comes first, before
//! the body is read); records of another village or township (`403 out_of_scope`); a
//! supervisor sending records (`403 forbidden`); enrolment with broken bodies and unknown,
//! expired and used-up invite codes; invite addresses with traversal and huge codes.
//!
//! Every answer must be a 4xx with a JSON error body, never a 5xx, never a connection
//! dropped without an answer; the database shows nothing stored or changed by what was
//! refused; afterwards the server still answers `health` and still stores a good visit.
//!
//! `cargo test -p tongxing-ingest --test api hostile_clients -- --nocapture` prints how many
//! requests were tried and how many got a 5xx.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use std::num::NonZeroU32;

use chrono::{TimeDelta, Utc};
use common::photos::{jpeg, sha256};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_RANGE, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Value};
use sqlx::AnyPool;
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tongxing_core::child::Child;
use tongxing_core::fixtures::sample_director;
use tongxing_core::wire::{ErrorBody, RevokedAs, VISIT_BODY_LIMIT};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{Visit, Worker};
use tongxing_ingest::http::rate_limits::RateLimit;
use tongxing_ingest::photos::cleanup::DEFAULT_PHOTO_GRACE_HOURS;
use tongxing_ingest::store::workers::invites::{self, NewInvite, DEFAULT_VALID_FOR};
use tongxing_ingest::store::workers::{devices, secret};
use tongxing_ingest::{CorsOrigins, ServeConfig, ServeError, Server};

const JSON: &str = "application/json";
/// The body idle timeout of the hostile server: short, so that stalled bodies are refused
/// within the test's time.
const BODY_IDLE: Duration = Duration::from_millis(800);
/// The hostile server's photo limit: small, so that oversize photos are quick to send.
const MAX_PHOTO_BYTES: u64 = 256 * 1024;
/// How long any one answer may take (a stall included).
const ANSWER_DEADLINE: Duration = Duration::from_secs(10);
/// A file beside the served app that no address may reach.
const SECRET: &str = "secret-beside-the-app-7f3a";

/// The server with a served app (for the static routes), a small photo limit, a short
/// body idle timeout, a rate limit no test run reaches (one device sends every hostile
/// request; the limit itself is tested in `enrolment_api.rs`), and a director enrolled.
///
/// One server for every group of hostile requests, each group a test of its own (see
/// [`group`]): no group changes what another looks at (each counts only the ids, hashes,
/// villages and codes it made), as when they all ran at once in one test. It runs on a
/// thread and runtime of its own, since each test's runtime ends with its test, and stops
/// when the last group is done (see [`GroupDone`]).
struct HostileServer {
    addr: String,
    /// The director of the sample child's village, and her token.
    director: Worker,
    token: String,
    data: TempDir,
    site: TempDir,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    thread: Mutex<Option<std::thread::JoinHandle<Result<(), ServeError>>>>,
}

/// The hostile server as one group sees it: clients of its own, since a client's pooled
/// connections belong to the runtime (the test) that opened them.
struct HostileApp {
    addr: String,
    /// Sends as [`HostileApp::director`]: every request carries her token.
    client: Client,
    /// Sends no token unless told to.
    bare: Client,
    /// The director of the sample child's village, and her token.
    director: Worker,
    token: String,
    /// `Authorization: Bearer <token>\r\n`, for requests written by hand.
    authorization: String,
    data: &'static TempDir,
}

/// The hostile server, started by the first group that asks.
fn hostile_server() -> &'static HostileServer {
    static SERVER: OnceLock<HostileServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let (started, server) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("hostile server".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(4)
                    .enable_all()
                    .build()
                    .expect("a runtime");
                runtime.block_on(async move {
                    let (server, running) = spawn_hostile_server().await;
                    started.send(server).expect("the tests wait for the server");
                    running.await
                })
            })
            .expect("a thread");
        let mut server: HostileServer = server.recv().expect("the hostile server starts");
        server.thread = Mutex::new(Some(thread));
        server
    })
}

async fn spawn_hostile_server() -> (HostileServer, impl std::future::Future<Output = Result<(), ServeError>>) {
    // In Cargo's folder for tests' files: a run of only some groups never stops the server,
    // and leaves them there rather than in the system's temp folder.
    let temp =
        || tempfile::Builder::new().prefix("hostile-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let data = temp();
    // site/app holds the app; site/secret.txt sits beside it, one `..` away.
    let site = temp();
    let app_dir = site.path().join("app");
    std::fs::create_dir(&app_dir).expect("app dir");
    std::fs::write(app_dir.join("index.html"), "<!doctype html><title>Tongxing</title>").expect("index.html");
    std::fs::write(site.path().join("secret.txt"), SECRET).expect("secret");
    let config = ServeConfig {
        addr: "127.0.0.1:0".to_owned(),
        data_dir: data.path().to_owned(),
        database_url: crate::common::test_database_url(),
        photo_store: crate::common::test_photo_store(data.path()),
        static_dir: Some(app_dir),
        cors_origins: CorsOrigins::Any,
        max_photo_bytes: MAX_PHOTO_BYTES,
        photo_grace_hours: DEFAULT_PHOTO_GRACE_HOURS,
        app_url: None,
        rate_limit: RateLimit {
            per_second: NonZeroU32::new(100_000).expect("non-zero"),
            burst: NonZeroU32::new(100_000).expect("non-zero"),
        },
        max_in_flight: tongxing_ingest::http::config::DEFAULT_MAX_IN_FLIGHT,
        // Every hostile request comes from one address; the strangers' limits are tested in
        // `hostile_doors_s2.rs`.
        strangers_in_flight: tongxing_ingest::http::config::DEFAULT_MAX_IN_FLIGHT,
        stranger_rate: RateLimit {
            per_second: NonZeroU32::new(100_000).expect("non-zero"),
            burst: NonZeroU32::new(100_000).expect("non-zero"),
        },
        ..ServeConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(&config.addr).await.expect("bind 127.0.0.1:0");
    let server =
        Server::with_listener(listener, &config).await.expect("server starts").with_body_idle_timeout(BODY_IDLE);
    let addr = server.local_addr().expect("local addr").to_string();
    let (stop, stopped) = oneshot::channel::<()>();
    let running = server.run_until(async {
        let _ = stopped.await;
    });
    let running = tokio::spawn(running);
    let url = format!("http://{addr}");
    let director = sample_director();
    let code = common::invite(data.path(), Role::Director, &director.place).await;
    let enrolled = common::enroll_over_http(&url, &code, &director.name).await;
    let server = HostileServer {
        addr,
        director: enrolled.worker,
        token: enrolled.token,
        data,
        site,
        stop: Mutex::new(Some(stop)),
        thread: Mutex::new(None),
    };
    (server, async move { running.await.expect("server task") })
}

/// A client that gives up after [`ANSWER_DEADLINE`] and sends `authorization`, if any, with
/// every request.
fn client_with(authorization: Option<&[u8]>) -> Client {
    let mut headers = HeaderMap::new();
    if let Some(value) = authorization {
        headers.insert(AUTHORIZATION, HeaderValue::from_bytes(value).expect("a header value"));
    }
    Client::builder().timeout(ANSWER_DEADLINE).default_headers(headers).build().expect("client")
}

impl HostileApp {
    /// The shared server, with clients of this group's own.
    fn connect() -> HostileApp {
        let server = hostile_server();
        HostileApp {
            addr: server.addr.clone(),
            client: client_with(Some(format!("Bearer {}", server.token).as_bytes())),
            bare: client_with(None),
            director: server.director.clone(),
            authorization: format!("Authorization: Bearer {}\r\n", server.token),
            token: server.token.clone(),
            data: &server.data,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A fresh connection pool on the server's database, as a second process would have.
    async fn pool(&self) -> AnyPool {
        crate::common::open_db(self.data.path()).await
    }

    /// Enrols a worker of `role` for `place` with an invite made in the database.
    async fn enrol(&self, role: Role, place: &Place, name: &str) -> (Worker, String) {
        let code = common::invite(self.data.path(), role, place).await;
        let enrolled = common::enroll_over_http(&self.url(""), &code, name).await;
        (enrolled.worker, enrolled.token)
    }
}

/// An answer as the client saw it.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    www_authenticate: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).chars().take(300).collect()
    }
}

/// What a hostile request must get.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A 4xx with a JSON error body.
    Refusal,
    /// This status with a JSON error body of this code.
    Error(u16, &'static str),
    /// `401` with a JSON error body of this code and `WWW-Authenticate: Bearer`.
    Unauthorized(&'static str),
    /// `422 invalid` naming at least these fields.
    Invalid(&'static [&'static str]),
    /// A 4xx status; its body is not the router's (hyper refuses a request it cannot parse
    /// before any route runs, and a `HEAD` answer has no body).
    BareRefusal,
    /// Anything but a 5xx, as long as the secret file's bytes are not in it (the app's
    /// addresses answer `index.html` for any address that is not a file).
    NoLeak,
    /// This status (a client that is slow but sends a good visit is served).
    Success(u16),
}

/// What was tried and what went wrong, reported at the end rather than at the first
/// problem so that one run shows every one.
#[derive(Default)]
struct Tally {
    tried: usize,
    server_errors: usize,
    problems: Vec<String>,
}

struct Hostile {
    app: HostileApp,
    tally: Mutex<Tally>,
    /// A valid visit's JSON, to break; a valid child's file, to break.
    visit: Value,
    child: Value,
}

impl Hostile {
    /// Notes a problem found in the database or on disk, when `ok` is false.
    fn expect_that(&self, ok: bool, problem: impl FnOnce() -> String) {
        if !ok {
            self.tally.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).problems.push(problem());
        }
    }

    fn note(&self, label: &str, answer: Result<Answer, String>, expect: Expect) {
        let problem = match &answer {
            Err(error) => Some(format!("no answer ({error})")),
            Ok(answer) => check(answer, expect).err(),
        };
        let mut tally = self.tally.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tally.tried += 1;
        if answer.as_ref().is_ok_and(|a| a.status >= 500) {
            tally.server_errors += 1;
        }
        if let Some(problem) = problem {
            tally.problems.push(format!("{label}: {problem}"));
        }
    }

    async fn send(&self, label: &str, request: RequestBuilder, expect: Expect) {
        self.note(label, send(request).await, expect);
    }

    async fn raw(&self, label: &str, request: Vec<u8>, expect: Expect) {
        self.note(label, raw(&self.app.addr, request, Vec::new()).await, expect);
    }

    /// `head`, then each `(pause, bytes)` in turn, while the answer is read.
    async fn raw_paced(&self, label: &str, head: impl Into<Vec<u8>>, steps: Vec<(Duration, Vec<u8>)>, expect: Expect) {
        self.note(label, raw(&self.app.addr, head.into(), steps).await, expect);
    }

    /// A request head (`Connection: close`) with the director's token.
    fn head(&self, method: &str, target: &str, extra: &str) -> String {
        format!(
            "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{}{extra}\r\n",
            self.app.authorization
        )
    }

    /// A whole request with a body, with the director's token.
    fn with_body(&self, method: &str, target: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
        let authorization = format!("Bearer {}", self.app.token);
        with_body_as(Some(authorization.as_bytes()), method, target, content_type, body)
    }

    fn put(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> RequestBuilder {
        self.app.client.put(self.app.url(path)).header(CONTENT_TYPE, content_type).body(body)
    }

    /// A visit body of a fresh id, changed by `change`, sent to its own address.
    async fn put_visit_json(&self, label: &str, change: impl FnOnce(&mut Value), expect: Expect) {
        let fresh = common::visit();
        let mut json = self.visit.clone();
        json["id"] = json!(fresh.id);
        change(&mut json);
        let body = serde_json::to_vec(&json).unwrap_or_default();
        self.send(label, self.put(&format!("/api/v1/visits/{}", fresh.id), JSON, body), expect).await;
    }

    async fn put_child_json(&self, label: &str, change: impl FnOnce(&mut Value), expect: Expect) {
        let fresh = common::child();
        let mut json = self.child.clone();
        json["id"] = json!(fresh.id);
        change(&mut json);
        let body = serde_json::to_vec(&json).unwrap_or_default();
        self.send(label, self.put(&format!("/api/v1/children/{}", fresh.id), JSON, body), expect).await;
    }
}

fn check(answer: &Answer, expect: Expect) -> Result<(), String> {
    let (status, text) = (answer.status, answer.text());
    if status >= 500 {
        return Err(format!("{status} {text}"));
    }
    let json_error = || -> Result<ErrorBody, String> {
        if !answer.content_type.starts_with(JSON) {
            return Err(format!("{status} not JSON ({:?}): {text}", answer.content_type));
        }
        let body: ErrorBody =
            serde_json::from_slice(&answer.body).map_err(|e| format!("{status} not an ErrorBody ({e}): {text}"))?;
        if body.error.as_str().trim().is_empty() || body.message.trim().is_empty() {
            return Err(format!("{status} an empty error or message: {text}"));
        }
        Ok(body)
    };
    match expect {
        Expect::Refusal if (400..500).contains(&status) => json_error().map(drop),
        Expect::Error(want, code) if status == want => match json_error()? {
            body if body.error.as_str() == code => Ok(()),
            body => Err(format!("{status} {}, not {code}", body.error)),
        },
        Expect::Unauthorized(code) if status == 401 => match json_error()? {
            body if body.error.as_str() != code => Err(format!("{status} {}, not {code}", body.error)),
            _ if answer.www_authenticate.as_deref() != Some("Bearer") => {
                Err(format!("{status} {code} with WWW-Authenticate {:?}", answer.www_authenticate))
            }
            _ => Ok(()),
        },
        Expect::Invalid(fields) if status == 422 => match json_error()? {
            body if body.error.as_str() != "invalid" => Err(format!("{status} {}, not invalid", body.error)),
            body => match fields.iter().find(|field| body.fields.get(field).is_none()) {
                Some(field) => Err(format!("{status} invalid without {field}: {text}")),
                None => Ok(()),
            },
        },
        Expect::BareRefusal if (400..500).contains(&status) => Ok(()),
        Expect::NoLeak if !answer.body.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) => Ok(()),
        Expect::NoLeak => Err(format!("{status} the secret file leaked")),
        Expect::Success(want) if status == want => Ok(()),
        _ => Err(format!("{status}, expected {expect:?}: {text}")),
    }
}

async fn send(request: RequestBuilder) -> Result<Answer, String> {
    let response = request.send().await.map_err(|e| format!("{e:?}"))?;
    let status = response.status().as_u16();
    let header = |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
    let content_type = header(CONTENT_TYPE).unwrap_or_default();
    let www_authenticate = header(WWW_AUTHENTICATE);
    let body = response.bytes().await.map_err(|e| format!("body: {e:?}"))?.to_vec();
    Ok(Answer { status, content_type, www_authenticate, body })
}

/// Writes `request` on a connection of its own, then each paced step, while reading the
/// answer to its end (requests say `Connection: close`). Writing may fail once the server
/// has answered; the answer is what counts.
async fn raw(addr: &str, request: Vec<u8>, steps: Vec<(Duration, Vec<u8>)>) -> Result<Answer, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| format!("connect: {e}"))?;
    let (mut reader, mut writer) = stream.into_split();
    let is_head = request.starts_with(b"HEAD ");
    let writing = tokio::spawn(async move {
        writer.write_all(&request).await?;
        for (pause, bytes) in steps {
            tokio::time::sleep(pause).await;
            writer.write_all(&bytes).await?;
        }
        // Keep the write side open: a half-closed connection is not a finished body.
        std::future::pending::<()>().await;
        Ok::<_, std::io::Error>(writer)
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(ANSWER_DEADLINE, async {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
                // A reset after the answer is fine; before it, there is no answer below.
                Err(_) => break,
            }
        }
    })
    .await;
    writing.abort();
    if read.is_err() {
        return Err(format!("no answer within {ANSWER_DEADLINE:?}: {}", String::from_utf8_lossy(&answer)));
    }
    parse_answer(&answer, is_head)
}

/// An HTTP/1.1 answer: status, `Content-Type` and body (a `100 Continue` skipped, a chunked
/// body put together; none to a `HEAD`).
fn parse_answer(mut bytes: &[u8], is_head: bool) -> Result<Answer, String> {
    loop {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("no answer (connection closed after {:?})", String::from_utf8_lossy(bytes)))?;
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let rest = &bytes[end + 4..];
        let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).ok_or_else(|| format!("status line: {head}"))?;
        if status == 100 {
            bytes = rest;
            continue;
        }
        let header = |name: &str| {
            head.lines().skip(1).find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
            })
        };
        let body = if is_head {
            Vec::new()
        } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            dechunk(rest)?
        } else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            rest.get(..length).ok_or("the body was cut short")?.to_vec()
        } else {
            rest.to_vec()
        };
        return Ok(Answer {
            status,
            content_type: header("content-type").unwrap_or_default(),
            www_authenticate: header("www-authenticate"),
            body,
        });
    }
}

fn dechunk(mut bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = bytes.windows(2).position(|w| w == b"\r\n").ok_or("a chunk without its size")?;
        let size_text = String::from_utf8_lossy(&bytes[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("chunk size {size_text:?}: {e}"))?;
        if size == 0 {
            return Ok(body);
        }
        let chunk = bytes.get(line_end + 2..line_end + 2 + size).ok_or("a chunk cut short")?;
        body.extend_from_slice(chunk);
        bytes = bytes.get(line_end + 4 + size..).ok_or("a chunk cut short")?;
    }
}

/// A request head with `Connection: close`; `authorization` is its `Authorization` value,
/// if any (any bytes); `extra` is more header lines, each ending in `\r\n`.
fn head_as(authorization: Option<&[u8]>, method: &str, target: &str, extra: &str) -> Vec<u8> {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n").into_bytes();
    if let Some(value) = authorization {
        head.extend_from_slice(b"Authorization: ");
        head.extend_from_slice(value);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(extra.as_bytes());
    head.extend_from_slice(b"\r\n");
    head
}

fn with_body_as(authorization: Option<&[u8]>, method: &str, target: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = head_as(
        authorization,
        method,
        target,
        &format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", body.len()),
    );
    request.extend_from_slice(body);
    request
}

fn chunk(bytes: &[u8]) -> Vec<u8> {
    let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
    chunk.extend_from_slice(bytes);
    chunk.extend_from_slice(b"\r\n");
    chunk
}

/// Values of every JSON type, to put where another type belongs.
fn wrong_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(""),
        json!("x"),
        json!([]),
        json!([1, "a"]),
        json!({}),
        json!({"a": 1}),
    ]
}

fn json_type(value: &Value) -> u8 {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// Malformed, cut-short, deeply nested and non-UTF-8 bodies, on both record routes.
async fn broken_bodies(h: &Hostile) {
    for (kind, json) in [("visits", &h.visit), ("children", &h.child)] {
        let id = json["id"].as_str().unwrap_or_default().to_owned();
        let path = format!("/api/v1/{kind}/{id}");
        let text = serde_json::to_vec(json).unwrap_or_default();
        // Cut at every 50th byte (the empty body included).
        for cut in (0..text.len()).step_by(50) {
            let label = format!("{kind}: cut at byte {cut} of {}", text.len());
            h.send(&label, h.put(&path, JSON, text[..cut].to_vec()), Expect::Error(400, "malformed_json")).await;
        }
        let mut bodies: Vec<(String, Vec<u8>)> = [
            "{",
            "}",
            "[",
            "nul",
            "{\"id\":}",
            "{\"id\" \"x\"}",
            "{,}",
            "{\"a\":1,}",
            "'single'",
            "NaN",
            "-",
            "{\"revision\": 1e400}",
            "{\"revision\": 01}",
            "{\"revision\": 0x10}",
            "{\"name\": \"\\ud800\"}",
            "{\"name\": \"\\u12\"}",
            "{\"name\": \"tab\there\"}",
            "/* comment */ {}",
            "{} {}",
            "{}}",
        ]
        .iter()
        .map(|body| (format!("{kind}: malformed {body:?}"), body.as_bytes().to_vec()))
        .collect();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&text);
        bodies.push((format!("{kind}: a byte order mark"), bom));
        let mut trailing = text.clone();
        trailing.extend_from_slice(b" x");
        bodies.push((format!("{kind}: trailing text"), trailing));
        bodies
            .push((format!("{kind}: a long number"), format!("{{\"revision\": {}}}", "9".repeat(50_000)).into_bytes()));
        // Deep nesting, as the whole body and as a field's value, open and closed.
        for depth in [129, 10_000, 30_000] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
                if nested.len() > VISIT_BODY_LIMIT {
                    continue;
                }
                bodies.push((format!("{kind}: {open} nested {depth} deep"), nested.clone().into_bytes()));
                let unclosed = open.repeat(depth);
                bodies.push((format!("{kind}: {open} nested {depth} deep, unclosed"), unclosed.into_bytes()));
                let inside = format!("{{\"id\": \"{id}\", \"revision\": {nested}}}");
                bodies.push((format!("{kind}: {open} nested {depth} deep in a field"), inside.into_bytes()));
            }
        }
        // Non-UTF-8 bytes: the whole body, inside a string, inside a key.
        bodies.push((format!("{kind}: binary"), vec![0xFF, 0xFE, 0x00, 0x80, 0xC0, 0xAF]));
        for (what, bytes) in [("a string", b"\"\xFF\xFE\"".to_vec()), ("a key", b"\"\xC0\xAF\": 1, \"x\"".to_vec())] {
            let mut body = format!("{{\"id\": \"{id}\", \"name\": ").into_bytes();
            body.extend_from_slice(&bytes);
            body.extend_from_slice(b"}");
            bodies.push((format!("{kind}: non-UTF-8 in {what}"), body));
        }
        let mut latin1 = text.clone();
        for byte in latin1.iter_mut().filter(|b| **b >= 0x80) {
            *byte = 0xE9;
        }
        bodies.push((format!("{kind}: Latin-1 where UTF-8 belongs"), latin1));
        for (label, body) in bodies {
            h.send(&label, h.put(&path, JSON, body), Expect::Refusal).await;
        }
    }
}

/// Each top-level field, and each answer of a visit, given a value of another JSON type.
async fn wrong_types(h: &Hostile) {
    let visit_keys: Vec<String> = h.visit.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let answer_keys: Vec<(String, Value)> = h.visit["answers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let child_keys: Vec<String> = h.child.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    assert!(visit_keys.len() >= 7 && answer_keys.len() >= 30 && child_keys.len() >= 10, "the fixtures are whole");
    for value in wrong_values() {
        for key in &visit_keys {
            if json_type(&h.visit[key]) == json_type(&value) {
                continue;
            }
            let label = format!("visit: {key} = {value}");
            h.put_visit_json(&label, |json| json[key] = value.clone(), Expect::Refusal).await;
        }
        for (key, original) in &answer_keys {
            // A blank answer ("" or []) is no answer, whatever the field's kind.
            let blank = value == json!("") || value == json!([]);
            if json_type(original) == json_type(&value) || blank {
                continue;
            }
            let label = format!("visit: answers.{key} = {value}");
            h.put_visit_json(&label, |json| json["answers"][key] = value.clone(), Expect::Refusal).await;
        }
        for key in &child_keys {
            // `id_number` may be left out, and null says so.
            if json_type(&h.child[key]) == json_type(&value) || (key == "id_number" && value.is_null()) {
                continue;
            }
            let label = format!("child: {key} = {value}");
            h.put_child_json(&label, |json| json[key] = value.clone(), Expect::Refusal).await;
        }
    }
}

/// Huge strings within the body limit (refused by the checks) and bodies over it (413).
async fn huge_bodies(h: &Hostile) {
    let huge = "字".repeat(20_000); // 60 KB of UTF-8
    let note = json!([{"sha256": sha256(b"photo"), "caption": huge, "taken_at": "2026-11-20T02:15:00Z"}]);
    h.put_visit_json(
        "visit: a 60 KB caption",
        |json| {
            json["answers"]["photo_consent"] = json!(true);
            json["answers"]["photos"] = note;
        },
        Expect::Error(422, "invalid"),
    )
    .await;
    h.put_visit_json("visit: a 60 KB answer", |json| json["answers"]["actions_taken"] = json!(huge), Expect::Refusal)
        .await;
    h.put_visit_json("visit: a 60 KB form id", |json| json["form_id"] = json!(huge), Expect::Refusal).await;
    h.put_visit_json("visit: a 60 KB field id", |json| json["answers"][&huge] = json!(1), Expect::Refusal).await;
    h.put_child_json("child: a 60 KB name", |json| json["name"] = json!(huge), Expect::Error(422, "invalid")).await;
    h.put_child_json("child: a 60 KB village", |json| json["village"] = json!(huge), Expect::Error(422, "invalid"))
        .await;
    // Over the limit: refused with 413 before the body is read. The server then closes the
    // connection, so a client must read the answer while it writes (as browsers do); one
    // that only reads once it has written everything (reqwest) sees a broken pipe instead.
    for (kind, json, size) in [
        ("visits", &h.visit, VISIT_BODY_LIMIT + 1),
        ("visits", &h.visit, 1_000_000),
        ("visits", &h.visit, 8_000_000),
        ("children", &h.child, 200_000),
    ] {
        let mut json = json.clone();
        json["notes"] = json!("x".repeat(size));
        let body = serde_json::to_vec(&json).unwrap_or_default();
        let path = format!("/api/v1/{kind}/{}", json["id"].as_str().unwrap_or_default());
        let request = h.head("PUT", &path, &format!("Content-Type: {JSON}\r\nContent-Length: {}\r\n", body.len()));
        let label = format!("{kind}: {} bytes", body.len());
        h.raw_paced(&label, request, vec![(Duration::ZERO, body)], Expect::Error(413, "too_large")).await;
    }
}

/// Bad record ids and photo hashes in addresses, on every route that takes one, written by
/// hand so that no client library tidies them up first.
async fn bad_addresses(h: &Hostile) {
    let uuid = "6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a";
    let long = "a".repeat(10_000);
    let bad_ids = [
        "",
        "x",
        "..",
        ".",
        "%2e%2e",
        "%2e%2e%2f",
        "..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%00",
        "%ff%fe",
        "%e7%8e%8b%e5%b0%8f%e6%98%8e",
        "\u{738b}\u{5c0f}\u{660e}",
        "6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5",
        "6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a0",
        "6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5g",
        "{6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a}",
        "urn:uuid:6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a",
        "-1",
        "null",
        "%20",
        "a%2fb",
        long.as_str(),
    ];
    let bad_hashes = [
        "",
        "abc",
        &"a".repeat(63),
        &"a".repeat(65),
        &"A".repeat(64),
        &"g".repeat(64),
        &"é".repeat(32),
        "..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        &format!("..%2f{}", "a".repeat(60)),
        "%00",
        &format!("{}%00", "a".repeat(63)),
        &format!("%{}", "a".repeat(63)),
        long.as_str(),
    ];
    let visit_body = serde_json::to_vec(&h.visit).unwrap_or_default();
    for id in bad_ids {
        for kind in ["visits", "children"] {
            let target = format!("/api/v1/{kind}/{id}");
            h.raw(&format!("PUT {target:.80}"), h.with_body("PUT", &target, JSON, &visit_body), Expect::Refusal).await;
        }
    }
    for hash in bad_hashes {
        let target = format!("/api/v1/photos/{hash}");
        h.raw(&format!("PUT {target:.80}"), h.with_body("PUT", &target, "image/jpeg", &jpeg()), Expect::Refusal).await;
        let target = format!("/api/v1/photos/{hash}/upload");
        h.raw(&format!("GET {target:.80}"), h.head("GET", &target, "").into_bytes(), Expect::Refusal).await;
    }
    // Traversal that spans segments: no route matches, a JSON 404 under /api.
    for target in [
        "/api/v1/visits/../health",
        "/api/v1/visits/../../../etc/passwd",
        "/api/v1/photos/../../etc/passwd",
        "/api/v1/photos/../../etc/passwd/upload",
        &format!("/api/v1/visits/{uuid}/extra"),
        &format!("/api/v1/visits//{uuid}"),
        "/api/v1/visits",
        "/api/v1/visits/",
        "/api/v1/",
        "/api/v2/visits",
        "/api",
        "/api/v1/health/..",
        "/api/v1/%2e%2e/health",
    ] {
        h.raw(&format!("PUT {target}"), h.with_body("PUT", target, JSON, &visit_body), Expect::Refusal).await;
        h.raw(&format!("GET {target}"), h.head("GET", target, "").into_bytes(), Expect::Refusal).await;
    }
    // Not even a request hyper can read: refused before any route, with no JSON.
    for target in ["/api/v1/visits/\u{738b}", "/api/v1/visits/a b", "api/v1/health", "/api/v1/visits/\x7f"] {
        h.raw(&format!("unreadable target {target:?}"), h.head("GET", target, "").into_bytes(), Expect::BareRefusal)
            .await;
    }
    let mut binary = b"GET /api/v1/visits/".to_vec();
    binary.extend_from_slice(b"\xFF\xFE HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    h.raw("a non-UTF-8 target", binary, Expect::BareRefusal).await;
}

/// The app's static files: no address reaches the file beside it.
async fn static_traversal(h: &Hostile) {
    // The app is served, so the addresses below do reach the static files.
    let index = send(h.app.client.get(h.app.url("/index.html"))).await;
    assert!(index.is_ok_and(|a| a.status == 200 && a.text().contains("Tongxing")), "the app is served");
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e%252fsecret.txt",
        "/app/../../secret.txt",
        "/./../secret.txt",
        "/..;/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//secret.txt",
        "/index.html/../../secret.txt",
        "/\\..\\secret.txt",
    ] {
        for method in ["GET", "HEAD"] {
            h.raw(&format!("{method} {target}"), h.head(method, target, "").into_bytes(), Expect::NoLeak).await;
        }
    }
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        h.raw(
            &format!("{method} / (the app)"),
            h.with_body(method, "/", JSON, b"{}"),
            Expect::Error(405, "method_not_allowed"),
        )
        .await;
    }
}

/// Methods that the routes do not take: a JSON 405.
async fn wrong_methods(h: &Hostile) {
    let id = common::visit().id;
    let hash = sha256(b"photo");
    let routes = [
        // GET is a worker's read of one visit whole (a visit that does not exist is 404).
        (format!("/api/v1/visits/{id}"), &["PUT", "GET"][..]),
        // GET is a supervisor's read of the child's file (a director gets 403 for it).
        (format!("/api/v1/children/{id}"), &["PUT", "GET"][..]),
        (format!("/api/v1/photos/{hash}"), &["PUT"][..]),
        (format!("/api/v1/photos/{hash}/upload"), &["GET"][..]),
        ("/api/v1/health".to_owned(), &["GET"][..]),
    ];
    for (path, allowed) in &routes {
        // Not OPTIONS: the CORS layer answers it (a preflight) with 200 and no body.
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "FOO"] {
            if allowed.contains(&method) {
                continue;
            }
            let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST);
            let request = h.app.client.request(method.clone(), h.app.url(path)).header(CONTENT_TYPE, JSON).body("{}");
            h.send(&format!("{method} {path}"), request, Expect::Error(405, "method_not_allowed")).await;
        }
        if !allowed.contains(&"GET") {
            // A HEAD answer never has a body; the status must still refuse.
            h.send(&format!("HEAD {path}"), h.app.client.head(h.app.url(path)), Expect::BareRefusal).await;
        }
    }
}

/// Record bodies not declared as JSON: 415.
async fn wrong_content_types(h: &Hostile) {
    let body = serde_json::to_vec(&h.visit).unwrap_or_default();
    let id = h.visit["id"].as_str().unwrap_or_default().to_owned();
    for kind in ["visits", "children"] {
        let path = format!("/api/v1/{kind}/{id}");
        for content_type in [
            "text/plain",
            "text/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "application/json-patch",
            "application",
            "application/",
            "json",
            "*/*",
            "",
            "image/jpeg",
            "application/xml",
        ] {
            let label = format!("{kind}: Content-Type {content_type:?}");
            h.send(&label, h.put(&path, content_type, body.clone()), Expect::Error(415, "unsupported_media_type"))
                .await;
        }
        let bare = h.app.client.put(h.app.url(&path)).body(body.clone());
        h.send(&format!("{kind}: no Content-Type"), bare, Expect::Error(415, "unsupported_media_type")).await;
        let mut latin1 = h.head("PUT", &path, &format!("Content-Length: {}\r\n", body.len())).into_bytes();
        // A header value with bytes that are not ASCII.
        latin1.truncate(latin1.len() - 2);
        latin1.extend_from_slice(b"Content-Type: application/\xE9json\r\n\r\n");
        latin1.extend_from_slice(&body);
        h.raw(&format!("{kind}: a Latin-1 Content-Type"), latin1, Expect::Error(415, "unsupported_media_type")).await;
    }
}

/// Bodies over the limit as declared (headers only, nothing more sent) and as streamed in
/// chunks.
async fn oversize_bodies(h: &Hostile) {
    let id = h.visit["id"].as_str().unwrap_or_default().to_owned();
    let hash = sha256(b"a photo never sent");
    for (path, content_type, limit) in [
        (format!("/api/v1/visits/{id}"), JSON, VISIT_BODY_LIMIT as u64),
        (format!("/api/v1/children/{id}"), JSON, VISIT_BODY_LIMIT as u64),
        (format!("/api/v1/photos/{hash}"), "image/jpeg", MAX_PHOTO_BYTES),
    ] {
        for length in [limit + 1, 10 * limit, 1 << 50] {
            let request =
                h.head("PUT", &path, &format!("Content-Type: {content_type}\r\nContent-Length: {length}\r\n"));
            h.raw(
                &format!("PUT {path} declaring {length} bytes"),
                request.into_bytes(),
                Expect::Error(413, "too_large"),
            )
            .await;
        }
        // hyper itself refuses a length it cannot count (431, before any route runs).
        let request =
            h.head("PUT", &path, &format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", u64::MAX));
        h.raw(&format!("PUT {path} declaring u64::MAX bytes"), request.into_bytes(), Expect::BareRefusal).await;
        // Chunks until the limit is crossed, then more; the server refuses as it goes.
        let start = if content_type == JSON { b"{\"form_id\": \"".to_vec() } else { jpeg() };
        let mut steps = vec![(Duration::ZERO, chunk(&start))];
        let piece = vec![b'x'; 32 * 1024];
        for _ in 0..=(limit as usize / piece.len() + 2) {
            steps.push((Duration::ZERO, chunk(&piece)));
        }
        let request = h.head("PUT", &path, &format!("Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n"));
        h.raw_paced(&format!("PUT {path} chunked past its limit"), request, steps, Expect::Error(413, "too_large"))
            .await;
    }
    let bad_length =
        h.head("PUT", &format!("/api/v1/visits/{id}"), "Content-Type: application/json\r\nContent-Length: 12x\r\n");
    h.raw("a Content-Length that is no number", bad_length.into_bytes(), Expect::BareRefusal).await;
}

/// Bodies that trickle (served) or stall (refused once the idle timeout passes), on every
/// route with a body.
async fn slow_bodies(h: &Hostile) {
    let good = common::visit();
    let body = serde_json::to_vec(&good).unwrap_or_default();
    let path = format!("/api/v1/visits/{}", good.id);
    let json_head =
        |length: usize| h.head("PUT", &path, &format!("Content-Type: {JSON}\r\nContent-Length: {length}\r\n"));
    // A byte or a few at a time, each well within the idle timeout: slow, but served.
    let trickle: Vec<(Duration, Vec<u8>)> =
        body.chunks(body.len() / 12 + 1).map(|piece| (BODY_IDLE / 4, piece.to_vec())).collect();
    h.raw_paced("a visit that trickles", json_head(body.len()), trickle, Expect::Success(201)).await;

    let started = Instant::now();
    let half = body[..body.len() / 2].to_vec();
    h.raw_paced("headers, then nothing", json_head(body.len()), Vec::new(), Expect::Error(408, "body_timeout")).await;
    h.raw_paced(
        "half a body, then nothing",
        json_head(body.len()),
        vec![(Duration::ZERO, half.clone())],
        Expect::Error(408, "body_timeout"),
    )
    .await;
    let chunked = h.head("PUT", &path, &format!("Content-Type: {JSON}\r\nTransfer-Encoding: chunked\r\n"));
    h.raw_paced(
        "a chunked body that stalls",
        chunked,
        vec![(Duration::ZERO, chunk(&half))],
        Expect::Error(408, "body_timeout"),
    )
    .await;
    let child = common::child();
    let child_head = h.head(
        "PUT",
        &format!("/api/v1/children/{}", child.id),
        &format!("Content-Type: {JSON}\r\nContent-Length: 500\r\n"),
    );
    h.raw_paced(
        "a child's file that stalls",
        child_head,
        vec![(Duration::ZERO, b"{\"id\"".to_vec())],
        Expect::Error(408, "body_timeout"),
    )
    .await;
    // A photo keeps nothing of a stalled whole body; a piece keeps what came.
    let photo = jpeg();
    let photo_head = h.head(
        "PUT",
        &format!("/api/v1/photos/{}", sha256(&photo)),
        &format!("Content-Type: image/jpeg\r\nContent-Length: {}\r\n", photo.len() + 10),
    );
    h.raw_paced(
        "a photo that stalls",
        photo_head,
        vec![(Duration::ZERO, photo.clone())],
        Expect::Error(400, "incomplete_body"),
    )
    .await;
    let piece_head = h.head(
        "PUT",
        &format!("/api/v1/photos/{}", sha256(&photo)),
        &format!(
            "Content-Type: image/jpeg\r\nContent-Range: bytes 0-{}/{}\r\nContent-Length: {}\r\n",
            photo.len() - 1,
            photo.len(),
            photo.len()
        ),
    );
    let first = photo[..photo.len() / 2].to_vec();
    h.raw_paced(
        "a photo piece that stalls",
        piece_head,
        vec![(Duration::ZERO, first)],
        Expect::Error(400, "incomplete_body"),
    )
    .await;
    let stalls = started.elapsed();
    assert!(
        stalls < BODY_IDLE * 6 + Duration::from_secs(3),
        "six stalls, each refused after the idle timeout: {stalls:?}"
    );
}

/// Photo pieces with `Content-Range`s that are not ranges, or not this upload's.
async fn bad_content_ranges(h: &Hostile) {
    let photo = jpeg();
    let hash = sha256(&photo);
    let path = format!("/api/v1/photos/{hash}");
    let size = photo.len();
    let full = |range: &str| format!("bytes {range}/{size}");
    let ranges = [
        String::new(),
        "bytes".into(),
        "bytes 0-9".into(),
        full("9-0"),
        format!("bytes 0-{size}/{size}"),
        full("-1-5"),
        "bytes 0-5/*".into(),
        format!("bytes */{size}"),
        format!("items 0-5/{size}"),
        full("+0-5"),
        full("0 -5"),
        format!("bytes=0-5/{size}"),
        "bytes 0-5/99999999999999999999999".into(),
        "bytes 0-18446744073709551615/18446744073709551615".into(),
        "bytes 18446744073709551615-18446744073709551615/18446744073709551615".into(),
        full("0x0-0x5"),
        full("٠-٥"),
        format!("bytes 0-5/{size}, bytes 6-9/{size}"),
        full(&"9".repeat(5_000)),
    ];
    for range in &ranges {
        let request = h.put(&path, "image/jpeg", photo.clone()).header(CONTENT_RANGE, range.as_str());
        h.send(&format!("Content-Range {range:.60?}"), request, Expect::Refusal).await;
    }
    // A body longer than its range, a size over the limit, a piece that does not start at 0.
    let longer = h.put(&path, "image/jpeg", photo.clone()).header(CONTENT_RANGE, full("0-9"));
    h.send("a body longer than its range", longer, Expect::Error(400, "bad_range")).await;
    let too_big = format!("bytes 0-9/{}", MAX_PHOTO_BYTES + 1);
    let request = h.put(&path, "image/jpeg", photo[..10].to_vec()).header(CONTENT_RANGE, too_big);
    h.send("a size over the limit", request, Expect::Error(413, "too_large")).await;
    let request = h.put(&path, "image/jpeg", photo[5..10].to_vec()).header(CONTENT_RANGE, full("5-9"));
    h.send("a piece after a gap", request, Expect::Error(409, "upload_offset")).await;
    let mut latin1 = h.head("PUT", &path, "Content-Type: image/jpeg\r\nContent-Length: 10\r\n").into_bytes();
    latin1.truncate(latin1.len() - 2);
    latin1.extend_from_slice(b"Content-Range: bytes 0-9/\xE9\r\n\r\n");
    latin1.extend_from_slice(&photo[..10]);
    h.raw("a Latin-1 Content-Range", latin1, Expect::Error(400, "bad_range")).await;
}

/// Visits whose photo slot names photos by what are not hashes.
async fn bad_photo_notes(h: &Hostile) {
    let taken_at = "2026-11-20T02:15:00Z";
    let notes = [
        json!([{"sha256": "abc", "taken_at": taken_at}]),
        json!([{"sha256": "A".repeat(64), "taken_at": taken_at}]),
        json!([{"sha256": "../../etc/passwd", "taken_at": taken_at}]),
        json!([{"sha256": format!("../../{}", "a".repeat(58)), "taken_at": taken_at}]),
        json!([{"sha256": "%2e%2e%2f".repeat(7) + "a", "taken_at": taken_at}]),
        json!([{"sha256": "a".repeat(65), "taken_at": taken_at}]),
        json!([{"sha256": 12345, "taken_at": taken_at}]),
        json!([{"sha256": null, "taken_at": taken_at}]),
        json!([{"taken_at": taken_at}]),
        json!([{"sha256": sha256(b"x"), "taken_at": "yesterday"}]),
        json!([{"sha256": sha256(b"x"), "taken_at": taken_at, "path": "/etc/passwd"}]),
        json!([{"sha256": sha256(b"x")}]),
        json!([sha256(b"x")]),
        json!(["../../etc/passwd"]),
        json!({"sha256": sha256(b"x"), "taken_at": taken_at}),
    ];
    for note in notes {
        let label = format!("visit: photos = {note:.80}");
        h.put_visit_json(
            &label,
            |json| {
                json["answers"]["photo_consent"] = json!(true);
                json["answers"]["photos"] = note;
            },
            Expect::Refusal,
        )
        .await;
    }
    // Well-formed hashes of photos the server never got.
    let unknown = json!([{"sha256": sha256(b"never sent"), "taken_at": taken_at}]);
    h.put_visit_json(
        "visit: a photo the server lacks",
        |json| {
            json["answers"]["photo_consent"] = json!(true);
            json["answers"]["photos"] = unknown;
        },
        Expect::Error(409, "missing_photos"),
    )
    .await;
}

/// An `Authorization` header that must not get past the door: what it is, its value (none:
/// no header at all; any bytes) and the error it must get.
struct BadAuthorization {
    label: String,
    value: Option<Vec<u8>>,
    code: &'static str,
}

impl BadAuthorization {
    fn expect(&self) -> Expect {
        Expect::Unauthorized(self.code)
    }
}

/// Every kind of bad `Authorization`: `token` is a valid token (to garble) and `revoked` one
/// whose device was revoked.
fn bad_authorizations(token: &str, revoked: &str) -> Vec<BadAuthorization> {
    let unauthorized =
        |label: &str, value: Option<Vec<u8>>| BadAuthorization { label: label.to_owned(), value, code: "unauthorized" };
    let bearer = |token: &str| Some(format!("Bearer {token}").into_bytes());
    let mut latin1_after_token = format!("Bearer {token}").into_bytes();
    latin1_after_token.push(0xE9);
    vec![
        unauthorized("no Authorization", None),
        unauthorized("an empty Authorization", Some(Vec::new())),
        unauthorized("Bearer alone", Some(b"Bearer".to_vec())),
        unauthorized("Bearer and spaces", Some(b"Bearer     ".to_vec())),
        unauthorized("garbage", Some(b"garbage".to_vec())),
        unauthorized("a garbage token", bearer("garbage")),
        unauthorized("a 10 KB token", bearer(&"a".repeat(10 * 1024))),
        unauthorized("a 64 KB token", bearer(&"A".repeat(64 * 1024))),
        unauthorized("a Chinese token", bearer("王小明的令牌")),
        unauthorized("a Latin-1 token", Some(b"Bearer \xE9\xE9\xE9\xE9".to_vec())),
        unauthorized("the token and a Latin-1 byte", Some(latin1_after_token)),
        unauthorized("Basic credentials", Some(b"Basic dXNlcjpwYXNzd29yZA==".to_vec())),
        unauthorized("the token as Basic", Some(format!("Basic {token}").into_bytes())),
        unauthorized("the token as Token", Some(format!("Token {token}").into_bytes())),
        unauthorized("the token with no scheme", Some(token.as_bytes().to_vec())),
        unauthorized("Bearer and a tab", Some(format!("Bearer\t{token}").into_bytes())),
        unauthorized("the token with a byte more", bearer(&format!("{token}x"))),
        unauthorized("the token a byte short", bearer(&token[..token.len() - 1])),
        unauthorized("the token twice", bearer(&format!("{token} {token}"))),
        unauthorized("the token in capitals", bearer(&token.to_uppercase())),
        unauthorized("a token of the same shape", bearer(&"A".repeat(token.len()))),
        unauthorized("the token's hash, as kept", bearer(&secret::hash(token))),
        BadAuthorization { label: "a revoked token".to_owned(), value: bearer(revoked), code: "revoked" },
        BadAuthorization {
            label: "a revoked token, bearer in lower case".to_owned(),
            value: Some(format!("bearer {revoked}").into_bytes()),
            code: "revoked",
        },
    ]
}

impl Hostile {
    /// A request from a client with no token of its own, with `authorization` if any.
    fn as_caller(&self, authorization: Option<&[u8]>, method: Method, path: &str) -> RequestBuilder {
        let request = self.app.bare.request(method, self.app.url(path));
        match authorization {
            Some(value) => request.header(AUTHORIZATION, HeaderValue::from_bytes(value).expect("a header value")),
            None => request,
        }
    }
}

/// Every route that needs a token, called with every bad `Authorization`: well-formed
/// calls, then malformed, oversize, stalled and mis-addressed ones, which must get the same
/// `401` (the token is checked before anything of the body is read). Nothing is stored.
async fn bad_tokens(h: &Hostile) {
    let (revoked_worker, revoked) = h.app.enrol(Role::Director, &h.app.director.place, "被停用的手机").await;
    let pool = h.app.pool().await;
    let outcome = devices::revoke(&pool, revoked_worker.id, RevokedAs::Left, None, &common::county(), Utc::now())
        .await
        .expect("revoked");
    assert_eq!(outcome, devices::Revoked::Now);

    // One address of each kind for every call, so that the database can be checked below.
    let visit = common::visit();
    let child = common::child();
    let photo = jpeg();
    let hash = sha256(&photo);
    let visit_path = format!("/api/v1/visits/{}", visit.id);
    let child_path = format!("/api/v1/children/{}", child.id);
    let photo_path = format!("/api/v1/photos/{hash}");
    let upload_path = format!("/api/v1/photos/{hash}/upload");
    let visit_body = serde_json::to_vec(&visit).unwrap_or_default();
    let child_body = serde_json::to_vec(&child).unwrap_or_default();
    // A village no invite is made for, so that an invite made by mistake would show.
    const NO_VILLAGE: &str = "无权村";
    let invite_body = serde_json::to_vec(&json!({"role": "director", "village": NO_VILLAGE})).unwrap_or_default();
    let size = photo.len();
    let vault = uuid::Uuid::new_v4().to_string();
    let key_body = serde_json::to_vec(&json!({"vault_id": vault, "key": "ab".repeat(32)})).unwrap_or_default();
    let recovery_path = format!("/api/v1/devices/{}/recovery", h.app.director.id);
    let claim_body = serde_json::to_vec(&json!({"vault_id": vault, "code": "1234 5678"})).unwrap_or_default();

    let auths = bad_authorizations(&h.app.token, &revoked);
    for auth in &auths {
        let value = auth.value.as_deref();
        let call = |method: Method, path: &str| h.as_caller(value, method, path);
        let label = |what: &str| format!("{}: {what}", auth.label);
        // Well-formed calls on every route.
        let well_formed = [
            ("PUT a visit", call(Method::PUT, &visit_path).header(CONTENT_TYPE, JSON).body(visit_body.clone())),
            ("PUT a child", call(Method::PUT, &child_path).header(CONTENT_TYPE, JSON).body(child_body.clone())),
            ("PUT a photo", call(Method::PUT, &photo_path).header(CONTENT_TYPE, "image/jpeg").body(photo.clone())),
            (
                "PUT a photo piece",
                call(Method::PUT, &photo_path)
                    .header(CONTENT_TYPE, "image/jpeg")
                    .header(CONTENT_RANGE, format!("bytes 0-9/{size}"))
                    .body(photo[..10].to_vec()),
            ),
            ("GET a photo's upload", call(Method::GET, &upload_path)),
            (
                "POST an invite",
                call(Method::POST, "/api/v1/invites").header(CONTENT_TYPE, JSON).body(invite_body.clone()),
            ),
            (
                "PUT a recovery key",
                call(Method::PUT, "/api/v1/devices/me/recovery-key").header(CONTENT_TYPE, JSON).body(key_body.clone()),
            ),
            ("POST a recovery", call(Method::POST, &recovery_path)),
            ("GET the county today", call(Method::GET, "/api/v1/county/today")),
            ("GET the county's statistics", call(Method::GET, "/api/v1/county/statistics")),
            ("GET the county's workbook", call(Method::GET, "/api/v1/county/statistics.xlsx")),
            ("GET the audit log", call(Method::GET, "/api/v1/county/audit?action=enroll&page=2")),
        ];
        for (what, request) in well_formed {
            h.send(&label(what), request, auth.expect()).await;
        }
        // Two Authorization headers, the bad one first.
        let mut twice = call(Method::PUT, &visit_path).header(CONTENT_TYPE, JSON).body(visit_body.clone());
        if value.is_some() {
            twice = twice
                .header(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {}", h.app.token)).expect("a value"));
            h.send(&label("then the good token in a second header"), twice, auth.expect()).await;
        }
        // The routes that need no token do not mind a bad one.
        h.send(
            &label("GET an unknown invite"),
            call(Method::GET, "/api/v1/invites/no-such-code"),
            Expect::Error(404, "invite_not_found"),
        )
        .await;
        h.send(&label("GET health"), call(Method::GET, "/api/v1/health"), Expect::Success(200)).await;
        h.send(
            &label("POST a recovery claim"),
            call(Method::POST, "/api/v1/recovery").header(CONTENT_TYPE, JSON).body(claim_body.clone()),
            Expect::Error(403, "recovery_refused"),
        )
        .await;
        // Malformed calls that would each get their own 4xx with a token: the 401 first.
        let malformed = [
            ("a visit of broken JSON", call(Method::PUT, &visit_path).header(CONTENT_TYPE, JSON).body("{")),
            ("a visit of the wrong JSON", call(Method::PUT, &visit_path).header(CONTENT_TYPE, JSON).body("[]")),
            ("a visit with no fields", call(Method::PUT, &visit_path).header(CONTENT_TYPE, JSON).body("{}")),
            (
                "a visit as text/plain",
                call(Method::PUT, &visit_path).header(CONTENT_TYPE, "text/plain").body(visit_body.clone()),
            ),
            (
                "a visit of binary",
                call(Method::PUT, &visit_path).header(CONTENT_TYPE, JSON).body(vec![0xFF, 0xFE, 0x00, 0x80]),
            ),
            (
                "a visit at a bad id",
                call(Method::PUT, "/api/v1/visits/not-a-uuid").header(CONTENT_TYPE, JSON).body(visit_body.clone()),
            ),
            (
                "a visit's body at a child's address",
                call(Method::PUT, &child_path).header(CONTENT_TYPE, JSON).body(visit_body.clone()),
            ),
            ("a child of broken JSON", call(Method::PUT, &child_path).header(CONTENT_TYPE, JSON).body("{\"id\"")),
            (
                "a child at a bad id",
                call(Method::PUT, "/api/v1/children/not-a-uuid").header(CONTENT_TYPE, JSON).body(child_body.clone()),
            ),
            (
                "a photo at a bad hash",
                call(Method::PUT, "/api/v1/photos/abc").header(CONTENT_TYPE, "image/jpeg").body(photo.clone()),
            ),
            (
                "a photo that is not an image",
                call(Method::PUT, &format!("/api/v1/photos/{}", sha256(b"text")))
                    .header(CONTENT_TYPE, "image/jpeg")
                    .body(&b"text"[..]),
            ),
            (
                "a photo at another photo's hash",
                call(Method::PUT, &format!("/api/v1/photos/{}", sha256(b"other")))
                    .header(CONTENT_TYPE, "image/jpeg")
                    .body(photo.clone()),
            ),
            (
                "a photo piece with a bad range",
                call(Method::PUT, &photo_path)
                    .header(CONTENT_TYPE, "image/jpeg")
                    .header(CONTENT_RANGE, format!("bytes 9-0/{size}"))
                    .body(photo[..10].to_vec()),
            ),
            (
                "a photo piece over the limit",
                call(Method::PUT, &photo_path)
                    .header(CONTENT_TYPE, "image/jpeg")
                    .header(CONTENT_RANGE, format!("bytes 0-9/{}", MAX_PHOTO_BYTES + 1))
                    .body(photo[..10].to_vec()),
            ),
            (
                "a photo piece after a gap",
                call(Method::PUT, &photo_path)
                    .header(CONTENT_TYPE, "image/jpeg")
                    .header(CONTENT_RANGE, format!("bytes 5-9/{size}"))
                    .body(photo[5..10].to_vec()),
            ),
            ("the upload of a bad hash", call(Method::GET, "/api/v1/photos/..%2f..%2fetc%2fpasswd/upload")),
            (
                "an invite of broken JSON",
                call(Method::POST, "/api/v1/invites").header(CONTENT_TYPE, JSON).body("{\"role\":"),
            ),
            (
                "an invite as text/plain",
                call(Method::POST, "/api/v1/invites").header(CONTENT_TYPE, "text/plain").body(invite_body.clone()),
            ),
        ];
        for (what, request) in malformed {
            h.send(&label(what), request, auth.expect()).await;
        }
        // Written by hand: bodies declared too large (headers only), stalled, and streamed
        // past the limit. A server that read the body first would answer 413 or 408.
        for (path, content_type) in [
            (visit_path.as_str(), JSON),
            (child_path.as_str(), JSON),
            (photo_path.as_str(), "image/jpeg"),
            ("/api/v1/invites", JSON),
        ] {
            let method = if path == "/api/v1/invites" { "POST" } else { "PUT" };
            let declared = format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", 1u64 << 40);
            h.raw(
                &label(&format!("{method} {path} declaring 1 TB")),
                head_as(value, method, path, &declared),
                auth.expect(),
            )
            .await;
            let stalls = format!("Content-Type: {content_type}\r\nContent-Length: 5000\r\n");
            h.raw_paced(
                &label(&format!("{method} {path}: a stalled body")),
                head_as(value, method, path, &stalls),
                vec![(Duration::ZERO, b"{".to_vec())],
                auth.expect(),
            )
            .await;
        }
        let chunked = format!("Content-Type: {JSON}\r\nTransfer-Encoding: chunked\r\n");
        let piece = vec![b'x'; 32 * 1024];
        let steps = std::iter::once(chunk(b"{\"form_id\": \""))
            .chain(std::iter::repeat_n(chunk(&piece), VISIT_BODY_LIMIT / piece.len() + 2))
            .map(|bytes| (Duration::ZERO, bytes))
            .collect();
        h.raw_paced(
            &label("a visit streamed past its limit"),
            head_as(value, "PUT", &visit_path, &chunked),
            steps,
            auth.expect(),
        )
        .await;
    }

    // Nothing any of them sent was kept.
    let id = visit.id.to_string();
    for (what, query, key) in [
        ("visit", "SELECT COUNT(*) FROM visits WHERE id = $1", &id),
        ("visit revision", "SELECT COUNT(*) FROM visit_revisions WHERE id = $1", &id),
        ("child", "SELECT COUNT(*) FROM children WHERE id = $1", &child.id.to_string()),
        ("photo", "SELECT COUNT(*) FROM photos WHERE sha256 = $1", &hash),
        ("photo upload", "SELECT COUNT(*) FROM photo_uploads WHERE sha256 = $1", &hash),
        ("invite", "SELECT COUNT(*) FROM invites WHERE village = $1", &NO_VILLAGE.to_owned()),
        ("recovery key", "SELECT COUNT(*) FROM recovery_keys WHERE vault_id = $1", &vault),
        ("recovery", "SELECT COUNT(*) FROM recoveries WHERE device_id = $1", &h.app.director.id.to_string()),
    ] {
        let count: i64 = sqlx::query_scalar(query).bind(key).fetch_one(&pool).await.expect("counted");
        h.expect_that(count == 0, || format!("{count} {what} rows stored for a caller without a good token"));
    }
    let kept = common::photos::kept_photo(h.app.data.path(), &hash).await;
    h.expect_that(kept.is_none(), || "a photo was kept for a caller without a good token".into());
    let staged = common::photos::staged_upload(h.app.data.path(), &hash).await;
    h.expect_that(staged.is_none(), || "a photo piece was kept for a caller without a good token".into());
    let revoked_at: Option<String> = sqlx::query_scalar("SELECT revoked_at FROM devices WHERE id = $1")
        .bind(revoked_worker.id.to_string())
        .fetch_one(&pool)
        .await
        .expect("the revoked device");
    h.expect_that(revoked_at.is_some(), || "the revoked device is revoked no more".into());
    pool.close().await;
}

/// A worker's client: every request carries `token`.
fn client_of(token: &str) -> Client {
    client_with(Some(format!("Bearer {token}").as_bytes()))
}

fn put_json<T: serde::Serialize>(client: &Client, url: String, record: &T) -> RequestBuilder {
    client.put(url).json(record)
}

/// What the server holds of one record: (revision, body, scope township, scope village,
/// sent by), from the current table, and how many revisions and conflicts it keeps.
async fn held(pool: &AnyPool, table: &str, id: uuid::Uuid) -> (Option<HeldRow>, i64, i64) {
    let (revisions, conflicts) = match table {
        "visits" => ("visit_revisions", "visit_conflicts"),
        _ => ("child_revisions", "child_conflicts"),
    };
    let row: Option<HeldRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT revision, body, scope_township, scope_village, sent_by FROM {table} WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(pool)
    .await
    .expect("record read");
    let mut counts = [0i64; 2];
    for (count, table) in counts.iter_mut().zip([revisions, conflicts]) {
        *count = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE id = $1")))
            .bind(id.to_string())
            .fetch_one(pool)
            .await
            .expect("counted");
    }
    (row, counts[0], counts[1])
}

type HeldRow = (i64, String, String, String, Option<String>);

/// Directors of another village of the same township and of another township (a village
/// of the same name) send records the first director holds, and visits to her child: `403
/// out_of_scope`, and nothing held changes.
async fn other_places(h: &Hostile) {
    let here = h.app.director.place.clone();
    let next_door = Place { township: here.township.clone(), village: "杏花村".into() };
    let elsewhere = Place { township: "白沙镇".into(), village: here.village.clone() };
    let (_, neighbour_token) = h.app.enrol(Role::Director, &next_door, "张敏").await;
    let (_, far_token) = h.app.enrol(Role::Director, &elsewhere, "赵丽").await;
    let (neighbour, far) = (client_of(&neighbour_token), client_of(&far_token));
    let visit_url = |visit: &Visit| h.app.url(&format!("/api/v1/visits/{}", visit.id));
    let child_url = |child: &Child| h.app.url(&format!("/api/v1/children/{}", child.id));

    // The director's child and a visit to her; the neighbour's own child and visit, which
    // are hers to send (so her token works, and what follows is refused for its place).
    let child = common::child();
    let visit = Visit { child_id: child.id, ..common::visit() };
    let own_child = common::child();
    let own_visit = Visit { child_id: own_child.id, ..common::visit() };
    for request in [
        put_json(&h.app.client, child_url(&child), &child),
        put_json(&h.app.client, visit_url(&visit), &visit),
        put_json(&neighbour, child_url(&own_child), &own_child),
        put_json(&neighbour, visit_url(&own_visit), &own_visit),
    ] {
        let response = request.send().await.expect("answered");
        assert_eq!(response.status(), 201, "{:?}", response.text().await);
    }

    let out_of_scope = Expect::Error(403, "out_of_scope");
    let mut refused_new = Vec::new();
    for (who, client) in [("next door", &neighbour), ("another township", &far)] {
        let label = |what: &str| format!("a director of {who}: {what}");
        let moved = Visit { child_id: own_child.id, ..common::revised(&visit, "改到别的孩子名下") };
        let new_visit = Visit { child_id: child.id, ..common::visit() };
        refused_new.push(new_visit.id);
        for (what, record) in [
            ("a newer revision of a held visit", common::revised(&visit, "别村改的")),
            ("the same revision of a held visit", visit.clone()),
            ("the same revision of a held visit, changed", common::with_actions(&visit, "别村的另一个版本")),
            ("a held visit moved to her own child", moved),
            ("a new visit to a child of another village", new_visit),
        ] {
            h.send(&label(what), put_json(client, visit_url(&record), &record), out_of_scope).await;
        }
        for (what, record) in [
            ("a newer revision of a held child's file", common::revised_child(&child, "别村改的")),
            ("the same revision of a held child's file", child.clone()),
        ] {
            h.send(&label(what), put_json(client, child_url(&record), &record), out_of_scope).await;
        }
    }
    // Another township's director and the neighbour's child and visit.
    let to_neighbours_child = Visit { child_id: own_child.id, ..common::visit() };
    refused_new.push(to_neighbours_child.id);
    h.send(
        "a director of another township: a visit to a child next door",
        put_json(&far, visit_url(&to_neighbours_child), &to_neighbours_child),
        out_of_scope,
    )
    .await;
    h.send(
        "a director of another township: a newer revision of a visit next door",
        put_json(&far, visit_url(&own_visit), &common::revised(&own_visit, "x")),
        out_of_scope,
    )
    .await;
    // And the director herself, the other way round.
    let to_own_child = common::revised(&own_visit, "主任改的");
    h.send(
        "the director: a newer revision of a visit next door",
        put_json(&h.app.client, visit_url(&to_own_child), &to_own_child),
        out_of_scope,
    )
    .await;

    // Nothing held changed: one revision each, no conflicts, still the director's.
    let pool = h.app.pool().await;
    let director_id = Some(h.app.director.id.to_string());
    for (table, id, body) in
        [("visits", visit.id, serde_json::to_value(&visit)), ("children", child.id, serde_json::to_value(&child))]
    {
        let (row, revisions, conflicts) = held(&pool, table, id).await;
        let Some((revision, held_body, township, village, sent_by)) = row else {
            h.expect_that(false, || format!("the held {table} row {id} is gone"));
            continue;
        };
        let held_body: Value = serde_json::from_str(&held_body).expect("a JSON body");
        let unchanged = revision == 1
            && Ok(held_body) == body.map_err(|e| e.to_string())
            && (&township, &village) == (&here.township, &here.village)
            && sent_by == director_id
            && (revisions, conflicts) == (1, 0);
        h.expect_that(unchanged, || {
            format!(
                "the held {table} {id} changed: revision {revision} of {revisions}, \
                 {conflicts} conflicts, {township} {village}, sent by {sent_by:?}"
            )
        });
    }
    let (row, revisions, conflicts) = held(&pool, "visits", own_visit.id).await;
    h.expect_that((row.map(|row| row.0), revisions, conflicts) == (Some(1), 1, 0), || {
        "the neighbour's visit changed".into()
    });
    for id in refused_new {
        let (row, revisions, conflicts) = held(&pool, "visits", id).await;
        h.expect_that(row.is_none() && revisions == 0 && conflicts == 0, || {
            format!("the refused visit {id} was stored")
        });
    }
    pool.close().await;
}

/// A supervisor's reads and exports with hostile query strings and addresses: each a 4xx
/// with a JSON error; a director and a bad token read nothing.
async fn supervisor_reads(h: &Hostile) {
    let township = Place { township: h.app.director.place.township.clone(), village: String::new() };
    let (_, supervisor_token) = h.app.enrol(Role::Supervisor, &township, "周督导").await;
    let supervisor = client_of(&supervisor_token);
    let long = "村".repeat(2_000);
    let queries = [
        "page=0".to_owned(),
        "page=-1".to_owned(),
        "page=abc".to_owned(),
        "page=99999999999999999999".to_owned(),
        "per_page=0".to_owned(),
        "per_page=100000".to_owned(),
        "colour=purple".to_owned(),
        "colour=".to_owned(),
        "from=2026-13-40".to_owned(),
        "from=yesterday".to_owned(),
        "from=2026-11-20&to=2026-11-01".to_owned(),
        "unknown=1".to_owned(),
        format!("village={long}"),
        "village=a&village=b".to_owned(),
        "page=1&page=2".to_owned(),
        "format=pdf".to_owned(),
        "format=xlsx&format=csv".to_owned(),
        "%zz=1".to_owned(),
    ];
    for path in ["/api/v1/children", "/api/v1/visits", "/api/v1/exports/visits", "/api/v1/exports/children"] {
        for query in &queries {
            if path.contains("exports") && query.starts_with("p") {
                continue; // exports take no page; covered by `unknown`
            }
            let url = h.app.url(&format!("{path}?{query}"));
            h.send(&format!("a supervisor reads {path}?{query:.60}"), supervisor.get(url), Expect::Refusal).await;
        }
        // Bytes that are not UTF-8 are read as U+FFFD: a village of that name has nothing.
        let url = h.app.url(&format!("{path}?village=%ff%fe"));
        h.send(&format!("a supervisor reads {path}?village=%ff%fe"), supervisor.get(url), Expect::NoLeak).await;
        h.send(&format!("a director reads {path}"), h.app.client.get(h.app.url(path)), Expect::Error(403, "forbidden"))
            .await;
        h.send(
            &format!("a stranger reads {path}"),
            client_of("not-a-token").get(h.app.url(path)),
            Expect::Error(401, "unauthorized"),
        )
        .await;
    }
    for id in ["x", "..", "%2e%2e", "00000000-0000-0000-0000-00000000000g", &uuid::Uuid::new_v4().to_string()] {
        for path in [format!("/api/v1/children/{id}"), format!("/api/v1/children/{id}/archive")] {
            h.send(&format!("a supervisor reads {path}"), supervisor.get(h.app.url(&path)), Expect::Refusal).await;
        }
    }
    for what in ["photos", "child-file", "..", "visits.xlsx", "%00"] {
        let path = format!("/api/v1/exports/{what}");
        h.send(&format!("a supervisor exports {path}"), supervisor.get(h.app.url(&path)), Expect::Refusal).await;
    }
}

/// A supervisor (who reads her township) sends records and photos: `403 forbidden`, before
/// the body is read; she asks for invites with bad bodies, for a supervisor, for another
/// township. A director asks for an invite: `403`.
async fn supervisor_cases(h: &Hostile) {
    let township = Place { township: h.app.director.place.township.clone(), village: String::new() };
    let (supervisor_worker, supervisor_token) = h.app.enrol(Role::Supervisor, &township, "王督导").await;
    let supervisor = client_of(&supervisor_token);
    let forbidden = Expect::Error(403, "forbidden");
    let visit = common::visit();
    let child = common::child();
    let photo = jpeg();
    let visit_path = format!("/api/v1/visits/{}", visit.id);
    let photo_path = format!("/api/v1/photos/{}", sha256(&photo));
    let sends = [
        ("a visit", supervisor.put(h.app.url(&visit_path)).json(&visit)),
        ("a child's file", supervisor.put(h.app.url(&format!("/api/v1/children/{}", child.id))).json(&child)),
        ("a visit of broken JSON", supervisor.put(h.app.url(&visit_path)).header(CONTENT_TYPE, JSON).body("{")),
        ("a visit at a bad id", supervisor.put(h.app.url("/api/v1/visits/x")).header(CONTENT_TYPE, JSON).body("{}")),
        ("a photo", supervisor.put(h.app.url(&photo_path)).header(CONTENT_TYPE, "image/jpeg").body(photo.clone())),
        ("a photo's upload", supervisor.get(h.app.url(&format!("{photo_path}/upload")))),
    ];
    for (what, request) in sends {
        h.send(&format!("a supervisor sends {what}"), request, forbidden).await;
    }
    let stalled = head_as(
        Some(format!("Bearer {supervisor_token}").as_bytes()),
        "PUT",
        &visit_path,
        &format!("Content-Type: {JSON}\r\nContent-Length: 5000\r\n"),
    );
    h.raw_paced("a supervisor sends a visit that stalls", stalled, Vec::new(), forbidden).await;

    let invites = h.app.url("/api/v1/invites");
    let invite = |body: Vec<u8>| supervisor.post(&invites).header(CONTENT_TYPE, JSON).body(body);
    let huge = "村".repeat(20_000);
    let cases: Vec<(&str, Value, Expect)> = vec![
        ("for a supervisor", json!({"role": "supervisor", "village": ""}), forbidden),
        ("for a supervisor of a village", json!({"role": "supervisor", "village": "桃源村"}), forbidden),
        (
            "for another township",
            json!({"role": "director", "village": "桃源村", "township": "白沙镇"}),
            Expect::Invalid(&["township"]),
        ),
        ("with no village", json!({"role": "director"}), Expect::Invalid(&["village"])),
        ("for an empty village", json!({"role": "director", "village": ""}), Expect::Invalid(&["village"])),
        ("for a village of spaces", json!({"role": "volunteer", "village": "   "}), Expect::Invalid(&["village"])),
        ("for a 60 KB village", json!({"role": "director", "village": huge}), Expect::Invalid(&["village"])),
        ("for a village that is a number", json!({"role": "director", "village": 1}), Expect::Invalid(&["village"])),
        ("for an unknown role", json!({"role": "admin", "village": "桃源村"}), Expect::Invalid(&["role"])),
        ("for a role that is a number", json!({"role": 1, "village": "桃源村"}), Expect::Invalid(&["role"])),
        ("with no role", json!({"village": "桃源村"}), Expect::Invalid(&["role"])),
    ];
    let mut cases = cases;
    for days in [json!(0), json!(91), json!(u32::MAX), json!(-1), json!(1.5), json!("7"), json!(null)] {
        cases.push((
            "for a bad number of days",
            json!({"role": "director", "village": "桃源村", "valid_days": days}),
            Expect::Invalid(&["valid_days"]),
        ));
    }
    for uses in [json!(0), json!(501), json!(u64::from(u32::MAX) + 1), json!(-1), json!([])] {
        cases.push((
            "for a bad number of uses",
            json!({"role": "director", "village": "桃源村", "uses": uses}),
            Expect::Invalid(&["uses"]),
        ));
    }
    for (what, body, expect) in cases {
        h.send(
            &format!("a supervisor asks for an invite {what}: {body:.80}"),
            invite(serde_json::to_vec(&body).unwrap_or_default()),
            expect,
        )
        .await;
    }
    for (what, body, expect) in [
        ("of broken JSON", b"{\"role\": \"director\"".to_vec(), Expect::Error(400, "malformed_json")),
        ("of an array", b"[\"director\", \"x\"]".to_vec(), Expect::Refusal),
        ("of nothing", Vec::new(), Expect::Error(400, "malformed_json")),
    ] {
        h.send(&format!("a supervisor asks for an invite {what}"), invite(body), expect).await;
    }
    h.send(
        "a supervisor asks for an invite as text/plain",
        supervisor
            .post(&invites)
            .header(CONTENT_TYPE, "text/plain")
            .body("{\"role\": \"director\", \"village\": \"桃源村\"}"),
        Expect::Error(415, "unsupported_media_type"),
    )
    .await;
    h.send(
        "a director asks for an invite",
        h.app.client.post(&invites).json(&json!({"role": "director", "village": "桃源村"})),
        forbidden,
    )
    .await;

    let pool = h.app.pool().await;
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invites WHERE made_by = $1")
        .bind(supervisor_worker.id.to_string())
        .fetch_one(&pool)
        .await
        .expect("counted");
    h.expect_that(made == 0, || format!("{made} refused invites were made"));
    let (row, revisions, _) = held(&pool, "visits", visit.id).await;
    h.expect_that(row.is_none() && revisions == 0, || "the supervisor's visit was stored".into());
    pool.close().await;
}

/// Joining with broken bodies, wrong types, huge strings, bad phones and names, and
/// unknown, expired and used-up codes; none of it enrols a phone or uses up an invite.
async fn enrolment_cases(h: &Hostile) {
    let place = h.app.director.place.clone();
    let pool = h.app.pool().await;
    let life = NewInvite {
        role: Role::Director,
        place: place.clone(),
        invited_by: "王督导".into(),
        made_by: None,
        valid_for: DEFAULT_VALID_FOR,
        max_uses: 5,
    };
    let expired = invites::make(&pool, &life, &common::county(), Utc::now() - TimeDelta::days(8))
        .await
        .expect("an expired invite")
        .code;
    let used_up = common::invite(h.app.data.path(), Role::Director, &place).await;
    common::enroll_over_http(&h.app.url(""), &used_up, "用掉邀请的人").await;
    // Refused with every bad body below, and still good for one phone after.
    let fresh = common::invite(h.app.data.path(), Role::Director, &place).await;

    let enroll_url = h.app.url("/api/v1/enroll");
    let enroll = |body: Vec<u8>| h.app.bare.post(&enroll_url).header(CONTENT_TYPE, JSON).body(body);
    let good = json!({"code": fresh, "name": "李芳", "phone": "13800138000"});
    let good_text = serde_json::to_vec(&good).unwrap_or_default();
    for cut in 0..good_text.len() {
        if std::str::from_utf8(&good_text[..cut]).is_err() {
            continue;
        }
        h.send(
            &format!("enroll cut at byte {cut}"),
            enroll(good_text[..cut].to_vec()),
            Expect::Error(400, "malformed_json"),
        )
        .await;
    }
    for body in ["{", "}", "nul", "{\"code\" \"x\"}", "{,}", "{\"code\": }", "'x'"] {
        h.send(
            &format!("enroll with {body:?}"),
            enroll(body.as_bytes().to_vec()),
            Expect::Error(400, "malformed_json"),
        )
        .await;
    }
    for body in ["[]", "null", "1", "\"code\"", "[\"code\", \"name\", \"phone\"]"] {
        h.send(&format!("enroll with {body:?}"), enroll(body.as_bytes().to_vec()), Expect::Error(422, "invalid")).await;
    }
    // Broken after a first object: refused, whichever it is found to be first.
    h.send("enroll with two objects", enroll(b"{} {}".to_vec()), Expect::Refusal).await;
    let mut binary = b"{\"code\": \"".to_vec();
    binary.extend_from_slice(b"\xFF\xFE\", \"name\": \"x\", \"phone\": \"13800138000\"}");
    h.send("enroll with a non-UTF-8 code", enroll(binary), Expect::Refusal).await;

    let fields: [(&str, &'static [&'static str]); 3] =
        [("code", &["code"]), ("name", &["name"]), ("phone", &["phone"])];
    for (key, field) in fields {
        for value in wrong_values().into_iter().filter(|v| !v.is_string()) {
            let mut body = good.clone();
            body[key] = value.clone();
            h.send(
                &format!("enroll with {key} = {value}"),
                enroll(serde_json::to_vec(&body).unwrap_or_default()),
                Expect::Invalid(field),
            )
            .await;
        }
        let mut body = good.clone();
        if let Some(object) = body.as_object_mut() {
            object.remove(key);
        }
        h.send(
            &format!("enroll without {key}"),
            enroll(serde_json::to_vec(&body).unwrap_or_default()),
            Expect::Invalid(field),
        )
        .await;
        for blank in ["", "   "] {
            let mut body = good.clone();
            body[key] = json!(blank);
            h.send(
                &format!("enroll with {key} = {blank:?}"),
                enroll(serde_json::to_vec(&body).unwrap_or_default()),
                Expect::Invalid(field),
            )
            .await;
        }
        let mut body = good.clone();
        body[key] = json!("字".repeat(20_000));
        h.send(
            &format!("enroll with a 60 KB {key}"),
            enroll(serde_json::to_vec(&body).unwrap_or_default()),
            Expect::Invalid(field),
        )
        .await;
    }
    for (extra, field) in [("role", &["role"][..]), ("township", &["township"][..]), ("token", &["token"][..])] {
        let mut body = good.clone();
        body[extra] = json!("supervisor");
        h.send(
            &format!("enroll asking for a {extra}"),
            enroll(serde_json::to_vec(&body).unwrap_or_default()),
            Expect::Invalid(field),
        )
        .await;
    }
    for phone in [
        "12",
        "abcdefghijk",
        "12800138000",
        "138001380001",
        "１３８００１３８０００",
        "13800138000\u{0}",
        "+86 138 0013 8000; DROP TABLE devices",
    ] {
        let mut body = good.clone();
        body["phone"] = json!(phone);
        h.send(
            &format!("enroll with the phone {phone:?}"),
            enroll(serde_json::to_vec(&body).unwrap_or_default()),
            Expect::Invalid(&["phone"]),
        )
        .await;
    }
    h.send(
        "enroll with a bad name and a bad phone",
        enroll(serde_json::to_vec(&json!({"code": fresh, "name": "", "phone": "1"})).unwrap_or_default()),
        Expect::Invalid(&["name", "phone"]),
    )
    .await;
    h.send(
        "enroll as text/plain",
        h.app.bare.post(&enroll_url).header(CONTENT_TYPE, "text/plain").body(good_text.clone()),
        Expect::Error(415, "unsupported_media_type"),
    )
    .await;
    h.raw(
        "enroll declaring 1 TB",
        head_as(None, "POST", "/api/v1/enroll", &format!("Content-Type: {JSON}\r\nContent-Length: {}\r\n", 1u64 << 40)),
        Expect::Error(413, "too_large"),
    )
    .await;
    let mut over = good.clone();
    over["name"] = json!("x".repeat(VISIT_BODY_LIMIT));
    let over = serde_json::to_vec(&over).unwrap_or_default();
    h.raw_paced(
        "enroll with a body over the limit",
        head_as(None, "POST", "/api/v1/enroll", &format!("Content-Type: {JSON}\r\nContent-Length: {}\r\n", over.len())),
        vec![(Duration::ZERO, over)],
        Expect::Error(413, "too_large"),
    )
    .await;
    h.raw_paced(
        "enroll with a body that stalls",
        head_as(None, "POST", "/api/v1/enroll", &format!("Content-Type: {JSON}\r\nContent-Length: 500\r\n")),
        vec![(Duration::ZERO, b"{\"code\": ".to_vec())],
        Expect::Error(408, "body_timeout"),
    )
    .await;

    for (what, code, expect) in [
        ("an unknown code", "not-a-code".to_owned(), Expect::Error(404, "invite_not_found")),
        ("a traversal code", "../../etc/passwd".to_owned(), Expect::Error(404, "invite_not_found")),
        ("an SQL code", "' OR 1=1 --".to_owned(), Expect::Error(404, "invite_not_found")),
        ("a NUL code", "\u{0}".to_owned(), Expect::Error(404, "invite_not_found")),
        ("the code's hash", secret::hash(&fresh), Expect::Error(404, "invite_not_found")),
        ("the code in capitals", fresh.to_uppercase(), Expect::Error(404, "invite_not_found")),
        ("a code of 65 characters", "a".repeat(65), Expect::Invalid(&["code"])),
        ("an expired code", expired.clone(), Expect::Error(410, "invite_expired")),
        ("a used-up code", used_up.clone(), Expect::Error(410, "invite_used_up")),
    ] {
        let body = json!({"code": code, "name": "李芳", "phone": "13800138000"});
        h.send(&format!("enroll with {what}"), enroll(serde_json::to_vec(&body).unwrap_or_default()), expect).await;
    }

    // The invites refused above are as they were: the fresh one unused, and it still
    // enrols exactly one phone.
    for (code, uses) in [(&fresh, 0), (&expired, 0), (&used_up, 1)] {
        let held: i64 = sqlx::query_scalar("SELECT uses FROM invites WHERE code_hash = $1")
            .bind(secret::hash(code))
            .fetch_one(&pool)
            .await
            .expect("the invite");
        h.expect_that(held == uses, || format!("an invite has {held} uses, not {uses}: a refused enrolment used it"));
        let enrolled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM devices WHERE invite = $1")
            .bind(secret::hash(code))
            .fetch_one(&pool)
            .await
            .expect("counted");
        h.expect_that(enrolled == uses, || {
            format!("an invite enrolled {enrolled} phones, not {uses}: a refused enrolment did")
        });
    }
    let joined = common::enroll_over_http(&h.app.url(""), &fresh, "李芳").await;
    assert_eq!(joined.worker.place, place);
    pool.close().await;
}

/// `GET /api/v1/invites/{code}` with codes that try to reach further or are huge, written
/// by hand so that nothing tidies the address first; expired and used-up codes.
async fn invite_addresses(h: &Hostile) {
    let place = h.app.director.place.clone();
    let code = common::invite(h.app.data.path(), Role::Director, &place).await;
    let shown = h.app.bare.get(h.app.url(&format!("/api/v1/invites/{code}"))).send().await.expect("answered");
    assert_eq!(shown.status(), 200, "a good code is shown");
    let long = "a".repeat(10_000);
    let longer = "b".repeat(60_000);
    for code in [
        "..",
        ".",
        "%2e%2e",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2f..%2fetc%2fpasswd",
        "..%5c..%5cwindows",
        "%00",
        "%ff%fe",
        "%c0%ae%c0%ae",
        "%e7%8e%8b",
        "a%2fb",
        "%20",
        "%25",
        "'%20OR%201=1",
        &format!("{code}%00"),
        &format!("{code}%2f.."),
        long.as_str(),
        longer.as_str(),
    ] {
        let target = format!("/api/v1/invites/{code}");
        h.raw(&format!("GET {target:.80}"), head_as(None, "GET", &target, ""), Expect::Refusal).await;
    }
    for target in [
        "/api/v1/invites/../../../etc/passwd",
        "/api/v1/invites/../health",
        "/api/v1/invites/",
        "/api/v1/invites//x",
        &format!("/api/v1/invites/{code}/extra"),
    ] {
        h.raw(&format!("GET {target}"), head_as(None, "GET", target, ""), Expect::Refusal).await;
    }
    // Past what hyper reads as an address: refused before any route.
    let too_long = format!("/api/v1/invites/{}", "c".repeat(70_000));
    h.raw("GET an invite of a 70 KB code", head_as(None, "GET", &too_long, ""), Expect::BareRefusal).await;
    for method in ["PUT", "POST", "PATCH"] {
        let target = format!("/api/v1/invites/{code}");
        h.raw(
            &format!("{method} an invite's address"),
            with_body_as(None, method, &target, JSON, b"{}"),
            Expect::Error(405, "method_not_allowed"),
        )
        .await;
    }
    // DELETE revokes an invite by its id, a supervisor's call: without a token, 401.
    h.raw(
        "DELETE an invite's address",
        with_body_as(None, "DELETE", &format!("/api/v1/invites/{code}"), JSON, b"{}"),
        Expect::Error(401, "unauthorized"),
    )
    .await;
    for method in ["GET", "PUT", "DELETE"] {
        h.raw(
            &format!("{method} /api/v1/enroll"),
            with_body_as(None, method, "/api/v1/enroll", JSON, b"{}"),
            Expect::Error(405, "method_not_allowed"),
        )
        .await;
    }

    let pool = h.app.pool().await;
    let expired = invites::make(
        &pool,
        &NewInvite {
            role: Role::LoveMother,
            place: place.clone(),
            invited_by: "王督导".into(),
            made_by: None,
            valid_for: DEFAULT_VALID_FOR,
            max_uses: 1,
        },
        &common::county(),
        Utc::now() - TimeDelta::days(8),
    )
    .await
    .expect("an expired invite")
    .code;
    pool.close().await;
    let used_up = common::invite(h.app.data.path(), Role::Director, &place).await;
    common::enroll_over_http(&h.app.url(""), &used_up, "用掉邀请的人").await;
    for (what, code, expect) in [
        ("an expired invite", expired, Expect::Error(410, "invite_expired")),
        ("a used-up invite", used_up, Expect::Error(410, "invite_used_up")),
    ] {
        h.send(&format!("GET {what}"), h.app.bare.get(h.app.url(&format!("/api/v1/invites/{code}"))), expect).await;
    }
}

impl Hostile {
    /// A group's view of the shared server, with a tally of its own.
    fn on_shared_server() -> Hostile {
        let visit = serde_json::to_value(common::visit()).expect("visit JSON");
        let child = serde_json::to_value(common::child()).expect("child JSON");
        Hostile { app: HostileApp::connect(), tally: Mutex::new(Tally::default()), visit, child }
    }

    /// After a group: the server is still well, and every request of the group got what it
    /// should. `at_least`: how many requests the group makes, so that one that stops early
    /// is caught (every group together made over 900 when they were one test).
    async fn finish(self, group: &str, at_least: usize, started: Instant) {
        let health = self.app.client.get(self.app.url("/api/v1/health")).send().await.expect("health answers");
        assert_eq!(health.status(), 200, "the server is still well");
        let good = common::visit();
        let stored = self.app.client.put(self.app.url(&format!("/api/v1/visits/{}", good.id))).json(&good).send().await;
        assert_eq!(stored.expect("a good visit is answered").status(), 201, "a good visit is still stored");

        let tally = self.tally.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        println!(
            "hostile requests of {group}: {}, 5xx: {} ({:.1?})",
            tally.tried,
            tally.server_errors,
            started.elapsed()
        );
        assert!(
            tally.tried >= at_least,
            "every kind of hostile request was tried: {} of at least {at_least}",
            tally.tried
        );
        assert!(tally.problems.is_empty(), "{} problems:\n{}", tally.problems.len(), tally.problems.join("\n"));
        assert_eq!(tally.server_errors, 0);
    }
}

/// Counts the groups that are done, passed or failed; the last one stops the shared server
/// and removes its folders.
struct GroupDone;

impl Drop for GroupDone {
    fn drop(&mut self) {
        static DONE: AtomicUsize = AtomicUsize::new(0);
        if DONE.fetch_add(1, Ordering::SeqCst) + 1 < group::ALL.len() {
            return;
        }
        let server = hostile_server();
        if let Some(stop) = server.stop.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = stop.send(());
        }
        let thread = server.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        let stopped = thread.map(|thread| thread.join());
        let _ = std::fs::remove_dir_all(server.data.path());
        let _ = std::fs::remove_dir_all(server.site.path());
        if !std::thread::panicking() {
            stopped.expect("the server ran").expect("server thread").expect("server stopped cleanly");
        }
    }
}

/// Each group of hostile requests, a test of its own, on the shared server (the slow ones
/// wait on the idle timeout; the harness runs the others meanwhile), with how many requests
/// it makes at least.
mod group {
    use super::*;

    macro_rules! groups {
        ($($name:ident: $at_least:expr,)*) => {
            pub(super) const ALL: &[&str] = &[$(stringify!($name)),*];
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let _done = GroupDone;
                    let started = Instant::now();
                    let h = Hostile::on_shared_server();
                    super::$name(&h).await;
                    h.finish(stringify!($name), $at_least, started).await;
                }
            )*
        };
    }

    groups! {
        broken_bodies: 118,
        wrong_types: 559,
        huge_bodies: 10,
        bad_addresses: 103,
        static_traversal: 30,
        wrong_methods: 34,
        wrong_content_types: 30,
        oversize_bodies: 16,
        slow_bodies: 7,
        bad_content_ranges: 23,
        bad_photo_notes: 16,
        bad_tokens: 935,
        other_places: 17,
        supervisor_cases: 35,
        supervisor_reads: 85,
        enrolment_cases: 144,
        invite_addresses: 33,
    }
}
