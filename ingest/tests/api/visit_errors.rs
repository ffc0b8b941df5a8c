//! Every way a `PUT /api/v1/visits/{id}` can be refused: always a JSON error body, always
//! a 4xx for bad input, and nothing stored.

use crate::common;

use common::{expect_error, is_chinese, spawn_app, visit, with_actions, TestApp};
use reqwest::header::{ACCEPT_LANGUAGE, ALLOW, CONTENT_TYPE};
use reqwest::StatusCode;
use tongxing_core::form::AnswerValue;
use tongxing_core::wire::{ErrorBody, VISIT_BODY_LIMIT};
use tongxing_core::{FieldError, Lang, Visit};
use tongxing_ingest::ApiError;

const JSON: &str = "application/json";

/// Sends `visit` and expects `422 invalid`; returns the error body.
async fn refused(app: &TestApp, visit: &Visit) -> ErrorBody {
    expect_error(app.put_visit(visit).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await
}

/// Sends `json` as the body of visit `id` and expects `422 invalid`; returns the error body.
async fn refused_json(app: &TestApp, id: uuid::Uuid, json: &serde_json::Value) -> ErrorBody {
    expect_error(
        app.put_raw(&id.to_string(), JSON, json.to_string()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await
}

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
    let mut json = serde_json::to_value(&visit).expect("JSON");
    json["revision"] = serde_json::json!("one");

    let body = refused_json(&app, visit.id, &json).await;
    assert_eq!(body.fields.get("revision"), Some(&FieldError::WrongType), "{body:?}");

    // An answer of no answer shape at all is caught by the JSON reader at
    // `answers.harm_signs`, and named by its field id, like the form's own checks name a
    // text where a yes/no belongs.
    for wrong in [serde_json::json!({"seen": true}), serde_json::json!(null), serde_json::json!("yes")] {
        let mut json = serde_json::to_value(&visit).expect("JSON");
        json["answers"]["harm_signs"] = wrong.clone();
        let body = refused_json(&app, visit.id, &json).await;
        assert_eq!(body.fields.get("harm_signs"), Some(&FieldError::WrongType), "{wrong}: {body:?}");
        assert_eq!(body.fields.len(), 1, "{wrong}: {body:?}");
    }

    let body = refused(&app, &with_answer(&visit, "visit_type", AnswerValue::Text("boat".to_owned()))).await;
    assert_eq!(body.fields.get("visit_type"), Some(&FieldError::NotAChoice), "{body:?}");

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn numbers_and_nesting_json_cannot_hold_are_malformed_not_a_5xx() {
    let app = spawn_app().await;
    let visit = visit();
    let text = serde_json::to_string(&visit).expect("JSON");
    let id = visit.id.to_string();

    let huge = text.replacen("\"revision\":1", "\"revision\":1e400", 1);
    assert_ne!(huge, text);
    expect_error(app.put_raw(&id, JSON, huge).await, StatusCode::BAD_REQUEST, "malformed_json").await;
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep = text.replacen("\"answers\":{", &format!("\"answers\":{{\"actions_taken\":{nested},"), 1);
    assert_ne!(deep, text);
    expect_error(app.put_raw(&id, JSON, deep).await, StatusCode::BAD_REQUEST, "malformed_json").await;

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_missing_field_is_required() {
    let app = spawn_app().await;
    let visit = visit();
    let mut json = serde_json::to_value(&visit).expect("JSON");
    json.as_object_mut().expect("object").remove("child_id");

    let body = refused_json(&app, visit.id, &json).await;
    assert_eq!(body.fields.get("child_id"), Some(&FieldError::Required), "{body:?}");

    let body = refused(&app, &with_answer(&visit, "risk_colour", AnswerValue::Text(String::new()))).await;
    assert_eq!(body.fields.get("risk_colour"), Some(&FieldError::Required), "{body:?}");

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn an_unknown_field_is_refused() {
    let app = spawn_app().await;
    let visit = visit();
    let mut json = serde_json::to_value(&visit).expect("JSON");
    json["child_name"] = serde_json::json!("王小明");

    let body = refused_json(&app, visit.id, &json).await;

    assert_eq!(body.fields.get("child_name"), Some(&FieldError::Unexpected), "{body:?}");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn an_answer_to_a_field_the_form_does_not_have_is_unexpected() {
    let app = spawn_app().await;
    let bad = with_answer(&visit(), "guardian_phone", AnswerValue::Text("13800000000".to_owned()));

    let body = refused(&app, &bad).await;

    assert_eq!(body.fields.get("guardian_phone"), Some(&FieldError::Unexpected), "{body:?}");
    assert_eq!(body.fields.len(), 1, "{body:?}");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn an_unknown_form_version_is_refused() {
    let app = spawn_app().await;
    let mut bad = visit();
    bad.form_version = 99;

    let response = app.put_visit(&bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(json["error"], "invalid");
    assert_eq!(json["fields"], serde_json::json!({"form_version": {"code": "unknown_form"}}), "{json}");

    let mut other_form = visit();
    other_form.form_id = "school_visit".to_owned();
    let body = refused(&app, &other_form).await;
    assert_eq!(body.fields.get("form_version"), Some(&FieldError::UnknownForm), "{body:?}");

    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn a_colour_other_than_the_suggested_one_needs_a_reason() {
    let app = spawn_app().await;
    // The grandmother's health is weak: the rules suggest yellow.
    let green = with_answer(&visit(), "risk_colour", AnswerValue::Text("green".to_owned()));

    let body = refused(&app, &green).await;

    assert_eq!(body.fields.get("risk_colour_reason"), Some(&FieldError::ReasonNeeded), "{body:?}");
    assert_eq!(body.fields.len(), 1, "{body:?}");
    let json = serde_json::to_value(&body.fields).expect("JSON");
    assert_eq!(json["risk_colour_reason"], serde_json::json!({"code": "reason_needed"}));
    app.assert_nothing_stored().await;

    let reasoned = with_answer(&green, "risk_colour_reason", AnswerValue::Text("父亲已返乡照顾".to_owned()));
    assert_eq!(app.put_visit(&reasoned).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn harm_found_without_the_mandatory_report_answers_is_refused() {
    let app = spawn_app().await;
    let mut harm = with_answer(&visit(), "harm_signs", AnswerValue::Bool(true));
    harm.answers.set("risk_colour", AnswerValue::Text("red".to_owned()));

    let body = refused(&app, &harm).await;

    assert_eq!(body.fields.get("mandatory_report_made"), Some(&FieldError::Required), "{body:?}");
    assert_eq!(body.fields.get("harm_details"), Some(&FieldError::Required), "{body:?}");
    assert_eq!(body.fields.len(), 2, "{body:?}");
    app.assert_nothing_stored().await;

    for (field, answer) in [
        ("harm_details", AnswerValue::Text("手臂有多处淤青，孩子说是被打的".to_owned())),
        ("mandatory_report_made", AnswerValue::Bool(true)),
        ("mandatory_report_date", AnswerValue::Text(harm.visit_date().expect("a date").to_string())),
        ("mandatory_report_to", AnswerValue::Text("城关派出所".to_owned())),
    ] {
        harm.answers.set(field, answer);
    }
    assert_eq!(app.put_visit(&harm).await.status(), StatusCode::CREATED);
    let pool = app.pool().await;
    let flagged: Vec<String> =
        sqlx::query_scalar("SELECT id FROM visits WHERE mandatory_report = 1").fetch_all(&pool).await.expect("query");
    assert_eq!(flagged, [harm.id.to_string()], "the visit is flagged for the police report");
}

#[tokio::test]
async fn a_visit_that_fails_validation_gets_every_field_error() {
    let app = spawn_app().await;
    let mut bad = with_answer(&visit(), "visit_date", AnswerValue::Text("2099-01-01".to_owned()));
    bad.child_id = uuid::Uuid::nil();
    let other_id = visit().id;

    let response =
        app.client.put(app.api(&format!("/visits/{other_id}"))).json(&bad).send().await.expect("request sent");
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;

    assert_eq!(body.fields.get("child_id"), Some(&FieldError::Required));
    assert_eq!(body.fields.get("visit_date"), Some(&FieldError::InFuture));
    assert_eq!(body.fields.get("id"), Some(&FieldError::Mismatch));
    assert_eq!(body.fields.len(), 3, "{body:?}");
    app.assert_nothing_stored().await;
}

#[tokio::test]
async fn tomorrow_is_accepted_for_phones_ahead_of_the_server() {
    let app = spawn_app().await;
    let tomorrow = chrono::Utc::now().date_naive().succ_opt().expect("tomorrow");
    let ahead = with_answer(&visit(), "visit_date", AnswerValue::Text(tomorrow.to_string()));

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
    let visit = with_actions(&visit(), &"字".repeat(VISIT_BODY_LIMIT / 3 + 100));
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

    let response = app.client.delete(&url).send().await.expect("sent");
    let allow = response.headers().get(ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    expect_error(response, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    assert!(allow.contains("PUT") && allow.contains("GET"), "Allow: {allow:?}");
}

#[tokio::test]
async fn unknown_api_addresses_are_json_404s() {
    let app = spawn_app().await;

    for path in ["/api/v1/nope", "/api/v2/visits/x", "/api"] {
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

/// The same visit with `value` answered to `field` (a blank value clears it).
fn with_answer(visit: &Visit, field: &str, value: AnswerValue) -> Visit {
    let mut visit = visit.clone();
    visit.answers.set(field, value);
    visit
}
