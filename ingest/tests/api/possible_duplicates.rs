//! One child, not two: files of a township that may be of one child are flagged as they are
//! stored and listed for the supervisor (`GET /api/v1/duplicates`), and a corrected file
//! leaves the list.

use crate::common;

use common::{child, expect_error, revised_child, spawn_app};
use reqwest::{Client, StatusCode};
use tongxing_core::child::{Child, DuplicateReason};
use tongxing_core::wire::PossibleDuplicate;
use tongxing_core::worker::{Place, Role};

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

async fn send(app: &common::TestApp, client: &Client, child: &Child) {
    let response = client.put(app.api(&format!("/children/{}", child.id))).json(child).send().await.expect("sent");
    assert!(response.status().is_success(), "{} stored: {}", child.name, response.status());
}

async fn listed(app: &common::TestApp, supervisor: &Client) -> Vec<PossibleDuplicate> {
    let response = supervisor.get(app.api("/duplicates")).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("pairs")
}

#[tokio::test]
async fn files_that_may_be_of_one_child_are_flagged_for_the_supervisor() {
    let app = spawn_app().await;
    let here = app.director.place.clone();
    let (river, _) = app.enroll_as(Role::Director, place(&here.township, "河口村"), "王兰").await;
    let (elsewhere, _) = app.enroll_as(Role::Director, place("柳林镇", "柳林村"), "赵敏").await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&here.township, ""), "王督导").await;
    assert!(listed(&app, &supervisor).await.is_empty());

    // The same child registered in two villages of the township, and once in another township.
    let ours = child();
    send(&app, &app.client, &ours).await;
    let theirs = Child { name: "王晓明".into(), village: "河口村".into(), ..child() };
    send(&app, &river, &theirs).await;
    send(&app, &elsewhere, &Child { village: "柳林村".into(), ..child() }).await;
    // A second file of the same name, birth date and village, without an ID number.
    let again = Child { id_number: None, ..child() };
    send(&app, &app.client, &again).await;
    // A child of another name, birth date and number: no one's duplicate.
    send(&app, &app.client, &Child { name: "李小红".into(), id_number: None, ..child() }).await;

    let pairs = listed(&app, &supervisor).await;
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    let by_number = pairs.iter().find(|p| p.reason == DuplicateReason::SameIdNumber).expect("by number");
    let mut ids = [by_number.first.id, by_number.second.id];
    ids.sort();
    let mut expected = [ours.id, theirs.id];
    expected.sort();
    assert_eq!(ids, expected, "only within the township");
    let registered: Vec<Option<&str>> =
        [&by_number.first, &by_number.second].iter().map(|f| f.registered_by.as_deref()).collect();
    assert!(registered.contains(&Some("王兰")) && registered.contains(&Some(app.director.name.as_str())));
    let by_name = pairs.iter().find(|p| p.reason == DuplicateReason::SameNameBirthDateVillage).expect("by name");
    assert!([by_name.first.id, by_name.second.id].contains(&again.id));

    // The river village's director corrects the number: that pair leaves the list.
    let corrected =
        Child { id_number: Some("110105201603140023".into()), ..revised_child(&theirs, "身份证号已核对") };
    send(&app, &river, &corrected).await;
    let pairs = listed(&app, &supervisor).await;
    assert_eq!(pairs.iter().map(|p| p.reason).collect::<Vec<_>>(), [DuplicateReason::SameNameBirthDateVillage]);

    // Workers' phones do not read the township's list.
    let response = app.client.get(app.api("/duplicates")).send().await.expect("sent");
    expect_error(response, StatusCode::FORBIDDEN, "forbidden").await;
}
