//! One-time download links on a real port: a supervisor's link fetches her export, or a
//! child's whole file of her township, once, without a token, audited as hers; used again,
//! or made by a phone revoked since, it is `410 link_gone`; a link to another township's child, a bad
//! query, a director and a sixth unused link are refused.

use crate::common;

use chrono::Utc;
use common::{child, county, expect_error, spawn_app};
use reqwest::{Client, StatusCode};
use serde_json::json;
use tongxing_core::wire::{DownloadLink, RevokedAs};
use tongxing_core::worker::{Place, Role};
use tongxing_ingest::store::audit;
use tongxing_ingest::store::workers::devices;

fn place(township: &str, village: &str) -> Place {
    Place { township: township.into(), village: village.into() }
}

async fn make(app: &common::TestApp, client: &Client, body: serde_json::Value) -> reqwest::Response {
    client.post(app.api("/download-links")).json(&body).send().await.expect("sent")
}

#[tokio::test]
async fn a_supervisor_s_link_fetches_her_file_once_without_a_token() {
    let app = spawn_app().await;
    let township = app.director.place.township.clone();
    let (supervisor, supervisor_worker) = app.enroll_as(Role::Supervisor, place(&township, ""), "王督导").await;
    let (elsewhere, _) = app.enroll_as(Role::Director, place("柳林镇", "柳林村"), "赵敏").await;
    let ours = child();
    assert_eq!(app.put_child(&ours).await.status(), StatusCode::CREATED);
    let theirs = child();
    let sent = elsewhere.put(app.api(&format!("/children/{}", theirs.id))).json(&theirs).send().await.expect("sent");
    assert_eq!(sent.status(), StatusCode::CREATED);

    let response = make(&app, &supervisor, json!({"export": {"kind": "child", "query": "format=xlsx"}})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let link: DownloadLink = response.json().await.expect("a link");
    assert!(link.path.starts_with("/api/v1/downloads/"), "{}", link.path);
    assert!(link.expires_at > Utc::now() + chrono::Duration::minutes(9));
    let stranger = Client::new();
    let file = stranger.get(format!("{}{}", app.url, link.path)).send().await.expect("sent");
    assert_eq!(file.status(), StatusCode::OK);
    let disposition =
        file.headers().get(reqwest::header::CONTENT_DISPOSITION).expect("a file").to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains(".xlsx"), "{disposition}");
    assert_eq!(&file.bytes().await.expect("bytes")[..2], b"PK");
    let again = stranger.get(format!("{}{}", app.url, link.path)).send().await.expect("sent");
    let gone = expect_error(again, StatusCode::GONE, "link_gone").await;
    assert!(gone.message.contains("下载链接已用过"), "{}", gone.message);

    // A child's whole file of her township; not another township's.
    let archive = make(&app, &supervisor, json!({"archive": {"child": ours.id}})).await;
    assert_eq!(archive.status(), StatusCode::CREATED);
    let archive: DownloadLink = archive.json().await.expect("a link");
    let zip = stranger.get(format!("{}{}", app.url, archive.path)).send().await.expect("sent");
    assert_eq!(zip.status(), StatusCode::OK);
    assert_eq!(&zip.bytes().await.expect("bytes")[..2], b"PK");
    expect_error(
        make(&app, &supervisor, json!({"archive": {"child": theirs.id}})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Refusals.
    expect_error(
        make(&app, &supervisor, json!({"export": {"kind": "visit", "query": "format=xlsx&page=2"}})).await,
        StatusCode::BAD_REQUEST,
        "bad_query",
    )
    .await;
    expect_error(
        make(&app, &supervisor, json!({"export": {"kind": "pairing", "query": ""}})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        make(&app, &app.client, json!({"archive": {"child": ours.id}})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let body = json!({"export": {"kind": "visit", "query": "format=csv"}});
    let mut links = Vec::new();
    for _ in 0..5 {
        let made = make(&app, &supervisor, body.clone()).await;
        assert_eq!(made.status(), StatusCode::CREATED);
        links.push(made.json::<DownloadLink>().await.expect("a link"));
    }
    expect_error(make(&app, &supervisor, body).await, StatusCode::TOO_MANY_REQUESTS, "export_under_way").await;
    let unknown = stranger.get(app.api("/downloads/not-a-code")).send().await.expect("sent");
    expect_error(unknown, StatusCode::GONE, "link_gone").await;

    // Her phone revoked: her links stop working.
    let pool = app.pool().await;
    devices::revoke(&pool, supervisor_worker.id, RevokedAs::Lost, None, &county(), Utc::now()).await.expect("revoked");
    let after = stranger.get(format!("{}{}", app.url, links[0].path)).send().await.expect("sent");
    expect_error(after, StatusCode::GONE, "link_gone").await;

    let entries = audit::entries(&pool).await.expect("audit");
    assert_eq!(entries.iter().filter(|e| e.action == audit::MAKE_DOWNLOAD_LINK).count(), 7);
    let exported: Vec<_> = entries.iter().filter(|e| e.action == audit::EXPORT_CHILDREN).collect();
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].device_id, Some(supervisor_worker.id.to_string()), "audited as hers");
    assert!(entries.iter().all(|e| !e.subject.contains(links[1].path.rsplit('/').next().unwrap())), "never the code");
}

#[tokio::test]
async fn a_hostile_link_request_gets_a_clear_4xx_and_the_link_is_not_cached() {
    let app = spawn_app().await;
    let (supervisor, _) = app.enroll_as(Role::Supervisor, place(&app.director.place.township, ""), "王督导").await;
    let send = |body: &'static str, content_type: &'static str| {
        supervisor
            .post(app.api("/download-links"))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    expect_error(
        send("{\"export\":", "application/json").await.expect("sent"),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    expect_error(
        send("{}", "text/plain").await.expect("sent"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    for body in [
        r#"{}"#,
        r#"{"export":{"kind":"visit"}}"#,
        r#"{"archive":{"child":"x"}}"#,
        r#"{"archive":{"child":"00000000-0000-0000-0000-000000000001","x":1}}"#,
        r#"{"export":{"kind":"visit","query":"format=xlsx"},"archive":{"child":"00000000-0000-0000-0000-000000000001"}}"#,
    ] {
        let response = send(body, "application/json").await.expect("sent");
        assert!(response.status().is_client_error(), "{body}: {}", response.status());
    }
    let made = send(r#"{"export":{"kind":"visit","query":"format=csv"}}"#, "application/json").await.expect("sent");
    assert_eq!(made.status(), StatusCode::CREATED);
    assert_eq!(made.headers().get(reqwest::header::CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-store"[..]));
    let link: DownloadLink = made.json().await.expect("a link");
    let file = Client::new().get(format!("{}{}", app.url, link.path)).send().await.expect("sent");
    assert_eq!(file.headers().get(reqwest::header::CACHE_CONTROL).map(|v| v.as_bytes()), Some(&b"no-store"[..]));
    let posted = Client::new().post(format!("{}{}", app.url, link.path)).send().await.expect("sent");
    assert_eq!(posted.status(), StatusCode::METHOD_NOT_ALLOWED);
}
