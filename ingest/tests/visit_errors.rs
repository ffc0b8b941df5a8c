//! Every way a `PUT /api/v1/visits/{id}` can be refused: always a JSON error body, always
//! a 4xx for bad input, and nothing stored.

mod common;

use common::{expect_error, is_chinese, spawn_app, visit};
use reqwest::header::{ACCEPT_LANGUAGE, ALLOW, CONTENT_TYPE};
use reqwest::StatusCode;
use tongxing_core::wire::VISIT_BODY_LIMIT;
use tongxing_core::{FieldError, Lang};
use tongxing_ingest::ApiError;

const JSON: &str = "application/json";

#[tokio::test]
async fn broken_json_is_malformed() {
    let app = spawn_app().await;
    let id = visit().id.to_string();

    let body =
        expect_error(app.put_raw(&id, JSON, "{\"id\": nope}").await, StatusCode::BAD_REQUEST, "malformed_json").await;

    assert!(body.fields.is_empty());
    assert!(is_chinese(&body.message), "Chinese by default: {}", body.message);
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn json_cut_short_is_malformed() {
    let app = spawn_app().await;
    let visit = visit();
    let text = serde_json::to_string(&visit).expect("JSON");
    let cut = text[..text.len() - 10].to_owned();

    expect_error(app.put_raw(&visit.id.to_string(), JSON, cut).await, StatusCode::BAD_REQUEST, "malformed_json").await;

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn wrong_types_name_their_fields() {
    let app = spawn_app().await;
    let visit = visit();
    let id = visit.id.to_string();
    let mut json = serde_json::to_value(&visit).expect("JSON");
    json["revision"] = serde_json::json!("one");

    let body =
        expect_error(app.put_raw(&id, JSON, json.to_string()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("revision"), Some(&FieldError::WrongType), "{body:?}");

    let mut json = serde_json::to_value(&visit).expect("JSON");
    json["visit_type"] = serde_json::json!("boat");
    let body =
        expect_error(app.put_raw(&id, JSON, json.to_string()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(body.fields.get("visit_type"), Some(&FieldError::NotAChoice), "{body:?}");

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_missing_field_is_required() {
    let app = spawn_app().await;
    let visit = visit();
    let mut json = serde_json::to_value(&visit).expect("JSON");
    json.as_object_mut().expect("object").remove("risk_colour");

    let body = expect_error(
        app.put_raw(&visit.id.to_string(), JSON, json.to_string()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;

    assert_eq!(body.fields.get("risk_colour"), Some(&FieldError::Required), "{body:?}");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn an_unknown_field_is_refused() {
    let app = spawn_app().await;
    let visit = visit();
    let mut json = serde_json::to_value(&visit).expect("JSON");
    json["guardian_phone"] = serde_json::json!("13800000000");

    let body = expect_error(
        app.put_raw(&visit.id.to_string(), JSON, json.to_string()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;

    assert_eq!(body.fields.get("guardian_phone"), Some(&FieldError::Unexpected), "{body:?}");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_visit_that_fails_validation_gets_every_field_error() {
    let app = spawn_app().await;
    let mut bad = visit();
    bad.child_name = "  ".to_owned();
    bad.visit_date = chrono::NaiveDate::from_ymd_opt(2099, 1, 1).expect("date");
    let other_id = visit().id;

    let response =
        app.client.put(app.api(&format!("/visits/{other_id}"))).json(&bad).send().await.expect("request sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    assert_eq!(body.fields.get("child_name"), Some(&FieldError::Required));
    assert_eq!(body.fields.get("visit_date"), Some(&FieldError::InFuture));
    assert_eq!(body.fields.get("id"), Some(&FieldError::Mismatch));
    assert_eq!(body.fields.len(), 3, "{body:?}");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn tomorrow_is_accepted_for_phones_ahead_of_the_server() {
    let app = spawn_app().await;
    let mut ahead = visit();
    ahead.visit_date = chrono::Utc::now().date_naive().succ_opt().expect("tomorrow");

    assert_eq!(app.put_visit(&ahead).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_id_that_is_not_a_uuid_is_a_bad_id() {
    let app = spawn_app().await;
    let visit = visit();
    let json = serde_json::to_string(&visit).expect("JSON");

    expect_error(app.put_raw("not-a-uuid", JSON, json.clone()).await, StatusCode::BAD_REQUEST, "bad_id").await;
    expect_error(app.put_raw("12345", JSON, json).await, StatusCode::BAD_REQUEST, "bad_id").await;

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_too_large() {
    let app = spawn_app().await;
    let mut visit = visit();
    visit.notes = "字".repeat(VISIT_BODY_LIMIT / 3 + 100);
    let json = serde_json::to_string(&visit).expect("JSON");
    assert!(json.len() > VISIT_BODY_LIMIT);

    expect_error(app.put_raw(&visit.id.to_string(), JSON, json).await, StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        .await;

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_body_that_is_not_declared_json_is_unsupported() {
    let app = spawn_app().await;
    let visit = visit();
    let id = visit.id.to_string();
    let json = serde_json::to_string(&visit).expect("JSON");

    expect_error(
        app.put_raw(&id, "text/plain", json.clone()).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let no_type = app.client.put(app.api(&format!("/visits/{id}"))).body(json).send().await.expect("sent");
    expect_error(no_type, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn another_method_is_not_allowed() {
    let app = spawn_app().await;
    let url = app.api(&format!("/visits/{}", visit().id));

    let response = app.client.get(&url).send().await.expect("sent");
    let allow = response.headers().get(ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    expect_error(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    assert!(allow.contains("PUT"), "Allow: {allow:?}");

    let response = app.client.delete(&url).send().await.expect("sent");
    expect_error(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
}

#[tokio::test]
async fn unknown_api_addresses_are_json_404s() {
    let app = spawn_app().await;

    for path in ["/api/v1/nope", "/api/v1/visits", "/api/v2/visits/x", "/api"] {
        let response = app.client.get(format!("{}{path}", app.url)).send().await.expect("sent");
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
}

#[tokio::test]
async fn messages_speak_the_requested_language() {
    let app = spawn_app().await;
    let id = visit().id.to_string();
    let send = |lang: Option<&'static str>| {
        let mut request = app.client.put(app.api(&format!("/visits/{id}"))).header(CONTENT_TYPE, JSON).body("{");
        if let Some(lang) = lang {
            request = request.header(ACCEPT_LANGUAGE, lang);
        }
        request.send()
    };

    let english =
        expect_error(send(Some("en-US,en;q=0.9")).await.expect("sent"), StatusCode::BAD_REQUEST, "malformed_json")
            .await;
    let chinese = expect_error(send(None).await.expect("sent"), StatusCode::BAD_REQUEST, "malformed_json").await;
    let asked_chinese = expect_error(
        send(Some("zh-CN,zh;q=0.9,en;q=0.8")).await.expect("sent"),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;

    assert_eq!(english.message, ApiError::MalformedJson.message(Lang::En));
    assert!(!is_chinese(&english.message));
    assert_eq!(chinese.message, ApiError::MalformedJson.message(Lang::ZhCn));
    assert!(is_chinese(&chinese.message));
    assert_eq!(asked_chinese.message, chinese.message);

    let bad_id = app.client.get(app.api("/nope")).header(ACCEPT_LANGUAGE, "en").send().await.expect("sent");
    let body = expect_error(bad_id, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body.message, ApiError::NotFound.message(Lang::En));
}
