//! Where records sent by phones (visits, children's files) are kept, one set of tables per
//! kind: the newest revision of each record in the current table, every revision ever
//! received in the revisions table, and what arrived with a revision already held but
//! different content in the conflicts table. Every kind follows the same rules; a
//! [`RecordTable`] names its tables and a [`StoredRecord`] gives the values to store.
//!
//! A record that names photos (a visit) is stored only when the server holds them all
//! whole, and the photos each stored revision names are indexed in the same transaction.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe};
use tongxing_core::arrival::{self, Arrival};
use tongxing_core::case_plan::CasePlan;
use tongxing_core::child::{id_number_key, Child};
use tongxing_core::field_merge::{self, FieldMerge};
use tongxing_core::pairing::Pairing;
use tongxing_core::photo::PhotoHash;
use tongxing_core::wire::PutStatus;
use tongxing_core::worker::Place;
use tongxing_core::{FieldErrors, Visit, Worker};
use uuid::Uuid;

use crate::store::audit::{self, Reader};
use crate::store::child_merge::{self, FileHeld};
use crate::store::db::{self, Flag, StorageError};
use crate::store::{change_feed, photo_places, possible_duplicates, visit_photos};

/// The tables of one kind of record. Every name here is a fixed identifier from this
/// crate, never from a request, so building SQL from them is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordTable {
    /// The kind of record, for logs and errors: `visit`, `child`.
    pub kind: &'static str,
    /// The newest revision of each record: `id`, `revision`, the [`columns`](Self::columns),
    /// `body`, `updated_at`, `received_at`.
    pub current: &'static str,
    /// Every revision received: `id`, `revision`, `body`, `received_at`.
    pub revisions: &'static str,
    /// What arrived with a held revision but other content: `id`, `revision`, `body`,
    /// `received_at`, unique on (`id`, `revision`, `body`).
    pub conflicts: &'static str,
    /// The columns copied from the record for querying, in the order of
    /// [`StoredRecord::column_values`].
    pub columns: &'static [&'static str],
    /// The order of the current table when listed.
    pub order_by: &'static str,
    /// For records that name photos: the index of the photos each stored revision (current,
    /// history or conflict) names: `visit_id`, `revision`, `sha256`.
    pub photos: Option<&'static str>,
    /// For records that belong to another (a visit to a child's file): that record's
    /// current table, whose place the record must share.
    pub parent: Option<&'static str>,
    /// The audit log's action for a stored revision.
    pub audit_action: &'static str,
    /// Whether storing one (a pairing) sends its child's file and visits again, to the
    /// phones it may now reach ([`crate::store::change_feed`]).
    pub opens_its_child: bool,
}

/// A record that phones send with an id and growing revisions, kept in a [`RecordTable`].
pub trait StoredRecord: Serialize + DeserializeOwned + PartialEq + Send + Sync + 'static {
    /// Where records of this kind are kept.
    const TABLE: RecordTable;
    fn id(&self) -> Uuid;
    fn revision(&self) -> u32;
    /// When the phone saved this revision.
    fn updated_at(&self) -> DateTime<FixedOffset>;
    /// The values of [`RecordTable::columns`], in that order.
    fn column_values(&self) -> Vec<ColumnValue>;
    /// The photos the record names, each once (with [`RecordTable::photos`]).
    fn named_photos(&self) -> Vec<PhotoHash> {
        Vec::new()
    }
    /// The record this one belongs to (with [`RecordTable::parent`]): a visit's child.
    fn parent_id(&self) -> Option<Uuid> {
        None
    }
    /// The record as a child's file, if it is one (its possible duplicates are looked for).
    fn as_child(&self) -> Option<&Child> {
        None
    }
}

/// Why a record was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The record names photos the server does not hold whole: send them first.
    #[error("the record names {} photos that the server does not hold", .0.len())]
    MissingPhotos(Vec<PhotoHash>),
    /// The record (or the child it belongs to) is kept for another place than the sender's.
    #[error("the record belongs to another place than the sender's")]
    OutOfScope,
    /// The record is wrong for what the server holds (a revision jump: core's
    /// [`check_revision_step`]).
    #[error("invalid for what the server holds: {0}")]
    Invalid(FieldErrors),
    /// The record has [`CONFLICTS_PER_RECORD_MAX`] conflicting bodies kept aside already.
    #[error("the record has too many conflicting bodies kept aside")]
    TooManyConflicts,
}

/// The most conflicting bodies kept aside for one record; a further different body of a
/// held revision is refused (`422 too_many_conflicts`) rather than stored, so that one
/// phone cannot grow the conflicts table without end. The phone keeps the refused body and
/// shows it to the worker.
pub const CONFLICTS_PER_RECORD_MAX: i64 = 20;

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        StoreError::Storage(error.into())
    }
}

/// A value copied from a record into a column of its current table, bound with the
/// column's own type (the tables are `STRICT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnValue {
    Text(String),
    Integer(i64),
    /// Not given in the record.
    Null,
}

impl From<String> for ColumnValue {
    fn from(text: String) -> ColumnValue {
        ColumnValue::Text(text)
    }
}

impl From<Option<String>> for ColumnValue {
    fn from(text: Option<String>) -> ColumnValue {
        text.map_or(ColumnValue::Null, ColumnValue::Text)
    }
}

pub const VISITS: RecordTable = RecordTable {
    kind: "visit",
    current: "visits",
    revisions: "visit_revisions",
    conflicts: "visit_conflicts",
    columns: &[
        "child_id",
        "form_id",
        "form_version",
        "visit_date",
        "risk_colour",
        "next_visit_date",
        "mandatory_report",
    ],
    order_by: "visit_date, id",
    photos: Some("visit_photos"),
    parent: Some("children"),
    audit_action: audit::STORE_VISIT,
    opens_its_child: false,
};

pub const CHILDREN: RecordTable = RecordTable {
    kind: "child",
    current: "children",
    revisions: "child_revisions",
    conflicts: "child_conflicts",
    columns: &["name", "village", "birth_date", "id_number"],
    order_by: "village, name, id",
    photos: None,
    parent: None,
    audit_action: audit::STORE_CHILD,
    opens_its_child: false,
};

pub const PAIRINGS: RecordTable = RecordTable {
    kind: "pairing",
    current: "pairings",
    revisions: "pairing_revisions",
    conflicts: "pairing_conflicts",
    columns: &["child_id", "worker_id", "active"],
    order_by: "child_id, id",
    photos: None,
    parent: Some("children"),
    audit_action: audit::STORE_PAIRING,
    opens_its_child: true,
};

pub const CASE_PLANS: RecordTable = RecordTable {
    kind: "case_plan",
    current: "case_plans",
    revisions: "case_plan_revisions",
    conflicts: "case_plan_conflicts",
    columns: &["child_id", "report_visit_id", "state"],
    order_by: "child_id, id",
    photos: None,
    parent: Some("children"),
    audit_action: audit::STORE_CASE_PLAN,
    opens_its_child: false,
};

impl StoredRecord for Visit {
    const TABLE: RecordTable = VISITS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn revision(&self) -> u32 {
        self.revision
    }
    fn updated_at(&self) -> DateTime<FixedOffset> {
        self.updated_at
    }
    /// Taken from the answers as the visit's own form reads them: the dates as YYYY-MM-DD
    /// (`visit_date` '' when unreadable, which validation does not let through), the
    /// colour's code, and whether the police must be told (1 or 0).
    fn column_values(&self) -> Vec<ColumnValue> {
        vec![
            self.child_id.to_string().into(),
            self.form_id.clone().into(),
            ColumnValue::Integer(i64::from(self.form_version)),
            self.visit_date().map(|date| date.to_string()).unwrap_or_default().into(),
            self.risk_colour().map(|colour| colour.code().to_owned()).into(),
            self.next_visit_date().map(|date| date.to_string()).into(),
            ColumnValue::Integer(i64::from(self.needs_mandatory_report())),
        ]
    }
    fn named_photos(&self) -> Vec<PhotoHash> {
        self.photo_hashes()
    }
    fn parent_id(&self) -> Option<Uuid> {
        Some(self.child_id)
    }
}

impl StoredRecord for Child {
    const TABLE: RecordTable = CHILDREN;
    fn id(&self) -> Uuid {
        self.id
    }
    fn revision(&self) -> u32 {
        self.revision
    }
    fn updated_at(&self) -> DateTime<FixedOffset> {
        self.updated_at
    }
    fn column_values(&self) -> Vec<ColumnValue> {
        vec![
            self.name.clone().into(),
            self.village.clone().into(),
            self.birth_date.to_string().into(),
            id_number_key(self).into(),
        ]
    }
    fn as_child(&self) -> Option<&Child> {
        Some(self)
    }
}

impl StoredRecord for Pairing {
    const TABLE: RecordTable = PAIRINGS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn revision(&self) -> u32 {
        self.revision
    }
    fn updated_at(&self) -> DateTime<FixedOffset> {
        self.updated_at
    }
    fn column_values(&self) -> Vec<ColumnValue> {
        vec![
            self.child_id.to_string().into(),
            self.worker_id.to_string().into(),
            ColumnValue::Integer(i64::from(self.active)),
        ]
    }
    fn parent_id(&self) -> Option<Uuid> {
        Some(self.child_id)
    }
}

impl StoredRecord for CasePlan {
    const TABLE: RecordTable = CASE_PLANS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn revision(&self) -> u32 {
        self.revision
    }
    fn updated_at(&self) -> DateTime<FixedOffset> {
        self.updated_at
    }
    fn column_values(&self) -> Vec<ColumnValue> {
        vec![
            self.child_id.to_string().into(),
            self.report_visit_id.map(|visit| visit.to_string()).into(),
            self.state().code().to_owned().into(),
        ]
    }
    fn parent_id(&self) -> Option<Uuid> {
        Some(self.child_id)
    }
}

/// A record as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received<R> {
    pub record: R,
    /// When the server received this revision (for a conflict: this body, first).
    pub received_at: DateTime<Utc>,
}

/// A visit as the server holds it.
pub type ReceivedVisit = Received<Visit>;
/// A child's file as the server holds it.
pub type ReceivedChild = Received<Child>;

/// Stores one revision of a record sent by `sender`, received at `received_at`, and returns
/// only after the change is committed (and, with the database's `synchronous=FULL`, synced to disk).
///
/// What happens is core's [`arrival::decide`]: a new id is created; a newer revision
/// replaces the held one and joins the history; an older revision, or the same one with the
/// same content, changes nothing. The same revision with other content leaves the held one
/// current and is kept in the conflicts table (once, however often it is sent) for a person
/// to look at. The read and the write
/// happen in one `BEGIN IMMEDIATE` transaction, which takes the database's write lock
/// before reading, so two requests for one id are decided one after the other and only
/// one can create it.
///
/// A record that would be stored (new, newer or a conflict) and names photos the server
/// does not hold whole is refused with [`StoreError::MissingPhotos`], and nothing changes.
/// The check and the write share the transaction, and the cleanup removes a photo under the
/// same write lock, so a photo named by a stored record is never removed.
///
/// A record belongs to the place (township and village) of the phone that first sent it; a
/// record held for another place, or a visit whose child's file is held for another place,
/// is refused with [`StoreError::OutOfScope`] (core's [`Place::may_change`]).
pub async fn store<R: StoredRecord>(
    pool: &AnyPool,
    record: &R,
    sender: &Worker,
    received_at: DateTime<Utc>,
) -> Result<Arrival, StoreError> {
    // Rolled back when dropped, so an error (or a cancelled request) leaves nothing behind.
    let mut tx = db::begin_write(pool).await?;
    let stored = store_in(&mut tx, record, sender, received_at).await?;
    tx.commit().await?;
    Ok(stored)
}

/// The reads and writes of [`store`], on a connection that is already in a write
/// (`BEGIN IMMEDIATE`) transaction, which the caller commits, or rolls back on an error.
/// [`crate::store::group_commit`] stores many records in one transaction this way.
pub async fn store_in<R: StoredRecord>(
    tx: &mut AnyConnection,
    record: &R,
    sender: &Worker,
    received_at: DateTime<Utc>,
) -> Result<Arrival, StoreError> {
    let file = child_merge::file_held(&mut *tx, record).await?;
    if let FileHeld::Merged(kept_file) = &file {
        if kept_file.as_child().is_some() {
            return arrive_for_merged_file(&mut *tx, record, kept_file, sender, received_at).await;
        }
    }
    let record = match &file {
        FileHeld::Merged(moved) => moved,
        FileHeld::None | FileHeld::At(_) => record,
    };
    let table = R::TABLE;
    let id = record.id().to_string();
    let revision = record.revision();
    let body = canonical_body(record)?;
    let at = received_at;

    let held = held_row(&mut *tx, table, record.id()).await?;
    if let Some((_, _, township, village)) = &held {
        require_scope(sender, township, village)?;
    }
    match (&file, table.parent, record.parent_id()) {
        // The child's file as read above.
        (FileHeld::At(place), Some(_), Some(_)) => require_scope(sender, &place.township, &place.village)?,
        // The file kept by a merge: read now.
        (FileHeld::Merged(_), Some(parent), Some(parent_id)) => {
            let parent_place: Option<(String, String)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT scope_township, scope_village FROM {parent} WHERE id = $1"
            )))
            .bind(parent_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((township, village)) = &parent_place {
                require_scope(sender, township, village)?;
            }
        }
        _ => {}
    }

    let held_revision = match &held {
        None => None,
        Some((held_revision, ..)) => Some(u32::try_from(*held_revision).map_err(|_| StorageError::Corrupt {
            what: format!("{} {id} revision {held_revision}", table.kind),
            detail: "revision out of range".to_owned(),
        })?),
    };
    let same_content = || held.as_ref().is_some_and(|(_, held_body, ..)| same_record(held_body, record));
    let arrival = arrival::decide(held_revision, revision, same_content).map_err(StoreError::Invalid)?;
    let diverged = match (arrival.status, &held) {
        (PutStatus::Conflict, Some((_, held_body, ..))) => Some(held_body),
        // An older revision than the one held that the history does not have, and that its
        // phone has not since replaced by a later one: another phone's edit made from an
        // older revision (a resend, or a late copy of the phone's own older save, is
        // unchanged).
        (PutStatus::Unchanged, Some((_, held_body, ..)))
            if revision < arrival.revision && !superseded(&mut *tx, record, sender).await? =>
        {
            Some(held_body)
        }
        _ => None,
    };
    if let Some(held_body) = diverged {
        return merge_or_keep(&mut *tx, record, held_body, arrival, &body, sender, at).await;
    }
    if arrival.status == PutStatus::Unchanged {
        return Ok(arrival);
    }
    store_current(&mut *tx, record, &body, sender, at).await?;
    Ok(arrival)
}

/// The current row of record `id` in `table`: its revision, body and place.
async fn held_row(
    tx: &mut AnyConnection,
    table: RecordTable,
    id: Uuid,
) -> Result<Option<(i64, String, String, String)>, StorageError> {
    let row = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT revision, body, scope_township, scope_village FROM {} WHERE id = $1",
        table.current
    )))
    .bind(id.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row)
}

/// An edit of a child's file merged since into another (`kept_file`: the edit as the kept
/// file's): a revision the server holds already changes nothing; any other is kept aside
/// beside the kept file, for the supervisor to reconcile, and counts as delivered in
/// conflict (`revision`: the kept file's).
async fn arrive_for_merged_file<R: StoredRecord>(
    tx: &mut AnyConnection,
    record: &R,
    kept_file: &R,
    sender: &Worker,
    at: DateTime<Utc>,
) -> Result<Arrival, StoreError> {
    let Some((merged_revision, merged_body, township, village)) = held_row(&mut *tx, R::TABLE, record.id()).await?
    else {
        return Err(StorageError::Corrupt {
            what: format!("child {}", record.id()),
            detail: "merged, not held".into(),
        }
        .into());
    };
    require_scope(sender, &township, &village)?;
    let known = i64::from(record.revision()) <= merged_revision
        && (same_record(&merged_body, record) || superseded(&mut *tx, record, sender).await?);
    let Some((kept_revision, ..)) = held_row(&mut *tx, R::TABLE, kept_file.id()).await? else {
        return Err(StorageError::Corrupt {
            what: format!("child {}", kept_file.id()),
            detail: "a merge's kept file, not held".into(),
        }
        .into());
    };
    let kept_revision = u32::try_from(kept_revision).unwrap_or(u32::MAX);
    if known {
        return Ok(Arrival { status: PutStatus::Unchanged, revision: kept_revision });
    }
    keep_conflict(&mut *tx, kept_file, &canonical_body(kept_file)?, sender, at).await?;
    Ok(Arrival { status: PutStatus::Conflict, revision: kept_revision })
}

/// Stores `record`, made on the server for `acting` (a supervisor's merge moving a record to
/// another file), as the current revision: the caller has decided that it is newer and that
/// she may change it.
pub async fn store_made_here<R: StoredRecord>(
    tx: &mut AnyConnection,
    record: &R,
    acting: &Worker,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    store_current(tx, record, &canonical_body(record)?, acting, at).await
}

/// Makes `record` the current revision and adds it to the history (new, or newer than the
/// one held, as decided under the write lock), once its photos are all here; notes it in
/// the changes feed, its possible duplicates and the audit log.
async fn store_current<R: StoredRecord>(
    tx: &mut AnyConnection,
    record: &R,
    body: &str,
    sender: &Worker,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let table = R::TABLE;
    let id = record.id().to_string();
    let revision = record.revision();
    let received_at = at.to_rfc3339_opts(SecondsFormat::Millis, true);
    require_photos(&mut *tx, record, sender).await?;
    let columns = table.columns.join(", ");
    // $1 and $2 the id and revision, then the table's own columns, then the six after them.
    let placeholder = |n: usize| format!("${n}");
    let placeholders: Vec<String> = (3..3 + table.columns.len()).map(placeholder).collect();
    let after: Vec<String> = (3 + table.columns.len()..9 + table.columns.len()).map(placeholder).collect();
    let placeholders = placeholders.join(", ");
    let after = after.join(", ");
    let updates: String = table.columns.iter().map(|c| format!("{c} = excluded.{c}, ")).collect();
    let upsert = format!(
        "INSERT INTO {current} (id, revision, {columns}, body, updated_at, received_at, \
         scope_township, scope_village, sent_by) \
         VALUES ($1, $2, {placeholders}, {after}) \
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, {updates}\
         body = excluded.body, updated_at = excluded.updated_at, received_at = excluded.received_at, \
         scope_township = excluded.scope_township, scope_village = excluded.scope_village, \
         sent_by = excluded.sent_by",
        current = table.current,
    );
    let mut query = sqlx::query(AssertSqlSafe(upsert)).bind(&id).bind(i64::from(revision));
    for value in record.column_values() {
        query = match value {
            ColumnValue::Text(text) => query.bind(text),
            ColumnValue::Integer(number) => query.bind(number),
            ColumnValue::Null => query.bind(None::<String>),
        };
    }
    query
        .bind(body)
        .bind(record.updated_at().to_rfc3339())
        .bind(&received_at)
        .bind(&sender.place.township)
        .bind(&sender.place.village)
        .bind(sender.id.to_string())
        .execute(&mut *tx)
        .await?;

    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {} (id, revision, body, received_at, sent_by) VALUES ($1, $2, $3, $4, $5)",
        table.revisions
    )))
    .bind(&id)
    .bind(i64::from(revision))
    .bind(body)
    .bind(&received_at)
    .bind(sender.id.to_string())
    .execute(&mut *tx)
    .await?;
    note_photos(&mut *tx, &id, record, sender).await?;
    let child = record.parent_id().unwrap_or_else(|| record.id());
    change_feed::note(&mut *tx, table, record.id(), child, &sender.place).await?;
    if let Some(file) = record.as_child() {
        possible_duplicates::note(&mut *tx, file, &sender.place, at).await?;
    }
    audit_stored(&mut *tx, record, sender, "stored", at).await?;
    Ok(())
}

/// Whether `record` (older than the revision held) is already accounted for: the history
/// holds its revision with its content, or `sender`'s phone sent a later revision since.
async fn superseded<R: StoredRecord>(tx: &mut AnyConnection, record: &R, sender: &Worker) -> Result<bool, StoreError> {
    let body: Option<String> = history_body(&mut *tx, R::TABLE, record.id(), record.revision()).await?;
    if body.is_some_and(|body| same_record(&body, record)) {
        return Ok(true);
    }
    let Flag(later): Flag = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT EXISTS (SELECT 1 FROM {} WHERE id = $1 AND revision > $2 AND sent_by = $3)",
        R::TABLE.revisions
    )))
    .bind(record.id().to_string())
    .bind(i64::from(record.revision()))
    .bind(sender.id.to_string())
    .fetch_one(&mut *tx)
    .await
    .map_err(StorageError::from)?;
    Ok(later)
}

/// The body of revision `revision` of record `id` in `table`'s history.
async fn history_body(
    tx: &mut AnyConnection,
    table: RecordTable,
    id: Uuid,
    revision: u32,
) -> Result<Option<String>, StorageError> {
    let body = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT body FROM {} WHERE id = $1 AND revision = $2",
        table.revisions
    )))
    .bind(id.to_string())
    .bind(i64::from(revision))
    .fetch_optional(&mut *tx)
    .await?;
    Ok(body)
}

/// Another phone's edit made from an older revision than the one held (`held_body`;
/// `decided`: what core's `arrival::decide` said of it): merged with the held one field by
/// field against the revision it was made from (core's [`field_merge`]) and stored as the
/// next revision, sent by `sender`; when both changed a field, kept aside as a conflict for
/// a person, the held one staying current. Without the revision it was made from in the
/// history, nothing can be merged: the same revision with other content is a conflict, an
/// older one changes nothing (as [`arrival::decide`] said).
async fn merge_or_keep<R: StoredRecord>(
    tx: &mut AnyConnection,
    record: &R,
    held_body: &str,
    decided: Arrival,
    body: &str,
    sender: &Worker,
    at: DateTime<Utc>,
) -> Result<Arrival, StoreError> {
    let base = match record.revision().checked_sub(1) {
        Some(base) if base > 0 => history_body(&mut *tx, R::TABLE, record.id(), base).await?,
        _ => None,
    };
    let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
    let held_revision = decided.revision;
    let held = parse(held_body);
    let merged = match (base.as_deref().and_then(parse), &held, parse(body)) {
        (Some(base), Some(held), Some(sent)) => field_merge::merge(&base, held, &sent),
        _ if decided.status == PutStatus::Unchanged => return Ok(decided),
        _ => None,
    };
    let Some(FieldMerge::Merged(mut merged)) = merged else {
        keep_conflict(&mut *tx, record, body, sender, at).await?;
        return Ok(Arrival { status: PutStatus::Conflict, revision: held_revision });
    };
    if held.as_ref() == Some(&merged) {
        // Nothing of the sent edit is not in the held revision already.
        return Ok(Arrival { status: PutStatus::Unchanged, revision: held_revision });
    }
    let next = held_revision.saturating_add(1);
    merged["revision"] = serde_json::Value::from(next);
    merged["updated_at"] = serde_json::Value::from(record.updated_at().to_rfc3339());
    let merged: R = serde_json::from_value(merged).map_err(|error| StorageError::Corrupt {
        what: format!("{} {} merged", R::TABLE.kind, record.id()),
        detail: error.to_string(),
    })?;
    let merged_body = canonical_body(&merged)?;
    store_current(&mut *tx, &merged, &merged_body, sender, at).await?;
    Ok(Arrival { status: PutStatus::Updated, revision: next })
}

/// Keeps a revision that arrived with the held revision's number but other content aside
/// for a person to reconcile (once, however often it is sent), once its photos are here.
async fn keep_conflict<R: StoredRecord>(
    tx: &mut AnyConnection,
    record: &R,
    body: &str,
    sender: &Worker,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let table = R::TABLE;
    let id = record.id().to_string();
    let revision = record.revision();
    require_photos(&mut *tx, record, sender).await?;
    let (kept, this_one): (i64, Option<i64>) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT COUNT(*), SUM(CASE WHEN body = $1 THEN 1 ELSE 0 END) FROM {} WHERE id = $2",
        table.conflicts
    )))
    .bind(body)
    .bind(&id)
    .fetch_one(&mut *tx)
    .await?;
    if kept >= CONFLICTS_PER_RECORD_MAX && this_one.unwrap_or(0) == 0 {
        tracing::warn!(kind = table.kind, kept, "a further conflicting body refused");
        return Err(StoreError::TooManyConflicts);
    }
    tracing::warn!(
        kind = table.kind,
        revision,
        "the same revision arrived with different content; the held one stays current \
         and this one is kept aside for a person to reconcile"
    );
    let kept = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {} (id, revision, body, received_at, sent_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id, revision, body) DO NOTHING",
        table.conflicts
    )))
    .bind(&id)
    .bind(i64::from(revision))
    .bind(body)
    .bind(at.to_rfc3339_opts(SecondsFormat::Millis, true))
    .bind(sender.id.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    note_photos(&mut *tx, &id, record, sender).await?;
    if kept > 0 {
        audit_stored(&mut *tx, record, sender, "kept aside as a conflict", at).await?;
    }
    Ok(())
}

/// Refuses a record held for a place the sender may not change.
fn require_scope(sender: &Worker, township: &str, village: &str) -> Result<(), StoreError> {
    let held = Place { township: township.to_owned(), village: village.to_owned() };
    if sender.place.may_change(&held) {
        Ok(())
    } else {
        tracing::warn!(sender = %sender.id, "a record of another place was refused");
        Err(StoreError::OutOfScope)
    }
}

/// Writes the audit row of a revision stored (or kept aside) from `sender`'s phone: which
/// record, which revision, and the child it concerns.
async fn audit_stored<R: StoredRecord>(
    conn: &mut AnyConnection,
    record: &R,
    sender: &Worker,
    how: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let table = R::TABLE;
    let action = table.audit_action;
    let subject = format!("{} {} revision {}: {how}", table.kind, record.id(), record.revision());
    let child = record.parent_id().unwrap_or_else(|| record.id());
    let reader = Reader { device: Some(sender.id), name: &sender.name };
    audit::record_in(conn, &reader, action, &subject, Some(child), at).await?;
    Ok(())
}

/// Refuses a record that names photos the server does not hold whole for the sender's place.
async fn require_photos<R: StoredRecord>(
    conn: &mut AnyConnection,
    record: &R,
    sender: &Worker,
) -> Result<(), StoreError> {
    if R::TABLE.photos.is_none() {
        return Ok(());
    }
    let missing = visit_photos::missing(conn, &record.named_photos(), &sender.place).await?;
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::MissingPhotos(missing))
    }
}

/// Indexes the photos this revision names, which are the sender's place's from now on.
async fn note_photos<R: StoredRecord>(
    conn: &mut AnyConnection,
    id: &str,
    record: &R,
    sender: &Worker,
) -> Result<(), StoreError> {
    if let Some(index) = R::TABLE.photos {
        let named = record.named_photos();
        visit_photos::note(conn, index, id, record.revision(), &named).await?;
        photo_places::claim(conn, &named, &sender.place).await?;
    }
    Ok(())
}

/// The newest revision of every record of the kind, in the table's order.
pub async fn current<R: StoredRecord>(pool: &AnyPool) -> Result<Vec<Received<R>>, StorageError> {
    let table = R::TABLE;
    read(pool, format!("SELECT body, received_at FROM {} ORDER BY {}", table.current, table.order_by)).await
}

/// Every revision of every record of the kind ever received, by id then revision.
pub async fn history<R: StoredRecord>(pool: &AnyPool) -> Result<Vec<Received<R>>, StorageError> {
    read(pool, format!("SELECT body, received_at FROM {} ORDER BY id, revision", R::TABLE.revisions)).await
}

/// Every conflicting body kept aside, by id, revision, then when it arrived.
pub async fn conflicts<R: StoredRecord>(pool: &AnyPool) -> Result<Vec<Received<R>>, StorageError> {
    read(pool, format!("SELECT body, received_at FROM {} ORDER BY id, revision, received_at", R::TABLE.conflicts)).await
}

/// The newest revision of every visit, by visit date then id.
pub async fn current_visits(pool: &AnyPool) -> Result<Vec<ReceivedVisit>, StorageError> {
    current(pool).await
}

/// Every revision of every visit ever received, by id then revision.
pub async fn all_revisions(pool: &AnyPool) -> Result<Vec<ReceivedVisit>, StorageError> {
    history(pool).await
}

async fn read<R: StoredRecord>(pool: &AnyPool, sql: String) -> Result<Vec<Received<R>>, StorageError> {
    let rows: Vec<(String, String)> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await?;
    rows.into_iter().map(|(body, received_at)| parse_row(&body, &received_at)).collect()
}

/// The JSON kept in `body`: exactly the wire form of the record.
fn canonical_body<R: StoredRecord>(record: &R) -> Result<String, StorageError> {
    serde_json::to_string(record).map_err(|e| StorageError::Corrupt {
        what: format!("{} {}", R::TABLE.kind, record.id()),
        detail: e.to_string(),
    })
}

/// Whether a stored body is the same record, compared as records rather than as text.
fn same_record<R: StoredRecord>(held_body: &str, record: &R) -> bool {
    serde_json::from_str::<R>(held_body).is_ok_and(|held| held == *record)
}

fn parse_row<R: StoredRecord>(body: &str, received_at: &str) -> Result<Received<R>, StorageError> {
    let kind = R::TABLE.kind;
    let record: R = serde_json::from_str(body)
        .map_err(|e| StorageError::Corrupt { what: format!("{kind} body"), detail: e.to_string() })?;
    let received_at = DateTime::parse_from_rfc3339(received_at)
        .map_err(|e| StorageError::Corrupt {
            what: format!("received_at of {kind} {}", record.id()),
            detail: e.to_string(),
        })?
        .with_timezone(&Utc);
    Ok(Received { record, received_at })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tokio::sync::Barrier;
    use tongxing_core::fixtures::{sample_child, sample_director, sample_visit};
    use tongxing_core::form::AnswerValue;

    use super::*;
    use crate::store::db;

    fn visit(revision: u32) -> Visit {
        let mut visit = sample_visit();
        visit.answers.set("actions_taken", AnswerValue::Text(format!("第{revision}次保存")));
        visit.revision = revision;
        visit
    }

    fn child(revision: u32, notes: &str) -> Child {
        Child { notes: notes.into(), revision, ..sample_child() }
    }

    /// Many writers released at the same instant, round after round, on a fresh id each
    /// round: exactly one creates it, and (for `BEGIN IMMEDIATE` to be doing its work) none
    /// fails on a stale snapshot.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn writers_racing_for_one_id_create_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
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
                        store(&pool, &visit, &sample_director(), Utc::now()).await
                    })
                })
                .collect();
            let mut created = 0;
            for writer in writers {
                let stored = writer.await.unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
                if stored.status == PutStatus::Created {
                    created += 1;
                } else {
                    assert_eq!(stored, Arrival { status: PutStatus::Unchanged, revision: 1 });
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
        let pool = db::open_for_test(dir.path()).await.unwrap();
        crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
        let statuses = [
            store(&pool, &visit(1), &sample_director(), Utc::now()).await.unwrap(),
            store(&pool, &visit(3), &sample_director(), Utc::now()).await.unwrap(),
            store(&pool, &visit(2), &sample_director(), Utc::now()).await.unwrap(),
        ];
        assert_eq!(
            statuses.map(|s| (s.status, s.revision)),
            [(PutStatus::Created, 1), (PutStatus::Updated, 3), (PutStatus::Unchanged, 3)]
        );
        let revisions: Vec<u32> = all_revisions(&pool).await.unwrap().iter().map(|r| r.record.revision).collect();
        assert_eq!(revisions, [1, 3]);
        let current = current_visits(&pool).await.unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].record, visit(3));
    }

    #[tokio::test]
    async fn kinds_are_kept_apart_and_conflicts_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
        let first = child(1, "父母在广东打工");
        let other = child(1, "另一台手机上的内容");
        assert_eq!(store(&pool, &first, &sample_director(), Utc::now()).await.unwrap().status, PutStatus::Created);
        for _ in 0..2 {
            let stored = store(&pool, &other, &sample_director(), Utc::now()).await.unwrap();
            assert_eq!(stored, Arrival { status: PutStatus::Conflict, revision: 1 });
        }
        assert_eq!(store(&pool, &first, &sample_director(), Utc::now()).await.unwrap().status, PutStatus::Unchanged);

        let current: Vec<Child> = current(&pool).await.unwrap().into_iter().map(|r| r.record).collect();
        assert_eq!(current, std::slice::from_ref(&first));
        let kept: Vec<Child> = conflicts(&pool).await.unwrap().into_iter().map(|r| r.record).collect();
        assert_eq!(kept, [other]);
        assert_eq!(history::<Child>(&pool).await.unwrap().len(), 1);
        assert!(current_visits(&pool).await.unwrap().is_empty());
        assert!(conflicts::<Visit>(&pool).await.unwrap().is_empty());

        // Each body kept is written to the audit log once, with its sender, who is kept with it.
        let director = sample_director().id.to_string();
        let rows = audit::entries(&pool).await.unwrap();
        let subjects: Vec<&str> = rows.iter().map(|e| e.subject.as_str()).collect();
        assert_eq!(rows.len(), 2, "{subjects:?}");
        assert!(subjects[0].ends_with("revision 1: stored") && subjects[1].ends_with("kept aside as a conflict"));
        let child_id = first.id.to_string();
        assert!(rows.iter().all(|e| e.action == audit::STORE_CHILD
            && e.device_id.as_deref() == Some(director.as_str())
            && e.child_id.as_deref() == Some(child_id.as_str())));
        for table in ["child_revisions", "child_conflicts"] {
            let senders: Vec<Option<String>> =
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT sent_by FROM {table}")))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            assert_eq!(senders, [Some(director.clone())], "{table}");
        }
    }

    #[tokio::test]
    async fn a_visit_s_columns_are_taken_from_its_answers() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open_for_test(dir.path()).await.unwrap();
        crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
        let ordinary = sample_visit();
        let mut harmed = visit(1);
        harmed.id = Uuid::from_u128(7);
        harmed.answers.set("harm_signs", AnswerValue::Bool(true));
        harmed.answers.set("risk_colour", AnswerValue::Text(String::new()));
        harmed.answers.set("next_visit_date", AnswerValue::Text("not a date".into()));
        harmed.answers.set("visit_date", AnswerValue::Text(String::new()));
        for v in [&ordinary, &harmed] {
            store(&pool, v, &sample_director(), Utc::now()).await.unwrap();
        }

        type Row = (String, String, i64, String, Option<String>, Option<String>, i64);
        let row = |id: Uuid| {
            let pool = pool.clone();
            async move {
                sqlx::query_as::<_, Row>(
                    "SELECT child_id, form_id, form_version, visit_date, risk_colour, next_visit_date, \
                     mandatory_report FROM visits WHERE id = $1",
                )
                .bind(id.to_string())
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        let child_id = sample_child().id.to_string();
        assert_eq!(
            row(ordinary.id).await,
            (
                child_id.clone(),
                "home_visit".into(),
                1,
                "2026-11-20".into(),
                Some("yellow".into()),
                Some("2026-12-04".into()),
                0
            )
        );
        assert_eq!(
            row(harmed.id).await,
            (child_id, "home_visit".into(), 1, String::new(), None, None, 1),
            "what cannot be read from the answers is '' or NULL, never a failed store"
        );
        let by_child: Vec<String> =
            sqlx::query_scalar("SELECT id FROM visits WHERE child_id = $1 ORDER BY visit_date DESC")
                .bind(sample_child().id.to_string())
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(by_child, [ordinary.id.to_string(), harmed.id.to_string()]);
    }

    /// A database made before visits held answers keeps its old visits, renamed aside,
    /// and takes new ones.
    #[tokio::test]
    async fn old_visits_are_kept_aside_by_the_answers_migration() {
        use sqlx::sqlite::SqliteConnectOptions;
        let dir = tempfile::tempdir().unwrap();
        let path = db::database_path(dir.path());
        let old = sqlx::SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path).create_if_missing(true))
            .await
            .unwrap();
        db::MIGRATOR.run_to(2, &old).await.unwrap();
        let old_body = r#"{"id":"6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a","child_name":"王小明"}"#;
        sqlx::query(
            "INSERT INTO visits (id, revision, child_name, visit_date, visit_type, risk_colour, body, updated_at, \
             received_at) VALUES ('6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a', 1, '王小明', '2026-01-20', 'home', \
             'red', $1, '2026-01-20T10:15:00+08:00', '2026-01-20T02:16:00.000Z')",
        )
        .bind(old_body)
        .execute(&old)
        .await
        .unwrap();
        for table in ["visit_revisions", "visit_conflicts"] {
            sqlx::query(AssertSqlSafe(format!(
                "INSERT INTO {table} (id, revision, body, received_at) \
                 VALUES ('6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a', 1, $1, '2026-01-20T02:16:00.000Z')"
            )))
            .bind(old_body)
            .execute(&old)
            .await
            .unwrap();
        }
        old.close().await;

        let pool = db::open(dir.path()).await.unwrap();
        crate::store::workers::devices::enrol_for_test(&pool, &sample_director()).await;
        for table in ["legacy_visits_v0", "legacy_visit_revisions_v0", "legacy_visit_conflicts_v0"] {
            let bodies: Vec<String> =
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT body FROM {table}"))).fetch_all(&pool).await.unwrap();
            assert_eq!(bodies, [old_body], "{table}");
        }
        assert!(current_visits(&pool).await.unwrap().is_empty());
        let v = sample_visit();
        assert_eq!(
            store(&pool, &v, &sample_director(), Utc::now()).await.unwrap().status,
            PutStatus::Created,
            "same id, new table"
        );
        let mut conflicting = v.clone();
        conflicting.answers.set("actions_taken", AnswerValue::Text("另一台手机".into()));
        assert_eq!(
            store(&pool, &conflicting, &sample_director(), Utc::now()).await.unwrap().status,
            PutStatus::Conflict
        );
        assert_eq!(current_visits(&pool).await.unwrap().len(), 1);
        assert_eq!(conflicts::<Visit>(&pool).await.unwrap().len(), 1);
        let foreign_key_errors: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&pool).await.unwrap();
        assert!(foreign_key_errors.is_empty(), "{foreign_key_errors:?}");
    }
}
