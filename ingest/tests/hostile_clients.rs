//! Hostile clients against the real server (loopback port, SQLite file): broken, cut,
//! mistyped, huge, deeply nested and non-UTF-8 bodies; bad ids and hashes in addresses;
//! path traversal; wrong methods and content types; oversize bodies by `Content-Length`
//! and by chunked streaming; bodies that trickle or stall; bad `Content-Range`s; visits
//! naming photos by bad hashes. Every answer must be a 4xx with a JSON error body, never a
//! 5xx, never a connection dropped without an answer; afterwards the server still answers
//! `health` and still stores a good visit.
//!
//! `cargo test -p tongxing-ingest --test hostile_clients -- --nocapture` prints how many
//! requests were tried and how many got a 5xx.

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::photos::{jpeg, sha256};
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tongxing_core::wire::{ErrorBody, VISIT_BODY_LIMIT};
use tongxing_ingest::photo_cleanup::DEFAULT_PHOTO_GRACE_HOURS;
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

/// The server with a served app (for the static routes), a small photo limit and a short
/// body idle timeout.
struct HostileApp {
    addr: String,
    client: Client,
    _data: TempDir,
    _site: TempDir,
    stop: oneshot::Sender<()>,
    running: JoinHandle<Result<(), ServeError>>,
}

async fn spawn_hostile_app() -> HostileApp {
    let data = tempfile::tempdir().expect("temp dir");
    // site/app holds the app; site/secret.txt sits beside it, one `..` away.
    let site = tempfile::tempdir().expect("temp dir");
    let app_dir = site.path().join("app");
    std::fs::create_dir(&app_dir).expect("app dir");
    std::fs::write(
        app_dir.join("index.html"),
        "<!doctype html><title>Tongxing</title>",
    )
    .expect("index.html");
    std::fs::write(site.path().join("secret.txt"), SECRET).expect("secret");
    let config = ServeConfig {
        addr: "127.0.0.1:0".to_owned(),
        data_dir: data.path().to_owned(),
        static_dir: Some(app_dir),
        cors_origins: CorsOrigins::Any,
        max_photo_bytes: MAX_PHOTO_BYTES,
        photo_grace_hours: DEFAULT_PHOTO_GRACE_HOURS,
        app_url: None,
        rate_limit: Default::default(),
        max_in_flight: tongxing_ingest::config::DEFAULT_MAX_IN_FLIGHT,
    };
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .expect("bind 127.0.0.1:0");
    let server = Server::with_listener(listener, &config)
        .await
        .expect("server starts")
        .with_body_idle_timeout(BODY_IDLE);
    let addr = server.local_addr().expect("local addr").to_string();
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let client = Client::builder()
        .timeout(ANSWER_DEADLINE)
        .build()
        .expect("client");
    HostileApp {
        addr,
        client,
        _data: data,
        _site: site,
        stop,
        running,
    }
}

impl HostileApp {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.running
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

/// An answer as the client saw it.
#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(300)
            .collect()
    }
}

/// What a hostile request must get.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// A 4xx with a JSON error body.
    Refusal,
    /// This status with a JSON error body of this code.
    Error(u16, &'static str),
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
    fn note(&self, label: &str, answer: Result<Answer, String>, expect: Expect) {
        let problem = match &answer {
            Err(error) => Some(format!("no answer ({error})")),
            Ok(answer) => check(answer, expect).err(),
        };
        let mut tally = self
            .tally
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
        self.note(
            label,
            raw(&self.app.addr, request, Vec::new()).await,
            expect,
        );
    }

    /// `head`, then each `(pause, bytes)` in turn, while the answer is read.
    async fn raw_paced(
        &self,
        label: &str,
        head: String,
        steps: Vec<(Duration, Vec<u8>)>,
        expect: Expect,
    ) {
        self.note(
            label,
            raw(&self.app.addr, head.into_bytes(), steps).await,
            expect,
        );
    }

    fn put(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> RequestBuilder {
        self.app
            .client
            .put(self.app.url(path))
            .header(CONTENT_TYPE, content_type)
            .body(body)
    }

    /// A visit body of a fresh id, changed by `change`, sent to its own address.
    async fn put_visit_json(&self, label: &str, change: impl FnOnce(&mut Value), expect: Expect) {
        let fresh = common::visit();
        let mut json = self.visit.clone();
        json["id"] = json!(fresh.id);
        change(&mut json);
        let body = serde_json::to_vec(&json).unwrap_or_default();
        self.send(
            label,
            self.put(&format!("/api/v1/visits/{}", fresh.id), JSON, body),
            expect,
        )
        .await;
    }

    async fn put_child_json(&self, label: &str, change: impl FnOnce(&mut Value), expect: Expect) {
        let fresh = common::child();
        let mut json = self.child.clone();
        json["id"] = json!(fresh.id);
        change(&mut json);
        let body = serde_json::to_vec(&json).unwrap_or_default();
        self.send(
            label,
            self.put(&format!("/api/v1/children/{}", fresh.id), JSON, body),
            expect,
        )
        .await;
    }
}

fn check(answer: &Answer, expect: Expect) -> Result<(), String> {
    let (status, text) = (answer.status, answer.text());
    if status >= 500 {
        return Err(format!("{status} {text}"));
    }
    let json_error = || -> Result<ErrorBody, String> {
        if !answer.content_type.starts_with(JSON) {
            return Err(format!(
                "{status} not JSON ({:?}): {text}",
                answer.content_type
            ));
        }
        let body: ErrorBody = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("{status} not an ErrorBody ({e}): {text}"))?;
        if body.error.trim().is_empty() || body.message.trim().is_empty() {
            return Err(format!("{status} an empty error or message: {text}"));
        }
        Ok(body)
    };
    match expect {
        Expect::Refusal if (400..500).contains(&status) => json_error().map(drop),
        Expect::Error(want, code) if status == want => match json_error()? {
            body if body.error == code => Ok(()),
            body => Err(format!("{status} {}, not {code}", body.error)),
        },
        Expect::BareRefusal if (400..500).contains(&status) => Ok(()),
        Expect::NoLeak
            if !answer
                .body
                .windows(SECRET.len())
                .any(|w| w == SECRET.as_bytes()) =>
        {
            Ok(())
        }
        Expect::NoLeak => Err(format!("{status} the secret file leaked")),
        Expect::Success(want) if status == want => Ok(()),
        _ => Err(format!("{status}, expected {expect:?}: {text}")),
    }
}

async fn send(request: RequestBuilder) -> Result<Answer, String> {
    let response = request.send().await.map_err(|e| format!("{e:?}"))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("body: {e:?}"))?
        .to_vec();
    Ok(Answer {
        status,
        content_type,
        body,
    })
}

/// Writes `request` on a connection of its own, then each paced step, while reading the
/// answer to its end (requests say `Connection: close`). Writing may fail once the server
/// has answered; the answer is what counts.
async fn raw(
    addr: &str,
    request: Vec<u8>,
    steps: Vec<(Duration, Vec<u8>)>,
) -> Result<Answer, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
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
        return Err(format!(
            "no answer within {ANSWER_DEADLINE:?}: {}",
            String::from_utf8_lossy(&answer)
        ));
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
            .ok_or_else(|| {
                format!(
                    "no answer (connection closed after {:?})",
                    String::from_utf8_lossy(bytes)
                )
            })?;
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let rest = &bytes[end + 4..];
        let status: u16 = head
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("status line: {head}"))?;
        if status == 100 {
            bytes = rest;
            continue;
        }
        let header = |name: &str| {
            head.lines().skip(1).find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
        };
        let body = if is_head {
            Vec::new()
        } else if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            dechunk(rest)?
        } else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok())
        {
            rest.get(..length).ok_or("the body was cut short")?.to_vec()
        } else {
            rest.to_vec()
        };
        return Ok(Answer {
            status,
            content_type: header("content-type").unwrap_or_default(),
            body,
        });
    }
}

fn dechunk(mut bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = bytes
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk without its size")?;
        let size_text = String::from_utf8_lossy(&bytes[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("chunk size {size_text:?}: {e}"))?;
        if size == 0 {
            return Ok(body);
        }
        let chunk = bytes
            .get(line_end + 2..line_end + 2 + size)
            .ok_or("a chunk cut short")?;
        body.extend_from_slice(chunk);
        bytes = bytes
            .get(line_end + 4 + size..)
            .ok_or("a chunk cut short")?;
    }
}

/// A request head with `Connection: close`; `extra` is more header lines, each ending in
/// `\r\n`.
fn head(method: &str, target: &str, extra: &str) -> String {
    format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n")
}

fn with_body(method: &str, target: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = head(
        method,
        target,
        &format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            body.len()
        ),
    )
    .into_bytes();
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
            h.send(
                &label,
                h.put(&path, JSON, text[..cut].to_vec()),
                Expect::Error(400, "malformed_json"),
            )
            .await;
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
        .map(|body| {
            (
                format!("{kind}: malformed {body:?}"),
                body.as_bytes().to_vec(),
            )
        })
        .collect();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&text);
        bodies.push((format!("{kind}: a byte order mark"), bom));
        let mut trailing = text.clone();
        trailing.extend_from_slice(b" x");
        bodies.push((format!("{kind}: trailing text"), trailing));
        bodies.push((
            format!("{kind}: a long number"),
            format!("{{\"revision\": {}}}", "9".repeat(50_000)).into_bytes(),
        ));
        // Deep nesting, as the whole body and as a field's value, open and closed.
        for depth in [129, 10_000, 30_000] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
                if nested.len() > VISIT_BODY_LIMIT {
                    continue;
                }
                bodies.push((
                    format!("{kind}: {open} nested {depth} deep"),
                    nested.clone().into_bytes(),
                ));
                let unclosed = open.repeat(depth);
                bodies.push((
                    format!("{kind}: {open} nested {depth} deep, unclosed"),
                    unclosed.into_bytes(),
                ));
                let inside = format!("{{\"id\": \"{id}\", \"revision\": {nested}}}");
                bodies.push((
                    format!("{kind}: {open} nested {depth} deep in a field"),
                    inside.into_bytes(),
                ));
            }
        }
        // Non-UTF-8 bytes: the whole body, inside a string, inside a key.
        bodies.push((
            format!("{kind}: binary"),
            vec![0xFF, 0xFE, 0x00, 0x80, 0xC0, 0xAF],
        ));
        for (what, bytes) in [
            ("a string", b"\"\xFF\xFE\"".to_vec()),
            ("a key", b"\"\xC0\xAF\": 1, \"x\"".to_vec()),
        ] {
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
            h.send(&label, h.put(&path, JSON, body), Expect::Refusal)
                .await;
        }
    }
}

/// Each top-level field, and each answer of a visit, given a value of another JSON type.
async fn wrong_types(h: &Hostile) {
    let visit_keys: Vec<String> = h
        .visit
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let answer_keys: Vec<(String, Value)> = h.visit["answers"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let child_keys: Vec<String> = h
        .child
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert!(
        visit_keys.len() >= 7 && answer_keys.len() >= 30 && child_keys.len() >= 10,
        "the fixtures are whole"
    );
    for value in wrong_values() {
        for key in &visit_keys {
            if json_type(&h.visit[key]) == json_type(&value) {
                continue;
            }
            let label = format!("visit: {key} = {value}");
            h.put_visit_json(&label, |json| json[key] = value.clone(), Expect::Refusal)
                .await;
        }
        for (key, original) in &answer_keys {
            // A blank answer ("" or []) is no answer, whatever the field's kind.
            let blank = value == json!("") || value == json!([]);
            if json_type(original) == json_type(&value) || blank {
                continue;
            }
            let label = format!("visit: answers.{key} = {value}");
            h.put_visit_json(
                &label,
                |json| json["answers"][key] = value.clone(),
                Expect::Refusal,
            )
            .await;
        }
        for key in &child_keys {
            // `id_number` may be left out, and null says so.
            if json_type(&h.child[key]) == json_type(&value)
                || (key == "id_number" && value.is_null())
            {
                continue;
            }
            let label = format!("child: {key} = {value}");
            h.put_child_json(&label, |json| json[key] = value.clone(), Expect::Refusal)
                .await;
        }
    }
}

/// Huge strings within the body limit (refused by the checks) and bodies over it (413).
async fn huge_bodies(h: &Hostile) {
    let huge = "字".repeat(20_000); // 60 KB of UTF-8
    let note =
        json!([{"sha256": sha256(b"photo"), "caption": huge, "taken_at": "2026-11-20T02:15:00Z"}]);
    h.put_visit_json(
        "visit: a 60 KB caption",
        |json| {
            json["answers"]["photo_consent"] = json!(true);
            json["answers"]["photos"] = note;
        },
        Expect::Error(422, "invalid"),
    )
    .await;
    h.put_visit_json(
        "visit: a 60 KB answer",
        |json| json["answers"]["actions_taken"] = json!(huge),
        Expect::Refusal,
    )
    .await;
    h.put_visit_json(
        "visit: a 60 KB form id",
        |json| json["form_id"] = json!(huge),
        Expect::Refusal,
    )
    .await;
    h.put_visit_json(
        "visit: a 60 KB field id",
        |json| json["answers"][&huge] = json!(1),
        Expect::Refusal,
    )
    .await;
    h.put_child_json(
        "child: a 60 KB name",
        |json| json["name"] = json!(huge),
        Expect::Error(422, "invalid"),
    )
    .await;
    h.put_child_json(
        "child: a 60 KB village",
        |json| json["village"] = json!(huge),
        Expect::Error(422, "invalid"),
    )
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
        let request = head(
            "PUT",
            &path,
            &format!("Content-Type: {JSON}\r\nContent-Length: {}\r\n", body.len()),
        );
        let label = format!("{kind}: {} bytes", body.len());
        h.raw_paced(
            &label,
            request,
            vec![(Duration::ZERO, body)],
            Expect::Error(413, "too_large"),
        )
        .await;
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
            h.raw(
                &format!("PUT {target:.80}"),
                with_body("PUT", &target, JSON, &visit_body),
                Expect::Refusal,
            )
            .await;
        }
    }
    for hash in bad_hashes {
        let target = format!("/api/v1/photos/{hash}");
        h.raw(
            &format!("PUT {target:.80}"),
            with_body("PUT", &target, "image/jpeg", &jpeg()),
            Expect::Refusal,
        )
        .await;
        let target = format!("/api/v1/photos/{hash}/upload");
        h.raw(
            &format!("GET {target:.80}"),
            head("GET", &target, "").into_bytes(),
            Expect::Refusal,
        )
        .await;
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
        h.raw(
            &format!("PUT {target}"),
            with_body("PUT", target, JSON, &visit_body),
            Expect::Refusal,
        )
        .await;
        h.raw(
            &format!("GET {target}"),
            head("GET", target, "").into_bytes(),
            Expect::Refusal,
        )
        .await;
    }
    // Not even a request hyper can read: refused before any route, with no JSON.
    for target in [
        "/api/v1/visits/\u{738b}",
        "/api/v1/visits/a b",
        "api/v1/health",
        "/api/v1/visits/\x7f",
    ] {
        h.raw(
            &format!("unreadable target {target:?}"),
            head("GET", target, "").into_bytes(),
            Expect::BareRefusal,
        )
        .await;
    }
    let mut binary = b"GET /api/v1/visits/".to_vec();
    binary.extend_from_slice(b"\xFF\xFE HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    h.raw("a non-UTF-8 target", binary, Expect::BareRefusal)
        .await;
}

/// The app's static files: no address reaches the file beside it.
async fn static_traversal(h: &Hostile) {
    // The app is served, so the addresses below do reach the static files.
    let index = send(h.app.client.get(h.app.url("/index.html"))).await;
    assert!(
        index.is_ok_and(|a| a.status == 200 && a.text().contains("Tongxing")),
        "the app is served"
    );
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
            h.raw(
                &format!("{method} {target}"),
                head(method, target, "").into_bytes(),
                Expect::NoLeak,
            )
            .await;
        }
    }
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        h.raw(
            &format!("{method} / (the app)"),
            with_body(method, "/", JSON, b"{}"),
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
        (format!("/api/v1/visits/{id}"), "PUT"),
        (format!("/api/v1/children/{id}"), "PUT"),
        (format!("/api/v1/photos/{hash}"), "PUT"),
        (format!("/api/v1/photos/{hash}/upload"), "GET"),
        ("/api/v1/health".to_owned(), "GET"),
    ];
    for (path, allowed) in &routes {
        // Not OPTIONS: the CORS layer answers it (a preflight) with 200 and no body.
        for method in [
            "GET", "POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "FOO",
        ] {
            if method == *allowed {
                continue;
            }
            let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::POST);
            let request = h
                .app
                .client
                .request(method.clone(), h.app.url(path))
                .header(CONTENT_TYPE, JSON)
                .body("{}");
            h.send(
                &format!("{method} {path}"),
                request,
                Expect::Error(405, "method_not_allowed"),
            )
            .await;
        }
        if *allowed != "GET" {
            // A HEAD answer never has a body; the status must still refuse.
            h.send(
                &format!("HEAD {path}"),
                h.app.client.head(h.app.url(path)),
                Expect::BareRefusal,
            )
            .await;
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
            h.send(
                &label,
                h.put(&path, content_type, body.clone()),
                Expect::Error(415, "unsupported_media_type"),
            )
            .await;
        }
        let bare = h.app.client.put(h.app.url(&path)).body(body.clone());
        h.send(
            &format!("{kind}: no Content-Type"),
            bare,
            Expect::Error(415, "unsupported_media_type"),
        )
        .await;
        let mut latin1 =
            head("PUT", &path, &format!("Content-Length: {}\r\n", body.len())).into_bytes();
        // A header value with bytes that are not ASCII.
        latin1.truncate(latin1.len() - 2);
        latin1.extend_from_slice(b"Content-Type: application/\xE9json\r\n\r\n");
        latin1.extend_from_slice(&body);
        h.raw(
            &format!("{kind}: a Latin-1 Content-Type"),
            latin1,
            Expect::Error(415, "unsupported_media_type"),
        )
        .await;
    }
}

/// Bodies over the limit as declared (headers only, nothing more sent) and as streamed in
/// chunks.
async fn oversize_bodies(h: &Hostile) {
    let id = h.visit["id"].as_str().unwrap_or_default().to_owned();
    let hash = sha256(b"a photo never sent");
    for (path, content_type, limit) in [
        (
            format!("/api/v1/visits/{id}"),
            JSON,
            VISIT_BODY_LIMIT as u64,
        ),
        (
            format!("/api/v1/children/{id}"),
            JSON,
            VISIT_BODY_LIMIT as u64,
        ),
        (
            format!("/api/v1/photos/{hash}"),
            "image/jpeg",
            MAX_PHOTO_BYTES,
        ),
    ] {
        for length in [limit + 1, 10 * limit, 1 << 50] {
            let request = head(
                "PUT",
                &path,
                &format!("Content-Type: {content_type}\r\nContent-Length: {length}\r\n"),
            );
            h.raw(
                &format!("PUT {path} declaring {length} bytes"),
                request.into_bytes(),
                Expect::Error(413, "too_large"),
            )
            .await;
        }
        // hyper itself refuses a length it cannot count (431, before any route runs).
        let request = head(
            "PUT",
            &path,
            &format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
                u64::MAX
            ),
        );
        h.raw(
            &format!("PUT {path} declaring u64::MAX bytes"),
            request.into_bytes(),
            Expect::BareRefusal,
        )
        .await;
        // Chunks until the limit is crossed, then more; the server refuses as it goes.
        let start = if content_type == JSON {
            b"{\"form_id\": \"".to_vec()
        } else {
            jpeg()
        };
        let mut steps = vec![(Duration::ZERO, chunk(&start))];
        let piece = vec![b'x'; 32 * 1024];
        for _ in 0..=(limit as usize / piece.len() + 2) {
            steps.push((Duration::ZERO, chunk(&piece)));
        }
        let request = head(
            "PUT",
            &path,
            &format!("Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n"),
        );
        h.raw_paced(
            &format!("PUT {path} chunked past its limit"),
            request,
            steps,
            Expect::Error(413, "too_large"),
        )
        .await;
    }
    let bad_length = head(
        "PUT",
        &format!("/api/v1/visits/{id}"),
        "Content-Type: application/json\r\nContent-Length: 12x\r\n",
    );
    h.raw(
        "a Content-Length that is no number",
        bad_length.into_bytes(),
        Expect::BareRefusal,
    )
    .await;
}

/// Bodies that trickle (served) or stall (refused once the idle timeout passes), on every
/// route with a body.
async fn slow_bodies(h: &Hostile) {
    let good = common::visit();
    let body = serde_json::to_vec(&good).unwrap_or_default();
    let path = format!("/api/v1/visits/{}", good.id);
    let json_head = |length: usize| {
        head(
            "PUT",
            &path,
            &format!("Content-Type: {JSON}\r\nContent-Length: {length}\r\n"),
        )
    };
    // A byte or a few at a time, each well within the idle timeout: slow, but served.
    let trickle: Vec<(Duration, Vec<u8>)> = body
        .chunks(body.len() / 12 + 1)
        .map(|piece| (BODY_IDLE / 4, piece.to_vec()))
        .collect();
    h.raw_paced(
        "a visit that trickles",
        json_head(body.len()),
        trickle,
        Expect::Success(201),
    )
    .await;

    let started = Instant::now();
    let half = body[..body.len() / 2].to_vec();
    h.raw_paced(
        "headers, then nothing",
        json_head(body.len()),
        Vec::new(),
        Expect::Error(408, "body_timeout"),
    )
    .await;
    h.raw_paced(
        "half a body, then nothing",
        json_head(body.len()),
        vec![(Duration::ZERO, half.clone())],
        Expect::Error(408, "body_timeout"),
    )
    .await;
    let chunked = head(
        "PUT",
        &path,
        &format!("Content-Type: {JSON}\r\nTransfer-Encoding: chunked\r\n"),
    );
    h.raw_paced(
        "a chunked body that stalls",
        chunked,
        vec![(Duration::ZERO, chunk(&half))],
        Expect::Error(408, "body_timeout"),
    )
    .await;
    let child = common::child();
    let child_head = head(
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
    let photo_head = head(
        "PUT",
        &format!("/api/v1/photos/{}", sha256(&photo)),
        &format!(
            "Content-Type: image/jpeg\r\nContent-Length: {}\r\n",
            photo.len() + 10
        ),
    );
    h.raw_paced(
        "a photo that stalls",
        photo_head,
        vec![(Duration::ZERO, photo.clone())],
        Expect::Error(400, "incomplete_body"),
    )
    .await;
    let piece_head = head(
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
        let request = h
            .put(&path, "image/jpeg", photo.clone())
            .header(CONTENT_RANGE, range.as_str());
        h.send(
            &format!("Content-Range {range:.60?}"),
            request,
            Expect::Refusal,
        )
        .await;
    }
    // A body longer than its range, a size over the limit, a piece that does not start at 0.
    let longer = h
        .put(&path, "image/jpeg", photo.clone())
        .header(CONTENT_RANGE, full("0-9"));
    h.send(
        "a body longer than its range",
        longer,
        Expect::Error(400, "bad_range"),
    )
    .await;
    let too_big = format!("bytes 0-9/{}", MAX_PHOTO_BYTES + 1);
    let request = h
        .put(&path, "image/jpeg", photo[..10].to_vec())
        .header(CONTENT_RANGE, too_big);
    h.send(
        "a size over the limit",
        request,
        Expect::Error(413, "too_large"),
    )
    .await;
    let request = h
        .put(&path, "image/jpeg", photo[5..10].to_vec())
        .header(CONTENT_RANGE, full("5-9"));
    h.send(
        "a piece after a gap",
        request,
        Expect::Error(409, "upload_offset"),
    )
    .await;
    let mut latin1 = head(
        "PUT",
        &path,
        "Content-Type: image/jpeg\r\nContent-Length: 10\r\n",
    )
    .into_bytes();
    latin1.truncate(latin1.len() - 2);
    latin1.extend_from_slice(b"Content-Range: bytes 0-9/\xE9\r\n\r\n");
    latin1.extend_from_slice(&photo[..10]);
    h.raw(
        "a Latin-1 Content-Range",
        latin1,
        Expect::Error(400, "bad_range"),
    )
    .await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_clients_get_json_4xx_and_the_server_stays_well() {
    let started = Instant::now();
    let app = spawn_hostile_app().await;
    let visit = serde_json::to_value(common::visit()).expect("visit JSON");
    let child = serde_json::to_value(common::child()).expect("child JSON");
    let h = Hostile {
        app,
        tally: Mutex::new(Tally::default()),
        visit,
        child,
    };

    // The slow cases wait on the idle timeout; everything else runs meanwhile.
    futures::join!(
        broken_bodies(&h),
        wrong_types(&h),
        huge_bodies(&h),
        bad_addresses(&h),
        static_traversal(&h),
        wrong_methods(&h),
        wrong_content_types(&h),
        oversize_bodies(&h),
        slow_bodies(&h),
        bad_content_ranges(&h),
        bad_photo_notes(&h),
    );

    let health = h
        .app
        .client
        .get(h.app.url("/api/v1/health"))
        .send()
        .await
        .expect("health answers");
    assert_eq!(health.status(), 200, "the server is still well");
    let good = common::visit();
    let stored = h
        .app
        .client
        .put(h.app.url(&format!("/api/v1/visits/{}", good.id)))
        .json(&good)
        .send()
        .await;
    assert_eq!(
        stored.expect("a good visit is answered").status(),
        201,
        "a good visit is still stored"
    );

    let tally = h
        .tally
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    println!(
        "hostile requests: {}, 5xx: {} ({:.1?})",
        tally.tried,
        tally.server_errors,
        started.elapsed()
    );
    assert!(
        tally.tried > 900,
        "every kind of hostile request was tried: {}",
        tally.tried
    );
    assert!(
        tally.problems.is_empty(),
        "{} problems:\n{}",
        tally.problems.len(),
        tally.problems.join("\n")
    );
    assert_eq!(tally.server_errors, 0);
    h.app.stop().await;
}
