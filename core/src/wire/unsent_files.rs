//! `POST /api/v1/unsent-files`: a phone's unsent-records file (core's
//! [`crate::unsent_file`]) sent over the network, as its service worker sends it when the
//! connection returns with no page of the app open (Background Sync). The file is sealed to
//! the county's key and proves its device, so the call takes no token; the server stores
//! what it holds as `tongxing-ingest import` does, each record and photo once.

use serde::{Deserialize, Serialize};

/// The path, below the server's base URL.
pub const UNSENT_FILES_PATH: &str = "/api/v1/unsent-files";

/// The largest file taken, in bytes: a month's visits with their photos.
pub const UNSENT_FILE_MAX_BYTES: usize = 64 * 1024 * 1024;

/// What storing the file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnsentFileReply {
    /// Records stored for the first time.
    pub created: u32,
    /// Records stored as a newer revision.
    pub updated: u32,
    /// Records the server held already, as they are.
    pub unchanged: u32,
    /// Records kept aside beside a revision held with other content.
    pub conflicts: u32,
    /// Photos stored for the first time, and those the server held already.
    pub photos_new: u32,
    pub photos_held: u32,
    /// Records or photos refused (each for the reason its own call would give); the rest
    /// are stored all the same.
    pub refused: u32,
}
