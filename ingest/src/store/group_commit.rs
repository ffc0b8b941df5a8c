//! Group commit: the records that requests send are stored by one writer task, many in one
//! transaction and one sync to disk, instead of one transaction (and one fsync) each.
//!
//! A request queues its record and waits. The writer takes everything queued (up to
//! [`MAX_BATCH`]), opens one `BEGIN IMMEDIATE` transaction, stores each record inside a
//! savepoint of its own with [`records::store_in`] (so one record's refusal, such as
//! missing photos, rolls back only that record), commits once, and only then answers each
//! request. A `2xx` still means committed and synced (`synchronous=FULL`); what changes is
//! that one fsync serves every record of the batch. Nothing waits to fill a batch: when the
//! writer is idle a record is committed at once, and records that arrive while a commit
//! syncs form the next batch, so batches grow with the load.
//!
//! The records of a batch are decided one after the other under the write lock, exactly as
//! [`records::store`] decides them: two sends of one id in one batch create it once.
//! A request that goes away while its record waits does not take it out of the queue; the
//! record is stored and the phone's next try gets `unchanged`.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, AnyPool};
use tokio::sync::{mpsc, oneshot};
use tongxing_core::Worker;
use tracing::Instrument;

use crate::store::db::{self, StorageError};
use tongxing_core::arrival::Arrival;

use crate::store::records::{self, StoreError, StoredRecord};

/// Transactions the writer committed (each one sync to disk), on the operator's `/metrics`.
pub const GROUP_COMMITS: &str = "tongxing_group_commits_total";
/// Records per committed transaction.
pub const GROUP_COMMIT_BATCH: &str = "tongxing_group_commit_batch_size";
/// Transactions that could not be committed (every record in them was refused).
pub const GROUP_COMMIT_FAILURES: &str = "tongxing_group_commit_failures_total";

/// The most records stored in one transaction.
pub const MAX_BATCH: usize = 256;
/// Records waiting for the writer before senders wait to queue.
const QUEUE_CAPACITY: usize = 4096;

type Answer = Result<Arrival, StoreError>;
type StoreFuture<'c> = Pin<Box<dyn Future<Output = Answer> + Send + 'c>>;

/// A record waiting to be stored, whatever its kind.
trait Pending: Send + Sync {
    fn store_in<'c>(&'c self, conn: &'c mut AnyConnection) -> StoreFuture<'c>;
}

struct PendingRecord<R> {
    record: R,
    sender: Worker,
    received_at: DateTime<Utc>,
    /// The request's span, so that what storing logs is logged under the request.
    span: tracing::Span,
}

impl<R: StoredRecord> Pending for PendingRecord<R> {
    fn store_in<'c>(&'c self, conn: &'c mut AnyConnection) -> StoreFuture<'c> {
        let PendingRecord { record, sender, received_at, span } = self;
        Box::pin(records::store_in(conn, record, sender, *received_at).instrument(span.clone()))
    }
}

struct Job {
    pending: Box<dyn Pending>,
    answer: oneshot::Sender<Answer>,
}

/// The queue to the writer task; cheap to clone. The writer stops when every clone is gone.
#[derive(Debug, Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
    /// Transactions committed so far.
    commits: Arc<AtomicU64>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl GroupCommit {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(pool: AnyPool) -> GroupCommit {
        let (jobs, queue) = mpsc::channel(QUEUE_CAPACITY);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_batches(pool, queue, commits.clone()));
        GroupCommit { jobs, commits }
    }

    /// How many transactions (each one sync to disk) the writer has committed.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// How many records wait for the writer to take them.
    pub fn queued(&self) -> usize {
        self.jobs.max_capacity() - self.jobs.capacity()
    }

    /// Stores one revision of a record as [`records::store`] does, in the next batch,
    /// and returns once that batch is committed (synced to disk) or has failed.
    pub async fn store<R: StoredRecord>(&self, record: R, sender: Worker, received_at: DateTime<Utc>) -> Answer {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            pending: Box::new(PendingRecord { record, sender, received_at, span: tracing::Span::current() }),
            answer,
        };
        self.jobs.send(job).await.map_err(|_| writer_gone())?;
        answered.await.map_err(|_| writer_gone())?
    }
}

/// The writer stopped (the server is stopping): the phone tries again later.
fn writer_gone() -> StoreError {
    StoreError::Storage(StorageError::Busy(sqlx::Error::PoolClosed))
}

async fn write_batches(pool: AnyPool, mut queue: mpsc::Receiver<Job>, commits: Arc<AtomicU64>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let size = batch.len();
        let (pendings, answers): (Vec<_>, Vec<_>) = batch.drain(..).map(|job| (job.pending, job.answer)).unzip();
        let (committed, outcomes) = commit_batch(&pool, pendings).await;
        if committed {
            commits.fetch_add(1, Ordering::Relaxed);
            metrics::counter!(GROUP_COMMITS).increment(1);
            metrics::histogram!(GROUP_COMMIT_BATCH).record(size as f64);
            tracing::debug!(size, "batch committed");
        } else {
            metrics::counter!(GROUP_COMMIT_FAILURES).increment(1);
        }
        for (answer, outcome) in answers.into_iter().zip(outcomes) {
            // A request that went away no longer waits: its record is stored all the same.
            let _ = answer.send(outcome);
        }
    }
}

/// Stores the records in one transaction and commits once. Returns whether the transaction
/// was committed, and one answer per record, in order: its own refusal, or (when the batch as
/// a whole could not be committed) the batch's failure, or what storing it did.
///
/// Most batches store every record, so a batch is first written straight through. Only when
/// a record is refused (a photo not yet sent, another village's record) is the batch written
/// again, each record inside a savepoint of its own, so that the refusal rolls back only
/// that record: two statements a record saved in the common case, the same outcome in
/// either. A batch of one refused record needs no second try: its rollback is the savepoint's.
async fn commit_batch(pool: &AnyPool, pendings: Vec<Box<dyn Pending>>) -> (bool, Vec<Answer>) {
    let count = pendings.len();
    match write_batch(pool, &pendings, Savepoints::None).await {
        Written::Committed(outcomes) => (true, outcomes),
        Written::Failed(error) => (false, fail_all(count, &error)),
        Written::Refused(refusal) if count == 1 => (false, vec![Err(refusal)]),
        Written::Refused(_) => match write_batch(pool, &pendings, Savepoints::Each).await {
            Written::Committed(outcomes) => (true, outcomes),
            Written::Failed(error) => (false, fail_all(count, &error)),
            Written::Refused(refusal) => (false, fail_all(count, &refused_with_savepoints(refusal))),
        },
    }
}

/// Whether each record of a batch is written inside a savepoint of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Savepoints {
    None,
    Each,
}

/// What became of a batch's transaction.
enum Written {
    Committed(Vec<Answer>),
    /// The transaction failed as a whole (busy, disk full): nothing of it is kept.
    Failed(StorageError),
    /// Written without savepoints, a record was refused: nothing of the batch is kept.
    Refused(StoreError),
}

async fn write_batch(pool: &AnyPool, pendings: &[Box<dyn Pending>], savepoints: Savepoints) -> Written {
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        Err(error) => return Written::Failed(error.into()),
    };
    // Rolled back when dropped, so a failed batch leaves nothing behind.
    let mut tx = match db::begin_write_on(&mut conn).await {
        Ok(tx) => tx,
        Err(error) => return Written::Failed(error.into()),
    };
    let mut outcomes = Vec::with_capacity(pendings.len());
    for pending in pendings {
        let outcome = match savepoints {
            Savepoints::None => match pending.store_in(&mut tx).await {
                Ok(arrival) => Ok(arrival),
                Err(refusal) => return Written::Refused(refusal),
            },
            Savepoints::Each => match store_one(&mut tx, pending.as_ref()).await {
                Ok(outcome) => outcome,
                Err(error) => return Written::Failed(error),
            },
        };
        outcomes.push(outcome);
    }
    match tx.commit().await {
        Ok(()) => Written::Committed(outcomes),
        Err(error) => Written::Failed(error.into()),
    }
}

/// Stores one record inside a savepoint: kept when stored, rolled back when refused. The
/// outer error is one the transaction cannot go on after (SQLite may have rolled it back).
async fn store_one(conn: &mut AnyConnection, pending: &dyn Pending) -> Result<Answer, StorageError> {
    sqlx::query("SAVEPOINT record").execute(&mut *conn).await?;
    let outcome = pending.store_in(conn).await;
    if outcome.is_err() {
        sqlx::query("ROLLBACK TO record").execute(&mut *conn).await?;
    }
    sqlx::query("RELEASE record").execute(&mut *conn).await?;
    Ok(outcome)
}

/// A refusal that escaped the savepoints (it cannot: each record's is its own), as a failure
/// of the batch.
fn refused_with_savepoints(refusal: StoreError) -> StorageError {
    StorageError::Database(sqlx::Error::Protocol(format!("a record was refused outside its savepoint: {refusal}")))
}

/// The same failure for every record of a batch that could not be committed, sorted as the
/// first was (busy, disk full, other), so each phone is told what it can do.
fn fail_all(count: usize, error: &StorageError) -> Vec<Answer> {
    tracing::error!(%error, records = count, "a batch of records could not be committed");
    (0..count)
        .map(|_| {
            let cause = sqlx::Error::Protocol(format!("the batch this record was in failed: {error}"));
            Err(StoreError::Storage(match error {
                StorageError::Busy(_) => StorageError::Busy(cause),
                StorageError::DiskFull(_) => StorageError::DiskFull(cause),
                StorageError::Database(_) | StorageError::Corrupt { .. } => StorageError::Database(cause),
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests;
