//! One child, not two: the supervisor merges two files of one child
//! (`POST /api/v1/duplicates/merge`) on a real port. The kept file gets the other's visits
//! and pairings; the merged file leaves her lists and the duplicates; the village's phone
//! and the paired love mother receive the merge; what a phone sends of the merged file
//! later lands on the kept one (a visit) or beside it, to reconcile (an edit); hostile or
//! stray picks get a clear 4xx; audited.

use crate::common;

use chrono::Utc;
use common::{child, expect_error, revised_child, spawn_app, visit};
use reqwest::{Client, StatusCode};
use serde_json::json;
use tongxing_core::child::Child;
use tongxing_core::pairing::Pairing;
use tongxing_core::wire::{
    ChangesPage, ChildListing, ChildMerge, MergedChildren, Page, PossibleDuplicate, PutReply, PutStatus, ToReconcile,
};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{FieldError, Visit};
use tongxing_ingest::store::audit;
use uuid::Uuid;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

async fn put<T: serde::Serialize>(app: &common::TestApp, client: &Client, path: String, body: &T) -> PutReply {
    let response = client.put(app.api(&path)).json(body).send().await.expect("sent");
    assert!(response.status().is_success(), "{path}: {}", response.status());
    response.json().await.expect("a reply")
}

async fn changes(app: &common::TestApp, client: &Client, after: u64) -> ChangesPage {
    let response = client.get(app.api(&format!("/changes?after={after}"))).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("a page of changes")
}

async fn get<T: serde::de::DeserializeOwned>(app: &common::TestApp, client: &Client, path: &str) -> T {
    let response = client.get(app.api(path)).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.expect("an answer")
}

#[tokio::test]
async fn a_merge_moves_visits_and_pairings_and_every_phone_drops_the_merged_file() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (mother, mother_worker) = app.enroll_as(Role::LoveMother, here.clone(), "张爱华").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (elsewhere, _) = app.enroll_as(Role::Supervisor, place("柳林镇", ""), "周督导").await;

    // One child registered twice in the village, a visit to each, the love mother paired
    // with the second file.
    let kept = child();
    let merged = Child { id_number: None, ..child() };
    put(&app, &app.client, format!("/children/{}", kept.id), &kept).await;
    put(&app, &app.client, format!("/children/{}", merged.id), &merged).await;
    let kept_visit = Visit { child_id: kept.id, ..visit() };
    let merged_visit = Visit { child_id: merged.id, ..visit() };
    put(&app, &app.client, format!("/visits/{}", kept_visit.id), &kept_visit).await;
    put(&app, &app.client, format!("/visits/{}", merged_visit.id), &merged_visit).await;
    let pairing = Pairing {
        id: Uuid::new_v4(),
        child_id: merged.id,
        worker_id: mother_worker.id,
        active: true,
        revision: 1,
        updated_at: Utc::now().fixed_offset(),
    };
    put(&app, &app.client, format!("/pairings/{}", pairing.id), &pairing).await;
    let director_before = changes(&app, &app.client, 0).await;
    let mother_before = changes(&app, &mother, 0).await;
    assert_eq!(mother_before.children.iter().map(|c| c.id).collect::<Vec<_>>(), [merged.id]);
    let pairs: Vec<PossibleDuplicate> = get(&app, &supervisor, "/duplicates").await;
    assert_eq!(pairs.len(), 1);

    // Not hers to merge; a file into itself; an unknown file.
    let merge = |client: &Client, keep: Uuid, merge: Uuid| {
        client.post(app.api("/duplicates/merge")).json(&json!({"keep": keep, "merge": merge})).send()
    };
    expect_error(merge(&elsewhere, kept.id, merged.id).await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;
    expect_error(merge(&app.client, kept.id, merged.id).await.expect("sent"), StatusCode::FORBIDDEN, "forbidden").await;
    let itself = expect_error(
        merge(&supervisor, kept.id, kept.id).await.expect("sent"),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    assert_eq!(itself.fields.get("merge"), Some(&FieldError::Mismatch));
    expect_error(merge(&supervisor, kept.id, Uuid::new_v4()).await.expect("sent"), StatusCode::NOT_FOUND, "not_found")
        .await;

    let response = merge(&supervisor, kept.id, merged.id).await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<MergedChildren>().await.expect("reply"),
        MergedChildren { child_id: kept.id, visits: 1, pairings: 1 }
    );
    expect_error(merge(&supervisor, kept.id, merged.id).await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;

    // Her lists: one file, both visits on it, no pair left.
    let files: Page<ChildListing> = get(&app, &supervisor, "/children").await;
    assert_eq!(files.items.iter().map(|f| f.id).collect::<Vec<_>>(), [kept.id]);
    let file: tongxing_core::wire::ChildFile = get(&app, &supervisor, &format!("/children/{}", kept.id)).await;
    let mut visits: Vec<Uuid> = file.visits.iter().map(|v| v.id).collect();
    visits.sort();
    let mut expected = vec![kept_visit.id, merged_visit.id];
    expected.sort();
    assert_eq!(visits, expected);
    let gone = supervisor.get(app.api(&format!("/children/{}", merged.id))).send().await.expect("sent");
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    assert!(get::<Vec<PossibleDuplicate>>(&app, &supervisor, "/duplicates").await.is_empty());

    // The director's phone: the merge, the moved visit under the kept file.
    let director = changes(&app, &app.client, director_before.next).await;
    assert_eq!(director.merges, [ChildMerge { from: merged.id, into: kept.id }]);
    assert!(director.children.iter().all(|c| c.id != merged.id));
    let moved = director.visits.iter().find(|v| v.visit_id == merged_visit.id).expect("the moved visit");
    assert_eq!((moved.child_id, moved.revision), (kept.id, 2));
    // The love mother's: the merge, the kept file (her pairing moved to it) and its visits.
    let mother_after = changes(&app, &mother, mother_before.next).await;
    assert_eq!(mother_after.merges, [ChildMerge { from: merged.id, into: kept.id }]);
    assert_eq!(mother_after.children.iter().map(|c| c.id).collect::<Vec<_>>(), [kept.id]);
    assert_eq!(mother_after.pairings.iter().map(|p| (p.child_id, p.revision)).collect::<Vec<_>>(), [(kept.id, 2)]);
    // A phone joined afterwards never hears of the merged file.
    let (new_phone, _) = app.enroll_as(Role::Director, here.clone(), "赵敏").await;
    let fresh = changes(&app, &new_phone, 0).await;
    assert_eq!(fresh.children.iter().map(|c| c.id).collect::<Vec<_>>(), [kept.id]);
    assert_eq!(fresh.merges, [ChildMerge { from: merged.id, into: kept.id }]);

    // Sent later from a phone that had not heard: a visit lands on the kept file, an edit of
    // the merged file is kept aside beside it, a resend changes nothing; each time the merge
    // goes out again.
    let late_visit = Visit { child_id: merged.id, ..visit() };
    let stored = put(&app, &app.client, format!("/visits/{}", late_visit.id), &late_visit).await;
    assert_eq!(stored.status, PutStatus::Created);
    let file: tongxing_core::wire::ChildFile = get(&app, &supervisor, &format!("/children/{}", kept.id)).await;
    assert!(file.visits.iter().any(|v| v.id == late_visit.id && v.child_id == kept.id));
    let resent = put(&app, &app.client, format!("/children/{}", merged.id), &merged).await;
    assert_eq!(resent.status, PutStatus::Unchanged);
    let edit = Child { school: "石门小学".into(), ..revised_child(&merged, "搬家") };
    let kept_aside = put(&app, &app.client, format!("/children/{}", merged.id), &edit).await;
    assert_eq!((kept_aside.status, kept_aside.revision), (PutStatus::Conflict, kept.revision));
    let to_reconcile: Vec<ToReconcile> = get(&app, &supervisor, "/conflicts").await;
    assert_eq!(to_reconcile.len(), 1);
    assert_eq!((to_reconcile[0].held.id, to_reconcile[0].kept_aside.id), (kept.id, kept.id));
    assert_eq!(to_reconcile[0].kept_aside.school, "石门小学");
    let again = changes(&app, &app.client, director.next).await;
    assert_eq!(again.merges, [ChildMerge { from: merged.id, into: kept.id }]);

    let entries = audit::entries(&app.pool().await).await.expect("audit");
    let merges: Vec<_> = entries.iter().filter(|e| e.action == audit::MERGE_CHILDREN).collect();
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0].child_id, Some(kept.id.to_string()));
    assert!(merges[0].subject.contains("1 visits, 1 pairings, 0 case plans moved"), "{}", merges[0].subject);
}

#[tokio::test]
async fn a_hostile_merge_gets_a_clear_4xx() {
    let app = spawn_app().await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let send = |body: &'static str, content_type: &'static str| {
        supervisor
            .post(app.api("/duplicates/merge"))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    expect_error(
        send("{\"keep\":", "application/json").await.expect("sent"),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    expect_error(
        send("{}", "text/plain").await.expect("sent"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    for body in [
        r#"{"keep":"x","merge":"y"}"#,
        r#"{"keep":"00000000-0000-0000-0000-000000000001"}"#,
        r#"{"keep":"00000000-0000-0000-0000-000000000001","merge":"00000000-0000-0000-0000-000000000002","x":1}"#,
    ] {
        let response = send(body, "application/json").await.expect("sent");
        assert!(response.status().is_client_error(), "{body}: {}", response.status());
    }
    let get = supervisor.get(app.api("/duplicates/merge")).send().await.expect("sent");
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
}
