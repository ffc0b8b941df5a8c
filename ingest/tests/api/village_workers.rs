//! `GET /api/v1/village/workers` on a real port: a director learns whom she may pair (her
//! village's love mothers and volunteers, not revoked, by phone, name and role, and nothing
//! else), every list is audited, and no other phone may ask.

use crate::common;

use common::{expect_error, spawn_app};
use reqwest::StatusCode;
use tongxing_core::wire::VillageWorker;
use tongxing_core::worker::{Place, Role};
use tongxing_ingest::store::audit;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

#[tokio::test]
async fn a_director_lists_her_village_s_love_mothers_and_volunteers_only() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (mother, mother_worker) = app.enroll_as(Role::LoveMother, here.clone(), "张爱华").await;
    let (_, volunteer) = app.enroll_as(Role::Volunteer, here.clone(), "陈志远").await;
    let (_, gone) = app.enroll_as(Role::LoveMother, here.clone(), "周芳").await;
    app.enroll_as(Role::Director, here.clone(), "李副主任").await;
    app.enroll_as(Role::LoveMother, place(&here.township, "杏花村"), "赵敏").await;
    app.enroll_as(Role::Volunteer, place("白沙镇", &here.village), "钱红").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let revoked = supervisor.delete(app.api(&format!("/devices/{}", gone.id))).send().await.expect("sent");
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);

    let response = app.client.get(app.api("/village/workers")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.expect("JSON");
    let listed: Vec<VillageWorker> = serde_json::from_value(body.clone()).expect("workers");
    let expected = [
        VillageWorker { id: mother_worker.id, name: "张爱华".into(), role: Role::LoveMother },
        VillageWorker { id: volunteer.id, name: "陈志远".into(), role: Role::Volunteer },
    ];
    let mut sorted = listed.clone();
    sorted.sort_by_key(|w| w.role.code());
    assert_eq!(sorted, expected, "not the revoked one, another village's or township's, nor a director");
    for line in body.as_array().expect("a list") {
        let keys: Vec<&str> = line.as_object().expect("an object").keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 3, "id, name and role only (no phone number): {keys:?}");
    }

    let entries = audit::entries(&app.pool().await).await.expect("audit read");
    let lists: Vec<_> = entries.iter().filter(|e| e.action == audit::LIST_VILLAGE_WORKERS).collect();
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0].device_id.as_deref(), Some(app.director.id.to_string().as_str()));

    // A love mother and a supervisor are refused (and written down); no token is 401.
    for refused in [&mother, &supervisor] {
        let response = refused.get(app.api("/village/workers")).send().await.expect("sent");
        expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let forbidden = audit::entries(&app.pool().await).await.expect("audit read");
    assert_eq!(forbidden.iter().filter(|e| e.action == audit::FORBIDDEN).count(), 2);
    let response = reqwest::Client::new().get(app.api("/village/workers")).send().await.expect("sent");
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Pairings travel, but are not exported (core's RecordKind::EXPORTED).
    let response = supervisor.get(app.api("/exports/pairings")).send().await.expect("sent");
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
}
