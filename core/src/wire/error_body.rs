//! The body of every error answer, with what some errors add: the fields found wrong, the
//! photos missing, the bytes received.

use serde::{Deserialize, Serialize};

use super::ErrorCode;
use crate::photo::PhotoHash;
use crate::FieldErrors;

/// The body of every error answer: `{"error": "<code>", "message": "<human text>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable machine code, such as `invalid`, `malformed_json`, `too_large`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub error: ErrorCode,
    /// A sentence for a person, in the language the request asked for.
    pub message: String,
    /// With `invalid`: what is wrong with each field.
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    pub fields: FieldErrors,
    /// With `missing_photos` (`409` to a visit): the photos it names that the server does
    /// not hold; send them, then the visit again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<PhotoHash>,
    /// With `upload_offset` (`409` to a piece of a photo): where the server's confirmed
    /// bytes end, so where the next piece must start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub received: Option<u64>,
}

impl ErrorBody {
    /// An error with its code and message only.
    pub fn new(error: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody { error, message: message.into(), fields: FieldErrors::new(), missing: Vec::new(), received: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldError;

    #[test]
    fn error_body_omits_empty_fields() {
        let body = ErrorBody::new(ErrorCode::MalformedJson, "m");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": "malformed_json", "message": "m"})
        );
        let parsed: ErrorBody = serde_json::from_str(r#"{"error":"x","message":"y"}"#).unwrap();
        assert!(parsed.fields.is_empty());
        assert_eq!(parsed.error, ErrorCode::Other("x".into()), "a code of a newer server is read, not refused");
    }

    #[test]
    fn error_body_carries_field_errors() {
        let mut fields = FieldErrors::new();
        fields.add("child_name", FieldError::Required);
        let body = ErrorBody { fields, ..ErrorBody::new(ErrorCode::Invalid, "m") };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": "invalid", "message": "m", "fields": {"child_name": {"code": "required"}}})
        );
    }

    #[test]
    fn missing_photos_and_upload_offsets_travel_in_the_error_body() {
        let hash = PhotoHash::of_bytes(b"x");
        let body = ErrorBody { missing: vec![hash.clone()], ..ErrorBody::new(ErrorCode::MissingPhotos, "m") };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": "missing_photos", "message": "m", "missing": [hash.as_str()]})
        );
        let offset: ErrorBody =
            serde_json::from_str(r#"{"error":"upload_offset","message":"m","received":65536}"#).unwrap();
        assert_eq!(offset.received, Some(65536));
    }
}
