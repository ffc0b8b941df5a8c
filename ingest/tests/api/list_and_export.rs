//! A supervisor's list and her export with the same filter find the same records: both are
//! the reading module's one selection (the export is the list without a page). Where the
//! two used to disagree, the test says which rule won.

use chrono::{Days, NaiveDate, Utc};
use reqwest::{Client, StatusCode};
use tongxing_core::child::Child;
use tongxing_core::export::{ExportFormat, ExportQuery};
use tongxing_core::form::AnswerValue;
use tongxing_core::record_filter::RecordFilter;
use tongxing_core::supervision::TownshipRequest;
use tongxing_core::wire::Page;
use tongxing_core::wire::{ChildListing, ListFilter, VisitListing};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{RecordKind, RiskColour, Visit};
use uuid::Uuid;

use crate::common::{child, expect_error, spawn_app, visit, TestApp};

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

fn days_ago(days: u64) -> NaiveDate {
    Utc::now().date_naive().checked_sub_days(Days::new(days)).expect("a date")
}

/// A visit to `child` `days` ago, rated `colour`.
fn visit_to(child: Uuid, days: u64, colour: RiskColour) -> Visit {
    let mut v = Visit { child_id: child, ..visit() };
    v.answers.set("visit_date", AnswerValue::Text(days_ago(days).to_string()));
    v.answers.set("risk_colour", AnswerValue::Text(colour.code().to_owned()));
    v.answers.set("risk_colour_reason", AnswerValue::Text("祖父母年迈，学习跟不上".to_owned()));
    v
}

async fn put(app: &TestApp, client: &Client, child: Option<&Child>, visits: &[&Visit]) {
    if let Some(child) = child {
        let sent = client.put(app.api(&format!("/children/{}", child.id))).json(child).send().await.expect("sent");
        assert!(sent.status().is_success(), "{}", sent.status());
    }
    for v in visits {
        let sent = client.put(app.api(&format!("/visits/{}", v.id))).json(v).send().await.expect("sent");
        assert!(sent.status().is_success(), "{}: {}", sent.status(), sent.text().await.unwrap_or_default());
    }
}

/// Every page of a list, as the app reads it: the ids, in the list's order.
async fn listed<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    supervisor: &Client,
    kind: RecordKind,
    records: &RecordFilter,
    id: impl Fn(&T) -> Uuid,
) -> Vec<Uuid> {
    let mut ids = Vec::new();
    for number in 1.. {
        let filter = ListFilter { page: Some(number), per_page: Some(2), ..ListFilter::of(records.clone()) };
        let path = TownshipRequest::List { kind, filter }.path();
        let response = supervisor.get(format!("{}{path}", app.url)).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page: Page<T> = response.json().await.expect("a page");
        ids.extend(page.items.iter().map(&id));
        if page.items.len() < 2 {
            break;
        }
    }
    ids
}

/// The ids an export of JSON holds.
async fn exported(app: &TestApp, supervisor: &Client, kind: RecordKind, records: &RecordFilter) -> Vec<Uuid> {
    let query = ExportQuery::new(ExportFormat::Json, records.clone());
    let path = TownshipRequest::Export { kind, query }.path();
    let response = supervisor.get(format!("{}{path}", app.url)).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let records: Vec<serde_json::Value> = response.json().await.expect("a JSON array");
    records.iter().map(|record| record["id"].as_str().and_then(|id| id.parse().ok()).expect("an id")).collect()
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_list_and_an_export_with_the_same_filter_find_the_same_records() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (next_door, _) = app.enroll_as(Role::Director, place(&here.township, "杏花村"), "赵敏").await;
    let (elsewhere, _) = app.enroll_as(Role::Director, place("白沙镇", "桃源村"), "孙丽").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;

    // Ours: red last week after yellow a month ago; green; never visited.
    let (a, b, never) = (
        Child { name: "小明".into(), ..child() },
        Child { name: "小红".into(), ..child() },
        Child { name: "小刚".into(), ..child() },
    );
    let (a_old, a_new) = (visit_to(a.id, 30, RiskColour::Yellow), visit_to(a.id, 7, RiskColour::Red));
    put(&app, &app.client, Some(&a), &[&a_old, &a_new]).await;
    let b_visit = visit_to(b.id, 14, RiskColour::Green);
    put(&app, &next_door, Some(&b), &[&b_visit]).await;
    put(&app, &app.client, Some(&never), &[]).await;
    // A child known here only by a visit, and another township's child.
    let unfiled = visit_to(Uuid::new_v4(), 3, RiskColour::Blue);
    put(&app, &app.client, None, &[&unfiled]).await;
    let theirs = Child { name: "小强".into(), ..child() };
    put(&app, &elsewhere, Some(&theirs), &[&visit_to(theirs.id, 2, RiskColour::Red)]).await;

    let filters = [
        RecordFilter::default(),
        RecordFilter { village: Some(here.village.clone()), ..RecordFilter::default() },
        RecordFilter { village: Some("杏花村".into()), ..RecordFilter::default() },
        RecordFilter { colour: Some(RiskColour::Red), ..RecordFilter::default() },
        RecordFilter { colour: Some(RiskColour::Yellow), ..RecordFilter::default() },
        RecordFilter { from: Some(days_ago(10)), ..RecordFilter::default() },
        RecordFilter { from: Some(days_ago(20)), to: Some(days_ago(10)), ..RecordFilter::default() },
        RecordFilter {
            village: Some(here.village.clone()),
            colour: Some(RiskColour::Yellow),
            to: Some(days_ago(20)),
            ..RecordFilter::default()
        },
    ];
    for records in &filters {
        let children = listed(&app, &supervisor, RecordKind::Child, records, |l: &ChildListing| l.id).await;
        assert_eq!(
            sorted(children.clone()),
            sorted(exported(&app, &supervisor, RecordKind::Child, records).await),
            "children, {records}"
        );
        let visits = listed(&app, &supervisor, RecordKind::Visit, records, |l: &VisitListing| l.id).await;
        assert_eq!(
            sorted(visits.clone()),
            sorted(exported(&app, &supervisor, RecordKind::Visit, records).await),
            "visits, {records}"
        );
        assert!(!children.contains(&theirs.id), "never another township's");
    }

    // What each filter finds, so that the agreement above is not of two empty lists.
    let ids = |records: RecordFilter| {
        let (app, supervisor) = (&app, &supervisor);
        async move { sorted(listed(app, supervisor, RecordKind::Child, &records, |l: &ChildListing| l.id).await) }
    };
    assert_eq!(ids(RecordFilter::default()).await, sorted(vec![a.id, b.id, never.id]));
    // A child's colour and dates are its latest visit's: red, not last month's yellow.
    assert_eq!(ids(RecordFilter { colour: Some(RiskColour::Red), ..RecordFilter::default() }).await, [a.id]);
    assert_eq!(
        ids(RecordFilter { colour: Some(RiskColour::Yellow), ..RecordFilter::default() }).await,
        Vec::<Uuid>::new()
    );
    let visits = listed(&app, &supervisor, RecordKind::Visit, &RecordFilter::default(), |l: &VisitListing| l.id).await;
    assert_eq!(visits, [unfiled.id, a_new.id, b_visit.id, a_old.id], "the latest visit first");
    let page: Page<VisitListing> =
        supervisor.get(app.api("/visits")).send().await.expect("sent").json().await.expect("a page");
    let names: Vec<Option<&str>> = page.items.iter().map(|l| l.child_name.as_deref()).collect();
    assert_eq!(
        names,
        [None, Some("小明"), Some("小红"), Some("小明")],
        "each visit names its child when the file is here"
    );
}

#[tokio::test]
async fn a_child_the_server_knows_only_by_a_visit_is_neither_read_nor_archived_by_a_supervisor() {
    let app = spawn_app().await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let unfiled = visit_to(Uuid::new_v4(), 3, RiskColour::Blue);
    put(&app, &app.client, None, &[&unfiled]).await;
    // The file call and the archive agree: the child's place is its file's.
    for path in [format!("/children/{}", unfiled.child_id), format!("/children/{}/archive", unfiled.child_id)] {
        let response = supervisor.get(app.api(&path)).send().await.expect("sent");
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Its visit is in her lists all the same.
    let page: Page<VisitListing> =
        supervisor.get(app.api("/visits")).send().await.expect("sent").json().await.expect("a page");
    assert_eq!(page.items.iter().map(|l| l.id).collect::<Vec<_>>(), [unfiled.id]);
}

#[test]
fn the_app_s_queries_read_back_through_the_server_s_own_extractor() {
    use axum::extract::Query;
    let records = RecordFilter {
        village: Some("东 村&colour=green+1".into()),
        colour: Some(RiskColour::Red),
        from: NaiveDate::from_ymd_opt(2026, 11, 1),
        to: NaiveDate::from_ymd_opt(2026, 11, 30),
    };
    for format in ExportFormat::ALL {
        let query = ExportQuery::new(format, records.clone());
        let path = TownshipRequest::Export { kind: RecordKind::Child, query: query.clone() }.path();
        let uri: axum::http::Uri = path.parse().expect("a URI");
        let Query(read) = Query::<ExportQuery>::try_from_uri(&uri).expect("read");
        assert_eq!(read, query, "{path}");
    }
    let filter = ListFilter { page: Some(3), per_page: Some(20), ..ListFilter::of(records) };
    let path = TownshipRequest::List { kind: RecordKind::Visit, filter: filter.clone() }.path();
    let Query(read) = Query::<ListFilter>::try_from_uri(&path.parse().expect("a URI")).expect("read");
    assert_eq!(read, filter);
    // What the server refuses: a parameter nobody reads, a page of an export.
    let Query(read) =
        Query::<ListFilter>::try_from_uri(&"/api/v1/visits?sort=name".parse().expect("a URI")).expect("read");
    assert!(!read.unknown.is_empty());
    let Query(read) =
        Query::<ExportQuery>::try_from_uri(&"/api/v1/exports/visits?page=2".parse().expect("a URI")).expect("read");
    assert!(!read.unknown.is_empty());
}
