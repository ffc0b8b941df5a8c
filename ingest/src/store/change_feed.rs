//! The changes feed's writing side (`changes`, migration 0014): each stored record's row
//! takes the next number, in the transaction that stores it, so the feed and the records
//! never disagree. The reading side is [`crate::store::reads::changes`].

use sqlx::{AnyConnection, AssertSqlSafe};
use tongxing_core::worker::Place;
use uuid::Uuid;

use crate::store::db::{Engine, StorageError};
use crate::store::records::{RecordTable, CHILDREN, VISITS};

/// Moves the record to the end of the feed, kept for `place` and about `child`.
pub async fn note(
    conn: &mut AnyConnection,
    table: RecordTable,
    id: Uuid,
    child: Uuid,
    place: &Place,
) -> Result<(), StorageError> {
    if table.opens_its_child {
        send_again(conn, child).await?;
    }
    let (insert, on_conflict) = renumber(conn);
    let sql = format!("{insert} VALUES ($1, $2, $3, $4, $5) {on_conflict}");
    sqlx::query(AssertSqlSafe(sql))
        .bind(table.kind)
        .bind(id.to_string())
        .bind(child.to_string())
        .bind(&place.township)
        .bind(&place.village)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Moves a child's file and visits to the end of the feed, so that a phone that reaches
/// them only now (a worker newly paired with the child) receives them after its cursor.
async fn send_again(conn: &mut AnyConnection, child: Uuid) -> Result<(), StorageError> {
    let (insert, on_conflict) = renumber(conn);
    let sql = format!(
        "{insert} SELECT kind, record_id, child_id, scope_township, scope_village FROM changes \
         WHERE child_id = $1 AND kind IN ('{}', '{}') ORDER BY seq {on_conflict}",
        CHILDREN.kind, VISITS.kind
    );
    sqlx::query(AssertSqlSafe(sql)).bind(child.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// The start and the end of a statement that writes a feed row (its kind, record, child and
/// place), taking the next number whether or not the record has a row already: SQLite's
/// `REPLACE` deletes the old row and inserts it again; PostgreSQL updates the row, its
/// number drawn afresh (`DEFAULT`).
fn renumber(conn: &AnyConnection) -> (&'static str, &'static str) {
    match Engine::of(conn) {
        Engine::Sqlite => ("REPLACE INTO changes (kind, record_id, child_id, scope_township, scope_village)", ""),
        Engine::Postgres => (
            "INSERT INTO changes (kind, record_id, child_id, scope_township, scope_village)",
            "ON CONFLICT (kind, record_id) DO UPDATE SET seq = DEFAULT, child_id = EXCLUDED.child_id, \
             scope_township = EXCLUDED.scope_township, scope_village = EXCLUDED.scope_village",
        ),
    }
}

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqliteConnectOptions;
    use tongxing_core::fixtures::{sample_child, sample_visit};

    use crate::store::db;

    /// A database of the version before the feed, holding a child's file and a visit of a
    /// place, and a visit of no place (received before places were kept).
    async fn database_before_the_feed(dir: &std::path::Path) {
        let options = SqliteConnectOptions::new().filename(db::database_path(dir)).create_if_missing(true);
        let old = sqlx::SqlitePool::connect_with(options).await.unwrap();
        db::MIGRATOR.run_to(13, &old).await.unwrap();
        let child = sample_child();
        sqlx::query(
            "INSERT INTO children (id, revision, name, village, birth_date, body, updated_at, received_at, \
             scope_township, scope_village) VALUES ($1, 1, $2, $3, '2016-03-14', $4, $5, '2026-11-01T00:00:00.000Z', \
             '石门镇', $6)",
        )
        .bind(child.id.to_string())
        .bind(&child.name)
        .bind(&child.village)
        .bind(serde_json::to_string(&child).unwrap())
        .bind(child.updated_at.to_rfc3339())
        .bind(&child.village)
        .execute(&old)
        .await
        .unwrap();
        for (id, township) in [(sample_visit().id, "石门镇"), (uuid::Uuid::from_u128(9), "")] {
            let visit = tongxing_core::Visit { id, ..sample_visit() };
            sqlx::query(
                "INSERT INTO visits (id, revision, child_id, form_id, form_version, visit_date, mandatory_report, \
                 body, updated_at, received_at, scope_township, scope_village) \
                 VALUES ($1, 1, $2, 'home_visit', 1, '2026-11-01', 0, $3, $4, '2026-11-02T00:00:00.000Z', $5, $6)",
            )
            .bind(visit.id.to_string())
            .bind(visit.child_id.to_string())
            .bind(serde_json::to_string(&visit).unwrap())
            .bind(visit.updated_at.to_rfc3339())
            .bind(township)
            .bind(if township.is_empty() { "" } else { child.village.as_str() })
            .execute(&old)
            .await
            .unwrap();
        }
        old.close().await;
    }

    #[tokio::test]
    async fn the_migration_puts_what_was_held_in_the_feed_files_first() {
        let dir = tempfile::tempdir().unwrap();
        database_before_the_feed(dir.path()).await;
        let pool = db::open(dir.path()).await.unwrap();
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT seq, kind, record_id, scope_village FROM changes ORDER BY seq")
                .fetch_all(&pool)
                .await
                .unwrap();
        let kinds: Vec<(&str, String)> = rows.iter().map(|(_, kind, id, _)| (kind.as_str(), id.clone())).collect();
        assert_eq!(
            kinds,
            [("child", sample_child().id.to_string()), ("visit", sample_visit().id.to_string())],
            "the visit of no place reaches no phone"
        );
        assert!(rows.iter().all(|(_, _, _, village)| *village == sample_child().village));
    }
}
