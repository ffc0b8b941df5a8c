//! One photo of a visit as the visit records it: which photo, its caption, when it was taken.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::PhotoHash;

/// The most characters of a caption.
pub const CAPTION_MAX_CHARS: usize = 100;

/// A photo note: the answer to a photo slot is a list of these.
///
/// `{"sha256": "…64 hex…", "caption": "厨房", "taken_at": "2026-11-20T02:15:00Z"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhotoNote {
    /// The shrunk photo's hash; its bytes travel apart (`PUT /api/v1/photos/{sha256}`).
    pub sha256: PhotoHash,
    /// What it shows, in the worker's words; may be empty.
    #[serde(default)]
    pub caption: String,
    /// When it was taken (the camera file's time), or picked.
    pub taken_at: DateTime<Utc>,
}

impl PhotoNote {
    /// A note with no caption yet.
    pub fn new(sha256: PhotoHash, taken_at: DateTime<Utc>) -> PhotoNote {
        PhotoNote { sha256, caption: String::new(), taken_at }
    }
}
