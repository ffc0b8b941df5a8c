//! `PUT /api/v1/visits/{id}` for a visit with photos: stored only once the server holds all
//! of them whole (`409 missing_photos` names the others), and indexed with the visit.

use crate::common;

use common::photos::{hash_of, jpeg, jpeg_of_len, photo_reply, sha256, with_photos};
use common::{expect_error, revised, spawn_app, visit, with_actions, TestApp};
use reqwest::header::ACCEPT_LANGUAGE;
use reqwest::StatusCode;
use tongxing_core::photo::PIECE_BYTES;
use tongxing_core::wire::{PutReply, PutStatus};
use tongxing_core::Lang;
use tongxing_ingest::ApiError;

async fn put_reply(response: reqwest::Response, status: StatusCode) -> PutReply {
    assert_eq!(response.status(), status);
    response.json().await.expect("PutReply JSON")
}

impl TestApp {
    /// The `visit_photos` rows: (visit id, revision, sha256).
    async fn visit_photo_rows(&self) -> Vec<(String, i64, String)> {
        let pool = self.pool().await;
        let rows =
            sqlx::query_as("SELECT visit_id, revision, sha256 FROM visit_photos ORDER BY visit_id, revision, sha256")
                .fetch_all(&pool)
                .await
                .expect("index read");
        pool.close().await;
        rows
    }
}

#[tokio::test]
async fn a_visit_waits_for_its_photos_then_is_stored_with_them() {
    let app = spawn_app().await;
    let (sent, unsent, half_sent) = (jpeg(), jpeg(), jpeg_of_len(2 * PIECE_BYTES as usize));
    app.send_photo(&sent).await;
    photo_reply(app.put_piece(&sha256(&half_sent), &half_sent, 0..PIECE_BYTES).await, StatusCode::ACCEPTED).await;
    let visit = with_photos(&visit(), &[&sent, &unsent, &half_sent]);

    let refused = expect_error(app.put_visit(&visit).await, StatusCode::CONFLICT, "missing_photos").await;

    let mut missing = vec![hash_of(&unsent), hash_of(&half_sent)];
    missing.sort();
    assert_eq!(refused.missing, missing, "exactly the photos not held whole");
    app.assert_nothing_stored().await;
    assert!(app.visit_photo_rows().await.is_empty());

    app.send_photo(&unsent).await;
    app.send_in_pieces(&half_sent).await;
    let stored = put_reply(app.put_visit(&visit).await, StatusCode::CREATED).await;

    assert_eq!(stored, PutReply { id: visit.id, status: PutStatus::Created, revision: 1 });
    assert_eq!(app.current_visits().await[0].record, visit);
    let mut indexed: Vec<(String, i64, String)> =
        [&sent, &unsent, &half_sent].iter().map(|p| (visit.id.to_string(), 1, sha256(p))).collect();
    indexed.sort();
    assert_eq!(app.visit_photo_rows().await, indexed);

    // Sent again after success (the phone did not hear the answer): unchanged, as ever.
    let again = put_reply(app.put_visit(&visit).await, StatusCode::OK).await;
    assert_eq!(again.status, PutStatus::Unchanged);
}

#[tokio::test]
async fn a_newer_revision_or_a_conflict_needs_its_photos_too() {
    let app = spawn_app().await;
    let (first, added) = (jpeg(), jpeg());
    app.send_photo(&first).await;
    let visit = with_photos(&visit(), &[&first]);
    put_reply(app.put_visit(&visit).await, StatusCode::CREATED).await;

    let newer = with_photos(&revised(&visit, "又拍了一张"), &[&first, &added]);
    let refused = expect_error(app.put_visit(&newer).await, StatusCode::CONFLICT, "missing_photos").await;
    assert_eq!(refused.missing, [hash_of(&added)]);
    let conflicting = with_photos(&with_actions(&visit, "另一台手机"), &[&added]);
    let refused = expect_error(app.put_visit(&conflicting).await, StatusCode::CONFLICT, "missing_photos").await;
    assert_eq!(refused.missing, [hash_of(&added)]);
    assert_eq!(app.history().await.len(), 1, "nothing stored");
    assert!(app.conflicts_of::<tongxing_core::Visit>().await.is_empty());

    app.send_photo(&added).await;
    assert_eq!(put_reply(app.put_visit(&conflicting).await, StatusCode::OK).await.status, PutStatus::Conflict);
    assert_eq!(put_reply(app.put_visit(&newer).await, StatusCode::OK).await.status, PutStatus::Updated);
    let id = visit.id.to_string();
    let mut expected =
        vec![(id.clone(), 1, sha256(&first)), (id.clone(), 2, sha256(&first)), (id.clone(), 2, sha256(&added))];
    // The conflict (revision 1, other content) names `added` too.
    expected.push((id, 1, sha256(&added)));
    expected.sort();
    assert_eq!(app.visit_photo_rows().await, expected, "every stored revision, conflicts included");
}

#[tokio::test]
async fn the_refusal_is_a_sentence_in_the_language_asked_for() {
    let app = spawn_app().await;
    let visit = with_photos(&visit(), &[&jpeg()]);

    let response = app
        .client
        .put(app.api(&format!("/visits/{}", visit.id)))
        .header(ACCEPT_LANGUAGE, "en")
        .json(&visit)
        .send()
        .await
        .expect("sent");

    let body = expect_error(response, StatusCode::CONFLICT, "missing_photos").await;
    assert_eq!(body.message, ApiError::MissingPhotos(Vec::new()).message(Lang::En));
    assert_eq!(body.missing.len(), 1);
    let chinese = expect_error(app.put_visit(&visit).await, StatusCode::CONFLICT, "missing_photos").await;
    assert!(common::is_chinese(&chinese.message), "{}", chinese.message);
}
