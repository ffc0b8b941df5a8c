//! Getting a visit's photos to the server before the visit: for each photo the server does
//! not yet hold, ask how much it has, then send the rest in pieces, each starting where the
//! server's confirmed bytes end, so that no confirmed byte is sent twice, even after a cut
//! connection or a reload. Each piece is sized to the link as the last one measured it
//! ([`next_piece_bytes`]), kept with the photo so that the next run starts from there.

use super::{Clock, Disposition, OutboxStore, ParkReason, PhotoUpload, Transport};
use crate::http_reply::{HttpReply, TransportError};
use crate::photo::{next_piece_bytes, PhotoHash, UploadPiece, PIECE_BYTES};
use crate::wire::{ErrorCode, PhotoReply, PhotoStatus};

/// Bytes confirmed by the server during a run, out of those the run set out to send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteProgress {
    pub confirmed: u64,
    pub total: u64,
}

/// Told of every confirmed piece, for the sync indicator.
pub trait ProgressSink {
    fn progress(&self, progress: ByteProgress);
}

impl<F: Fn(ByteProgress)> ProgressSink for F {
    fn progress(&self, progress: ByteProgress) {
        self(progress)
    }
}

/// The progress of one run, passed along as it goes.
pub(super) struct RunBytes<'a> {
    pub(super) progress: ByteProgress,
    pub(super) sink: &'a dyn ProgressSink,
    /// What times each piece.
    pub(super) clock: &'a dyn Clock,
}

impl RunBytes<'_> {
    pub(super) fn confirm(&mut self, bytes: u64) {
        self.progress.confirmed += bytes;
        self.progress.total = self.progress.total.max(self.progress.confirmed);
        self.sink.progress(self.progress);
    }
}

/// How many pieces of one photo may fail to move it along (the server moved its start
/// back, or kept nothing) before the run leaves it for later.
const MAX_STALLS: u32 = 3;

/// Sends every photo of `hashes` the server does not hold. `None` when the server holds them
/// all; otherwise what the visit's entry should record (the rest of the visit waits). Only
/// store failures are errors.
pub(super) async fn deliver_photos<S: OutboxStore, T: Transport>(
    store: &S,
    transport: &T,
    hashes: &[PhotoHash],
    bytes: &mut RunBytes<'_>,
) -> Result<Option<(Disposition, Option<u16>)>, S::Error> {
    for hash in hashes {
        if let Some(refusal) = deliver_photo(store, transport, hash, bytes).await? {
            return Ok(Some(refusal));
        }
    }
    Ok(None)
}

async fn deliver_photo<S: OutboxStore, T: Transport>(
    store: &S,
    transport: &T,
    hash: &PhotoHash,
    bytes: &mut RunBytes<'_>,
) -> Result<Option<(Disposition, Option<u16>)>, S::Error> {
    let Some(mut upload) = store.photo_upload(hash).await? else {
        return Ok(Some(park(ParkReason::MissingPhoto, hash)));
    };
    if upload.held {
        return Ok(None);
    }

    // Where the server is: after a cut it may hold more than the phone heard of.
    let reply = match transport.photo_status(hash).await {
        Ok(reply) => reply,
        Err(error) => return Ok(Some(no_answer(&error))),
    };
    match read_reply(&reply) {
        Some(server) if reply.status == 200 => {
            if !note(store, hash, &mut upload, server, bytes).await? {
                return Ok(Some(park(ParkReason::DamagedPhoto, hash)));
            }
        }
        _ => return Ok(Some(refused(&reply))),
    }

    let mut stalls = 0;
    while let Some(piece) = UploadPiece::sized(upload.received, upload.size, upload.piece.unwrap_or(PIECE_BYTES)) {
        if upload.held {
            break;
        }
        let before = upload.received;
        let Some(data) = store.photo_piece(hash, piece.range.clone()).await? else {
            return Ok(Some(park(ParkReason::MissingPhoto, hash)));
        };
        let started = bytes.clock.now();
        let sent = transport.send_photo_piece(hash, &piece, data).await;
        let elapsed = u64::try_from((bytes.clock.now() - started).num_milliseconds()).unwrap_or(0);
        let current = upload.piece.unwrap_or(PIECE_BYTES);
        let reply = match sent {
            Ok(reply) => reply,
            Err(error) => {
                // Cut on the way: the next piece, in this run or the next, is smaller.
                upload.piece = Some(next_piece_bytes(current, piece.len(), elapsed, false));
                store.set_photo_upload(hash, &upload).await?;
                return Ok(Some(no_answer(&error)));
            }
        };
        if (200..=299).contains(&reply.status) {
            upload.piece = Some(next_piece_bytes(current, piece.len(), elapsed, true));
        }
        match reply.status {
            200..=299 => match read_reply(&reply) {
                Some(server) => {
                    if !note(store, hash, &mut upload, server, bytes).await? {
                        return Ok(Some(park(ParkReason::DamagedPhoto, hash)));
                    }
                }
                None => return Ok(Some(refused(&reply))),
            },
            409 => match reply.error_body() {
                Some(body) if body.error == ErrorCode::UploadOffset => {
                    let server = body.received.unwrap_or(0).min(upload.size);
                    let gained = server.saturating_sub(upload.received);
                    upload.received = server;
                    store.set_photo_upload(hash, &upload).await?;
                    bytes.confirm(gained);
                }
                _ => return Ok(Some(refused(&reply))),
            },
            400 if reply.error_code() == Some(ErrorCode::HashMismatch) => {
                return Ok(Some(park(ParkReason::DamagedPhoto, hash)))
            }
            _ => return Ok(Some(refused(&reply))),
        }
        if !upload.held && upload.received <= before {
            stalls += 1;
            if stalls > MAX_STALLS {
                let problem = format!("photo {}: the server does not take its pieces", hash.short());
                return Ok(Some((Disposition::Retry { after: None, problem }, None)));
            }
        }
    }
    if !upload.held {
        // Every byte is confirmed but the server did not say it holds the photo: ask again
        // next run rather than send the visit now.
        return Ok(Some((
            Disposition::Retry { after: None, problem: format!("photo {} incomplete", hash.short()) },
            None,
        )));
    }
    Ok(None)
}

/// Records what the server said it holds. `false` when the answer makes no sense for this
/// photo (another size, more bytes than it has).
async fn note<S: OutboxStore>(
    store: &S,
    hash: &PhotoHash,
    upload: &mut PhotoUpload,
    server: PhotoReply,
    bytes: &mut RunBytes<'_>,
) -> Result<bool, S::Error> {
    if server.sha256 != *hash || server.size.is_some_and(|size| size != upload.size) || server.received > upload.size {
        return Ok(false);
    }
    let before = upload.received;
    match server.status {
        PhotoStatus::Created | PhotoStatus::Held => {
            upload.held = true;
            upload.received = upload.size;
        }
        PhotoStatus::Partial => upload.received = server.received,
        PhotoStatus::Absent => upload.received = 0,
    }
    store.set_photo_upload(hash, upload).await?;
    bytes.confirm(upload.received.saturating_sub(before));
    Ok(true)
}

fn read_reply(reply: &HttpReply) -> Option<PhotoReply> {
    serde_json::from_str(&reply.body).ok()
}

fn park(reason: ParkReason, hash: &PhotoHash) -> (Disposition, Option<u16>) {
    (Disposition::Park { reason, problem: format!("photo {}", hash.short()) }, None)
}

fn no_answer(error: &TransportError) -> (Disposition, Option<u16>) {
    (Disposition::of_transport_error(error), None)
}

/// What an answer that did not move the photo along means. A `2xx` here carried no
/// readable photo status, so it confirms nothing: try again later.
fn refused(reply: &HttpReply) -> (Disposition, Option<u16>) {
    let disposition = match reply.status {
        200..=299 => Disposition::Retry { after: None, problem: format!("HTTP {}: unreadable answer", reply.status) },
        _ => Disposition::of_reply(reply),
    };
    (disposition, Some(reply.status))
}
