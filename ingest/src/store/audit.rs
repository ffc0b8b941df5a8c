//! The audit log: every read of a child's file, and every list or export of records, is
//! written down (who, what, when) before the data leaves the server. A read whose audit row
//! cannot be written is refused. Who may join and send is written down too: invites made and
//! revoked, enrolments, devices revoked and tokens renewed, reads refused, data keys left for
//! a recovery, recoveries issued, claimed and tried with a wrong code, and every revision of a
//! record stored, each in the transaction that makes the change.
//!
//! Rows are only ever added: the database refuses to update or delete them (triggers of
//! migration 0009), whoever asks.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, AnyPool};
use uuid::Uuid;

use crate::store::db::{self, StorageError};
use crate::store::statement::Statement;

/// Exporting visits (`subject`: the format, revisions and filter).
pub const EXPORT_VISITS: &str = "export_visits";
/// Exporting children's files (`subject`: the format, revisions and filter).
pub const EXPORT_CHILDREN: &str = "export_children";
/// Exporting case plans (`subject`: the format, revisions and filter).
pub const EXPORT_CASE_PLANS: &str = "export_case_plans";
/// Exporting one child's whole file (`subject`: the child's id).
pub const EXPORT_CHILD_FILE: &str = "export_child_file";
/// Exporting the visits' photos (`subject`: how they are put in folders).
pub const EXPORT_PHOTOS: &str = "export_photos";
/// Moving the county's records and photos up to a province (`subject`: the province's
/// database host and bucket; never a password).
pub const MOVE_UP: &str = "move_up";

/// Making an invite (`subject`: its id, role, place, uses and expiry; never its code).
pub const MAKE_INVITE: &str = "make_invite";
/// Making a one-time download link (`subject`: what it fetches; never its code). Its use is
/// audited as the export or the child's file it fetches.
pub const MAKE_DOWNLOAD_LINK: &str = "make_download_link";
/// Revoking an invite (`subject`: its id).
pub const REVOKE_INVITE: &str = "revoke_invite";
/// A phone enrolling (the row's device is the new one; `subject`: the invite's id and place).
pub const ENROLL: &str = "enroll";
/// Revoking a device (`subject`: its id).
pub const REVOKE_DEVICE: &str = "revoke_device";
/// A device renewing its own token (`POST /api/v1/devices/me/rotate`).
pub const ROTATE_TOKEN: &str = "rotate_token";
/// A phone leaving its data key for a recovery, or another in its place (`subject`: the
/// device and the vault's id; never the key).
pub const DEPOSIT_RECOVERY_KEY: &str = "deposit_recovery_key";
/// A supervisor issuing a recovery (`subject`: the device it is for and until when; never
/// the code).
pub const ISSUE_RECOVERY: &str = "issue_recovery";
/// A locked phone given its data key back (the row's device is that phone; `subject`: who
/// issued the recovery and when).
pub const RECOVER_KEY: &str = "recover_key";
/// A wrong recovery code typed for an open recovery (the row's device is the phone it is
/// for; `subject`: the tries left, or that the recovery is void).
pub const RECOVERY_REFUSED: &str = "recovery_refused";
/// A revision of a visit stored (`subject`: the visit's id and revision; `child_id` its child).
pub const STORE_VISIT: &str = "store_visit";
/// A revision of a child's file stored (`subject`: its revision; `child_id` the child).
pub const STORE_CHILD: &str = "store_child";
/// A pairing (结对) stored, or kept aside as a conflict, from a director's phone.
pub const STORE_PAIRING: &str = "store_pairing";
/// The county recording a worker's training and assessment (`subject`: the device, the
/// day and whether she passed; never the course's words about her).
pub const RECORD_TRAINING: &str = "record_training";
/// A worker's trainings read (`subject`: the device).
pub const LIST_TRAININGS: &str = "list_trainings";
/// A case plan (帮扶计划) stored.
pub const STORE_CASE_PLAN: &str = "store_case_plan";
/// The supervisor's "to reconcile" list read (`subject`: how many edits it showed).
pub const LIST_TO_RECONCILE: &str = "list_to_reconcile";
/// The supervisor keeping one version of a child's file edited on two phones (`subject`:
/// the kept-aside edit, which version, and the revision it became).
pub const RECONCILE_CHILD: &str = "reconcile_child";
/// The supervisor merging a child's file into another of the same child (`subject`: the
/// file merged, the file kept, and how many visits and pairings moved; `child_id` the kept).
pub const MERGE_CHILDREN: &str = "merge_children";
/// The supervisor's "today" read (`subject`: how many children overdue and red, and reports).
pub const READ_TODAY: &str = "read_today";
/// A page of changes read by a worker's phone (`subject`: the cursor and how many files,
/// visits and pairings it carried).
pub const READ_CHANGES: &str = "read_changes";
/// A director's list of her village's love mothers and volunteers, whom she may pair
/// (`subject`: how many it showed).
pub const LIST_VILLAGE_WORKERS: &str = "list_village_workers";
/// A supervisor's read of one child's whole file (`subject`: the child's id).
pub const READ_CHILD: &str = "read_child";
/// A worker's phone reading one visit whole (`subject`: the visit's id; `child_id` its
/// child).
pub const READ_VISIT: &str = "read_visit";
/// A read of a child or a visit that the reader may not read or that does not exist,
/// answered `404`.
pub const READ_REFUSED: &str = "read_refused";
/// A call that the device's role may not make, answered `403` (`subject`: the route).
pub const FORBIDDEN: &str = "forbidden";

/// Removing what is kept no longer (`tongxing-ingest retention --apply`), a row per kind
/// (`subject`: the kind, how many rows went, the days kept and the cut-off; never what the
/// rows named).
pub const APPLY_RETENTION: &str = "apply_retention";

/// A phone's unsent-records file opened and stored (`tongxing-ingest import`; `subject`:
/// the device, when the file was made, and how many records and photos it announced).
pub const IMPORT_UNSENT: &str = "import_unsent";

/// The name of the command line's reader when the OS user is not known.
pub const COMMAND_LINE: &str = "command line";

/// Who read: an enrolled device (with the worker's name as it was then), or the command
/// line (with the operating system's user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader<'a> {
    pub device: Option<Uuid>,
    pub name: &'a str,
}

/// One audit row as read back.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: String,
    pub device_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub child_id: Option<String>,
}

/// Which rows to read (`tongxing-ingest audit`); all apply together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub device: Option<Uuid>,
    /// The actor's name, exactly (the county's console).
    pub actor: Option<String>,
    pub child: Option<Uuid>,
    /// Rows on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Rows on or before this day (UTC).
    pub to: Option<NaiveDate>,
    pub action: Option<String>,
}

/// The county reads the audit log (the page's filter, never a row's content).
pub const READ_AUDIT: &str = "read_audit";
/// The county reads its "today" or its statistics, or downloads them.
pub const READ_COUNTY: &str = "read_county";

/// Writes one row: `action` (such as `read_child`, `list_visits`, `export_visits`) on
/// `subject` (a child's id, or the filter of a list), about the child `child` if one.
pub async fn record(
    pool: &AnyPool,
    reader: &Reader<'_>,
    action: &str,
    subject: &str,
    child: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    let mut conn = pool.acquire().await?;
    record_in(&mut conn, reader, action, subject, child, at).await
}

/// [`record`] on a connection, inside the transaction of the change it records.
pub async fn record_in(
    conn: &mut AnyConnection,
    reader: &Reader<'_>,
    action: &str,
    subject: &str,
    child: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO audit_log (at, device_id, actor, action, subject, child_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(db::timestamp(at))
    .bind(reader.device.map(|id| id.to_string()))
    .bind(reader.name)
    .bind(action)
    .bind(subject)
    .bind(child.map(|id| id.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Every row, oldest first.
pub async fn entries(pool: &AnyPool) -> Result<Vec<AuditEntry>, StorageError> {
    find(pool, &AuditFilter::default()).await
}

/// The rows `filter` picks, oldest first.
pub async fn find(pool: &AnyPool, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StorageError> {
    let mut query = Statement::new("SELECT at, device_id, actor, action, subject, child_id FROM audit_log");
    push_filter(&mut query, filter);
    query.push(" ORDER BY id");
    Ok(query.build_query_as()?.fetch_all(pool).await?)
}

/// Page `page` (from 1) of the rows `filter` picks, `per_page` a page, the newest first,
/// and how many rows it picks in all.
pub async fn find_page(
    pool: &AnyPool,
    filter: &AuditFilter,
    page: u32,
    per_page: u32,
) -> Result<(Vec<AuditEntry>, u64), StorageError> {
    let mut count = Statement::new("SELECT COUNT(*) FROM audit_log");
    push_filter(&mut count, filter);
    let total: i64 = count.build_query_scalar()?.fetch_one(pool).await?;
    let mut query = Statement::new("SELECT at, device_id, actor, action, subject, child_id FROM audit_log");
    push_filter(&mut query, filter);
    query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(per_page));
    query.push(" OFFSET ").push_bind(i64::from(page.saturating_sub(1)) * i64::from(per_page));
    let rows = query.build_query_as()?.fetch_all(pool).await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

fn push_filter(query: &mut Statement, filter: &AuditFilter) {
    query.push(" WHERE true");
    if let Some(device) = filter.device {
        query.push(" AND device_id = ").push_bind(device.to_string());
    }
    if let Some(actor) = &filter.actor {
        query.push(" AND actor = ").push_bind(actor.clone());
    }
    if let Some(child) = filter.child {
        query.push(" AND child_id = ").push_bind(child.to_string());
    }
    if let Some(from) = filter.from {
        query.push(" AND at >= ").push_bind(from.to_string());
    }
    if let Some(to) = filter.to.and_then(|to| to.succ_opt()) {
        // Times are RFC 3339 text, so "before the next day" is every time of `to`.
        query.push(" AND at < ").push_bind(to.to_string());
    }
    if let Some(action) = &filter.action {
        query.push(" AND action = ").push_bind(action.clone());
    }
}

/// The name of whoever runs the command line: the OS user (`$USER`), else [`COMMAND_LINE`].
pub fn command_line_name() -> String {
    std::env::var("USER")
        .ok()
        .map(|user| user.trim().to_owned())
        .filter(|user| !user.is_empty())
        .unwrap_or_else(|| COMMAND_LINE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rows_are_found_by_filter_and_can_be_neither_changed_nor_removed() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        let reader = Reader { device: None, name: "county" };
        let child = Uuid::new_v4();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc();
        record(&pool, &reader, EXPORT_VISITS, "csv", None, day(1)).await.unwrap();
        record(&pool, &reader, EXPORT_CHILD_FILE, "file", Some(child), day(2)).await.unwrap();
        record(&pool, &reader, EXPORT_VISITS, "xlsx", None, day(3)).await.unwrap();

        assert_eq!(entries(&pool).await.unwrap().len(), 3);
        let of_child = find(&pool, &AuditFilter { child: Some(child), ..AuditFilter::default() }).await.unwrap();
        assert_eq!(of_child.len(), 1);
        assert_eq!(of_child[0].child_id, Some(child.to_string()));
        let dates = AuditFilter {
            from: Some(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()),
            to: Some(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()),
            action: Some(EXPORT_VISITS.to_owned()),
            ..AuditFilter::default()
        };
        let found = find(&pool, &dates).await.unwrap();
        assert_eq!(found.iter().map(|e| e.subject.as_str()).collect::<Vec<_>>(), ["xlsx"]);

        for sql in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
            let error = sqlx::query(sql).execute(&pool).await.unwrap_err();
            assert!(error.to_string().contains("append-only"), "{sql}: {error}");
        }
        assert_eq!(entries(&pool).await.unwrap().len(), 3, "every row is still there");
    }
}
