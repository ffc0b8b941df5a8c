//! One child, not two: when a child's file is stored, the files of its township that may be
//! of the same child (core's [`possibly_the_same`]) are noted as pairs for the supervisor
//! (`possible_duplicates`, migration 0015), in the transaction that stores the file. A file
//! changed so that it no longer matches (an ID number corrected) loses its old pairs.
//! The supervisor's list is [`crate::store::reads::possible_duplicates`].

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::AnyConnection;
use tongxing_core::child::{id_number_key, possibly_the_same, Child};
use tongxing_core::worker::Place;

use crate::store::db::StorageError;
use crate::store::reads::parse_body;

/// Notes the pairs `child` (just stored for `place`) makes with the township's other files.
pub async fn note(
    conn: &mut AnyConnection,
    child: &Child,
    place: &Place,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    let id = child.id.to_string();
    sqlx::query("DELETE FROM possible_duplicates WHERE first_id = $1 OR second_id = $2")
        .bind(&id)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    if place.township.is_empty() {
        return Ok(());
    }
    // The SQL narrows by the indexed columns; core's rule decides.
    let candidates: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM children WHERE id <> $1 AND scope_township = $2 AND merged_into IS NULL \
         AND (id_number = $3 OR (birth_date = $4 AND trim(name) = $5))",
    )
    .bind(&id)
    .bind(&place.township)
    .bind(id_number_key(child))
    .bind(child.birth_date.to_string())
    .bind(child.name.trim())
    .fetch_all(&mut *conn)
    .await?;
    let found_at = at.to_rfc3339_opts(SecondsFormat::Millis, true);
    for (body,) in candidates {
        let other: Child = parse_body(&body, "child")?;
        let Some(reason) = possibly_the_same(child, &other) else { continue };
        let (first, second) = if child.id < other.id { (child.id, other.id) } else { (other.id, child.id) };
        sqlx::query(
            "INSERT INTO possible_duplicates (first_id, second_id, reason, found_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(first.to_string())
        .bind(second.to_string())
        .bind(reason.code())
        .bind(&found_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqliteConnectOptions;
    use tongxing_core::fixtures::sample_child;
    use uuid::Uuid;

    use super::*;
    use crate::store::db;

    #[tokio::test]
    async fn the_migration_flags_the_pairs_already_held() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new().filename(db::database_path(dir.path())).create_if_missing(true);
        let old = sqlx::SqlitePool::connect_with(options).await.unwrap();
        db::MIGRATOR.run_to(14, &old).await.unwrap();
        let lower_x = Child { id_number: sample_child().id_number.map(|n| format!(" {n} ")), ..sample_child() };
        let files = [
            (Uuid::from_u128(1), sample_child(), "石门镇"),
            (Uuid::from_u128(2), lower_x, "石门镇"),
            (Uuid::from_u128(3), Child { id_number: None, ..sample_child() }, "石门镇"),
            (Uuid::from_u128(4), sample_child(), "柳林镇"),
            (Uuid::from_u128(5), sample_child(), ""),
        ];
        for (id, child, township) in &files {
            let child = Child { id: *id, ..child.clone() };
            sqlx::query(
                "INSERT INTO children (id, revision, name, village, birth_date, body, updated_at, received_at, \
                 scope_township, scope_village) VALUES ($1, 1, $2, $3, $4, $5, $6, '2026-11-01T00:00:00.000Z', $7, $8)",
            )
            .bind(id.to_string())
            .bind(&child.name)
            .bind(&child.village)
            .bind(child.birth_date.to_string())
            .bind(serde_json::to_string(&child).unwrap())
            .bind(child.updated_at.to_rfc3339())
            .bind(township)
            .bind(if township.is_empty() { "" } else { child.village.as_str() })
            .execute(&old)
            .await
            .unwrap();
        }
        old.close().await;

        let pool = db::open(dir.path()).await.unwrap();
        let pairs: Vec<(String, String, String)> =
            sqlx::query_as("SELECT first_id, second_id, reason FROM possible_duplicates ORDER BY first_id, second_id")
                .fetch_all(&pool)
                .await
                .unwrap();
        let id = |n: u128| Uuid::from_u128(n).to_string();
        assert_eq!(
            pairs,
            [
                (id(1), id(2), "same_id_number".to_owned()),
                (id(1), id(3), "same_name_birth_date_village".to_owned()),
                (id(2), id(3), "same_name_birth_date_village".to_owned()),
            ],
            "within a township only; a file of no place is no one's"
        );
    }
}
