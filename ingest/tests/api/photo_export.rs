//! `tongxing-ingest export --what photos`, the built binary, on photos and visits sent to a
//! real server: one zip with a folder per child or per month and an index.

use crate::common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use chrono::Days;
use common::photos::{jpeg, photo_reply, png, sha256, with_photos};
use common::{child, revised, spawn_app, visit};
use reqwest::StatusCode;
use tongxing_core::child::Child;
use tongxing_core::form::AnswerValue;
use tongxing_core::Visit;
use tongxing_ingest::export::photos::INDEX_COLUMNS;
use tongxing_ingest::export::CSV_BOM;

struct Sent {
    data: tempfile::TempDir,
    /// 王小明, whose file is on the server.
    known: Child,
    /// A child whose file was never sent.
    unknown_id: String,
    /// The newest revision of 王小明's visit: photos `a` (JPEG) and `b` (PNG).
    visit_a: Visit,
    /// The unknown child's visit, a month or more earlier: photo `c`.
    visit_c: Visit,
    photos: [Vec<u8>; 3],
    /// Named only by the older revision of `visit_a`.
    dropped: Vec<u8>,
}

async fn sent() -> Sent {
    let app = spawn_app().await;
    let known = child();
    assert_eq!(app.put_child(&known).await.status(), StatusCode::CREATED);
    let (a, b, c, dropped) = (jpeg(), png(), jpeg(), jpeg());
    for photo in [&a, &b, &c, &dropped] {
        photo_reply(app.put_photo(&sha256(photo), photo.clone()).await, StatusCode::CREATED).await;
    }
    let first = with_photos(&Visit { child_id: known.id, ..visit() }, &[&a, &dropped]);
    let visit_a = with_photos(&revised(&first, "照片换了一张"), &[&a, &b]);
    let mut visit_c = with_photos(&visit(), &[&c]);
    visit_c.child_id = uuid::Uuid::new_v4();
    let earlier = visit_a.visit_date().expect("a date").checked_sub_days(Days::new(40)).expect("a date");
    visit_c.answers.set("visit_date", AnswerValue::Text(earlier.to_string()));
    let next = earlier.checked_add_days(Days::new(14)).expect("a date");
    visit_c.answers.set("next_visit_date", AnswerValue::Text(next.to_string()));
    for v in [&first, &visit_a, &visit_c, &visit()] {
        assert!(app.put_visit(v).await.status().is_success());
    }
    let unknown_id = visit_c.child_id.to_string();
    Sent { data: app.stop().await, known, unknown_id, visit_a, visit_c, photos: [a, b, c], dropped }
}

fn export_zip(data_dir: &Path, zip: &Path, by: Option<&str>) {
    let mut command = crate::common::binary(data_dir);
    command.args(["export", "--what", "photos", "--out"]).arg(zip).arg("--data-dir").arg(data_dir);
    if let Some(by) = by {
        command.args(["--by", by]);
    }
    let output = command.env("RUST_LOG", "warn").env_remove("TONGXING_LOG").output().expect("the binary runs");
    assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// Every entry of the zip at `path`: name and bytes.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("zip file")).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("entry read");
            (entry.name().expect("a UTF-8 name").into_owned(), bytes)
        })
        .collect()
}

fn date(visit: &Visit) -> String {
    visit.visit_date().expect("a date").to_string()
}

#[tokio::test]
async fn photos_by_child_with_an_index() {
    let sent = sent().await;
    let out = sent.data.path().join("exports").join("photos.zip");
    std::fs::create_dir_all(out.parent().expect("folder")).expect("folder");

    export_zip(sent.data.path(), &out, None);

    let entries = entries(&out);
    let [a, b, c] = &sent.photos;
    let known_folder = format!("王小明_{}", &sent.known.id.to_string()[..8]);
    let unknown_folder = sent.unknown_id[..8].to_owned();
    let a_path = format!("{known_folder}/{}_{}.jpg", date(&sent.visit_a), &sha256(a)[..12]);
    let b_path = format!("{known_folder}/{}_{}.png", date(&sent.visit_a), &sha256(b)[..12]);
    let c_path = format!("{unknown_folder}/{}_{}.jpg", date(&sent.visit_c), &sha256(c)[..12]);
    let names: BTreeSet<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, BTreeSet::from([a_path.as_str(), b_path.as_str(), c_path.as_str(), "index.csv"]));
    for (path, photo) in [(&a_path, a), (&b_path, b), (&c_path, c)] {
        let bytes = &entries.iter().find(|(name, _)| name == path).expect("in the zip").1;
        assert_eq!(bytes, photo, "{path} byte for byte");
    }
    assert!(!entries.iter().any(|(_, bytes)| *bytes == sent.dropped), "only the newest revision's photos");

    let index = &entries.iter().find(|(name, _)| name == "index.csv").expect("index").1;
    let text = std::str::from_utf8(index).expect("UTF-8");
    let text = text.strip_prefix(std::str::from_utf8(CSV_BOM).expect("BOM")).expect("starts with a byte order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().expect("header").iter().collect::<Vec<_>>(), INDEX_COLUMNS);
    assert_eq!(
        INDEX_COLUMNS,
        ["child_id", "child_name", "visit_id", "visit_date", "caption", "taken_at", "sha256", "file"]
    );
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
    assert_eq!(rows.len(), 3, "a row per photo note");
    let row_of = |photo: &[u8]| rows.iter().find(|r| r[6] == sha256(photo)).expect("a row").clone();
    assert_eq!(
        row_of(a),
        [
            sent.known.id.to_string(),
            "王小明".to_owned(),
            sent.visit_a.id.to_string(),
            date(&sent.visit_a),
            "第1张：厨房".to_owned(),
            "2026-11-20T02:15:00Z".to_owned(),
            sha256(a),
            a_path.clone(),
        ]
    );
    assert_eq!(row_of(b)[4], "第2张：厨房");
    assert_eq!(row_of(c)[..2], [sent.unknown_id.clone(), String::new()], "no name for a child the server lacks");
    assert_eq!(row_of(c)[7], c_path);
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("folder")).expect("folder").collect();
    assert_eq!(leftovers.len(), 1, "no temp file left beside the zip");
}

#[tokio::test]
async fn photos_by_month() {
    let sent = sent().await;
    let out = sent.data.path().join("by-month.zip");

    export_zip(sent.data.path(), &out, Some("month"));

    let [a, b, c] = &sent.photos;
    let month = |visit: &Visit| date(visit)[..7].to_owned();
    let names: BTreeSet<String> = entries(&out).into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            format!("{}/{}_{}.jpg", month(&sent.visit_a), date(&sent.visit_a), &sha256(a)[..12]),
            format!("{}/{}_{}.png", month(&sent.visit_a), date(&sent.visit_a), &sha256(b)[..12]),
            format!("{}/{}_{}.jpg", month(&sent.visit_c), date(&sent.visit_c), &sha256(c)[..12]),
            "index.csv".to_owned(),
        ])
    );
    assert_ne!(month(&sent.visit_a), month(&sent.visit_c));
}

#[tokio::test]
async fn photos_need_a_file_to_go_to() {
    let sent = sent().await;

    let output = crate::common::binary(sent.data.path())
        .args(["export", "--what", "photos", "--data-dir"])
        .arg(sent.data.path())
        .output()
        .expect("the binary runs");

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out"), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.is_empty(), "no zip on the terminal");
}
