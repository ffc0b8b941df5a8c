//! One child's whole file as one zip (`export --what child-file`, and the library call the
//! endpoints make): its entries, the photos byte for byte, the index and workbook inside, an
//! unknown child, and the audit log.

use crate::common;

use std::collections::BTreeSet;
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Output;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::photos::{jpeg, photo_reply, png, sha256, with_photos};
use common::{child, revised, revised_child, spawn_app, visit};
use reqwest::StatusCode;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::child::Child;
use tongxing_core::photo::PhotoHash;
use tongxing_core::Visit;
use tongxing_ingest::export::child_archive::{child_archive, ChildArchiveError, INDEX_COLUMNS};
use tongxing_ingest::export::CSV_BOM;
use tongxing_ingest::store::audit;
use tongxing_ingest::store::reads::child_place;
use uuid::Uuid;

struct Sent {
    data: tempfile::TempDir,
    /// 王小明's file, revision 2.
    known: Child,
    /// His visit with photos `a` (JPEG) and `b` (PNG), revision 2; revision 1 named `a` and
    /// `dropped`.
    with_photos: Visit,
    /// His other visit, without photos.
    plain: Visit,
    /// Another child's visit, with photo `c`.
    other: Visit,
    photos: [Vec<u8>; 3],
    dropped: Vec<u8>,
    /// His case plan, revision 2 (an action added).
    plan: CasePlan,
}

async fn sent() -> Sent {
    let app = spawn_app().await;
    let first = child();
    let known = revised_child(&first, "奶奶住院，由姑姑临时照看");
    for c in [&first, &known] {
        assert!(app.put_child(c).await.status().is_success());
    }
    let (a, b, c, dropped) = (jpeg(), png(), jpeg(), jpeg());
    for photo in [&a, &b, &c, &dropped] {
        photo_reply(app.put_photo(&sha256(photo), photo.clone()).await, StatusCode::CREATED).await;
    }
    let v1 = with_photos(&Visit { child_id: known.id, ..visit() }, &[&a, &dropped]);
    let with_photos_2 = with_photos(&revised(&v1, "照片换了一张"), &[&a, &b]);
    let plain = Visit { child_id: known.id, ..visit() };
    let other = with_photos(&visit(), &[&c]);
    for v in [&v1, &with_photos_2, &plain, &other] {
        assert!(app.put_visit(v).await.status().is_success());
    }
    let mut first_plan = CasePlan::new(Uuid::new_v4(), known.id, known.updated_at);
    first_plan.needs.push("guardianship".into());
    let plan = tongxing_core::case_plan::saved(
        Some(&first_plan),
        first_plan.with_action("temporary_guardianship", Uuid::new_v4(), known.updated_at),
        tongxing_core::case_plan::PlanSave::Keep,
        known.updated_at,
    );
    for p in [&first_plan, &plan] {
        let sent = app.client.put(app.api(&format!("/case-plans/{}", p.id))).json(p).send().await.expect("sent");
        assert!(sent.status().is_success(), "{}", sent.status());
    }
    Sent { data: app.stop().await, known, with_photos: with_photos_2, plain, other, photos: [a, b, c], dropped, plan }
}

fn run(data_dir: &Path, args: &[&str]) -> Output {
    crate::common::binary(data_dir)
        .arg("export")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("TONGXING_LOG")
        .env("RUST_LOG", "warn")
        .env("USER", "county-admin")
        .output()
        .expect("the binary runs")
}

/// Every entry of a zip: name and bytes.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("entry read");
            (entry.name().expect("a UTF-8 name").into_owned(), bytes)
        })
        .collect()
}

fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &entries.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name} in the zip")).1
}

fn compression_of(bytes: &[u8], name: &str) -> zip::CompressionMethod {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let method = archive.by_name(name).expect("entry").compression();
    method
}

#[tokio::test]
async fn a_child_s_whole_file_is_one_zip() {
    let sent = sent().await;
    let out = sent.data.path().join("exports").join("wang.zip");
    std::fs::create_dir_all(out.parent().expect("folder")).expect("folder");
    let id = sent.known.id.to_string();

    let output = run(sent.data.path(), &["--what", "child-file", "--child", &id, "--out", out.to_str().expect("path")]);

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty());
    let bytes = std::fs::read(&out).expect("written");
    let entries = entries(&bytes);
    let folder = format!("王小明_{}", &id[..8]);
    let [a, b, c] = &sent.photos;
    let date = sent.with_photos.visit_date().expect("a date").to_string();
    let a_path = format!("photos/{date}_{}.jpg", &sha256(a)[..12]);
    let b_path = format!("photos/{date}_{}.png", &sha256(b)[..12]);
    let names: BTreeSet<String> = entries.iter().map(|(name, _)| name.clone()).collect();
    let expected: BTreeSet<String> = [
        "目录.csv",
        "档案.xlsx",
        "child.json",
        "child_revisions.json",
        "visits.json",
        "visit_revisions.json",
        "case_plans.json",
        "case_plan_revisions.json",
        &a_path,
        &b_path,
    ]
    .iter()
    .map(|name| format!("{folder}/{name}"))
    .collect();
    assert_eq!(names, expected);
    assert_eq!(entry(&entries, &format!("{folder}/{a_path}")), a.as_slice(), "byte for byte");
    assert_eq!(entry(&entries, &format!("{folder}/{b_path}")), b.as_slice(), "byte for byte");
    assert!(!entries.iter().any(|(_, bytes)| bytes == c || *bytes == sent.dropped), "only his current visits' photos");
    assert_eq!(compression_of(&bytes, &format!("{folder}/{a_path}")), zip::CompressionMethod::Stored);

    // The machine's part: exactly the wire form.
    let child: Child = serde_json::from_slice(entry(&entries, &format!("{folder}/child.json"))).expect("a Child");
    assert_eq!(child, sent.known);
    let history: Vec<serde_json::Value> =
        serde_json::from_slice(entry(&entries, &format!("{folder}/child_revisions.json"))).expect("JSON");
    let revisions: Vec<u64> = history.iter().map(|r| r["record"]["revision"].as_u64().expect("revision")).collect();
    assert_eq!(revisions, [1, 2]);
    assert!(history.iter().all(|r| r["received_at"].as_str().is_some_and(|t| t.ends_with('Z'))));
    let mut visits: Vec<Visit> =
        serde_json::from_slice(entry(&entries, &format!("{folder}/visits.json"))).expect("visits");
    visits.sort_by_key(|v| v.id);
    let mut expected = vec![sent.with_photos.clone(), sent.plain.clone()];
    expected.sort_by_key(|v| v.id);
    assert_eq!(visits, expected, "the newest revision of each of his visits, not the other child's");
    let visit_history: Vec<serde_json::Value> =
        serde_json::from_slice(entry(&entries, &format!("{folder}/visit_revisions.json"))).expect("JSON");
    assert_eq!(visit_history.len(), 3, "both revisions of the visit with photos, and the other");
    let first: Visit = serde_json::from_value(
        visit_history
            .iter()
            .find(|r| r["record"]["id"] == sent.with_photos.id.to_string() && r["record"]["revision"] == 1)
            .expect("revision 1")["record"]
            .clone(),
    )
    .expect("a Visit");
    assert_eq!(first.photo_hashes().len(), 2);
    let plans: Vec<CasePlan> =
        serde_json::from_slice(entry(&entries, &format!("{folder}/case_plans.json"))).expect("plans");
    assert_eq!(plans, std::slice::from_ref(&sent.plan), "his plan, its newest revision");
    let plan_history: Vec<serde_json::Value> =
        serde_json::from_slice(entry(&entries, &format!("{folder}/case_plan_revisions.json"))).expect("JSON");
    assert_eq!(plan_history.len(), 2);

    // The people's part: the index and the workbook.
    let index = std::str::from_utf8(entry(&entries, &format!("{folder}/目录.csv"))).expect("UTF-8");
    let index = index.strip_prefix(std::str::from_utf8(CSV_BOM).expect("BOM")).expect("a byte order mark");
    let mut reader = csv::Reader::from_reader(index.as_bytes());
    assert_eq!(reader.headers().expect("header").iter().collect::<Vec<_>>(), INDEX_COLUMNS);
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
    let files: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(files.contains("档案.xlsx") && files.contains("visit_revisions.json") && files.contains(a_path.as_str()));
    let a_row = rows.iter().find(|r| r[6] == sha256(a)).expect("a row for photo a");
    assert_eq!(
        a_row[..5],
        [a_path.clone(), "照片".into(), sent.with_photos.id.to_string(), date.clone(), "第1张：厨房".into()]
    );
    assert_eq!(a_row[5], "2026-11-20 10:15:00", "taken at, Beijing time");

    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(entry(&entries, &format!("{folder}/档案.xlsx")).to_vec())).expect("xlsx");
    assert_eq!(workbook.sheet_names(), ["儿童档案", "走访记录", "帮扶计划", "照片"]);
    let plans_sheet = workbook.worksheet_range("帮扶计划").expect("sheet");
    assert_eq!(plans_sheet.height(), 2, "a header and his plan");
    assert!(plans_sheet.rows().nth(1).expect("a row").iter().any(|cell| cell.to_string().contains("临时监护")));
    let details = workbook.worksheet_range("儿童档案").expect("sheet");
    let item = |name: &str| {
        details.rows().find(|row| row[0] == Data::String(name.into())).map(|row| row[1].clone()).expect("an item")
    };
    assert_eq!(item("姓名"), Data::String("王小明".into()));
    assert_eq!(item("备注"), Data::String("奶奶住院，由姑姑临时照看".into()));
    assert_eq!(item("版本"), Data::Float(2.0));
    let visits_sheet = workbook.worksheet_range("走访记录").expect("sheet");
    assert_eq!(visits_sheet.height(), 3, "a header and his two visits");
    let photos_sheet = workbook.worksheet_range("照片").expect("sheet");
    assert_eq!(photos_sheet.height(), 3, "a header and two photo notes");

    let pool = crate::common::open_db(sent.data.path()).await;
    // The exports (the log also holds the enrolment and the records stored).
    let entries: Vec<_> = audit::entries(&pool)
        .await
        .expect("audit log")
        .into_iter()
        .filter(|e| e.action.starts_with("export_"))
        .collect();
    pool.close().await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].action.as_str(), entries[0].actor.as_str(), entries[0].subject.as_str()),
        ("export_child_file", "county-admin", id.as_str())
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("folder")).expect("folder").collect();
    assert_eq!(leftovers.len(), 1, "no temp file left beside the zip");
}

#[tokio::test]
async fn the_library_writes_to_any_seekable_writer_and_lists_missing_photos() {
    let sent = sent().await;
    let store = crate::common::photo_store(sent.data.path());
    // Photo b is lost from where it was kept.
    let lost = PhotoHash::of_bytes(&sent.photos[1]);
    match store.bucket() {
        Some(bucket) => {
            assert!(bucket.set_aside(&lost).await.expect("set aside"));
            bucket.delete_aside(&lost).await.expect("deleted");
        }
        None => std::fs::remove_file(store.path_of(&lost)).expect("removed"),
    }
    let pool = crate::common::open_db(sent.data.path()).await;

    let (out, written) = child_archive(&pool, &store, sent.known.id, Cursor::new(Vec::new())).await.expect("written");

    assert_eq!(written.folder, format!("王小明_{}", &sent.known.id.to_string()[..8]));
    assert!(written.has_child_file);
    assert_eq!((written.visits, written.photos, written.missing_photos), (2, 1, 1));
    let entries = entries(out.get_ref());
    let index = std::str::from_utf8(entry(&entries, &format!("{}/目录.csv", written.folder))).expect("UTF-8");
    let b_hash = sha256(&sent.photos[1]);
    let b_row = index.lines().find(|line| line.contains(&b_hash)).expect("b is listed");
    assert!(b_row.starts_with(",照片（服务器未收到）,"), "no file: {b_row}");
    assert_eq!(entries.iter().filter(|(name, _)| name.contains("/photos/")).count(), 1);

    assert_eq!(
        child_place(&pool, sent.known.id).await.expect("read").map(|p| (p.township, p.village)),
        Some(("石门镇".to_owned(), "石桥村".to_owned())),
        "the place of the phone that sent the file"
    );
    assert_eq!(child_place(&pool, Uuid::new_v4()).await.expect("read"), None);
    assert_eq!(
        child_place(&pool, sent.other.child_id).await.expect("read"),
        None,
        "a child known only by a visit has no place of its own: a supervisor can neither read nor archive it"
    );
    pool.close().await;
}

#[tokio::test]
async fn a_child_known_only_by_a_visit_still_has_a_file() {
    let sent = sent().await;
    let store = crate::common::photo_store(sent.data.path());
    let pool = crate::common::open_db(sent.data.path()).await;

    let (out, written) =
        child_archive(&pool, &store, sent.other.child_id, Cursor::new(Vec::new())).await.expect("written");
    pool.close().await;

    assert!(!written.has_child_file);
    assert_eq!(written.folder, sent.other.child_id.to_string()[..8]);
    assert_eq!((written.visits, written.photos), (1, 1));
    let names: BTreeSet<String> = entries(out.get_ref()).into_iter().map(|(name, _)| name).collect();
    assert!(!names.iter().any(|name| name.ends_with("/child.json")), "no file to give: {names:?}");
    assert!(names.iter().any(|name| name.ends_with("/visits.json")));
}

#[tokio::test]
async fn an_unknown_child_is_a_clear_error_and_writes_nothing() {
    let sent = sent().await;
    let store = crate::common::photo_store(sent.data.path());
    let pool = crate::common::open_db(sent.data.path()).await;
    let nobody = Uuid::new_v4();

    let error = child_archive(&pool, &store, nobody, Cursor::new(Vec::new())).await.map(|_| ()).unwrap_err();

    assert!(matches!(error, ChildArchiveError::UnknownChild(id) if id == nobody), "{error}");
    assert_eq!(error.to_string(), format!("there is no child {nobody} on the server: neither a file nor a visit"));
    pool.close().await;

    let out = sent.data.path().join("nobody.zip");
    let output = run(
        sent.data.path(),
        &["--what", "child-file", "--child", &nobody.to_string(), "--out", out.to_str().expect("path")],
    );
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("there is no child"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!out.exists(), "no file");
    let leftovers: Vec<String> = std::fs::read_dir(sent.data.path())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tongxing"))
        .collect();
    assert!(leftovers.is_empty(), "no temp file left: {leftovers:?}");
    let pool = crate::common::open_db(sent.data.path()).await;
    let exports =
        audit::entries(&pool).await.expect("audit log").into_iter().filter(|e| e.action.starts_with("export_"));
    assert_eq!(exports.count(), 0, "nothing was handed out");
    pool.close().await;
}
