//! The supervisor's "today" (`GET /api/v1/today`) on a real port, against a township built by
//! hand: coverage per village (the village behind first), overdue children including one
//! never visited, red children, mandatory reports, files waiting, silent phones; the same
//! red children as her list filtered by colour; nothing of another township; audited.

use crate::common;

use chrono::{Datelike, Days, Duration, Utc};
use common::{child, expect_error, spawn_app, visit};
use reqwest::{Client, StatusCode};
use tongxing_core::child::Child;
use tongxing_core::form::AnswerValue;
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::supervision::TownshipRequest;
use tongxing_core::wire::{ChildListing, ListFilter, Page, TownshipToday, VillageCoverage};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{RecordKind, RiskColour, Visit};
use tongxing_ingest::export::china_time;
use tongxing_ingest::store::audit;
use uuid::Uuid;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

/// A visit to `child` on `date`, rated `colour`; with harm found and reported when `harm`.
pub(crate) fn visit_on(child: Uuid, date: chrono::NaiveDate, colour: RiskColour, harm: bool) -> Visit {
    let mut v = Visit { child_id: child, ..visit() };
    let text = |t: &str| AnswerValue::Text(t.to_owned());
    v.answers.set("visit_date", text(&date.to_string()));
    v.answers.set("next_visit_date", text(&date.checked_add_days(Days::new(30)).expect("a date").to_string()));
    v.answers.set("risk_colour", text(colour.code()));
    v.answers.set("risk_colour_reason", text("祖父母年迈，学习跟不上"));
    if harm {
        v.answers.set("harm_signs", AnswerValue::Bool(true));
        v.answers.set("harm_details", text("手臂有多处淤青，孩子说是被打的"));
        v.answers.set("mandatory_report_made", AnswerValue::Bool(true));
        v.answers.set("mandatory_report_date", text(&date.to_string()));
        v.answers.set("mandatory_report_to", text("城关派出所"));
    }
    v
}

pub(crate) async fn send(app: &common::TestApp, client: &Client, child: &Child, visits: &[Visit]) {
    let sent = client.put(app.api(&format!("/children/{}", child.id))).json(child).send().await.expect("sent");
    assert!(sent.status().is_success(), "{}", sent.status());
    for v in visits {
        let sent = client.put(app.api(&format!("/visits/{}", v.id))).json(v).send().await.expect("sent");
        assert!(sent.status().is_success(), "{}: {}", sent.status(), sent.text().await.unwrap_or_default());
    }
}

#[tokio::test]
async fn her_township_today_from_hand_built_figures() {
    let app = spawn_app().await;
    let township = app.director.place.township.clone();
    let (apricot, apricot_worker) = app.enroll_as(Role::Director, place(&township, "杏花村"), "王兰").await;
    let (elsewhere, _) = app.enroll_as(Role::Director, place("柳林镇", "柳林村"), "赵敏").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&township, ""), "王督导").await;
    let (other_supervisor, _) = app.enroll_as(Role::Supervisor, place("柳林镇", ""), "周督导").await;

    let today = china_time(&Utc::now()).date_naive();
    let days_ago = |n: u64| today.checked_sub_days(Days::new(n)).expect("a date");
    // The first of this month is visited "this month" whatever today is.
    let this_month = today.with_day0(0).expect("the first");

    // The director's village: 甲 and 乙 with one ID number (a pair that may be one child); one visited this month, one last visited 70 days ago
    // (its next date long past), one never visited.
    let visited = Child { name: "甲".into(), ..child() };
    let late = Child { name: "乙".into(), ..child() };
    let never = Child { name: "丙".into(), id_number: None, ..child() };
    send(&app, &app.client, &visited, &[visit_on(visited.id, this_month, RiskColour::Green, false)]).await;
    send(&app, &app.client, &late, &[visit_on(late.id, days_ago(70), RiskColour::Yellow, false)]).await;
    send(&app, &app.client, &never, &[]).await;
    // 杏花村: one child, red, harm found and reported this month.
    let red = Child { name: "丁".into(), village: "杏花村".into(), id_number: None, ..child() };
    let report = visit_on(red.id, this_month, RiskColour::Red, true);
    send(&app, &apricot, &red, std::slice::from_ref(&report)).await;
    // Another township's red child and report: never hers.
    let theirs = Child { name: "戊".into(), village: "柳林村".into(), ..child() };
    send(&app, &elsewhere, &theirs, &[visit_on(theirs.id, this_month, RiskColour::Red, true)]).await;
    // 杏花村's director has not been seen for three weeks.
    let pool = app.pool().await;
    sqlx::query("UPDATE devices SET last_seen_at = $1, enrolled_at = $2 WHERE id = $3")
        .bind((Utc::now() - Duration::days(21)).to_rfc3339())
        .bind((Utc::now() - Duration::days(30)).to_rfc3339())
        .bind(apricot_worker.id.to_string())
        .execute(&pool)
        .await
        .expect("a silent phone");

    let response = supervisor.get(app.api("/today")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers().get(reqwest::header::CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-store"[..]));
    let got: TownshipToday = response.json().await.expect("today");
    assert_eq!(got.today, today);
    assert_eq!(
        got.coverage,
        [
            VillageCoverage { village: app.director.place.village.clone(), visited: 1, total: 3 },
            VillageCoverage { village: "杏花村".into(), visited: 1, total: 1 },
        ]
    );
    let names = |lines: &[tongxing_core::wire::TodayChild]| lines.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got.overdue), ["丙", "乙"], "never visited first, then the oldest due");
    assert_eq!((got.overdue[0].last_visit, got.overdue[1].last_visit), (None, Some(days_ago(70))));
    assert_eq!(names(&got.red), ["丁"]);
    assert_eq!(got.red[0].village, "杏花村");
    assert_eq!(got.reports.len(), 1);
    assert_eq!((got.reports[0].visit_id, got.reports[0].name.as_deref()), (report.id, Some("丁")));
    assert_eq!((got.to_reconcile, got.possible_duplicates), (0, 1));
    assert_eq!(got.silent_phones.iter().map(|p| p.id).collect::<Vec<_>>(), [apricot_worker.id]);

    // The same red children as her list with the same filter.
    let filter = ListFilter::of(RecordFilter { colour: Some(RiskColour::Red), ..RecordFilter::default() });
    let path = TownshipRequest::List { kind: RecordKind::Child, filter }.path();
    let listed: Page<ChildListing> =
        supervisor.get(format!("{}{path}", app.url)).send().await.expect("sent").json().await.expect("list");
    assert_eq!(
        listed.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        got.red.iter().map(|c| c.child_id).collect::<Vec<_>>()
    );

    // Another township's supervisor sees only hers; a director is refused.
    let theirs_today: TownshipToday =
        other_supervisor.get(app.api("/today")).send().await.expect("sent").json().await.expect("today");
    assert_eq!(names(&theirs_today.red), ["戊"]);
    assert!(theirs_today.overdue.is_empty());
    expect_error(app.client.get(app.api("/today")).send().await.expect("sent"), StatusCode::FORBIDDEN, "forbidden")
        .await;

    let entries = audit::entries(&pool).await.expect("audit");
    assert_eq!(entries.iter().filter(|e| e.action == audit::READ_TODAY).count(), 2);
}
