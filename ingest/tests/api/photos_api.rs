//! `PUT /api/v1/photos/{sha256}` on a real server: new, held, mismatch, oversize, not an
//! image, bad address, concurrent duplicates, and a disk that cannot be written.

use crate::common;

use std::path::{Path, PathBuf};

use common::photos::{jpeg, jpeg_with, photo_reply as reply, png, sha256};
use common::{expect_error, spawn_app, spawn_app_with, AppOptions, TestApp};
use reqwest::header::{ACCEPT_LANGUAGE, RETRY_AFTER};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tongxing_core::photo::PhotoHash;
use tongxing_core::wire::{PhotoReply, PhotoStatus};
use tongxing_core::Lang;
use tongxing_ingest::ApiError;

impl TestApp {
    fn files_in_tmp(&self) -> Vec<PathBuf> {
        files_in(&self.data.path().join("tmp"))
    }

    async fn assert_healthy(&self) {
        let response = self.client.get(self.api("/health")).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir).expect("folder").map(|entry| entry.expect("entry").path()).collect()
}

#[tokio::test]
async fn a_new_photo_is_created_then_held() {
    let app = spawn_app().await;
    let bytes = jpeg();
    let hash = sha256(&bytes);

    let created = reply(app.put_photo(&hash, bytes.clone()).await, StatusCode::CREATED).await;
    assert_eq!(
        created,
        PhotoReply {
            sha256: PhotoHash::parse(&hash).unwrap(),
            status: PhotoStatus::Created,
            received: bytes.len() as u64,
            size: Some(bytes.len() as u64)
        }
    );
    assert_eq!(app.kept_photo(&hash).await.expect("photo file"), bytes, "byte for byte");

    let held = reply(app.put_photo(&hash, bytes.clone()).await, StatusCode::OK).await;
    assert_eq!(held.status, PhotoStatus::Held);
    assert_eq!(held.received, bytes.len() as u64);

    assert_eq!(app.kept_photos().await, vec![hash.clone()]);
    assert_eq!(app.photo_rows().await, vec![(hash, bytes.len() as i64, "image/jpeg".to_owned())]);
    assert!(app.files_in_tmp().is_empty(), "no temp file left");
}

#[tokio::test]
async fn the_kind_is_told_by_the_bytes_not_the_header() {
    let app = spawn_app().await;
    let bytes = png();
    let hash = sha256(&bytes);

    // Sent as image/jpeg, kept as what it is.
    reply(app.put_photo(&hash, bytes.clone()).await, StatusCode::CREATED).await;

    assert_eq!(app.photo_rows().await, vec![(hash, bytes.len() as i64, "image/png".to_owned())]);
}

#[tokio::test]
async fn bytes_that_do_not_match_the_hash_are_refused_and_not_kept() {
    let app = spawn_app().await;
    let bytes = jpeg();
    let other = sha256(&jpeg());

    expect_error(app.put_photo(&other, bytes.clone()).await, StatusCode::BAD_REQUEST, "hash_mismatch").await;

    assert!(app.kept_photo(&other).await.is_none());
    assert!(app.kept_photo(&sha256(&bytes)).await.is_none());
    assert!(app.kept_photos().await.is_empty());
    assert!(app.photo_rows().await.is_empty());
    assert!(app.files_in_tmp().is_empty(), "the temp file is removed");
}

#[tokio::test]
async fn text_sent_as_a_jpeg_is_not_an_image() {
    let app = spawn_app().await;
    let bytes = b"this is a letter, not a photo of a letter".to_vec();

    expect_error(app.put_photo(&sha256(&bytes), bytes).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image").await;
    let tiny = vec![0xFF, 0xD8];
    expect_error(app.put_photo(&sha256(&tiny), tiny).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image").await;
    let empty = Vec::new();
    expect_error(app.put_photo(&sha256(&empty), empty).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image").await;

    assert!(app.kept_photos().await.is_empty());
    assert!(app.photo_rows().await.is_empty());
    assert!(app.files_in_tmp().is_empty());
}

#[tokio::test]
async fn a_photo_over_the_limit_is_too_large() {
    let limit = 4096;
    let app = spawn_app_with(AppOptions { max_photo_bytes: Some(limit), ..AppOptions::default() }).await;
    let at_limit = jpeg_with(&vec![7; limit as usize - jpeg_with(&[]).len()]);
    assert_eq!(at_limit.len() as u64, limit);
    let over = jpeg_with(&vec![7; limit as usize]);

    expect_error(app.put_photo(&sha256(&over), over.clone()).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;
    reply(app.put_photo(&sha256(&at_limit), at_limit.clone()).await, StatusCode::CREATED).await;

    assert!(app.kept_photo(&sha256(&over)).await.is_none());
    assert_eq!(app.kept_photos().await, vec![sha256(&at_limit)]);
    assert!(app.files_in_tmp().is_empty());
}

/// A body with no length given (chunked) is counted as it streams and refused once it passes
/// the limit.
#[tokio::test]
async fn a_streamed_photo_is_refused_once_it_passes_the_limit() {
    let limit = 4096;
    let app = spawn_app_with(AppOptions { max_photo_bytes: Some(limit), ..AppOptions::default() }).await;
    let over = jpeg_with(&vec![7; limit as usize]);
    let hash = sha256(&over);

    let mut stream = tokio::net::TcpStream::connect(app.url.trim_start_matches("http://")).await.expect("connect");
    let mut request = format!(
        "PUT /api/v1/photos/{hash} HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n\
         Authorization: Bearer {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n",
        app.token,
        over.len()
    )
    .into_bytes();
    request.extend_from_slice(&over);
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    stream.write_all(&request).await.expect("request written");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await; // a reset after the answer is fine
    let answer = String::from_utf8_lossy(&answer);

    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"too_large\""), "{answer}");
    assert!(app.kept_photo(&hash).await.is_none());
    assert!(app.files_in_tmp().is_empty(), "the temp file is removed");
    app.assert_healthy().await;
}

#[tokio::test]
async fn an_address_that_is_not_a_sha256_is_a_bad_hash() {
    let app = spawn_app().await;
    let bytes = jpeg();
    let hash = sha256(&bytes);

    for bad in [hash.to_uppercase(), hash[..63].to_owned(), format!("{hash}0"), "not-a-hash".to_owned()] {
        expect_error(app.put_photo(&bad, bytes.clone()).await, StatusCode::BAD_REQUEST, "bad_hash").await;
    }
    let english = app
        .client
        .put(app.api("/photos/xyz"))
        .header(ACCEPT_LANGUAGE, "en")
        .body(bytes.clone())
        .send()
        .await
        .expect("sent");
    let body = expect_error(english, StatusCode::BAD_REQUEST, "bad_hash").await;
    assert_eq!(body.message, ApiError::BadHash.message(Lang::En));

    assert!(app.kept_photos().await.is_empty());
}

#[tokio::test]
async fn twenty_phones_sending_one_photo_at_once_leave_one_file_and_one_row() {
    let app = spawn_app().await;
    let bytes = jpeg_with(&vec![42; 200 * 1024]);
    let hash = sha256(&bytes);

    let sends = (0..20).map(|_| app.put_photo(&hash, bytes.clone()));
    let responses = futures::future::join_all(sends).await;

    let mut created = 0;
    for response in responses {
        let status = response.status();
        let reply: PhotoReply = response.json().await.expect("PhotoReply JSON");
        match (status, reply.status) {
            (StatusCode::CREATED, PhotoStatus::Created) => created += 1,
            (StatusCode::OK, PhotoStatus::Held) => {}
            other => panic!("unexpected answer {other:?}"),
        }
        assert_eq!(reply.received, bytes.len() as u64);
    }
    // The rename into place refuses to replace a file, so exactly one request creates it.
    assert_eq!(created, 1);
    assert_eq!(app.kept_photos().await, vec![hash.clone()]);
    assert_eq!(app.kept_photo(&hash).await.expect("photo file"), bytes);
    assert_eq!(app.photo_rows().await.len(), 1);
    assert!(app.files_in_tmp().is_empty());
    app.assert_healthy().await;
}

#[tokio::test]
async fn a_disk_that_cannot_be_written_is_503_with_retry_after() {
    let app = spawn_app().await;
    // The temp folder is replaced by a file, so no temp file can be made in it (root too).
    let tmp = app.data.path().join("tmp");
    std::fs::remove_dir(&tmp).expect("tmp removed");
    std::fs::write(&tmp, b"in the way").expect("file in the way");
    let bytes = jpeg();

    let response = app.put_photo(&sha256(&bytes), bytes.clone()).await;

    let retry_after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    expect_error(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    assert!(retry_after.and_then(|v| v.parse::<u32>().ok()).is_some_and(|secs| secs > 0), "Retry-After in seconds");
    assert!(app.kept_photos().await.is_empty());
    app.assert_healthy().await;

    std::fs::remove_file(&tmp).expect("file removed");
    std::fs::create_dir(&tmp).expect("tmp back");
    reply(app.put_photo(&sha256(&bytes), bytes).await, StatusCode::CREATED).await;
}
