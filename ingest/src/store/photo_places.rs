//! Whose a photo is: the places (township and village) whose phones sent its bytes whole or
//! stored a visit naming it (`photo_places`), and the place of the phone that began an upload
//! in pieces (`photo_uploads.scope_*`). A phone of another place learns nothing of a photo it
//! has not sent (its upload status is `absent`), cannot add pieces to another place's upload,
//! and cannot store a visit naming it (`409 missing_photos`, as for a photo not held). A photo
//! with no place (received before places were kept) is anyone's, as a record is.

use sqlx::AnyConnection;
use tongxing_core::photo::PhotoHash;
use tongxing_core::worker::Place;

use crate::store::db::Flag;
use crate::store::db::StorageError;

/// The condition, on a photo's hash in `{hash}` (an SQL expression), that the place bound
/// at `?{township}` and `?{village}` may use the photo: it is the place's, or no place's.
pub fn usable_by_sql(hash: &str, township: usize, village: usize) -> String {
    format!(
        "(NOT EXISTS (SELECT 1 FROM photo_places AS pp WHERE pp.sha256 = {hash}) \
         OR EXISTS (SELECT 1 FROM photo_places AS pp WHERE pp.sha256 = {hash} \
         AND pp.township = ${township} AND pp.village = ${village}))"
    )
}

/// Notes that the photos `hashes` are (also) `place`'s; noting it again adds nothing.
pub async fn claim(conn: &mut AnyConnection, hashes: &[PhotoHash], place: &Place) -> Result<(), StorageError> {
    if hashes.is_empty() || place.township.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(hashes)
        .map_err(|error| StorageError::Corrupt { what: "photo hashes".to_owned(), detail: error.to_string() })?;
    // `WHERE true` tells SQLite's parser that ON CONFLICT is the upsert, not a join's.
    sqlx::query(
        "INSERT INTO photo_places (sha256, township, village) SELECT value, $1, $2 FROM json_each($3) WHERE true \
         ON CONFLICT DO NOTHING",
    )
    .bind(&place.township)
    .bind(&place.village)
    .bind(json)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `place` may learn of and use the photo `hash`: it is the place's, or no place's.
pub async fn usable_by(conn: &mut AnyConnection, hash: &PhotoHash, place: &Place) -> Result<bool, StorageError> {
    let sql = format!("SELECT {}", usable_by_sql("$1", 2, 3));
    let Flag(usable): Flag = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(hash.as_str())
        .bind(&place.township)
        .bind(&place.village)
        .fetch_one(conn)
        .await?;
    Ok(usable)
}

/// The place of the upload in pieces of `hash` under way, if any: `None` when there is none,
/// an empty place for one begun before places were kept.
pub async fn upload_place(conn: &mut AnyConnection, hash: &PhotoHash) -> Result<Option<Place>, StorageError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT scope_township, scope_village FROM photo_uploads WHERE sha256 = $1")
            .bind(hash.as_str())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(township, village)| Place { township, village }))
}

/// Whether an upload in pieces of `upload` (its place) may be seen and continued by `place`.
pub fn upload_usable_by(upload: &Place, place: &Place) -> bool {
    upload.township.is_empty() || upload == place
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db;

    fn place(township: &str, village: &str) -> Place {
        Place { township: township.into(), village: village.into() }
    }

    #[tokio::test]
    async fn a_photo_is_its_places_and_an_unclaimed_one_anyones() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let hash = PhotoHash::of_bytes(b"photo");
        let (here, there) = (place("石门镇", "桃源村"), place("白沙镇", "桃源村"));
        assert!(usable_by(&mut conn, &hash, &there).await.unwrap(), "no place yet: anyone's");
        claim(&mut conn, std::slice::from_ref(&hash), &here).await.unwrap();
        claim(&mut conn, std::slice::from_ref(&hash), &here).await.unwrap();
        assert!(usable_by(&mut conn, &hash, &here).await.unwrap());
        assert!(!usable_by(&mut conn, &hash, &there).await.unwrap());
        assert!(!usable_by(&mut conn, &hash, &place("石门镇", "杏花村")).await.unwrap(), "another village");
        assert!(upload_usable_by(&place("", ""), &there));
        assert!(upload_usable_by(&here, &here) && !upload_usable_by(&here, &there));
    }

    #[tokio::test]
    async fn the_migration_gives_held_photos_the_places_of_the_visits_naming_them() {
        use sqlx::sqlite::SqliteConnectOptions;
        let dir = tempfile::tempdir().unwrap();
        let old = sqlx::SqlitePool::connect_with(
            SqliteConnectOptions::new().filename(db::database_path(dir.path())).create_if_missing(true),
        )
        .await
        .unwrap();
        db::MIGRATOR.run_to(10, &old).await.unwrap();
        let (named, unnamed) = (PhotoHash::of_bytes(b"named"), PhotoHash::of_bytes(b"unnamed"));
        for hash in [&named, &unnamed] {
            sqlx::query(
                "INSERT INTO photos (sha256, bytes, content_type, received_at) VALUES ($1, 3, 'image/jpeg', 'x')",
            )
            .bind(hash.as_str())
            .execute(&old)
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO visits (id, revision, child_id, form_id, form_version, visit_date, mandatory_report, body, \
             updated_at, received_at, scope_township, scope_village) \
             VALUES ('v', 1, 'c', 'home_visit', 1, '2026-11-20', 0, '{}', 'x', 'x', '石门镇', '桃源村')",
        )
        .execute(&old)
        .await
        .unwrap();
        sqlx::query("INSERT INTO visit_photos (visit_id, revision, sha256) VALUES ('v', 1, $1)")
            .bind(named.as_str())
            .execute(&old)
            .await
            .unwrap();
        old.close().await;

        let pool = db::open(dir.path()).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let (here, there) = (place("石门镇", "桃源村"), place("白沙镇", "桃源村"));
        assert!(usable_by(&mut conn, &named, &here).await.unwrap());
        assert!(!usable_by(&mut conn, &named, &there).await.unwrap(), "the visit's place only");
        assert!(usable_by(&mut conn, &unnamed, &there).await.unwrap(), "named by no visit: anyone's");
    }
}
