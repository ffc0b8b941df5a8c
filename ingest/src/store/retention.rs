//! How long the server keeps what is safe to drop (`tongxing-ingest retention`): invites
//! that no phone joined with, once expired or revoked; recoveries, once used or expired;
//! and each device's daily photo count, once its day is long past. Each kind has its own
//! number of days.
//!
//! Children's files, visits, pairings and their revisions, conflicts kept aside (reconciled
//! or not: what a phone sent is never deleted), photos, devices, the data keys left for a
//! recovery and the audit log are never removed here: child-protection records are kept for
//! years, as the law and the county decide.
//!
//! [`plan`] counts what would go; [`apply`] removes it, one transaction per kind, and writes
//! the count (never what the rows named) to the audit log in that transaction.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{AnyPool, AssertSqlSafe};

use crate::store::audit::{self, Reader};
use crate::store::db::{self, StorageError};

/// Days an expired or revoked invite that no phone joined with is kept, unless told.
pub const DEFAULT_INVITES_DAYS: RetentionDays = RetentionDays(90);
/// Days a used or expired recovery is kept, unless told.
pub const DEFAULT_RECOVERIES_DAYS: RetentionDays = RetentionDays(30);
/// Days a device's daily photo count is kept after its day, unless told.
pub const DEFAULT_UPLOAD_QUOTA_DAYS: RetentionDays = RetentionDays(30);

/// What is kept whatever the days, said where retention is reported.
pub const ALWAYS_KEPT: &str = "kept, never removed by retention: children's files, visits and pairings with \
     all their revisions, conflicts kept aside (what a phone sent is never deleted), photos, \
     devices, recovery keys and the audit log; child-protection records are kept for years, as the law \
     and the county decide";

/// A number of days to keep something: one or more (shown as the bare number, as typed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionDays(u32);

/// Days that cannot be a retention period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a number of days to keep: give a whole number of days, 1 or more")]
pub struct BadRetentionDays {
    pub given: String,
}

impl RetentionDays {
    /// Reads days as typed on the command line: a whole number, 1 or more.
    pub fn parse(given: &str) -> Result<RetentionDays, BadRetentionDays> {
        match given.trim().parse::<u32>() {
            Ok(days) if days >= 1 => Ok(RetentionDays(days)),
            _ => Err(BadRetentionDays { given: given.to_owned() }),
        }
    }

    /// `days`, which must be 1 or more.
    pub fn new(days: u32) -> Result<RetentionDays, BadRetentionDays> {
        RetentionDays::parse(&days.to_string())
    }

    /// The number of days.
    pub fn days(self) -> u32 {
        self.0
    }

    /// The time before which what ended is removed.
    fn cutoff(self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - TimeDelta::days(i64::from(self.0))
    }
}

impl fmt::Display for RetentionDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A kind of record that retention removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetainedKind {
    /// Invites expired or revoked before the cut-off with which no phone joined (a phone's
    /// row names its invite, so those are kept as long as the phone).
    Invites,
    /// Recoveries used or expired before the cut-off.
    Recoveries,
    /// Each device's photo bytes of a UTC day before the cut-off's day.
    UploadQuota,
}

impl RetainedKind {
    /// Every kind, in the order reported.
    pub const ALL: [RetainedKind; 3] = [RetainedKind::Invites, RetainedKind::Recoveries, RetainedKind::UploadQuota];

    /// The kind's name, as its flag and the audit log name it.
    pub fn name(self) -> &'static str {
        match self {
            RetainedKind::Invites => "invites",
            RetainedKind::Recoveries => "recoveries",
            RetainedKind::UploadQuota => "upload-quota",
        }
    }

    /// What goes, for a person.
    pub fn description(self) -> &'static str {
        match self {
            RetainedKind::Invites => "invites expired or revoked before the cut-off that no phone joined with",
            RetainedKind::Recoveries => "recoveries used or expired before the cut-off",
            RetainedKind::UploadQuota => "daily photo counts of devices, of days before the cut-off",
        }
    }

    /// The rows that go, after `FROM`, with the cut-off as `$1` (fixed text, never input).
    fn rows(self) -> &'static str {
        match self {
            RetainedKind::Invites => {
                "invites WHERE (expires_at < $1 OR revoked_at < $1) \
                 AND NOT EXISTS (SELECT 1 FROM devices AS d WHERE d.invite = invites.code_hash)"
            }
            RetainedKind::Recoveries => "recoveries WHERE expires_at < $1 OR used_at < $1",
            RetainedKind::UploadQuota => "upload_quota WHERE day < $1",
        }
    }

    /// The cut-off as the kind's table compares it.
    fn cutoff_column(self, cutoff: DateTime<Utc>) -> String {
        match self {
            RetainedKind::UploadQuota => cutoff.date_naive().to_string(),
            _ => db::timestamp(cutoff),
        }
    }
}

/// The days each kind is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub invites: RetentionDays,
    pub recoveries: RetentionDays,
    pub upload_quota: RetentionDays,
}

impl Default for RetentionPolicy {
    fn default() -> RetentionPolicy {
        RetentionPolicy {
            invites: DEFAULT_INVITES_DAYS,
            recoveries: DEFAULT_RECOVERIES_DAYS,
            upload_quota: DEFAULT_UPLOAD_QUOTA_DAYS,
        }
    }
}

impl RetentionPolicy {
    /// The days `kind` is kept.
    pub fn days(&self, kind: RetainedKind) -> RetentionDays {
        match kind {
            RetainedKind::Invites => self.invites,
            RetainedKind::Recoveries => self.recoveries,
            RetainedKind::UploadQuota => self.upload_quota,
        }
    }
}

/// How many rows of one kind go (or went), and from before when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCount {
    pub kind: RetainedKind,
    pub days: RetentionDays,
    /// The cut-off, as the kind's table compares it.
    pub before: String,
    pub count: u64,
}

impl fmt::Display for KindCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (kept {} days, before {})", self.kind.name(), self.count, self.days, self.before)
    }
}

/// Counts, kind by kind, what [`apply`] would remove at `now`; removes nothing.
pub async fn plan(
    pool: &AnyPool,
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
) -> Result<Vec<KindCount>, StorageError> {
    let mut counts = Vec::with_capacity(RetainedKind::ALL.len());
    for kind in RetainedKind::ALL {
        let days = policy.days(kind);
        let before = kind.cutoff_column(days.cutoff(now));
        let count: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT count(*) FROM {}", kind.rows())))
            .bind(&before)
            .fetch_one(pool)
            .await?;
        let count = db::count(count, || kind.name().to_owned())?;
        counts.push(KindCount { kind, days, before, count });
    }
    Ok(counts)
}

/// Removes, kind by kind, what is older than `policy` keeps at `now`: one transaction per
/// kind, which also writes an `apply_retention` row to the audit log naming the kind, the
/// days and the count. Returns the counts removed.
pub async fn apply(
    pool: &AnyPool,
    policy: &RetentionPolicy,
    reader: &Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<KindCount>, StorageError> {
    let mut counts = Vec::with_capacity(RetainedKind::ALL.len());
    for kind in RetainedKind::ALL {
        let days = policy.days(kind);
        let before = kind.cutoff_column(days.cutoff(now));
        let mut tx = db::begin_write(pool).await?;
        let removed =
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {}", kind.rows()))).bind(&before).execute(&mut *tx).await?;
        let removed = KindCount { kind, days, before, count: removed.rows_affected() };
        audit::record_in(&mut tx, reader, audit::APPLY_RETENTION, &removed.to_string(), None, now).await?;
        tx.commit().await?;
        counts.push(removed);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests;
