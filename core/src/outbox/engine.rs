//! One run of the outbox: a plain async function of (store, transport, clock), so the app
//! drives it with IndexedDB and `fetch`, and native tests with a map, a scripted server and
//! a fake clock.

use chrono::{DateTime, Utc};

use super::{Disposition, EntryState, OutboxEntry, RecordKind, RecordRef, RetryPolicy, TransportError};
use super::{HttpReply, ParkReason};
use crate::wire::API_PREFIX;
use crate::child::Child;
use crate::Visit;

/// The time, from the phone or a test.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

/// A source of jitter samples in `[0, 1)`.
pub trait Jitter {
    fn sample(&self) -> f64;
}

/// A record ready to send.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboundRecord {
    Visit(Visit),
    Child(Child),
}

impl OutboundRecord {
    /// Which entry it belongs to.
    pub fn record_ref(&self) -> RecordRef {
        match self {
            OutboundRecord::Visit(v) => RecordRef { kind: RecordKind::Visit, id: v.id },
            OutboundRecord::Child(c) => RecordRef { kind: RecordKind::Child, id: c.id },
        }
    }

    /// Its revision.
    pub fn revision(&self) -> u32 {
        match self {
            OutboundRecord::Visit(v) => v.revision,
            OutboundRecord::Child(c) => c.revision,
        }
    }

    /// The path to `PUT` it to, below the server's base URL.
    pub fn path(&self) -> String {
        match self {
            OutboundRecord::Visit(v) => format!("{API_PREFIX}/visits/{}", v.id),
            OutboundRecord::Child(c) => format!("{API_PREFIX}/children/{}", c.id),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        // Both have only string keys and plain values: serialising cannot fail.
        match self {
            OutboundRecord::Visit(v) => serde_json::to_string(v).unwrap_or_default(),
            OutboundRecord::Child(c) => serde_json::to_string(c).unwrap_or_default(),
        }
    }
}

/// Where the outbox and its records are kept.
#[allow(async_fn_in_trait)]
pub trait OutboxStore {
    type Error: std::error::Error;
    /// Every entry that is not yet delivered, in any order (delivered ones may be left out:
    /// a run never sends them).
    async fn entries(&self) -> Result<Vec<OutboxEntry>, Self::Error>;
    /// Changes one entry as it is now, atomically (the app: one IndexedDB read-write
    /// transaction, committed durably before this returns), so that a save made by the
    /// worker meanwhile is never overwritten. Returns the changed entry, or `None` if there
    /// is no such entry.
    async fn update_entry<F>(&self, record: RecordRef, change: F) -> Result<Option<OutboxEntry>, Self::Error>
    where
        F: FnOnce(&mut OutboxEntry);
    /// The newest saved revision of a record.
    async fn record(&self, record: RecordRef) -> Result<Option<OutboundRecord>, Self::Error>;
}

/// Sends one record to the server.
#[allow(async_fn_in_trait)]
pub trait Transport {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError>;
}

/// Why a run was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// On start, on `online`, on a timer, on becoming visible: respects backoff.
    Scheduled,
    /// The worker tapped "sync now": every queued entry is tried at once.
    Manual,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStop {
    /// Every due entry was tried.
    Finished,
    /// The network failed: the rest waits for the next run.
    Unreachable,
    /// The server said it is overloaded (`429`/`503`).
    Overloaded,
    /// The server refused the device (`401`): ask the worker to re-join.
    Paused,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub delivered: u32,
    pub retrying: u32,
    pub parked: u32,
    pub stop: RunStop,
    /// Entries still to deliver after the run.
    pub pending: u32,
    /// When the next entry falls due, if any is pending.
    pub next_due: Option<DateTime<Utc>>,
}

/// Runs the outbox once: tries every due entry, urgent ones first, then oldest first, one at a time, and stores
/// each outcome before the next. Only store failures are errors; every send failure is
/// recorded on its entry.
pub async fn run_once<S, T, C, J>(
    store: &S,
    transport: &T,
    clock: &C,
    jitter: &J,
    policy: &RetryPolicy,
    mode: RunMode,
) -> Result<RunReport, S::Error>
where
    S: OutboxStore,
    T: Transport,
    C: Clock,
    J: Jitter,
{
    let start = clock.now();
    let mut due: Vec<OutboxEntry> = store.entries().await?.into_iter().filter(|e| e.is_due(start, mode)).collect();
    due.sort_by_key(OutboxEntry::send_order);

    let mut report = RunReport { delivered: 0, retrying: 0, parked: 0, stop: RunStop::Finished, pending: 0, next_due: None };
    for entry in due {
        let Some(record) = store.record(entry.record).await? else {
            let missing = Disposition::Park { reason: ParkReason::MissingRecord, problem: "record missing".into() };
            let (now, sample) = (clock.now(), jitter.sample());
            store.update_entry(entry.record, |e| e.settle(e.revision, &missing, now, policy, sample)).await?;
            report.parked += 1;
            continue;
        };
        let sent_revision = record.revision();
        if store.update_entry(entry.record, OutboxEntry::begin_send).await?.is_none() {
            continue;
        }

        let (disposition, status) = match transport.send(&record).await {
            Ok(reply) => (Disposition::of_reply(&reply), Some(reply.status)),
            Err(error) => (Disposition::of_transport_error(&error), None),
        };

        // Settled on the entry as it is now: the worker may have saved a newer revision
        // while this one was on the wire.
        let (now, sample) = (clock.now(), jitter.sample());
        let settled = store
            .update_entry(entry.record, |e| e.settle(sent_revision, &disposition, now, policy, sample))
            .await?;
        match settled.map(|e| e.state) {
            Some(EntryState::Sent) => report.delivered += 1,
            Some(EntryState::NeedsAttention) => report.parked += 1,
            _ if matches!(disposition, Disposition::Retry { .. }) => report.retrying += 1,
            _ => {}
        }
        if disposition.stops_run(status) {
            report.stop = match (&disposition, status) {
                (Disposition::Pause { .. }, _) => RunStop::Paused,
                (_, None) => RunStop::Unreachable,
                _ => RunStop::Overloaded,
            };
            break;
        }
    }

    let now = clock.now();
    for entry in store.entries().await? {
        if let Some(wait) = entry.wait(now) {
            report.pending += 1;
            let due_at = now + wait;
            report.next_due = Some(report.next_due.map_or(due_at, |d: DateTime<Utc>| d.min(due_at)));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
