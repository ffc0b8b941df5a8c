//! How much of one photo the server has confirmed, kept with the photo on the phone.

use serde::{Deserialize, Serialize};

/// How much of one photo the server has confirmed, as the phone last heard. Stored with the
/// photo when it is taken, updated after every piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoUpload {
    /// The stored photo's size in bytes.
    pub size: u64,
    /// The bytes the server confirmed holding, from the start.
    pub received: u64,
    /// The server holds the whole photo.
    pub held: bool,
    /// The size of its next piece, as the link was last measured; `None` before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub piece: Option<u64>,
}

impl PhotoUpload {
    /// A photo just stored on the phone, of which the server has nothing yet.
    pub fn new(size: u64) -> PhotoUpload {
        PhotoUpload { size, received: 0, held: false, piece: None }
    }

    /// The bytes still to send.
    pub fn remaining(&self) -> u64 {
        if self.held {
            0
        } else {
            self.size.saturating_sub(self.received)
        }
    }

    /// The server no longer has it (a `409 missing_photos`): send it again from where the
    /// server says.
    pub fn forget_held(&mut self) {
        self.held = false;
        self.received = 0;
    }
}
