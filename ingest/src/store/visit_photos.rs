//! The photos a stored visit names, as the index `visit_photos` keeps them (one row per
//! visit, revision and photo), read and written inside the transaction that stores the visit:
//! a visit is stored only when the server holds all its photos whole, and the cleanup keeps
//! every photo the index names.
//!
//! The photos are bound as one JSON array and read back with `json_each`, so the statements
//! stay fixed whatever the number of photos.

use std::collections::HashSet;

use sqlx::{AnyConnection, AssertSqlSafe};
use tongxing_core::photo::PhotoHash;

use tongxing_core::worker::Place;

use crate::store::db::StorageError;
use crate::store::photo_places;

/// The photos among `hashes` that the server does not hold whole for `place` (held, and
/// the place's or no place's: [`crate::store::photo_places`]), in their order.
pub async fn missing(
    conn: &mut AnyConnection,
    hashes: &[PhotoHash],
    place: &Place,
) -> Result<Vec<PhotoHash>, StorageError> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT named.value FROM json_each($1) AS named \
         WHERE NOT EXISTS (SELECT 1 FROM photos WHERE photos.sha256 = named.value) OR NOT {}",
        photo_places::usable_by_sql("named.value", 2, 3)
    );
    let lacking: HashSet<String> = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(as_json(hashes)?)
        .bind(&place.township)
        .bind(&place.village)
        .fetch_all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(hashes.iter().filter(|hash| lacking.contains(hash.as_str())).cloned().collect())
}

/// Notes in `index` (a fixed table name from this crate, such as `visit_photos`) that
/// revision `revision` of the record `id` names `hashes`; noting it again adds nothing.
pub async fn note(
    conn: &mut AnyConnection,
    index: &'static str,
    id: &str,
    revision: u32,
    hashes: &[PhotoHash],
) -> Result<(), StorageError> {
    if hashes.is_empty() {
        return Ok(());
    }
    sqlx::query(AssertSqlSafe(format!(
        // `WHERE true` tells SQLite's parser that ON CONFLICT is the upsert, not a join's.
        "INSERT INTO {index} (visit_id, revision, sha256) SELECT $1, $2, value FROM json_each($3) WHERE true \
         ON CONFLICT DO NOTHING"
    )))
    .bind(id)
    .bind(i64::from(revision))
    .bind(as_json(hashes)?)
    .execute(conn)
    .await?;
    Ok(())
}

fn as_json(hashes: &[PhotoHash]) -> Result<String, StorageError> {
    serde_json::to_string(hashes)
        .map_err(|error| StorageError::Corrupt { what: "photo hashes".to_owned(), detail: error.to_string() })
}

#[cfg(test)]
mod tests {
    use sqlx::Connection;

    use super::*;
    use crate::store::db;

    #[tokio::test]
    async fn only_photos_held_whole_count_and_notes_are_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let (held, lacking) = (PhotoHash::of_bytes(b"held"), PhotoHash::of_bytes(b"lacking"));
        sqlx::query("INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES ($1, 3, 'image/jpeg', 'x')")
            .bind(held.as_str())
            .execute(&pool)
            .await
            .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let both = [held.clone(), lacking.clone()];
        let here = Place { township: "石门镇".into(), village: "桃源村".into() };
        let there = Place { township: "白沙镇".into(), village: "桃源村".into() };
        assert_eq!(missing(&mut conn, &both, &here).await.unwrap(), std::slice::from_ref(&lacking));
        assert!(missing(&mut conn, std::slice::from_ref(&held), &here).await.unwrap().is_empty());
        assert!(missing(&mut conn, &[], &here).await.unwrap().is_empty());
        // Once it is a place's, it is held for that place only.
        photo_places::claim(&mut conn, std::slice::from_ref(&held), &here).await.unwrap();
        assert!(missing(&mut conn, std::slice::from_ref(&held), &here).await.unwrap().is_empty());
        assert_eq!(missing(&mut conn, std::slice::from_ref(&held), &there).await.unwrap(), std::slice::from_ref(&held));

        let mut tx = conn.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO visits (id, revision, child_id, form_id, form_version, visit_date, mandatory_report, body, \
             updated_at, received_at) VALUES ('v', 1, 'c', 'home_visit', 1, '2026-11-20', 0, '{}', 'x', 'x')",
        )
        .execute(&mut *tx)
        .await
        .unwrap();
        for _ in 0..2 {
            note(&mut tx, "visit_photos", "v", 1, &both).await.unwrap();
        }
        tx.commit().await.unwrap();
        let noted: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT visit_id, revision, sha256 FROM visit_photos ORDER BY sha256")
                .fetch_all(&pool)
                .await
                .unwrap();
        let mut expected = vec![held.to_string(), lacking.to_string()];
        expected.sort();
        assert_eq!(noted, expected.into_iter().map(|h| ("v".to_owned(), 1, h)).collect::<Vec<_>>());
    }

    /// Visits stored before the index existed are indexed by its migration, so that the
    /// cleanup never takes their photos for unneeded ones.
    #[tokio::test]
    async fn the_migration_indexes_the_visits_already_held() {
        use sqlx::sqlite::SqliteConnectOptions;
        use tongxing_core::fixtures::sample_visit;
        use tongxing_core::form::AnswerValue;
        use tongxing_core::photo::PhotoNote;

        let dir = tempfile::tempdir().unwrap();
        let old = sqlx::SqlitePool::connect_with(
            SqliteConnectOptions::new().filename(db::database_path(dir.path())).create_if_missing(true),
        )
        .await
        .unwrap();
        db::MIGRATOR.run_to(4, &old).await.unwrap();
        let (a, b, c) = (PhotoHash::of_bytes(b"a"), PhotoHash::of_bytes(b"b"), PhotoHash::of_bytes(b"c"));
        let with_photos = |hashes: &[&PhotoHash]| {
            let mut visit = sample_visit();
            let notes = hashes.iter().map(|h| PhotoNote::new((*h).clone(), chrono::Utc::now())).collect();
            visit.answers.set("photo_consent", AnswerValue::Bool(true));
            visit.answers.set("photos", AnswerValue::Photos(notes));
            serde_json::to_string(&visit).unwrap()
        };
        let id = sample_visit().id.to_string();
        let (held, conflict) = (with_photos(&[&a, &b]), with_photos(&[&c]));
        sqlx::query(
            "INSERT INTO visits (id, revision, child_id, form_id, form_version, visit_date, mandatory_report, body, \
             updated_at, received_at) VALUES ($1, 1, 'c', 'home_visit', 1, '2026-11-20', 0, $2, 'x', 'x')",
        )
        .bind(&id)
        .bind(&held)
        .execute(&old)
        .await
        .unwrap();
        for (table, body) in [("visit_revisions", &held), ("visit_conflicts", &conflict)] {
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {table} (id, revision, body, received_at) VALUES ($1, 1, $2, 'x')"
            )))
            .bind(&id)
            .bind(body)
            .execute(&old)
            .await
            .unwrap();
        }
        old.close().await;

        let pool = db::open(dir.path()).await.unwrap();
        let indexed: Vec<String> =
            sqlx::query_scalar("SELECT sha256 FROM visit_photos WHERE visit_id = $1 AND revision = 1 ORDER BY sha256")
                .bind(&id)
                .fetch_all(&pool)
                .await
                .unwrap();
        let mut expected = vec![a.to_string(), b.to_string(), c.to_string()];
        expected.sort();
        assert_eq!(indexed, expected);
    }
}
