//! The escape hatch: the county's key (`GET /api/v1/county`), and `tongxing-ingest import` of a phone's
//! unsent-records file (core's `unsent_file`), run as the binary beside the running server,
//! storing each record and photo once however often the file comes.

use crate::common;

use chrono::Utc;
use common::photos::{hash_of, jpeg_with, with_photos};
use common::{child, cli, spawn_app, visit, TestApp};
use reqwest::StatusCode;
use tongxing_core::outbox::OutboundRecord;
use tongxing_core::unsent_file::{CountyKey, CountySecret, UnsentFileWriter, UnsentItem};
use tongxing_core::wire::{CountyPolicy, UnsentFileReply};
use tongxing_core::Role;
use uuid::Uuid;

impl TestApp {
    /// The county's key, from `GET /api/v1/county` as the director's phone.
    async fn county_key(&self) -> CountyKey {
        let response = self.client.get(self.api("/county")).send().await.expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<CountyPolicy>().await.expect("the county's policy").key
    }

    /// `items` written as the phone `device` holding `token` writes them, sealed to `key`,
    /// into a file of the data directory's parent; its path.
    fn unsent_file(&self, key: &CountyKey, device: Uuid, token: &str, items: &[UnsentItem], name: &str) -> String {
        let records = items.iter().filter(|item| matches!(item, UnsentItem::Record(_))).count() as u32;
        let photos = items.len() as u32 - records;
        let (mut writer, mut file) =
            UnsentFileWriter::start(key, device, token, Utc::now(), (records, photos), &mut rand::rng())
                .expect("started");
        for item in items {
            file.extend(writer.add(item).expect("added"));
        }
        let path = self.data.path().join(name);
        std::fs::write(&path, file).expect("written");
        path.to_string_lossy().into_owned()
    }

    /// `tongxing-ingest import <file>` on this server's data directory: whether it
    /// succeeded, and what it printed.
    fn import(&self, file: &str) -> (bool, String) {
        let output = cli(self.data.path(), &["import", file]);
        let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.success(), said)
    }
}

/// A child's file, two photos and a visit that names them: what a phone left unsent.
fn unsent_work() -> Vec<UnsentItem> {
    let (first, second) = (jpeg_with(b"first"), jpeg_with(b"second"));
    let visit = with_photos(&visit(), &[&first, &second]);
    vec![
        UnsentItem::Photo { hash: hash_of(&first), bytes: first },
        UnsentItem::Photo { hash: hash_of(&second), bytes: second },
        UnsentItem::Record(OutboundRecord::Child(child())),
        UnsentItem::Record(OutboundRecord::Visit(visit)),
    ]
}

#[tokio::test]
async fn an_unsent_file_is_stored_as_if_sent_and_a_second_import_stores_nothing_more() {
    let app = spawn_app().await;
    let key = app.county_key().await;
    let work = unsent_work();
    let UnsentItem::Record(OutboundRecord::Visit(sent)) = &work[3] else { unreachable!() };
    let file = app.unsent_file(&key, app.director.id, &app.token, &work, "unsent.tongxing");

    let (ok, said) = app.import(&file);
    assert!(ok, "{said}");
    assert!(said.contains("photos: 2 new, 0 held already"), "{said}");
    assert!(said.contains("records: 2 new, 0 updated, 0 unchanged"), "{said}");
    let visits = app.current_visits().await;
    assert_eq!(visits.iter().map(|v| &v.record).collect::<Vec<_>>(), vec![sent]);

    let (ok, said) = app.import(&file);
    assert!(ok, "{said}");
    assert!(said.contains("photos: 0 new, 2 held already"), "{said}");
    assert!(said.contains("records: 0 new, 0 updated, 2 unchanged"), "{said}");
    assert_eq!(app.history().await.len(), 1, "the visit once, one revision");

    // The phone came online after all and sends the visit too: still once.
    let reply: tongxing_core::wire::PutReply = app.put_visit(sent).await.json().await.expect("a reply");
    assert_eq!(reply.status, tongxing_core::wire::PutStatus::Unchanged);

    let audit = cli(app.data.path(), &["audit", "--action", "import_unsent"]);
    let audit = String::from_utf8_lossy(&audit.stdout);
    assert_eq!(audit.matches("import_unsent").count(), 2, "{audit}");
    assert!(!audit.contains(&child().name), "no child's name in the audit row");
    app.stop().await;
}

#[tokio::test]
async fn a_file_for_another_county_of_another_phone_or_of_a_lost_phone_stores_nothing() {
    let app = spawn_app().await;
    let key = app.county_key().await;
    let work = unsent_work();

    let other_county = CountySecret::from_seed(&[9; 32]).public();
    let file = app.unsent_file(&other_county, app.director.id, &app.token, &work, "other-county.tongxing");
    let (ok, said) = app.import(&file);
    assert!(!ok && said.contains("does not open with this key file"), "{said}");

    let file = app.unsent_file(&key, app.director.id, "a token she never had", &work, "forged.tongxing");
    let (ok, said) = app.import(&file);
    assert!(!ok && said.contains("not that phone's file"), "{said}");

    let file = app.unsent_file(&key, Uuid::from_u128(77), &app.token, &work, "stranger.tongxing");
    let (ok, said) = app.import(&file);
    assert!(!ok && said.contains("never enrolled"), "{said}");

    let mut cut = std::fs::read(app.unsent_file(&key, app.director.id, &app.token, &work, "whole.tongxing")).unwrap();
    cut.truncate(cut.len() - 10);
    std::fs::write(app.data.path().join("cut.tongxing"), cut).unwrap();
    let (ok, said) = app.import(&app.data.path().join("cut.tongxing").to_string_lossy());
    assert!(!ok && said.contains("cut short"), "{said}");
    app.assert_nothing_stored().await;

    // A phone revoked as lost: whoever holds it now may have made the file.
    let code = common::invite(app.data.path(), Role::Director, &app.director.place).await;
    let lost = common::enroll_over_http(&app.url, &code, "李梅").await;
    let revoked = cli(app.data.path(), &["revoke", &lost.worker.id.to_string(), "--as", "lost"]);
    assert!(revoked.status.success());
    let file = app.unsent_file(&key, lost.worker.id, &lost.token, &work, "lost.tongxing");
    let (ok, said) = app.import(&file);
    assert!(!ok && said.contains("revoked as lost"), "{said}");
    app.assert_nothing_stored().await;
    app.stop().await;
}

#[tokio::test]
async fn the_county_key_is_for_enrolled_phones_and_stays_across_restarts() {
    let app = spawn_app().await;
    let key = app.county_key().await;
    let stranger = reqwest::Client::new().get(app.api("/county")).send().await.expect("sent");
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
    let forged = common::client_with_token("not-a-token").get(app.api("/county")).send().await.expect("sent");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let answer = app.client.get(app.api("/county")).send().await.expect("sent");
    let no_store = answer.headers().get(reqwest::header::CACHE_CONTROL).and_then(|v| v.to_str().ok());
    assert_eq!(no_store, Some("no-store"), "the county's answer is not cached");
    for method in [reqwest::Method::POST, reqwest::Method::PUT, reqwest::Method::DELETE] {
        let wrong = app.client.request(method.clone(), app.api("/county")).body("{}").send().await.expect("sent");
        assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(common::error_body(wrong).await.error.as_str(), "method_not_allowed");
    }
    let length = std::fs::metadata(app.data.path().join("county.key")).expect("the key file").len();
    assert_eq!(length, 32);
    let data = app.stop().await;
    let again = common::spawn_app_with(common::AppOptions { data: Some(data), ..Default::default() }).await;
    assert_eq!(again.county_key().await, key);
    again.stop().await;
}

#[tokio::test]
async fn the_county_s_settings_reach_its_phones() {
    let app = spawn_app().await;
    let policy: CountyPolicy =
        app.client.get(app.api("/county")).send().await.expect("sent").json().await.expect("json");
    assert_eq!((policy.keep_sent_visit_days, policy.pin_rule), (30, tongxing_core::vault::PinRule::SixDigits));
    let data = app.stop().await;
    let strict = common::spawn_app_with(common::AppOptions {
        data: Some(data),
        keep_sent_visit_days: Some(7),
        passphrase_min_chars: Some(10),
        ..Default::default()
    })
    .await;
    let response = strict.client.get(strict.api("/county")).send().await.expect("sent");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!((body["keep_sent_visit_days"].as_u64(), body["passphrase_min_chars"].as_u64()), (Some(7), Some(10)));
    strict.stop().await;
}

#[tokio::test]
async fn a_director_s_unsent_pairing_is_checked_and_stored_as_its_put_would_be() {
    use tongxing_core::pairing::Pairing;
    use tongxing_core::wire::ChangesPage;
    use tongxing_core::worker::Place;

    let app = spawn_app().await;
    let key = app.county_key().await;
    let here = app.director.place.clone();
    let (mother, mother_worker) = app.enroll_as(Role::LoveMother, here.clone(), "张爱华").await;
    let (_, elsewhere) =
        app.enroll_as(Role::LoveMother, Place { village: "杏花村".into(), ..here.clone() }, "周芳").await;
    let file = child();
    let pairing = Pairing::new(Uuid::new_v4(), file.id, mother_worker.id, Utc::now().fixed_offset());
    let stranger = Pairing::new(Uuid::new_v4(), file.id, elsewhere.id, Utc::now().fixed_offset());
    let work = [
        UnsentItem::Record(OutboundRecord::Child(file.clone())),
        UnsentItem::Record(OutboundRecord::Pairing(pairing.clone())),
        UnsentItem::Record(OutboundRecord::Pairing(stranger.clone())),
    ];
    let unsent = app.unsent_file(&key, app.director.id, &app.token, &work, "pairing.tongxing");

    let (ok, said) = app.import(&unsent);
    assert!(!ok && said.contains("1 of the file's records or photos were refused"), "{said}");
    assert!(said.contains("records: 2 new"), "the file and the pairing: {said}");
    assert!(said.contains(&format!("pairing {}", stranger.id)), "another village's love mother is refused: {said}");
    let page: ChangesPage = mother.get(app.api("/changes")).send().await.expect("sent").json().await.expect("a page");
    assert_eq!(page.pairings, [pairing]);
    assert_eq!(
        page.children.iter().map(|c| c.id).collect::<Vec<_>>(),
        [file.id],
        "paired, her phone receives the child"
    );
}

/// `POST /api/v1/unsent-files` with `bytes`, without a token (as a service worker sends it).
async fn post_file(app: &TestApp, bytes: Vec<u8>) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.api("/unsent-files"))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_file_sent_over_the_network_is_stored_once_however_often_it_comes() {
    let app = spawn_app().await;
    let key = app.county_key().await;
    let work = unsent_work();
    let UnsentItem::Record(OutboundRecord::Visit(sent)) = &work[3] else { unreachable!() };
    let file = std::fs::read(app.unsent_file(&key, app.director.id, &app.token, &work, "sw.tongxing")).expect("read");

    let response = post_file(&app, file.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reply: UnsentFileReply = response.json().await.expect("a reply");
    assert_eq!(reply, UnsentFileReply { created: 2, photos_new: 2, ..UnsentFileReply::default() });
    let again: UnsentFileReply = post_file(&app, file).await.json().await.expect("a reply");
    assert_eq!(again, UnsentFileReply { unchanged: 2, photos_held: 2, ..UnsentFileReply::default() });
    assert_eq!(app.history().await.len(), 1, "the visit once, one revision");
    let reply: tongxing_core::wire::PutReply = app.put_visit(sent).await.json().await.expect("a reply");
    assert_eq!(reply.status, tongxing_core::wire::PutStatus::Unchanged, "and the phone's own PUT later");

    // Not a file, another county's, another phone's: refused, each in a sentence, nothing stored.
    let fresh = spawn_app().await;
    let body = common::expect_error(
        post_file(&fresh, b"not a file".to_vec()).await,
        StatusCode::BAD_REQUEST,
        "unreadable_file",
    )
    .await;
    assert!(common::is_chinese(&body.message), "{}", body.message);
    let other_county = CountySecret::from_seed(&[9; 32]).public();
    let theirs = std::fs::read(fresh.unsent_file(&other_county, fresh.director.id, &fresh.token, &work, "o.tongxing"))
        .expect("read");
    common::expect_error(post_file(&fresh, theirs).await, StatusCode::BAD_REQUEST, "unreadable_file").await;
    let fresh_key = fresh.county_key().await;
    let forged =
        std::fs::read(fresh.unsent_file(&fresh_key, fresh.director.id, "not hers", &work, "f.tongxing")).expect("read");
    common::expect_error(post_file(&fresh, forged).await, StatusCode::FORBIDDEN, "forbidden").await;
    fresh.assert_nothing_stored().await;

    // A phone revoked as its worker's who left: the network takes nothing of it; the county's
    // import does.
    let code = common::invite(fresh.data.path(), Role::Director, &fresh.director.place).await;
    let left = common::enroll_over_http(&fresh.url, &code, "李梅").await;
    assert!(cli(fresh.data.path(), &["revoke", &left.worker.id.to_string(), "--as", "left"]).status.success());
    let path = fresh.unsent_file(&fresh_key, left.worker.id, &left.token, &work, "left.tongxing");
    let file = std::fs::read(&path).expect("read");
    common::expect_error(post_file(&fresh, file).await, StatusCode::FORBIDDEN, "forbidden").await;
    fresh.assert_nothing_stored().await;
    let (ok, said) = fresh.import(&path);
    assert!(ok, "{said}");
    fresh.stop().await;
    app.stop().await;
}
