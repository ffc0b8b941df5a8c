//! The photo cleanup on data sent to a real server: what no visit names goes once its grace
//! period has passed, as a library call with its clock given, as the `cleanup-photos`
//! command, and as the server's own task at start. A photo a visit names always stays.

use crate::common;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use common::photos::{hash_of, jpeg, jpeg_of_len, photo_reply, sha256, with_photos};
use common::{expect_error, spawn_app, spawn_app_with, visit, AppOptions, TestApp};
use reqwest::StatusCode;
use tongxing_core::photo::PIECE_BYTES;
use tongxing_core::wire::PhotoStatus;
use tongxing_ingest::photos::cleanup::{cleanup_photos, RemovedPhoto, RemovedUpload};

const WEEK: TimeDelta = TimeDelta::days(7);

impl TestApp {
    /// Sends the first piece of `photo`, which stays partial.
    async fn start_upload(&self, photo: &[u8]) {
        photo_reply(self.put_piece(&sha256(photo), photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    }

    /// Whether the server holds `photo` whole: its file and its row (asked when no removal
    /// is under way).
    async fn holds(&self, photo: &[u8]) -> bool {
        let hash = sha256(photo);
        let row = self.photo_rows().await.iter().any(|(sha, _, _)| *sha == hash);
        assert_eq!(row, self.kept_photo(&hash).await.is_some(), "row and file go together");
        row
    }
}

#[tokio::test]
async fn what_no_visit_names_goes_after_the_grace_period_and_the_rest_stays() {
    let app = spawn_app().await;
    let (named, unnamed, stale) = (jpeg(), jpeg(), jpeg_of_len(2 * PIECE_BYTES as usize));
    app.send_photo(&named).await;
    app.send_photo(&unnamed).await;
    app.start_upload(&stale).await;
    let visit = with_photos(&visit(), &[&named]);
    assert_eq!(app.put_visit(&visit).await.status(), StatusCode::CREATED);
    tokio::time::sleep(Duration::from_millis(20)).await;
    let between = Utc::now();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (fresh, fresh_upload) = (jpeg(), jpeg_of_len(2 * PIECE_BYTES as usize));
    app.send_photo(&fresh).await;
    app.start_upload(&fresh_upload).await;
    let pool = app.pool().await;
    let store = crate::common::photo_store(app.data.path());

    // A week after `between`: what came before it is past its grace, what came after is not.
    let report = cleanup_photos(&pool, &store, between + WEEK, WEEK).await.expect("cleanup");

    let removed: Vec<_> = report.photos.iter().map(|p: &RemovedPhoto| p.hash.clone()).collect();
    assert_eq!(removed, [hash_of(&unnamed)]);
    assert_eq!(report.photos[0].bytes, unnamed.len() as u64);
    let uploads: Vec<_> = report.uploads.iter().map(|u: &RemovedUpload| (u.hash.clone(), u.received)).collect();
    assert_eq!(uploads, [(hash_of(&stale), PIECE_BYTES)]);
    assert!(app.holds(&named).await, "named by a visit");
    assert!(!app.holds(&unnamed).await);
    assert!(app.holds(&fresh).await, "within its grace period");
    assert_eq!(app.upload_status(&sha256(&stale)).await.status, PhotoStatus::Absent);
    assert!(app.staged_upload(&sha256(&stale)).await.is_none());
    assert_eq!(app.upload_status(&sha256(&fresh_upload)).await.status, PhotoStatus::Partial);

    // Years later, everything no visit names is gone; the named photo still stays.
    let report = cleanup_photos(&pool, &store, Utc::now() + TimeDelta::days(3650), WEEK).await.expect("cleanup");
    assert_eq!(report.photos.iter().map(|p| p.hash.clone()).collect::<Vec<_>>(), [hash_of(&fresh)]);
    assert_eq!(report.uploads.len(), 1);
    assert!(app.holds(&named).await);
    assert!(std::fs::read_dir(app.data.path().join("tmp")).expect("tmp").next().is_none(), "nothing left aside");
    pool.close().await;

    // A removed photo is missing again for a visit that names it, and can be sent again.
    let late = with_photos(&common::visit(), &[&unnamed]);
    let refused = expect_error(app.put_visit(&late).await, StatusCode::CONFLICT, "missing_photos").await;
    assert_eq!(refused.missing, [hash_of(&unnamed)]);
    app.send_photo(&unnamed).await;
    assert_eq!(app.put_visit(&late).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn cleanup_photos_on_the_command_line_prints_what_it_removed() {
    let app = spawn_app().await;
    let (named, unnamed) = (jpeg(), jpeg());
    app.send_photo(&named).await;
    app.send_photo(&unnamed).await;
    assert_eq!(app.put_visit(&with_photos(&visit(), &[&named])).await.status(), StatusCode::CREATED);
    let data = app.stop().await;
    let run = |grace: &str| {
        let output = crate::common::binary(data.path())
            .args(["cleanup-photos", "--photo-grace-hours", grace, "--data-dir"])
            .arg(data.path())
            .env("RUST_LOG", "warn")
            .env_remove("TONGXING_LOG")
            .output()
            .expect("the binary runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("UTF-8")
    };

    assert_eq!(run("168"), "removed 0 photos (0 bytes) and 0 partial uploads\n", "within the week");
    let printed = run("0");

    assert_eq!(
        printed
            .lines()
            .collect::<Vec<_>>()
            .first()
            .map(|line| line.starts_with(&format!("removed photo {} (", sha256(&unnamed)))),
        Some(true),
        "{printed}"
    );
    assert!(
        printed.ends_with(&format!("removed 1 photo ({} bytes) and 0 partial uploads\n", unnamed.len())),
        "{printed}"
    );
    let app = spawn_app_with(AppOptions { data: Some(data), ..AppOptions::default() }).await;
    assert!(app.holds(&named).await);
    assert!(!app.holds(&unnamed).await);
}

#[tokio::test]
async fn the_server_cleans_up_at_start() {
    let app = spawn_app().await;
    let (named, unnamed) = (jpeg(), jpeg());
    app.send_photo(&named).await;
    app.send_photo(&unnamed).await;
    assert_eq!(app.put_visit(&with_photos(&visit(), &[&named])).await.status(), StatusCode::CREATED);
    let data = app.stop().await;

    let app =
        spawn_app_with(AppOptions { data: Some(data), photo_grace_hours: Some(0), ..AppOptions::default() }).await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let hash = sha256(&unnamed);
    // Not `holds`, which asks for row and file to agree: mid-removal they may not, yet.
    while app.photo_rows().await.iter().any(|(sha, _, _)| *sha == hash) || app.kept_photo(&hash).await.is_some() {
        assert!(tokio::time::Instant::now() < deadline, "the unnamed photo is removed soon after start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!app.holds(&unnamed).await);
    assert!(app.holds(&named).await, "a photo a visit names is never removed");
}
