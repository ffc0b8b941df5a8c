//! `PUT /api/v1/children/{id}` as a phone uses it: the same rules as visits (new, again,
//! older, newer, at once, refused), and conflicts kept aside.

use crate::common;

use std::sync::Arc;

use common::{child, expect_error, revised_child, spawn_app, TestApp};
use futures::future::join_all;
use reqwest::StatusCode;
use tokio::sync::Barrier;
use tongxing_core::child::Child;
use tongxing_core::wire::{PutReply, PutStatus, VISIT_BODY_LIMIT};
use tongxing_core::{FieldError, Visit};

const JSON: &str = "application/json";

async fn reply(response: reqwest::Response, status: StatusCode) -> PutReply {
    assert_eq!(response.status(), status);
    common::assert_json(response.headers());
    response.json().await.expect("PutReply JSON")
}

async fn current(app: &TestApp) -> Vec<Child> {
    app.current_of::<Child>().await.into_iter().map(|r| r.record).collect()
}

async fn history(app: &TestApp) -> Vec<Child> {
    app.history_of::<Child>().await.into_iter().map(|r| r.record).collect()
}

async fn conflicts(app: &TestApp) -> Vec<Child> {
    app.conflicts_of::<Child>().await.into_iter().map(|r| r.record).collect()
}

async fn assert_no_child_stored(app: &TestApp) {
    assert!(current(app).await.is_empty(), "no child stored");
    assert!(history(app).await.is_empty(), "no revision stored");
}

#[tokio::test]
async fn a_new_child_is_created_and_stored() {
    let app = spawn_app().await;
    let child = child();

    let answer = reply(app.put_child(&child).await, StatusCode::CREATED).await;

    assert_eq!(answer, PutReply { id: child.id, status: PutStatus::Created, revision: 1 });
    assert_eq!(current(&app).await, vec![child.clone()], "stored exactly as sent, Chinese included");
    assert_eq!(history(&app).await, vec![child]);
    assert!(app.current_visits().await.is_empty(), "not among the visits");
}

#[tokio::test]
async fn the_same_child_again_is_unchanged() {
    let app = spawn_app().await;
    let child = child();
    reply(app.put_child(&child).await, StatusCode::CREATED).await;
    let first = app.current_of::<Child>().await;

    let answer = reply(app.put_child(&child).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: child.id, status: PutStatus::Unchanged, revision: 1 });
    assert_eq!(app.current_of::<Child>().await, first, "nothing changed, not even received_at");
    assert_eq!(history(&app).await.len(), 1);
    assert!(conflicts(&app).await.is_empty());
}

#[tokio::test]
async fn an_older_revision_changes_nothing() {
    let app = spawn_app().await;
    let first = child();
    let second = revised_child(&first, "母亲已返乡");
    reply(app.put_child(&second).await, StatusCode::CREATED).await;

    let answer = reply(app.put_child(&first).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Unchanged, revision: 2 });
    assert_eq!(current(&app).await, vec![second.clone()]);
    assert_eq!(history(&app).await, vec![second]);
    assert!(conflicts(&app).await.is_empty());
}

#[tokio::test]
async fn a_newer_revision_is_stored_and_the_old_one_kept() {
    let app = spawn_app().await;
    let first = child();
    let mut second = revised_child(&first, "转学到县城");
    second.school = "县第一小学".to_owned();
    reply(app.put_child(&first).await, StatusCode::CREATED).await;

    let answer = reply(app.put_child(&second).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Updated, revision: 2 });
    assert_eq!(current(&app).await, vec![second.clone()]);
    assert_eq!(history(&app).await, vec![first, second]);
}

#[tokio::test]
async fn the_same_revision_with_other_content_is_a_conflict_kept_aside() {
    let app = spawn_app().await;
    let first = child();
    let mut other_phone = first.clone();
    other_phone.notes = "另一台手机上的记录：父亲已回家".to_owned();
    reply(app.put_child(&first).await, StatusCode::CREATED).await;
    let before = app.current_of::<Child>().await;

    let answer = reply(app.put_child(&other_phone).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Conflict, revision: 1 });
    assert_eq!(app.current_of::<Child>().await, before, "the first one stays current, untouched");
    assert_eq!(history(&app).await, vec![first.clone()]);
    assert_eq!(conflicts(&app).await, vec![other_phone.clone()]);

    // Sent again (the phone missed the answer): still one conflict row.
    let again = reply(app.put_child(&other_phone).await, StatusCode::OK).await;
    assert_eq!(again, PutReply { id: first.id, status: PutStatus::Conflict, revision: 1 });
    assert_eq!(conflicts(&app).await.len(), 1);

    // A third version of the same revision is kept too.
    let mut third = first.clone();
    third.village = "河口村".to_owned();
    assert_eq!(reply(app.put_child(&third).await, StatusCode::OK).await.status, PutStatus::Conflict);
    assert_eq!(conflicts(&app).await.len(), 2);
    assert!(app.conflicts_of::<Visit>().await.is_empty(), "kept with the children");

    // A newer revision still goes through as usual.
    let next = revised_child(&first, "合并后的记录");
    assert_eq!(reply(app.put_child(&next).await, StatusCode::OK).await.status, PutStatus::Updated);
    assert_eq!(current(&app).await, vec![next]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_copies_at_once_create_one_child() {
    let app = spawn_app().await;
    let child = child();
    let warm_up = (0..20).map(|_| app.client.get(app.api("/health")).send());
    assert!(join_all(warm_up).await.iter().all(|r| r.as_ref().is_ok_and(|r| r.status() == StatusCode::OK)));
    let start = Arc::new(Barrier::new(20));

    let sends = (0..20).map(|_| {
        let client = app.client.clone();
        let url = app.api(&format!("/children/{}", child.id));
        let child = child.clone();
        let start = start.clone();
        tokio::spawn(async move {
            start.wait().await;
            let response = client.put(url).json(&child).send().await.expect("request sent");
            let status = response.status();
            let body: PutReply = response.json().await.expect("PutReply JSON");
            (status, body)
        })
    });
    let answers: Vec<_> = join_all(sends).await.into_iter().map(|r| r.expect("task")).collect();

    assert_eq!(answers.iter().filter(|(s, _)| *s == StatusCode::CREATED).count(), 1, "exactly one 201: {answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
        assert_eq!((*status, body.status, body.revision), (StatusCode::OK, PutStatus::Unchanged, 1));
    }
    assert_eq!(current(&app).await.len(), 1);
    assert_eq!(history(&app).await.len(), 1);
    assert!(conflicts(&app).await.is_empty());
}

#[tokio::test]
async fn a_child_that_fails_validation_gets_every_field_error() {
    let app = spawn_app().await;
    let mut bad = child();
    bad.name = "  ".to_owned();
    bad.categories.clear();
    bad.id_number = Some("110105201603140016".to_owned());

    let body = expect_error(app.put_child(&bad).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    assert_eq!(body.fields.get("name"), Some(&FieldError::Required), "{body:?}");
    assert_eq!(body.fields.get("categories"), Some(&FieldError::TooFew { min: 1 }), "{body:?}");
    assert_eq!(body.fields.get("id_number"), Some(&FieldError::BadIdNumber), "{body:?}");
    assert_eq!(body.fields.len(), 3, "{body:?}");
    assert_no_child_stored(&app).await;
}

#[tokio::test]
async fn an_id_other_than_the_address_is_a_mismatch() {
    let app = spawn_app().await;
    let child = child();
    let elsewhere = uuid::Uuid::new_v4().to_string();

    let body = expect_error(
        app.put_raw_child(&elsewhere, JSON, serde_json::to_string(&child).expect("JSON")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;

    assert_eq!(body.fields.get("id"), Some(&FieldError::Mismatch), "{body:?}");
    assert_no_child_stored(&app).await;
}

#[tokio::test]
async fn a_wrong_shape_names_the_field() {
    let app = spawn_app().await;
    let child = child();
    let mut json = serde_json::to_value(&child).expect("JSON");
    json["sex"] = serde_json::json!("unknown");

    let body = expect_error(
        app.put_raw_child(&child.id.to_string(), JSON, json.to_string()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;

    assert!(body.fields.get("sex").is_some(), "{body:?}");
    assert_no_child_stored(&app).await;
}

#[tokio::test]
async fn malformed_json_bad_ids_wrong_types_and_big_bodies_are_refused() {
    let app = spawn_app().await;
    let mut child = child();
    let id = child.id.to_string();
    let json = serde_json::to_string(&child).expect("JSON");

    expect_error(app.put_raw_child(&id, JSON, "{\"id\": nope}").await, StatusCode::BAD_REQUEST, "malformed_json").await;
    expect_error(
        app.put_raw_child(&id, JSON, json[..json.len() - 5].to_owned()).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    expect_error(app.put_raw_child("not-a-uuid", JSON, json.clone()).await, StatusCode::BAD_REQUEST, "bad_id").await;
    expect_error(
        app.put_raw_child(&id, "text/plain", json).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    child.notes = "字".repeat(VISIT_BODY_LIMIT / 3 + 100);
    let big = serde_json::to_string(&child).expect("JSON");
    expect_error(app.put_raw_child(&id, JSON, big).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;

    assert_no_child_stored(&app).await;
}

#[tokio::test]
async fn a_child_who_turns_18_keeps_a_file_her_workers_may_still_edit() {
    let app = spawn_app().await;
    let today = chrono::Utc::now().date_naive();
    let eighteen_today = today.checked_sub_months(chrono::Months::new(18 * 12)).expect("a date");
    // A new file of someone 18 today is not a child's.
    let adult = Child { birth_date: eighteen_today, ..child() };
    let body = expect_error(app.put_child(&adult).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("birth_date"), Some(&FieldError::TooOld));
    // A file kept since she was 17, edited now: stored.
    let grown = Child { birth_date: eighteen_today, revision: 2, ..child() };
    assert_eq!(reply(app.put_child(&grown).await, StatusCode::CREATED).await.status, PutStatus::Created);
    let edited = revised_child(&grown, "已满18周岁，转介就业帮扶");
    assert_eq!(reply(app.put_child(&edited).await, StatusCode::OK).await.status, PutStatus::Updated);
}

/// Two phones edit one child's file from the revision each holds: fields changed on one
/// side only merge into the next revision; a field changed on both is a conflict kept
/// aside, the held revision staying current.
#[tokio::test]
async fn two_phones_edits_merge_field_by_field_and_a_field_changed_on_both_is_a_conflict() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (phone_b, _) = app.enroll_as(tongxing_core::Role::LoveMother, here.clone(), "张爱华").await;
    let (phone_c, _) = app.enroll_as(tongxing_core::Role::Volunteer, here, "陈秀兰").await;
    let put_from = |phone: &reqwest::Client, child: &Child| {
        phone.put(app.api(&format!("/children/{}", child.id))).json(child).send()
    };
    let first = child();
    reply(app.put_child(&first).await, StatusCode::CREATED).await;
    // Phone A changes the school, phone B (from revision 1 too) the notes.
    let mut from_a = revised_child(&first, &first.notes);
    from_a.school = "城关中学".to_owned();
    reply(app.put_child(&from_a).await, StatusCode::OK).await;
    let from_b = revised_child(&first, "父亲已返乡");

    let answer = reply(put_from(&phone_b, &from_b).await.expect("sent"), StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Updated, revision: 3 });
    let [merged] = current(&app).await.try_into().expect("one child");
    assert_eq!((merged.school.as_str(), merged.notes.as_str(), merged.revision), ("城关中学", "父亲已返乡", 3));
    assert_eq!(merged.updated_at, from_b.updated_at);
    assert_eq!(history(&app).await.len(), 3, "1, A's 2, and the merge");
    assert!(conflicts(&app).await.is_empty());
    // B sends again (its answer was lost): nothing more happens.
    let again = reply(put_from(&phone_b, &from_b).await.expect("sent"), StatusCode::OK).await;
    assert_eq!((again.status, again.revision), (PutStatus::Unchanged, 3));
    assert_eq!(history(&app).await.len(), 3);

    // Phone C, still at revision 1, changes the school too: a conflict for a person.
    let mut from_c = revised_child(&first, &first.notes);
    from_c.school = "石门小学".to_owned();
    let answer = reply(put_from(&phone_c, &from_c).await.expect("sent"), StatusCode::OK).await;
    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Conflict, revision: 3 });
    assert_eq!(current(&app).await, vec![merged], "the merged revision stays current");
    assert_eq!(conflicts(&app).await, vec![from_c]);
}
