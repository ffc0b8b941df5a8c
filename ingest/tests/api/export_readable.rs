//! Readable exports for supervisors and the county (CSV and XLSX in Chinese), the filter by
//! place, colour and dates, JSON, and the audit log: the built binary and the library, on a
//! data directory filled through the API.

use crate::common;

use std::collections::BTreeSet;
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Output;

use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
use chrono::{Days, NaiveDate, Utc};
use common::places::{clear_place, Kind};
use common::{child, spawn_app, visit, TestApp};
use tongxing_core::child::{Child, ChildCategory};
use tongxing_core::export::ExportFormat;
use tongxing_core::form::AnswerValue;
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::sex::Sex;
use tongxing_core::worker::{Place, Role};
use tongxing_core::RecordKind;
use tongxing_core::{RiskColour, Visit};
use tongxing_ingest::export::{
    self, child_headers, ExportError, ExportRequest, CSV_BOM, VISIT_LEADING_COLUMNS, VISIT_TRAILING_COLUMNS,
};
use tongxing_ingest::store::audit;
use tongxing_ingest::store::reads::{self, Selection, SelectionError};
use uuid::Uuid;

/// Four children and five visits in three places, sent by three directors' phones:
/// - `a` 王小明, 石门镇/石桥村 (李芳, the test server's director): `va_old` green 40 days
///   ago, `va_new` yellow 3 days ago;
/// - `b` 李小红, 石门镇/河口村 (王兰): `vb` red with a mandatory report, 10 days ago;
/// - `c` 张伟, 柳林镇/柳林村 (赵敏): `vc` yellow 3 days ago;
/// - `d` 赵小军, received before enrolment (no place; the file says 石桥村): `vd` blue 20
///   days ago.
struct Filled {
    data: tempfile::TempDir,
    a: Child,
    b: Child,
    c: Child,
    d: Child,
    va_old: Visit,
    va_new: Visit,
    vb: Visit,
    vc: Visit,
    vd: Visit,
}

fn days_ago(days: u64) -> NaiveDate {
    Utc::now().date_naive().checked_sub_days(Days::new(days)).expect("a date")
}

/// A visit to `child` `days` days ago, with the next one two weeks later.
fn visit_to(child: &Child, days: u64) -> Visit {
    let mut v = Visit { child_id: child.id, ..visit() };
    let date = days_ago(days);
    v.answers.set("visit_date", AnswerValue::Text(date.to_string()));
    let next = date.checked_add_days(Days::new(14)).expect("a date");
    v.answers.set("next_visit_date", AnswerValue::Text(next.to_string()));
    v
}

fn with_colour(mut v: Visit, colour: &str, reason: &str) -> Visit {
    v.answers.set("risk_colour", AnswerValue::Text(colour.to_owned()));
    v.answers.set("risk_colour_reason", AnswerValue::Text(reason.to_owned()));
    v
}

fn named(name: &str, sex: Sex, village: &str) -> Child {
    Child { name: name.to_owned(), sex, village: village.to_owned(), ..child() }
}

/// Sends a child's file and then its visits from the phone of `client`.
async fn send(app: &TestApp, client: &reqwest::Client, child: &Child, visits: &[&Visit]) {
    let sent = client.put(app.api(&format!("/children/{}", child.id))).json(child).send().await.expect("sent");
    assert!(sent.status().is_success(), "{}", sent.status());
    for v in visits {
        let sent = client.put(app.api(&format!("/visits/{}", v.id))).json(v).send().await.expect("sent");
        assert!(sent.status().is_success(), "{}", sent.status());
    }
}

async fn filled() -> Filled {
    let app = spawn_app().await;
    assert_eq!((app.director.name.as_str(), app.director.place.township.as_str()), ("李芳", "石门镇"));
    let place = |township: &str, village: &str| Place { township: township.to_owned(), village: village.to_owned() };
    let (wang_lan, _) = app.enroll_as(Role::Director, place("石门镇", "河口村"), "王兰").await;
    let (zhao_min, _) = app.enroll_as(Role::Director, place("柳林镇", "柳林村"), "赵敏").await;

    let a = child();
    let b = Child { categories: vec![ChildCategory::GuardianHarm], ..named("李小红", Sex::Female, "河口村") };
    let c = named("张伟", Sex::Male, "柳林村");
    let d = named("赵小军", Sex::Male, "石桥村");
    let va_old = with_colour(visit_to(&a, 40), "green", "父亲已返乡照顾");
    let va_new = visit_to(&a, 3);
    let mut vb = visit_to(&b, 10);
    for (field, answer) in [
        ("serious_neglect", AnswerValue::Bool(true)),
        ("risk_colour", AnswerValue::Text("red".to_owned())),
        ("harm_details", AnswerValue::Text("孩子独自在家三天，无人做饭".to_owned())),
        ("mandatory_report_made", AnswerValue::Bool(false)),
        ("mandatory_report_not_made_reason", AnswerValue::Text("已联系乡镇儿童督导员，当天报警".to_owned())),
    ] {
        vb.answers.set(field, answer);
    }
    let vc = visit_to(&c, 3);
    let vd = with_colour(visit_to(&d, 20), "blue", "奶奶身体好转");
    send(&app, &app.client, &a, &[&va_old, &va_new]).await;
    send(&app, &wang_lan, &b, &[&vb]).await;
    send(&app, &zhao_min, &c, &[&vc]).await;
    send(&app, &app.client, &d, &[&vd]).await;

    let pool = app.pool().await;
    clear_place(&pool, Kind::Child, d.id).await;
    clear_place(&pool, Kind::Visit, vd.id).await;
    pool.close().await;
    Filled { data: app.stop().await, a, b, c, d, va_old, va_new, vb, vc, vd }
}

fn run_export(data_dir: &Path, args: &[&str], user: Option<&str>) -> Output {
    let mut command = crate::common::binary(data_dir);
    command.arg("export").arg("--data-dir").arg(data_dir).args(args).env_remove("TONGXING_LOG").env("RUST_LOG", "warn");
    match user {
        Some(user) => command.env("USER", user),
        None => command.env_remove("USER"),
    };
    command.output().expect("the binary runs")
}

fn stdout_of(output: Output) -> String {
    assert!(output.status.success(), "export failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn export_text(data_dir: &Path, args: &[&str]) -> String {
    stdout_of(run_export(data_dir, args, Some("tester")))
}

/// The rows of a readable CSV as maps from column name to value, checking the BOM.
fn csv_rows(text: &str) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let bom = std::str::from_utf8(CSV_BOM).expect("UTF-8");
    let text = text.strip_prefix(bom).unwrap_or_else(|| panic!("CSV starts with a byte order mark: {text:?}"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.expect("a row");
            headers.iter().cloned().zip(record.iter().map(str::to_owned)).collect()
        })
        .collect();
    (headers, rows)
}

fn visit_ids(data_dir: &Path, args: &[&str]) -> BTreeSet<Uuid> {
    let mut all = vec!["--format", "jsonl"];
    all.extend_from_slice(args);
    export_text(data_dir, &all)
        .lines()
        .map(|line| serde_json::from_str::<Visit>(line).expect("a visit per line").id)
        .collect()
}

fn child_ids(data_dir: &Path, args: &[&str]) -> BTreeSet<Uuid> {
    let mut all = vec!["--what", "children", "--format", "jsonl"];
    all.extend_from_slice(args);
    export_text(data_dir, &all)
        .lines()
        .map(|line| serde_json::from_str::<Child>(line).expect("a child per line").id)
        .collect()
}

fn ids<const N: usize>(list: [Uuid; N]) -> BTreeSet<Uuid> {
    list.into_iter().collect()
}

#[tokio::test]
async fn visits_as_csv_speak_the_workers_language() {
    let f = filled().await;

    let (headers, rows) = csv_rows(&export_text(f.data.path(), &["--format", "csv"]));

    assert_eq!(headers[..7], VISIT_LEADING_COLUMNS);
    assert_eq!(headers[headers.len() - 6..], VISIT_TRAILING_COLUMNS);
    for question in
        ["在场人员", "主要照料人与儿童关系", "监护能力", "是否存在严重忽视", "未报告原因", "照片（居住环境、证件等）"]
    {
        assert!(headers.iter().any(|h| h == question), "a column for {question}: {headers:?}");
    }
    assert_eq!(rows.len(), 5);
    let row_of = |v: &Visit| rows.iter().find(|r| r["走访编号"] == v.id.to_string()).expect("a row per visit");

    let a = row_of(&f.va_new);
    assert_eq!(a["儿童编号"], f.a.id.to_string());
    assert_eq!(a["儿童姓名"], "王小明");
    assert_eq!((a["所属乡镇(街道)"].as_str(), a["所属村(居)"].as_str()), ("石门镇", "石桥村"));
    assert_eq!(a["走访日期"], days_ago(3).to_string());
    assert_eq!(a["走访方式"], "入户走访");
    assert_eq!(a["在场人员"], "儿童本人、祖父母/外祖父母");
    assert_eq!(a["主要照料人与儿童关系"], "祖父母/外祖父母");
    assert_eq!(a["监护能力"], "监护能力弱");
    assert_eq!(a["已享受的保障"], "低保");
    assert_eq!(a["是否有遭受侵害的迹象（虐待、暴力等）"], "否");
    assert_eq!(a["所患疾病"], "", "not asked: no serious illness");
    assert_eq!(a["风险等级"], "黄色");
    assert_eq!(a["是否强制报告"], "否");
    assert_eq!(a["下次走访日期"], days_ago(3).checked_add_days(Days::new(14)).expect("a date").to_string());
    assert_eq!(a["走访人"], "李芳", "the enrolled director whose phone sent it");
    assert_eq!(a["版本"], "1");
    assert!(chrono::NaiveDateTime::parse_from_str(&a["接收时间"], "%Y-%m-%d %H:%M:%S").is_ok(), "{}", a["接收时间"]);

    let b = row_of(&f.vb);
    assert_eq!((b["风险等级"].as_str(), b["是否强制报告"].as_str()), ("红色", "是"));
    assert_eq!(b["是否存在严重忽视"], "是");
    assert_eq!(b["未报告原因"], "已联系乡镇儿童督导员，当天报警");
    assert_eq!(row_of(&f.va_old)["定级理由"], "父亲已返乡照顾");
    assert_eq!(row_of(&f.vb)["走访人"], "王兰");

    let d = row_of(&f.vd);
    assert_eq!(d["所属乡镇(街道)"], "", "received before enrolment");
    assert_eq!(d["所属村(居)"], "石桥村", "the village of the child's file");
    assert_eq!(d["风险等级"], "蓝色");
    assert_eq!(d["走访人"], "", "no enrolled sender");
}

#[tokio::test]
async fn children_as_csv_read_like_the_national_system() {
    let f = filled().await;

    let (headers, rows) = csv_rows(&export_text(f.data.path(), &["--what", "children", "--format", "csv"]));

    assert_eq!(headers, child_headers(1));
    assert_eq!(
        headers[..8],
        ["儿童编号", "姓名", "性别", "出生日期", "身份证号码", "所属乡镇(街道)", "所属村(居)", "儿童类别"]
    );
    assert_eq!(rows.len(), 4);
    let row_of = |c: &Child| rows.iter().find(|r| r["儿童编号"] == c.id.to_string()).expect("a row per child");
    let a = row_of(&f.a);
    assert_eq!((a["姓名"].as_str(), a["性别"].as_str(), a["出生日期"].as_str()), ("王小明", "男", "2016-03-14"));
    assert_eq!(a["身份证号码"], "\t110105201603140015", "kept as text by Excel");
    assert_eq!(a["儿童类别"], "农村留守儿童、低保/特困家庭儿童");
    assert_eq!(
        (a["监护人姓名"].as_str(), a["监护人与儿童关系"].as_str(), a["监护人联系电话"].as_str()),
        ("王秀英", "祖父母/外祖父母", "13800138000")
    );
    assert_eq!((a["就读学校"].as_str(), a["备注"].as_str()), ("石桥镇中心小学", "父母在广东打工"));
    assert_eq!(a["风险等级"], "黄色", "the latest visit's, not the older green one");
    assert_eq!(a["最近走访日期"], days_ago(3).to_string());
    assert_eq!(a["版本"], "1");
    let b = row_of(&f.b);
    assert_eq!(
        (b["性别"].as_str(), b["儿童类别"].as_str(), b["风险等级"].as_str()),
        ("女", "遭受监护侵害儿童", "红色")
    );
    assert_eq!((row_of(&f.d)["所属村(居)"].as_str(), row_of(&f.d)["风险等级"].as_str()), ("石桥村", "蓝色"));
}

#[tokio::test]
async fn filters_pick_by_place_colour_and_dates() {
    let f = filled().await;
    let dir = f.data.path();

    assert_eq!(visit_ids(dir, &[]).len(), 5);
    assert_eq!(visit_ids(dir, &["--township", "石门镇"]), ids([f.va_old.id, f.va_new.id, f.vb.id]));
    assert_eq!(visit_ids(dir, &["--township", "石门镇", "--village", "石桥村"]), ids([f.va_old.id, f.va_new.id]));
    assert_eq!(
        visit_ids(dir, &["--village", "石桥村"]),
        ids([f.va_old.id, f.va_new.id, f.vd.id]),
        "without a township, records from before enrolment by their child's village"
    );
    assert_eq!(visit_ids(dir, &["--colour", "red"]), ids([f.vb.id]));
    assert_eq!(visit_ids(dir, &["--colour", "yellow", "--township", "柳林镇"]), ids([f.vc.id]));
    let from = days_ago(20).to_string();
    let to = days_ago(5).to_string();
    assert_eq!(visit_ids(dir, &["--from", &from]), ids([f.va_new.id, f.vb.id, f.vc.id, f.vd.id]));
    assert_eq!(visit_ids(dir, &["--from", &from, "--to", &to]), ids([f.vb.id, f.vd.id]), "both days included");
    assert_eq!(visit_ids(dir, &["--township", "没有这个镇"]), ids([]));

    assert_eq!(child_ids(dir, &["--township", "石门镇"]), ids([f.a.id, f.b.id]));
    assert_eq!(child_ids(dir, &["--village", "石桥村"]), ids([f.a.id, f.d.id]));
    assert_eq!(child_ids(dir, &["--colour", "yellow"]), ids([f.a.id, f.c.id]), "by the latest visit");
    assert_eq!(child_ids(dir, &["--colour", "green"]), ids([]), "an older visit's colour does not count");
    assert_eq!(child_ids(dir, &["--to", &to]), ids([f.b.id, f.d.id]), "not visited since");

    let text = export_text(dir, &["--format", "csv", "--township", "柳林镇"]);
    let (_, rows) = csv_rows(&text);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["儿童姓名"], "张伟");

    let backwards = run_export(dir, &["--from", &from, "--to", &days_ago(30).to_string()], Some("tester"));
    assert!(!backwards.status.success());
    assert!(String::from_utf8_lossy(&backwards.stderr).contains("swap --from and --to"));
}

/// The XML of the first sheet of a workbook.
fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").expect("a first sheet").read_to_string(&mut xml).expect("XML");
    xml
}

fn cell<'a>(range: &'a calamine::Range<Data>, row: usize, header: &str) -> &'a Data {
    let headers: Vec<String> = range.rows().next().expect("a header row").iter().map(|c| c.to_string()).collect();
    let col = headers.iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header}: {headers:?}"));
    range.get((row, col)).expect("a cell")
}

#[tokio::test]
async fn xlsx_opens_with_dates_as_dates_and_the_header_frozen() {
    let f = filled().await;
    let out = f.data.path().join("exports").join("visits.xlsx");
    std::fs::create_dir_all(out.parent().expect("folder")).expect("folder");

    let output = run_export(
        f.data.path(),
        &["--format", "xlsx", "--township", "石门镇", "--out", out.to_str().expect("path")],
        Some("tester"),
    );

    assert!(stdout_of(output).is_empty());
    let bytes = std::fs::read(&out).expect("written");
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("a workbook");
    assert_eq!(workbook.sheet_names(), ["走访记录"]);
    let range = workbook.worksheet_range("走访记录").expect("the sheet");
    let header: Vec<String> = range.rows().next().expect("header").iter().map(|c| c.to_string()).collect();
    assert_eq!(header[..7], VISIT_LEADING_COLUMNS);
    assert!(header.iter().any(|h| h == "主要照料人与儿童关系"));
    assert_eq!(range.height(), 4, "a header and three visits of 石门镇");
    let row = (1..range.height())
        .find(|&r| cell(&range, r, "走访编号").to_string() == f.va_new.id.to_string())
        .expect("the newest visit's row");
    assert_eq!(cell(&range, row, "儿童姓名"), &Data::String("王小明".into()));
    assert_eq!(cell(&range, row, "所属村(居)"), &Data::String("石桥村".into()));
    let visited = cell(&range, row, "走访日期");
    assert!(visited.is_datetime(), "a date cell, not text: {visited:?}");
    assert_eq!(visited.as_date(), Some(days_ago(3)));
    assert_eq!(cell(&range, row, "下次走访日期").as_date(), days_ago(3).checked_add_days(Days::new(14)));
    assert!(cell(&range, row, "接收时间").is_datetime());
    assert_eq!(cell(&range, row, "走访方式"), &Data::String("入户走访".into()));
    assert_eq!(cell(&range, row, "在场人员"), &Data::String("儿童本人、祖父母/外祖父母".into()));
    assert_eq!(cell(&range, row, "风险等级"), &Data::String("黄色".into()));
    assert_eq!(cell(&range, row, "走访人"), &Data::String("李芳".into()));
    assert_eq!(cell(&range, row, "版本"), &Data::Float(1.0));

    let xml = sheet_xml(&bytes);
    assert!(xml.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{xml}");
    assert!(xml.contains("<autoFilter ref=\"A1:"), "an autofilter");
    assert!(xml.contains("<col "), "column widths set");
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("folder")).expect("folder").collect();
    assert_eq!(leftovers.len(), 1, "no temp file left beside the workbook");
}

#[tokio::test]
async fn children_xlsx_keeps_id_numbers_whole() {
    let f = filled().await;
    let out = f.data.path().join("children.xlsx");

    stdout_of(run_export(
        f.data.path(),
        &["--what", "children", "--format", "xlsx", "-o", out.to_str().expect("path")],
        Some("tester"),
    ));

    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(&out).expect("written"))).expect("xlsx");
    assert_eq!(workbook.sheet_names(), ["儿童信息"]);
    let range = workbook.worksheet_range("儿童信息").expect("the sheet");
    let header: Vec<String> = range.rows().next().expect("header").iter().map(|c| c.to_string()).collect();
    assert_eq!(header, child_headers(1));
    let row = (1..range.height()).find(|&r| cell(&range, r, "姓名") == &Data::String("王小明".into())).expect("a row");
    assert_eq!(cell(&range, row, "身份证号码"), &Data::String("110105201603140015".into()), "text, no tab needed");
    assert_eq!(cell(&range, row, "出生日期").as_date(), NaiveDate::from_ymd_opt(2016, 3, 14));
    assert_eq!(cell(&range, row, "儿童类别"), &Data::String("农村留守儿童、低保/特困家庭儿童".into()));
    assert_eq!(cell(&range, row, "风险等级"), &Data::String("黄色".into()));
    assert_eq!(cell(&range, row, "最近走访日期").as_date(), Some(days_ago(3)));
    assert!(cell(&range, row, "更新时间").is_datetime());
}

#[tokio::test]
async fn xlsx_needs_a_file() {
    let f = filled().await;

    let output = run_export(f.data.path(), &["--format", "xlsx"], Some("tester"));

    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no workbook on the terminal");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--out"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[tokio::test]
async fn json_is_one_array_of_wire_records() {
    let f = filled().await;

    let text = export_text(f.data.path(), &["--format", "json", "--colour", "red"]);

    let visits: Vec<Visit> = serde_json::from_str(&text).expect("a JSON array of visits");
    assert_eq!(visits, vec![f.vb.clone()]);
    let children: Vec<Child> = serde_json::from_str(&export_text(
        f.data.path(),
        &["--what", "children", "--format", "json", "--township", "柳林镇"],
    ))
    .expect("a JSON array of children");
    assert_eq!(children, vec![f.c.clone()]);
}

#[tokio::test]
async fn the_library_writes_any_format_to_any_writer() {
    let f = filled().await;
    let pool = crate::common::open_db(f.data.path()).await;

    let selection =
        Selection::in_township("石门镇", RecordFilter { colour: Some(RiskColour::Yellow), ..RecordFilter::default() });
    let request = ExportRequest { selection, ..ExportRequest::new(RecordKind::Visit, ExportFormat::Csv) };
    let (csv_bytes, count) = export::export(&pool, &request, Vec::new()).await.expect("exported");
    assert_eq!(count, 1);
    let (_, rows) = csv_rows(std::str::from_utf8(&csv_bytes).expect("UTF-8"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["走访编号"], f.va_new.id.to_string());

    let xlsx = ExportRequest { format: ExportFormat::Xlsx, ..request.clone() };
    let (xlsx_bytes, count) = export::export(&pool, &xlsx, Vec::new()).await.expect("exported");
    assert_eq!(count, 1);
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(xlsx_bytes)).expect("a workbook");
    assert_eq!(workbook.worksheet_range("走访记录").expect("sheet").height(), 2);

    let children = reads::child_page(&pool, &Selection::all(), &Default::default()).await.expect("read");
    let a = children.items.iter().find(|row| row.child.id == f.a.id).expect("王小明");
    assert_eq!(a.place.township, "石门镇");
    assert_eq!(a.latest_visit.map(|v| (v.date, v.colour)), Some((Some(days_ago(3)), Some(RiskColour::Yellow))));

    let mut backwards = Selection::all();
    (backwards.records.from, backwards.records.to) = (Some(days_ago(1)), Some(days_ago(2)));
    let request = ExportRequest { selection: backwards, ..ExportRequest::new(RecordKind::Visit, ExportFormat::Csv) };
    let error = export::export(&pool, &request, Vec::new()).await.unwrap_err();
    assert!(matches!(error, ExportError::Selection(SelectionError::FromAfterTo { .. })), "{error}");
    pool.close().await;
}

#[tokio::test]
async fn every_command_line_export_is_in_the_audit_log() {
    let f = filled().await;
    let dir = f.data.path();

    export_text(dir, &["--format", "csv", "--township", "石门镇", "--colour", "yellow"]);
    stdout_of(run_export(dir, &["--what", "children", "--history"], None));
    let refused = run_export(dir, &["--format", "xlsx"], Some("tester"));
    assert!(!refused.status.success());

    let pool = crate::common::open_db(dir).await;
    // The exports (the log also holds the enrolments and the records stored).
    let entries: Vec<_> = audit::entries(&pool)
        .await
        .expect("audit log")
        .into_iter()
        .filter(|e| e.action.starts_with("export_"))
        .collect();
    pool.close().await;
    assert_eq!(entries.len(), 2, "one row per export, none for a refused one: {entries:?}");
    let children = &entries[1];
    assert_eq!(
        (children.action.as_str(), children.actor.as_str(), children.subject.as_str()),
        ("export_children", "command line", "jsonl, history, everything")
    );
    let visits = &entries[0];
    assert_eq!(visits.action, "export_visits");
    assert_eq!(visits.actor, "tester", "the OS user");
    assert_eq!(visits.subject, "csv, current, township=石门镇, colour=yellow");
    assert_eq!(visits.device_id, None, "the command line");
    let at = chrono::DateTime::parse_from_rfc3339(&visits.at).expect("a time");
    assert!(Utc::now() - at.with_timezone(&Utc) < chrono::Duration::minutes(5));
}

#[tokio::test]
async fn the_visitor_is_who_made_the_visit_not_who_sent_it_last() {
    let app = spawn_app().await;
    let (mother, _) = app.enroll_as(Role::LoveMother, app.director.place.clone(), "张爱华").await;
    let made = visit();
    let response = mother.put(app.api(&format!("/visits/{}", made.id))).json(&made).send().await.expect("sent");
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    // The director's phone of the same village sends a later revision of it.
    let later = common::revised(&made, "联系了村医");
    assert_eq!(app.put_visit(&later).await.status(), reqwest::StatusCode::OK);

    let (_, rows) = csv_rows(&export_text(app.data.path(), &["--format", "csv"]));
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["走访人"].as_str(), rows[0]["版本"].as_str()), ("张爱华", "2"));
}
