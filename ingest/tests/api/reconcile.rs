//! The supervisor's "to reconcile" list and her pick, on a real port: two directors'
//! phones change one field of a child's file to different values; her township's list
//! shows both versions and who sent each; the version she keeps becomes the next revision,
//! which the village's phones receive; a stale or repeated pick is refused; audited.

use crate::common;

use common::{child, expect_error, revised_child, spawn_app};
use reqwest::StatusCode;
use serde_json::json;
use tongxing_core::wire::{ChangesPage, PutReply, PutStatus, ToReconcile};
use tongxing_core::worker::{Place, Role};
use tongxing_core::FieldError;
use tongxing_ingest::store::audit;

#[tokio::test]
async fn a_supervisor_keeps_one_of_two_edits_and_every_phone_receives_it() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (second_phone, second_worker) = app.enroll_as(Role::Director, here.clone(), "赵敏").await;
    let (supervisor, _) =
        app.enroll_as(Role::Supervisor, Place { village: String::new(), ..here.clone() }, "王督导").await;
    let (elsewhere, _) =
        app.enroll_as(Role::Supervisor, Place { township: "杏花镇".into(), village: String::new() }, "周督导").await;

    let first = child();
    assert_eq!(app.put_child(&first).await.status(), StatusCode::CREATED);
    let mut from_a = revised_child(&first, &first.notes);
    from_a.school = "城关中学".to_owned();
    assert_eq!(app.put_child(&from_a).await.status(), StatusCode::OK);
    let mut from_b = revised_child(&first, &first.notes);
    from_b.school = "石门小学".to_owned();
    let sent = second_phone.put(app.api(&format!("/children/{}", first.id))).json(&from_b).send().await.expect("sent");
    assert_eq!(sent.json::<PutReply>().await.expect("reply").status, PutStatus::Conflict);

    // Her list: both versions, who sent each, and the field they differ in.
    let list = |client: &reqwest::Client| client.get(app.api("/conflicts")).send();
    let response = list(&supervisor).await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let [item]: [ToReconcile; 1] = response.json::<Vec<ToReconcile>>().await.expect("list").try_into().expect("one");
    assert_eq!((item.held.clone(), item.kept_aside.clone()), (from_a.clone(), from_b.clone()));
    assert_eq!(item.held_by.as_deref(), Some(app.director.name.as_str()));
    assert_eq!(item.kept_aside_by.as_deref(), Some(second_worker.name.as_str()));
    assert_eq!(item.fields, ["school"]);
    assert!(list(&elsewhere).await.expect("sent").json::<Vec<ToReconcile>>().await.expect("list").is_empty());
    expect_error(list(&app.client).await.expect("sent"), StatusCode::FORBIDDEN, "forbidden").await;

    // A pick made on an older look is refused; a bad id too; the right one is stored.
    let pick = |held_revision: u32, id: String| {
        supervisor
            .post(app.api(&format!("/conflicts/{id}")))
            .json(&json!({"keep": "kept_aside", "held_revision": held_revision}))
            .send()
    };
    let stale =
        expect_error(pick(1, item.id.to_string()).await.expect("sent"), StatusCode::UNPROCESSABLE_ENTITY, "invalid")
            .await;
    assert_eq!(stale.fields.get("held_revision"), Some(&FieldError::Mismatch));
    expect_error(pick(2, "x".into()).await.expect("sent"), StatusCode::BAD_REQUEST, "bad_id").await;
    let from_elsewhere = elsewhere
        .post(app.api(&format!("/conflicts/{}", item.id)))
        .json(&json!({"keep": "held", "held_revision": 2}))
        .send()
        .await
        .expect("sent");
    expect_error(from_elsewhere, StatusCode::NOT_FOUND, "not_found").await;

    let kept = pick(2, item.id.to_string()).await.expect("sent");
    assert_eq!(kept.status(), StatusCode::OK);
    assert_eq!(
        kept.json::<PutReply>().await.expect("reply"),
        PutReply { id: first.id, status: PutStatus::Updated, revision: 3 }
    );
    let current = app.current_of::<tongxing_core::child::Child>().await;
    assert_eq!((current[0].record.school.as_str(), current[0].record.revision), ("石门小学", 3));
    assert!(list(&supervisor).await.expect("sent").json::<Vec<ToReconcile>>().await.expect("list").is_empty());
    expect_error(pick(3, item.id.to_string()).await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;

    // Both directors' phones receive revision 3.
    for phone in [&app.client, &second_phone] {
        let page: ChangesPage = phone.get(app.api("/changes")).send().await.expect("sent").json().await.expect("page");
        assert_eq!(page.children.iter().map(|c| (c.id, c.revision)).collect::<Vec<_>>(), [(first.id, 3)]);
        assert_eq!(page.children[0].village, first.village, "the file stays in its village");
    }
    let entries = audit::entries(&app.pool().await).await.expect("audit");
    let reconciled: Vec<_> = entries.iter().filter(|e| e.action == audit::RECONCILE_CHILD).collect();
    assert_eq!(reconciled.len(), 1);
    assert!(reconciled[0].subject.contains("kept kept_aside as revision 3"), "{}", reconciled[0].subject);
    assert!(entries.iter().filter(|e| e.action == audit::LIST_TO_RECONCILE).count() >= 3);
}

#[tokio::test]
async fn a_hostile_pick_gets_a_clear_4xx_and_the_list_is_not_cached() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (supervisor, _) = app.enroll_as(Role::Supervisor, Place { village: String::new(), ..here }, "王督导").await;
    let url = app.api("/conflicts/1");
    let send = |body: &'static str, content_type: &'static str| {
        supervisor.post(&url).header(reqwest::header::CONTENT_TYPE, content_type).body(body).send()
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
        r#"{"keep":"both","held_revision":1}"#,
        r#"{"keep":"held","held_revision":-1}"#,
        r#"{"keep":"held","held_revision":1,"x":1}"#,
    ] {
        let response = send(body, "application/json").await.expect("sent");
        assert!(response.status().is_client_error(), "{body}: {}", response.status());
    }
    expect_error(
        send(r#"{"keep":"held","held_revision":1}"#, "application/json").await.expect("sent"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let too_big = supervisor
        .post(app.api(&format!("/conflicts/{}", i64::MAX)))
        .json(&json!({"keep": "held", "held_revision": 1}));
    expect_error(too_big.send().await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;
    let response = supervisor.get(app.api("/conflicts")).send().await.expect("sent");
    assert_eq!(response.headers().get(reqwest::header::CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-store"[..]));
}
