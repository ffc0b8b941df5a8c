//! The OpenAPI document and the routes the real server answers are the same: every
//! documented call reaches a handler (not the `404`/`405` of an unknown address or method),
//! and every route of `src/http/api/mod.rs`, with every method it answers, is documented.

use crate::common;

use std::collections::BTreeSet;

use reqwest::{Client, Method};
use serde_json::Value;
use tongxing_core::wire::API_PREFIX;
use tongxing_ingest::http::openapi::{document_json, REGENERATE};
use uuid::Uuid;

use common::spawn_app;

/// The methods a route could have (`HEAD` comes with `GET`; the CORS layer answers `OPTIONS`).
const METHODS: [Method; 5] = [Method::GET, Method::PUT, Method::POST, Method::DELETE, Method::PATCH];

fn document() -> Value {
    serde_json::from_str(&document_json().expect("the document")).expect("JSON")
}

/// The documented calls, as (method, path template).
fn documented(doc: &Value) -> BTreeSet<(Method, String)> {
    let mut calls = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            if let Ok(method) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) {
                calls.insert((method, path.clone()));
            }
        }
    }
    calls
}

/// The paths of the routes in `src/http/api/mod.rs`, with the API prefix: each `.route("…"`.
fn routed_paths() -> BTreeSet<String> {
    let source = include_str!("../../src/http/api/mod.rs");
    for elsewhere in [".nest(", ".merge(", ".nest_service(", ".route_service("] {
        assert!(
            !source.contains(elsewhere),
            "src/http/api/mod.rs adds routes with `{elsewhere}`: teach this test to find them"
        );
    }
    source
        .split(".route(")
        .skip(1)
        .map(|rest| {
            let literal = rest.trim_start().strip_prefix('"').expect("a route's path is a string literal");
            let (path, _) = literal.split_once('"').expect("a closing quote");
            format!("{API_PREFIX}{path}")
        })
        .collect()
}

/// A concrete address for a path template: in each `{…}` the first value its documented
/// schema allows, a UUID, a photo hash, or a word.
fn address(doc: &Value, template: &str) -> String {
    let parameters: Vec<&Value> = doc["paths"][template]
        .as_object()
        .into_iter()
        .flat_map(|item| item.values())
        .filter_map(|operation| operation["parameters"].as_array())
        .flatten()
        .filter(|parameter| parameter["in"] == "path")
        .collect();
    let value_of = |name: &str| {
        let schema = parameters.iter().find(|p| p["name"] == name).map(|p| &p["schema"]);
        match schema {
            Some(schema) if schema["enum"][0].is_string() => schema["enum"][0].as_str().unwrap_or_default().to_owned(),
            Some(schema) if schema["format"] == "uuid" => Uuid::new_v4().to_string(),
            Some(schema) if schema["$ref"] == "#/components/schemas/PhotoHash" => "0".repeat(64),
            _ => "probe".to_owned(),
        }
    };
    template
        .split('/')
        .map(|part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => value_of(name),
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the call reached a route: anything but the router's own `404 not_found` and
/// `405 method_not_allowed`. Sent without a token or a body, so nothing changes.
async fn reaches_a_route(client: &Client, base: &str, doc: &Value, method: Method, template: &str) -> bool {
    let response = client
        .request(method, format!("{base}{}", address(doc, template)))
        .header("Content-Length", "0")
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    !(status == 405 || (status == 404 && body["error"] == "not_found"))
}

#[tokio::test]
async fn every_documented_call_is_routed_and_every_route_is_documented() {
    let app = spawn_app().await;
    let client = Client::new();
    let doc = document();
    let documented = documented(&doc);
    assert!(documented.len() >= 12, "{documented:?}");

    for (method, template) in &documented {
        assert!(
            reaches_a_route(&client, &app.url, &doc, method.clone(), template).await,
            "{method} {template} is in the OpenAPI document, but the server has no such route"
        );
    }

    let routed = routed_paths();
    let paths: BTreeSet<&String> = documented.iter().map(|(_, path)| path).collect();
    for path in &routed {
        assert!(
            paths.contains(path),
            "{path} is routed in src/http/api/mod.rs but not in the OpenAPI document: \
             add `#[utoipa::path]` to its handler and the handler to `paths(...)` in src/http/openapi.rs, \
             then `{REGENERATE}`"
        );
        for method in METHODS {
            if reaches_a_route(&client, &app.url, &doc, method.clone(), path).await {
                assert!(
                    documented.contains(&(method.clone(), path.clone())),
                    "{method} {path} is answered by the server but not in the OpenAPI document"
                );
            }
        }
    }
    for path in paths {
        assert!(routed.contains(path), "{path} is documented but not routed in src/http/api/mod.rs");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_server_serves_the_document_to_anyone() {
    let app = spawn_app().await;
    let response = Client::new().get(format!("{}/api/v1/openapi.json", app.url)).send().await.expect("answered");
    assert_eq!(response.status(), 200);
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(response.text().await.expect("a body"), document_json().expect("the document"));
    app.stop().await;
}

#[test]
fn route_paths_are_read_from_the_router() {
    let routed = routed_paths();
    assert!(routed.contains("/api/v1/health") && routed.contains("/api/v1/photos/{sha256}/upload"), "{routed:?}");
    let doc = document();
    // The segment is a code to `GET` and an invite's id (a UUID) to `DELETE`.
    let invite = address(&doc, "/api/v1/invites/{code}");
    assert!(
        invite.strip_prefix("/api/v1/invites/").is_some_and(|id| id == "probe" || Uuid::try_parse(id).is_ok()),
        "{invite}"
    );
    assert_eq!(address(&doc, "/api/v1/photos/{sha256}/upload"), format!("/api/v1/photos/{}/upload", "0".repeat(64)));
    assert_eq!(address(&doc, "/api/v1/exports/{what}"), "/api/v1/exports/visits");
    let child = address(&doc, "/api/v1/children/{id}");
    assert!(child.strip_prefix("/api/v1/children/").is_some_and(|id| Uuid::try_parse(id).is_ok()), "{child}");
}
