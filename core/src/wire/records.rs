//! What a `PUT` of a record (`/api/v1/visits/{id}`, `/api/v1/children/{id}`) answers when
//! it succeeds, and how large its body may be.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_status_is_snake_case_on_the_wire() {
        let statuses = [PutStatus::Created, PutStatus::Updated, PutStatus::Unchanged, PutStatus::Conflict];
        let codes: Vec<String> = statuses.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
        assert_eq!(codes, ["\"created\"", "\"updated\"", "\"unchanged\"", "\"conflict\""]);
        let reply: PutReply =
            serde_json::from_str(r#"{"id":"0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a","status":"conflict","revision":3}"#)
                .unwrap();
        assert_eq!(reply.status, PutStatus::Conflict);
        assert_eq!(reply.revision, 3);
    }
}
