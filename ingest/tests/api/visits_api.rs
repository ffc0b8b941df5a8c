//! `PUT /api/v1/visits/{id}` as a phone uses it: new, again, older, newer, at once.

use crate::common;

use std::sync::Arc;

use common::{revised, spawn_app, visit, with_actions};
use futures::future::join_all;
use reqwest::StatusCode;
use tokio::sync::Barrier;
use tongxing_core::wire::{PutReply, PutStatus};
use tongxing_core::Visit;

async fn reply(response: reqwest::Response, status: StatusCode) -> PutReply {
    assert_eq!(response.status(), status);
    common::assert_json(response.headers());
    response.json().await.expect("PutReply JSON")
}

#[tokio::test]
async fn a_new_visit_is_created_and_stored() {
    let app = spawn_app().await;
    let visit = visit();

    let answer = reply(app.put_visit(&visit).await, StatusCode::CREATED).await;

    assert_eq!(answer, PutReply { id: visit.id, status: PutStatus::Created, revision: 1 });
    let held = app.current_visits().await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].record, visit, "stored exactly as sent, Chinese included");
    let history = app.history().await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].record, visit);
}

#[tokio::test]
async fn the_same_visit_again_is_unchanged() {
    let app = spawn_app().await;
    let visit = visit();
    reply(app.put_visit(&visit).await, StatusCode::CREATED).await;
    let first = app.current_visits().await;

    let answer = reply(app.put_visit(&visit).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: visit.id, status: PutStatus::Unchanged, revision: 1 });
    assert_eq!(app.current_visits().await, first, "nothing changed, not even received_at");
    assert_eq!(app.history().await.len(), 1);
}

#[tokio::test]
async fn an_older_revision_changes_nothing() {
    let app = spawn_app().await;
    let first = visit();
    let second = revised(&first, "第二次保存");
    reply(app.put_visit(&second).await, StatusCode::CREATED).await;
    let before = app.current_visits().await;

    let answer = reply(app.put_visit(&first).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Unchanged, revision: 2 });
    assert_eq!(app.current_visits().await, before);
    let history = app.history().await;
    assert_eq!(history.len(), 1, "the older revision arrived late and is not stored");
    assert_eq!(history[0].record, second);
}

#[tokio::test]
async fn a_newer_revision_is_stored_and_the_old_one_kept() {
    let app = spawn_app().await;
    let first = visit();
    let second = revised(&first, "孩子近况有变化");
    reply(app.put_visit(&first).await, StatusCode::CREATED).await;

    let answer = reply(app.put_visit(&second).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Updated, revision: 2 });
    let held = app.current_visits().await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].record, second);
    let history: Vec<_> = app.history().await.into_iter().map(|r| r.record).collect();
    assert_eq!(history, vec![first, second]);
}

#[tokio::test]
async fn the_same_revision_with_other_content_is_a_conflict_kept_aside() {
    let app = spawn_app().await;
    let first = visit();
    let conflicting = with_actions(&first, "另一台手机上的内容");
    reply(app.put_visit(&first).await, StatusCode::CREATED).await;

    let answer = reply(app.put_visit(&conflicting).await, StatusCode::OK).await;

    assert_eq!(answer, PutReply { id: first.id, status: PutStatus::Conflict, revision: 1 });
    let held = app.current_visits().await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].record, first, "the first one stays current");
    let history = app.history().await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].record, first);
    let kept: Vec<Visit> = app.conflicts_of::<Visit>().await.into_iter().map(|r| r.record).collect();
    assert_eq!(kept, vec![conflicting.clone()], "nothing sent is lost");

    // The phone retries (say it missed the answer): still one conflict row.
    let again = reply(app.put_visit(&conflicting).await, StatusCode::OK).await;
    assert_eq!(again.status, PutStatus::Conflict);
    assert_eq!(app.conflicts_of::<Visit>().await.len(), 1);
    // The held one again is simply unchanged.
    let same = reply(app.put_visit(&first).await, StatusCode::OK).await;
    assert_eq!(same.status, PutStatus::Unchanged);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_copies_at_once_create_one_visit() {
    let app = spawn_app().await;
    let visit = visit();
    // Fifty open connections, and every request released at once, so that they race.
    let warm_up = (0..50).map(|_| app.client.get(app.api("/health")).send());
    assert!(join_all(warm_up).await.iter().all(|r| r.as_ref().is_ok_and(|r| r.status() == StatusCode::OK)));
    let start = Arc::new(Barrier::new(50));

    let sends = (0..50).map(|_| {
        let client = app.client.clone();
        let url = app.api(&format!("/visits/{}", visit.id));
        let visit = visit.clone();
        let start = start.clone();
        tokio::spawn(async move {
            start.wait().await;
            let response = client.put(url).json(&visit).send().await.expect("request sent");
            let status = response.status();
            let body: PutReply = response.json().await.expect("PutReply JSON");
            (status, body)
        })
    });
    let answers: Vec<_> = join_all(sends).await.into_iter().map(|r| r.expect("task")).collect();

    let created: Vec<_> = answers.iter().filter(|(status, _)| *status == StatusCode::CREATED).collect();
    assert_eq!(created.len(), 1, "exactly one 201: {answers:?}");
    assert_eq!(created[0].1.status, PutStatus::Created);
    for (status, body) in answers.iter().filter(|(status, _)| *status != StatusCode::CREATED) {
        assert_eq!(*status, StatusCode::OK);
        assert_eq!(body.status, PutStatus::Unchanged);
        assert_eq!(body.revision, 1);
    }
    assert_eq!(app.current_visits().await.len(), 1);
    assert_eq!(app.history().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_arriving_out_of_order_at_once_end_at_the_newest() {
    let app = spawn_app().await;
    let mut revisions = vec![visit()];
    for n in 2..=20 {
        let next = revised(revisions.last().expect("a revision"), &format!("第{n}次保存"));
        revisions.push(next);
    }

    let sends = revisions.iter().rev().map(|v| {
        let client = app.client.clone();
        let url = app.api(&format!("/visits/{}", v.id));
        let v = v.clone();
        tokio::spawn(async move { client.put(url).json(&v).send().await.expect("request sent").status() })
    });
    let statuses: Vec<_> = join_all(sends).await.into_iter().map(|r| r.expect("task")).collect();

    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::OK), "{statuses:?}");
    let held = app.current_visits().await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].record, revisions[19], "the newest revision wins whatever the order");
    let history = app.history().await;
    assert!(history.iter().any(|r| r.record == revisions[19]));
    let mut numbers: Vec<u32> = history.iter().map(|r| r.record.revision).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), history.len(), "each revision stored at most once");
}
