//! `GET /api/v1/village/workers` on a real port: a director learns whom she may pair (her
//! village's love mothers and volunteers, not revoked, by phone, name and role, and nothing
//! else), a supervisor those of a village of her township, every list is audited, and no
//! other phone may ask. A supervisor pairs from the child's file as a director does.

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
    assert!(lists.iter().all(|e| e.subject.ends_with(&here.village)), "{lists:?}");
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0].device_id.as_deref(), Some(app.director.id.to_string().as_str()));

    // A supervisor names a village of her township; a director only her own.
    let path = tongxing_core::village_workers::path_of(&here.village);
    let response = supervisor.get(format!("{}{path}", app.url)).send().await;
    let mut theirs: Vec<VillageWorker> = response.expect("sent").json().await.expect("workers");
    theirs.sort_by_key(|w| w.role.code());
    assert_eq!(theirs, expected, "the director's village, of her township");
    for (who, client, query) in [
        ("a supervisor naming no village", &supervisor, ""),
        ("a director naming another village", &app.client, "?village=elsewhere"),
        ("an unknown parameter", &app.client, "?town=1"),
    ] {
        let response = client.get(app.api(&format!("/village/workers{query}"))).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{who}");
    }

    // A love mother is refused (and written down); no token is 401.
    let response = mother.get(app.api("/village/workers")).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let forbidden = audit::entries(&app.pool().await).await.expect("audit read");
    assert_eq!(forbidden.iter().filter(|e| e.action == audit::FORBIDDEN).count(), 1);
    let response = reqwest::Client::new().get(app.api("/village/workers")).send().await.expect("sent");
    expect_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Pairings travel, but are not exported (core's RecordKind::EXPORTED).
    let response = supervisor.get(app.api("/exports/pairings")).send().await.expect("sent");
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_supervisor_pairs_a_child_of_her_township_for_its_village_and_its_file_shows_the_pairing() {
    use tongxing_core::child::Child;
    use tongxing_core::pairing::Pairing;
    use tongxing_core::wire::{ChangesPage, ChildFile};

    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (mother, mother_worker) = app.enroll_as(Role::LoveMother, here.clone(), "张爱华").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (elsewhere, _) = app.enroll_as(Role::Supervisor, place("白沙镇", ""), "钱督导").await;
    let file = common::child();
    assert_eq!(app.put_child(&file).await.status(), StatusCode::CREATED);
    let now = chrono::Utc::now().fixed_offset();
    let pairing = Pairing::new(uuid::Uuid::new_v4(), file.id, mother_worker.id, now);
    let put = |client: &reqwest::Client, pairing: &Pairing| {
        client.put(app.api(&format!("/pairings/{}", pairing.id))).json(pairing).send()
    };

    // Another township's supervisor, and a child the server does not hold, are out of scope.
    expect_error(put(&elsewhere, &pairing).await.expect("sent"), StatusCode::FORBIDDEN, "out_of_scope").await;
    let unknown = Pairing::new(uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), mother_worker.id, now);
    expect_error(put(&supervisor, &unknown).await.expect("sent"), StatusCode::FORBIDDEN, "out_of_scope").await;
    assert_eq!(put(&supervisor, &pairing).await.expect("sent").status(), StatusCode::CREATED);

    // Kept as of the child's village: the love mother's phone and the director's receive it.
    let page: ChangesPage = mother.get(app.api("/changes")).send().await.expect("sent").json().await.expect("page");
    assert_eq!(
        (page.children.iter().map(|c: &Child| c.id).collect::<Vec<_>>(), page.pairings.len()),
        (vec![file.id], 1)
    );
    let page: ChangesPage = app.client.get(app.api("/changes")).send().await.expect("sent").json().await.expect("page");
    assert_eq!(page.pairings, std::slice::from_ref(&pairing));

    // Her child's file shows the pairing that holds, and whom it names; ended, it does not.
    let read = || async {
        let response = supervisor.get(app.api(&format!("/children/{}", file.id))).send().await.expect("sent");
        response.json::<ChildFile>().await.expect("a child's file")
    };
    let shown = read().await;
    assert_eq!(shown.pairings, std::slice::from_ref(&pairing));
    assert_eq!(shown.paired_workers.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["张爱华"]);
    assert_eq!(put(&supervisor, &pairing.ended(now)).await.expect("sent").status(), StatusCode::OK);
    assert!(read().await.pairings.is_empty());
}
