//! Moving up (issue 19): `tongxing-ingest migrate-to` copies a county's SQLite database and
//! photo folder into a province's PostgreSQL and bucket, keeping ids, revisions and the
//! audit log, checked by counts and digests; it runs again for what came meanwhile; a
//! province server then takes the county's phones where they were. Needs PostgreSQL and a
//! bucket (the test command's second pass); ignored without them.

use std::path::Path;

use reqwest::StatusCode;
use tongxing_core::wire::{PutReply, PutStatus};
use tongxing_ingest::photos::PhotoBucket;
use tongxing_ingest::store::db;
use tongxing_ingest::ServeConfig;

use crate::common::photos::{jpeg, sha256, with_photos};
use crate::common::{self, child, revised, spawn_app_with, visit, AppOptions};

/// The rows of `table`, as the county's or the province's database has them.
async fn count(pool: &sqlx::AnyPool, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(pool)
        .await
        .expect("counted")
}

fn migrate_to(county: &Path, database_url: &url::Url, photo_store: &url::Url) -> String {
    let output = common::binary(county)
        .args(["migrate-to", "--data-dir"])
        .arg(county)
        .args(["--database-url", database_url.as_str(), "--photo-store", photo_store.as_str()])
        .env("RUST_LOG", "warn")
        .env_remove("TONGXING_LOG")
        .output()
        .expect("the binary runs");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{printed}\n{}", String::from_utf8_lossy(&output.stderr));
    printed
}

#[tokio::test]
#[ignore = "needs PostgreSQL and a bucket: the test command's second pass"]
async fn a_county_moves_up_whole_and_its_phones_go_on_where_they_were() {
    let (Some(server), Some(_)) = (common::test_database_url(), common::test_photo_store(Path::new("."))) else {
        panic!("TONGXING_TEST_DATABASE_URL and TONGXING_TEST_PHOTO_STORE are needed");
    };
    // A county on SQLite and its photo folder: a child, a visit with a photo and its
    // revision, a photo no visit names yet.
    let county = spawn_app_with(AppOptions { sqlite: true, ..AppOptions::default() }).await;
    let (photo, loose) = (jpeg(), jpeg());
    county.send_photo(&photo).await;
    county.send_photo(&loose).await;
    assert_eq!(county.put_child(&child()).await.status(), StatusCode::CREATED);
    let first = with_photos(&visit(), &[&photo]);
    assert_eq!(county.put_visit(&first).await.status(), StatusCode::CREATED);
    let second = revised(&first, "联系了学校");
    assert_eq!(county.put_visit(&second).await.status(), StatusCode::OK, "updated to its second revision");
    let (director, token) = (county.director.clone(), county.token.clone());
    let county_dir = county.stop().await;

    // The province's database: one of its own on the suite's server, made with its schema.
    let province = tempfile::tempdir().expect("temp dir");
    db::open_for_test(province.path()).await.expect("the province's database").close().await;
    let mut database_url = server.clone();
    database_url.set_path(&format!("/{}", db::database_name_of(province.path())));
    let photo_store = common::test_photo_store(province.path()).expect("the suite's bucket");

    let printed = migrate_to(county_dir.path(), &database_url, &photo_store);
    assert!(printed.contains("photos: 2 written"), "{printed}");
    assert!(printed.contains("counts and digests equal on both sides"), "{printed}");

    let (source, target) = (
        db::open(county_dir.path()).await.expect("the county's"),
        db::open_for_test(province.path()).await.expect("the province's"),
    );
    for table in [
        "children",
        "child_revisions",
        "visits",
        "visit_revisions",
        "visit_photos",
        "photos",
        "devices",
        "invites",
        "changes",
    ] {
        assert_eq!(count(&source, table).await, count(&target, table).await, "{table}");
    }
    assert_eq!(count(&target, "visit_revisions").await, 2, "both revisions");
    let audit: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, action FROM audit_log ORDER BY id").fetch_all(&target).await.expect("read");
    let county_audit: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, action FROM audit_log ORDER BY id").fetch_all(&source).await.expect("read");
    assert_eq!(audit, county_audit, "the audit log as it was, ids and all");
    assert_eq!(audit.last().map(|(_, action)| action.as_str()), Some("move_up"), "the move itself is noted");
    let bucket = PhotoBucket::from_url(&photo_store).expect("the bucket");
    for bytes in [&photo, &loose] {
        let hash = tongxing_core::photo::PhotoHash::parse(&sha256(bytes)).expect("a hash");
        assert_eq!(bucket.photo(&hash).await.expect("read").as_deref(), Some(&bytes[..]), "byte for byte");
    }
    target.close().await;

    // Again, once the county's server took one more visit: only what changed is copied.
    let county = spawn_app_with(AppOptions { sqlite: true, data: Some(county_dir), ..AppOptions::default() }).await;
    let later = visit();
    assert_eq!(county.put_visit(&later).await.status(), StatusCode::CREATED);
    let county_dir = county.stop().await;
    let printed = migrate_to(county_dir.path(), &database_url, &photo_store);
    assert!(printed.contains("photos: 0 written") && printed.contains("2 in the bucket already"), "{printed}");
    assert!(
        printed.lines().any(|line| line.starts_with("visits ") && line.contains("copied and checked")),
        "{printed}"
    );
    assert!(printed.lines().any(|line| line.starts_with("children ") && line.contains("there already")), "{printed}");

    // A province server on the moved records, with the county's keys: the phone's token
    // works, a visit sent again is unchanged at its revision, and a new one numbers on.
    let config = ServeConfig {
        addr: "127.0.0.1:0".to_owned(),
        data_dir: province.path().to_owned(),
        database_url: Some(database_url),
        photo_store: Some(photo_store),
        recovery_key_file: Some(county_dir.path().join("recovery.key")),
        county_key_file: Some(county_dir.path().join("county.key")),
        ..ServeConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(&config.addr).await.expect("bind");
    let server = tongxing_ingest::Server::with_listener(listener, &config).await.expect("the province's server starts");
    let base = format!("http://{}", server.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let phone = common::client_with_token(&token);
    let again = phone.put(format!("{base}/api/v1/visits/{}", second.id)).json(&second).send().await.expect("sent");
    assert_eq!(again.status(), StatusCode::OK);
    let reply: PutReply = again.json().await.expect("a reply");
    assert_eq!((reply.status, reply.revision), (PutStatus::Unchanged, 2));
    let new = visit();
    let stored = phone.put(format!("{base}/api/v1/visits/{}", new.id)).json(&new).send().await.expect("sent");
    assert_eq!(stored.status(), StatusCode::CREATED, "{director:?}");
    let photo_status = phone.get(format!("{base}/api/v1/photos/{}/upload", sha256(&photo))).send().await.expect("sent");
    assert_eq!(photo_status.status(), StatusCode::OK);
    let _ = stop.send(());
    running.await.expect("the server's task").expect("stopped cleanly");

    // The changes feed and the audit log number on after the county's.
    let target = db::open_for_test(province.path()).await.expect("the province's");
    let seqs: Vec<i64> =
        sqlx::query_scalar("SELECT seq FROM changes ORDER BY seq").fetch_all(&target).await.expect("read");
    assert!(seqs.windows(2).all(|pair| pair[0] < pair[1]) && seqs.len() >= 4, "{seqs:?}");
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id").fetch_all(&target).await.expect("read");
    assert!(ids.len() > audit.len() && ids[..audit.len()] == audit.iter().map(|(id, _)| *id).collect::<Vec<_>>()[..]);
    target.close().await;
    source.close().await;
}
