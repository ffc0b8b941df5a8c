//! The outbox engine driven by an in-memory store, a scripted transport in front of a fake
//! server that dedupes like the real one, and a fake clock.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::convert::Infallible;

use chrono::{DateTime, Duration, Utc};
use futures::executor::block_on;
use futures::FutureExt;
use uuid::Uuid;

use super::*;
use crate::child::Child;
use crate::fixtures::{sample_child, sample_visit};
use crate::http_reply::{HttpReply, TransportError};
use crate::outbox::{PhotoUpload, RecordRef};
use crate::pairing::Pairing;
use crate::photo::{PhotoHash, PhotoNote, UploadPiece, PIECE_BYTES};
use crate::wire::{ErrorBody, ErrorCode, PhotoReply, PhotoStatus};
use crate::RecordKind;
use crate::Visit;

struct FakeClock(Cell<DateTime<Utc>>);

impl FakeClock {
    fn new() -> FakeClock {
        FakeClock(Cell::new(DateTime::from_timestamp(1_790_000_000, 0).unwrap()))
    }
    fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.get()
    }
}

struct HalfJitter;

impl Jitter for HalfJitter {
    fn sample(&self) -> f64 {
        0.5
    }
}

#[derive(Default)]
struct MemoryStore {
    entries: RefCell<BTreeMap<RecordRef, OutboxEntry>>,
    visits: RefCell<BTreeMap<Uuid, Visit>>,
    children: RefCell<BTreeMap<Uuid, Child>>,
    pairings: RefCell<BTreeMap<Uuid, Pairing>>,
    case_plans: RefCell<BTreeMap<Uuid, crate::case_plan::CasePlan>>,
    photos: RefCell<BTreeMap<PhotoHash, Vec<u8>>>,
    uploads: RefCell<BTreeMap<PhotoHash, PhotoUpload>>,
}

impl MemoryStore {
    /// What the app does when the worker taps Save: store the visit and queue it.
    fn save(&self, visit: Visit, now: DateTime<Utc>) {
        let (record, revision, urgent) = (RecordRef::visit(visit.id), visit.revision, visit.needs_mandatory_report());
        self.visits.borrow_mut().insert(visit.id, visit);
        self.queue(record, revision, urgent, now);
    }
    /// The same for a child's file.
    fn save_child(&self, child: Child, now: DateTime<Utc>) {
        let (record, revision) = (RecordRef::child(child.id), child.revision);
        self.children.borrow_mut().insert(child.id, child);
        self.queue(record, revision, false, now);
    }
    /// The same for a pairing set or ended on a director's phone.
    fn save_pairing(&self, pairing: Pairing, now: DateTime<Utc>) {
        let (record, revision) = (RecordRef::pairing(pairing.id), pairing.revision);
        self.pairings.borrow_mut().insert(pairing.id, pairing);
        self.queue(record, revision, false, now);
    }
    /// The same for a case plan drafted or changed on a phone; a report's follow-up goes first.
    fn save_case_plan(&self, plan: crate::case_plan::CasePlan, now: DateTime<Utc>) {
        let (record, revision, urgent) = (RecordRef::case_plan(plan.id), plan.revision, plan.is_report_follow_up());
        self.case_plans.borrow_mut().insert(plan.id, plan);
        self.queue(record, revision, urgent, now);
    }
    fn queue(&self, record: RecordRef, revision: u32, urgent: bool, now: DateTime<Utc>) {
        let mut entries = self.entries.borrow_mut();
        let entry = entries.entry(record).or_insert_with(|| OutboxEntry::new(record, revision, now));
        entry.requeue(revision, now);
        entry.set_urgent(urgent);
    }
    /// What the app does when a photo is taken: store it with nothing confirmed yet.
    fn take_photo(&self, bytes: Vec<u8>) -> PhotoHash {
        let hash = PhotoHash::of_bytes(&bytes);
        self.uploads.borrow_mut().insert(hash.clone(), PhotoUpload::new(bytes.len() as u64));
        self.photos.borrow_mut().insert(hash.clone(), bytes);
        hash
    }
    fn state(&self, id: Uuid) -> EntryState {
        self.entries.borrow()[&RecordRef::visit(id)].state
    }
    fn entry_of(&self, id: Uuid) -> OutboxEntry {
        self.entries.borrow()[&RecordRef::visit(id)].clone()
    }
}

impl OutboxStore for MemoryStore {
    type Error = Infallible;
    async fn entries(&self) -> Result<Vec<OutboxEntry>, Infallible> {
        Ok(self.entries.borrow().values().cloned().collect())
    }
    async fn update_entry<F: FnOnce(&mut OutboxEntry)>(
        &self,
        record: RecordRef,
        change: F,
    ) -> Result<Option<OutboxEntry>, Infallible> {
        let mut entries = self.entries.borrow_mut();
        Ok(entries.get_mut(&record).map(|entry| {
            change(entry);
            entry.clone()
        }))
    }
    async fn record(&self, record: RecordRef) -> Result<Option<OutboundRecord>, Infallible> {
        Ok(match record.kind {
            RecordKind::Visit => self.visits.borrow().get(&record.id).cloned().map(OutboundRecord::Visit),
            RecordKind::Child => self.children.borrow().get(&record.id).cloned().map(OutboundRecord::Child),
            RecordKind::Pairing => self.pairings.borrow().get(&record.id).cloned().map(OutboundRecord::Pairing),
            RecordKind::CasePlan => self.case_plans.borrow().get(&record.id).cloned().map(OutboundRecord::CasePlan),
        })
    }
    async fn photo_upload(&self, hash: &PhotoHash) -> Result<Option<PhotoUpload>, Infallible> {
        Ok(self.uploads.borrow().get(hash).copied())
    }
    async fn set_photo_upload(&self, hash: &PhotoHash, upload: &PhotoUpload) -> Result<(), Infallible> {
        self.uploads.borrow_mut().insert(hash.clone(), *upload);
        Ok(())
    }
    async fn photo_piece(&self, hash: &PhotoHash, range: std::ops::Range<u64>) -> Result<Option<Vec<u8>>, Infallible> {
        Ok(self.photos.borrow().get(hash).map(|bytes| bytes[range.start as usize..range.end as usize].to_vec()))
    }
}

/// The server's rule: one row per id, the newest revision wins, history is kept. Photos
/// arrive in pieces that must start where its bytes end; a visit naming a photo it does not
/// hold whole is refused with `409 missing_photos`.
#[derive(Default)]
struct FakeServer {
    rows: RefCell<BTreeMap<Uuid, Visit>>,
    history: RefCell<Vec<(Uuid, u32)>>,
    /// Photos' bytes received so far, whole or not.
    photos: RefCell<BTreeMap<PhotoHash, Vec<u8>>>,
}

fn json_reply(status: u16, body: impl serde::Serialize) -> HttpReply {
    HttpReply { status, retry_after: None, body: serde_json::to_string(&body).unwrap() }
}

impl FakeServer {
    fn holds_whole(&self, hash: &PhotoHash) -> bool {
        self.photos.borrow().get(hash).is_some_and(|bytes| PhotoHash::of_bytes(bytes) == *hash)
    }
    fn photo_status(&self, hash: &PhotoHash) -> HttpReply {
        let received = self.photos.borrow().get(hash).map_or(0, |b| b.len() as u64);
        let status = match received {
            _ if self.holds_whole(hash) => PhotoStatus::Held,
            0 => PhotoStatus::Absent,
            _ => PhotoStatus::Partial,
        };
        json_reply(200, PhotoReply { sha256: hash.clone(), status, received, size: None })
    }
    /// Takes the first `keep` bytes of a piece (all of them unless the connection is cut).
    fn put_piece(&self, hash: &PhotoHash, piece: &UploadPiece, bytes: &[u8], keep: usize) -> HttpReply {
        if self.holds_whole(hash) {
            return json_reply(
                200,
                PhotoReply {
                    sha256: hash.clone(),
                    status: PhotoStatus::Held,
                    received: piece.size,
                    size: Some(piece.size),
                },
            );
        }
        let mut photos = self.photos.borrow_mut();
        let held = photos.entry(hash.clone()).or_default();
        if held.len() as u64 != piece.range.start {
            let body = ErrorBody { received: Some(held.len() as u64), ..ErrorBody::new(ErrorCode::UploadOffset, "m") };
            return json_reply(409, body);
        }
        held.extend_from_slice(&bytes[..keep.min(bytes.len())]);
        let received = held.len() as u64;
        if received < piece.size {
            return json_reply(
                202,
                PhotoReply { sha256: hash.clone(), status: PhotoStatus::Partial, received, size: Some(piece.size) },
            );
        }
        if PhotoHash::of_bytes(held) != *hash {
            photos.remove(hash);
            return json_reply(400, ErrorBody::new(ErrorCode::HashMismatch, "m"));
        }
        json_reply(
            201,
            PhotoReply { sha256: hash.clone(), status: PhotoStatus::Created, received, size: Some(piece.size) },
        )
    }
    fn put(&self, visit: &Visit) -> HttpReply {
        let missing: Vec<PhotoHash> = visit.photo_hashes().into_iter().filter(|h| !self.holds_whole(h)).collect();
        if !missing.is_empty() {
            return json_reply(409, ErrorBody { missing, ..ErrorBody::new(ErrorCode::MissingPhotos, "m") });
        }
        let mut rows = self.rows.borrow_mut();
        let status = match rows.get(&visit.id) {
            None => 201,
            Some(held) if held.revision >= visit.revision => 200,
            Some(_) => 200,
        };
        if rows.get(&visit.id).is_none_or(|held| held.revision < visit.revision) {
            rows.insert(visit.id, visit.clone());
            self.history.borrow_mut().push((visit.id, visit.revision));
        }
        HttpReply { status, retry_after: None, body: String::new() }
    }
}

enum Step {
    /// Pass the request to the fake server.
    Server,
    /// Answer with this status without touching the server.
    Status(u16, Option<u64>),
    /// The connection fails before reaching the server.
    NetworkDown,
    /// The server stores it, but the phone never sees the answer: the tab is killed.
    ServerThenHang,
}

/// What happens to one photo request.
enum PhotoStep {
    /// Pass it to the fake server.
    Server,
    /// The server takes this many bytes of the piece, then the connection drops.
    CutAfter(usize),
    /// Answer with this status without touching the server.
    Status(u16),
    /// Another tab's piece of this many bytes from the start lands first; then this request
    /// goes to the server.
    OtherTabFirst(usize),
}

struct ScriptedTransport<'a> {
    server: &'a FakeServer,
    script: RefCell<VecDeque<Step>>,
    photo_script: RefCell<VecDeque<PhotoStep>>,
    sent: RefCell<Vec<(Uuid, u32)>>,
    /// Every photo request, in order: `status` or the piece's range.
    photo_requests: RefCell<Vec<(String, Option<std::ops::Range<u64>>)>>,
    on_send: Option<Box<dyn Fn() + 'a>>,
    /// The link photo pieces go over: the clock moved on by each piece's bytes at this many
    /// bytes a second. Without one, a piece takes no time.
    link: Option<(&'a FakeClock, u64)>,
}

impl<'a> ScriptedTransport<'a> {
    fn new(server: &'a FakeServer, script: Vec<Step>) -> ScriptedTransport<'a> {
        ScriptedTransport {
            server,
            script: RefCell::new(script.into()),
            photo_script: RefCell::new(VecDeque::new()),
            sent: RefCell::new(vec![]),
            photo_requests: RefCell::new(vec![]),
            on_send: None,
            link: None,
        }
    }
    /// Photo pieces go over a link of `rate` bytes a second, timed by `clock`.
    fn on_link(mut self, clock: &'a FakeClock, rate: u64) -> Self {
        self.link = Some((clock, rate));
        self
    }
    fn with_photo_script(self, steps: Vec<PhotoStep>) -> Self {
        *self.photo_script.borrow_mut() = steps.into();
        self
    }
    /// Bytes of photo pieces put on the wire.
    fn piece_bytes(&self) -> u64 {
        self.photo_requests.borrow().iter().filter_map(|(_, r)| r.as_ref()).map(|r| r.end - r.start).sum()
    }
    fn next_photo_step(&self) -> PhotoStep {
        self.photo_script.borrow_mut().pop_front().unwrap_or(PhotoStep::Server)
    }
}

impl Transport for ScriptedTransport<'_> {
    async fn photo_status(&self, hash: &PhotoHash) -> Result<HttpReply, TransportError> {
        self.photo_requests.borrow_mut().push((hash.short().to_owned(), None));
        match self.next_photo_step() {
            PhotoStep::Status(status) => Ok(HttpReply { status, retry_after: None, body: String::new() }),
            PhotoStep::CutAfter(_) => Err(TransportError::Network("connection reset".into())),
            PhotoStep::Server | PhotoStep::OtherTabFirst(_) => Ok(self.server.photo_status(hash)),
        }
    }
    async fn send_photo_piece(
        &self,
        hash: &PhotoHash,
        piece: &UploadPiece,
        bytes: Vec<u8>,
    ) -> Result<HttpReply, TransportError> {
        assert_eq!(bytes.len() as u64, piece.len(), "the piece carries its range's bytes");
        self.photo_requests.borrow_mut().push((hash.short().to_owned(), Some(piece.range.clone())));
        if let Some((clock, rate)) = self.link {
            clock.advance(Duration::milliseconds((piece.len() * 1000 / rate) as i64));
        }
        match self.next_photo_step() {
            PhotoStep::Status(status) => Ok(HttpReply { status, retry_after: None, body: String::new() }),
            PhotoStep::CutAfter(keep) => {
                self.server.put_piece(hash, piece, &bytes, keep);
                Err(TransportError::Network("connection reset".into()))
            }
            PhotoStep::OtherTabFirst(len) => {
                let theirs = UploadPiece { range: 0..len as u64, size: piece.size };
                self.server.put_piece(hash, &theirs, &bytes[..len], len);
                Ok(self.server.put_piece(hash, piece, &bytes, bytes.len()))
            }
            PhotoStep::Server => Ok(self.server.put_piece(hash, piece, &bytes, bytes.len())),
        }
    }

    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let visit = match record {
            OutboundRecord::Visit(visit) => visit,
            // A child's file, a pairing or a case plan: to its own address, as itself, always taken.
            OutboundRecord::Child(_) | OutboundRecord::Pairing(_) | OutboundRecord::CasePlan(_) => {
                let sent = record.record_ref();
                assert_eq!(record.path(), format!("/api/v1/{}/{}", sent.kind.collection(), sent.id));
                let body: serde_json::Value = serde_json::from_str(&record.body()).expect("JSON");
                assert_eq!(
                    (body["id"].as_str(), body["revision"].as_u64()),
                    (Some(sent.id.to_string().as_str()), Some(u64::from(record.revision())))
                );
                self.sent.borrow_mut().push((sent.id, record.revision()));
                return Ok(HttpReply { status: 201, retry_after: None, body: String::new() });
            }
        };
        assert_eq!(record.path(), format!("/api/v1/visits/{}", visit.id));
        let parsed: Visit = serde_json::from_str(&record.body()).expect("the body is a visit");
        assert_eq!(&parsed, visit);
        self.sent.borrow_mut().push((visit.id, visit.revision));
        if let Some(hook) = &self.on_send {
            hook();
        }
        let step = self.script.borrow_mut().pop_front().unwrap_or(Step::Server);
        match step {
            Step::Server => Ok(self.server.put(visit)),
            Step::Status(status, retry_after) => Ok(HttpReply { status, retry_after, body: String::new() }),
            Step::NetworkDown => Err(TransportError::Network("connection refused".into())),
            Step::ServerThenHang => {
                self.server.put(visit);
                futures::future::pending::<()>().await;
                unreachable!("a killed tab never sees the answer")
            }
        }
    }
}

fn visit(n: u128, revision: u32) -> Visit {
    Visit { id: Uuid::from_u128(n), revision, ..sample_visit() }
}

/// A worker who joined this phone.
fn owner(name: &str, village: &str) -> EntryOwner {
    let server = crate::enrolment::ServerOrigin::parse("https://tx.example.cn").unwrap();
    EntryOwner { server, township: "石门镇".into(), village: village.into(), name: name.into() }
}

/// The phone's usual worker, whose enrolment runs the outbox in most tests.
fn director() -> EntryOwner {
    owner("李芳", "桃源村")
}

fn run(store: &MemoryStore, transport: &ScriptedTransport, clock: &FakeClock, mode: RunMode) -> RunReport {
    run_as(store, transport, clock, mode, &director())
}

fn run_as(
    store: &MemoryStore,
    transport: &ScriptedTransport,
    clock: &FakeClock,
    mode: RunMode,
    owner: &EntryOwner,
) -> RunReport {
    block_on(run_once(store, transport, clock, &HalfJitter, &RetryPolicy::default(), mode, owner, &|_| {})).unwrap()
}

#[test]
fn a_phone_joined_again_by_another_worker_never_sends_the_first_workers_entries() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let (li, wang) = (director(), owner("王兰", "石桥村"));
    store.save(visit(1, 1), clock.now());
    store.entries.borrow_mut().values_mut().for_each(|e| e.claim(Some(&li)));
    clock.advance(Duration::seconds(1));
    store.save(visit(2, 1), clock.now());
    store.entries.borrow_mut().get_mut(&RecordRef::visit(Uuid::from_u128(2))).unwrap().claim(Some(&wang));
    clock.advance(Duration::seconds(1));
    store.save(visit(3, 1), clock.now()); // saved before anyone joined
    let sent = |t: &ScriptedTransport| t.sent.borrow().iter().map(|(id, _)| id.as_u128()).collect::<Vec<_>>();

    let transport = ScriptedTransport::new(&server, vec![]);
    let report = run_as(&store, &transport, &clock, RunMode::Manual, &wang);
    assert_eq!(sent(&transport), vec![2, 3], "王兰 sends her own visit and the unowned one, never 李芳's");
    assert_eq!((report.delivered, report.pending), (2, 0), "李芳's entry is not 王兰's to count");
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Queued);

    let report = run_as(&store, &transport, &clock, RunMode::Manual, &li);
    assert_eq!(sent(&transport), vec![2, 3, 1], "李芳 joins again: hers goes, once");
    assert_eq!(report.delivered, 1);
}

#[test]
fn delivers_every_queued_visit_oldest_first_once() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(2, 1), clock.now());
    clock.advance(Duration::seconds(1));
    store.save(visit(1, 1), clock.now());
    let transport = ScriptedTransport::new(&server, vec![]);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 2);
    assert_eq!(report.pending, 0);
    assert_eq!(report.next_due, None);
    assert_eq!(*transport.sent.borrow(), vec![(Uuid::from_u128(2), 1), (Uuid::from_u128(1), 1)]);
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Sent);

    // Nothing left to send: a second run sends nothing.
    let again = run(&store, &transport, &clock, RunMode::Manual);
    assert_eq!(again.delivered, 0);
    assert_eq!(transport.sent.borrow().len(), 2);
}

#[test]
fn a_server_error_retries_with_backoff_and_then_delivers() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());
    let transport = ScriptedTransport::new(&server, vec![Step::Status(500, None), Step::Status(502, None)]);

    let first = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!((first.delivered, first.retrying), (0, 1));
    let entry = store.entry_of(Uuid::from_u128(1));
    assert_eq!(entry.state, EntryState::Queued);
    assert_eq!(entry.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(first.next_due, Some(entry.next_attempt_at));
    let first_wait = entry.next_attempt_at - clock.now();
    assert!(first_wait >= Duration::seconds(1) && first_wait <= Duration::seconds(2), "{first_wait}");

    // Not due yet: a scheduled run does nothing.
    run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(transport.sent.borrow().len(), 1);

    clock.advance(first_wait);
    run(&store, &transport, &clock, RunMode::Scheduled);
    let second_wait = store.entry_of(Uuid::from_u128(1)).next_attempt_at - clock.now();
    assert!(second_wait > first_wait, "backoff grows: {second_wait} after {first_wait}");

    clock.advance(second_wait);
    let last = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(last.delivered, 1);
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Sent);
    assert_eq!(server.rows.borrow().len(), 1);
}

#[test]
fn a_network_failure_stops_the_run_and_loses_nothing() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    for n in 1..=3 {
        store.save(visit(n, 1), clock.now());
    }
    let transport = ScriptedTransport::new(&server, vec![Step::NetworkDown]);
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.stop, RunStop::Unreachable);
    assert_eq!(transport.sent.borrow().len(), 1, "no point trying the others while offline");
    assert_eq!(report.pending, 3);

    let report = run(&store, &transport, &clock, RunMode::Manual);
    assert_eq!(report.delivered, 3);
    assert_eq!(server.rows.borrow().len(), 3);
}

#[test]
fn overload_stops_the_run_and_honours_retry_after() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());
    store.save(visit(2, 1), clock.now());
    let transport = ScriptedTransport::new(&server, vec![Step::Status(429, Some(90))]);
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.stop, RunStop::Overloaded);
    assert_eq!(transport.sent.borrow().len(), 1);
    assert_eq!(store.entry_of(Uuid::from_u128(1)).next_attempt_at, clock.now() + Duration::seconds(90));
}

#[test]
fn a_permanent_refusal_parks_the_entry_and_the_rest_go_on() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());
    clock.advance(Duration::seconds(1));
    store.save(visit(2, 1), clock.now());
    let transport = ScriptedTransport::new(&server, vec![Step::Status(422, None)]);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!((report.parked, report.delivered), (1, 1));
    let parked = store.entry_of(Uuid::from_u128(1));
    assert_eq!(parked.state, EntryState::NeedsAttention);
    assert_eq!(parked.park_reason, Some(ParkReason::Invalid));
    assert!(store.visits.borrow().contains_key(&Uuid::from_u128(1)), "nothing is deleted because a send failed");

    // Never retried on its own, not even by "sync now".
    clock.advance(Duration::days(1));
    run(&store, &transport, &clock, RunMode::Manual);
    assert_eq!(transport.sent.borrow().len(), 2);

    // The worker corrects it and saves revision 2: it goes.
    store.save(visit(1, 2), clock.now());
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 1);
    assert_eq!(server.rows.borrow()[&Uuid::from_u128(1)].revision, 2);
}

#[test]
fn unauthorised_pauses_the_whole_queue() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());
    store.save(visit(2, 1), clock.now());
    let transport = ScriptedTransport::new(&server, vec![Step::Status(401, None)]);
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.stop, RunStop::Paused);
    assert_eq!(transport.sent.borrow().len(), 1);
    assert_eq!(store.entry_of(Uuid::from_u128(1)).attempts, 0);
    assert_eq!(report.pending, 2);
    assert_eq!(report.next_due, None, "a paused queue is not woken by a timer: it would only be refused again");
}

#[test]
fn after_a_pause_a_device_that_joined_again_sends_everything_once() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());
    store.save(visit(2, 1), clock.now());
    // The device was revoked: every run is refused, and nothing is lost or parked.
    for _ in 0..3 {
        let refused = ScriptedTransport::new(&server, vec![Step::Status(401, None)]);
        let report = run(&store, &refused, &clock, RunMode::Scheduled);
        assert_eq!((report.stop, report.pending, report.parked), (RunStop::Paused, 2, 0));
        clock.advance(Duration::minutes(10));
    }
    assert!(server.rows.borrow().is_empty());
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Queued);

    // The worker joins again with a new link: the next run, with the new token, sends both.
    let transport = ScriptedTransport::new(&server, vec![]);
    let report = run(&store, &transport, &clock, RunMode::Manual);
    assert_eq!((report.stop, report.delivered, report.pending), (RunStop::Finished, 2, 0));
    assert_eq!(server.rows.borrow().len(), 2);
    assert_eq!(server.history.borrow().len(), 2, "each visit stored once");
    assert_eq!(store.entry_of(Uuid::from_u128(1)).attempts, 1);
}

#[test]
fn a_tab_killed_mid_send_sends_again_and_the_server_keeps_it_once() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());

    // The request reaches the server, then the tab dies before the answer arrives.
    let dying = ScriptedTransport::new(&server, vec![Step::ServerThenHang]);
    let outcome = run_once(
        &store,
        &dying,
        &clock,
        &HalfJitter,
        &RetryPolicy::default(),
        RunMode::Scheduled,
        &director(),
        &|_| {},
    )
    .now_or_never();
    assert!(outcome.is_none(), "the run never finished");
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Sending);
    assert_eq!(server.rows.borrow().len(), 1);

    // The app starts again: the interrupted entry is due at once, and is sent again.
    let transport = ScriptedTransport::new(&server, vec![]);
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 1);
    assert_eq!(*transport.sent.borrow(), vec![(Uuid::from_u128(1), 1)]);
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Sent);
    assert_eq!(server.rows.borrow().len(), 1, "exactly one row");
    assert_eq!(*server.history.borrow(), vec![(Uuid::from_u128(1), 1)], "stored once");
}

#[test]
fn a_revision_saved_while_the_older_one_is_on_the_wire_is_sent_next() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let saved_once = Cell::new(false);
    store.save(visit(1, 1), clock.now());
    let mut transport = ScriptedTransport::new(&server, vec![]);
    transport.on_send = Some(Box::new(|| {
        if !saved_once.replace(true) {
            store.save(visit(1, 2), clock.now());
        }
    }));

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 0);
    assert_eq!(report.pending, 1);
    assert_eq!(store.state(Uuid::from_u128(1)), EntryState::Queued);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 1);
    assert_eq!(server.rows.borrow()[&Uuid::from_u128(1)].revision, 2);
    assert_eq!(*server.history.borrow(), vec![(Uuid::from_u128(1), 1), (Uuid::from_u128(1), 2)]);
}

#[test]
fn an_entry_whose_record_vanished_is_parked_not_dropped() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());
    store.visits.borrow_mut().clear();
    let transport = ScriptedTransport::new(&server, vec![]);
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.parked, 1);
    assert_eq!(store.entry_of(Uuid::from_u128(1)).park_reason, Some(ParkReason::MissingRecord));
    assert!(transport.sent.borrow().is_empty());
}

#[test]
fn a_visit_that_found_harm_goes_before_older_entries_and_children_go_to_their_own_address() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let child = Child { id: Uuid::from_u128(50), ..sample_child() };
    store.save_child(child.clone(), clock.now());
    clock.advance(Duration::seconds(1));
    store.save(visit(1, 1), clock.now());
    clock.advance(Duration::seconds(1));
    let mut harm = visit(2, 1);
    harm.answers.set("harm_signs", crate::form::AnswerValue::Bool(true));
    store.save(harm, clock.now());
    assert!(store.entry_of(Uuid::from_u128(2)).urgent);
    let transport = ScriptedTransport::new(&server, vec![]);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 3);
    assert_eq!(*transport.sent.borrow(), vec![(Uuid::from_u128(2), 1), (child.id, 1), (Uuid::from_u128(1), 1)]);
    assert_eq!(store.entries.borrow()[&RecordRef::child(child.id)].state, EntryState::Sent);
}

#[test]
fn a_pairing_travels_like_any_record_and_its_end_is_its_next_revision() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let child = sample_child();
    let pairing = Pairing::new(Uuid::from_u128(60), child.id, Uuid::from_u128(61), child.updated_at);
    store.save_pairing(pairing.clone(), clock.now());
    let transport = ScriptedTransport::new(&server, vec![]);
    assert_eq!(run(&store, &transport, &clock, RunMode::Scheduled).delivered, 1);
    assert_eq!(run(&store, &transport, &clock, RunMode::Scheduled).delivered, 0, "sent once");

    clock.advance(Duration::seconds(1));
    store.save_pairing(pairing.ended(child.updated_at), clock.now());
    assert_eq!(run(&store, &transport, &clock, RunMode::Scheduled).delivered, 1);
    assert_eq!(*transport.sent.borrow(), vec![(pairing.id, 1), (pairing.id, 2)]);
    assert_eq!(store.entries.borrow()[&RecordRef::pairing(pairing.id)].state, EntryState::Sent);
}

#[test]
fn a_reports_follow_up_goes_before_a_visit_saved_earlier_and_a_case_plan_travels_like_any_record() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let child = sample_child();
    store.save(visit(1, 1), clock.now());
    clock.advance(Duration::seconds(1));
    let mut plan = crate::case_plan::CasePlan::new(Uuid::from_u128(70), child.id, child.updated_at);
    plan.needs.push("living".into());
    store.save_case_plan(plan.clone(), clock.now());
    let follow_up =
        crate::case_plan::CasePlan::for_report(Uuid::from_u128(71), child.id, Uuid::from_u128(1), child.updated_at, {
            let mut n = 71;
            move || {
                n += 1;
                Uuid::from_u128(n)
            }
        });
    store.save_case_plan(follow_up.clone(), clock.now());
    assert!(store.entries.borrow()[&RecordRef::case_plan(follow_up.id)].urgent);
    let transport = ScriptedTransport::new(&server, vec![]);
    assert_eq!(run(&store, &transport, &clock, RunMode::Scheduled).delivered, 3);
    assert_eq!(transport.sent.borrow()[0], (follow_up.id, 1), "the report's follow-up first");
    assert_eq!(store.entries.borrow()[&RecordRef::case_plan(plan.id)].state, EntryState::Sent);
}

/// A link on which a first-size piece takes just the time a piece should: pieces stay that size.
const STEADY_LINK: u64 = PIECE_BYTES * 1000 / crate::photo::PIECE_TARGET_MS;

#[test]
fn pieces_follow_the_link_shrinking_when_slow_or_cut_and_growing_when_fast_across_runs() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let size = 400_000;
    let photo = store.take_photo(photo_bytes(6, size));
    store.save(visit_with_photos(1, std::slice::from_ref(&photo)), clock.now());
    let lengths = |t: &ScriptedTransport| -> Vec<u64> {
        t.photo_requests.borrow().iter().filter_map(|(_, r)| r.as_ref().map(|r| r.end - r.start)).collect()
    };

    // 2G, about 8 KiB/s: after the first piece, pieces of 24 KiB (3 s each); the third is cut.
    let slow = ScriptedTransport::new(&server, vec![])
        .with_photo_script(vec![PhotoStep::Server, PhotoStep::Server, PhotoStep::Server, PhotoStep::CutAfter(0)])
        .on_link(&clock, 8 * 1024);
    assert_eq!(run(&store, &slow, &clock, RunMode::Scheduled).stop, RunStop::Unreachable);
    assert_eq!(lengths(&slow), [PIECE_BYTES, 24 * 1024, 24 * 1024]);
    assert_eq!(
        store.uploads.borrow()[&photo].piece,
        Some(crate::photo::PIECE_MIN),
        "the cut halves it: 12 KiB, at least 16"
    );

    // The next run starts where the last left off, then grows twofold a piece on a fast link.
    let fast = ScriptedTransport::new(&server, vec![]).on_link(&clock, 10 * 1024 * 1024);
    assert_eq!(run(&store, &fast, &clock, RunMode::Manual).delivered, 1);
    let sent = lengths(&fast);
    assert_eq!(&sent[..3], [16 * 1024, 32 * 1024, 64 * 1024]);
    assert_eq!(server.photos.borrow()[&photo], photo_bytes(6, size), "byte for byte");
    assert_eq!(
        lengths(&slow).iter().sum::<u64>() + sent.iter().sum::<u64>(),
        size as u64 + 24 * 1024,
        "the cut piece once more"
    );
}

/// Bytes that stand for a shrunk photo: `len` of them, different for each `seed`.
fn photo_bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

/// A visit of `n` whose photo slot names `hashes`.
fn visit_with_photos(n: u128, hashes: &[PhotoHash]) -> Visit {
    let mut v = visit(n, 1);
    let taken = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    v.answers.set("photo_consent", crate::form::AnswerValue::Bool(true));
    v.answers.set(
        "photos",
        crate::form::AnswerValue::Photos(hashes.iter().map(|h| PhotoNote::new(h.clone(), taken)).collect()),
    );
    v
}

#[test]
fn photos_go_in_pieces_before_their_visit_and_arrive_whole() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let big = store.take_photo(photo_bytes(1, 250_000));
    let small = store.take_photo(photo_bytes(2, 1_000));
    let v = visit_with_photos(1, &[big.clone(), small.clone()]);
    store.save(v.clone(), clock.now());
    let transport = ScriptedTransport::new(&server, vec![]).on_link(&clock, STEADY_LINK);

    let seen = RefCell::new(Vec::<ByteProgress>::new());
    let report = block_on(run_once(
        &store,
        &transport,
        &clock,
        &HalfJitter,
        &RetryPolicy::default(),
        RunMode::Scheduled,
        &director(),
        &|p| seen.borrow_mut().push(p),
    ))
    .unwrap();

    assert_eq!(report.delivered, 1);
    assert_eq!(server.photos.borrow()[&big], photo_bytes(1, 250_000), "byte for byte");
    assert_eq!(server.photos.borrow()[&small], photo_bytes(2, 1_000));
    assert_eq!(transport.piece_bytes(), 251_000, "every byte once");
    let pieces = transport.photo_requests.borrow().iter().filter(|(_, r)| r.is_some()).count();
    assert_eq!(pieces, 250_000usize.div_ceil(PIECE_BYTES as usize) + 1);
    assert_eq!(server.rows.borrow().len(), 1, "then the visit");
    assert!(store.uploads.borrow().values().all(|u| u.held));

    let body = OutboundRecord::Visit(v).body().len() as u64;
    assert_eq!(report.bytes, ByteProgress { confirmed: 251_000 + body, total: 251_000 + body });
    let seen = seen.borrow();
    assert_eq!(seen.first().map(|p| p.confirmed), Some(0), "the total is known before the first byte");
    assert!(seen.windows(2).all(|w| w[0].confirmed <= w[1].confirmed), "progress only grows");
    assert!(seen.len() >= 6, "one report per piece: {seen:?}");
}

#[test]
fn a_cut_upload_resumes_where_the_server_s_bytes_end_and_sends_no_confirmed_byte_twice() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let size = 300_000;
    let photo = store.take_photo(photo_bytes(3, size));
    store.save(visit_with_photos(1, std::slice::from_ref(&photo)), clock.now());

    // Two pieces go through, then the connection drops 10,000 bytes into the third: the
    // server keeps those 10,000 bytes, the phone never hears of them.
    let transport = ScriptedTransport::new(&server, vec![])
        .with_photo_script(vec![PhotoStep::Server, PhotoStep::Server, PhotoStep::Server, PhotoStep::CutAfter(10_000)])
        .on_link(&clock, STEADY_LINK);
    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!((report.delivered, report.stop), (0, RunStop::Unreachable));
    let phone_heard = store.uploads.borrow()[&photo].received;
    assert_eq!(phone_heard, 2 * PIECE_BYTES);
    assert_eq!(server.photos.borrow()[&photo].len() as u64, 2 * PIECE_BYTES + 10_000);
    assert!(server.rows.borrow().is_empty(), "no visit before its photos");

    // Online again: the phone asks, and continues from the server's byte, not its own.
    let resumed = ScriptedTransport::new(&server, vec![]);
    let report = run(&store, &resumed, &clock, RunMode::Manual);
    assert_eq!(report.delivered, 1);
    assert_eq!(resumed.photo_requests.borrow()[0].1, None, "a status request first");
    assert_eq!(resumed.photo_requests.borrow()[1].1.as_ref().map(|r| r.start), Some(2 * PIECE_BYTES + 10_000));
    assert_eq!(server.photos.borrow()[&photo], photo_bytes(3, size), "byte for byte");
    // What was on the wire in all: the photo, plus the part of the cut piece the server never got.
    let cut_piece_lost = PIECE_BYTES - 10_000;
    assert_eq!(transport.piece_bytes() + resumed.piece_bytes(), size as u64 + cut_piece_lost);
    assert_eq!(server.rows.borrow().len(), 1);
}

#[test]
fn a_visit_refused_for_missing_photos_sends_them_and_goes_again() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let photo = store.take_photo(photo_bytes(4, 5_000));
    // The phone believes the server holds it (the server's disk was restored from an older backup).
    store
        .uploads
        .borrow_mut()
        .insert(photo.clone(), PhotoUpload { received: 5_000, held: true, ..PhotoUpload::new(5_000) });
    store.save(visit_with_photos(1, std::slice::from_ref(&photo)), clock.now());
    let transport = ScriptedTransport::new(&server, vec![]);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 1);
    assert_eq!(*transport.sent.borrow(), vec![(Uuid::from_u128(1), 1), (Uuid::from_u128(1), 1)], "refused, then taken");
    assert_eq!(server.photos.borrow()[&photo], photo_bytes(4, 5_000));
}

#[test]
fn a_photo_another_tab_is_sending_moves_the_start_to_the_server_s_byte() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let bytes = photo_bytes(5, 100_000);
    let photo = store.take_photo(bytes.clone());
    store.save(visit_with_photos(1, std::slice::from_ref(&photo)), clock.now());
    // The status says nothing is held; then another tab's first 40,000 bytes land before
    // this tab's first piece, which the server refuses with where its bytes end.
    let transport = ScriptedTransport::new(&server, vec![])
        .with_photo_script(vec![PhotoStep::Server, PhotoStep::OtherTabFirst(40_000)]);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.delivered, 1);
    assert_eq!(server.photos.borrow()[&photo], bytes);
    let ranges: Vec<_> = transport.photo_requests.borrow().iter().filter_map(|(_, r)| r.clone()).collect();
    assert_eq!(ranges, vec![0..PIECE_BYTES, 40_000..100_000], "refused at 0, then from the server's byte");
}

#[test]
fn a_photo_gone_from_the_phone_or_damaged_parks_the_visit_and_keeps_it() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let gone = PhotoHash::of_bytes(b"never stored");
    store.save(visit_with_photos(1, std::slice::from_ref(&gone)), clock.now());
    let damaged = store.take_photo(photo_bytes(6, 2_000));
    store.photos.borrow_mut().get_mut(&damaged).unwrap()[7] ^= 0xff;
    clock.advance(Duration::seconds(1));
    store.save(visit_with_photos(2, std::slice::from_ref(&damaged)), clock.now());
    let transport = ScriptedTransport::new(&server, vec![]);

    let report = run(&store, &transport, &clock, RunMode::Scheduled);
    assert_eq!(report.parked, 2);
    assert_eq!(store.entry_of(Uuid::from_u128(1)).park_reason, Some(ParkReason::MissingPhoto));
    assert_eq!(store.entry_of(Uuid::from_u128(2)).park_reason, Some(ParkReason::DamagedPhoto));
    assert!(transport.sent.borrow().is_empty(), "no visit without its photos");
    assert_eq!(store.visits.borrow().len(), 2, "nothing deleted");
}

#[test]
fn a_locked_out_device_or_an_overloaded_server_stops_the_photos_too() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    let photo = store.take_photo(photo_bytes(7, 2_000));
    store.save(visit_with_photos(1, std::slice::from_ref(&photo)), clock.now());

    let transport = ScriptedTransport::new(&server, vec![]).with_photo_script(vec![PhotoStep::Status(401)]);
    assert_eq!(run(&store, &transport, &clock, RunMode::Scheduled).stop, RunStop::Paused);
    let transport =
        ScriptedTransport::new(&server, vec![]).with_photo_script(vec![PhotoStep::Server, PhotoStep::Status(503)]);
    assert_eq!(run(&store, &transport, &clock, RunMode::Manual).stop, RunStop::Overloaded);
    let transport =
        ScriptedTransport::new(&server, vec![]).with_photo_script(vec![PhotoStep::Server, PhotoStep::Status(200)]);
    let report = run(&store, &transport, &clock, RunMode::Manual);
    assert_eq!(report.retrying, 1, "a 2xx without a readable status confirms nothing");
    assert_eq!(store.entry_of(Uuid::from_u128(1)).state, EntryState::Queued);

    let report = run(&store, &ScriptedTransport::new(&server, vec![]), &clock, RunMode::Manual);
    assert_eq!(report.delivered, 1);
    assert_eq!(server.photos.borrow()[&photo], photo_bytes(7, 2_000));
}
