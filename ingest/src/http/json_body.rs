//! The JSON body extractor: axum's `Json`, but every refusal is an [`ApiError`] with our
//! error body, and a body that is well-formed but wrong names the field that is wrong.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use tongxing_core::wire::VISIT_BODY_LIMIT;
use tongxing_core::{FieldError, FieldErrors};

use crate::http::error::ApiError;

/// The field name used when a problem is with the body as a whole (not an object, say).
pub const WHOLE_BODY: &str = "body";

/// Where a record keeps its form answers (a visit's `answers`). A problem with one answer is
/// reported under the answer's field id alone, as the form's own checks report it, so the
/// app finds every problem with a field under one name.
const ANSWERS: &str = "answers";

/// A request body read as JSON into `T`. The body size limit is axum's `DefaultBodyLimit`
/// of the route; a body that declares more than [`VISIT_BODY_LIMIT`] (the limit of every
/// JSON route) is refused at once, before any of it is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        if declared_length(request.headers()).is_some_and(|length| length > VISIT_BODY_LIMIT as u64) {
            return Err(ApiError::TooLarge);
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else if is_body_timeout(&rejection) {
                tracing::info!("the body stopped coming");
                ApiError::BodyTimeout
            } else {
                // The body could not be read to its end: the sender stopped half way.
                tracing::debug!(%rejection, "body not read");
                ApiError::MalformedJson
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// The `Content-Length` the request declares, if it has a readable one.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Whether reading the body failed because it stopped coming (the server's body idle
/// timeout, [`crate::http::server::BODY_IDLE_TIMEOUT`]).
fn is_body_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// Whether the request says its body is JSON: `application/json` (parameters such as
/// `charset` allowed) or `application/*+json`.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.strip_prefix("application/") {
        Some(subtype) => subtype == "json" || subtype.ends_with("+json"),
        None => false,
    }
}

/// Reads `bytes` as a `T`, which is sent as a JSON object: broken JSON is
/// `malformed_json` (numbers out of range and nesting deeper than serde_json's limit
/// included); JSON of the wrong shape is `invalid`, with the field that is wrong (an
/// answer by its field id: `{"answers": {"harm_signs": {}}}` is `harm_signs: wrong_type`).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde would read a struct from an array too, by position; the wire has objects only.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => whole_body(FieldError::WrongType),
            Err(_) => ApiError::MalformedJson,
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            // A reader may stop at the first value of the wrong shape before reaching what
            // makes the JSON unreadable (nesting deeper than serde_json reads, further on).
            serde_json::error::Category::Data if serde_json::from_slice::<serde_json::Value>(bytes).is_err() => {
                ApiError::MalformedJson
            }
            serde_json::error::Category::Data => ApiError::Invalid(field_error(&path, &inner)),
            // serde_json words some wrong types as syntax: a number, `true` or an array
            // where a choice (an enum) belongs is "expected value". Well-formed JSON is
            // still the wrong shape, not broken.
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
                if serde_json::from_slice::<serde_json::Value>(bytes).is_ok() =>
            {
                ApiError::Invalid(field_error(&path, &inner))
            }
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => ApiError::MalformedJson,
        }
    })?;
    // Anything but white space after the value is broken JSON too.
    deserializer.end().map_err(|_| ApiError::MalformedJson)?;
    Ok(value)
}

/// Names the wrong field from serde's report. serde words its reports the same way for
/// every format ("missing field `x`", "unknown field `x`", "unknown variant `x`"), and
/// `path` is where in the document the reader was.
fn field_error(path: &str, error: &serde_json::Error) -> FieldErrors {
    let message = error.to_string();
    let (field, problem) = if let Some(name) = quoted_after(&message, "missing field `") {
        (join(path, name), FieldError::Required)
    } else if let Some(name) = quoted_after(&message, "unknown field `") {
        // The path already ends with the unknown key.
        let field = if path.is_empty() || path == "." { name.to_owned() } else { path.to_owned() };
        (field, FieldError::Unexpected)
    } else if message.starts_with("unknown variant `") {
        (field_name(path), FieldError::NotAChoice)
    } else {
        (field_name(path), FieldError::WrongType)
    };
    let mut errors = FieldErrors::new();
    errors.add(answer_field(&field), problem);
    errors
}

/// `answers.<field id>` as the field id, whatever inside the answer was wrong (an item of a
/// list, a photo's hash); any other field name as it is.
fn answer_field(field: &str) -> &str {
    field
        .strip_prefix(ANSWERS)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.split(['[', '.']).next())
        .filter(|id| !id.is_empty())
        .unwrap_or(field)
}

fn whole_body(problem: FieldError) -> ApiError {
    let mut errors = FieldErrors::new();
    errors.add(WHOLE_BODY, problem);
    ApiError::Invalid(errors)
}

/// The name between `prefix` and the next backtick, when `message` starts with `prefix`.
fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// `path` as a field name; the document itself is [`WHOLE_BODY`].
fn field_name(path: &str) -> String {
    if path.is_empty() || path == "." {
        WHOLE_BODY.to_owned()
    } else {
        path.to_owned()
    }
}

/// The field `name` inside the object at `path`.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use tongxing_core::child::Child;
    use tongxing_core::fixtures::{sample_child, sample_visit};
    use tongxing_core::form::{FormCatalog, HOME_VISIT};
    use tongxing_core::Visit;

    fn good() -> serde_json::Value {
        serde_json::to_value(sample_visit()).unwrap()
    }

    fn fields_of(json: &serde_json::Value) -> FieldErrors {
        match parse::<Visit>(json.to_string().as_bytes()) {
            Err(ApiError::Invalid(fields)) => fields,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn reads_a_good_visit() {
        let visit: Visit = parse(good().to_string().as_bytes()).unwrap();
        assert_eq!(visit, sample_visit());
    }

    #[test]
    fn broken_or_cut_short_json_is_malformed() {
        let text = good().to_string();
        assert_eq!(parse::<Visit>(&text.as_bytes()[..text.len() / 2]).unwrap_err(), ApiError::MalformedJson);
        assert_eq!(parse::<Visit>(b"{\"id\": ").unwrap_err(), ApiError::MalformedJson);
        assert_eq!(parse::<Visit>(b"").unwrap_err(), ApiError::MalformedJson);
        assert_eq!(parse::<Visit>(b"not json").unwrap_err(), ApiError::MalformedJson);
        assert_eq!(parse::<Visit>(format!("{text} {{}}").as_bytes()).unwrap_err(), ApiError::MalformedJson);
        assert!(parse::<Visit>(format!("{text} \n").as_bytes()).is_ok(), "trailing white space is fine");
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        let mut json = good();
        json["revision"] = serde_json::json!("one");
        assert_eq!(fields_of(&json).get("revision"), Some(&FieldError::WrongType));
        let mut json = good();
        json["updated_at"] = serde_json::json!("2026-13-45T10:00:00+08:00");
        assert_eq!(fields_of(&json).get("updated_at"), Some(&FieldError::WrongType));
        let mut json = good();
        json["revision"] = serde_json::json!(-1);
        assert_eq!(fields_of(&json).get("revision"), Some(&FieldError::WrongType));
        let mut json = good();
        json["child_id"] = serde_json::json!("王小明");
        assert_eq!(fields_of(&json).get("child_id"), Some(&FieldError::WrongType));
    }

    #[test]
    fn an_answer_of_no_answer_shape_is_named_by_its_field_id() {
        // serde_path_to_error says `answers.harm_signs`; the form's own checks name a wrong
        // answer `harm_signs`, and so does the reader.
        for value in [serde_json::json!({"yes": true}), serde_json::json!(null), serde_json::json!(["child", 1])] {
            let mut json = good();
            json["answers"]["harm_signs"] = value.clone();
            let fields = fields_of(&json);
            assert_eq!(fields.get("harm_signs"), Some(&FieldError::WrongType), "{value}: {fields}");
            assert_eq!(fields.len(), 1);
        }
        let mut json = good();
        json["answers"] = serde_json::json!([1]);
        assert_eq!(fields_of(&json).get("answers"), Some(&FieldError::WrongType));
        let mut json = good();
        json["answers"] = serde_json::json!({"": {}});
        assert_eq!(fields_of(&json).get("answers."), Some(&FieldError::WrongType), "no id, so the path as it is");
    }

    #[test]
    fn numbers_and_nesting_beyond_what_json_reading_allows_are_malformed() {
        let text = good().to_string();
        let huge = text.replacen("\"visit_date\":\"2026-11-20\"", "\"visit_date\":1e400", 1);
        assert_ne!(huge, text);
        assert_eq!(parse::<Visit>(huge.as_bytes()).unwrap_err(), ApiError::MalformedJson);
        let nested = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let deep = text.replacen("\"visit_date\":\"2026-11-20\"", &format!("\"visit_date\":{nested}"), 1);
        assert_eq!(parse::<Visit>(deep.as_bytes()).unwrap_err(), ApiError::MalformedJson);
    }

    #[test]
    fn no_field_of_the_builtin_forms_shares_a_name_with_a_visit_s_own_fields() {
        let own: Vec<String> = good().as_object().unwrap().keys().cloned().collect();
        let forms: Vec<_> = (1..=100).filter_map(|version| FormCatalog::builtin().get(HOME_VISIT, version)).collect();
        assert!(!forms.is_empty());
        for form in forms {
            for field in form.fields() {
                assert!(!own.contains(&field.id), "`{}` would read as the visit's own field", field.id);
            }
        }
    }

    #[test]
    fn an_unknown_choice_is_not_a_choice() {
        let mut json = serde_json::to_value(sample_child()).unwrap();
        json["sex"] = serde_json::json!("robot");
        let fields = match parse::<Child>(json.to_string().as_bytes()) {
            Err(ApiError::Invalid(fields)) => fields,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(fields.get("sex"), Some(&FieldError::NotAChoice));
        assert_eq!(fields.len(), 1);
    }

    #[test]
    fn a_choice_of_another_type_is_a_wrong_type_not_broken_json() {
        for value in
            [serde_json::json!(1), serde_json::json!(true), serde_json::json!(null), serde_json::json!(["girl"])]
        {
            let mut json = serde_json::to_value(sample_child()).unwrap();
            json["sex"] = value.clone();
            let fields = match parse::<Child>(json.to_string().as_bytes()) {
                Err(ApiError::Invalid(fields)) => fields,
                other => panic!("sex = {value}: expected invalid, got {other:?}"),
            };
            assert_eq!(fields.get("sex"), Some(&FieldError::WrongType), "{value}");
        }
        // Broken JSON at the same place stays broken.
        let text = serde_json::to_string(&sample_child()).unwrap();
        let broken = text.replacen("\"sex\":", "\"sex\": ,", 1);
        assert_ne!(broken, text);
        assert_eq!(parse::<Child>(broken.as_bytes()).unwrap_err(), ApiError::MalformedJson);
    }

    #[test]
    fn a_missing_field_is_required() {
        let mut json = good();
        json.as_object_mut().unwrap().remove("child_id");
        assert_eq!(fields_of(&json).get("child_id"), Some(&FieldError::Required));
        let mut json = good();
        json.as_object_mut().unwrap().remove("answers");
        assert_eq!(fields_of(&json).get("answers"), Some(&FieldError::Required));
    }

    #[test]
    fn an_unknown_field_is_unexpected() {
        let mut json = good();
        json["child_name"] = serde_json::json!("王小明");
        assert_eq!(fields_of(&json).get("child_name"), Some(&FieldError::Unexpected));
    }

    #[test]
    fn a_body_that_is_not_an_object_is_the_whole_body_wrong() {
        assert_eq!(fields_of(&serde_json::json!([1, 2])).get(WHOLE_BODY), Some(&FieldError::WrongType));
        assert_eq!(fields_of(&serde_json::json!(null)).get(WHOLE_BODY), Some(&FieldError::WrongType));
        assert_eq!(fields_of(&serde_json::json!("text")).get(WHOLE_BODY), Some(&FieldError::WrongType));
        let positional: Vec<serde_json::Value> = good().as_object().unwrap().values().cloned().collect();
        assert_eq!(fields_of(&serde_json::Value::Array(positional)).get(WHOLE_BODY), Some(&FieldError::WrongType));
        assert_eq!(parse::<Visit>(b"[1, 2").unwrap_err(), ApiError::MalformedJson);
    }

    #[test]
    fn json_content_types() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("application/json; charset=utf-8"));
        assert!(with("Application/JSON"));
        assert!(with("application/vnd.tongxing+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("text/json"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
