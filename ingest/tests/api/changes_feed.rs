//! The changes feed (`GET /api/v1/changes`) on a real port: who receives what (a director her
//! village, a love mother the children paired with her, a supervisor nothing), each record
//! once at its latest change, cursors across pages, and pairings set and ended.

use crate::common;

use chrono::{DateTime, FixedOffset, Utc};
use common::{child, expect_error, revised_child, spawn_app, visit};
use reqwest::{Client, StatusCode};
use tongxing_core::child::Child;
use tongxing_core::pairing::Pairing;
use tongxing_core::schedule::VisitSummary;
use tongxing_core::wire::{ChangesPage, VillageWorker};
use tongxing_core::worker::{Place, Role};
use tongxing_core::{FieldError, Visit};
use tongxing_ingest::store::audit;
use uuid::Uuid;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().fixed_offset()
}

async fn put<T: serde::Serialize>(app: &common::TestApp, client: &Client, path: String, body: &T) -> StatusCode {
    client.put(app.api(&path)).json(body).send().await.expect("sent").status()
}

/// Sends a child's file named `name` with `client`, and a visit to it when `visited`.
async fn send_child(app: &common::TestApp, client: &Client, name: &str, visited: bool) -> (Child, Option<Visit>) {
    let child = Child { name: name.into(), ..child() };
    assert_eq!(put(app, client, format!("/children/{}", child.id), &child).await, StatusCode::CREATED, "{name}");
    if !visited {
        return (child, None);
    }
    let visit = Visit { child_id: child.id, ..visit() };
    assert_eq!(put(app, client, format!("/visits/{}", visit.id), &visit).await, StatusCode::CREATED, "{name}'s visit");
    (child, Some(visit))
}

async fn page(app: &common::TestApp, client: &Client, query: &str) -> ChangesPage {
    let response = client.get(app.api(&format!("/changes{query}"))).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json().await.expect("a page of changes")
}

/// Every page from `after` on, of `limit` changes each, and the last cursor.
async fn all_after(app: &common::TestApp, client: &Client, after: u64, limit: u32) -> (Vec<ChangesPage>, u64) {
    let (mut pages, mut cursor) = (Vec::new(), after);
    loop {
        let got = page(app, client, &format!("?after={cursor}&limit={limit}")).await;
        assert!(got.len() <= limit as usize);
        cursor = got.next;
        let more = got.more;
        pages.push(got);
        if !more {
            return (pages, cursor);
        }
    }
}

fn child_names(page: &ChangesPage) -> Vec<String> {
    page.children.iter().map(|child| child.name.clone()).collect()
}

fn pairing(child: &Child, worker: Uuid) -> Pairing {
    Pairing { id: Uuid::new_v4(), child_id: child.id, worker_id: worker, active: true, revision: 1, updated_at: now() }
}

#[tokio::test]
async fn a_director_receives_her_village_each_record_once_at_its_latest() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (next_door, _) = app.enroll_as(Role::Director, place(&here.township, "杏花村"), "赵敏").await;

    let (ours, our_visit) = send_child(&app, &app.client, "小明", true).await;
    let (_, _) = send_child(&app, &next_door, "小红", true).await;

    let first = page(&app, &app.client, "").await;
    assert!(!first.more);
    assert_eq!(child_names(&first), ["小明"], "her village only");
    assert_eq!(first.children, std::slice::from_ref(&ours));
    let made_by = |visit: &Option<Visit>, name: &str| VisitSummary {
        visitor: Some(name.to_owned()),
        ..VisitSummary::of(visit.as_ref().expect("visited"))
    };
    assert_eq!(first.visits, [made_by(&our_visit, &app.director.name)], "a summary and who made it, never the answers");
    assert!(first.pairings.is_empty());
    let who = |page: &ChangesPage| page.registrants.iter().map(|r| (r.child_id, r.name.clone())).collect::<Vec<_>>();
    assert_eq!(who(&first), [(ours.id, app.director.name.clone())], "who registered the file");
    assert_eq!(child_names(&page(&app, &next_door, "").await), ["小红"]);

    // Nothing new: an empty page that keeps the cursor, and no audit row for it.
    let idle = page(&app, &app.client, &format!("?after={}", first.next)).await;
    assert_eq!((idle.len(), idle.next, idle.more), (0, first.next, false));

    // A new revision moves the file to the end: once, as it now stands.
    let revised = revised_child(&ours, "搬到奶奶家");
    assert_eq!(put(&app, &app.client, format!("/children/{}", ours.id), &revised).await, StatusCode::OK);
    let since = page(&app, &app.client, &format!("?after={}", first.next)).await;
    assert_eq!((since.children.as_slice(), since.len()), (std::slice::from_ref(&revised), 1));
    assert_eq!(who(&since), [(ours.id, app.director.name.clone())], "still her, the file's first sender");
    assert!(since.next > first.next);
    // From the start, a change a page: the visit first, then the file at its new place.
    let (pages, _) = all_after(&app, &app.client, 0, 1).await;
    assert_eq!(pages.len(), 2, "each record once");
    assert_eq!(pages[0].visits.len(), 1);
    assert_eq!(pages[1].children, [revised]);

    let reads: Vec<_> = audit::entries(&app.pool().await)
        .await
        .expect("audit read")
        .into_iter()
        .filter(|entry| entry.action == audit::READ_CHANGES && entry.device_id == Some(app.director.id.to_string()))
        .collect();
    assert_eq!(reads.len(), 4, "one row per page that carried records: {reads:?}");
    assert_eq!(reads[0].subject, "after 0: 1 files, 1 visits, 0 pairings, 0 case plans");
}

#[tokio::test]
async fn pages_resume_from_their_cursor_without_loss_or_repeat() {
    let app = spawn_app().await;
    let names = ["一", "二", "三", "四", "五"];
    for name in names {
        send_child(&app, &app.client, name, false).await;
    }
    let first = page(&app, &app.client, "?limit=2").await;
    assert_eq!((child_names(&first), first.more), (vec!["一".to_owned(), "二".to_owned()], true));
    // The same cursor again (an answer lost on a cut link) gives the same page.
    let again = page(&app, &app.client, "?limit=2").await;
    assert_eq!(again, first);
    let (rest, end) = all_after(&app, &app.client, first.next, 2).await;
    let names: Vec<String> = rest.iter().flat_map(child_names).collect();
    assert_eq!(names, ["三", "四", "五"]);
    assert!(end > first.next);
    assert_eq!(page(&app, &app.client, &format!("?after={end}")).await.len(), 0, "nothing after the last");

    // Compressed as the phone allows, and the same page once decompressed.
    let response =
        app.client.get(app.api("/changes?limit=2")).header("Accept-Encoding", "gzip").send().await.expect("sent");
    assert_eq!(response.headers().get("content-encoding").map(|v| v.to_str().unwrap_or("")), Some("gzip"));
    let mut json = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&response.bytes().await.expect("body")[..]),
        &mut json,
    )
    .expect("gzip");
    assert_eq!(serde_json::from_str::<ChangesPage>(&json).expect("a page"), first);

    for (query, status, code) in [
        ("?limit=0", StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ("?limit=501", StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ("?since=3", StatusCode::BAD_REQUEST, "bad_query"),
        ("?after=-1", StatusCode::BAD_REQUEST, "bad_query"),
        ("?after=abc", StatusCode::BAD_REQUEST, "bad_query"),
    ] {
        let response = app.client.get(app.api(&format!("/changes{query}"))).send().await.expect("sent");
        let body = expect_error(response, status, code).await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(body.fields.get("limit"), Some(&FieldError::OutOfRange), "{query}");
        }
    }
}

#[tokio::test]
async fn a_love_mother_receives_only_the_children_paired_with_her() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (mother, mother_worker) = app.enroll_as(Role::LoveMother, here.clone(), "张爱华").await;
    let (other_mother, _) = app.enroll_as(Role::LoveMother, here.clone(), "陈秀兰").await;
    let (_, elsewhere_mother) = app.enroll_as(Role::LoveMother, place(&here.township, "杏花村"), "周芳").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;

    let (paired, paired_visit) = send_child(&app, &app.client, "小明", true).await;
    send_child(&app, &app.client, "小军", true).await;
    assert!(page(&app, &mother, "").await.is_empty(), "nothing before a pairing");

    let pairing = pairing(&paired, mother_worker.id);
    assert_eq!(put(&app, &app.client, format!("/pairings/{}", pairing.id), &pairing).await, StatusCode::CREATED);
    let got = page(&app, &mother, "").await;
    assert_eq!(child_names(&got), ["小明"]);
    let made_by = VisitSummary {
        visitor: Some(app.director.name.clone()),
        ..VisitSummary::of(paired_visit.as_ref().expect("visited"))
    };
    assert_eq!(got.visits, [made_by]);
    assert_eq!(got.pairings, std::slice::from_ref(&pairing));
    assert!(page(&app, &other_mother, "").await.is_empty(), "another love mother of the village");
    let director_sees = page(&app, &app.client, "").await;
    // Pairing sent 小明's file again after 小军's: the director holds both, once each.
    assert_eq!(child_names(&director_sees), ["小军", "小明"]);
    assert_eq!(director_sees.pairings.len(), 1);
    let named = VillageWorker { id: mother_worker.id, name: "张爱华".into(), role: Role::LoveMother };
    assert_eq!(director_sees.paired_workers, std::slice::from_ref(&named), "whom the pairing names");
    assert_eq!(got.paired_workers, [named]);

    // Ended: her phone hears of it, then hears nothing more of the child.
    let ended = Pairing { active: false, revision: 2, updated_at: now(), ..pairing.clone() };
    assert_eq!(put(&app, &app.client, format!("/pairings/{}", pairing.id), &ended).await, StatusCode::OK);
    let after_end = page(&app, &mother, &format!("?after={}", got.next)).await;
    assert_eq!((after_end.len(), after_end.pairings.first().map(|p| p.active)), (1, Some(false)));
    let revised = revised_child(&paired, "转学");
    assert_eq!(put(&app, &app.client, format!("/children/{}", paired.id), &revised).await, StatusCode::OK);
    assert!(page(&app, &mother, &format!("?after={}", after_end.next)).await.is_empty());

    // Who may pair whom; who gets a feed.
    let stranger = self::pairing(&paired, elsewhere_mother.id);
    let response =
        app.client.put(app.api(&format!("/pairings/{}", stranger.id))).json(&stranger).send().await.expect("sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("worker_id"), Some(&FieldError::NotAChoice), "a love mother of another village");
    let by_mother = self::pairing(&paired, mother_worker.id);
    let response =
        mother.put(app.api(&format!("/pairings/{}", by_mother.id))).json(&by_mother).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    let response = supervisor.get(app.api("/changes")).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn a_visit_is_read_whole_only_by_a_phone_that_receives_it_and_every_read_is_audited() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (mother, mother_worker) = app.enroll_as(Role::LoveMother, here.clone(), "张爱华").await;
    let (next_door, _) = app.enroll_as(Role::Director, place(&here.township, "杏花村"), "赵敏").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    let (paired, paired_visit) = send_child(&app, &app.client, "小明", true).await;
    let paired_visit = paired_visit.expect("visited");
    let read = |client: &Client, id: Uuid| client.get(app.api(&format!("/visits/{id}"))).send();

    // Her director reads it whole; the phone of the next village and a love mother not
    // paired with the child are told it does not exist, as for a visit that does not.
    let whole = read(&app.client, paired_visit.id).await.expect("sent");
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.json::<Visit>().await.expect("a visit"), paired_visit);
    for (who, client, id) in [
        ("next village", &next_door, paired_visit.id),
        ("unpaired love mother", &mother, paired_visit.id),
        ("no such visit", &app.client, Uuid::new_v4()),
    ] {
        let response = read(client, id).await.expect("sent");
        let body = expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
        assert!(body.fields.is_empty(), "{who}");
    }
    expect_error(read(&supervisor, paired_visit.id).await.expect("sent"), StatusCode::FORBIDDEN, "forbidden").await;
    let response = app.client.get(app.api("/visits/not-a-uuid")).send().await.expect("sent");
    expect_error(response, StatusCode::BAD_REQUEST, "bad_id").await;

    // Paired, she reads it; the pairing ended, she no longer does.
    let pairing = pairing(&paired, mother_worker.id);
    assert_eq!(put(&app, &app.client, format!("/pairings/{}", pairing.id), &pairing).await, StatusCode::CREATED);
    assert_eq!(read(&mother, paired_visit.id).await.expect("sent").status(), StatusCode::OK);
    let ended = Pairing { active: false, revision: 2, updated_at: now(), ..pairing };
    assert_eq!(put(&app, &app.client, format!("/pairings/{}", ended.id), &ended).await, StatusCode::OK);
    expect_error(read(&mother, paired_visit.id).await.expect("sent"), StatusCode::NOT_FOUND, "not_found").await;

    let entries = audit::entries(&app.pool().await).await.expect("audit read");
    let reads: Vec<_> = entries.iter().filter(|e| e.action == audit::READ_VISIT).collect();
    assert_eq!(reads.len(), 2, "the director's read and the paired love mother's: {reads:?}");
    assert!(reads
        .iter()
        .all(|e| e.subject == paired_visit.id.to_string() && e.child_id == Some(paired.id.to_string())));
    let refused = entries.iter().filter(|e| e.action == audit::READ_REFUSED).count();
    assert_eq!(refused, 4, "next village, unpaired, no such visit, ended pairing");
}
