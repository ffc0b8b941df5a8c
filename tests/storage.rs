//! The phone's storage in a real browser (headless Chromium) against real IndexedDB:
//! drafts, saved visits and the outbox are kept, survive a reopen, and the outbox engine
//! runs over them.

use std::cell::RefCell;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use tongxing::ids::new_uuid;
use tongxing::storage::{Database, OutboxDb};
use tongxing_core::outbox::{
    run_once, Clock, EntryState, HttpReply, Jitter, OutboundRecord, OutboxStore, RecordRef, RetryPolicy, RunMode, Transport,
    TransportError,
};
use tongxing_core::{RiskColour, Visit, VisitDraft, VisitType};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

async fn fresh_db() -> (String, Database) {
    let name = format!("tongxing-test-{}", new_uuid());
    let db = Database::open_named(&name).await.expect("the database opens");
    (name, db)
}

fn complete_draft(name: &str) -> VisitDraft {
    let mut draft = VisitDraft::new(new_uuid(), today(), now());
    draft.child_name = name.into();
    draft.visit_type = Some(VisitType::Phone);
    draft.risk_colour = Some(RiskColour::Yellow);
    draft.notes = "爷爷说孩子最近不爱说话".into();
    draft
}

#[wasm_bindgen_test]
async fn a_draft_is_kept_and_survives_a_reopen() {
    let (name, db) = fresh_db().await;
    let mut draft = complete_draft("张小花");
    draft.notes = "第一次输入".into();
    db.put_draft(&draft).await.unwrap();
    draft.notes = "第二次输入，覆盖第一次".into();
    db.put_draft(&draft).await.unwrap();
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.draft(draft.id).await.unwrap(), Some(draft.clone()));
    assert_eq!(db.drafts().await.unwrap(), vec![draft]);
    assert_eq!(db.draft(new_uuid()).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn saving_stores_the_visit_queues_it_and_removes_the_draft_atomically() {
    let (name, db) = fresh_db().await;
    let draft = complete_draft("李小龙");
    db.put_draft(&draft).await.unwrap();
    let visit = draft.to_visit(today(), now()).unwrap();
    let entry = db.save_visit(&visit, now().with_timezone(&Utc)).await.unwrap();
    assert_eq!(entry.state, EntryState::Queued);
    assert_eq!(entry.revision, 1);
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.draft(visit.id).await.unwrap(), None, "the draft is gone once saved");
    assert_eq!(db.visit(visit.id).await.unwrap(), Some(visit.clone()));
    let listed = db.visits_with_state().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].visit, visit);
    assert_eq!(listed[0].entry.as_ref().map(|e| e.state), Some(EntryState::Queued));
    let outbox = OutboxDb(db.clone());
    assert_eq!(outbox.entries().await.unwrap(), vec![entry]);
}

#[wasm_bindgen_test]
async fn saving_a_new_revision_requeues_a_sent_visit() {
    let (_, db) = fresh_db().await;
    let first = complete_draft("王芳").to_visit(today(), now()).unwrap();
    db.save_visit(&first, now().with_timezone(&Utc)).await.unwrap();
    let outbox = OutboxDb(db.clone());
    let record = RecordRef::visit(first.id);
    let settled = outbox.update_entry(record, |e| e.state = EntryState::Sent).await.unwrap();
    assert_eq!(settled.map(|e| e.state), Some(EntryState::Sent));

    let mut again = VisitDraft::from_visit(&first);
    again.risk_colour = Some(RiskColour::Red);
    let second = again.to_visit(today(), now()).unwrap();
    let entry = db.save_visit(&second, now().with_timezone(&Utc)).await.unwrap();
    assert_eq!((entry.state, entry.revision), (EntryState::Queued, 2));
    assert_eq!(db.visit(first.id).await.unwrap().map(|v| v.revision), Some(2));
    assert_eq!(outbox.update_entry(RecordRef::visit(new_uuid()), |_| {}).await.unwrap(), None);
}

struct FixedClock;
impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        now().with_timezone(&Utc)
    }
}
impl Jitter for FixedClock {
    fn sample(&self) -> f64 {
        0.5
    }
}

/// A server that answers 500 once, then accepts.
#[derive(Default)]
struct FlakyServer {
    received: RefCell<Vec<Visit>>,
}
impl Transport for FlakyServer {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let OutboundRecord::Visit(visit) = record;
        let mut received = self.received.borrow_mut();
        received.push(visit.clone());
        let status = if received.len() == 1 { 500 } else { 201 };
        Ok(HttpReply { status, retry_after: None, body: String::new() })
    }
}

#[wasm_bindgen_test]
async fn the_outbox_engine_runs_over_indexeddb() {
    let (name, db) = fresh_db().await;
    let visit = complete_draft("赵小雨").to_visit(today(), now()).unwrap();
    db.save_visit(&visit, now().with_timezone(&Utc)).await.unwrap();
    let server = FlakyServer::default();
    let outbox = OutboxDb(db.clone());

    let first = run_once(&outbox, &server, &FixedClock, &FixedClock, &RetryPolicy::default(), RunMode::Manual).await.unwrap();
    assert_eq!((first.delivered, first.retrying, first.pending), (0, 1, 1));
    let waiting = db.visits_with_state().await.unwrap().remove(0).entry.unwrap();
    assert_eq!(waiting.state, EntryState::Queued);
    assert_eq!(waiting.last_error.as_deref(), Some("HTTP 500"));

    let second = run_once(&outbox, &server, &FixedClock, &FixedClock, &RetryPolicy::default(), RunMode::Manual).await.unwrap();
    assert_eq!((second.delivered, second.pending), (1, 0));
    assert_eq!(server.received.borrow().as_slice(), &[visit.clone(), visit.clone()]);
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    let sent = db.visits_with_state().await.unwrap().remove(0).entry.unwrap();
    assert_eq!(sent.state, EntryState::Sent, "the outcome is stored durably");
}
