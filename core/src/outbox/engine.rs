//! One run of the outbox: a plain async function of (store, transport, clock), so the app
//! drives it with IndexedDB and `fetch`, and native tests with a map, a scripted server and
//! a fake clock.

use chrono::{DateTime, Utc};

use super::photo_delivery::{deliver_photos, RunBytes};
use super::{
    ByteProgress, Disposition, EntryOwner, EntryState, OutboundRecord, OutboxEntry, OutboxStore, ParkReason,
    ProgressSink, RetryPolicy, Transport,
};
use crate::wire::ErrorCode;

/// The time, from the phone or a test.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

/// A source of jitter samples in `[0, 1)`.
pub trait Jitter {
    fn sample(&self) -> f64;
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
    /// The server refused the device as lost or stolen (`401 revoked_lost`): the phone
    /// wipes what it keeps of this worker.
    Lost,
}

impl RunStop {
    /// Whether the server refused the device: nothing is tried again with this token.
    pub fn refused(self) -> bool {
        matches!(self, RunStop::Paused | RunStop::Lost)
    }
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
    /// When the next entry falls due, if any is pending. `None` after a pause: the queue
    /// waits for the device to join again (or for the worker's "sync now"), not for a time.
    pub next_due: Option<DateTime<Utc>>,
    /// Bytes of records and photos the server confirmed in this run, of those it set out
    /// to send.
    pub bytes: ByteProgress,
}

/// Runs the outbox once for the enrolment of `owner` (whose token the transport sends):
/// tries every due entry of hers, urgent ones first, then oldest first, one at a time, and
/// stores each outcome before the next; entries another worker saved on this phone wait
/// for her. A visit's photos go before it. Only store failures are errors; every send
/// failure is recorded on its entry. `progress` hears of every confirmed piece.
#[allow(clippy::too_many_arguments)]
pub async fn run_once<S, T, C, J>(
    store: &S,
    transport: &T,
    clock: &C,
    jitter: &J,
    policy: &RetryPolicy,
    mode: RunMode,
    owner: &EntryOwner,
    progress: &dyn ProgressSink,
) -> Result<RunReport, S::Error>
where
    S: OutboxStore,
    T: Transport,
    C: Clock,
    J: Jitter,
{
    let start = clock.now();
    let mut due: Vec<OutboxEntry> =
        store.entries().await?.into_iter().filter(|e| e.belongs_to(owner) && e.is_due(start, mode)).collect();
    due.sort_by_key(OutboxEntry::send_order);

    let mut report = RunReport {
        delivered: 0,
        retrying: 0,
        parked: 0,
        stop: RunStop::Finished,
        pending: 0,
        next_due: None,
        bytes: ByteProgress::default(),
    };
    let mut bytes = RunBytes {
        progress: ByteProgress { confirmed: 0, total: bytes_to_send(store, &due).await? },
        sink: progress,
        clock,
    };
    bytes.sink.progress(bytes.progress);
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

        let (disposition, status) = deliver(store, transport, &record, &mut bytes).await?;

        // Settled on the entry as it is now: the worker may have saved a newer revision
        // while this one was on the wire.
        let (now, sample) = (clock.now(), jitter.sample());
        let settled =
            store.update_entry(entry.record, |e| e.settle(sent_revision, &disposition, now, policy, sample)).await?;
        match settled.map(|e| e.state) {
            Some(EntryState::Sent) => report.delivered += 1,
            Some(EntryState::NeedsAttention) => report.parked += 1,
            _ if matches!(disposition, Disposition::Retry { .. }) => report.retrying += 1,
            _ => {}
        }
        if disposition.stops_run(status) {
            report.stop = match (&disposition, status) {
                (Disposition::Pause { lost: true, .. }, _) => RunStop::Lost,
                (Disposition::Pause { .. }, _) => RunStop::Paused,
                (_, None) => RunStop::Unreachable,
                _ => RunStop::Overloaded,
            };
            break;
        }
    }

    report.bytes = bytes.progress;
    let now = clock.now();
    for entry in store.entries().await?.into_iter().filter(|e| e.belongs_to(owner)) {
        if let Some(wait) = entry.wait(now) {
            report.pending += 1;
            if report.stop.refused() {
                // The refused entry is queued as due now; trying again at once would only be
                // refused again until the device has a new token.
                continue;
            }
            let due_at = now + wait;
            report.next_due = Some(report.next_due.map_or(due_at, |d: DateTime<Utc>| d.min(due_at)));
        }
    }
    Ok(report)
}

/// Sends one record: a visit's photos first, then the record. A visit refused with `409
/// missing_photos` (the server lost or never kept a photo the phone thought it held) has
/// those photos sent again, then goes once more.
async fn deliver<S: OutboxStore, T: Transport>(
    store: &S,
    transport: &T,
    record: &OutboundRecord,
    bytes: &mut RunBytes<'_>,
) -> Result<(Disposition, Option<u16>), S::Error> {
    let photos = match record {
        OutboundRecord::Visit(visit) => visit.photo_hashes(),
        OutboundRecord::Child(_) | OutboundRecord::Pairing(_) | OutboundRecord::CasePlan(_) => Vec::new(),
    };
    let mut resent_missing = false;
    loop {
        if let Some(refusal) = deliver_photos(store, transport, &photos, bytes).await? {
            return Ok(refusal);
        }
        let reply = match transport.send(record).await {
            Ok(reply) => reply,
            Err(error) => return Ok((Disposition::of_transport_error(&error), None)),
        };
        let missing = match reply.error_body() {
            Some(body) if reply.status == 409 && body.error == ErrorCode::MissingPhotos => body.missing,
            _ => Vec::new(),
        };
        if missing.is_empty() || resent_missing {
            if (200..300).contains(&reply.status) {
                bytes.confirm(record.body().len() as u64);
            }
            return Ok((Disposition::of_reply(&reply), Some(reply.status)));
        }
        resent_missing = true;
        for hash in missing.iter().filter(|hash| photos.contains(hash)) {
            if let Some(mut upload) = store.photo_upload(hash).await? {
                upload.forget_held();
                store.set_photo_upload(hash, &upload).await?;
            }
        }
    }
}

/// What the due entries have left to send: their bodies and their photos' unconfirmed bytes.
async fn bytes_to_send<S: OutboxStore>(store: &S, due: &[OutboxEntry]) -> Result<u64, S::Error> {
    let mut total = 0;
    for entry in due {
        let Some(record) = store.record(entry.record).await? else { continue };
        total += record.body().len() as u64;
        if let OutboundRecord::Visit(visit) = &record {
            for hash in visit.photo_hashes() {
                total += store.photo_upload(&hash).await?.map_or(0, |upload| upload.remaining());
            }
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests;
