//! The supervisor's "to reconcile" list: her township's children's files with an edit kept
//! aside (two phones changed one field to different values), each beside the file as it
//! stands, oldest first.

use chrono::{DateTime, Utc};
use sqlx::{AnyPool, AssertSqlSafe};
use tongxing_core::child::Child;
use tongxing_core::field_merge::differing_fields;
use tongxing_core::wire::ToReconcile;

use super::rows::parse_body;
use super::sql::NOT_MERGED;
use crate::store::db::StorageError;
use crate::store::records::CHILDREN;

/// The most edits listed at once: a township has a handful; more wait for the next look.
pub const TO_RECONCILE_MAX: i64 = 200;

/// One edit kept aside as read: its rowid, body, when it arrived and who sent it; the body
/// of the file as it stands and who sent that.
#[derive(sqlx::FromRow)]
struct KeptAsideRow {
    id: i64,
    kept_body: String,
    kept_at: String,
    kept_by: Option<String>,
    held_body: String,
    held_by: Option<String>,
}

/// The edits kept aside (`k`) not yet reconciled, beside their files (`ch`) of the township
/// bound as `$1`, not merged: `… FROM` this.
pub(super) fn kept_aside_in_township() -> String {
    format!(
        "{conflicts} AS k JOIN {current} AS ch ON ch.id = k.id \
         WHERE k.reconciled_at IS NULL AND ch.scope_township = $1 AND {NOT_MERGED}",
        conflicts = CHILDREN.conflicts,
        current = CHILDREN.current,
    )
}

/// The edits kept aside of `township`'s children's files, not yet reconciled.
pub async fn to_reconcile(pool: &AnyPool, township: &str) -> Result<Vec<ToReconcile>, StorageError> {
    let rows: Vec<KeptAsideRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT k.rowid AS id, k.body AS kept_body, k.received_at AS kept_at, \
             (SELECT d.name FROM devices AS d WHERE d.id = k.sent_by) AS kept_by, ch.body AS held_body, \
             (SELECT d.name FROM devices AS d WHERE d.id = ch.sent_by) AS held_by \
             FROM {kept_aside} ORDER BY k.received_at, k.rowid LIMIT $2",
        kept_aside = kept_aside_in_township(),
    )))
    .bind(township)
    .bind(TO_RECONCILE_MAX)
    .fetch_all(pool)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for KeptAsideRow { id, kept_body, kept_at, kept_by, held_body, held_by } in rows {
        let kind = CHILDREN.kind;
        let (held, kept_aside): (Child, Child) = (parse_body(&held_body, kind)?, parse_body(&kept_body, kind)?);
        let fields = match (serde_json::to_value(&held), serde_json::to_value(&kept_aside)) {
            (Ok(held), Ok(kept)) => differing_fields(&held, &kept),
            _ => Vec::new(),
        };
        let kept_aside_at = DateTime::parse_from_rfc3339(&kept_at)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|e| StorageError::Corrupt { what: format!("conflict {id} received_at"), detail: e.to_string() })?;
        list.push(ToReconcile { id, held, held_by, kept_aside, kept_aside_by: kept_by, kept_aside_at, fields });
    }
    Ok(list)
}
