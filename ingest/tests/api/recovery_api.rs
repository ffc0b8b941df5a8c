//! A forgotten PIN against the real server: a phone leaves its data key, her supervisor
//! issues a recovery, the locked phone (no token) gets the key back once with the code;
//! wrong codes, revoked phones, other townships and other roles get nothing; the database
//! holds neither the key nor the code, and the server's own key is a `0600` file apart from
//! it. (Lapsed recoveries, at times of a test's choosing, are tested beside the store:
//! `src/store/recovery/recoveries/tests.rs`.)

use crate::common;

use std::num::NonZeroU32;
use std::path::Path;

use chrono::{TimeDelta, Utc};
use common::{expect_error, spawn_app, spawn_app_with, AppOptions, TestApp};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;
use tongxing_core::vault::{DataKey, RecoveryCode, KEY_BYTES, RECOVERY_TRIES};
use tongxing_core::wire::{HexKey, PhoneListing, RecoveredKey, RecoveryIssued, RecoveryKeyDeposit};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{FieldError, Worker};
use tongxing_ingest::http::rate_limits::RateLimit;
use tongxing_ingest::store::audit;
use tongxing_ingest::store::recovery::RECOVERY_KEY_FILE;
use uuid::Uuid;

/// A data key with bytes no database would hold by chance.
fn data_key(seed: u8) -> [u8; KEY_BYTES] {
    std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(seed))
}

/// What a phone sends: the vault's id and its data key.
fn deposit_of(vault: Uuid, key: [u8; KEY_BYTES]) -> RecoveryKeyDeposit {
    RecoveryKeyDeposit { vault_id: vault, key: HexKey::new(DataKey::from_bytes(key)) }
}

/// The director's township's supervisor: her client and worker.
async fn supervisor(app: &TestApp, township: &str, name: &str) -> (Client, Worker) {
    app.enroll_as(Role::Supervisor, Place { township: township.into(), village: String::new() }, name).await
}

async fn deposit(app: &TestApp, client: &Client, body: &RecoveryKeyDeposit) -> Response {
    client.put(app.api("/devices/me/recovery-key")).json(body).send().await.expect("sent")
}

async fn issue(app: &TestApp, client: &Client, device: Uuid) -> Response {
    client.post(app.api(&format!("/devices/{device}/recovery"))).send().await.expect("sent")
}

/// `POST /api/v1/recovery` as a locked phone: no token.
async fn claim(app: &TestApp, vault: Uuid, code: &str) -> Response {
    let body = json!({ "vault_id": vault, "code": code });
    Client::new().post(app.api("/recovery")).json(&body).send().await.expect("sent")
}

/// A `201` recovery, read.
async fn issued(response: Response) -> RecoveryIssued {
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
    response.json().await.expect("a recovery")
}

/// The phones the supervisor lists, by name: whether each is recoverable.
async fn recoverable(app: &TestApp, supervisor: &Client) -> Vec<(String, bool)> {
    let response = supervisor.get(app.api("/devices")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let phones: Vec<PhoneListing> = response.json().await.expect("phones");
    let mut listed: Vec<(String, bool)> = phones.into_iter().map(|p| (p.name, p.recoverable)).collect();
    listed.sort();
    listed
}

async fn audited(app: &TestApp, action: &str) -> Vec<audit::AuditEntry> {
    let pool = app.pool().await;
    let filter = audit::AuditFilter { action: Some(action.to_owned()), ..audit::AuditFilter::default() };
    let entries = audit::find(&pool, &filter).await.expect("audit log");
    pool.close().await;
    entries
}

/// The code after `code`, which is not it.
fn wrong(code: &RecoveryCode) -> String {
    let number: u32 = String::from(code.clone()).parse().expect("digits");
    String::from(RecoveryCode::from_number(number + 1))
}

#[tokio::test]
async fn a_forgotten_pin_is_recovered_once_with_the_code_her_supervisor_issued() {
    let app = spawn_app().await;
    let township = app.director.place.township.clone();
    let (boss, boss_worker) = supervisor(&app, &township, "王督导").await;
    let vault = Uuid::new_v4();
    assert_eq!(recoverable(&app, &boss).await, [("李芳".to_owned(), false), ("王督导".to_owned(), false)]);

    let left = deposit_of(vault, data_key(1));
    assert_eq!(deposit(&app, &app.client, &left).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(deposit(&app, &app.client, &left).await.status(), StatusCode::NO_CONTENT, "again: the same");
    assert_eq!(recoverable(&app, &boss).await, [("李芳".to_owned(), true), ("王督导".to_owned(), false)]);
    assert_eq!(audited(&app, audit::DEPOSIT_RECOVERY_KEY).await.len(), 1, "the same key again changes nothing");

    let before = Utc::now();
    let recovery = issued(issue(&app, &boss, app.director.id).await).await;
    let lasts = recovery.expires_at - before;
    assert!(
        lasts > TimeDelta::hours(24) - TimeDelta::minutes(1) && lasts < TimeDelta::hours(24) + TimeDelta::minutes(1),
        "{lasts}"
    );

    let response = claim(&app, vault, &recovery.code.grouped()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
    let given: RecoveredKey = response.json().await.expect("the key");
    assert!(given.key == left.key, "the very key she left");

    let again = claim(&app, vault, &String::from(recovery.code.clone())).await;
    expect_error(again, StatusCode::FORBIDDEN, "recovery_refused").await;

    let issued_rows = audited(&app, audit::ISSUE_RECOVERY).await;
    assert_eq!(issued_rows.len(), 1);
    assert_eq!(issued_rows[0].device_id, Some(boss_worker.id.to_string()), "who issued it");
    assert!(issued_rows[0].subject.contains(&app.director.id.to_string()), "for which phone");
    assert!(!issued_rows[0].subject.contains(&String::from(recovery.code.clone())), "never the code");
    let recovered = audited(&app, audit::RECOVER_KEY).await;
    assert_eq!(recovered.len(), 1);
    assert_eq!(recovered[0].device_id, Some(app.director.id.to_string()));
    assert_eq!(recovered[0].actor, "李芳");
}

#[tokio::test]
async fn wrong_codes_use_the_tries_the_last_voids_it_and_every_refusal_reads_the_same() {
    let app = spawn_app().await;
    let (boss, _) = supervisor(&app, &app.director.place.township.clone(), "王督导").await;
    let vault = Uuid::new_v4();
    assert_eq!(deposit(&app, &app.client, &deposit_of(vault, data_key(2))).await.status(), StatusCode::NO_CONTENT);
    let recovery = issued(issue(&app, &boss, app.director.id).await).await;

    let mut refusals = Vec::new();
    for _ in 0..RECOVERY_TRIES {
        let response = claim(&app, vault, &wrong(&recovery.code)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        refusals.push(response.text().await.expect("a body"));
    }
    let void = claim(&app, vault, &String::from(recovery.code.clone())).await;
    assert_eq!(void.status(), StatusCode::FORBIDDEN, "the right code after five wrong ones");
    refusals.push(void.text().await.expect("a body"));
    let unknown = claim(&app, Uuid::new_v4(), &String::from(recovery.code.clone())).await;
    assert_eq!(unknown.status(), StatusCode::FORBIDDEN, "a vault no phone holds");
    refusals.push(unknown.text().await.expect("a body"));
    assert!(refusals.windows(2).all(|pair| pair[0] == pair[1]), "one answer for all: {refusals:?}");
    let body: tongxing_core::wire::ErrorBody = serde_json::from_str(&refusals[0]).expect("an error body");
    assert_eq!(body.error.as_str(), "recovery_refused");
    assert_eq!(audited(&app, audit::RECOVERY_REFUSED).await.len(), RECOVERY_TRIES as usize);

    let fresh = issued(issue(&app, &boss, app.director.id).await).await;
    assert_eq!(claim(&app, vault, &String::from(fresh.code)).await.status(), StatusCode::OK, "a new recovery works");
}

#[tokio::test]
async fn a_revoked_phone_gets_no_recovery() {
    let app = spawn_app().await;
    let (boss, _) = supervisor(&app, &app.director.place.township.clone(), "王督导").await;
    let vault = Uuid::new_v4();
    assert_eq!(deposit(&app, &app.client, &deposit_of(vault, data_key(3))).await.status(), StatusCode::NO_CONTENT);
    let recovery = issued(issue(&app, &boss, app.director.id).await).await;

    let revoked = boss.delete(app.api(&format!("/devices/{}", app.director.id))).send().await.expect("sent");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

    let refused = claim(&app, vault, &String::from(recovery.code)).await;
    expect_error(refused, StatusCode::FORBIDDEN, "recovery_refused").await;
    expect_error(issue(&app, &boss, app.director.id).await, StatusCode::CONFLICT, "no_recovery_key").await;
    assert_eq!(recoverable(&app, &boss).await, [("李芳".to_owned(), false), ("王督导".to_owned(), false)]);
    let pool = app.pool().await;
    let kept: i64 =
        sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM recovery_keys) + (SELECT COUNT(*) FROM recoveries)")
            .fetch_one(&pool)
            .await
            .expect("counted");
    pool.close().await;
    assert_eq!(kept, 0, "revoking forgets its key and its recovery");
    let late = deposit(&app, &app.client, &deposit_of(vault, data_key(3))).await;
    expect_error(late, StatusCode::UNAUTHORIZED, "revoked").await;
}

#[tokio::test]
async fn only_a_supervisor_of_its_township_issues_a_recovery_for_a_phone_that_left_its_key() {
    let app = spawn_app().await;
    let (boss, boss_worker) = supervisor(&app, &app.director.place.township.clone(), "王督导").await;
    let (stranger, _) = supervisor(&app, "白沙镇", "赵督导").await;
    assert_eq!(
        deposit(&app, &app.client, &deposit_of(Uuid::new_v4(), data_key(4))).await.status(),
        StatusCode::NO_CONTENT
    );

    let theirs = issue(&app, &stranger, app.director.id).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let theirs = theirs.text().await.expect("a body");
    let unknown = issue(&app, &boss, Uuid::new_v4()).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(theirs, unknown.text().await.expect("a body"), "another township's phone answers as an unknown one");

    expect_error(issue(&app, &app.client, app.director.id).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(issue(&app, &Client::new(), app.director.id).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let bad = boss.post(app.api("/devices/not-a-uuid/recovery")).send().await.expect("sent");
    expect_error(bad, StatusCode::BAD_REQUEST, "bad_id").await;
    let keyless = issue(&app, &boss, boss_worker.id).await;
    expect_error(keyless, StatusCode::CONFLICT, "no_recovery_key").await;
    assert!(audited(&app, audit::ISSUE_RECOVERY).await.is_empty(), "nothing issued");
    let pool = app.pool().await;
    let recoveries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM recoveries").fetch_one(&pool).await.expect("counted");
    pool.close().await;
    assert_eq!(recoveries, 0);
}

#[tokio::test]
async fn bad_deposits_and_claims_are_clear_4xx() {
    let app = spawn_app().await;
    let vault = Uuid::new_v4();
    let put = |body: &'static str| {
        app.client.put(app.api("/devices/me/recovery-key")).header(CONTENT_TYPE, "application/json").body(body)
    };
    let broken = put(r#"{"vault_id": "#).send().await.expect("sent");
    expect_error(broken, StatusCode::BAD_REQUEST, "malformed_json").await;
    let short = json!({ "vault_id": vault, "key": "ab".repeat(31) });
    let response = app.client.put(app.api("/devices/me/recovery-key")).json(&short).send().await.expect("sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("key"), Some(&FieldError::WrongType), "{body:?}");
    let extra = json!({ "vault_id": vault, "key": "ab".repeat(32), "pin": "123456" });
    let response = app.client.put(app.api("/devices/me/recovery-key")).json(&extra).send().await.expect("sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("pin"), Some(&FieldError::Unexpected), "{body:?}");
    let as_text = app.client.put(app.api("/devices/me/recovery-key")).body("{}").send().await.expect("sent");
    expect_error(as_text, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    let none = Client::new().put(app.api("/devices/me/recovery-key")).json(&deposit_of(vault, data_key(5)));
    expect_error(none.send().await.expect("sent"), StatusCode::UNAUTHORIZED, "unauthorized").await;

    // A vault is one phone's: the same space joined again (a new device) takes it over.
    assert_eq!(deposit(&app, &app.client, &deposit_of(vault, data_key(5))).await.status(), StatusCode::NO_CONTENT);
    let place = app.director.place.clone();
    let (other, _) = app.enroll_as(Role::Volunteer, place, "张志愿").await;
    assert_eq!(deposit(&app, &other, &deposit_of(vault, data_key(5))).await.status(), StatusCode::NO_CONTENT);

    let response = claim(&app, vault, "12").await;
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("code"), Some(&FieldError::WrongType), "{body:?}");
    let cut = Client::new()
        .post(app.api("/recovery"))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"vault_id":"#)
        .send()
        .await
        .expect("sent");
    expect_error(cut, StatusCode::BAD_REQUEST, "malformed_json").await;
    let missing = Client::new().post(app.api("/recovery")).json(&json!({ "vault_id": vault })).send().await;
    let body = expect_error(missing.expect("sent"), StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("code"), Some(&FieldError::Required), "{body:?}");
}

/// Whether `needle` is anywhere in `haystack`.
fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Every byte of the SQLite database of `data_dir`: the file, its write-ahead log and index.
fn database_bytes(data_dir: &Path) -> Vec<u8> {
    ["tongxing.db", "tongxing.db-wal", "tongxing.db-shm"]
        .iter()
        .filter_map(|name| std::fs::read(data_dir.join(name)).ok())
        .flatten()
        .collect()
}

#[tokio::test]
async fn the_database_holds_neither_key_nor_code_and_the_server_key_is_a_private_file_apart() {
    // The bytes of SQLite's files are read.
    let app = spawn_app_with(AppOptions { sqlite: true, ..AppOptions::default() }).await;
    let (boss, _) = supervisor(&app, &app.director.place.township.clone(), "王督导").await;
    let vault = Uuid::new_v4();
    let key = data_key(7);
    assert_eq!(deposit(&app, &app.client, &deposit_of(vault, key)).await.status(), StatusCode::NO_CONTENT);
    let recovery = issued(issue(&app, &boss, app.director.id).await).await;
    let code = String::from(recovery.code.clone());

    let key_file = app.data.path().join(RECOVERY_KEY_FILE);
    let server_key = std::fs::read(&key_file).expect("the server's key file");
    assert_eq!(server_key.len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }

    let data = app.stop().await;
    let stored = database_bytes(data.path());
    assert!(stored.len() > 4096, "the database was read");
    let hex_key = String::from(HexKey::new(DataKey::from_bytes(key)));
    assert!(!holds(&stored, &key), "the data key's bytes");
    assert!(!holds(&stored, hex_key.as_bytes()), "the data key as hex");
    assert!(!holds(&stored, hex_key.to_uppercase().as_bytes()), "the data key as upper-case hex");
    assert!(!holds(&stored, code.as_bytes()), "the recovery code");
    assert!(!holds(&stored, &server_key), "the server's key");
    assert!(holds(&stored, vault.to_string().as_bytes()), "what it holds is searchable: the vault's id is there");
}

#[tokio::test]
async fn a_key_file_elsewhere_is_used_and_a_broken_one_stops_the_start() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let key_file = elsewhere.path().join("tongxing-recovery.key");
    let app = spawn_app_with(AppOptions { recovery_key_file: Some(key_file.clone()), ..AppOptions::default() }).await;
    assert_eq!(std::fs::read(&key_file).expect("made where told").len(), 32);
    assert!(!app.data.path().join(RECOVERY_KEY_FILE).exists(), "none in the data directory");
    app.stop().await;

    std::fs::write(&key_file, b"not a key").expect("written");
    let data = tempfile::tempdir().expect("temp dir");
    let config = tongxing_ingest::ServeConfig {
        addr: "127.0.0.1:0".to_owned(),
        metrics_addr: None,
        data_dir: data.path().to_owned(),
        database_url: None,
        recovery_key_file: Some(key_file.clone()),
        ..tongxing_ingest::ServeConfig::default()
    };
    let error = tongxing_ingest::Server::bind(&config).await.err().expect("refused");
    let said = error.to_string();
    assert!(said.contains("recovery key file") && said.contains("not 32"), "{said}");
    assert_eq!(std::fs::read(&key_file).expect("kept"), b"not a key", "left for the operator");
}

#[tokio::test]
async fn claims_count_against_their_client_addresss_share() {
    let one = NonZeroU32::new(1).expect("non-zero");
    let three = NonZeroU32::new(3).expect("non-zero");
    let app = spawn_app_with(AppOptions {
        stranger_rate: Some(RateLimit { per_second: one, burst: three }),
        ..AppOptions::default()
    })
    .await;
    // Joining the director at start took one of the address's three.
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(claim(&app, Uuid::new_v4(), "1234 5678").await.status().as_u16());
    }
    assert_eq!(statuses, [403, 403, 429]);
    let limited = claim(&app, Uuid::new_v4(), "1234 5678").await;
    expect_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}
