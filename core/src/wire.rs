//! The wire contract (v1) between the app and the server, as in DESIGN.md: the bodies
//! that both sides read and write.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::FieldErrors;

/// The path prefix of every API call.
pub const API_PREFIX: &str = "/api/v1";

/// The largest visit body the server accepts, in bytes.
pub const VISIT_BODY_LIMIT: usize = 64 * 1024;

/// What a successful `PUT` of a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct PutReply {
    pub id: Uuid,
    pub status: PutStatus,
    /// The newest revision the server now holds.
    pub revision: u32,
}

/// The body of every error answer: `{"error": "<code>", "message": "<human text>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable machine code, such as `invalid`, `malformed_json`, `too_large`.
    pub error: String,
    /// A sentence for a person, in the language the request asked for.
    pub message: String,
    /// With `invalid`: what is wrong with each field.
    #[serde(default, skip_serializing_if = "FieldErrors::is_empty")]
    pub fields: FieldErrors,
}

/// The body of `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        let body = ErrorBody { error: "malformed_json".into(), message: "m".into(), fields: FieldErrors::new() };
        assert_eq!(serde_json::to_value(&body).unwrap(), serde_json::json!({"error": "malformed_json", "message": "m"}));
        let parsed: ErrorBody = serde_json::from_str(r#"{"error":"x","message":"y"}"#).unwrap();
        assert!(parsed.fields.is_empty());
    }

    #[test]
    fn error_body_carries_field_errors() {
        let mut fields = FieldErrors::new();
        fields.add("child_name", FieldError::Required);
        let body = ErrorBody { error: "invalid".into(), message: "m".into(), fields };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": "invalid", "message": "m", "fields": {"child_name": {"code": "required"}}})
        );
    }
}
