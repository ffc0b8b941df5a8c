//! Records as they were before enrolment existed: no place (`scope_township`,
//! `scope_village` empty) and no sender, written straight into the database, for tests of
//! what reads places (exports).

use sqlx::AnyPool;
use uuid::Uuid;

/// The table of a kind of record.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Visit,
    Child,
}

/// Makes the record `id` of `kind` one received before enrolment: no place, no sender.
pub async fn clear_place(pool: &AnyPool, kind: Kind, id: Uuid) {
    let (table, revisions) = match kind {
        Kind::Visit => ("visits", "visit_revisions"),
        Kind::Child => ("children", "child_revisions"),
    };
    let sql = format!("UPDATE {table} SET scope_township = '', scope_village = '', sent_by = NULL WHERE id = $1");
    let done = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).execute(pool).await.expect("place cleared");
    assert_eq!(done.rows_affected(), 1, "{table} {id} is stored");
    // Nor did its revisions know a sender then.
    let sql = format!("UPDATE {revisions} SET sent_by = NULL WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).execute(pool).await.expect("senders cleared");
}
