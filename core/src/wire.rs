//! The wire contract (v1) between the app and the server, as in DESIGN.md: the bodies
//! that both sides read and write.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::photo::PhotoHash;
use crate::FieldErrors;

/// The path prefix of every API call.
pub const API_PREFIX: &str = "/api/v1";

/// The largest visit body the server accepts, in bytes.
pub const VISIT_BODY_LIMIT: usize = 64 * 1024;

/// What a successful `PUT` of a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PutStatus {
    /// The record was new: `201`.
    Created,
    /// A newer revision was stored and the older one kept in history: `200`.
    Updated,
    /// The same or an older revision was already held; nothing changed: `200`.
    Unchanged,
    /// The same revision with different content was already held: this one is kept aside
    /// and flagged for a person; the held one stays current: `200`.
    Conflict,
}

/// The body of a `2xx` answer to a `PUT` of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PutReply {
    pub id: Uuid,
    pub status: PutStatus,
    /// The newest revision the server now holds.
    pub revision: u32,
}

/// The body of every error answer: `{"error": "<code>", "message": "<human text>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable machine code, such as `invalid`, `malformed_json`, `too_large`.
    pub error: String,
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
    pub fn new(error: impl Into<String>, message: impl Into<String>) -> ErrorBody {
        ErrorBody { error: error.into(), message: message.into(), fields: FieldErrors::new(), missing: Vec::new(), received: None }
    }
}

/// The error code of a `409` to a visit naming photos the server lacks.
pub const MISSING_PHOTOS: &str = "missing_photos";
/// The error code of a `409` to a piece that does not start where the server's bytes end.
pub const UPLOAD_OFFSET: &str = "upload_offset";

/// How much of a photo the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PhotoStatus {
    /// This request completed the photo: `201`.
    Created,
    /// The whole photo was held already: `200`.
    Held,
    /// Some bytes are held, durably; more are needed: `202` to a piece, `200` to a status
    /// request.
    Partial,
    /// Nothing of it is held: `200` to a status request.
    Absent,
}

/// The body of a photo `PUT` that succeeded and of `GET /api/v1/photos/{sha256}/upload`.
/// `{"sha256": "…", "status": "partial", "received": 65536, "size": 248113}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoReply {
    pub sha256: PhotoHash,
    pub status: PhotoStatus,
    /// The bytes the server holds, durably, from the start of the photo.
    pub received: u64,
    /// The photo's whole size, once the server knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub size: Option<u64>,
}

/// The body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FieldError;

    #[test]
    fn put_status_is_snake_case_on_the_wire() {
        let statuses = [PutStatus::Created, PutStatus::Updated, PutStatus::Unchanged, PutStatus::Conflict];
        let codes: Vec<String> = statuses.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
        assert_eq!(codes, ["\"created\"", "\"updated\"", "\"unchanged\"", "\"conflict\""]);
        let reply: PutReply = serde_json::from_str(
            r#"{"id":"0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a","status":"conflict","revision":3}"#,
        )
        .unwrap();
        assert_eq!(reply.status, PutStatus::Conflict);
        assert_eq!(reply.revision, 3);
    }

    #[test]
    fn error_body_omits_empty_fields() {
        let body = ErrorBody::new("malformed_json", "m");
        assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({"error": "malformed_json", "message": "m"}));
        let parsed: ErrorBody = serde_json::from_str(r#"{"error":"x","message":"y"}"#).unwrap();
        assert!(parsed.fields.is_empty());
    }

    #[test]
    fn error_body_carries_field_errors() {
        let mut fields = FieldErrors::new();
        fields.add("child_name", FieldError::Required);
        let body = ErrorBody { fields, ..ErrorBody::new("invalid", "m") };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": "invalid", "message": "m", "fields": {"child_name": {"code": "required"}}})
        );
    }

    #[test]
    fn missing_photos_and_upload_offsets_travel_in_the_error_body() {
        let hash = PhotoHash::of_bytes(b"x");
        let body = ErrorBody { missing: vec![hash.clone()], ..ErrorBody::new(MISSING_PHOTOS, "m") };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": "missing_photos", "message": "m", "missing": [hash.as_str()]})
        );
        let offset: ErrorBody = serde_json::from_str(r#"{"error":"upload_offset","message":"m","received":65536}"#).unwrap();
        assert_eq!(offset.received, Some(65536));
    }

    #[test]
    fn photo_replies_say_how_much_is_held() {
        let reply: PhotoReply = serde_json::from_value(serde_json::json!({
            "sha256": "c".repeat(64), "status": "partial", "received": 65536, "size": 248113
        }))
        .unwrap();
        assert_eq!((reply.status, reply.received, reply.size), (PhotoStatus::Partial, 65536, Some(248113)));
        let absent = PhotoReply { sha256: reply.sha256, status: PhotoStatus::Absent, received: 0, size: None };
        assert_eq!(serde_json::to_value(&absent).unwrap()["status"], "absent");
        assert!(serde_json::to_value(&absent).unwrap().get("size").is_none());
    }
}
