//! `tongxing-ingest export`, the built binary, on a data directory filled through the API.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{child, revised, revised_child, spawn_app, visit, with_actions};
use reqwest::StatusCode;
use tongxing_core::child::{Child, ChildCategory};
use tongxing_core::form::{AnswerValue, Answers};
use tongxing_core::Visit;
use tongxing_ingest::export::{CHILD_CSV_COLUMNS, CSV_BOM, CSV_COLUMNS};

const TRICKY_NOTES: &str = "奶奶说：\"孩子很乖\", 但常哭。\n第二行，含逗号, 和引号\"";

/// CSV text without its byte order mark, checking that it has one.
fn without_bom(text: &str) -> &str {
    let bom = std::str::from_utf8(CSV_BOM).expect("UTF-8");
    text.strip_prefix(bom).unwrap_or_else(|| panic!("CSV starts with a byte order mark: {text:?}"))
}

fn export(data_dir: &Path, args: &[&str]) -> Output {
    crate::common::binary(data_dir)
        .arg("export")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("TONGXING_LOG")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout_of(output: Output) -> String {
    assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Fills a server with two visits, one of them in two revisions; returns (data dir,
/// [plain, tricky revision 1, tricky revision 2]).
async fn filled() -> (tempfile::TempDir, [Visit; 3]) {
    let app = spawn_app().await;
    let plain = visit();
    let mut tricky = with_actions(&visit(), "第一次");
    tricky.child_id = uuid::Uuid::new_v4();
    tricky.answers.set("main_carer", AnswerValue::Text("李小红的外婆".to_owned()));
    tricky.answers.set("risk_colour", AnswerValue::Text("green".to_owned()));
    tricky.answers.set("risk_colour_reason", AnswerValue::Text("父亲已返乡照顾".to_owned()));
    let tricky_2 = revised(&tricky, TRICKY_NOTES);
    for v in [&plain, &tricky, &tricky_2] {
        assert!(app.put_visit(v).await.status().is_success());
    }
    (app.stop().await, [plain, tricky, tricky_2])
}

fn sorted(mut visits: Vec<Visit>) -> Vec<Visit> {
    visits.sort_by_key(|v| (v.id, v.revision));
    visits
}

#[tokio::test]
async fn jsonl_is_one_wire_visit_per_line() {
    let (data, [plain, _, tricky_2]) = filled().await;

    let text = stdout_of(export(data.path(), &["--format", "jsonl"]));

    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for line in &lines {
        let visit: Visit = serde_json::from_str(line).expect("a Visit per line");
        assert_eq!(*line, serde_json::to_string(&visit).expect("JSON"), "exactly the wire form");
    }
    let visits: Vec<Visit> = lines.iter().map(|l| serde_json::from_str(l).expect("Visit")).collect();
    assert_eq!(sorted(visits), sorted(vec![plain, tricky_2]));
    assert!(text.contains("李秀英") && text.contains("李小红的外婆"), "Chinese written as is");
}

#[tokio::test]
async fn history_has_every_revision() {
    let (data, [plain, tricky, tricky_2]) = filled().await;

    let text = stdout_of(export(data.path(), &["--format", "jsonl", "--history"]));

    let visits: Vec<Visit> = text.lines().map(|l| serde_json::from_str(l).expect("Visit")).collect();
    assert_eq!(sorted(visits), sorted(vec![plain, tricky, tricky_2]));
}

#[tokio::test]
async fn csv_of_codes_has_a_bom_a_header_and_quotes_what_needs_it() {
    let (data, [plain, _, tricky_2]) = filled().await;

    let text = stdout_of(export(data.path(), &["--format", "csv-codes"]));

    let mut reader = csv::Reader::from_reader(without_bom(&text).as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "id",
            "child_id",
            "form_id",
            "form_version",
            "visit_date",
            "risk_colour",
            "next_visit_date",
            "mandatory_report",
            "answers",
            "revision",
            "updated_at",
            "received_at"
        ]
    );
    assert_eq!(header, CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 2);
    let row_of = |visit: &Visit| {
        rows.iter().find(|r| r.get(0) == Some(visit.id.to_string().as_str())).expect("a row per visit").clone()
    };

    let plain_row = row_of(&plain);
    let visit_date = plain.visit_date().expect("a date").to_string();
    let next_visit_date = plain.answers.text("next_visit_date").expect("a date").to_owned();
    let child_id = plain.child_id.to_string();
    let updated_at = plain.updated_at.to_rfc3339();
    let fields: Vec<&str> = plain_row.iter().take(8).collect();
    assert_eq!(
        fields,
        [&plain.id.to_string(), &child_id, "home_visit", "1", &visit_date, "yellow", &next_visit_date, "0"]
    );
    let answers: Answers = serde_json::from_str(&plain_row[8]).expect("answers as JSON");
    assert_eq!(answers, plain.answers);
    assert_eq!(&plain_row[8], serde_json::to_string(&plain.answers).expect("JSON"), "compact JSON");
    assert_eq!(&plain_row[9], "1");
    assert_eq!(&plain_row[10], updated_at);
    assert!(chrono::DateTime::parse_from_rfc3339(&plain_row[11]).is_ok(), "received_at");

    let tricky_row = row_of(&tricky_2);
    assert_eq!(&tricky_row[1], tricky_2.child_id.to_string());
    assert_eq!(&tricky_row[5], "green");
    let answers: Answers = serde_json::from_str(&tricky_row[8]).expect("answers as JSON");
    assert_eq!(answers.text("actions_taken"), Some(TRICKY_NOTES), "comma, quote and new line survive");
    assert_eq!(answers.text("main_carer"), Some("李小红的外婆"), "Chinese written as is");
    assert!(tricky_row[8].contains("李小红的外婆"));
    assert_eq!(&tricky_row[9], "2");
}

#[tokio::test]
async fn a_harm_finding_is_flagged_in_the_csv_of_codes() {
    let app = spawn_app().await;
    let mut harm = visit();
    for (field, answer) in [
        ("serious_neglect", AnswerValue::Bool(true)),
        ("risk_colour", AnswerValue::Text("red".to_owned())),
        ("harm_details", AnswerValue::Text("孩子独自在家三天，无人做饭".to_owned())),
        ("mandatory_report_made", AnswerValue::Bool(false)),
        ("mandatory_report_not_made_reason", AnswerValue::Text("已联系乡镇儿童督导员，当天报警".to_owned())),
    ] {
        harm.answers.set(field, answer);
    }
    assert_eq!(app.put_visit(&harm).await.status(), StatusCode::CREATED);
    let data = app.stop().await;

    let text = stdout_of(export(data.path(), &["--format", "csv-codes"]));

    let mut reader = csv::Reader::from_reader(without_bom(&text).as_bytes());
    let row = reader.records().next().expect("a row").expect("a record");
    assert_eq!((&row[5], &row[7]), ("red", "1"));
}

#[tokio::test]
async fn output_goes_to_a_file_when_asked() {
    let (data, _) = filled().await;
    let out = data.path().join("visits.csv");

    let to_file = export(data.path(), &["--format", "csv", "--output", out.to_str().expect("path")]);

    assert!(stdout_of(to_file).is_empty());
    let written = std::fs::read_to_string(&out).expect("file written");
    assert_eq!(written, stdout_of(export(data.path(), &["--format", "csv"])));
}

#[tokio::test]
async fn an_export_can_run_beside_the_server() {
    let app = spawn_app().await;
    let v = visit();
    assert_eq!(app.put_visit(&v).await.status(), StatusCode::CREATED);

    let text = stdout_of(export(app.data.path(), &[]));

    let visit: Visit = serde_json::from_str(text.trim()).expect("one visit, jsonl by default");
    assert_eq!(visit, v);
}

#[test]
fn a_wrong_data_dir_is_an_error_not_an_empty_export() {
    let empty = tempfile::tempdir().expect("temp dir");

    let output = export(empty.path(), &["--format", "jsonl"]);

    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no database"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!empty.path().join("tongxing.db").exists(), "nothing created");
}

/// Fills a server with two children's files (one in two revisions, with a conflicting
/// copy of its second revision) and a visit with a conflicting copy; returns (data dir,
/// [plain, tricky revision 1, tricky revision 2, tricky conflict], the visit conflict).
async fn filled_with_children() -> (tempfile::TempDir, [Child; 4], Visit) {
    let app = spawn_app().await;
    let plain = child();
    let mut tricky = child();
    tricky.name = "李小红".to_owned();
    tricky.sex = tongxing_core::sex::Sex::Female;
    tricky.id_number = None;
    tricky.categories = vec![ChildCategory::Migrant];
    tricky.school = "县第一小学, \"实验班\"".to_owned();
    let tricky_2 = revised_child(&tricky, TRICKY_NOTES);
    // Made from revision 1 on another phone, with other notes: a conflict, not a merge.
    let tricky_conflict =
        Child {
            village: "河口村".to_owned(), notes: "另一台手机：母亲已返乡".to_owned(), ..tricky_2.clone()
        };
    for c in [&plain, &tricky, &tricky_2, &tricky_conflict, &tricky_conflict] {
        assert!(app.put_child(c).await.status().is_success());
    }
    let v = visit();
    let v_conflict = with_actions(&v, "另一台手机");
    for v in [&v, &v_conflict] {
        assert!(app.put_visit(v).await.status().is_success());
    }
    (app.stop().await, [plain, tricky, tricky_2, tricky_conflict], v_conflict)
}

fn children_of(text: &str) -> Vec<Child> {
    let mut children: Vec<Child> = text.lines().map(|l| serde_json::from_str(l).expect("a Child per line")).collect();
    children.sort_by_key(|c| (c.id, c.revision));
    children
}

#[tokio::test]
async fn children_export_as_jsonl_current_and_history() {
    let (data, [plain, tricky, tricky_2, _], v_conflict) = filled_with_children().await;

    let text = stdout_of(export(data.path(), &["--what", "children", "--format", "jsonl"]));
    let mut expected = vec![plain.clone(), tricky_2.clone()];
    expected.sort_by_key(|c| (c.id, c.revision));
    assert_eq!(children_of(&text), expected);
    assert!(text.contains("石桥村") && text.contains("李小红"), "Chinese written as is");

    let history = stdout_of(export(data.path(), &["--what", "children", "--history"]));
    let mut expected = vec![plain, tricky, tricky_2];
    expected.sort_by_key(|c| (c.id, c.revision));
    assert_eq!(children_of(&history), expected);

    let visits = stdout_of(export(data.path(), &["--format", "jsonl"]));
    let visit: Visit = serde_json::from_str(visits.trim()).expect("visits by default, one");
    assert_ne!(visit, v_conflict, "the first one is current");
}

#[tokio::test]
async fn children_export_as_csv_of_codes() {
    let (data, [plain, _, tricky_2, _], _) = filled_with_children().await;

    let text = stdout_of(export(data.path(), &["--what", "children", "--format", "csv-codes"]));

    let mut reader = csv::Reader::from_reader(without_bom(&text).as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(header, CHILD_CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 2);
    let row_of = |c: &Child| rows.iter().find(|r| r.get(0) == Some(c.id.to_string().as_str())).expect("a row").clone();
    let plain_row = row_of(&plain);
    let plain_updated_at = plain.updated_at.to_rfc3339();
    let fields: Vec<&str> = plain_row.iter().take(9).collect();
    assert_eq!(
        fields,
        [
            plain.id.to_string().as_str(),
            "王小明",
            "male",
            "2016-03-14",
            "石桥村",
            "left_behind;low_income_family",
            "石桥镇中心小学",
            "1",
            plain_updated_at.as_str(),
        ]
    );
    assert!(plain_row.get(9).is_some_and(|r| chrono::DateTime::parse_from_rfc3339(r).is_ok()), "received_at");
    let tricky_row = row_of(&tricky_2);
    assert_eq!(tricky_row.get(1), Some("李小红"));
    assert_eq!(tricky_row.get(2), Some("female"));
    assert_eq!(tricky_row.get(5), Some("migrant"));
    assert_eq!(tricky_row.get(6), Some(tricky_2.school.as_str()), "comma and quotes survive");
    assert_eq!(tricky_row.get(7), Some("2"));
}

#[tokio::test]
async fn conflicts_export_what_was_kept_aside() {
    let (data, [_, _, _, tricky_conflict], v_conflict) = filled_with_children().await;

    let children = stdout_of(export(data.path(), &["--what", "children", "--conflicts"]));
    assert_eq!(children_of(&children), vec![tricky_conflict.clone()], "once, though sent twice");

    let csv_text = stdout_of(export(data.path(), &["--what", "children", "--conflicts", "--format", "csv-codes"]));
    let mut reader = csv::Reader::from_reader(without_bom(&csv_text).as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get(4), Some("河口村"));

    let visits = stdout_of(export(data.path(), &["--conflicts"]));
    let visit: Visit = serde_json::from_str(visits.trim()).expect("one visit conflict");
    assert_eq!(visit, v_conflict);

    let both = export(data.path(), &["--conflicts", "--history"]);
    assert!(!both.status.success(), "--conflicts and --history do not go together");
}
