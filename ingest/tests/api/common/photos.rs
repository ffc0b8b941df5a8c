//! Photos for tests and the calls a phone makes with them: whole, in pieces, by hand on a raw
//! connection (to stop half way), and a visit that names them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE};
use reqwest::{Response, StatusCode};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tongxing_core::form::AnswerValue;
use tongxing_core::photo::{PhotoHash, PhotoNote, UploadPiece};
use tongxing_core::wire::{PhotoReply, PhotoStatus};
use tongxing_core::Visit;

use super::TestApp;

/// A tiny JPEG as far as sniffing goes: SOI, a JFIF APP0 segment, `filler` bytes, EOI.
pub fn jpeg_with(filler: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];
    bytes.extend_from_slice(&[0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    bytes.extend_from_slice(filler);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

/// A small JPEG of its own (random filler, so its own hash).
pub fn jpeg() -> Vec<u8> {
    jpeg_with(uuid::Uuid::new_v4().as_bytes())
}

/// A JPEG of exactly `len` bytes whose filler is no pattern (so a byte out of place shows).
pub fn jpeg_of_len(len: usize) -> Vec<u8> {
    let seed = uuid::Uuid::new_v4();
    let mut filler = Vec::with_capacity(len);
    let mut block = 0u64;
    while filler.len() < len.saturating_sub(jpeg_with(&[]).len()) {
        filler.extend_from_slice(
            &Sha256::new().chain_update(seed.as_bytes()).chain_update(block.to_le_bytes()).finalize(),
        );
        block += 1;
    }
    filler.truncate(len - jpeg_with(&[]).len());
    jpeg_with(&filler)
}

/// A PNG signature and the start of an IHDR chunk, then random bytes.
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes
}

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_of(bytes: &[u8]) -> PhotoHash {
    PhotoHash::of_bytes(bytes)
}

/// The same visit, with the guardian's consent and `photos` as its photo slot's answer.
pub fn with_photos(visit: &Visit, photos: &[&[u8]]) -> Visit {
    let mut visit = visit.clone();
    let taken_at = Utc.with_ymd_and_hms(2026, 11, 20, 2, 15, 0).single().expect("a time");
    let notes = photos
        .iter()
        .enumerate()
        .map(|(i, bytes)| PhotoNote {
            caption: format!("第{}张：厨房", i + 1),
            ..PhotoNote::new(hash_of(bytes), taken_at)
        })
        .collect();
    visit.answers.set("photo_consent", AnswerValue::Bool(true));
    visit.answers.set("photos", AnswerValue::Photos(notes));
    visit
}

/// Asserts the status, then reads the photo reply.
pub async fn photo_reply(response: Response, status: StatusCode) -> PhotoReply {
    assert_eq!(response.status(), status);
    response.json().await.expect("PhotoReply JSON")
}

/// A request written by hand on a connection of its own, answered or dropped by the test.
pub struct RawRequest {
    stream: TcpStream,
}

impl RawRequest {
    /// Sends more of the body.
    pub async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.expect("body written");
        self.stream.flush().await.expect("flushed");
    }

    /// Reads the answer to its end (the request asked the server to close): status and body.
    pub async fn answer(mut self) -> (u16, String) {
        let mut answer = Vec::new();
        let _ = self.stream.read_to_end(&mut answer).await; // a reset after the answer is fine
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.get(9..12).and_then(|code| code.parse().ok()).unwrap_or_else(|| panic!("{answer}"));
        let body = answer.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
        (status, body)
    }

    /// Hangs up, as a phone losing its network does (the bytes sent still arrive).
    pub fn cut(self) {
        drop(self.stream);
    }
}

impl TestApp {
    /// Sends `photo` whole; the server answers `201`. (Once in `photo_cleanup` and
    /// `visit_photos` each, which one test binary cannot hold twice.)
    pub async fn send_photo(&self, photo: &[u8]) {
        photo_reply(self.put_photo(&sha256(photo), photo.to_vec()).await, StatusCode::CREATED).await;
    }

    /// `PUT /api/v1/photos/{hash}`, the whole photo.
    pub async fn put_photo(&self, hash: &str, bytes: Vec<u8>) -> Response {
        self.client
            .put(self.api(&format!("/photos/{hash}")))
            .header(CONTENT_TYPE, "image/jpeg")
            .body(bytes)
            .send()
            .await
            .expect("request sent")
    }

    /// `PUT /api/v1/photos/{hash}` with `Content-Range: <content_range>` and `body`.
    pub async fn put_raw_piece(&self, hash: &str, content_range: &str, body: Vec<u8>) -> Response {
        self.client
            .put(self.api(&format!("/photos/{hash}")))
            .header(CONTENT_TYPE, "image/jpeg")
            .header(CONTENT_RANGE, content_range)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// The piece `range` of `photo`, addressed to `hash`.
    pub async fn put_piece(&self, hash: &str, photo: &[u8], range: Range<u64>) -> Response {
        let piece = UploadPiece { range, size: photo.len() as u64 };
        let bytes = photo[piece.range.start as usize..piece.range.end as usize].to_vec();
        self.put_raw_piece(hash, &piece.content_range(), bytes).await
    }

    /// Sends the rest of `photo` in pieces as the phone does, from what the server holds;
    /// returns the last reply.
    pub async fn send_in_pieces(&self, photo: &[u8]) -> PhotoReply {
        let hash = sha256(photo);
        let mut reply = self.upload_status(&hash).await;
        while reply.status != PhotoStatus::Held {
            let Some(piece) = UploadPiece::after(reply.received, photo.len() as u64) else {
                break;
            };
            let response = self.put_piece(&hash, photo, piece.range.clone()).await;
            let expected = if piece.is_last() { StatusCode::CREATED } else { StatusCode::ACCEPTED };
            reply = photo_reply(response, expected).await;
            assert_eq!(reply.received, piece.range.end);
        }
        reply
    }

    /// `GET /api/v1/photos/{hash}/upload`, expecting `200`.
    pub async fn upload_status(&self, hash: &str) -> PhotoReply {
        photo_reply(self.get_upload_status(hash).await, StatusCode::OK).await
    }

    pub async fn get_upload_status(&self, hash: &str) -> Response {
        self.client.get(self.api(&format!("/photos/{hash}/upload"))).send().await.expect("request sent")
    }

    /// Starts a piece by hand: the headers (with `Expect: 100-continue`), then waits for the
    /// server's go-ahead, which it gives only once it has taken the photo's turn and checked
    /// the piece. The body is up to the test.
    pub async fn start_piece(&self, hash: &str, content_range: &str, length: usize) -> RawRequest {
        let token = &self.token;
        let mut stream = TcpStream::connect(self.url.trim_start_matches("http://")).await.expect("connect");
        let head = format!(
            "PUT /api/v1/photos/{hash} HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\n\
             Authorization: Bearer {token}\r\nContent-Range: {content_range}\r\nContent-Length: {length}\r\nExpect: 100-continue\r\n\
             Connection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.expect("headers written");
        let mut seen = Vec::new();
        while !seen.ends_with(b"\r\n\r\n") {
            let byte = stream.read_u8().await.expect("the server answers");
            seen.push(byte);
        }
        let seen = String::from_utf8_lossy(&seen);
        assert!(seen.starts_with("HTTP/1.1 100"), "the server goes ahead: {seen}");
        RawRequest { stream }
    }

    /// Where the photo folder keeps the photo `hash` (a test of the folder's own files).
    pub fn photo_path(&self, hash: &str) -> PathBuf {
        self.data.path().join("photos").join(&hash[..2]).join(hash)
    }

    /// Where the photo folder keeps the upload in pieces of `hash`.
    pub fn partial_path(&self, hash: &str) -> PathBuf {
        self.data.path().join("partial").join(hash)
    }

    /// The photo `hash` where the server keeps it, if it does ([`kept_photo`]).
    pub async fn kept_photo(&self, hash: &str) -> Option<Vec<u8>> {
        kept_photo(self.data.path(), hash).await
    }

    /// The hashes of the photos the server keeps, sorted.
    pub async fn kept_photos(&self) -> Vec<String> {
        let store = super::photo_store(self.data.path());
        let mut hashes: Vec<String> = match store.bucket() {
            Some(bucket) => bucket.photo_hashes().await.expect("listed").iter().map(|h| h.to_string()).collect(),
            None => match std::fs::read_dir(self.data.path().join("photos")) {
                Err(_) => Vec::new(),
                Ok(shards) => shards
                    .flat_map(|shard| std::fs::read_dir(shard.expect("a shard").path()).expect("a shard"))
                    .map(|file| file.expect("a file").file_name().to_string_lossy().into_owned())
                    .collect(),
            },
        };
        hashes.sort();
        hashes
    }

    /// The bytes of the upload in pieces of `hash` that the server keeps, if any
    /// ([`staged_upload`]).
    pub async fn staged_upload(&self, hash: &str) -> Option<Vec<u8>> {
        staged_upload(self.data.path(), hash).await
    }

    /// The `photos` rows: (sha256, bytes, content type).
    pub async fn photo_rows(&self) -> Vec<(String, i64, String)> {
        let pool = self.pool().await;
        let rows = sqlx::query_as("SELECT sha256, bytes, content_type FROM photos ORDER BY sha256")
            .fetch_all(&pool)
            .await
            .expect("photos read");
        pool.close().await;
        rows
    }

    /// The `photo_uploads` rows: (sha256, size, received).
    pub async fn upload_rows(&self) -> Vec<(String, i64, i64)> {
        let pool = self.pool().await;
        let rows = sqlx::query_as("SELECT sha256, size, received FROM photo_uploads ORDER BY sha256")
            .fetch_all(&pool)
            .await
            .expect("uploads read");
        pool.close().await;
        rows
    }
}

/// The photo `hash` where the server of `data_dir` keeps it (its folder, or the suite's
/// bucket), if it does.
pub async fn kept_photo(data_dir: &Path, hash: &str) -> Option<Vec<u8>> {
    let hash = PhotoHash::parse(hash).expect("a hash");
    let store = super::photo_store(data_dir);
    match store.bucket() {
        Some(bucket) => bucket.photo(&hash).await.expect("the bucket answers").map(|bytes| bytes.to_vec()),
        None => std::fs::read(store.path_of(&hash)).ok(),
    }
}

/// The bytes of the upload in pieces of `hash` that the server of `data_dir` keeps (its
/// partial file, or its pieces in the bucket up to what its row counts), if it keeps any.
pub async fn staged_upload(data_dir: &Path, hash: &str) -> Option<Vec<u8>> {
    let hash = PhotoHash::parse(hash).expect("a hash");
    let store = super::photo_store(data_dir);
    let Some(bucket) = store.bucket() else {
        return std::fs::read(store.partial_path_of(&hash)).ok();
    };
    if !bucket.has_pieces(&hash).await.expect("listed") {
        return None;
    }
    let pool = super::open_db(data_dir).await;
    let received: Option<i64> = sqlx::query_scalar("SELECT received FROM photo_uploads WHERE sha256 = $1")
        .bind(hash.as_str())
        .fetch_optional(&pool)
        .await
        .expect("read");
    pool.close().await;
    let mut bytes = Vec::new();
    let read = bucket.read_pieces(&hash, u64::try_from(received.unwrap_or(0)).expect("a count"), |piece| {
        bytes.extend_from_slice(piece);
        Ok(())
    });
    assert!(read.await.expect("the bucket answers"), "the pieces cover what the row counts");
    Some(bytes)
}
