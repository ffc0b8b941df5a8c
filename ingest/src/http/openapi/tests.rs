//! The document against the checked-in file, the README, OpenAPI 3.1's shape, and the
//! server's own errors. (That each documented route answers, and each route is documented,
//! is `ingest/tests/api/openapi_routes.rs`, on a real server.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;
use tongxing_core::wire::ErrorCode;

use super::*;

/// The calls anyone may make; every other needs a device token.
const PUBLIC: [(&str, &str); 7] = [
    ("get", "/api/v1/health"),
    ("get", "/api/v1/downloads/{code}"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/enroll"),
    ("get", "/api/v1/invites/{code}"),
    ("post", "/api/v1/recovery"),
    ("post", "/api/v1/unsent-files"),
];

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn repo_file(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn document() -> Value {
    let json = document_json().expect("the document serialises");
    serde_json::from_str(&json).expect("the document is JSON")
}

/// Every operation: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if METHODS.contains(&method.as_str()) {
                all.push((method.clone(), path.clone(), operation.clone()));
            }
        }
    }
    all
}

/// The object a `$ref` such as `#/components/responses/Unauthorized` points at.
fn resolve<'d>(doc: &'d Value, value: &'d Value) -> &'d Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("a remote $ref: {reference}"));
            doc.pointer(pointer).unwrap_or_else(|| panic!("{reference} points at nothing"))
        }
        None => value,
    }
}

#[test]
fn the_checked_in_document_is_what_the_code_generates() {
    let generated = document_json().expect("the document serialises");
    let path = repo_file("ingest/openapi.json");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != generated {
        let line = checked_in
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| checked_in.lines().count().min(generated.lines().count()) + 1, |index| index + 1);
        panic!(
            "ingest/openapi.json is not the document the code generates (they differ from line {line}).\n\
             Regenerate it from the workspace root with\n\n    {REGENERATE}\n\nand commit it."
        );
    }
}

#[test]
fn the_document_is_openapi_3_1_and_reads_back_as_it_was_written() {
    let json = document_json().expect("the document serialises");
    let read: utoipa::openapi::OpenApi = serde_json::from_str(&json).expect("utoipa's OpenAPI types read it");
    assert_eq!(serde_json::to_value(&read).expect("written again"), document(), "the document round-trips");
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Tongxing API");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(json.ends_with("}\n") && json.starts_with("{\n  \"openapi\""), "pretty-printed");
    assert_eq!(document_json().expect("again"), json, "the same every time");
}

#[test]
fn every_reference_points_at_something() {
    fn walk(doc: &Value, value: &Value, seen: &mut usize) {
        match value {
            Value::Object(object) => {
                if object.contains_key("$ref") {
                    resolve(doc, value);
                    *seen += 1;
                }
                object.values().for_each(|v| walk(doc, v, seen));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(doc, v, seen)),
            _ => {}
        }
    }
    let doc = document();
    let mut seen = 0;
    walk(&doc, &doc, &mut seen);
    assert!(seen > 50, "only {seen} references");
}

#[test]
fn every_operation_is_named_tagged_summarised_and_has_its_path_parameters() {
    let doc = document();
    let tags: BTreeSet<&str> =
        doc["tags"].as_array().expect("tags").iter().filter_map(|t| t["name"].as_str()).collect();
    let mut ids = BTreeSet::new();
    for (method, path, operation) in operations(&doc) {
        let at = format!("{method} {path}");
        assert!(path.starts_with(tongxing_core::wire::API_PREFIX), "{at}: not under the API prefix");
        let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{at}: no operationId"));
        assert!(ids.insert(id.to_owned()), "{at}: operationId {id} twice");
        assert!(operation["summary"].as_str().is_some_and(|s| !s.is_empty()), "{at}: no summary");
        for tag in operation["tags"].as_array().unwrap_or_else(|| panic!("{at}: no tag")) {
            assert!(tag.as_str().is_some_and(|t| tags.contains(t)), "{at}: tag {tag} is not in the document's tags");
        }
        let in_path: BTreeSet<String> =
            path.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name.to_owned()).collect();
        let declared: BTreeSet<String> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .inspect(|p| assert_eq!(p["required"], true, "{at}: path parameter {} not required", p["name"]))
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(in_path, declared, "{at}: path parameters");
    }
}

#[test]
fn every_error_answer_is_an_error_body_naming_codes_of_its_status() {
    let doc = document();
    let statuses = statuses_of_codes();
    for (method, path, operation) in operations(&doc) {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            let at = format!("{method} {path} {status}");
            let code: u16 = status.parse().unwrap_or_else(|_| panic!("{at}: not a status"));
            let response = resolve(&doc, response);
            let description = response["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty(), "{at}: no description");
            if code < 400 {
                continue;
            }
            let schema = &response["content"]["application/json"]["schema"];
            assert_eq!(schema["$ref"], "#/components/schemas/ErrorBody", "{at}: not an ErrorBody");
            let codes = error_codes(description);
            assert!(!codes.is_empty(), "{at}: names no error code as \"`code`: …\": {description}");
            for named in codes {
                let known =
                    statuses.get(named).unwrap_or_else(|| panic!("{at}: `{named}` is no error code of ApiError"));
                assert!(known.contains(&code), "{at}: `{named}` is answered with {known:?}, not {code}");
            }
            let headers = &response["headers"];
            if code == 429 || code == 503 {
                assert_eq!(headers["Retry-After"]["schema"]["type"], "integer", "{at}: no Retry-After");
            }
            if code == 401 {
                assert!(headers["WWW-Authenticate"].is_object(), "{at}: no WWW-Authenticate");
            }
        }
    }
}

/// Each code the server knows with the statuses it is answered with.
fn statuses_of_codes() -> BTreeMap<&'static str, BTreeSet<u16>> {
    let mut statuses: BTreeMap<&str, BTreeSet<u16>> = BTreeMap::new();
    for code in ErrorCode::ALL {
        for error in ApiError::answering(code) {
            statuses.entry(code.as_str()).or_default().insert(error.status().as_u16());
        }
    }
    statuses
}

#[test]
fn every_error_code_is_named_in_the_document_with_each_of_its_statuses() {
    let doc = document();
    let mut named: BTreeSet<(String, u16)> = BTreeSet::new();
    let mut add = |status: &str, response: &Value| {
        let Ok(status) = status.parse::<u16>() else { return };
        let description = resolve(&doc, response)["description"].as_str().unwrap_or_default();
        named.extend(error_codes(description).into_iter().map(|code| (code.to_owned(), status)));
    };
    for (_, _, operation) in operations(&doc) {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            add(status, response);
        }
    }
    // A reusable response that no operation lists (one any call may answer) names its codes
    // without a status: they count for the code's status.
    let statuses = statuses_of_codes();
    for response in doc["components"]["responses"].as_object().expect("reusable responses").values() {
        for code in error_codes(response["description"].as_str().unwrap_or_default()) {
            let status = statuses.get(code).and_then(|s| s.first()).copied().unwrap_or_default();
            named.insert((code.to_owned(), status));
        }
    }
    let unnamed: Vec<String> = statuses_of_codes()
        .into_iter()
        .flat_map(|(code, statuses)| statuses.into_iter().map(move |status| (code, status)))
        .filter(|(code, status)| !named.contains(&((*code).to_owned(), *status)))
        .map(|(code, status)| format!("{status} `{code}`"))
        .collect();
    assert!(unnamed.is_empty(), "no response of the document names these codes: {unnamed:?}");
}

/// The codes a description names as "`code`: what it means".
fn error_codes(description: &str) -> Vec<&str> {
    let mut codes = Vec::new();
    let mut rest = description;
    while let Some(start) = rest.find('`') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('`') else { break };
        let quoted = &after[..end];
        rest = &after[end + 1..];
        if rest.starts_with(':') && quoted.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            codes.push(quoted);
        }
    }
    codes
}

#[test]
fn error_codes_are_read_from_descriptions() {
    assert_eq!(
        error_codes("`bad_id`: the id; `malformed_json`: cut short, see `fields`"),
        ["bad_id", "malformed_json"]
    );
    assert!(error_codes("`Retry-After: 5` and `x`").is_empty());
}

#[test]
fn every_call_but_the_public_ones_needs_a_device_token() {
    let doc = document();
    let scheme = &doc["components"]["securitySchemes"][DEVICE_TOKEN];
    assert_eq!((scheme["type"].as_str(), scheme["scheme"].as_str()), (Some("http"), Some("bearer")));
    assert!(doc.get("security").is_none(), "no document-wide security: each operation says");
    for (method, path, operation) in operations(&doc) {
        let at = format!("{method} {path}");
        let responses = &operation["responses"];
        if PUBLIC.contains(&(method.as_str(), path.as_str())) {
            assert!(operation.get("security").is_none(), "{at} is public");
            assert!(responses.get("401").is_none(), "{at} is public but answers 401");
        } else {
            assert_eq!(operation["security"], serde_json::json!([{ DEVICE_TOKEN: [] }]), "{at} needs a device token");
            for status in ["401", "429"] {
                assert!(responses.get(status).is_some(), "{at} takes a token, so it may answer {status}");
            }
        }
    }
}

/// The rows `| `METHOD` | `/api/v1/…` | … |` of the README's API section.
fn readme_rows() -> BTreeSet<(String, String)> {
    let readme = std::fs::read_to_string(repo_file("README.md")).expect("README.md");
    let start = readme.find("\n## The API").expect("the README has a section \"## The API\"") + 1;
    let section = &readme[start..];
    let end = section[1..].find("\n## ").map_or(section.len(), |end| end + 1);
    let section = &section[..end];
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let method = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let path = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
            path.starts_with("/api/").then(|| (method.to_ascii_lowercase(), path.to_owned()))
        })
        .collect()
}

#[test]
fn the_readme_lists_every_documented_call_and_no_other() {
    let documented: BTreeSet<(String, String)> =
        operations(&document()).into_iter().map(|(method, path, _)| (method, path)).collect();
    let listed = readme_rows();
    let missing: Vec<_> = documented.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&documented).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "README.md's API table and the OpenAPI document differ:\n  not in the README: {missing:?}\n  not in the document: {extra:?}\n\
         Each call is a row `| `GET` | `/api/v1/…` | who | what |` of the table in \"## The API (v1)\"."
    );
}
