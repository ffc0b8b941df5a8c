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
use crate::outbox::ParkReason;
use crate::child::Child;
use crate::fixtures::{sample_child, sample_visit};

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
    fn queue(&self, record: RecordRef, revision: u32, urgent: bool, now: DateTime<Utc>) {
        let mut entries = self.entries.borrow_mut();
        let entry = entries.entry(record).or_insert_with(|| OutboxEntry::new(record, revision, now));
        entry.requeue(revision, now);
        entry.set_urgent(urgent);
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
    async fn update_entry<F: FnOnce(&mut OutboxEntry)>(&self, record: RecordRef, change: F) -> Result<Option<OutboxEntry>, Infallible> {
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
        })
    }
}

/// The server's rule: one row per id, the newest revision wins, history is kept.
#[derive(Default)]
struct FakeServer {
    rows: RefCell<BTreeMap<Uuid, Visit>>,
    history: RefCell<Vec<(Uuid, u32)>>,
}

impl FakeServer {
    fn put(&self, visit: &Visit) -> HttpReply {
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

struct ScriptedTransport<'a> {
    server: &'a FakeServer,
    script: RefCell<VecDeque<Step>>,
    sent: RefCell<Vec<(Uuid, u32)>>,
    on_send: Option<Box<dyn Fn() + 'a>>,
}

impl<'a> ScriptedTransport<'a> {
    fn new(server: &'a FakeServer, script: Vec<Step>) -> ScriptedTransport<'a> {
        ScriptedTransport { server, script: RefCell::new(script.into()), sent: RefCell::new(vec![]), on_send: None }
    }
}

impl Transport for ScriptedTransport<'_> {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let visit = match record {
            OutboundRecord::Visit(visit) => visit,
            OutboundRecord::Child(child) => {
                assert_eq!(record.path(), format!("/api/v1/children/{}", child.id));
                let parsed: Child = serde_json::from_str(&record.body()).expect("the body is a child");
                assert_eq!(&parsed, child);
                self.sent.borrow_mut().push((child.id, child.revision));
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

fn run(store: &MemoryStore, transport: &ScriptedTransport, clock: &FakeClock, mode: RunMode) -> RunReport {
    block_on(run_once(store, transport, clock, &HalfJitter, &RetryPolicy::default(), mode)).unwrap()
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
}

#[test]
fn a_tab_killed_mid_send_sends_again_and_the_server_keeps_it_once() {
    let (store, server, clock) = (MemoryStore::default(), FakeServer::default(), FakeClock::new());
    store.save(visit(1, 1), clock.now());

    // The request reaches the server, then the tab dies before the answer arrives.
    let dying = ScriptedTransport::new(&server, vec![Step::ServerThenHang]);
    let outcome = run_once(&store, &dying, &clock, &HalfJitter, &RetryPolicy::default(), RunMode::Scheduled).now_or_never();
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
