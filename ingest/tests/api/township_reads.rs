//! A township supervisor reads her township's children and visits (paged and filtered), one
//! child's whole file, and nothing of another township; every read is in the audit log.

use crate::common;

use common::{child, expect_error, spawn_app, visit};
use reqwest::{Client, StatusCode};
use tongxing_core::child::Child;
use tongxing_core::wire::Page;
use tongxing_core::wire::{ChildFile, ChildListing, VisitListing};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{Visit, Worker};
use tongxing_ingest::store::audit;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

/// Sends a child's file and one visit to it with `client`; returns both.
async fn send_child_with_visit(app: &common::TestApp, client: &Client, name: &str) -> (Child, Visit) {
    let child = Child { name: name.into(), ..child() };
    let response = client.put(app.api(&format!("/children/{}", child.id))).json(&child).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED, "{name}'s file stored");
    let visit = Visit { child_id: child.id, ..visit() };
    let response = client.put(app.api(&format!("/visits/{}", visit.id))).json(&visit).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED, "{name}'s visit stored");
    (child, visit)
}

async fn get<T: serde::de::DeserializeOwned>(client: &Client, url: String) -> T {
    let response = client.get(url).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn a_supervisor_reads_her_township_and_nothing_else() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (next_door, _) = app.enroll_as(Role::Director, place(&here.township, "杏花村"), "赵敏").await;
    let (elsewhere, _) = app.enroll_as(Role::Director, place("白沙镇", "桃源村"), "孙丽").await;
    let (supervisor, supervisor_worker): (Client, Worker) =
        app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;

    let (ours, our_visit) = send_child_with_visit(&app, &app.client, "小明").await;
    let (neighbours, _) = send_child_with_visit(&app, &next_door, "小红").await;
    let (theirs, _) = send_child_with_visit(&app, &elsewhere, "小刚").await;

    // The township's children, both villages, not the other township's.
    let page: Page<ChildListing> = get(&supervisor, app.api("/children")).await;
    let mut names: Vec<&str> = page.items.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["小明", "小红"]);
    assert_eq!(page.total, 2);
    let mine = page.items.iter().find(|l| l.id == ours.id).expect("listed");
    assert_eq!(mine.village, here.village);
    assert_eq!(mine.risk_colour, our_visit.risk_colour(), "the latest visit's colour");
    assert_eq!(mine.last_visit_date, our_visit.visit_date());

    // Filtered by village, by colour, paged.
    let village = urlencoding(&here.village);
    let page: Page<ChildListing> = get(&supervisor, app.api(&format!("/children?village={village}"))).await;
    assert_eq!(page.items.iter().map(|l| l.id).collect::<Vec<_>>(), [ours.id]);
    let colour = our_visit.risk_colour().expect("the sample has a colour").code();
    let other_colour = if colour == "red" { "green" } else { "red" };
    let page: Page<ChildListing> = get(&supervisor, app.api(&format!("/children?colour={colour}"))).await;
    assert_eq!(page.total, 2);
    let page: Page<ChildListing> = get(&supervisor, app.api(&format!("/children?colour={other_colour}"))).await;
    assert_eq!(page.total, 0);
    let page: Page<ChildListing> = get(&supervisor, app.api("/children?per_page=1&page=2")).await;
    assert_eq!((page.items.len(), page.total, page.page), (1, 2, 2));

    // Visits, by date.
    let date = our_visit.visit_date().expect("a date");
    let page: Page<VisitListing> = get(&supervisor, app.api(&format!("/visits?from={date}&to={date}"))).await;
    assert_eq!(page.total, 2);
    let next_day = date.succ_opt().expect("a date");
    let page: Page<VisitListing> = get(&supervisor, app.api(&format!("/visits?from={next_day}"))).await;
    assert_eq!(page.total, 0);

    // One child's whole file; another township's is as unknown (404); an unknown one is 404.
    let file: ChildFile = get(&supervisor, app.api(&format!("/children/{}", ours.id))).await;
    assert_eq!(file.child, ours);
    assert_eq!(file.visits, [our_visit]);
    let response = supervisor.get(app.api(&format!("/children/{}", theirs.id))).send().await.expect("sent");
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = supervisor.get(app.api(&format!("/children/{}", uuid::Uuid::new_v4()))).send().await.expect("sent");
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // A director reads nothing; bad filters are refused.
    let response = app.client.get(app.api("/children")).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = supervisor.get(app.api("/visits?colour=purple")).send().await.expect("sent");
    expect_error(response, StatusCode::BAD_REQUEST, "bad_query").await;
    let response = supervisor.get(app.api("/visits?per_page=100000")).send().await.expect("sent");
    expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    // Every read that answered is in the audit log, with who and what.
    let pool = app.pool().await;
    let entries = audit::entries(&pool).await.expect("audit log");
    pool.close().await;
    let reads: Vec<(&str, &str)> = entries.iter().map(|e| (e.action.as_str(), e.subject.as_str())).collect();
    assert_eq!(reads.iter().filter(|(action, _)| *action == "list_children").count(), 5);
    assert_eq!(reads.iter().filter(|(action, _)| *action == "list_visits").count(), 2);
    let child_reads: Vec<&str> =
        reads.iter().filter(|(action, _)| *action == "read_child").map(|(_, subject)| *subject).collect();
    assert_eq!(child_reads, [ours.id.to_string()], "only the file that was shown");
    let supervisor_id = supervisor_worker.id.to_string();
    let read_actions = ["list_children", "list_visits", "read_child", "read_refused"];
    assert!(entries
        .iter()
        .filter(|e| read_actions.contains(&e.action.as_str()))
        .all(|e| e.device_id.as_deref() == Some(supervisor_id.as_str()) && e.actor == "王督导"));
    let _ = neighbours;
}

#[tokio::test]
async fn a_worker_cannot_change_another_villages_records() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (next_door, _) = app.enroll_as(Role::Director, place(&here.township, "杏花村"), "赵敏").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (ours, our_visit) = send_child_with_visit(&app, &app.client, "小明").await;

    // The neighbour cannot overwrite our child's file, our visit, or add a visit to our child.
    let changed = Child { notes: "改".into(), revision: 2, ..ours.clone() };
    let response = next_door.put(app.api(&format!("/children/{}", ours.id))).json(&changed).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "out_of_scope").await;
    let revised = common::revised(&our_visit, "改");
    let response =
        next_door.put(app.api(&format!("/visits/{}", our_visit.id))).json(&revised).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "out_of_scope").await;
    let intruding = Visit { child_id: ours.id, ..visit() };
    let response =
        next_door.put(app.api(&format!("/visits/{}", intruding.id))).json(&intruding).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "out_of_scope").await;
    // A supervisor does not send.
    let response =
        supervisor.put(app.api(&format!("/visits/{}", intruding.id))).json(&intruding).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;

    let children = app.current_of::<Child>().await;
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].record, ours, "unchanged");
    let visits = app.current_visits().await;
    assert_eq!(visits.iter().map(|v| &v.record).collect::<Vec<_>>(), [&our_visit], "unchanged, nothing added");
    // Her own phone still may.
    let response =
        app.client.put(app.api(&format!("/visits/{}", our_visit.id))).json(&revised).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
}

/// Percent-encodes a query value (village names are Chinese).
fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn a_supervisor_exports_her_township_and_one_childs_whole_file() {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    use std::io::Cursor;

    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (elsewhere, _) = app.enroll_as(Role::Director, place("白沙镇", "桃源村"), "孙丽").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (ours, our_visit) = send_child_with_visit(&app, &app.client, "小明").await;
    let (theirs, _) = send_child_with_visit(&app, &elsewhere, "小刚").await;

    // The visits as a workbook: Chinese columns, our visit, not the other township's.
    let response = supervisor.get(app.api("/exports/visits?format=xlsx")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(response.headers()["content-disposition"].to_str().expect("ASCII").starts_with("attachment;"));
    let bytes = response.bytes().await.expect("body").to_vec();
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook");
    let sheet = workbook.worksheet_range_at(0).expect("a sheet").expect("readable");
    let rows: Vec<Vec<String>> = sheet.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect();
    assert!(rows[0].iter().any(|h| h == "走访日期") && rows[0].iter().any(|h| h == "儿童姓名"), "{:?}", rows[0]);
    assert_eq!(rows.len(), 2, "a header and our one visit");
    assert!(rows[1].iter().any(|cell| *cell == our_visit.id.to_string()), "{:?}", rows[1]);

    // The children as CSV for Excel, filtered by village.
    let village: String = url::form_urlencoded::byte_serialize(here.village.as_bytes()).collect();
    let response =
        supervisor.get(app.api(&format!("/exports/children?format=csv&village={village}"))).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("text");
    assert!(text.starts_with('\u{feff}'), "a byte order mark for Excel");
    assert!(text.contains("小明") && !text.contains("小刚"));

    // One child's whole file as a zip; another township's is refused.
    let response = supervisor.get(app.api(&format!("/children/{}/archive", ours.id))).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.expect("body").to_vec();
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let names: Vec<String> = zip.file_names().map(|name| name.expect("a name").into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with("child.json")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("visits.json")), "{names:?}");
    let response = supervisor.get(app.api(&format!("/children/{}/archive", theirs.id))).send().await.expect("sent");
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // A director exports nothing; a bad format or filter is refused; an unknown kind is 404.
    let response = app.client.get(app.api("/exports/visits")).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = supervisor.get(app.api("/exports/visits?format=pdf")).send().await.expect("sent");
    expect_error(response, StatusCode::BAD_REQUEST, "bad_query").await;
    let response = supervisor.get(app.api("/exports/photos")).send().await.expect("sent");
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // Each export that answered is in the audit log (beside the enrolments, the records
    // stored and the refusals).
    let pool = app.pool().await;
    let actions: Vec<String> = audit::entries(&pool)
        .await
        .expect("audit log")
        .into_iter()
        .filter(|e| e.action.starts_with("export_"))
        .map(|e| format!("{} {}", e.action, e.subject))
        .collect();
    pool.close().await;
    assert_eq!(actions.len(), 3, "{actions:?}");
    assert!(actions[0].starts_with("export_visits xlsx"), "{actions:?}");
    assert!(actions[1].starts_with("export_children csv") && actions[1].contains(&here.village), "{actions:?}");
    assert_eq!(actions[2], format!("export_child_file {}", ours.id));
}
