//! Two server processes on one database and one photo store (the suite's: SQLite and the
//! photo folder, or PostgreSQL and the bucket), one of them killed with SIGKILL while its
//! group-commit batches and photos are under way: nothing either answered `2xx` is lost,
//! and what the killed one never answered, sent again to the other, is stored once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, StatusCode};
use tongxing_core::fixtures::sample_director;
use tongxing_core::worker::Role;
use tongxing_core::Visit;
use uuid::Uuid;

use crate::common::photos::{jpeg, kept_photo, sha256};
use crate::common::server_process::ServerProcess;
use crate::common::{client_with_token, enroll_over_http, invite, open_db, visit};

/// Calls no rate limit stops: the test sends as fast as it can from one phone.
const UNLIMITED: [&str; 4] = ["--rate-per-second", "100000", "--rate-burst", "100000"];
const VISITS: usize = 240;
const PHOTOS: usize = 24;
/// Requests under way at once, half to each server.
const SENDERS: usize = 16;
/// The first server is killed once it has answered this many records.
const KILL_AFTER: usize = 40;

/// One record to send: a visit or a whole photo.
#[derive(Clone)]
enum Record {
    Visit(Box<Visit>),
    Photo(Vec<u8>),
}

impl Record {
    async fn send(&self, client: &Client, base: &str) -> Result<StatusCode, reqwest::Error> {
        let request = match self {
            Record::Visit(visit) => client.put(format!("{base}/api/v1/visits/{}", visit.id)).json(visit),
            Record::Photo(bytes) => client
                .put(format!("{base}/api/v1/photos/{}", sha256(bytes)))
                .header(CONTENT_TYPE, "image/jpeg")
                .body(bytes.clone()),
        };
        request.send().await.map(|response| response.status())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_instance_killed_mid_batch_loses_nothing_it_answered() {
    let data = tempfile::tempdir().expect("temp dir");
    let first = ServerProcess::start(data.path(), &UNLIMITED);
    let second = ServerProcess::start(data.path(), &UNLIMITED);
    let director = sample_director();
    let code = invite(data.path(), Role::Director, &director.place).await;
    let client = client_with_token(&enroll_over_http(&first.base, &code, &director.name).await.token);

    // A photo after every tenth visit.
    let mut records = Vec::new();
    for n in 0..VISITS {
        let mut sent = visit();
        sent.id = Uuid::new_v4();
        records.push(Record::Visit(Box::new(sent)));
        if n % (VISITS / PHOTOS) == 0 {
            records.push(Record::Photo(jpeg()));
        }
    }

    // Each server has a half of its own (on SQLite the second process would else take most
    // of them while the first waits for the file's write lock).
    let halves: Vec<Vec<(usize, Record)>> =
        (0..2).map(|half| records.iter().cloned().enumerate().filter(|(n, _)| n % 2 == half).collect()).collect();
    let queues =
        [Arc::new(Mutex::new(halves[0].clone().into_iter())), Arc::new(Mutex::new(halves[1].clone().into_iter()))];
    let answered_by_first = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(HashMap::new()));
    let mut senders = Vec::new();
    for sender in 0..SENDERS {
        let half = sender % 2;
        let base = [&first.base, &second.base][half].clone();
        let (queue, answered_by_first, outcomes, client) =
            (queues[half].clone(), answered_by_first.clone(), outcomes.clone(), client.clone());
        senders.push(tokio::spawn(async move {
            loop {
                let Some((n, record)) = queue.lock().expect("the queue").next() else { return };
                let outcome = record.send(&client, &base).await;
                if half == 0 && outcome.is_ok() {
                    answered_by_first.fetch_add(1, Ordering::SeqCst);
                }
                outcomes.lock().expect("the outcomes").insert(n, outcome.map_err(|error| error.to_string()));
            }
        }));
    }
    while answered_by_first.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let log = tokio::task::spawn_blocking(move || first.kill()).await.expect("killed");
    assert!(!log.contains("panicked"), "{log}");
    for sender in senders {
        sender.await.expect("a sender");
    }

    // Every answer was a success or a connection the kill cut; what was cut goes again.
    let outcomes = std::mem::take(&mut *outcomes.lock().expect("the outcomes"));
    let (mut answered, mut cut) = (0, 0);
    for (n, record) in records.iter().enumerate() {
        match &outcomes[&n] {
            Ok(status) => {
                assert!(status.is_success(), "record {n}: {status}");
                answered += 1;
            }
            Err(_) => {
                cut += 1;
                let again = record.send(&client, &second.base).await.expect("the second server answers");
                assert!(again.is_success(), "record {n} sent again: {again}");
            }
        }
    }
    assert!(answered >= KILL_AFTER && cut > 0, "the kill came mid-way: {answered} answered, {cut} cut");

    // Each visit is there once, each photo whole.
    let pool = open_db(data.path()).await;
    // One row a visit (its primary key), at its first revision: a send again was unchanged.
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, revision FROM visits").fetch_all(&pool).await.expect("read");
    pool.close().await;
    let rows: HashMap<String, i64> = rows.into_iter().collect();
    for record in &records {
        match record {
            Record::Visit(visit) => assert_eq!(rows.get(&visit.id.to_string()), Some(&1), "visit {}", visit.id),
            Record::Photo(bytes) => {
                assert_eq!(kept_photo(data.path(), &sha256(bytes)).await.as_ref(), Some(bytes), "byte for byte")
            }
        }
    }
    assert_eq!(rows.len(), VISITS);
    second.kill();
}
