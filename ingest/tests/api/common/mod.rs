//! The real server, started in this process on `127.0.0.1:0` with a fresh data directory
//! per test, and helpers to talk to it and to look into its database.

#![allow(dead_code)] // each test binary uses its own share of these helpers

pub mod photos;
pub mod places;
pub mod server_process;

use std::path::{Path, PathBuf};
use std::sync::Once;

use chrono::{DateTime, Days, FixedOffset, Utc};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, Response, StatusCode};
use sqlx::AnyPool;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tongxing_core::child::Child;
use tongxing_core::fixtures::{sample_child, sample_director, sample_visit};
use tongxing_core::form::AnswerValue;
use tongxing_core::wire::ErrorBody;
use tongxing_core::wire::{EnrollReply, EnrollRequest};
use tongxing_core::worker::{Place, Role};
use tongxing_core::Visit;
use tongxing_core::Worker;
use tongxing_ingest::http::config::DEFAULT_MAX_IN_FLIGHT;
use tongxing_ingest::http::rate_limits::RateLimit;
use tongxing_ingest::photos::cleanup::DEFAULT_PHOTO_GRACE_HOURS;
use tongxing_ingest::photos::{PhotoBucket, PhotoStore, DEFAULT_MAX_PHOTO_BYTES};
use tongxing_ingest::store::db;
use tongxing_ingest::store::records::{self, Received, ReceivedVisit, StoredRecord};
use tongxing_ingest::store::workers::invites::{self, NewInvite, DEFAULT_VALID_FOR};
use tongxing_ingest::{CorsOrigins, ServeConfig, ServeError, Server};
use uuid::Uuid;

/// Logs from the server when `TEST_LOG` is set (`TEST_LOG=1 cargo test`), else none.
fn init_test_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            tracing_subscriber::fmt()
                .with_env_filter(tongxing_ingest::http::telemetry::env_filter("debug"))
                .with_test_writer()
                .init();
        }
    });
}

/// How to start a test server.
#[derive(Default)]
pub struct AppOptions {
    /// Reuse a data directory (to restart on the same data); a fresh one otherwise.
    pub data: Option<TempDir>,
    pub static_dir: Option<PathBuf>,
    pub cors_origins: CorsOrigins,
    /// The photo size limit; the server's default when not given.
    pub max_photo_bytes: Option<u64>,
    /// The grace period of unneeded photos, in hours; the server's default when not given.
    pub photo_grace_hours: Option<u64>,
    /// Each device's share of calls; the server's default when not given.
    pub rate_limit: Option<RateLimit>,
    /// API requests under way at once; the server's default when not given.
    pub max_in_flight: Option<usize>,
    /// Requests without a valid token under way at once and each address's share of them;
    /// when not given, more than any test makes (every test calls from one address).
    pub strangers_in_flight: Option<usize>,
    pub stranger_rate: Option<RateLimit>,
    /// Photo bytes each device may send a day; the server's default when not given.
    pub daily_upload_bytes: Option<u64>,
    /// The servers the app may call (its Content-Security-Policy).
    pub allowed_servers: tongxing_ingest::http::config::AllowedServers,
    /// How long the server waits for a request head; its default when not given.
    pub header_read_timeout: Option<std::time::Duration>,
    /// Whether clients are known by `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// The server's recovery key file; `recovery.key` in the data directory when not given.
    pub recovery_key_file: Option<PathBuf>,
    /// The county's days for sent visits' answers on phones; its default when not given.
    pub keep_sent_visit_days: Option<u16>,
    /// The county's passphrase rule; six-digit PINs when not given.
    pub passphrase_min_chars: Option<u8>,
    /// Whether to serve the operator's port (`/metrics`, `/healthz`, `/readyz`).
    pub metrics: bool,
    /// A photo store of the test's own, instead of the suite's.
    pub photo_store: Option<url::Url>,
    /// SQLite's database and the photo folder in the data directory whatever the suite runs
    /// on: for tests of their own files (their modes, their bytes, a full disk under them).
    pub sqlite: bool,
}

/// A share of calls no test reaches.
pub fn unlimited_rate() -> RateLimit {
    let many = std::num::NonZeroU32::new(100_000).expect("non-zero");
    RateLimit { per_second: many, burst: many }
}

/// A running server.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    /// Sends as [`TestApp::director`]: every request carries its device token.
    pub client: Client,
    /// The director of the sample child's village, enrolled when the server started.
    pub director: Worker,
    /// Her device token.
    pub token: String,
    pub data: TempDir,
    /// `http://127.0.0.1:<port>` of the operator's port, when asked for.
    pub metrics_url: Option<String>,
    stop: oneshot::Sender<()>,
    running: JoinHandle<Result<(), ServeError>>,
}

/// A server with a fresh data directory, only the API.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    init_test_logging();
    let data = match options.data {
        Some(data) => data,
        None => tempfile::tempdir().expect("temp dir"),
    };
    let config = ServeConfig {
        addr: "127.0.0.1:0".to_owned(),
        metrics_addr: options.metrics.then(|| "127.0.0.1:0".to_owned()),
        data_dir: data.path().to_owned(),
        database_url: if options.sqlite { None } else { test_database_url() },
        photo_store: match options.photo_store {
            Some(photo_store) => Some(photo_store),
            None if options.sqlite => None,
            None => test_photo_store(data.path()),
        },
        static_dir: options.static_dir,
        cors_origins: options.cors_origins,
        max_photo_bytes: options.max_photo_bytes.unwrap_or(DEFAULT_MAX_PHOTO_BYTES),
        photo_grace_hours: options.photo_grace_hours.unwrap_or(DEFAULT_PHOTO_GRACE_HOURS),
        app_url: None,
        rate_limit: options.rate_limit.unwrap_or_default(),
        max_in_flight: options.max_in_flight.unwrap_or(DEFAULT_MAX_IN_FLIGHT),
        strangers_in_flight: options.strangers_in_flight.unwrap_or(DEFAULT_MAX_IN_FLIGHT),
        stranger_rate: options.stranger_rate.unwrap_or_else(unlimited_rate),
        daily_upload_bytes: options
            .daily_upload_bytes
            .unwrap_or(tongxing_ingest::http::config::DEFAULT_DAILY_UPLOAD_BYTES),
        allowed_servers: options.allowed_servers,
        behind_proxy: options.behind_proxy,
        recovery_key_file: options.recovery_key_file,
        county_key_file: None,
        keep_sent_visit_days: options.keep_sent_visit_days.unwrap_or(tongxing_core::wire::DEFAULT_KEEP_SENT_VISIT_DAYS),
        passphrase_min_chars: options.passphrase_min_chars,
    };
    let listener = TcpListener::bind(&config.addr).await.expect("bind 127.0.0.1:0");
    let mut server = Server::with_listener(listener, &config).await.expect("server starts");
    if let Some(timeout) = options.header_read_timeout {
        server = server.with_header_read_timeout(timeout);
    }
    let url = format!("http://{}", server.local_addr().expect("local addr"));
    let metrics_url = server.metrics_addr().expect("metrics addr").map(|addr| format!("http://{addr}"));
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let director = sample_director();
    let code = invite(data.path(), Role::Director, &director.place).await;
    let enrolled = enroll_over_http(&url, &code, &director.name).await;
    let client = client_with_token(&enrolled.token);
    TestApp { url, client, director: enrolled.worker, token: enrolled.token, data, metrics_url, stop, running }
}

/// Makes an invite in the database of `data_dir`, as `tongxing-ingest invite` does, and
/// returns its code.
pub async fn invite(data_dir: &Path, role: Role, place: &Place) -> String {
    let pool = open_db(data_dir).await;
    let invite = NewInvite {
        role,
        place: place.clone(),
        invited_by: "王督导".into(),
        made_by: None,
        valid_for: DEFAULT_VALID_FOR,
        max_uses: 1,
    };
    let made = invites::make(&pool, &invite, &county(), Utc::now()).await.expect("invite made");
    pool.close().await;
    made.code
}

/// The command line as the audit log names it, for what tests do in the database directly.
pub fn county() -> tongxing_ingest::store::audit::Reader<'static> {
    tongxing_ingest::store::audit::Reader { device: None, name: "county" }
}

/// `POST /api/v1/enroll` with a code; panics unless `201`.
pub async fn enroll_over_http(url: &str, code: &str, name: &str) -> EnrollReply {
    let request = EnrollRequest { code: code.to_owned(), name: name.to_owned(), phone: "13800138000".into() };
    let response = Client::new().post(format!("{url}/api/v1/enroll")).json(&request).send().await.expect("enroll sent");
    assert_eq!(response.status(), StatusCode::CREATED, "enrolled");
    response.json().await.expect("an enrolment reply")
}

/// A client whose every request carries `Authorization: Bearer <token>`.
pub fn client_with_token(token: &str) -> Client {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(&format!("Bearer {token}")).expect("a header value");
    headers.insert(AUTHORIZATION, value);
    Client::builder().default_headers(headers).build().expect("a client")
}

impl TestApp {
    /// The address of an API path such as `/visits/…`.
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// Stops the server as SIGTERM would and waits for it; returns the data directory.
    pub async fn stop(self) -> TempDir {
        let _ = self.stop.send(());
        self.running.await.expect("server task").expect("server stopped cleanly");
        self.data
    }

    /// Enrols another phone, for `role` at `place`: a client carrying its token, and the
    /// worker.
    pub async fn enroll_as(&self, role: Role, place: Place, name: &str) -> (Client, Worker) {
        let code = invite(self.data.path(), role, &place).await;
        let enrolled = enroll_over_http(&self.url, &code, name).await;
        (client_with_token(&enrolled.token), enrolled.worker)
    }

    /// `PUT /api/v1/visits/{visit.id}` with the visit as JSON.
    pub async fn put_visit(&self, visit: &Visit) -> Response {
        self.client.put(self.api(&format!("/visits/{}", visit.id))).json(visit).send().await.expect("request sent")
    }

    /// `PUT /api/v1/visits/{id}` with a raw body and content type.
    pub async fn put_raw(&self, id: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Response {
        self.client
            .put(self.api(&format!("/visits/{id}")))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// `PUT /api/v1/children/{child.id}` with the child's file as JSON.
    pub async fn put_child(&self, child: &Child) -> Response {
        self.client.put(self.api(&format!("/children/{}", child.id))).json(child).send().await.expect("request sent")
    }

    /// `PUT /api/v1/children/{id}` with a raw body and content type.
    pub async fn put_raw_child(&self, id: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Response {
        self.client
            .put(self.api(&format!("/children/{id}")))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// The newest revision of every record of a kind, read from the database.
    pub async fn current_of<R: StoredRecord>(&self) -> Vec<Received<R>> {
        let pool = self.pool().await;
        let records = records::current::<R>(&pool).await.expect("records read");
        pool.close().await;
        records
    }

    /// Every revision of every record of a kind, read from the database.
    pub async fn history_of<R: StoredRecord>(&self) -> Vec<Received<R>> {
        let pool = self.pool().await;
        let records = records::history::<R>(&pool).await.expect("history read");
        pool.close().await;
        records
    }

    /// Every conflicting body of a kind kept aside, read from the database.
    pub async fn conflicts_of<R: StoredRecord>(&self) -> Vec<Received<R>> {
        let pool = self.pool().await;
        let records = records::conflicts::<R>(&pool).await.expect("conflicts read");
        pool.close().await;
        records
    }

    /// A fresh connection pool on the server's database, as a second process would have.
    pub async fn pool(&self) -> AnyPool {
        open_db(self.data.path()).await
    }

    /// The newest revision of every visit, read from the database.
    pub async fn current_visits(&self) -> Vec<ReceivedVisit> {
        let pool = self.pool().await;
        let visits = records::current_visits(&pool).await.expect("visits read");
        pool.close().await;
        visits
    }

    /// Every revision stored, read from the database.
    pub async fn history(&self) -> Vec<ReceivedVisit> {
        let pool = self.pool().await;
        let visits = records::all_revisions(&pool).await.expect("history read");
        pool.close().await;
        visits
    }

    /// Asserts that nothing at all was stored.
    pub async fn assert_nothing_stored(&self) {
        assert!(self.current_visits().await.is_empty(), "no visit stored");
        assert!(self.history().await.is_empty(), "no revision stored");
    }
}

/// A valid visit (core's sample: a left-behind child with a grandmother of weak health,
/// colour yellow) with a new id, dated a few days before the server's today and saved now.
pub fn visit() -> Visit {
    let now = Utc::now();
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let visited = now.date_naive().checked_sub_days(Days::new(3)).expect("a date");
    let next = visited.checked_add_days(Days::new(14)).expect("a date");
    let mut visit = sample_visit();
    visit.id = Uuid::new_v4();
    visit.answers.set("visit_date", AnswerValue::Text(visited.to_string()));
    visit.answers.set("next_visit_date", AnswerValue::Text(next.to_string()));
    visit.updated_at = DateTime::<FixedOffset>::from_naive_utc_and_offset(now.naive_utc(), offset);
    visit
}

/// The same visit with `answer` to the free-text field `actions_taken`.
pub fn with_actions(visit: &Visit, answer: &str) -> Visit {
    let mut visit = visit.clone();
    visit.answers.set("actions_taken", AnswerValue::Text(answer.to_owned()));
    visit
}

/// The same visit, saved again by the worker with `actions_taken` (采取的措施) answered.
pub fn revised(visit: &Visit, actions_taken: &str) -> Visit {
    Visit { revision: visit.revision + 1, ..with_actions(visit, actions_taken) }
}

/// A valid child's file (core's sample) with a new id, saved now.
pub fn child() -> Child {
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    Child {
        id: Uuid::new_v4(),
        updated_at: DateTime::<FixedOffset>::from_naive_utc_and_offset(Utc::now().naive_utc(), offset),
        ..sample_child()
    }
}

/// The same child's file, saved again by the worker with `notes`.
pub fn revised_child(child: &Child, notes: &str) -> Child {
    Child { notes: notes.to_owned(), revision: child.revision + 1, ..child.clone() }
}

/// Reads an error answer, checking that it is JSON.
pub async fn error_body(response: Response) -> ErrorBody {
    assert_json(response.headers());
    let text = response.text().await.expect("body read");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("error body is not ErrorBody JSON ({e}): {text}"))
}

/// Asserts the status, then reads the error body.
pub async fn expect_error(response: Response, status: StatusCode, code: &str) -> ErrorBody {
    assert_eq!(response.status(), status);
    let body = error_body(response).await;
    assert_eq!(body.error.as_str(), code, "{body:?}");
    assert!(!body.message.trim().is_empty(), "a message for people");
    body
}

pub fn assert_json(headers: &HeaderMap) {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(content_type.starts_with("application/json"), "JSON content type, got {content_type:?}");
}

/// Whether `text` has Chinese characters in it.
pub fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The PostgreSQL server the suite runs on (`TONGXING_TEST_DATABASE_URL`), each data
/// directory with a database of its own; `None`: SQLite.
pub fn test_database_url() -> Option<url::Url> {
    std::env::var(db::TEST_DATABASE_URL).ok().and_then(|url| url::Url::parse(&url).ok())
}

/// The database of a test's data directory, which the server has made already.
pub async fn open_db(data_dir: &Path) -> sqlx::AnyPool {
    db::open_for_test(data_dir).await.expect("database opens")
}

/// The bucket the suite keeps photos in (`TONGXING_TEST_PHOTO_STORE`, `s3://bucket`), under a
/// prefix of each data directory's own, as each has a database of its own; `None`: the
/// data directory's photo folder.
pub fn test_photo_store(data_dir: &Path) -> Option<url::Url> {
    let base = std::env::var(TEST_PHOTO_STORE).ok()?;
    let prefix = db::database_name_of(data_dir);
    url::Url::parse(&format!("{}/{prefix}", base.trim_end_matches('/'))).ok()
}

/// Where the suite keeps photos, when not in the data directory (see [`test_photo_store`]).
pub const TEST_PHOTO_STORE: &str = "TONGXING_TEST_PHOTO_STORE";

/// The photos of a test's data directory, where its server keeps them.
pub fn photo_store(data_dir: &Path) -> PhotoStore {
    let bucket = test_photo_store(data_dir).map(|url| PhotoBucket::from_url(&url).expect("the suite's bucket"));
    PhotoStore::at(data_dir, DEFAULT_MAX_PHOTO_BYTES).in_bucket(bucket)
}

/// The built `tongxing-ingest` for the data directory `data_dir`, its database on the
/// suite's PostgreSQL server and its photos in the suite's bucket when there are such (as
/// the data directory's server's are).
pub fn binary(data_dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tongxing-ingest"));
    command.env_remove("TONGXING_DATABASE_URL").env_remove("TONGXING_PHOTO_STORE");
    if let Some(url) = test_database_url() {
        command.env("TONGXING_DATABASE_URL", url.as_str());
    }
    if let Some(url) = test_photo_store(data_dir) {
        command.env("TONGXING_PHOTO_STORE", url.as_str());
    }
    command
}

/// `tongxing-ingest <args> --data-dir <data_dir>`, the built binary, with none of the
/// server's settings taken from the environment the tests run in.
pub fn cli(data_dir: &Path, args: &[&str]) -> std::process::Output {
    binary(data_dir)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("TONGXING_LOG")
        .env_remove("TONGXING_APP_URL")
        .env_remove("TONGXING_SERVER_URL")
        .env_remove("TONGXING_DATA_DIR")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}
