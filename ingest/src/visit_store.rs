//! Where visits are kept: the newest revision of each in `visits`, every revision ever
//! received in `visit_revisions`.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::SqlitePool;
use tongxing_core::wire::PutStatus;
use tongxing_core::Visit;

use crate::db::StorageError;

/// What storing a visit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub status: PutStatus,
    /// The newest revision held now.
    pub revision: u32,
}

/// A visit as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedVisit {
    pub visit: Visit,
    /// When the server received this revision.
    pub received_at: DateTime<Utc>,
}

/// Stores one revision of a visit, received at `received_at`, and returns only after the
/// change is committed (and, with the database's `synchronous=FULL`, synced to disk).
///
/// A new id is created; a newer revision replaces the held one and joins the history; the
/// same or an older revision changes nothing. The read and the write happen in one
/// `BEGIN IMMEDIATE` transaction, which takes the database's write lock before reading,
/// so two requests for one id are decided one after the other and only one can create it.
pub async fn store_visit(pool: &SqlitePool, visit: &Visit, received_at: DateTime<Utc>) -> Result<Stored, StorageError> {
    let id = visit.id.to_string();
    let body = canonical_body(visit)?;
    let received_at = received_at.to_rfc3339_opts(SecondsFormat::Millis, true);

    // Rolled back when dropped, so an error (or a cancelled request) leaves nothing behind.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let held: Option<(i64, String)> =
        sqlx::query_as("SELECT revision, body FROM visits WHERE id = ?").bind(&id).fetch_optional(&mut *tx).await?;

    let status = match held {
        None => PutStatus::Created,
        Some((held_revision, held_body)) if held_revision >= i64::from(visit.revision) => {
            if held_revision == i64::from(visit.revision) && !same_visit(&held_body, visit) {
                tracing::warn!(
                    visit_id = %visit.id,
                    revision = visit.revision,
                    "the same revision arrived with different content; the first one is kept"
                );
            }
            let revision =
                u32::try_from(held_revision).map_err(|_| corrupt(visit, held_revision, "revision out of range"))?;
            tx.rollback().await?;
            return Ok(Stored { status: PutStatus::Unchanged, revision });
        }
        Some(_) => PutStatus::Updated,
    };

    // New, or newer than the one held (decided above under the write lock): either way the
    // row becomes this revision.
    sqlx::query(
        "INSERT INTO visits \
         (id, revision, child_name, visit_date, visit_type, risk_colour, body, updated_at, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, child_name = excluded.child_name, \
         visit_date = excluded.visit_date, visit_type = excluded.visit_type, risk_colour = excluded.risk_colour, \
         body = excluded.body, updated_at = excluded.updated_at, received_at = excluded.received_at",
    )
    .bind(&id)
    .bind(i64::from(visit.revision))
    .bind(&visit.child_name)
    .bind(visit.visit_date.to_string())
    .bind(visit.visit_type.code())
    .bind(visit.risk_colour.code())
    .bind(&body)
    .bind(visit.updated_at.to_rfc3339())
    .bind(&received_at)
    .execute(&mut *tx)
    .await?;

    sqlx::query("INSERT INTO visit_revisions (id, revision, body, received_at) VALUES (?, ?, ?, ?)")
        .bind(&id)
        .bind(i64::from(visit.revision))
        .bind(&body)
        .bind(&received_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Stored { status, revision: visit.revision })
}

/// The newest revision of every visit, by visit date then id.
pub async fn current_visits(pool: &SqlitePool) -> Result<Vec<ReceivedVisit>, StorageError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT body, received_at FROM visits ORDER BY visit_date, id").fetch_all(pool).await?;
    rows.into_iter().map(|(body, received_at)| parse_row(&body, &received_at)).collect()
}

/// Every revision of every visit ever received, by id then revision.
pub async fn all_revisions(pool: &SqlitePool) -> Result<Vec<ReceivedVisit>, StorageError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT body, received_at FROM visit_revisions ORDER BY id, revision").fetch_all(pool).await?;
    rows.into_iter().map(|(body, received_at)| parse_row(&body, &received_at)).collect()
}

/// The JSON kept in `body`: exactly the wire form of the visit.
fn canonical_body(visit: &Visit) -> Result<String, StorageError> {
    serde_json::to_string(visit)
        .map_err(|e| StorageError::Corrupt { what: format!("visit {}", visit.id), detail: e.to_string() })
}

/// Whether a stored body is the same visit, compared as records rather than as text.
fn same_visit(held_body: &str, visit: &Visit) -> bool {
    serde_json::from_str::<Visit>(held_body).is_ok_and(|held| held == *visit)
}

fn corrupt(visit: &Visit, revision: i64, detail: &str) -> StorageError {
    StorageError::Corrupt { what: format!("visit {} revision {revision}", visit.id), detail: detail.to_owned() }
}

fn parse_row(body: &str, received_at: &str) -> Result<ReceivedVisit, StorageError> {
    let visit: Visit = serde_json::from_str(body)
        .map_err(|e| StorageError::Corrupt { what: "visit body".to_owned(), detail: e.to_string() })?;
    let received_at = DateTime::parse_from_rfc3339(received_at)
        .map_err(|e| StorageError::Corrupt {
            what: format!("received_at of visit {}", visit.id),
            detail: e.to_string(),
        })?
        .with_timezone(&Utc);
    Ok(ReceivedVisit { visit, received_at })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{FixedOffset, NaiveDate};
    use tokio::sync::Barrier;
    use tongxing_core::{RiskColour, VisitType};
    use uuid::Uuid;

    use super::*;
    use crate::db;

    fn visit(revision: u32) -> Visit {
        Visit {
            id: Uuid::from_u128(0x6f1c2b1e_8d3a_4a57_9a51_0b7d2f3c4e5a),
            child_name: "王小明".into(),
            visit_date: NaiveDate::from_ymd_opt(2026, 1, 20).unwrap(),
            visit_type: VisitType::Phone,
            risk_colour: RiskColour::Red,
            notes: format!("第{revision}次保存"),
            revision,
            updated_at: DateTime::<FixedOffset>::parse_from_rfc3339("2026-01-20T10:15:00+08:00").unwrap(),
        }
    }

    /// Many writers released at the same instant, round after round, on a fresh id each
    /// round: exactly one creates it, and (for `BEGIN IMMEDIATE` to be doing its work) none
    /// fails on a stale snapshot.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn writers_racing_for_one_id_create_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(dir.path()).await.unwrap();
        const WRITERS: usize = 8;
        for round in 0..10u128 {
            let mut visit = visit(1);
            visit.id = Uuid::from_u128(round + 1);
            let start = Arc::new(Barrier::new(WRITERS));
            let writers: Vec<_> = (0..WRITERS)
                .map(|_| {
                    let (pool, visit, start) = (pool.clone(), visit.clone(), start.clone());
                    tokio::spawn(async move {
                        start.wait().await;
                        store_visit(&pool, &visit, Utc::now()).await
                    })
                })
                .collect();
            let mut created = 0;
            for writer in writers {
                let stored = writer.await.unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
                if stored.status == PutStatus::Created {
                    created += 1;
                } else {
                    assert_eq!(stored, Stored { status: PutStatus::Unchanged, revision: 1 });
                }
            }
            assert_eq!(created, 1, "round {round}");
        }
        assert_eq!(current_visits(&pool).await.unwrap().len(), 10);
        assert_eq!(all_revisions(&pool).await.unwrap().len(), 10);
    }

    #[tokio::test]
    async fn history_keeps_every_newer_revision_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(dir.path()).await.unwrap();
        let statuses = [
            store_visit(&pool, &visit(1), Utc::now()).await.unwrap(),
            store_visit(&pool, &visit(3), Utc::now()).await.unwrap(),
            store_visit(&pool, &visit(2), Utc::now()).await.unwrap(),
        ];
        assert_eq!(
            statuses.map(|s| (s.status, s.revision)),
            [(PutStatus::Created, 1), (PutStatus::Updated, 3), (PutStatus::Unchanged, 3)]
        );
        let revisions: Vec<u32> = all_revisions(&pool).await.unwrap().iter().map(|r| r.visit.revision).collect();
        assert_eq!(revisions, [1, 3]);
        let current = current_visits(&pool).await.unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].visit, visit(3));
    }
}
