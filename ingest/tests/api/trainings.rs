//! Training and certification (培训考核) on a real port: the county records a worker's
//! courses; she is certified once she passed one, and every list of phones says so; her
//! supervisor reads her trainings, another township's supervisor and a director may not;
//! bad input gets a clear 4xx; audited.

use crate::common;

use chrono::NaiveDate;
use common::{expect_error, spawn_app};
use reqwest::StatusCode;
use tongxing_core::training::{Certification, Training, TrainingRecord};
use tongxing_core::wire::PhoneListing;
use tongxing_core::worker::{Place, Role};
use tongxing_core::FieldError;
use tongxing_ingest::store::audit;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("a day")
}

#[tokio::test]
async fn the_county_records_trainings_and_her_supervisor_sees_who_is_certified() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (county, _) = app.enroll_as(Role::County, place("", ""), "县民政局").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (elsewhere, _) = app.enroll_as(Role::Supervisor, place("柳林镇", ""), "周督导").await;
    let path = format!("/devices/{}/trainings", app.director.id);
    let post = |training: serde_json::Value| county.post(app.api(&path)).json(&training).send();

    // Her own phone asks whether she is certified.
    let mine = || async {
        let response = app.client.get(app.api("/devices/me/certification")).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Certification>().await.expect("a certification")
    };
    assert_eq!(mine().await, Certification::NotCertified);
    // Without a token, or with a made-up one, nobody's.
    for stranger in [reqwest::Client::new(), common::client_with_token("not-a-token")] {
        let response = stranger.get(app.api("/devices/me/certification")).send().await.expect("sent");
        expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }

    // Not certified yet: failed the first assessment.
    let failed = post(serde_json::json!({"course": "儿童主任业务培训", "date": "2026-03-01", "passed": false}))
        .await
        .expect("sent");
    assert_eq!(failed.status(), StatusCode::CREATED);
    let phones: Vec<PhoneListing> =
        supervisor.get(app.api("/devices")).send().await.expect("sent").json().await.expect("phones");
    let hers = |phones: &[PhoneListing]| phones.iter().find(|p| p.id == app.director.id).map(|p| p.certification);
    assert_eq!(hers(&phones), Some(Certification::NotCertified));

    // Passed the second: certified, in her supervisor's list and the county's.
    let passed =
        post(serde_json::json!({"course": " 儿童主任业务培训（补考） ", "date": "2026-04-02", "passed": true}))
            .await
            .expect("sent");
    let kept: TrainingRecord = passed.json().await.expect("kept");
    assert_eq!(
        (kept.worker_id, kept.training.course.as_str(), kept.recorded_by.as_str()),
        (app.director.id, "儿童主任业务培训（补考）", "县民政局")
    );
    let phones: Vec<PhoneListing> =
        supervisor.get(app.api("/devices")).send().await.expect("sent").json().await.expect("phones");
    assert_eq!(hers(&phones), Some(Certification::Certified { since: day(4, 2) }));
    let phones: Vec<PhoneListing> =
        county.get(app.api("/devices")).send().await.expect("sent").json().await.expect("phones");
    assert_eq!(hers(&phones), Some(Certification::Certified { since: day(4, 2) }));

    // Her supervisor reads her trainings, the latest first; nobody else but the county.
    let listed: Vec<TrainingRecord> =
        supervisor.get(app.api(&path)).send().await.expect("sent").json().await.expect("list");
    assert_eq!(listed.iter().map(|t| t.training.passed).collect::<Vec<_>>(), [true, false]);
    expect_error(elsewhere.get(app.api(&path)).send().await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;
    expect_error(app.client.get(app.api(&path)).send().await.expect("sent"), StatusCode::FORBIDDEN, "forbidden").await;
    let theirs =
        supervisor.post(app.api(&path)).json(&Training { course: "x".into(), date: day(1, 1), passed: true }).send();
    expect_error(theirs.await.expect("sent"), StatusCode::FORBIDDEN, "forbidden").await;

    // Bad input: a clear 4xx, nothing kept.
    let bad = expect_error(
        post(serde_json::json!({"course": " ", "date": "2099-01-01", "passed": true})).await.expect("sent"),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    assert_eq!(bad.fields.get("course"), Some(&FieldError::Required));
    assert_eq!(bad.fields.get("date"), Some(&FieldError::InFuture));
    let unknown = county
        .post(app.api(&format!("/devices/{}/trainings", uuid::Uuid::nil())))
        .json(&Training { course: "x".into(), date: day(1, 1), passed: true })
        .send();
    expect_error(unknown.await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;
    let listed: Vec<TrainingRecord> =
        county.get(app.api(&path)).send().await.expect("sent").json().await.expect("list");
    assert_eq!(listed.len(), 2);

    let entries = audit::entries(&app.pool().await).await.expect("audit");
    assert_eq!(entries.iter().filter(|e| e.action == audit::RECORD_TRAINING).count(), 2);
    assert!(
        entries.iter().filter(|e| e.action == audit::RECORD_TRAINING).all(|e| !e.subject.contains("儿童主任")),
        "no course words in the log"
    );
    assert_eq!(entries.iter().filter(|e| e.action == audit::LIST_TRAININGS).count(), 2);
}
