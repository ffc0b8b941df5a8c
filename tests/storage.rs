//! The phone's storage in a real browser (headless Chromium) against real IndexedDB:
//! drafts, saved visits, children's files and the outbox are kept, survive a reopen, and
//! the outbox engine runs over them.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use tongxing::ids::new_uuid;
use tongxing::storage::{enrolment, Database, OutboxDb};
use tongxing_core::child::Child;
use tongxing_core::enrolment::{DeviceEnrolment, ServerOrigin};
use tongxing_core::fixtures::{ordinary_visit_answers, sample_child, today};
use tongxing_core::form::{AnswerValue, FormCatalog};
use tongxing_core::http_reply::{HttpReply, TransportError};
use tongxing_core::outbox::{
    run_once, Clock, EntryOwner, EntryState, Jitter, OutboundRecord, OutboxStore, PhotoUpload, RecordRef, RetryPolicy,
    RunMode, RunReport, Transport,
};
use tongxing_core::photo::{PhotoHash, PhotoNote, UploadPiece};
use tongxing_core::schedule::Cadence;
use tongxing_core::wire::{EnrollReply, PhotoReply, PhotoStatus};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{RiskColour, Visit, VisitDraft, Worker};
use uuid::Uuid;
use wasm_bindgen_test::*;

mod common;

use common::{fresh_db, now, utc};

wasm_bindgen_test_configure!(run_in_browser);

fn child(name: &str) -> Child {
    Child { id: new_uuid(), name: name.into(), ..sample_child() }
}

/// A complete draft of a visit to `child_id` on `date`.
fn complete_draft(child_id: Uuid, date: &str) -> VisitDraft {
    let form = FormCatalog::builtin().home_visit().expect("the built-in form");
    let mut draft = VisitDraft::new(new_uuid(), Some(child_id), form, today(), now());
    draft.answers = ordinary_visit_answers();
    draft.answers.set("visit_date", AnswerValue::Text(date.into()));
    draft
}

fn visit_of(draft: &VisitDraft) -> Visit {
    draft.to_visit(FormCatalog::builtin(), today(), now()).expect("a complete draft")
}

#[wasm_bindgen_test]
async fn a_draft_is_kept_and_survives_a_reopen() {
    let (name, db) = fresh_db().await;
    let mut draft = complete_draft(new_uuid(), "2026-11-20");
    draft.answer("actions_taken", AnswerValue::Text("第一次输入".into()), &Cadence::standard(), now());
    db.put_draft(&draft).await.unwrap();
    draft.answer("actions_taken", AnswerValue::Text("第二次输入，覆盖第一次".into()), &Cadence::standard(), now());
    db.put_draft(&draft).await.unwrap();
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.draft(draft.id).await.unwrap(), Some(draft.clone()));
    assert_eq!(db.drafts().await.unwrap(), vec![draft]);
    assert_eq!(db.draft(new_uuid()).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn saving_stores_the_visit_and_its_summary_queues_it_and_removes_the_draft_atomically() {
    let (name, db) = fresh_db().await;
    let draft = complete_draft(new_uuid(), "2026-11-20");
    db.put_draft(&draft).await.unwrap();
    let visit = visit_of(&draft);
    let entry = db.save_visit(&visit, utc()).await.unwrap();
    assert_eq!((entry.state, entry.revision, entry.urgent), (EntryState::Queued, 1, false));
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.draft(visit.id).await.unwrap(), None, "the draft is gone once saved");
    assert_eq!(db.visit(visit.id).await.unwrap(), Some(visit.clone()));
    let listed = db.visit_rows().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].summary.visit_id, visit.id);
    assert_eq!(listed[0].summary.risk_colour, Some(RiskColour::Yellow));
    assert_eq!(listed[0].entry.as_ref().map(|e| e.state), Some(EntryState::Queued));
    let outbox = OutboxDb(db.clone());
    assert_eq!(outbox.entries().await.unwrap(), vec![entry]);
}

#[wasm_bindgen_test]
async fn saving_a_new_revision_requeues_a_sent_visit() {
    let (_, db) = fresh_db().await;
    let first = visit_of(&complete_draft(new_uuid(), "2026-11-20"));
    db.save_visit(&first, utc()).await.unwrap();
    let outbox = OutboxDb(db.clone());
    let settled = outbox.update_entry(RecordRef::visit(first.id), |e| e.state = EntryState::Sent).await.unwrap();
    assert_eq!(settled.map(|e| e.state), Some(EntryState::Sent));
    assert_eq!(outbox.entries().await.unwrap(), vec![], "a run does not read delivered entries");
    let listed = db.visit_rows().await.unwrap();
    assert_eq!(listed[0].entry.as_ref().map(|e| e.state), Some(EntryState::Sent), "the list still shows it sent");

    let mut again = VisitDraft::from_visit(&first, &Cadence::standard());
    again.answer("actions_taken", AnswerValue::Text("已联系学校".into()), &Cadence::standard(), now());
    let second = visit_of(&again);
    let entry = db.save_visit(&second, utc()).await.unwrap();
    assert_eq!((entry.state, entry.revision), (EntryState::Queued, 2));
    assert_eq!(outbox.entries().await.unwrap(), vec![entry.clone()], "back among the entries to send");
    assert_eq!(db.visit_rows().await.unwrap()[0].entry, Some(entry), "once, not also as delivered");
    assert_eq!(db.visit(first.id).await.unwrap().map(|v| v.revision), Some(2));
    assert_eq!(db.visit_rows().await.unwrap().len(), 1, "one summary per visit, not per revision");
    assert_eq!(outbox.update_entry(RecordRef::visit(new_uuid()), |_| {}).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_childs_file_is_saved_with_its_outbox_entry_and_survives_a_reopen() {
    let (name, db) = fresh_db().await;
    let (b, a) = (child("孙小北"), child("陈小安"));
    let entry = db.save_child(&b, utc()).await.unwrap();
    assert_eq!((entry.record, entry.state), (RecordRef::child(b.id), EntryState::Queued));
    db.save_child(&a, utc()).await.unwrap();
    let edited = Child { revision: 2, school: "石桥中学".into(), ..b.clone() };
    db.save_child(&edited, utc()).await.unwrap();
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.child(b.id).await.unwrap(), Some(edited.clone()));
    assert!(db.has_child(a.id).await.unwrap());
    assert!(!db.has_child(new_uuid()).await.unwrap());
    let names: Vec<String> = db.children().await.unwrap().into_iter().map(|c| c.name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let rows = db.children_with_state().await.unwrap();
    assert_eq!(rows.len(), 2);
    let row = rows.iter().find(|r| r.child.id == b.id).unwrap();
    assert_eq!(row.entry.as_ref().map(|e| e.revision), Some(2));
    let one = db.child_row(b.id).await.unwrap().expect("the file");
    assert_eq!((one.child.revision, one.entry.map(|e| e.revision)), (2, Some(2)));
    assert_eq!(db.child_row(new_uuid()).await.unwrap(), None);
    let record = OutboxDb(db.clone()).record(RecordRef::child(b.id)).await.unwrap();
    assert_eq!(record, Some(OutboundRecord::Child(edited)));
}

#[wasm_bindgen_test]
async fn a_childs_history_is_theirs_only_newest_first_and_sets_their_status() {
    let (_, db) = fresh_db().await;
    let (mine, other) = (child("周小满"), child("吴小雪"));
    db.save_child(&mine, utc()).await.unwrap();
    db.save_child(&other, utc()).await.unwrap();
    let older = visit_of(&complete_draft(mine.id, "2026-10-20"));
    let newer = visit_of(&complete_draft(mine.id, "2026-11-20"));
    let theirs = visit_of(&complete_draft(other.id, "2026-11-21"));
    for visit in [&newer, &theirs, &older] {
        db.save_visit(visit, utc()).await.unwrap();
    }

    let history: Vec<Uuid> =
        db.visit_rows_of_child(mine.id).await.unwrap().into_iter().map(|r| r.summary.visit_id).collect();
    assert_eq!(history, vec![newer.id, older.id]);

    let statuses = db.child_statuses().await.unwrap();
    assert_eq!(statuses.len(), 2);
    let status = statuses.iter().find(|s| s.child_id == mine.id).unwrap();
    assert_eq!(status.last_visit, newer.visit_date());
    assert_eq!(status.colour, Some(RiskColour::Yellow));

    // A visit moved to the other child (picked wrongly, then corrected) leaves this history.
    let mut moved = VisitDraft::from_visit(&older, &Cadence::standard());
    moved.child_id = Some(other.id);
    db.save_visit(&visit_of(&moved), utc()).await.unwrap();
    assert_eq!(db.visit_rows_of_child(mine.id).await.unwrap().len(), 1);
    assert_eq!(db.visit_rows_of_child(other.id).await.unwrap().len(), 2);
    let status_of = |statuses: Vec<tongxing_core::schedule::ChildStatus>, id: Uuid| {
        statuses.into_iter().find(|s| s.child_id == id).and_then(|s| s.last_visit)
    };
    let statuses = db.child_statuses().await.unwrap();
    assert_eq!(status_of(statuses.clone(), mine.id), newer.visit_date(), "still their newest");
    assert_eq!(status_of(statuses, other.id), theirs.visit_date(), "an older visit does not become the latest");

    // Their newest visit moved away too: nothing is left to date them by.
    let mut moved = VisitDraft::from_visit(&newer, &Cadence::standard());
    moved.child_id = Some(other.id);
    db.save_visit(&visit_of(&moved), utc()).await.unwrap();
    let statuses = db.child_statuses().await.unwrap();
    assert_eq!(status_of(statuses.clone(), mine.id), None, "never visited now");
    assert_eq!(status_of(statuses, other.id), theirs.visit_date());
}

#[wasm_bindgen_test]
async fn a_visit_that_found_harm_is_marked_urgent_and_starts_its_report_s_follow_up_once() {
    let (_, db) = fresh_db().await;
    let mut draft = complete_draft(new_uuid(), "2026-11-20");
    let cadence = Cadence::standard();
    for (field, value) in [
        ("harm_signs", AnswerValue::Bool(true)),
        ("harm_details", AnswerValue::Text("手臂有淤青".into())),
        ("mandatory_report_made", AnswerValue::Bool(true)),
        ("mandatory_report_date", AnswerValue::Text("2026-11-20".into())),
        ("mandatory_report_to", AnswerValue::Text("石桥派出所".into())),
        ("risk_colour", AnswerValue::Text("red".into())),
    ] {
        draft.answer(field, value, &cadence, now());
    }
    let visit = visit_of(&draft);
    let entry = db.save_visit(&visit, utc()).await.unwrap();
    assert!(entry.urgent);
    assert!(db.visit_rows().await.unwrap()[0].summary.mandatory_report);

    // Its follow-up is kept and queued, urgent, in the same save; saving again starts no other.
    let plans = db.case_plans().await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!((plans[0].report_visit_id, plans[0].actions.len()), (Some(visit.id), 4));
    let outbox = OutboxDb(db.clone());
    let queued = outbox.entries().await.unwrap().into_iter().find(|e| e.record == RecordRef::case_plan(plans[0].id));
    assert_eq!(queued.map(|e| (e.urgent, e.revision)), Some((true, 1)));
    let again = Visit { revision: 2, ..visit.clone() };
    db.save_visit(&again, utc()).await.unwrap();
    assert_eq!(db.case_plans().await.unwrap().len(), 1, "one follow-up per report");
    assert_eq!(
        outbox.record(RecordRef::case_plan(plans[0].id)).await.unwrap(),
        Some(OutboundRecord::CasePlan(plans[0].clone()))
    );
}

struct FixedClock;
impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        utc()
    }
}
impl Jitter for FixedClock {
    fn sample(&self) -> f64 {
        0.5
    }
}

/// The enrolment of a worker of `village` with the app's own server, as joining keeps it.
fn joined(name: &str, village: &str) -> DeviceEnrolment {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let worker = Worker {
        id: new_uuid(),
        name: name.into(),
        role: Role::Director,
        place: Place { township: "石门镇".into(), village: village.into() },
    };
    let server = ServerOrigin::parse(&origin).expect("the test page's origin");
    DeviceEnrolment::joined(EnrollReply { token: format!("token-of-{name}"), worker }, server, utc())
}

/// Whoever the phone is joined as, for runs over entries saved before anyone joined.
fn anyone() -> EntryOwner {
    joined("任何人", "任何村").owner()
}

/// One run of the outbox over `outbox` against `server`, for `owner`, as "sync now" makes
/// it, at the tests' fixed time.
async fn sync_now(outbox: &OutboxDb, server: &impl Transport, owner: &EntryOwner) -> RunReport {
    run_once(outbox, server, &FixedClock, &FixedClock, &RetryPolicy::default(), RunMode::Manual, owner, &|_| {})
        .await
        .expect("the run reads and writes the store")
}

#[wasm_bindgen_test]
async fn a_shared_phone_keeps_each_workers_unsent_records_for_her() {
    let (_, db) = fresh_db().await;
    let outbox = OutboxDb(db.clone());
    let (li, wang) = (joined("李芳", "桃源村"), joined("王兰", "石桥村"));

    // Saved before anyone joined: nobody's yet; joining as someone else hands it to 李芳,
    // whose phone it was.
    let early = child("钱小雷");
    assert_eq!(db.save_child(&early, utc()).await.unwrap().owner, None);
    outbox.hand_unowned_to(&li.owner()).await.unwrap();

    enrolment::store(&li).unwrap();
    let kid = child("赵小雨");
    assert_eq!(db.save_child(&kid, utc()).await.unwrap().owner, Some(li.owner()), "saved by the worker joined");
    assert_eq!(outbox.unsent_of(&li.owner()).await.unwrap(), 2);

    // 王兰 joins this phone: her runs send nothing of 李芳's, and her edit does not take it.
    enrolment::store(&wang).unwrap();
    assert_eq!(db.save_child(&Child { revision: 2, ..kid.clone() }, utc()).await.unwrap().owner, Some(li.owner()));
    let server = FlakyServer::default();
    let report = sync_now(&outbox, &server, &wang.owner()).await;
    assert!(server.received.borrow().is_empty(), "nothing of 李芳's goes out with 王兰's token");
    assert_eq!((report.delivered, report.pending), (0, 0));
    assert_eq!(outbox.unsent_of(&wang.owner()).await.unwrap(), 0);

    // 李芳 joins again: both of hers go (the flaky server refuses the first try once).
    enrolment::store(&li).unwrap();
    for _ in 0..2 {
        sync_now(&outbox, &server, &li.owner()).await;
    }
    assert_eq!(outbox.unsent_of(&li.owner()).await.unwrap(), 0);
    let sent: Vec<String> = server.received.borrow().clone();
    assert!(
        sent.contains(&format!("/api/v1/children/{}", kid.id))
            && sent.contains(&format!("/api/v1/children/{}", early.id)),
        "{sent:?}"
    );
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).map(|s| s.clear());
}

/// A server that answers 500 once, then accepts; it records the paths it was sent.
#[derive(Default)]
struct FlakyServer {
    received: RefCell<Vec<String>>,
}
impl Transport for FlakyServer {
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError> {
        let mut received = self.received.borrow_mut();
        received.push(record.path());
        let status = if received.len() == 1 { 500 } else { 201 };
        Ok(HttpReply { status, retry_after: None, body: String::new() })
    }
    async fn photo_status(&self, _: &PhotoHash) -> Result<HttpReply, TransportError> {
        Ok(HttpReply { status: 404, retry_after: None, body: String::new() })
    }
    async fn send_photo_piece(&self, _: &PhotoHash, _: &UploadPiece, _: Vec<u8>) -> Result<HttpReply, TransportError> {
        Ok(HttpReply { status: 404, retry_after: None, body: String::new() })
    }
}

#[wasm_bindgen_test]
async fn the_outbox_engine_runs_over_indexeddb() {
    let (name, db) = fresh_db().await;
    let kid = child("赵小雨");
    db.save_child(&kid, utc()).await.unwrap();
    let visit = visit_of(&complete_draft(kid.id, "2026-11-20"));
    db.save_visit(&visit, utc() + chrono::Duration::seconds(1)).await.unwrap();
    let server = FlakyServer::default();
    let outbox = OutboxDb(db.clone());

    let first = sync_now(&outbox, &server, &anyone()).await;
    assert_eq!((first.delivered, first.retrying, first.pending), (1, 1, 1));
    let waiting = db.children_with_state().await.unwrap().remove(0).entry.unwrap();
    assert_eq!(waiting.state, EntryState::Queued);
    assert_eq!(waiting.last_error.as_deref(), Some("HTTP 500"));

    let second = sync_now(&outbox, &server, &anyone()).await;
    assert_eq!((second.delivered, second.pending), (1, 0));
    let child_path = format!("/api/v1/children/{}", kid.id);
    let visit_path = format!("/api/v1/visits/{}", visit.id);
    assert_eq!(*server.received.borrow(), vec![child_path.clone(), visit_path, child_path]);
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    let sent = db.visit_rows().await.unwrap().remove(0).entry.unwrap();
    assert_eq!(sent.state, EntryState::Sent, "the outcome is stored durably");
    assert_eq!(db.children_with_state().await.unwrap()[0].entry.as_ref().map(|e| e.state), Some(EntryState::Sent));
}

/// The county's default days for sent visits' answers on a phone.
const THIRTY_DAYS: chrono::Duration = chrono::Duration::days(30);

#[wasm_bindgen_test]
async fn a_sent_visits_details_leave_the_phone_after_thirty_days_and_its_summary_stays() {
    let (_, db) = fresh_db().await;
    let kid = child("孙小北");
    db.save_child(&kid, utc()).await.unwrap();
    let older = visit_of(&complete_draft(kid.id, "2026-10-20"));
    let newer = visit_of(&complete_draft(kid.id, "2026-11-20"));
    db.save_visit(&older, utc()).await.unwrap();
    db.save_visit(&newer, utc()).await.unwrap();
    assert_eq!(
        db.release_sent_visits(utc() + chrono::Duration::days(60), THIRTY_DAYS).await.unwrap(),
        0,
        "not sent yet"
    );
    let (server, outbox) = (FlakyServer::default(), OutboxDb(db.clone()));
    for _ in 0..2 {
        sync_now(&outbox, &server, &anyone()).await;
    }
    assert_eq!(outbox.entries().await.unwrap().iter().filter(|e| e.state != EntryState::Sent).count(), 0);

    assert_eq!(
        db.release_sent_visits(utc() + chrono::Duration::days(29), THIRTY_DAYS).await.unwrap(),
        0,
        "kept for 30 days"
    );
    let released = db.release_sent_visits(utc() + chrono::Duration::days(30), THIRTY_DAYS).await.unwrap();
    assert_eq!(released, 1, "the older only: the newer is the child's latest");
    assert!(db.visit(older.id).await.unwrap().is_none(), "its answers left the phone");
    assert!(db.visit(newer.id).await.unwrap().is_some());
    assert!(
        db.received_summary(older.id).await.unwrap().is_some(),
        "its summary stays: the history lists it, and opened it is read from the server"
    );
}

/// A photo's stand-in bytes, and a Blob made of them as the shrinker makes one.
fn photo(seed: u8, len: usize) -> (Vec<u8>, PhotoHash, web_sys::Blob) {
    let bytes: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(13).wrapping_add(seed)).collect();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).expect("a blob");
    let hash = PhotoHash::of_bytes(&bytes);
    (bytes, hash, blob)
}

#[wasm_bindgen_test]
async fn a_photo_is_kept_as_a_blob_read_in_pieces_and_its_progress_survives_a_reopen() {
    let (name, db) = fresh_db().await;
    let (bytes, hash, blob) = photo(1, 200_000);
    db.store_photo(&hash, &blob, utc()).await.unwrap();
    let upload = db.photo_upload(&hash).await.unwrap().expect("stored with its progress");
    assert_eq!((upload.size, upload.received, upload.held), (200_000, 0, false));
    assert_eq!(db.photo_piece(&hash, 0..65_536).await.unwrap().unwrap(), bytes[..65_536]);
    assert_eq!(db.photo_piece(&hash, 196_608..200_000).await.unwrap().unwrap(), bytes[196_608..]);
    assert_eq!(db.photo(&hash).await.unwrap().map(|b| b.size()), Some(200_000.0));

    let mut progressed = upload;
    progressed.received = 131_072;
    db.set_photo_upload(&hash, &progressed).await.unwrap();
    // Stored again (picked twice): what the server confirmed is not forgotten.
    db.store_photo(&hash, &blob, utc()).await.unwrap();
    db.close();
    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.photo_upload(&hash).await.unwrap().map(|u| u.received), Some(131_072));
    assert_eq!(db.photo_piece(&PhotoHash::of_bytes(b"none"), 0..1).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn photos_no_visit_or_draft_names_are_swept_after_a_day_and_named_ones_never() {
    let (_, db) = fresh_db().await;
    let (_, in_draft, blob_a) = photo(2, 1_000);
    let (_, in_visit, blob_b) = photo(3, 1_000);
    let (_, removed_long_ago, blob_c) = photo(4, 1_000);
    let (_, removed_just_now, blob_d) = photo(5, 1_000);
    let long_ago = utc() - chrono::Duration::days(3);
    for (hash, blob) in [(&in_draft, &blob_a), (&in_visit, &blob_b), (&removed_long_ago, &blob_c)] {
        db.store_photo(hash, blob, long_ago).await.unwrap();
    }
    db.store_photo(&removed_just_now, &blob_d, utc()).await.unwrap();
    let notes = |hash: &PhotoHash| AnswerValue::Photos(vec![PhotoNote::new(hash.clone(), long_ago)]);
    let mut draft = complete_draft(new_uuid(), "2026-11-20");
    draft.answers.set("photo_consent", AnswerValue::Bool(true));
    draft.answers.set("photos", notes(&in_draft));
    db.put_draft(&draft).await.unwrap();
    let mut saved = complete_draft(new_uuid(), "2026-11-21");
    saved.answers.set("photo_consent", AnswerValue::Bool(true));
    saved.answers.set("photos", notes(&in_visit));
    db.save_visit(&visit_of(&saved), utc()).await.unwrap();

    assert_eq!(db.remove_unnamed_photos(utc()).await.unwrap(), 1);
    assert!(db.photo(&removed_long_ago).await.unwrap().is_none());
    assert!(db.photo_upload(&removed_long_ago).await.unwrap().is_none());
    for kept in [&in_draft, &in_visit, &removed_just_now] {
        assert!(db.photo(kept).await.unwrap().is_some(), "{kept}");
    }
}

/// A server that takes photo pieces like the real one, and drops the connection once,
/// after keeping part of a piece.
#[derive(Default)]
struct PhotoServer {
    held: RefCell<Vec<u8>>,
    pieces: RefCell<Vec<std::ops::Range<u64>>>,
    visits: RefCell<u32>,
}

impl Transport for PhotoServer {
    async fn send(&self, _: &OutboundRecord) -> Result<HttpReply, TransportError> {
        *self.visits.borrow_mut() += 1;
        Ok(HttpReply { status: 201, retry_after: None, body: String::new() })
    }
    async fn photo_status(&self, hash: &PhotoHash) -> Result<HttpReply, TransportError> {
        let received = self.held.borrow().len() as u64;
        let status = if received == 0 { PhotoStatus::Absent } else { PhotoStatus::Partial };
        let body = serde_json::to_string(&PhotoReply { sha256: hash.clone(), status, received, size: None }).unwrap();
        Ok(HttpReply { status: 200, retry_after: None, body })
    }
    async fn send_photo_piece(
        &self,
        hash: &PhotoHash,
        piece: &UploadPiece,
        bytes: Vec<u8>,
    ) -> Result<HttpReply, TransportError> {
        assert_eq!(piece.range.start, self.held.borrow().len() as u64, "each piece starts at the server's byte");
        self.pieces.borrow_mut().push(piece.range.clone());
        if self.pieces.borrow().len() == 2 {
            self.held.borrow_mut().extend_from_slice(&bytes[..1_000]);
            return Err(TransportError::Network("connection reset".into()));
        }
        self.held.borrow_mut().extend_from_slice(&bytes);
        let received = self.held.borrow().len() as u64;
        let (code, status) = if piece.is_last() { (201, PhotoStatus::Created) } else { (202, PhotoStatus::Partial) };
        let body =
            serde_json::to_string(&PhotoReply { sha256: hash.clone(), status, received, size: Some(piece.size) })
                .unwrap();
        Ok(HttpReply { status: code, retry_after: None, body })
    }
}

#[wasm_bindgen_test]
async fn the_outbox_sends_a_stored_photo_in_pieces_before_its_visit_and_resumes_after_a_cut() {
    let (_, db) = fresh_db().await;
    let (bytes, hash, blob) = photo(6, 150_000);
    db.store_photo(&hash, &blob, utc()).await.unwrap();
    let mut draft = complete_draft(new_uuid(), "2026-11-20");
    draft.answers.set("photo_consent", AnswerValue::Bool(true));
    draft.answers.set("photos", AnswerValue::Photos(vec![PhotoNote::new(hash.clone(), utc())]));
    db.save_visit(&visit_of(&draft), utc()).await.unwrap();
    let server = PhotoServer::default();
    let outbox = OutboxDb(db.clone());

    let cut = sync_now(&outbox, &server, &anyone()).await;
    assert_eq!((cut.delivered, *server.visits.borrow()), (0, 0), "no visit before its photo");
    assert_eq!(db.photo_upload(&hash).await.unwrap().map(|u| u.received), Some(65_536), "what the server confirmed");

    assert_eq!(db.release_photos_on_server().await.unwrap(), 0, "its visit still waits");

    let done = sync_now(&outbox, &server, &anyone()).await;
    assert_eq!((done.delivered, *server.visits.borrow()), (1, 1));
    assert_eq!(*server.held.borrow(), bytes, "byte for byte");
    assert_eq!(server.pieces.borrow()[2].start, 65_536 + 1_000, "resumed at the server's byte, not the phone's");
    assert_eq!(db.photo_upload(&hash).await.unwrap().map(|u| u.held), Some(true));

    // Held by the server with its visit: the bytes leave the phone, its record stays; a
    // photo the server holds but a draft still names stays.
    let (_, in_draft, draft_blob) = photo(7, 2_000);
    db.store_photo(&in_draft, &draft_blob, utc()).await.unwrap();
    db.set_photo_upload(&in_draft, &PhotoUpload { received: 2_000, held: true, ..PhotoUpload::new(2_000) })
        .await
        .unwrap();
    let mut open_draft = complete_draft(new_uuid(), "2026-11-21");
    open_draft.answers.set("photo_consent", AnswerValue::Bool(true));
    open_draft.answers.set("photos", AnswerValue::Photos(vec![PhotoNote::new(in_draft.clone(), utc())]));
    db.put_draft(&open_draft).await.unwrap();
    assert_eq!(db.release_photos_on_server().await.unwrap(), 1);
    assert!(db.photo(&hash).await.unwrap().is_none(), "the sent photo's bytes are gone");
    assert_eq!(db.photo_upload(&hash).await.unwrap().map(|u| u.held), Some(true), "known to be on the server");
    assert!(db.photo(&in_draft).await.unwrap().is_some(), "a draft still names it");
}

#[wasm_bindgen_test]
async fn what_the_server_sends_is_kept_with_its_cursor_and_never_over_her_newer_edits() {
    use tongxing::storage::ReceivedDb;
    use tongxing_core::pull::ReceivedStore;
    use tongxing_core::schedule::VisitSummary;
    use tongxing_core::wire::ChangesPage;

    let (name, db) = fresh_db().await;
    let me = new_uuid();
    let received = ReceivedDb { db: db.clone(), me };
    assert_eq!(received.cursor().await.unwrap(), 0, "nothing received yet");

    // Another worker's child and visit, and her own file edited here since she sent it.
    let theirs = child("郑小鹏");
    let their_visit = visit_of(&complete_draft(theirs.id, "2026-11-18"));
    let mine = child("冯小雨");
    let edited = Child { revision: 3, notes: "搬家了".into(), ..mine.clone() };
    db.save_child(&edited, utc()).await.unwrap();
    let page = ChangesPage {
        children: vec![theirs.clone(), Child { revision: 2, ..mine.clone() }],
        visits: vec![VisitSummary::of(&their_visit)],
        next: 6,
        ..ChangesPage::default()
    };
    received.receive(&page).await.unwrap();
    received.receive(&page).await.unwrap(); // a page written twice changes nothing
    db.close();

    let db = Database::open_named(&name).await.unwrap();
    let received = ReceivedDb { db: db.clone(), me };
    assert_eq!(received.cursor().await.unwrap(), 6);
    assert_eq!(ReceivedDb { db: db.clone(), me: new_uuid() }.cursor().await.unwrap(), 0, "another enrolment's");
    assert_eq!(db.child(theirs.id).await.unwrap(), Some(theirs.clone()));
    assert_eq!(db.child(mine.id).await.unwrap(), Some(edited), "her edit not yet sent stays");
    let history = db.visit_rows_of_child(theirs.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].summary, VisitSummary::of(&their_visit));
    assert_eq!(history[0].entry, None, "not hers to send");
    let status = db.child_statuses().await.unwrap().into_iter().find(|s| s.child_id == theirs.id).unwrap();
    assert_eq!(status.last_visit, their_visit.visit_date(), "the due list counts every worker's visits");
}

#[wasm_bindgen_test]
async fn a_pairing_that_ended_takes_the_child_off_her_phone_but_not_her_unsent_visit() {
    use tongxing::storage::ReceivedDb;
    use tongxing_core::pairing::Pairing;
    use tongxing_core::pull::ReceivedStore;
    use tongxing_core::schedule::VisitSummary;
    use tongxing_core::wire::{ChangesPage, Registrant, VillageWorker};

    let (_, db) = fresh_db().await;
    let me = new_uuid();
    let received = ReceivedDb { db: db.clone(), me };
    let paired = child("褚小凡");
    let sent_visit = visit_of(&complete_draft(paired.id, "2026-11-10"));
    let pairing =
        Pairing { id: new_uuid(), child_id: paired.id, worker_id: me, active: true, revision: 1, updated_at: now() };
    let first = ChangesPage {
        children: vec![paired.clone()],
        visits: vec![VisitSummary::of(&sent_visit)],
        pairings: vec![pairing.clone()],
        registrants: vec![Registrant { child_id: paired.id, name: "李芳".into() }],
        paired_workers: vec![VillageWorker { id: me, name: "赵妈妈".into(), role: Role::LoveMother }],
        next: 3,
        more: false,
        ..ChangesPage::default()
    };
    received.receive(&first).await.unwrap();
    assert_eq!(db.registrants().await.unwrap().get(&paired.id).map(String::as_str), Some("李芳"));
    let shown = db.pairings_of(paired.id).await.unwrap();
    assert_eq!(shown.len(), 1, "her pairing is kept for the child's page");
    assert_eq!(shown[0].worker.as_ref().map(|w| w.name.as_str()), Some("赵妈妈"));
    // Her own visit, saved here and not yet sent.
    let unsent = visit_of(&complete_draft(paired.id, "2026-11-20"));
    db.save_visit(&unsent, utc()).await.unwrap();

    // Another worker's pairing ending changes nothing here.
    let someone_else = Pairing { worker_id: new_uuid(), active: false, revision: 2, ..pairing.clone() };
    let pairings =
        |pairing: Pairing, next: u64| ChangesPage { pairings: vec![pairing], next, ..ChangesPage::default() };
    received.receive(&pairings(someone_else, 4)).await.unwrap();
    assert!(db.has_child(paired.id).await.unwrap());

    let ended = Pairing { active: false, revision: 2, ..pairing };
    received.receive(&pairings(ended, 5)).await.unwrap();
    assert!(!db.has_child(paired.id).await.unwrap(), "the file left the phone");
    assert!(db.registrants().await.unwrap().is_empty(), "and who registered it");
    let left: Vec<Uuid> =
        db.visit_rows_of_child(paired.id).await.unwrap().into_iter().map(|row| row.summary.visit_id).collect();
    assert_eq!(left, [unsent.id], "her unsent visit stays to be sent");
    assert_eq!(db.visit(sent_visit.id).await.unwrap(), None);
    assert!(db.visit(unsent.id).await.unwrap().is_some());
    assert!(db.pairings().await.unwrap().is_empty(), "and the child's pairings");
    assert_eq!(received.cursor().await.unwrap(), 5);
}

#[wasm_bindgen_test]
async fn a_merged_file_leaves_the_phone_and_its_visits_come_under_the_file_kept() {
    use tongxing::storage::ReceivedDb;
    use tongxing_core::pull::ReceivedStore;
    use tongxing_core::schedule::VisitSummary;
    use tongxing_core::wire::{ChangesPage, ChildMerge};

    let (_, db) = fresh_db().await;
    let received = ReceivedDb { db: db.clone(), me: new_uuid() };
    let kept = child("韩小雪");
    let merged = child("韩小雪");
    let visit = visit_of(&complete_draft(merged.id, "2026-11-10"));
    let first = ChangesPage {
        children: vec![kept.clone(), merged.clone()],
        visits: vec![VisitSummary::of(&visit)],
        next: 3,
        ..ChangesPage::default()
    };
    received.receive(&first).await.unwrap();
    assert_eq!(db.visit_rows_of_child(merged.id).await.unwrap().len(), 1);

    // The supervisor merged the second file into the first: the visit comes again, moved.
    let moved = tongxing_core::Visit { child_id: kept.id, revision: visit.revision + 1, ..visit.clone() };
    let merge = ChangesPage {
        visits: vec![VisitSummary::of(&moved)],
        merges: vec![ChildMerge { from: merged.id, into: kept.id }],
        next: 5,
        ..ChangesPage::default()
    };
    received.receive(&merge).await.unwrap();
    assert!(!db.has_child(merged.id).await.unwrap(), "the merged file left the phone");
    assert!(db.visit_rows_of_child(merged.id).await.unwrap().is_empty());
    let rows = db.visit_rows_of_child(kept.id).await.unwrap();
    assert_eq!(rows.iter().map(|row| row.summary.visit_id).collect::<Vec<_>>(), [visit.id]);
    let status = db.child_statuses().await.unwrap().into_iter().find(|s| s.child_id == kept.id).unwrap();
    assert_eq!(status.last_visit, visit.visit_date(), "the due list counts the moved visit");
}

#[wasm_bindgen_test]
async fn a_director_s_pairing_is_kept_with_its_name_queued_and_received_ones_do_not_undo_her_end() {
    use tongxing::storage::ReceivedDb;
    use tongxing_core::pairing::Pairing;
    use tongxing_core::pull::ReceivedStore;
    use tongxing_core::wire::{ChangesPage, VillageWorker};

    let (name, db) = fresh_db().await;
    let received = ReceivedDb { db: db.clone(), me: new_uuid() };
    let file = child("韩小雪");
    db.save_child(&file, utc()).await.unwrap();
    let mother = VillageWorker { id: new_uuid(), name: "赵妈妈".into(), role: Role::LoveMother };
    let volunteer = VillageWorker { id: new_uuid(), name: "陈志远".into(), role: Role::Volunteer };

    // She pairs 赵妈妈 here: kept with her name, and queued for the outbox.
    let mine = Pairing::new(new_uuid(), file.id, mother.id, now());
    db.save_pairing(&mine, Some(&mother), utc()).await.unwrap();
    let outbox = OutboxDb(db.clone());
    let entry = outbox.entries().await.unwrap().into_iter().find(|e| e.record == RecordRef::pairing(mine.id));
    assert_eq!(entry.map(|e| e.revision), Some(1));
    assert_eq!(outbox.record(RecordRef::pairing(mine.id)).await.unwrap(), Some(OutboundRecord::Pairing(mine.clone())));

    // Another phone's pairing of the village arrives with its worker's name.
    let theirs = Pairing::new(new_uuid(), file.id, volunteer.id, now());
    let page = ChangesPage {
        pairings: vec![theirs.clone()],
        paired_workers: vec![volunteer.clone()],
        next: 2,
        ..ChangesPage::default()
    };
    received.receive(&page).await.unwrap();
    db.close();
    let db = Database::open_named(&name).await.unwrap();
    let mut names: Vec<String> =
        db.pairings_of(file.id).await.unwrap().into_iter().filter_map(|row| row.worker.map(|w| w.name)).collect();
    names.sort();
    assert_eq!(names, ["赵妈妈", "陈志远"], "both, by name, after a reopen");

    // She ends hers; the server's older revision of it, received meanwhile, does not undo it.
    let ended = mine.ended(now());
    db.save_pairing(&ended, None, utc()).await.unwrap();
    let received = ReceivedDb { db: db.clone(), me: new_uuid() };
    received.receive(&ChangesPage { pairings: vec![mine.clone()], next: 3, ..ChangesPage::default() }).await.unwrap();
    let held: Vec<Uuid> = db.pairings_of(file.id).await.unwrap().into_iter().map(|row| row.pairing.id).collect();
    assert_eq!(held, [theirs.id], "hers ended, the volunteer's holds");
    let entry =
        OutboxDb(db.clone()).entries().await.unwrap().into_iter().find(|e| e.record == RecordRef::pairing(mine.id));
    assert_eq!(entry.map(|e| e.revision), Some(2), "the end is what goes next");
}
