use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, AssertSqlSafe};
use tongxing_core::fixtures::{sample_director, sample_visit};
use tongxing_core::form::AnswerValue;
use tongxing_core::photo::{PhotoHash, PhotoNote};
use tongxing_core::wire::PutStatus;
use tongxing_core::Visit;
use uuid::Uuid;

use super::*;
use crate::store::db;

fn visit(n: u128) -> Visit {
    Visit { id: Uuid::from_u128(n), ..sample_visit() }
}

/// Takes the database's write lock on a connection of its own, so that the writer's next
/// batch waits for it (within the busy timeout) and what is sent meanwhile queues up.
async fn hold_write_lock(pool: &AnyPool) -> PoolConnection<Any> {
    let mut blocker = pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *blocker).await.unwrap();
    blocker
}

async fn release_write_lock(mut blocker: PoolConnection<Any>) {
    sqlx::query("COMMIT").execute(&mut *blocker).await.unwrap();
}

async fn wait_until_queued(writes: &GroupCommit, count: usize) {
    for _ in 0..400 {
        if writes.queued() == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{} queued, not {count}", writes.queued());
}

/// Sends each visit from a task of its own; the answers come back in the same order.
fn send_all(writes: &GroupCommit, visits: Vec<Visit>) -> Vec<tokio::task::JoinHandle<Answer>> {
    visits
        .into_iter()
        .map(|visit| {
            let writes = writes.clone();
            tokio::spawn(async move { writes.store(visit, sample_director(), Utc::now()).await })
        })
        .collect()
}

async fn count(pool: &AnyPool, table: &str) -> i64 {
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {table}"))).fetch_one(pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_stores_share_one_commit_and_each_is_answered_once_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(dir.path()).await.unwrap();
    crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
    let writes = GroupCommit::start(pool.clone());

    // Alone, a record is committed at once: nothing waits to fill a batch.
    for n in [1000, 1001] {
        assert_eq!(writes.store(visit(n), sample_director(), Utc::now()).await.unwrap().status, PutStatus::Created);
    }
    assert_eq!(writes.commits(), 2);

    // While a commit waits, 50 new visits and 10 of them sent a second time queue up.
    let blocker = hold_write_lock(&pool).await;
    let first = send_all(&writes, vec![visit(2000)]);
    tokio::time::sleep(Duration::from_millis(50)).await; // the writer takes it and waits for the lock
    let ids: Vec<u128> = (1..=50).chain(1..=10).collect();
    let answers = send_all(&writes, ids.iter().map(|&n| visit(n)).collect());
    wait_until_queued(&writes, ids.len()).await;
    release_write_lock(blocker).await;

    assert_eq!(first.into_iter().next().unwrap().await.unwrap().unwrap().status, PutStatus::Created);
    let mut statuses: HashMap<u128, Vec<PutStatus>> = HashMap::new();
    for (n, answer) in ids.iter().zip(answers) {
        statuses.entry(*n).or_default().push(answer.await.unwrap().unwrap().status);
    }
    for (n, mut seen) in statuses {
        seen.sort_by_key(|status| *status != PutStatus::Created);
        let expected: &[PutStatus] =
            if n <= 10 { &[PutStatus::Created, PutStatus::Unchanged] } else { &[PutStatus::Created] };
        assert_eq!(seen, expected, "visit {n}");
    }
    // Most likely 4: the first alone, then the 60 that queued meanwhile together.
    assert!((3..=4).contains(&writes.commits()), "{} commits for 61 records", writes.commits());

    // Every answer was given after its commit: all 53 are there when the database is
    // opened again.
    pool.close().await;
    let pool = db::open(dir.path()).await.unwrap();
    assert_eq!(count(&pool, "visits").await, 53);
    assert_eq!(count(&pool, "visit_revisions").await, 53);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refused_record_rolls_back_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(dir.path()).await.unwrap();
    crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
    let writes = GroupCommit::start(pool.clone());
    let held = visit(5);
    writes.store(held.clone(), sample_director(), Utc::now()).await.unwrap();
    let commits_before = writes.commits();

    let mut missing_photo = visit(2);
    let photo = PhotoHash::of_bytes(b"not sent yet");
    missing_photo.answers.set("photo_consent", AnswerValue::Bool(true));
    missing_photo.answers.set("photos", AnswerValue::Photos(vec![PhotoNote::new(photo.clone(), Utc::now())]));
    // Refused half way: after its current row is written, when its history row is.
    let refused_late = visit(3);
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TRIGGER refuse_one BEFORE INSERT ON visit_revisions WHEN NEW.id = '{}' \
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        refused_late.id
    )))
    .execute(&pool)
    .await
    .unwrap();
    let mut conflicting = held.clone();
    conflicting.answers.set("actions_taken", AnswerValue::Text("另一台手机".into()));

    let blocker = hold_write_lock(&pool).await;
    let first = send_all(&writes, vec![visit(1)]);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let answers = send_all(&writes, vec![missing_photo, refused_late, visit(4), conflicting]);
    wait_until_queued(&writes, 4).await;
    release_write_lock(blocker).await;

    assert_eq!(first.into_iter().next().unwrap().await.unwrap().unwrap().status, PutStatus::Created);
    let mut answers = answers.into_iter();
    let mut next = || answers.next().unwrap();
    match next().await.unwrap() {
        Err(StoreError::MissingPhotos(missing)) => assert_eq!(missing, [photo]),
        other => panic!("missing photo: {other:?}"),
    }
    match next().await.unwrap() {
        Err(StoreError::Storage(StorageError::Database(error))) => {
            assert!(error.to_string().contains("refused by the test"), "{error}")
        }
        other => panic!("refused late: {other:?}"),
    }
    assert_eq!(next().await.unwrap().unwrap().status, PutStatus::Created);
    assert_eq!(next().await.unwrap().unwrap(), Arrival { status: PutStatus::Conflict, revision: 1 });
    assert!(writes.commits() <= commits_before + 2, "{} commits", writes.commits() - commits_before);

    let mut stored: Vec<String> = sqlx::query_scalar("SELECT id FROM visits").fetch_all(&pool).await.unwrap();
    stored.sort();
    let expected: Vec<String> = [1, 4, 5].map(|n| Uuid::from_u128(n).to_string()).to_vec();
    assert_eq!(stored, expected, "the two refused visits left nothing, not even a current row");
    assert_eq!(count(&pool, "visit_revisions").await, 3);
    assert_eq!(count(&pool, "visit_conflicts").await, 1);
    assert_eq!(count(&pool, "visit_photos").await, 0);
}

#[tokio::test]
async fn a_batch_that_cannot_be_written_answers_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(dir.path()).await.unwrap();
    crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
    let writes = GroupCommit::start(pool.clone());
    pool.close().await;
    let answers = send_all(&writes, (1..=3).map(visit).collect());
    for answer in answers {
        assert!(matches!(answer.await.unwrap(), Err(StoreError::Storage(_))));
    }
    assert_eq!(writes.commits(), 0);
}
