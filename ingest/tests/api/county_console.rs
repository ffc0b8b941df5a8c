//! The county's console on a real port, against townships built by hand: every township's
//! "today" as one line (the supervisor's figures, counted), the statistics (children by
//! category, colour, township and age; this month's round; visits and reports per month;
//! policies linked), the workbook with its sheets (also by a one-time link), the audit log
//! filtered and paged; the county invites a supervisor of any township; a supervisor and a
//! director get `403` on every county route; each read audited.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Reader, Xlsx};
use chrono::{Datelike, Days, Utc};
use reqwest::{Client, StatusCode};
use serde_json::json;
use tongxing_core::child::{Child, ChildCategory};
use tongxing_core::form::field_ids::POLICIES_LINKED;
use tongxing_core::wire::{AuditLine, CountyStatistics, CountyToday, DownloadLink, InviteListing, Page, TownshipLine};
use tongxing_core::worker::{Place, Role};
use tongxing_core::RiskColour;
use tongxing_ingest::export::china_time;
use tongxing_ingest::export::county_statistics::STATISTICS_SHEETS;
use tongxing_ingest::store::audit;

use crate::common::{child, expect_error, spawn_app, visit, TestApp};
use crate::township_today::{send, visit_on};

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

/// Two townships built by hand, a third with only its supervisor, and the county.
struct County {
    app: TestApp,
    county: Client,
    supervisor: Client,
    township: String,
    /// 柳林镇's director.
    elsewhere: uuid::Uuid,
}

async fn county() -> County {
    let app = crate::common::spawn_app().await;
    let township = app.director.place.township.clone();
    let (elsewhere, elsewhere_worker) = app.enroll_as(Role::Director, place("柳林镇", "柳林村"), "赵敏").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place("白沙镇", ""), "周督导").await;
    let (county, worker) = app.enroll_as(Role::County, place("", ""), "钱主任").await;
    assert_eq!((worker.role, worker.place.township.as_str()), (Role::County, ""));

    let today = china_time(&Utc::now()).date_naive();
    let this_month = today.with_day0(0).expect("the first");
    let seventy_days_ago = today.checked_sub_days(Days::new(70)).expect("a date");
    // 石门镇 (the director's): 甲 visited this month (green), 乙 70 days ago (yellow), 丙
    // never; 甲 and 乙 share an ID number (a pair that may be one child).
    let visited = Child { name: "甲".into(), ..child() };
    let late = Child { name: "乙".into(), ..child() };
    let never = Child { name: "丙".into(), id_number: None, ..child() };
    send(&app, &app.client, &visited, &[visit_on(visited.id, this_month, RiskColour::Green, false)]).await;
    send(&app, &app.client, &late, &[visit_on(late.id, seventy_days_ago, RiskColour::Yellow, false)]).await;
    send(&app, &app.client, &never, &[]).await;
    // 柳林镇: 丁, red, harm found and reported this month.
    let red = Child { name: "丁".into(), village: "柳林村".into(), id_number: None, ..child() };
    send(&app, &elsewhere, &red, &[visit_on(red.id, this_month, RiskColour::Red, true)]).await;
    County { app, county, supervisor, township, elsewhere: elsewhere_worker.id }
}

#[tokio::test]
async fn every_township_today_is_one_line_of_its_supervisors_figures() {
    let c = county().await;
    let response = c.county.get(c.app.api("/county/today")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get(reqwest::header::CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-store"[..]));
    let got: CountyToday = response.json().await.expect("today");
    assert_eq!(got.today, china_time(&Utc::now()).date_naive());
    let line = |township: &str, visited, due, overdue, red, reports, possible_duplicates| TownshipLine {
        township: township.into(),
        visited,
        due,
        overdue,
        red,
        reports,
        actions_past_due: 0,
        to_reconcile: 0,
        possible_duplicates,
        silent_phones: 0,
    };
    assert_eq!(
        got.townships,
        [line("白沙镇", 0, 0, 0, 0, 0, 0), line(&c.township, 1, 3, 2, 0, 0, 1), line("柳林镇", 1, 1, 0, 1, 1, 0),],
        "the furthest behind first; a township of only a supervisor has a line too"
    );
}

#[tokio::test]
async fn the_statistics_by_hand_and_as_a_workbook() {
    let c = county().await;
    // 石门镇's director passed an assessment; 柳林镇's failed hers.
    let trained = |id: uuid::Uuid, passed: bool| {
        c.county
            .post(c.app.api(&format!("/devices/{id}/trainings")))
            .json(&json!({"course": "儿童主任业务培训", "date": "2026-03-01", "passed": passed}))
            .send()
    };
    assert_eq!(trained(c.app.director.id, true).await.expect("sent").status(), StatusCode::CREATED);
    assert_eq!(trained(c.elsewhere, false).await.expect("sent").status(), StatusCode::CREATED);
    let stats: CountyStatistics =
        c.county.get(c.app.api("/county/statistics")).send().await.expect("sent").json().await.expect("statistics");
    assert_eq!(stats.children, 4);
    let count =
        |tallies: &[tongxing_core::wire::Tally], key: &str| tallies.iter().find(|t| t.key == key).map(|t| t.count);
    // Every file is the sample child's categories.
    for category in ChildCategory::ALL {
        let expected = if child().categories.contains(&category) { 4 } else { 0 };
        assert_eq!(count(&stats.by_category, category.code()), Some(expected), "{category:?}");
    }
    assert_eq!(
        stats.by_colour.iter().map(|t| (t.key.as_str(), t.count)).collect::<Vec<_>>(),
        [("red", 1), ("yellow", 1), ("blue", 0), ("green", 1), ("none", 1)]
    );
    let townships: Vec<(&str, u32, u32, u32, u32, u32)> = stats
        .by_township
        .iter()
        .map(|t| (t.township.as_str(), t.children, t.visited, t.due, t.workers, t.certified))
        .collect();
    let mut expected = vec![(c.township.as_str(), 3, 1, 3, 1, 1), ("柳林镇", 1, 1, 1, 1, 0)];
    expected.sort();
    assert_eq!(townships, expected, "the supervisor and the county are not field workers");
    assert_eq!((stats.workers.workers, stats.workers.certified), (2, 1));
    assert_eq!(stats.by_age.iter().map(|t| t.count).sum::<u32>(), 4);
    assert_eq!((stats.coverage.visited, stats.coverage.due), (2, 4));
    assert_eq!(stats.by_month.len(), 12);
    let this_month = stats.by_month.last().expect("this month");
    assert_eq!((this_month.visits, this_month.mandatory_reports), (2, 1));
    assert_eq!(stats.by_month.iter().map(|m| m.visits).sum::<u32>(), 3);
    // The same records as the county's exports: every child's file, every visit.
    let exported = |what: &str| {
        let out = crate::common::cli(c.app.data.path(), &["export", "--what", what, "--format", "jsonl"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).lines().filter(|line| !line.trim().is_empty()).count()
    };
    assert_eq!(exported("children"), stats.children as usize);
    assert_eq!(exported("visits"), stats.by_month.iter().map(|m| m.visits as usize).sum::<usize>());
    // Each visit linked the sample visit's policies.
    let linked = visit().answers.get(POLICIES_LINKED).cloned();
    let codes: Vec<String> = match linked {
        Some(tongxing_core::form::AnswerValue::List(codes)) => codes,
        _ => Vec::new(),
    };
    assert!(!codes.is_empty(), "the sample visit links a policy");
    for code in &codes {
        assert_eq!(count(&stats.benefits, code), Some(3), "{code}");
    }

    let response = c.county.get(c.app.api("/county/statistics.xlsx")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let disposition =
        response.headers().get(reqwest::header::CONTENT_DISPOSITION).expect("a name").to_str().unwrap_or("");
    assert!(disposition.contains("xlsx"), "{disposition}");
    let bytes = response.bytes().await.expect("the workbook");
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx");
    assert_eq!(workbook.sheet_names(), STATISTICS_SHEETS.map(str::to_owned).to_vec());
    let colours = workbook.worksheet_range("按风险等级").expect("a sheet");
    let rows: Vec<Vec<String>> = colours.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect();
    assert_eq!(rows[0], ["风险等级", "人数"]);
    assert_eq!(rows[1], ["红色", "1"]);
    let overview = workbook.worksheet_range("概况").expect("a sheet");
    let rows: Vec<Vec<String>> = overview.rows().map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect();
    assert!(rows.contains(&vec!["工作人员".to_owned(), "2".to_owned()]), "{rows:?}");
    assert!(rows.contains(&vec!["已通过培训考核".to_owned(), "1".to_owned()]), "{rows:?}");

    // By a one-time link, as in WeChat; a supervisor may not make one, nor the county an export's.
    let made =
        c.county.post(c.app.api("/download-links")).json(&json!({"county_statistics": {}})).send().await.expect("sent");
    assert_eq!(made.status(), StatusCode::CREATED);
    let link: DownloadLink = made.json().await.expect("a link");
    let fetched = Client::new().get(format!("{}{}", c.app.url, link.path)).send().await.expect("sent");
    assert_eq!(fetched.status(), StatusCode::OK);
    let again = Client::new().get(format!("{}{}", c.app.url, link.path)).send().await.expect("sent");
    assert_eq!(again.status(), StatusCode::GONE);
    let theirs = c
        .supervisor
        .post(c.app.api("/download-links"))
        .json(&json!({"county_statistics": {}}))
        .send()
        .await
        .expect("sent");
    expect_error(theirs, StatusCode::FORBIDDEN, "forbidden").await;
    let export = json!({"export": {"kind": "visit", "query": "format=xlsx"}});
    let ours = c.county.post(c.app.api("/download-links")).json(&export).send().await.expect("sent");
    expect_error(ours, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn the_county_reads_the_audit_log_filtered_and_paged() {
    let c = county().await;
    for _ in 0..2 {
        assert_eq!(c.county.get(c.app.api("/county/statistics")).send().await.expect("sent").status(), StatusCode::OK);
    }
    let page: Page<AuditLine> = c
        .county
        .get(c.app.api("/county/audit?action=read_county"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a page");
    assert_eq!((page.total, page.page, page.items.len()), (2, 1, 2));
    assert!(page.items.iter().all(|line| line.action == "read_county" && line.actor == "钱主任"));
    let by_actor: Page<AuditLine> = c
        .county
        .get(c.app.api("/county/audit?actor=%E5%91%A8%E7%9D%A3%E5%AF%BC"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a page");
    assert!(by_actor.total >= 1 && by_actor.items.iter().all(|line| line.actor == "周督导"), "{by_actor:?}");
    let all: Page<AuditLine> =
        c.county.get(c.app.api("/county/audit")).send().await.expect("sent").json().await.expect("a page");
    assert!(all.total > 2);
    assert_eq!(all.items[0].action, "read_audit", "the newest first: this very reading");
    let past: Page<AuditLine> = c
        .county
        .get(c.app.api("/county/audit?to=2000-01-01"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a page");
    assert_eq!(past.total, 0);
    let far: Page<AuditLine> =
        c.county.get(c.app.api("/county/audit?page=999")).send().await.expect("sent").json().await.expect("a page");
    assert!(far.items.is_empty());
    let bad = c.county.get(c.app.api("/county/audit?bogus=1")).send().await.expect("sent");
    expect_error(bad, StatusCode::BAD_REQUEST, "bad_query").await;
    let bad = c.county.get(c.app.api("/county/audit?from=yesterday")).send().await.expect("sent");
    expect_error(bad, StatusCode::BAD_REQUEST, "bad_query").await;
    // Hostile query strings: a 4xx or a page, never a 5xx.
    let long = "x".repeat(10_000);
    for query in [
        "page=-1",
        "page=0",
        "page=4294967295",
        "page=99999999999",
        "from=2026-13-01",
        "to=2026-02-30",
        "actor=%FF%FE",
        "actor=&action=",
        "page=1&page=2",
        &format!("action={long}"),
    ] {
        let response = c.county.get(c.app.api(&format!("/county/audit?{query}"))).send().await.expect("sent");
        let status = response.status();
        assert!(status == StatusCode::OK || status.is_client_error(), "{query}: {status}");
    }
}

#[tokio::test]
async fn the_county_invites_a_supervisor_of_any_township() {
    let c = county().await;
    let made = c
        .county
        .post(c.app.api("/invites"))
        .json(&json!({"role": "supervisor", "township": "新桥镇"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: serde_json::Value = made.json().await.expect("an invite");
    let code = made["code"].as_str().expect("a code");
    let enrolled = crate::common::enroll_over_http(&c.app.url, code, "孙督导").await;
    assert_eq!(enrolled.worker.place, place("新桥镇", ""));
    assert_eq!(enrolled.worker.role, Role::Supervisor);
    let director = c
        .county
        .post(c.app.api("/invites"))
        .json(&json!({"role": "director", "township": "新桥镇", "village": "东村"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(director.status(), StatusCode::CREATED);
    let nameless =
        c.county.post(c.app.api("/invites")).json(&json!({"role": "supervisor"})).send().await.expect("sent");
    let body = expect_error(nameless, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert!(body.fields.get("township").is_some(), "{body:?}");
    // She lists every township's invites; a supervisor hers only.
    let listed: Vec<InviteListing> =
        c.county.get(c.app.api("/invites")).send().await.expect("sent").json().await.expect("invites");
    let townships: std::collections::BTreeSet<&str> = listed.iter().map(|i| i.township.as_str()).collect();
    assert!(townships.contains("新桥镇") && townships.contains(c.township.as_str()), "{townships:?}");
    let hers: Vec<InviteListing> =
        c.supervisor.get(c.app.api("/invites")).send().await.expect("sent").json().await.expect("invites");
    assert!(hers.iter().all(|i| i.township == "白沙镇"));
}

#[tokio::test]
async fn a_supervisor_and_a_director_are_refused_every_county_route() {
    let c = county().await;
    for path in ["/county/today", "/county/statistics", "/county/statistics.xlsx", "/county/audit"] {
        for caller in [&c.supervisor, &c.app.client] {
            let response = caller.get(c.app.api(path)).send().await.expect("sent");
            expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
        let response = Client::new().get(c.app.api(path)).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // The county sends nothing, and is no supervisor.
    let sent = c.county.put(c.app.api(&format!("/children/{}", child().id))).json(&child()).send().await.expect("sent");
    expect_error(sent, StatusCode::FORBIDDEN, "forbidden").await;
    let today = c.county.get(c.app.api("/today")).send().await.expect("sent");
    expect_error(today, StatusCode::FORBIDDEN, "forbidden").await;
    let pool = c.app.pool().await;
    let refused =
        audit::entries(&pool).await.expect("audit").into_iter().filter(|e| e.action == audit::FORBIDDEN).count();
    assert!(refused >= 8, "each refusal written down: {refused}");
    let _ = spawn_app;
}
