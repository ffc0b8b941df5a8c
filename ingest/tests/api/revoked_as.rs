//! A phone revoked as left or as lost (issue 14, item 6): `DELETE /api/v1/devices/{id}?as=…`
//! and `tongxing-ingest revoke --as …` keep why, the phone's next call answers `401 revoked`
//! (left, the default) or `401 revoked_lost` (lost), and `GET /api/v1/devices` lists it.

use crate::common;

use common::{cli, client_with_token, enroll_over_http, expect_error, invite, spawn_app, TestApp};
use reqwest::{Client, StatusCode};
use tongxing_core::wire::{PhoneListing, RevokedAs};
use tongxing_core::worker::{Place, Role, Worker};
use tongxing_ingest::store::audit;

/// An enrolled phone: its client (carrying its token) and its worker.
struct Phone {
    client: Client,
    worker: Worker,
}

async fn join(app: &TestApp, role: Role, place: &Place, name: &str) -> Phone {
    let code = invite(app.data.path(), role, place).await;
    let enrolled = enroll_over_http(&app.url, &code, name).await;
    Phone { client: client_with_token(&enrolled.token), worker: enrolled.worker }
}

/// A director's phone of the sample director's village.
async fn director(app: &TestApp, name: &str) -> Phone {
    join(app, Role::Director, &app.director.place, name).await
}

/// The sample director's township's supervisor.
async fn supervisor(app: &TestApp) -> Phone {
    let place = Place { township: app.director.place.township.clone(), village: String::new() };
    join(app, Role::Supervisor, &place, "王督导").await
}

/// `DELETE /api/v1/devices/{id}` with `query` (`""` for none), by `by`.
async fn revoke(app: &TestApp, by: &Phone, phone: &Phone, query: &str) -> reqwest::Response {
    let path = format!("/devices/{}{query}", phone.worker.id);
    by.client.delete(app.api(&path)).send().await.expect("sent")
}

/// The phone's next call (`GET /api/v1/changes`), its answer as it came.
async fn next_call(app: &TestApp, phone: &Phone) -> reqwest::Response {
    phone.client.get(app.api("/changes")).send().await.expect("sent")
}

/// The township's phones as its supervisor lists them.
async fn listed(app: &TestApp, by: &Phone) -> Vec<PhoneListing> {
    let response = by.client.get(app.api("/devices")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the phones")
}

fn revoked_as(phones: &[PhoneListing], phone: &Phone) -> Option<RevokedAs> {
    phones.iter().find(|listed| listed.id == phone.worker.id).expect("listed").revoked_as
}

#[tokio::test]
async fn a_phone_revoked_as_lost_answers_revoked_lost_and_one_revoked_as_left_revoked() {
    let app = spawn_app().await;
    let her = supervisor(&app).await;
    let lost = director(&app, "李芳").await;
    let left = director(&app, "王梅").await;
    let plain = director(&app, "赵敏").await;
    let spare = director(&app, "钱红").await;
    assert_eq!(next_call(&app, &lost).await.status(), StatusCode::OK);

    assert_eq!(revoke(&app, &her, &lost, "?as=lost").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(revoke(&app, &her, &left, "?as=left").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(revoke(&app, &her, &plain, "").await.status(), StatusCode::NO_CONTENT);
    expect_error(next_call(&app, &lost).await, StatusCode::UNAUTHORIZED, "revoked_lost").await;
    let put = lost.client.put(app.api(&format!("/children/{}", uuid::Uuid::new_v4()))).json(&serde_json::json!({}));
    expect_error(put.send().await.expect("sent"), StatusCode::UNAUTHORIZED, "revoked_lost").await;
    let english = lost.client.get(app.api("/changes")).header("accept-language", "en").send().await.expect("sent");
    let body = expect_error(english, StatusCode::UNAUTHORIZED, "revoked_lost").await;
    assert!(body.message.contains("lost or stolen"), "{}", body.message);
    expect_error(next_call(&app, &left).await, StatusCode::UNAUTHORIZED, "revoked").await;
    expect_error(next_call(&app, &plain).await, StatusCode::UNAUTHORIZED, "revoked").await;

    // Revoked once, a phone stays revoked as it was.
    assert_eq!(revoke(&app, &her, &lost, "?as=left").await.status(), StatusCode::NO_CONTENT);
    expect_error(next_call(&app, &lost).await, StatusCode::UNAUTHORIZED, "revoked_lost").await;

    // Any other query is refused, and the phone stays in.
    for query in ["?as=stolen", "?as=", "?as=LOST", "?reason=lost", "?as=lost&also=1", "?as=lost&as=left"] {
        let refused = revoke(&app, &her, &spare, query).await;
        expect_error(refused, StatusCode::BAD_REQUEST, "bad_query").await;
    }
    assert_eq!(next_call(&app, &spare).await.status(), StatusCode::OK, "not revoked");

    let phones = listed(&app, &her).await;
    assert_eq!(revoked_as(&phones, &lost), Some(RevokedAs::Lost));
    assert_eq!(revoked_as(&phones, &left), Some(RevokedAs::Left));
    assert_eq!(revoked_as(&phones, &plain), Some(RevokedAs::Left));
    assert_eq!(revoked_as(&phones, &spare), None);
    assert_eq!(revoked_as(&phones, &her), None);

    let pool = app.pool().await;
    let entries = audit::entries(&pool).await.expect("the audit log");
    pool.close().await;
    let subjects: Vec<&str> =
        entries.iter().filter(|e| e.action == audit::REVOKE_DEVICE).map(|e| e.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [
            format!("device {} as lost", lost.worker.id),
            format!("device {} as left", left.worker.id),
            format!("device {} as left", plain.worker.id),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_command_line_revokes_as_lost_or_left() {
    let app = spawn_app().await;
    let her = supervisor(&app).await;
    let lost = director(&app, "李芳").await;
    let left = director(&app, "王梅").await;

    let refused = cli(app.data.path(), &["revoke", &lost.worker.id.to_string(), "--as", "stolen"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("neither left nor lost"));
    assert_eq!(next_call(&app, &lost).await.status(), StatusCode::OK, "not revoked");

    let revoked = cli(app.data.path(), &["revoke", &lost.worker.id.to_string(), "--as", "lost"]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    assert!(String::from_utf8_lossy(&revoked.stderr).contains("revoked as lost"));
    expect_error(next_call(&app, &lost).await, StatusCode::UNAUTHORIZED, "revoked_lost").await;
    let revoked = cli(app.data.path(), &["revoke", &left.worker.id.to_string()]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    expect_error(next_call(&app, &left).await, StatusCode::UNAUTHORIZED, "revoked").await;

    let phones = listed(&app, &her).await;
    assert_eq!(revoked_as(&phones, &lost), Some(RevokedAs::Lost));
    assert_eq!(revoked_as(&phones, &left), Some(RevokedAs::Left));
    app.stop().await;
}
