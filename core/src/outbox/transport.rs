//! How a run of the outbox reaches the server: `fetch` in the app, a scripted server in
//! native tests.

use super::OutboundRecord;
use crate::http_reply::{HttpReply, TransportError};
use crate::photo::{PhotoHash, UploadPiece};

/// Sends records and photos to the server.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// `PUT`s one record.
    async fn send(&self, record: &OutboundRecord) -> Result<HttpReply, TransportError>;
    /// `GET /api/v1/photos/{sha256}/upload`: how much of a photo the server holds.
    async fn photo_status(&self, hash: &PhotoHash) -> Result<HttpReply, TransportError>;
    /// `PUT /api/v1/photos/{sha256}` with `Content-Range`: one piece of a photo.
    async fn send_photo_piece(
        &self,
        hash: &PhotoHash,
        piece: &UploadPiece,
        bytes: Vec<u8>,
    ) -> Result<HttpReply, TransportError>;
}
