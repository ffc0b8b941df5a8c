//! How much of a photo the server holds: the answer to a photo `PUT` and to
//! `GET /api/v1/photos/{sha256}/upload`.

use serde::{Deserialize, Serialize};

use crate::photo::PhotoHash;

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

#[cfg(test)]
mod tests {
    use super::*;

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
