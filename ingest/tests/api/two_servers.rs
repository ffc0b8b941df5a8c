//! Two servers on one database (issue 19, item 2), as several instances behind one address
//! share it: on the suite's engine (SQLite's file, or in the PostgreSQL pass one PostgreSQL
//! database), the second server beside the first on the same data directory.
//! - 50 concurrent PUTs of one visit, alternating between the two: one `201`, the rest
//!   `unchanged`; one row and one revision held.
//! - The pieces of one photo alternating between the two: one photo, byte for byte.

use crate::common;

use common::photos::{jpeg_of_len, sha256};
use common::{spawn_app, test_database_url, test_photo_store, visit, TestApp};
use reqwest::StatusCode;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tongxing_core::wire::{PutReply, PutStatus};
use tongxing_ingest::{ServeConfig, Server};

/// A second server on `app`'s database and photos, until the sender is dropped or sent to:
/// its address. On PostgreSQL and a bucket it is a province's second instance, with a data
/// directory of its own (its temp files) and the first one's keys, as if on another
/// machine; on SQLite it shares the data directory, as a second process on one machine.
async fn second_server(app: &TestApp) -> (String, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let (database_url, photo_store) = (test_database_url(), test_photo_store(app.data.path()));
    let own_data_dir = tempfile::tempdir().expect("temp dir");
    let config = match (database_url, photo_store) {
        (Some(mut database_url), Some(photo_store)) => {
            database_url.set_path(&format!("/{}", tongxing_ingest::store::db::database_name_of(app.data.path())));
            let first = ServeConfig { data_dir: app.data.path().to_owned(), ..ServeConfig::default() };
            ServeConfig {
                addr: "127.0.0.1:0".to_owned(),
                data_dir: own_data_dir.path().to_owned(),
                database_url: Some(database_url),
                photo_store: Some(photo_store),
                recovery_key_file: Some(first.recovery_key_path()),
                county_key_file: Some(first.county_key_path()),
                ..ServeConfig::default()
            }
        }
        (database_url, photo_store) => ServeConfig {
            addr: "127.0.0.1:0".to_owned(),
            data_dir: app.data.path().to_owned(),
            database_url,
            photo_store,
            ..ServeConfig::default()
        },
    };
    let listener = TcpListener::bind(&config.addr).await.expect("bind 127.0.0.1:0");
    let server = Server::with_listener(listener, &config).await.expect("the second server starts");
    let url = format!("http://{}", server.local_addr().expect("local addr"));
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(async move {
        let _data_dir = own_data_dir;
        server
            .run_until(async {
                let _ = stopped.await;
            })
            .await
            .expect("the second server stopped cleanly");
    });
    (url, stop, running)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_visit_sent_to_two_servers_at_once_is_stored_once() {
    let app = spawn_app().await;
    let (second, stop, running) = second_server(&app).await;
    let sent = visit();
    let puts = (0..50).map(|n| {
        let base = if n % 2 == 0 { app.url.clone() } else { second.clone() };
        let request = app.client.put(format!("{base}/api/v1/visits/{}", sent.id)).json(&sent);
        tokio::spawn(async move { request.send().await.expect("answered") })
    });
    let mut statuses = Vec::new();
    for put in puts.collect::<Vec<_>>() {
        let response = put.await.expect("the task");
        let code = response.status();
        let body = response.text().await.expect("a body");
        let reply: PutReply = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{code}: {body}"));
        statuses.push((code, reply.status));
    }
    let created = statuses.iter().filter(|(code, _)| *code == StatusCode::CREATED).count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|answer| *answer == (StatusCode::CREATED, PutStatus::Created)
            || *answer == (StatusCode::OK, PutStatus::Unchanged)),
        "{statuses:?}"
    );
    let pool = app.pool().await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE id = $1")
        .bind(sent.id.to_string())
        .fetch_one(&pool)
        .await
        .expect("counted");
    let revisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visit_revisions WHERE id = $1")
        .bind(sent.id.to_string())
        .fetch_one(&pool)
        .await
        .expect("counted");
    assert_eq!((rows, revisions), (1, 1));
    pool.close().await;
    let _ = stop.send(());
    running.await.expect("the second server's task");
    app.stop().await;
}

#[tokio::test]
async fn the_pieces_of_one_photo_sent_to_two_servers_in_turn_make_one_photo() {
    let app = spawn_app().await;
    let (second, stop, running) = second_server(&app).await;
    let photo = jpeg_of_len(40_000);
    let hash = sha256(&photo);
    let pieces = [0..10_000_u64, 10_000..20_000, 20_000..30_000, 30_000..40_000];
    for (n, range) in pieces.iter().enumerate() {
        let base = if n % 2 == 0 { app.url.clone() } else { second.clone() };
        let response = app
            .client
            .put(format!("{base}/api/v1/photos/{hash}"))
            .header("content-type", "image/jpeg")
            .header("content-range", format!("bytes {}-{}/{}", range.start, range.end - 1, photo.len()))
            .body(photo[range.start as usize..range.end as usize].to_vec())
            .send()
            .await
            .expect("answered");
        let expected = if n + 1 == pieces.len() { StatusCode::CREATED } else { StatusCode::ACCEPTED };
        assert_eq!(response.status(), expected, "piece {n}");
    }
    let held = app.client.get(format!("{second}/api/v1/photos/{hash}/upload")).send().await.expect("answered");
    assert_eq!(held.status(), StatusCode::OK);
    assert_eq!(app.kept_photo(&hash).await.expect("the photo"), photo, "byte for byte");
    let _ = stop.send(());
    running.await.expect("the second server's task");
    app.stop().await;
}
