//! Enrolment against the real server: invites, device tokens, revoking, roles and places,
//! the per-device rate limit and the global limit of requests under way; and the command
//! line's `invite`, `devices` and `revoke` on the built binary.

use crate::common;

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::photos::{jpeg, sha256};
use common::{
    child, cli, client_with_token, enroll_over_http, expect_error, invite, revised, spawn_app, spawn_app_with, visit,
    AppOptions, TestApp,
};
use reqwest::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;
use tongxing_core::child::Child;
use tongxing_core::wire::PutStatus;
use tongxing_core::wire::{EnrollReply, InviteInfo, InviteReply, RevokedAs};
use tongxing_core::worker::{Place, Role};
use tongxing_core::Visit;
use tongxing_ingest::http::rate_limits::RateLimit;
use tongxing_ingest::store::records;
use tongxing_ingest::store::workers::invites::{self, NewInvite, DEFAULT_VALID_FOR};
use tongxing_ingest::store::workers::{devices, secret};
use uuid::Uuid;

/// Another village of the director's township.
fn next_door(app: &TestApp) -> Place {
    Place { township: app.director.place.township.clone(), village: "杏花村".into() }
}

/// A village of the same name as the director's, in another township.
fn elsewhere(app: &TestApp) -> Place {
    Place { township: "白沙镇".into(), village: app.director.place.village.clone() }
}

/// The director's whole township, as a supervisor's place.
fn township(app: &TestApp) -> Place {
    Place { township: app.director.place.township.clone(), village: String::new() }
}

/// Enrols a worker of `role` for `place` through the API; her reply and a client that
/// sends her token.
async fn enrol(app: &TestApp, role: Role, place: &Place, name: &str) -> (EnrollReply, Client) {
    let code = invite(app.data.path(), role, place).await;
    let reply = enroll_over_http(&app.url, &code, name).await;
    let client = client_with_token(&reply.token);
    (reply, client)
}

async fn post_enroll(app: &TestApp, code: &str, name: &str) -> Response {
    Client::new()
        .post(app.api("/enroll"))
        .json(&json!({"code": code, "name": name, "phone": "13912345678"}))
        .send()
        .await
        .expect("sent")
}

async fn put_visit_as(app: &TestApp, client: &Client, visit: &Visit) -> Response {
    client.put(app.api(&format!("/visits/{}", visit.id))).json(visit).send().await.expect("sent")
}

async fn put_child_as(app: &TestApp, client: &Client, child: &Child) -> Response {
    client.put(app.api(&format!("/children/{}", child.id))).json(child).send().await.expect("sent")
}

async fn upload_status_as(app: &TestApp, client: &Client) -> Response {
    client.get(app.api(&format!("/photos/{}/upload", sha256(b"any photo")))).send().await.expect("sent")
}

/// A `401` of `code` that asks for a bearer token.
async fn expect_unauthorized(response: Response, code: &str) {
    assert_eq!(
        response.headers().get(WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()),
        Some("Bearer"),
        "a 401 names the scheme"
    );
    expect_error(response, StatusCode::UNAUTHORIZED, code).await;
}

/// The `Retry-After` seconds of an answer.
fn retry_after(response: &Response) -> u64 {
    response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After in whole seconds: {:?}", response.headers()))
}

#[tokio::test]
async fn an_invite_enrols_a_phone_whose_token_works_until_it_is_revoked() {
    let app = spawn_app().await;
    let place = app.director.place.clone();
    let code = invite(app.data.path(), Role::LoveMother, &place).await;

    let response = Client::new()
        .post(app.api("/enroll"))
        .json(&json!({"code": code, "name": "  王秀英 ", "phone": "139 1234 5678"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    let enrolled: EnrollReply = response.json().await.expect("an enrolment reply");
    assert!(enrolled.token.len() >= 40, "a long random token");
    assert_eq!(enrolled.worker.name, "王秀英");
    assert_eq!(enrolled.worker.role, Role::LoveMother);
    assert_eq!(enrolled.worker.place, place);

    // The token sends.
    let client = client_with_token(&enrolled.token);
    let sent = visit();
    let response = put_visit_as(&app, &client, &sent).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // The command line's list shows the phone, seen just now, and keeps no token.
    let pool = app.pool().await;
    let listed = devices::list(&pool).await.expect("devices listed");
    let device = listed.iter().find(|d| d.worker.id == enrolled.worker.id).expect("the new device is listed");
    assert_eq!(device.worker, enrolled.worker);
    assert_eq!(device.phone, "139 1234 5678");
    assert!(device.last_seen_at.is_some(), "the call was noted");
    assert!(device.revoked_at.is_none());
    let stored_hash: String = sqlx::query_scalar("SELECT token_hash FROM devices WHERE id = $1")
        .bind(enrolled.worker.id.to_string())
        .fetch_one(&pool)
        .await
        .expect("the device row");
    assert_eq!(stored_hash, secret::hash(&enrolled.token));
    assert_ne!(stored_hash, enrolled.token);
    let sent_by: Option<String> = sqlx::query_scalar("SELECT sent_by FROM visits WHERE id = $1")
        .bind(sent.id.to_string())
        .fetch_one(&pool)
        .await
        .expect("the visit row");
    assert_eq!(sent_by, Some(enrolled.worker.id.to_string()));

    // Revoked: every call of that phone is refused, and nothing it sends is kept.
    let revoked = devices::revoke(&pool, enrolled.worker.id, RevokedAs::Left, None, &common::county(), Utc::now())
        .await
        .expect("revoked");
    assert_eq!(revoked, devices::Revoked::Now);
    let later = revised(&sent, "停用后发的");
    expect_unauthorized(put_visit_as(&app, &client, &later).await, "revoked").await;
    expect_unauthorized(put_visit_as(&app, &client, &visit()).await, "revoked").await;
    expect_unauthorized(upload_status_as(&app, &client).await, "revoked").await;
    let history = records::history::<Visit>(&pool).await.expect("history read");
    assert_eq!(history.len(), 1, "only what came before the revoking");
    assert_eq!(history[0].record, sent);
    pool.close().await;

    // The director's phone is untouched.
    assert_eq!(app.put_visit(&visit()).await.status(), StatusCode::CREATED);
    // An unknown token is unauthorized, not revoked.
    let stranger = client_with_token("not-a-token-of-this-server");
    expect_unauthorized(upload_status_as(&app, &stranger).await, "unauthorized").await;
    expect_unauthorized(upload_status_as(&app, &Client::new()).await, "unauthorized").await;
}

#[tokio::test]
async fn an_invite_for_one_phone_enrols_one() {
    let app = spawn_app().await;
    let code = invite(app.data.path(), Role::Volunteer, &app.director.place).await;

    let first = post_enroll(&app, &code, "第一部手机").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let second = post_enroll(&app, &code, "第二部手机").await;
    expect_error(second, StatusCode::GONE, "invite_used_up").await;
    let shown = Client::new().get(app.api(&format!("/invites/{code}"))).send().await.expect("sent");
    expect_error(shown, StatusCode::GONE, "invite_used_up").await;

    let pool = app.pool().await;
    let (uses, enrolled): (i64, i64) = sqlx::query_as(
        "SELECT uses, (SELECT COUNT(*) FROM devices WHERE invite = code_hash) FROM invites \
         WHERE code_hash = $1",
    )
    .bind(secret::hash(&code))
    .fetch_one(&pool)
    .await
    .expect("the invite");
    assert_eq!((uses, enrolled), (1, 1), "one use, one phone");
    pool.close().await;
}

#[tokio::test]
async fn an_invite_shows_its_role_place_and_inviter_until_it_expires() {
    let app = spawn_app().await;
    let place = next_door(&app);
    let code = invite(app.data.path(), Role::Director, &place).await;

    let response = Client::new().get(app.api(&format!("/invites/{code}"))).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let info: InviteInfo = response.json().await.expect("invite info");
    assert_eq!(info.role, Role::Director);
    assert_eq!(info.place, place);
    assert_eq!(info.invited_by, "王督导");
    let left = info.expires_at - Utc::now();
    assert!(left > DEFAULT_VALID_FOR - TimeDelta::minutes(5) && left <= DEFAULT_VALID_FOR, "works for a week: {left}");
    // Looking does not use it.
    assert_eq!(post_enroll(&app, &code, "张敏").await.status(), StatusCode::CREATED);

    let unknown = Client::new().get(app.api("/invites/no-such-code")).send().await.expect("sent");
    expect_error(unknown, StatusCode::NOT_FOUND, "invite_not_found").await;
    expect_error(post_enroll(&app, "no-such-code", "张敏").await, StatusCode::NOT_FOUND, "invite_not_found").await;

    // Made eight days ago for a week.
    let pool = app.pool().await;
    let expired = invites::make(
        &pool,
        &NewInvite {
            role: Role::Director,
            place: place.clone(),
            invited_by: "王督导".into(),
            made_by: None,
            valid_for: DEFAULT_VALID_FOR,
            max_uses: 10,
        },
        &common::county(),
        Utc::now() - TimeDelta::days(8),
    )
    .await
    .expect("invite made")
    .code;
    let shown = Client::new().get(app.api(&format!("/invites/{expired}"))).send().await.expect("sent");
    expect_error(shown, StatusCode::GONE, "invite_expired").await;
    expect_error(post_enroll(&app, &expired, "张敏").await, StatusCode::GONE, "invite_expired").await;
    let enrolled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM devices WHERE invite = $1")
        .bind(secret::hash(&expired))
        .fetch_one(&pool)
        .await
        .expect("counted");
    assert_eq!(enrolled, 0, "an expired invite enrols no one");
    pool.close().await;
}

#[tokio::test]
async fn enrolment_with_a_bad_phone_or_name_names_the_fields_and_uses_nothing() {
    let app = spawn_app().await;
    let code = invite(app.data.path(), Role::Director, &next_door(&app)).await;

    let response = Client::new()
        .post(app.api("/enroll"))
        .json(&json!({"code": code, "name": " ", "phone": "12345"}))
        .send()
        .await
        .expect("sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert!(body.fields.get("name").is_some(), "{body:?}");
    assert!(body.fields.get("phone").is_some(), "{body:?}");

    // The invite is still there for the same phone with its details put right.
    assert_eq!(post_enroll(&app, &code, "张敏").await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_supervisor_invites_a_worker_of_a_village_of_her_township() {
    let app = spawn_app().await;
    let (supervisor, supervisor_client) = enrol(&app, Role::Supervisor, &township(&app), "王督导").await;
    assert_eq!(supervisor.worker.place.village, "");

    let response = supervisor_client
        .post(app.api("/invites"))
        .json(&json!({"role": "director", "village": "杏花村", "valid_days": 3, "uses": 2}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    let made: InviteReply = response.json().await.expect("an invite reply");
    assert_eq!(made.link, None, "the test server has no app address");
    let left = made.expires_at - Utc::now();
    assert!(left > TimeDelta::days(3) - TimeDelta::minutes(5) && left <= TimeDelta::days(3), "{left}");

    let info: InviteInfo = Client::new()
        .get(app.api(&format!("/invites/{}", made.code)))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("invite info");
    assert_eq!(info.invited_by, "王督导");
    let joined = enroll_over_http(&app.url, &made.code, "张敏").await;
    assert_eq!(joined.worker.role, Role::Director);
    assert_eq!(joined.worker.place, next_door(&app), "her township, that village");
    // The new director sends for her village.
    let director = client_with_token(&joined.token);
    let own = child();
    assert_eq!(put_child_as(&app, &director, &own).await.status(), StatusCode::CREATED);

    let pool = app.pool().await;
    let made_by: Option<String> = sqlx::query_scalar("SELECT made_by FROM invites WHERE code_hash = $1")
        .bind(secret::hash(&made.code))
        .fetch_one(&pool)
        .await
        .expect("the invite");
    assert_eq!(made_by, Some(supervisor.worker.id.to_string()));
    let invites_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invites").fetch_one(&pool).await.expect("counted");

    // Not another supervisor, not another township, and not by a director.
    let response = supervisor_client
        .post(app.api("/invites"))
        .json(&json!({"role": "supervisor", "village": ""}))
        .send()
        .await
        .expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = supervisor_client
        .post(app.api("/invites"))
        .json(&json!({"role": "director", "village": "杏花村", "township": "白沙镇"}))
        .send()
        .await
        .expect("sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert!(body.fields.get("township").is_some(), "{body:?}");
    let response = app
        .client
        .post(app.api("/invites"))
        .json(&json!({"role": "director", "village": "杏花村"}))
        .send()
        .await
        .expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let invites_after: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invites").fetch_one(&pool).await.expect("counted");
    assert_eq!(invites_after, invites_before, "no refused invite was made");

    // A supervisor reads; she does not send.
    let response = put_visit_as(&app, &supervisor_client, &visit()).await;
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = put_child_as(&app, &supervisor_client, &child()).await;
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        records::current::<Visit>(&pool).await.expect("visits read").is_empty(),
        "nothing the supervisor sent was stored"
    );
    pool.close().await;
}

#[tokio::test]
async fn records_of_another_village_or_township_are_out_of_scope() {
    let app = spawn_app().await;
    let (_, neighbour) = enrol(&app, Role::Director, &next_door(&app), "张敏").await;
    let (_, far) = enrol(&app, Role::Director, &elsewhere(&app), "赵丽").await;

    // The director's child and a visit to her.
    let held_child = child();
    let held = Visit { child_id: held_child.id, ..visit() };
    assert_eq!(app.put_child(&held_child).await.status(), StatusCode::CREATED);
    assert_eq!(app.put_visit(&held).await.status(), StatusCode::CREATED);
    // The neighbour's own child and visit are hers to send.
    let her_child = child();
    let her_visit = Visit { child_id: her_child.id, ..visit() };
    assert_eq!(put_child_as(&app, &neighbour, &her_child).await.status(), StatusCode::CREATED);
    assert_eq!(put_visit_as(&app, &neighbour, &her_visit).await.status(), StatusCode::CREATED);

    let mut refused = Vec::new();
    for client in [&neighbour, &far] {
        let newer = revised(&held, "别村改的");
        expect_error(put_visit_as(&app, client, &newer).await, StatusCode::FORBIDDEN, "out_of_scope").await;
        expect_error(put_visit_as(&app, client, &held).await, StatusCode::FORBIDDEN, "out_of_scope").await;
        let to_her_child = Visit { child_id: held_child.id, ..visit() };
        refused.push(to_her_child.id);
        expect_error(put_visit_as(&app, client, &to_her_child).await, StatusCode::FORBIDDEN, "out_of_scope").await;
        let child_file = common::revised_child(&held_child, "别村改的");
        expect_error(put_child_as(&app, client, &child_file).await, StatusCode::FORBIDDEN, "out_of_scope").await;
    }

    // Nothing the others sent was kept; the director's records are as she sent them.
    let visits = app.history_of::<Visit>().await;
    let held_ids = [held.id, her_visit.id];
    assert_eq!(visits.len(), 2, "one revision each of the two visits sent");
    assert!(visits.iter().all(|v| held_ids.contains(&v.record.id)));
    assert!(refused.iter().all(|id| visits.iter().all(|v| v.record.id != *id)));
    let current = app.current_of::<Visit>().await;
    let kept = current.iter().find(|v| v.record.id == held.id).expect("the held visit");
    assert_eq!(kept.record, held);
    let children = app.history_of::<Child>().await;
    assert_eq!(children.len(), 2, "one revision each of the two files sent");
    let kept = children.iter().find(|c| c.record.id == held_child.id).expect("the held file");
    assert_eq!(kept.record, held_child);
    assert!(app.conflicts_of::<Visit>().await.is_empty());
    assert!(app.conflicts_of::<Child>().await.is_empty());
    let pool = app.pool().await;
    let (township, village, sent_by): (String, String, Option<String>) =
        sqlx::query_as("SELECT scope_township, scope_village, sent_by FROM visits WHERE id = $1")
            .bind(held.id.to_string())
            .fetch_one(&pool)
            .await
            .expect("the held visit");
    assert_eq!(
        (township, village, sent_by),
        (app.director.place.township.clone(), app.director.place.village.clone(), Some(app.director.id.to_string()))
    );
    pool.close().await;

    // The director herself still revises her visit.
    let response = app.put_visit(&revised(&held, "主任自己改的")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reply: tongxing_core::wire::PutReply = response.json().await.expect("a reply");
    assert_eq!(reply.status, PutStatus::Updated);
}

#[tokio::test]
async fn a_device_over_its_share_waits_and_others_do_not() {
    let app = spawn_app_with(AppOptions {
        rate_limit: Some(RateLimit {
            per_second: NonZeroU32::new(1).expect("non-zero"),
            burst: NonZeroU32::new(3).expect("non-zero"),
        }),
        ..AppOptions::default()
    })
    .await;
    let (_, other) = enrol(&app, Role::Volunteer, &app.director.place, "刘洋").await;

    let started = Instant::now();
    for call in 1..=3 {
        let response = upload_status_as(&app, &app.client).await;
        assert_eq!(response.status(), StatusCode::OK, "call {call} of the burst");
    }
    let fourth = upload_status_as(&app, &app.client).await;
    assert!(started.elapsed() < Duration::from_millis(900), "the four calls were quick: {:?}", started.elapsed());
    let wait = retry_after(&fourth);
    assert!(wait >= 1, "Retry-After of at least a second: {wait}");
    let body = expect_error(fourth, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(body.fields.is_empty());
    // A record sent over the share is refused before anything is stored.
    let refused = visit();
    expect_error(app.put_visit(&refused).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(app.history_of::<Visit>().await.is_empty());

    // Another phone has a share of its own.
    let response = upload_status_as(&app, &other).await;
    assert_eq!(response.status(), StatusCode::OK, "another device is not limited");

    // After the wait it says, the phone is served again.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let response = upload_status_as(&app, &app.client).await;
    assert_eq!(response.status(), StatusCode::OK, "served after Retry-After");
}

#[tokio::test]
async fn requests_over_the_limit_under_way_are_shed_with_retry_after() {
    let app = spawn_app_with(AppOptions { max_in_flight: Some(1), ..AppOptions::default() }).await;
    let photo = jpeg();
    let hash = sha256(&photo);
    let size = photo.len();

    // A piece started by hand holds the only place while its body waits.
    let mut piece = app.start_piece(&hash, &format!("bytes 0-{}/{size}", size - 1), size).await;
    let shed = app.client.get(app.api("/health")).send().await.expect("sent");
    assert!(retry_after(&shed) >= 1);
    expect_error(shed, StatusCode::SERVICE_UNAVAILABLE, "overloaded").await;
    // A caller without a token has places of its own (the door: strangers never take the
    // enrolled phones' places, nor the other way round).
    let stranger = Client::new().get(app.api("/health")).send().await.expect("sent");
    assert_eq!(stranger.status(), StatusCode::OK);
    let refused = visit();
    let shed = app.put_visit(&refused).await;
    assert!(retry_after(&shed) >= 1);
    expect_error(shed, StatusCode::SERVICE_UNAVAILABLE, "overloaded").await;

    // The piece finishes; the place is free again.
    piece.send(&photo).await;
    let (status, body) = piece.answer().await;
    assert_eq!(status, 201, "{body}");
    let response = Client::new().get(app.api("/health")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.put_visit(&visit()).await.status(), StatusCode::CREATED);
    let visits = app.history_of::<Visit>().await;
    assert!(visits.iter().all(|v| v.record.id != refused.id), "the shed visit was not stored");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[tokio::test]
async fn the_command_line_invites_lists_and_revokes() {
    let app = spawn_app().await;
    let data = app.data.path().to_owned();

    let made = cli(
        &data,
        &[
            "invite",
            "--role",
            "love-mother",
            "--township",
            "石门镇",
            "--village",
            "杏花村",
            "--app-url",
            "https://app.example.org/tongxing/",
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let stdout = text(&made.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line: {stdout:?}");
    let link = url::Url::parse(lines[0]).expect("a URL");
    assert_eq!(link.host_str(), Some("app.example.org"));
    assert_eq!(link.path(), "/tongxing/join");
    let codes: Vec<String> =
        link.query_pairs().filter(|(key, _)| key == "code").map(|(_, value)| value.into_owned()).collect();
    assert_eq!(codes.len(), 1, "one code in {link}");
    assert!(!text(&made.stderr).trim().is_empty(), "what it offers, on stderr");

    let joined = enroll_over_http(&app.url, &codes[0], "王秀英").await;
    assert_eq!(joined.worker.role, Role::LoveMother);
    assert_eq!(joined.worker.place, Place { township: "石门镇".into(), village: "杏花村".into() });
    let phone = client_with_token(&joined.token);
    assert_eq!(upload_status_as(&app, &phone).await.status(), StatusCode::OK);

    let listed = cli(&data, &["devices"]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let listing = text(&listed.stdout);
    let row = listing
        .lines()
        .find(|line| line.starts_with(&joined.worker.id.to_string()))
        .unwrap_or_else(|| panic!("the device is listed: {listing}"));
    let columns: Vec<&str> = row.split('\t').collect();
    assert_eq!(columns[1], "王秀英");
    assert_eq!(columns[3], "love_mother");
    assert_eq!((columns[4], columns[5]), ("石门镇", "杏花村"));
    assert_eq!(columns.last(), Some(&"-"), "not revoked");
    assert!(listing.contains(&app.director.id.to_string()), "the director is listed too");
    assert!(!listing.contains(&joined.token), "no token is listed");

    let revoked = cli(&data, &["revoke", &joined.worker.id.to_string()]);
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    expect_unauthorized(upload_status_as(&app, &phone).await, "revoked").await;
    assert_eq!(upload_status_as(&app, &app.client).await.status(), StatusCode::OK, "only that phone");
    let listing = text(&cli(&data, &["devices"]).stdout);
    let row = listing.lines().find(|line| line.starts_with(&joined.worker.id.to_string())).expect("still listed");
    assert_ne!(row.split('\t').next_back(), Some("-"), "listed as revoked: {row}");

    let unknown = Uuid::new_v4().to_string();
    let refused = cli(&data, &["revoke", &unknown]);
    assert!(!refused.status.success(), "an unknown device is an error");
    let said = text(&refused.stderr);
    assert!(said.contains(&unknown) && said.contains("no device"), "a sentence that names it: {said}");
    let refused = cli(&data, &["revoke", "not-a-device-id"]);
    assert!(!refused.status.success(), "an id that is no UUID is an error");

    let refused = cli(&data, &["invite", "--role", "director", "--township", "石门镇"]);
    assert!(!refused.status.success(), "a director needs a village");
    assert!(text(&refused.stdout).is_empty(), "no link for a bad invite");
    assert!(text(&refused.stderr).contains("village"));
}
