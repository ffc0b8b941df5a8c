//! A photo sent in pieces (`PUT /api/v1/photos/{sha256}` with `Content-Range`) and the
//! status of an upload (`GET /api/v1/photos/{sha256}/upload`) on a real server: in order to
//! the end, resumed after a cut, across a restart, refused pieces, and two senders at once.

use crate::common;

use std::time::Duration;

use common::photos::{jpeg, jpeg_of_len, photo_reply, sha256};
use common::{expect_error, spawn_app, spawn_app_with, AppOptions};
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use reqwest::{Method, StatusCode};
use tongxing_core::photo::{PhotoHash, PIECE_BYTES};
use tongxing_core::wire::{ErrorBody, PhotoReply, PhotoStatus};

/// A photo of three pieces and a bit: 64 KiB + 64 KiB + 64 KiB + 1000 bytes.
fn four_piece_photo() -> Vec<u8> {
    jpeg_of_len(3 * PIECE_BYTES as usize + 1000)
}

fn partial(hash: &str, received: u64, size: u64) -> PhotoReply {
    PhotoReply { sha256: PhotoHash::parse(hash).unwrap(), status: PhotoStatus::Partial, received, size: Some(size) }
}

#[tokio::test]
async fn pieces_in_order_make_the_photo_byte_for_byte() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let (hash, size) = (sha256(&photo), photo.len() as u64);

    let first = photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    assert_eq!(first, partial(&hash, PIECE_BYTES, size));
    assert_eq!(app.upload_status(&hash).await, partial(&hash, PIECE_BYTES, size));
    assert_eq!(app.upload_rows().await, vec![(hash.clone(), size as i64, PIECE_BYTES as i64)]);
    assert!(app.kept_photo(&hash).await.is_none(), "not a photo until whole");

    let last = app.send_in_pieces(&photo).await;

    assert_eq!(last.status, PhotoStatus::Created);
    assert_eq!((last.received, last.size), (size, Some(size)));
    assert_eq!(app.kept_photo(&hash).await.expect("photo file"), photo);
    assert_eq!(app.photo_rows().await, vec![(hash.clone(), size as i64, "image/jpeg".to_owned())]);
    assert!(app.upload_rows().await.is_empty(), "the upload is over");
    assert!(app.staged_upload(&hash).await.is_none());
    let held = app.upload_status(&hash).await;
    assert_eq!((held.status, held.received, held.size), (PhotoStatus::Held, size, Some(size)));
    let again = photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::OK).await;
    assert_eq!(again.status, PhotoStatus::Held, "a piece of a photo held whole is answered at once");
}

#[tokio::test]
async fn a_piece_cut_short_keeps_what_came_and_the_phone_resumes_there() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let (hash, size) = (sha256(&photo), photo.len() as u64);
    photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;

    // The second piece: headers, half its bytes, then the network goes.
    let second = PIECE_BYTES..2 * PIECE_BYTES;
    let mut request = app
        .start_piece(&hash, &format!("bytes {}-{}/{size}", second.start, second.end - 1), PIECE_BYTES as usize)
        .await;
    let half = PIECE_BYTES / 2 + 123;
    request.send(&photo[second.start as usize..(second.start + half) as usize]).await;
    request.cut();

    let status = app.upload_status(&hash).await;
    assert_eq!(status, partial(&hash, PIECE_BYTES + half, size), "the bytes that came are held, and said so");
    let kept = app.staged_upload(&hash).await.expect("partial file");
    assert_eq!(kept, photo[..(PIECE_BYTES + half) as usize], "exactly the bytes sent");
    let resent = app.put_piece(&hash, &photo, second.clone()).await;
    let refused = expect_error(resent, StatusCode::CONFLICT, "upload_offset").await;
    assert_eq!(refused.received, Some(PIECE_BYTES + half), "bytes the server holds are not sent again");

    let last = app.send_in_pieces(&photo).await;

    assert_eq!(last.status, PhotoStatus::Created);
    assert_eq!(app.kept_photo(&hash).await.expect("photo file"), photo);
}

#[tokio::test]
async fn an_upload_in_pieces_survives_a_restart() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let hash = sha256(&photo);
    photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    let data = app.stop().await;

    let app = spawn_app_with(AppOptions { data: Some(data), ..AppOptions::default() }).await;

    assert_eq!(app.upload_status(&hash).await, partial(&hash, PIECE_BYTES, photo.len() as u64));
    assert_eq!(app.send_in_pieces(&photo).await.status, PhotoStatus::Created);
    assert_eq!(app.kept_photo(&hash).await.expect("photo file"), photo);
}

#[tokio::test]
async fn a_piece_that_does_not_start_where_the_bytes_end_is_409_with_where_they_end() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let hash = sha256(&photo);

    let ahead = expect_error(
        app.put_piece(&hash, &photo, PIECE_BYTES..2 * PIECE_BYTES).await,
        StatusCode::CONFLICT,
        "upload_offset",
    )
    .await;
    assert_eq!(ahead.received, Some(0), "nothing held yet");
    photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    for wrong in [0..PIECE_BYTES, 10..PIECE_BYTES, 2 * PIECE_BYTES..3 * PIECE_BYTES] {
        let body =
            expect_error(app.put_piece(&hash, &photo, wrong.clone()).await, StatusCode::CONFLICT, "upload_offset")
                .await;
        assert_eq!(body.received, Some(PIECE_BYTES), "{wrong:?}");
    }

    assert_eq!(app.upload_status(&hash).await, partial(&hash, PIECE_BYTES, photo.len() as u64), "untouched");
    assert_eq!(app.staged_upload(&hash).await.expect("partial"), photo[..PIECE_BYTES as usize]);
}

#[tokio::test]
async fn another_size_than_the_upload_s_or_an_unreadable_range_is_bad_range() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let (hash, size) = (sha256(&photo), photo.len() as u64);
    photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    let next = photo[PIECE_BYTES as usize..2 * PIECE_BYTES as usize].to_vec();

    let other_size = format!("bytes {}-{}/{}", PIECE_BYTES, 2 * PIECE_BYTES - 1, size + 1);
    expect_error(app.put_raw_piece(&hash, &other_size, next.clone()).await, StatusCode::BAD_REQUEST, "bad_range").await;
    for unreadable in [
        "bytes 65536-131071",
        "bytes */100000",
        "bytes 10-5/100000",
        "bytes 0-99999/99999",
        "items 0-1/2",
        "bytes=0-1/2",
    ] {
        let response = app.put_raw_piece(&hash, unreadable, next.clone()).await;
        expect_error(response, StatusCode::BAD_REQUEST, "bad_range").await;
    }
    // A body longer than its range, as declared, and as streamed without a length.
    let longer = format!("bytes {}-{}/{size}", PIECE_BYTES, PIECE_BYTES + 9);
    expect_error(app.put_raw_piece(&hash, &longer, next.clone()).await, StatusCode::BAD_REQUEST, "bad_range").await;
    let stream = futures::stream::iter([Ok::<_, std::io::Error>(next.clone())]);
    let chunked = app
        .client
        .put(app.api(&format!("/photos/{hash}")))
        .header(reqwest::header::CONTENT_RANGE, &longer)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .expect("sent");
    expect_error(chunked, StatusCode::BAD_REQUEST, "bad_range").await;

    assert_eq!(app.upload_status(&hash).await, partial(&hash, PIECE_BYTES, size), "untouched");
    assert_eq!(app.send_in_pieces(&photo).await.status, PhotoStatus::Created, "and it goes on from there");
}

#[tokio::test]
async fn a_size_over_the_limit_is_413_at_once() {
    let limit = 100_000;
    let app = spawn_app_with(AppOptions { max_photo_bytes: Some(limit), ..AppOptions::default() }).await;
    let photo = jpeg_of_len(limit as usize + 1);
    let hash = sha256(&photo);

    expect_error(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large").await;

    assert_eq!(app.upload_status(&hash).await.status, PhotoStatus::Absent);
    assert!(app.upload_rows().await.is_empty());
    let at_limit = jpeg_of_len(limit as usize);
    assert_eq!(app.send_in_pieces(&at_limit).await.status, PhotoStatus::Created);
}

#[tokio::test]
async fn a_first_piece_that_is_no_image_is_415_and_leaves_nothing() {
    let app = spawn_app().await;
    let letter = b"Dear grandmother, this is a letter and not a photo of one. ".repeat(2000);
    let hash = sha256(&letter);

    let response = app.put_piece(&hash, &letter, 0..PIECE_BYTES).await;

    expect_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image").await;
    assert_eq!(app.upload_status(&hash).await.status, PhotoStatus::Absent);
    assert!(app.upload_rows().await.is_empty());
    assert!(app.staged_upload(&hash).await.is_none());
}

#[tokio::test]
async fn pieces_that_do_not_hash_to_the_address_are_refused_and_dropped() {
    let app = spawn_app().await;
    let (photo, other) = (four_piece_photo(), four_piece_photo());
    let hash = sha256(&other);

    let mut received = 0;
    let mut last = None;
    while received < photo.len() as u64 {
        let end = (received + PIECE_BYTES).min(photo.len() as u64);
        last = Some(app.put_piece(&hash, &photo, received..end).await);
        received = end;
    }

    expect_error(last.expect("pieces sent"), StatusCode::BAD_REQUEST, "hash_mismatch").await;
    assert_eq!(app.upload_status(&hash).await.status, PhotoStatus::Absent, "the phone starts over");
    assert!(app.staged_upload(&hash).await.is_none());
    assert!(app.kept_photo(&hash).await.is_none());
    assert!(app.photo_rows().await.is_empty() && app.upload_rows().await.is_empty());
}

/// Two tabs (or phones) sending the same first piece: the second waits for the first, then
/// finds its bytes there; the bytes are never interleaved.
#[tokio::test]
async fn pieces_of_one_photo_take_turns() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let (hash, size) = (sha256(&photo), photo.len() as u64);
    let first_piece = &photo[..PIECE_BYTES as usize];

    let mut first = app.start_piece(&hash, &format!("bytes 0-{}/{size}", PIECE_BYTES - 1), PIECE_BYTES as usize).await;
    first.send(&first_piece[..1000]).await;
    let second = tokio::spawn({
        let (client, url) = (app.client.clone(), app.api(&format!("/photos/{hash}")));
        let body = first_piece.to_vec();
        async move {
            client
                .put(url)
                .header(reqwest::header::CONTENT_RANGE, format!("bytes 0-{}/{size}", PIECE_BYTES - 1))
                .body(body)
                .send()
                .await
                .expect("sent")
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second sender waits for the first");
    let other = jpeg();
    photo_reply(app.put_photo(&sha256(&other), other).await, StatusCode::CREATED).await;
    assert!(!second.is_finished(), "other photos do not wait");

    first.send(&first_piece[1000..]).await;
    let (status, body) = first.answer().await;

    assert_eq!(status, 202, "{body}");
    let reply: PhotoReply = serde_json::from_str(&body).expect("PhotoReply");
    assert_eq!(reply, partial(&hash, PIECE_BYTES, size));
    let refused = expect_error(second.await.expect("task"), StatusCode::CONFLICT, "upload_offset").await;
    assert_eq!(refused.received, Some(PIECE_BYTES));
    assert_eq!(app.staged_upload(&hash).await.expect("partial"), first_piece);
}

#[tokio::test]
async fn the_status_of_an_upload_says_absent_partial_or_held() {
    let app = spawn_app().await;
    let photo = four_piece_photo();
    let (hash, size) = (sha256(&photo), photo.len() as u64);

    let absent = app.upload_status(&hash).await;
    assert_eq!(
        absent,
        PhotoReply { sha256: PhotoHash::parse(&hash).unwrap(), status: PhotoStatus::Absent, received: 0, size: None }
    );
    photo_reply(app.put_piece(&hash, &photo, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    assert_eq!(app.upload_status(&hash).await, partial(&hash, PIECE_BYTES, size));
    photo_reply(app.put_photo(&hash, photo.clone()).await, StatusCode::CREATED).await;
    let held = app.upload_status(&hash).await;
    assert_eq!((held.status, held.received, held.size), (PhotoStatus::Held, size, Some(size)));
    assert!(
        app.upload_rows().await.is_empty() && app.staged_upload(&hash).await.is_none(),
        "the whole photo ends the upload"
    );

    for bad in [hash.to_uppercase(), hash[..63].to_owned(), "nope".to_owned()] {
        let body: ErrorBody =
            expect_error(app.get_upload_status(&bad).await, StatusCode::BAD_REQUEST, "bad_hash").await;
        assert!(body.received.is_none());
    }
}

#[tokio::test]
async fn a_page_on_another_origin_may_send_pieces() {
    let app = spawn_app().await;
    let hash = sha256(&jpeg());

    let preflight = app
        .client
        .request(Method::OPTIONS, app.api(&format!("/photos/{hash}")))
        .header(ORIGIN, "https://app.example.org")
        .header(ACCESS_CONTROL_REQUEST_METHOD, "PUT")
        .header(ACCESS_CONTROL_REQUEST_HEADERS, "content-range,content-type")
        .send()
        .await
        .expect("sent");

    assert!(preflight.status().is_success(), "{}", preflight.status());
    let header = |name| preflight.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    assert!(header(ACCESS_CONTROL_ALLOW_HEADERS).contains("content-range"), "{}", header(ACCESS_CONTROL_ALLOW_HEADERS));
    let methods = header(ACCESS_CONTROL_ALLOW_METHODS);
    assert!(methods.contains("put") && methods.contains("get"), "{methods}");
}
