//! The audit log: every read of a child's file, and every list or export of records, is
//! written down (who, what, when) before the data leaves the server. A read whose audit row
//! cannot be written is refused.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use uuid::Uuid;

use crate::db::{self, StorageError};

/// Exporting visits (`subject`: the format, revisions and filter).
pub const EXPORT_VISITS: &str = "export_visits";
/// Exporting children's files (`subject`: the format, revisions and filter).
pub const EXPORT_CHILDREN: &str = "export_children";
/// Exporting one child's whole file (`subject`: the child's id).
pub const EXPORT_CHILD_FILE: &str = "export_child_file";
/// Exporting the visits' photos (`subject`: how they are put in folders).
pub const EXPORT_PHOTOS: &str = "export_photos";

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
}

/// Writes one row: `action` (such as `read_child`, `list_visits`, `export_visits`) on
/// `subject` (a child's id, or the filter of a list).
pub async fn record(
    pool: &SqlitePool,
    reader: &Reader<'_>,
    action: &str,
    subject: &str,
    at: DateTime<Utc>,
) -> Result<(), StorageError> {
    sqlx::query("INSERT INTO audit_log (at, device_id, actor, action, subject) VALUES (?, ?, ?, ?, ?)")
        .bind(db::timestamp(at))
        .bind(reader.device.map(|id| id.to_string()))
        .bind(reader.name)
        .bind(action)
        .bind(subject)
        .execute(pool)
        .await?;
    Ok(())
}

/// Every row, oldest first.
pub async fn entries(pool: &SqlitePool) -> Result<Vec<AuditEntry>, StorageError> {
    Ok(sqlx::query_as("SELECT at, device_id, actor, action, subject FROM audit_log ORDER BY id").fetch_all(pool).await?)
}

/// The name of whoever runs the command line: the OS user (`$USER`), else [`COMMAND_LINE`].
pub fn command_line_name() -> String {
    std::env::var("USER")
        .ok()
        .map(|user| user.trim().to_owned())
        .filter(|user| !user.is_empty())
        .unwrap_or_else(|| COMMAND_LINE.to_owned())
}
