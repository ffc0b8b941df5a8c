//! Hostile clients at the doors ("Close the doors", the server's side): invites of a revoked
//! phone and revoked invites, another township's invites, phones and children, a supervisor
//! joining as a worker, stale tokens, other web origins, another place's photos, and the
//! audit log that records it all and cannot be changed.
//!
//! Every refusal is a `4xx` with a JSON error body (never a `5xx`), and nothing refused is
//! stored: each test counts what the database holds before and after.

use crate::common;

use std::process::Output;

use common::photos::{jpeg, jpeg_of_len, sha256, with_photos};
use common::{child, cli, client_with_token, enroll_over_http, expect_error, invite, spawn_app, visit, TestApp};
use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, ORIGIN};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::json;
use tongxing_core::child::Child;
use tongxing_core::wire::{EnrollRequest, InviteReply};
use tongxing_core::wire::{InviteListing, InviteState, PhoneListing, TokenReply};
use tongxing_core::wire::{PhotoReply, PhotoStatus};
use tongxing_core::worker::{Place, Role, Worker};
use tongxing_core::Visit;
use tongxing_ingest::store::audit::{self, AuditEntry};
use tongxing_ingest::store::workers::secret;
use uuid::Uuid;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

/// An enrolled phone: its client (carrying its token), its worker and its token.
struct Phone {
    client: Client,
    worker: Worker,
    token: String,
}

async fn join(app: &TestApp, role: Role, place: Place, name: &str) -> Phone {
    let code = invite(app.data.path(), role, &place).await;
    let enrolled = enroll_over_http(&app.url, &code, name).await;
    Phone { client: client_with_token(&enrolled.token), worker: enrolled.worker, token: enrolled.token }
}

/// The sample director's township's supervisor.
async fn supervisor(app: &TestApp, name: &str) -> Phone {
    join(app, Role::Supervisor, place(&app.director.place.township, ""), name).await
}

/// `POST /api/v1/enroll` without a token; the answer as it came.
async fn enroll(app: &TestApp, code: &str, name: &str) -> Response {
    let request = EnrollRequest { code: code.into(), name: name.into(), phone: "13900139000".into() };
    Client::new().post(app.api("/enroll")).json(&request).send().await.expect("sent")
}

/// A supervisor's invite for a director of `village`, made through the API: its code.
async fn api_invite(app: &TestApp, by: &Phone, village: &str, uses: u32) -> String {
    let body = json!({ "role": "director", "village": village, "uses": uses });
    let response = by.client.post(app.api("/invites")).json(&body).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<InviteReply>().await.expect("an invite").code
}

async fn listed_invites(app: &TestApp, by: &Phone) -> (Vec<InviteListing>, String) {
    let response = by.client.get(app.api("/invites")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("a body");
    (serde_json::from_str(&text).expect("invites"), text)
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let pool = app.pool().await;
    let n = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&pool)
        .await
        .expect("a count");
    pool.close().await;
    n
}

async fn audit_entries(app: &TestApp) -> Vec<AuditEntry> {
    let pool = app.pool().await;
    let entries = audit::entries(&pool).await.expect("the audit log");
    pool.close().await;
    entries
}

/// Status, headers that matter and body bytes: two answers that must not differ.
async fn answer(response: Response) -> (StatusCode, Option<String>, Vec<u8>) {
    assert!(response.status().is_client_error(), "a 4xx, not {}", response.status());
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (response.status(), content_type, response.bytes().await.expect("a body").to_vec())
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

#[tokio::test]
async fn an_invite_of_a_revoked_phone_and_a_revoked_invite_answer_410_invite_revoked() {
    let app = spawn_app().await;
    let village = app.director.place.village.clone();
    let first = supervisor(&app, "王督导").await;
    let second = supervisor(&app, "陈督导").await;

    // The first supervisor's invite works until her phone is revoked (by her colleague).
    let code = api_invite(&app, &first, &village, 5).await;
    assert_eq!(
        Client::new().get(app.api(&format!("/invites/{code}"))).send().await.expect("sent").status(),
        StatusCode::OK
    );
    let revoked = second.client.delete(app.api(&format!("/devices/{}", first.worker.id))).send().await.expect("sent");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let devices = count(&app, "devices").await;
    let shown = Client::new().get(app.api(&format!("/invites/{code}"))).send().await.expect("sent");
    expect_error(shown, StatusCode::GONE, "invite_revoked").await;
    expect_error(enroll(&app, &code, "赵敏").await, StatusCode::GONE, "invite_revoked").await;
    let english = Client::new()
        .get(app.api(&format!("/invites/{code}")))
        .header("accept-language", "en")
        .send()
        .await
        .expect("sent");
    let body = expect_error(english, StatusCode::GONE, "invite_revoked").await;
    assert!(body.message.contains("revoked"), "{}", body.message);

    // The second supervisor's invite, revoked through the API by its id.
    let code = api_invite(&app, &second, &village, 1).await;
    let (invites, text) = listed_invites(&app, &second).await;
    assert!(!text.contains(&code), "no code is ever listed");
    let mine = invites.iter().find(|i| i.state == InviteState::Active).expect("the active invite");
    let gone = second.client.delete(app.api(&format!("/invites/{}", mine.id))).send().await.expect("sent");
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let again = second.client.delete(app.api(&format!("/invites/{}", mine.id))).send().await.expect("sent");
    assert_eq!(again.status(), StatusCode::NO_CONTENT, "revoking twice is no error");
    expect_error(enroll(&app, &code, "赵敏").await, StatusCode::GONE, "invite_revoked").await;
    let (invites, _) = listed_invites(&app, &second).await;
    assert!(invites.iter().all(|i| i.state != InviteState::Active), "{invites:?}");
    assert_eq!(invites.iter().filter(|i| i.state == InviteState::Revoked).count(), 2, "hers, and her colleague's");

    // The command line's invite, listed without its code and revoked by its id.
    let code = invite(app.data.path(), Role::LoveMother, &app.director.place).await;
    let listing = stdout(&cli(app.data.path(), &["invites", "--township", &app.director.place.township]));
    assert!(!listing.contains(&code), "{listing}");
    assert!(listing.starts_with("id\trole\ttownship\tvillage\tmade_by\tmade_at\texpires_at\tuses_left\tstate"));
    let line = listing.lines().find(|l| l.ends_with("\tactive")).expect("the active invite");
    let id = line.split('\t').next().expect("an id");
    assert_eq!(
        stdout(&cli(app.data.path(), &["invites", "--township", "无此镇"])).lines().count(),
        1,
        "only the header"
    );
    let revoked = cli(app.data.path(), &["revoke-invite", id]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    let unknown = cli(app.data.path(), &["revoke-invite", &Uuid::new_v4().to_string()]);
    assert!(!unknown.status.success());
    let shown = Client::new().get(app.api(&format!("/invites/{code}"))).send().await.expect("sent");
    expect_error(shown, StatusCode::GONE, "invite_revoked").await;
    let listing = stdout(&cli(app.data.path(), &["invites"]));
    assert!(listing.lines().skip(1).all(|l| l.ends_with("\trevoked") || l.ends_with("\tused_up")), "{listing}");

    assert_eq!(count(&app, "devices").await, devices, "nobody joined with a revoked invite");
    let codes: Vec<String> = {
        let pool = app.pool().await;
        let hashes = sqlx::query_scalar("SELECT code_hash FROM invites").fetch_all(&pool).await.expect("hashes");
        pool.close().await;
        hashes
    };
    assert!(codes.contains(&secret::hash(&code)) && !codes.contains(&code), "codes are kept only as SHA-256");
    app.stop().await;
}

#[tokio::test]
async fn another_townships_invites_and_phones_answer_as_unknown_ones() {
    let app = spawn_app().await;
    let ours = supervisor(&app, "王督导").await;
    let theirs = join(&app, Role::Supervisor, place("白沙镇", ""), "孙督导").await;
    let their_director = join(&app, Role::Director, place("白沙镇", "白沙村"), "周敏").await;
    let their_code = api_invite(&app, &theirs, "白沙村", 1).await;
    let (their_invites, _) = listed_invites(&app, &theirs).await;
    let their_invite = their_invites[0].id;

    // Revoking another township's invite or phone answers as for an unknown id, to the byte.
    for what in ["invites", "devices"] {
        let their_id = if what == "invites" { their_invite } else { their_director.worker.id };
        let foreign =
            answer(ours.client.delete(app.api(&format!("/{what}/{their_id}"))).send().await.expect("sent")).await;
        let unknown =
            answer(ours.client.delete(app.api(&format!("/{what}/{}", Uuid::new_v4()))).send().await.expect("sent"))
                .await;
        assert_eq!(foreign.0, StatusCode::NOT_FOUND, "{what}");
        assert_eq!(foreign, unknown, "{what}: another township's id is as unknown");
        let bad = ours.client.delete(app.api(&format!("/{what}/not-an-id"))).send().await.expect("sent");
        expect_error(bad, StatusCode::BAD_REQUEST, "bad_id").await;
    }
    // Both still work.
    let shown = Client::new().get(app.api(&format!("/invites/{their_code}"))).send().await.expect("sent");
    assert_eq!(shown.status(), StatusCode::OK);
    let their_child = Child { village: "白沙村".into(), ..child() };
    let sent =
        their_director.client.put(app.api(&format!("/children/{}", their_child.id))).json(&their_child).send().await;
    assert_eq!(sent.expect("sent").status(), StatusCode::CREATED, "their phone still sends");

    // Each supervisor lists her own township only, and no phone number, token or code.
    let (invites, text) = listed_invites(&app, &ours).await;
    assert!(invites.iter().all(|i| i.township == "石门镇" && i.id != their_invite), "{invites:?}");
    assert!(!text.contains(&their_code));
    let response = ours.client.get(app.api("/devices")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("a body");
    let phones: Vec<PhoneListing> = serde_json::from_str(&text).expect("phones");
    let mut names: Vec<&str> = phones.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["李芳", "王督导"]);
    for secret in ["13800138000", "phone", "token", ours.token.as_str(), app.token.as_str()] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert!(phones.iter().all(|p| !p.revoked && p.township == "石门镇"));

    // A worker's phone may do none of it; each refusal is written down.
    for (method, path) in [
        (Method::GET, "/invites".to_owned()),
        (Method::GET, "/devices".to_owned()),
        (Method::DELETE, format!("/invites/{their_invite}")),
        (Method::DELETE, format!("/devices/{}", ours.worker.id)),
    ] {
        let response = app.client.request(method.clone(), app.api(&path)).send().await.expect("sent");
        expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let forbidden: Vec<AuditEntry> =
        audit_entries(&app).await.into_iter().filter(|e| e.action == audit::FORBIDDEN).collect();
    assert_eq!(forbidden.len(), 4);
    assert!(forbidden.iter().all(|e| e.device_id.as_deref() == Some(app.director.id.to_string().as_str())));
    assert!(forbidden.iter().any(|e| e.subject == "DELETE /api/v1/devices/{id}"), "{forbidden:?}");
    assert!(forbidden.iter().all(|e| !e.subject.contains(&their_invite.to_string())), "routes, not addresses");

    let pool = app.pool().await;
    let revoked: Vec<Option<String>> =
        sqlx::query_scalar("SELECT revoked_at FROM devices").fetch_all(&pool).await.expect("devices");
    let invite_revoked: Vec<Option<String>> =
        sqlx::query_scalar("SELECT revoked_at FROM invites").fetch_all(&pool).await.expect("invites");
    pool.close().await;
    assert!(revoked.iter().chain(&invite_revoked).all(Option::is_none), "nothing was revoked");
    app.stop().await;
}

#[tokio::test]
async fn a_supervisor_may_revoke_her_own_phone_and_is_then_out() {
    let app = spawn_app().await;
    let her = supervisor(&app, "王督导").await;
    let response = her.client.delete(app.api(&format!("/devices/{}", her.worker.id))).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    for path in ["/devices", "/invites", "/children"] {
        let response = her.client.get(app.api(path)).send().await.expect("sent");
        expect_error(response, StatusCode::UNAUTHORIZED, "revoked").await;
    }
    let response = her.client.post(app.api("/devices/me/rotate")).send().await.expect("sent");
    expect_error(response, StatusCode::UNAUTHORIZED, "revoked").await;
    let rows = audit_entries(&app).await;
    let revoked = rows.iter().find(|e| e.action == audit::REVOKE_DEVICE).expect("audited");
    assert_eq!(revoked.device_id.as_deref(), Some(her.worker.id.to_string().as_str()));
    app.stop().await;
}

#[tokio::test]
async fn a_supervisor_cannot_join_as_a_worker() {
    let app = spawn_app().await;
    let her = supervisor(&app, "王督导").await;
    let code = api_invite(&app, &her, &app.director.place.village, 1).await;
    let devices = count(&app, "devices").await;

    // Her own invite, her name (however spaced): refused, and the invite not used.
    for name in ["王督导", " 王 督导 "] {
        expect_error(enroll(&app, &code, name).await, StatusCode::CONFLICT, "own_invite").await;
    }
    let (invites, _) = listed_invites(&app, &her).await;
    assert_eq!(invites[0].uses_left, 1);

    // Her phone's token sent with an enrolment: refused, whatever the invite.
    let other_code = invite(app.data.path(), Role::Director, &app.director.place).await;
    let request = EnrollRequest { code: other_code.clone(), name: "别人".into(), phone: "13900139000".into() };
    let response = Client::new()
        .post(app.api("/enroll"))
        .header(AUTHORIZATION, format!("Bearer {}", her.token))
        .json(&request)
        .send()
        .await
        .expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(count(&app, "devices").await, devices, "nothing enrolled");
    let refused = audit_entries(&app).await.into_iter().filter(|e| e.action == audit::FORBIDDEN).collect::<Vec<_>>();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].device_id.as_deref(), Some(her.worker.id.to_string().as_str()));

    // The worker she invites joins; a director's token on an enrolment is no matter.
    assert_eq!(enroll(&app, &code, "赵敏").await.status(), StatusCode::CREATED);
    let response = Client::new()
        .post(app.api("/enroll"))
        .header(AUTHORIZATION, format!("Bearer {}", app.token))
        .json(&request)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    app.stop().await;
}

#[tokio::test]
async fn a_phone_renews_its_token_and_the_old_one_stops_once_the_new_one_is_used() {
    let app = spawn_app().await;
    let phone = join(&app, Role::Director, app.director.place.clone(), "赵敏").await;
    let rotate = |client: Client| {
        let url = app.api("/devices/me/rotate");
        async move {
            let response = client.post(url).send().await.expect("sent");
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<TokenReply>().await.expect("a token")
        }
    };
    // The answer is lost on a weak link: the phone still has only its old token, which
    // still works, and asks again.
    let lost = rotate(phone.client.clone()).await;
    assert_ne!(lost.token, phone.token);
    let file = child();
    let still = phone.client.put(app.api(&format!("/children/{}", file.id))).json(&file).send().await.expect("sent");
    assert_eq!(still.status(), StatusCode::CREATED, "the token presented stays good until the new one is used");
    let renewed = rotate(phone.client.clone()).await;
    let by_lost = client_with_token(&lost.token)
        .put(app.api(&format!("/children/{}", file.id)))
        .json(&file)
        .send()
        .await
        .expect("sent");
    expect_error(by_lost, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // The new token is used once: from then on the old one is refused.
    let new = client_with_token(&renewed.token);
    let second = Child { revision: 2, ..file.clone() };
    let sent = new.put(app.api(&format!("/children/{}", file.id))).json(&second).send().await.expect("sent");
    assert_eq!(sent.status(), StatusCode::OK);
    let old = phone.client.put(app.api(&format!("/children/{}", file.id))).json(&second).send().await.expect("sent");
    expect_error(old, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let pool = app.pool().await;
    let (hash, previous): (String, Option<String>) =
        sqlx::query_as("SELECT token_hash, previous_token_hash FROM devices WHERE id = $1")
            .bind(phone.worker.id.to_string())
            .fetch_one(&pool)
            .await
            .expect("the device");
    pool.close().await;
    assert_eq!(
        (hash, previous),
        (secret::hash(&renewed.token), None),
        "only the new token's hash is kept once it was used"
    );
    let rows = audit_entries(&app).await;
    assert!(rows.iter().any(
        |e| e.action == audit::ROTATE_TOKEN && e.device_id.as_deref() == Some(phone.worker.id.to_string().as_str())
    ));
    assert!(rows.iter().all(|e| !e.subject.contains(&renewed.token) && !e.subject.contains(&phone.token)));
    let none = Client::new().post(app.api("/devices/me/rotate")).send().await.expect("sent");
    expect_error(none, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.stop().await;
}

#[tokio::test]
async fn by_default_no_page_of_another_origin_may_call_the_api() {
    let app = spawn_app().await;
    let preflight = app
        .client
        .request(Method::OPTIONS, app.api("/devices/me/rotate"))
        .header(ORIGIN, "https://evil.example.com")
        .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .send()
        .await
        .expect("sent");
    assert_eq!(preflight.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN), None);
    let read =
        app.client.get(app.api("/health")).header(ORIGIN, "https://evil.example.com").send().await.expect("sent");
    assert_eq!(read.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN), None, "the browser keeps the answer from the page");
    app.stop().await;
}

#[tokio::test]
async fn a_child_of_another_township_answers_as_one_that_does_not_exist() {
    let app = spawn_app().await;
    let ours = supervisor(&app, "王督导").await;
    let elsewhere = join(&app, Role::Director, place("白沙镇", "白沙村"), "孙丽").await;
    let theirs = Child { village: "白沙村".into(), ..child() };
    let sent =
        elsewhere.client.put(app.api(&format!("/children/{}", theirs.id))).json(&theirs).send().await.expect("sent");
    assert_eq!(sent.status(), StatusCode::CREATED);
    let their_visit = Visit { child_id: theirs.id, ..visit() };
    let sent = elsewhere
        .client
        .put(app.api(&format!("/visits/{}", their_visit.id)))
        .json(&their_visit)
        .send()
        .await
        .expect("sent");
    assert_eq!(sent.status(), StatusCode::CREATED);
    let nobody = Uuid::new_v4();

    for language in ["zh-CN", "en"] {
        for path in ["/children/{}", "/children/{}/archive"] {
            let get = |id: Uuid| {
                ours.client
                    .get(app.api(&path.replace("{}", &id.to_string())))
                    .header("accept-language", language)
                    .send()
            };
            let foreign = answer(get(theirs.id).await.expect("sent")).await;
            let unknown = answer(get(nobody).await.expect("sent")).await;
            assert_eq!(foreign.0, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(foreign, unknown, "{path} {language}: the same status and bytes");
        }
    }
    for what in ["children", "visits"] {
        let export =
            |village: &str| ours.client.get(app.api(&format!("/exports/{what}?format=json&village={village}"))).send();
        let foreign = export("白沙村").await.expect("sent");
        assert_eq!(foreign.status(), StatusCode::OK);
        // Read to its end before the next export: a phone's turn lasts until its download's
        // last byte (answered `429 export_under_way` meanwhile).
        let foreign = foreign.bytes().await.expect("a body");
        let unknown = export("无此村").await.expect("sent");
        assert_eq!(foreign, unknown.bytes().await.expect("a body"), "{what}");
    }

    let refused: Vec<AuditEntry> =
        audit_entries(&app).await.into_iter().filter(|e| e.action == audit::READ_REFUSED).collect();
    assert_eq!(refused.len(), 8, "every refused read is written down");
    let about_theirs = theirs.id.to_string();
    assert_eq!(refused.iter().filter(|e| e.child_id.as_deref() == Some(about_theirs.as_str())).count(), 4);
    app.stop().await;
}

#[tokio::test]
async fn another_places_phone_can_neither_probe_nor_break_nor_name_a_photo() {
    let app = spawn_app().await;
    let elsewhere = join(&app, Role::Director, place("白沙镇", "白沙村"), "孙丽").await;
    let next_village = join(&app, Role::Director, place(&app.director.place.township, "杏花村"), "赵敏").await;
    let status_of = |phone: &Phone, hash: &str| phone.client.get(app.api(&format!("/photos/{hash}/upload"))).send();

    // A photo held whole for our village: absent to the others, as an unknown photo is.
    let held = jpeg();
    assert_eq!(app.put_photo(&sha256(&held), held.clone()).await.status(), StatusCode::CREATED);
    for other in [&elsewhere, &next_village] {
        let reply: PhotoReply = status_of(other, &sha256(&held)).await.expect("sent").json().await.expect("a reply");
        assert_eq!((reply.status, reply.received, reply.size), (PhotoStatus::Absent, 0, None));
    }
    assert_eq!(app.upload_status(&sha256(&held)).await.status, PhotoStatus::Held);

    // An upload in pieces under way: absent to others, and their pieces are refused.
    let photo = jpeg_of_len(200_000);
    let hash = sha256(&photo);
    assert_eq!(app.put_piece(&hash, &photo, 0..65_536).await.status(), StatusCode::ACCEPTED);
    let reply: PhotoReply = status_of(&elsewhere, &hash).await.expect("sent").json().await.expect("a reply");
    assert_eq!(reply.status, PhotoStatus::Absent);
    for range in [65_536..131_072u64, 0..65_536] {
        let piece = tongxing_core::photo::UploadPiece { range: range.clone(), size: photo.len() as u64 };
        let response = elsewhere
            .client
            .put(app.api(&format!("/photos/{hash}")))
            .header("content-range", piece.content_range())
            .body(photo[range.start as usize..range.end as usize].to_vec())
            .send()
            .await
            .expect("sent");
        expect_error(response, StatusCode::FORBIDDEN, "out_of_scope").await;
    }
    let ours = app.upload_status(&hash).await;
    assert_eq!((ours.status, ours.received), (PhotoStatus::Partial, 65_536), "the upload is untouched");
    assert_eq!(app.send_in_pieces(&photo).await.status, PhotoStatus::Created);

    // A visit of another place naming our photo: as if the photo were missing; not stored.
    let theirs = Child { village: "白沙村".into(), ..child() };
    let sent =
        elsewhere.client.put(app.api(&format!("/children/{}", theirs.id))).json(&theirs).send().await.expect("sent");
    assert_eq!(sent.status(), StatusCode::CREATED);
    let naming = with_photos(&Visit { child_id: theirs.id, ..visit() }, &[&held]);
    let response =
        elsewhere.client.put(app.api(&format!("/visits/{}", naming.id))).json(&naming).send().await.expect("sent");
    let body = expect_error(response, StatusCode::CONFLICT, "missing_photos").await;
    assert_eq!(body.missing.iter().map(|h| h.to_string()).collect::<Vec<_>>(), [sha256(&held)]);
    assert!(app.current_visits().await.is_empty(), "nothing stored");

    // Our own visit naming both is stored; the other place, once it sends the bytes itself
    // (it holds the photo then), may name it too.
    let ours = with_photos(&visit(), &[&held, &photo]);
    assert_eq!(app.put_visit(&ours).await.status(), StatusCode::CREATED);
    let resent = elsewhere
        .client
        .put(app.api(&format!("/photos/{}", sha256(&held))))
        .body(held.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(resent.status(), StatusCode::OK, "held already");
    let response =
        elsewhere.client.put(app.api(&format!("/visits/{}", naming.id))).json(&naming).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    app.stop().await;
}

#[tokio::test]
async fn who_joins_revokes_sends_and_reads_is_audited_and_the_log_cannot_be_changed() {
    let app = spawn_app().await;
    let her = supervisor(&app, "王督导").await;
    let worker = join(&app, Role::Volunteer, app.director.place.clone(), "赵敏").await;
    api_invite(&app, &her, &app.director.place.village, 1).await;
    let (invites, _) = listed_invites(&app, &her).await;
    let gone = her.client.delete(app.api(&format!("/invites/{}", invites[0].id))).send().await.expect("sent");
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);

    // Two revisions of a visit and a child's file, from the director's phone.
    let file = child();
    assert_eq!(app.put_child(&file).await.status(), StatusCode::CREATED);
    let first = Visit { child_id: file.id, ..visit() };
    assert_eq!(app.put_visit(&first).await.status(), StatusCode::CREATED);
    assert_eq!(app.put_visit(&common::revised(&first, "送去了米和油")).await.status(), StatusCode::OK);
    let unknown = her.client.get(app.api(&format!("/children/{}", Uuid::new_v4()))).send().await.expect("sent");
    expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;

    // Revoked from the command line and through the API.
    assert!(cli(app.data.path(), &["revoke", &worker.worker.id.to_string()]).status.success());
    let api_revoked = join(&app, Role::Director, app.director.place.clone(), "钱红").await;
    let revoked =
        her.client.delete(app.api(&format!("/devices/{}", api_revoked.worker.id))).send().await.expect("sent");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

    let rows = audit_entries(&app).await;
    let director = app.director.id.to_string();
    let her_id = her.worker.id.to_string();
    let by = |action: &str| rows.iter().filter(|e| e.action == action).collect::<Vec<_>>();
    assert_eq!(by(audit::ENROLL).len(), 4, "every phone that joined");
    assert_eq!(by(audit::MAKE_INVITE).len(), 5, "four from the command line, one through the API");
    assert!(by(audit::MAKE_INVITE).iter().any(|e| e.device_id.as_deref() == Some(her_id.as_str())));
    assert_eq!(by(audit::REVOKE_INVITE)[0].device_id.as_deref(), Some(her_id.as_str()));
    let device_revocations = by(audit::REVOKE_DEVICE);
    assert_eq!(device_revocations.len(), 2);
    assert_eq!(device_revocations[0].device_id, None, "the command line");
    assert_eq!(device_revocations[1].device_id.as_deref(), Some(her_id.as_str()));
    let stored: Vec<&AuditEntry> =
        rows.iter().filter(|e| e.action == audit::STORE_VISIT || e.action == audit::STORE_CHILD).collect();
    assert_eq!(stored.len(), 3, "a child's file and two visit revisions");
    let file_id = file.id.to_string();
    assert!(stored
        .iter()
        .all(|e| e.device_id.as_deref() == Some(director.as_str()) && e.child_id.as_deref() == Some(file_id.as_str())));
    assert_eq!(by(audit::READ_REFUSED).len(), 1);

    // Every revision names its sender.
    let pool = app.pool().await;
    let senders: Vec<Option<String>> = sqlx::query_scalar("SELECT sent_by FROM visit_revisions ORDER BY revision")
        .fetch_all(&pool)
        .await
        .expect("revisions");
    assert_eq!(senders, [Some(director.clone()), Some(director.clone())]);
    // Nobody changes or removes an audit row, not even with the database in hand.
    for sql in [
        "UPDATE audit_log SET actor = '别人'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'enroll'",
    ] {
        let refused = sqlx::query(sql).execute(&pool).await;
        assert!(refused.is_err(), "{sql}");
    }
    pool.close().await;
    assert_eq!(audit_entries(&app).await, rows, "every row as it was");

    // The command line reads it, filtered.
    let of_child = stdout(&cli(app.data.path(), &["audit", "--child", &file_id]));
    assert_eq!(of_child.lines().count(), 1 + 3, "{of_child}");
    let enrolments = stdout(&cli(app.data.path(), &["audit", "--action", "enroll"]));
    assert_eq!(enrolments.lines().count(), 1 + 4, "{enrolments}");
    let hers =
        stdout(&cli(app.data.path(), &["audit", "--device", &her_id, "--from", "2000-01-01", "--to", "2999-12-31"]));
    assert!(hers.lines().skip(1).all(|l| l.split('\t').nth(1) == Some(her_id.as_str())), "{hers}");
    assert!(hers.lines().count() >= 5, "{hers}");
    let none = stdout(&cli(app.data.path(), &["audit", "--to", "2000-01-01"]));
    assert_eq!(none.lines().count(), 1, "only the header");
    app.stop().await;
}
