//! A full disk: the server's data directory on a small tmpfs that fills up. Visits and
//! photos then get `503` with `Retry-After` and a sentence saying the disk is full, never a
//! 500; every visit answered `2xx` before is still there, once; and once space is freed the
//! refused visit is taken.
//!
//! Mounting needs root (as on CI's machine); elsewhere the test says it was skipped.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::photos::{jpeg_with, sha256};
use common::{spawn_app_with, visit, AppOptions};
use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use tongxing_core::wire::ErrorBody;
use tongxing_core::Lang;
use tongxing_ingest::ApiError;

/// A tmpfs of a few MiB, unmounted when dropped.
struct SmallDisk {
    at: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let at = dir.path().to_owned();
        let mounted =
            Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(&at).output();
        match mounted {
            Ok(output) if output.status.success() => Some(SmallDisk { at, _dir: dir }),
            Ok(output) => {
                eprintln!("skipped: cannot mount a tmpfs: {}", String::from_utf8_lossy(&output.stderr).trim());
                None
            }
            Err(error) => {
                eprintln!("skipped: cannot run mount: {error}");
                None
            }
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).status();
    }
}

/// Writes a file until the disk refuses more; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler created");
    let block = vec![0u8; 64 * 1024];
    loop {
        match file.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::StorageFull => break,
            Err(error) => panic!("filling the disk: {error}"),
        }
    }
    // Whatever the page cache held goes out now, so the disk is really full.
    let _ = file.sync_all();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_with_503_and_loses_nothing_acknowledged() {
    let Some(disk) = SmallDisk::mount("8m") else { return };
    let data = tempfile::tempdir_in(&disk.at).expect("data dir on the small disk");
    // SQLite's database on that disk, whatever the suite runs on.
    let app = spawn_app_with(AppOptions { data: Some(data), sqlite: true, ..AppOptions::default() }).await;

    let mut acknowledged = Vec::new();
    for _ in 0..10 {
        let visit = visit();
        assert_eq!(app.put_visit(&visit).await.status(), StatusCode::CREATED);
        acknowledged.push(visit);
    }

    let filler = fill(&disk.at);

    // Keep sending until the disk says no: the WAL may have room for a few more first.
    let mut refused = None;
    for _ in 0..500 {
        let visit = visit();
        let response = app.put_visit(&visit).await;
        let status = response.status();
        if status.is_success() {
            acknowledged.push(visit);
            continue;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "a full disk is a 503, never a 500");
        let retry_after: u32 =
            response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse().ok()).expect("Retry-After");
        assert!(retry_after >= 60, "a full disk is not cured in seconds: {retry_after}");
        let body: ErrorBody = response.json().await.expect("an error body");
        assert_eq!(body.error.as_str(), "unavailable");
        assert_eq!(body.message, ApiError::DiskFull.message(Lang::ZhCn));
        refused = Some(visit);
        break;
    }
    let refused = refused.expect("the full disk refused a visit");

    // A photo is refused the same way, and leaves no half-written file behind.
    let photo = jpeg_with(&vec![9u8; 200 * 1024]);
    let hash = sha256(&photo);
    let response = app.put_photo(&hash, photo.clone()).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key(RETRY_AFTER));

    // The server still answers, and once space is freed takes what it refused.
    std::fs::remove_file(&filler).expect("filler removed");
    let response = app.put_visit(&refused).await;
    assert_eq!(response.status(), StatusCode::CREATED, "the refused visit is taken once there is room");
    acknowledged.push(refused);
    assert_eq!(app.put_photo(&hash, photo).await.status(), StatusCode::CREATED);
    // Every pooled connection is used again: none is left stuck in the failed transaction.
    let more: Vec<_> = (0..16).map(|_| visit()).collect();
    let answers = futures::future::join_all(more.iter().map(|visit| app.put_visit(visit))).await;
    for answer in answers {
        assert_eq!(answer.status(), StatusCode::CREATED, "the server is well again");
    }
    acknowledged.extend(more);

    // After a restart, every acknowledged visit is there exactly once, as sent.
    let data = app.stop().await;
    let app = spawn_app_with(AppOptions { data: Some(data), sqlite: true, ..AppOptions::default() }).await;
    let stored = app.current_visits().await;
    assert_eq!(stored.len(), acknowledged.len(), "every acknowledged visit, and nothing else");
    for visit in &acknowledged {
        let held: Vec<_> = stored.iter().filter(|s| s.record.id == visit.id).collect();
        assert_eq!(held.len(), 1, "visit {} once", visit.id);
        assert_eq!(&held[0].record, visit);
    }
    assert_eq!(app.history().await.len(), acknowledged.len(), "one revision each");
    let data = app.stop().await;
    drop(data);
    drop(disk);
}
