//! Nothing readable on a lost phone: after the app has kept a child's file, a visit with a
//! mandatory report, a draft and three photos, IndexedDB (opened directly, not through the
//! app) holds no name, ID number, answer, caption or image header; a changed or moved value
//! is refused; IVs never repeat; a wrong PIN is counted and waits; values kept before the PIN
//! are sealed once it is set.

use std::collections::HashSet;

use chrono::DateTime;
use gloo_storage::{LocalStorage, Storage};
use indexed_db_futures::database::Database as RawDatabase;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use tongxing::ids::new_uuid;
use tongxing::storage::enrolment;
use tongxing::storage::{Database, StorageError};
use tongxing::vault::{self, VaultError};
use tongxing_core::child::Child;
use tongxing_core::enrolment::{DeviceEnrolment, ServerOrigin};
use tongxing_core::fixtures::{ordinary_visit_answers, sample_child, today};
use tongxing_core::form::{AnswerValue, FormCatalog};
use tongxing_core::photo::{PhotoHash, PhotoNote};
use tongxing_core::schedule::Cadence;
use tongxing_core::vault::{Pin, Place, SealProblem, UnlockWait, IV_BYTES};
use tongxing_core::wire::EnrollReply;
use tongxing_core::worker::{Place as WorkerPlace, Role};
use tongxing_core::VisitDraft;
use tongxing_core::Worker;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

mod common;

use common::{fresh_db, now, utc};

wasm_bindgen_test_configure!(run_in_browser);

/// Every value of every store of the database `name`, as IndexedDB holds it: (store, key,
/// the value's bytes, or its JSON when it is not bytes).
async fn raw_values(name: &str) -> Vec<(String, String, Vec<u8>)> {
    let db = RawDatabase::open(name).await.expect("opened directly");
    let stores: Vec<String> = db.object_store_names().collect();
    let mut found = Vec::new();
    {
        let tx = db.transaction(stores.clone()).with_mode(TransactionMode::Readonly).build().expect("a transaction");
        for store in &stores {
            let object_store = tx.object_store(store).expect("the store");
            let keys: Vec<JsValue> =
                object_store.get_all_keys().primitive().unwrap().await.unwrap().map(Result::unwrap).collect();
            let values: Vec<JsValue> =
                object_store.get_all().primitive().unwrap().await.unwrap().map(Result::unwrap).collect();
            for (key, value) in keys.into_iter().zip(values) {
                let bytes = match value.dyn_ref::<js_sys::Uint8Array>() {
                    Some(array) => array.to_vec(),
                    None => String::from(js_sys::JSON::stringify(&value).unwrap_or_default()).into_bytes(),
                };
                found.push((store.clone(), key.as_string().unwrap_or_default(), bytes));
            }
        }
    }
    db.close();
    found
}

/// Puts `value` under `key` in `store` of the database `name` directly, as something other
/// than the app would.
async fn put_raw(name: &str, store: &str, key: &str, value: JsValue) {
    let raw = RawDatabase::open(name).await.expect("opened directly");
    let tx = raw.transaction(store).with_mode(TransactionMode::Readwrite).build().expect("a transaction");
    tx.object_store(store).expect("the store").put(value).with_key(key).primitive().expect("a put").await.expect("put");
    tx.commit().await.expect("committed");
    raw.close();
}

fn bytes_value(bytes: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(bytes).into()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A photo's bytes beginning as a JPEG (or PNG) file does.
fn image(header: &[u8], fill: u8) -> Vec<u8> {
    let mut bytes = header.to_vec();
    bytes.extend(std::iter::repeat_n(fill, 4000));
    bytes
}

async fn store_photo(db: &Database, bytes: &[u8]) -> PhotoHash {
    let hash = PhotoHash::of_bytes(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes)))
        .expect("a blob");
    db.store_photo(&hash, &blob, utc()).await.expect("stored");
    hash
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

#[wasm_bindgen_test]
async fn nothing_of_a_child_a_visit_a_draft_or_a_photo_is_readable_in_indexeddb() {
    let (name, db) = fresh_db().await;
    let child = Child { id: new_uuid(), ..sample_child() };
    db.save_child(&child, utc()).await.unwrap();

    let photos = [image(JPEG, 1), image(JPEG, 2), image(PNG, 3)];
    let mut notes = Vec::new();
    for (n, bytes) in photos.iter().enumerate() {
        let hash = store_photo(&db, bytes).await;
        notes.push(PhotoNote { caption: format!("厨房漏雨的屋顶{n}"), ..PhotoNote::new(hash, utc()) });
    }
    let form = FormCatalog::builtin().home_visit().expect("the built-in form");
    let cadence = Cadence::standard();
    let mut draft = VisitDraft::new(new_uuid(), Some(child.id), form, today(), now());
    draft.answers = ordinary_visit_answers();
    for (field, value) in [
        ("harm_signs", AnswerValue::Bool(true)),
        ("harm_details", AnswerValue::Text("手臂有淤青，说是被继父打的".into())),
        ("mandatory_report_made", AnswerValue::Bool(true)),
        ("mandatory_report_date", AnswerValue::Text("2026-11-20".into())),
        ("mandatory_report_to", AnswerValue::Text("石桥派出所".into())),
        ("risk_colour", AnswerValue::Text("red".into())),
        ("photo_consent", AnswerValue::Bool(true)),
        ("photos", AnswerValue::Photos(notes.clone())),
    ] {
        draft.answer(field, value, &cadence, now());
    }
    let visit = draft.to_visit(FormCatalog::builtin(), today(), now()).expect("a complete visit");
    db.save_visit(&visit, utc()).await.unwrap();
    let mut open_draft = VisitDraft::new(new_uuid(), Some(child.id), form, today(), now());
    open_draft.answer("needs_found", AnswerValue::Text("奶奶需要低保申请帮助".into()), &cadence, now());
    db.put_draft(&open_draft).await.unwrap();
    // A pairing set here, with whom it names (结对).
    let mother = tongxing_core::wire::VillageWorker {
        id: new_uuid(),
        name: "赵爱华".into(),
        role: tongxing_core::Role::LoveMother,
    };
    let pairing = tongxing_core::pairing::Pairing::new(new_uuid(), child.id, mother.id, now());
    db.save_pairing(&pairing, Some(&mother), utc()).await.unwrap();
    // A case plan with what was found and who does what.
    let mut plan = tongxing_core::case_plan::CasePlan::new(new_uuid(), child.id, now());
    plan.needs_note = "祖母无力照料".into();
    plan = plan.with_action("dibao", new_uuid(), now());
    plan.actions[0].by_whom = "民政办周干事".into();
    db.save_case_plan(&plan, utc()).await.unwrap();
    assert!(db.photo(&notes[0].sha256).await.unwrap().is_some(), "the app reads its photos back");
    db.keep_vault(vault::space(), &vault::kept_vault().unwrap()).await.unwrap();

    let values = raw_values(&name).await;
    let stores: HashSet<&str> = values.iter().map(|(store, _, _)| store.as_str()).collect();
    for store in [
        "children",
        "visit_records",
        "visit_summaries",
        "latest_visits",
        "visit_drafts",
        "outbox",
        "photos",
        "vault",
        "pairings",
        "paired_workers",
        "case_plans",
    ] {
        assert!(stores.contains(store), "{store} holds something: {stores:?}");
    }
    let mut needles: Vec<(String, Vec<u8>)> = [
        "王小明",
        "110105201603140015",
        "王秀英",
        "13800138000",
        "父母在广东打工",
        "手臂有淤青",
        "石桥派出所",
        "李秀英",
        "奶奶需要低保申请帮助",
        "厨房漏雨",
        "赵爱华",
        "love_mother",
        "祖母无力照料",
        "民政办周干事",
        "harm_signs",
    ]
    .iter()
    .map(|text| (text.to_string(), text.as_bytes().to_vec()))
    .collect();
    needles.push(("a JPEG header".into(), JPEG[..4].to_vec()));
    needles.push(("a PNG header".into(), PNG[..4].to_vec()));
    for (store, key, bytes) in &values {
        // The vault's durable copy is the one clear record: the wrapped key, no data.
        if store != "vault" {
            assert_eq!(bytes.first(), Some(&1), "{store}/{key} is sealed (format 1)");
        }
        for (what, needle) in &needles {
            assert!(!contains(bytes, needle), "{store}/{key} shows {what}");
        }
    }
}

#[wasm_bindgen_test]
async fn a_changed_or_moved_value_is_refused_and_never_shown() {
    let (name, db) = fresh_db().await;
    let (a, b) =
        (Child { id: new_uuid(), ..sample_child() }, Child { id: new_uuid(), name: "李小红".into(), ..sample_child() });
    db.save_child(&a, utc()).await.unwrap();
    db.save_child(&b, utc()).await.unwrap();
    db.close();

    let stored_a = raw_values(&name)
        .await
        .into_iter()
        .find(|(store, key, _)| store == "children" && *key == a.id.to_string())
        .map(|(_, _, bytes)| bytes)
        .expect("A's file");
    let mut changed = stored_a.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    put_raw(&name, "children", &a.id.to_string(), bytes_value(&changed)).await;
    // B's key now holds A's value, sealed for A's key.
    put_raw(&name, "children", &b.id.to_string(), bytes_value(&stored_a)).await;

    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.child(a.id).await, Err(StorageError::Refused(SealProblem::Refused)), "a changed byte");
    assert_eq!(db.child(b.id).await, Err(StorageError::Refused(SealProblem::Refused)), "a value moved");
    let sentence = StorageError::Refused(SealProblem::Refused).message(tongxing_core::Lang::ZhCn);
    assert!(sentence.contains("已损坏或被改动"), "{sentence}");
}

#[wasm_bindgen_test]
async fn ten_thousand_writes_never_repeat_an_iv() {
    common::unlocked().await;
    let mut seen = HashSet::new();
    for n in 0..10_000u32 {
        let sealed = vault::seal(Place::new("visit_drafts", "same-key"), &n.to_le_bytes()).expect("sealed");
        let iv: [u8; IV_BYTES] = sealed[1..1 + IV_BYTES].try_into().unwrap();
        assert!(seen.insert(iv), "IV repeated at write {n}");
    }
}

#[wasm_bindgen_test]
async fn when_locked_nothing_is_read_or_stored_and_a_wrong_pin_is_counted_and_waits() {
    let (_, db) = fresh_db().await;
    let child = Child { id: new_uuid(), ..sample_child() };
    db.save_child(&child, utc()).await.unwrap();
    vault::lock();
    assert_eq!(db.child(child.id).await, Err(StorageError::Locked));
    assert_eq!(db.save_child(&child, utc()).await.map(|_| ()), Err(StorageError::Locked));

    assert_eq!(vault::unlock(&Pin::typed("000000")).await.map(|_| ()), Err(VaultError::WrongPin(UnlockWait::Ready)));
    assert!(!vault::is_unlocked());
    let second = vault::unlock(&Pin::typed("000001")).await.map(|_| ());
    assert!(matches!(second, Err(VaultError::WrongPin(UnlockWait::Wait(_)))), "{second:?}");
    let during_wait = vault::unlock(&Pin::typed(common::TEST_PIN)).await.map(|_| ());
    assert!(matches!(during_wait, Err(VaultError::WrongPin(UnlockWait::Wait(_)))), "the right PIN waits too");
    assert_eq!(vault::kept_vault().map(|kept| kept.attempts.failures), Some(2), "kept across a reload");

    // The wait is over (as if five seconds had passed): the right PIN unlocks and clears it.
    let mut kept = vault::kept_vault().unwrap();
    kept.attempts.last_failure_at =
        Some(DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap() - chrono::Duration::minutes(1));
    LocalStorage::set(vault::space().vault_key(), &kept).unwrap();
    vault::unlock(&Pin::typed(common::TEST_PIN)).await.expect("the right PIN unlocks");
    assert_eq!(vault::kept_vault().map(|kept| kept.attempts.failures), Some(0));
    assert_eq!(db.child(child.id).await.unwrap(), Some(child));
}

#[wasm_bindgen_test]
async fn what_a_phone_kept_before_its_pin_is_sealed_once_and_read_the_same() {
    let (name, db) = fresh_db().await;
    let child = Child { id: new_uuid(), ..sample_child() };
    let jpeg = image(JPEG, 9);
    let hash = PhotoHash::of_bytes(&jpeg);
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let worker = Worker {
        id: new_uuid(),
        name: "李芳".into(),
        role: Role::Director,
        place: WorkerPlace { township: "石门镇".into(), village: "石桥村".into() },
    };
    let server = ServerOrigin::parse(&origin).expect("the test page's origin");
    let joined = DeviceEnrolment::joined(EnrollReply { token: "t0k-before-pin".into(), worker }, server, utc());
    // As an app from before PINs kept them: JSON bytes, a Blob, the enrolment as JSON.
    let clear = serde_json::to_vec(&child).unwrap();
    put_raw(&name, "children", &child.id.to_string(), bytes_value(&clear)).await;
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes_value(&jpeg))).unwrap();
    put_raw(&name, "photos", hash.as_str(), blob.into()).await;
    LocalStorage::raw().set_item(&enrolment::device_key(), &serde_json::to_string(&joined).unwrap()).unwrap();
    let mut kept = vault::kept_vault().unwrap();
    (kept.sealed_all, kept.holder) = (false, None);
    LocalStorage::set(vault::space().vault_key(), &kept).unwrap();

    assert_eq!(db.seal_everything().await, Ok(3), "the child, the photo and the enrolment");
    assert_eq!(db.seal_everything().await, Ok(0), "once");
    for (store, key, bytes) in raw_values(&name).await {
        assert_eq!(bytes.first(), Some(&1), "{store}/{key} is sealed");
        assert!(!contains(&bytes, "王小明".as_bytes()) && !contains(&bytes, &JPEG[..4]), "{store}/{key}");
    }
    let kept_text = LocalStorage::raw().get_item(&enrolment::device_key()).unwrap().unwrap();
    assert!(!kept_text.contains("t0k-before-pin") && !kept_text.contains("李芳"), "the token is sealed: {kept_text}");
    assert_eq!(db.child(child.id).await.unwrap(), Some(child.clone()));
    assert_eq!(enrolment::load().map(|e| e.token), Some("t0k-before-pin".into()));
    assert_eq!(
        vault::kept_vault().and_then(|kept| kept.holder).map(|h| (h.name, h.role)),
        Some(("李芳".into(), Role::Director))
    );
    let shown = db.photo(&hash).await.unwrap().expect("the photo");
    let buffer = wasm_bindgen_futures::JsFuture::from(shown.array_buffer()).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&buffer).to_vec(), jpeg);
    assert_eq!(db.photo_piece(&hash, 2..6).await.unwrap(), Some(jpeg[2..6].to_vec()));

    // From now on a value in the clear is refused: it can only have been put there from outside.
    assert!(vault::kept_vault().unwrap().sealed_all);
    LocalStorage::raw().set_item(&enrolment::device_key(), &serde_json::to_string(&joined).unwrap()).unwrap();
    assert_eq!(enrolment::load(), None, "an enrolment put in the clear");
    db.close();
    put_raw(&name, "children", &child.id.to_string(), bytes_value(&clear)).await;
    let db = Database::open_named(&name).await.unwrap();
    assert_eq!(db.child(child.id).await, Err(StorageError::Refused(SealProblem::NotSealed)));
}

#[wasm_bindgen_test]
async fn a_vault_that_local_storage_lost_comes_back_from_its_durable_copy() {
    let (_, db) = fresh_db().await;
    let kept = vault::kept_vault().expect("the test vault");
    db.reconcile_vaults().await.unwrap();
    LocalStorage::delete(vault::space().vault_key());
    assert_eq!(vault::kept_vault(), None, "as a killed browser may leave it");
    db.reconcile_vaults().await.unwrap();
    assert_eq!(vault::kept_vault(), Some(kept.clone()), "copied when only localStorage had it, then put back");
    let mut counted = kept.clone();
    counted.attempts.failures = 3;
    db.keep_vault(vault::space(), &counted).await.unwrap();
    db.reconcile_vaults().await.unwrap();
    assert_eq!(vault::kept_vault(), Some(kept), "localStorage's own, when it has one, stays");
    db.keep_vault(vault::space(), &vault::kept_vault().unwrap()).await.unwrap();
}
