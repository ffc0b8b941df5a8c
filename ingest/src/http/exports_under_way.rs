//! One export at a time per device: a supervisor's phone that asks for a second export
//! while its first is being written gets `429 export_under_way`, so that one phone cannot
//! make the server write (and send) many large files at once. The turn lasts until the file
//! is sent whole or the download is dropped.

use std::collections::HashSet;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use uuid::Uuid;

/// The devices whose export is being written now.
#[derive(Debug, Clone, Default)]
pub struct ExportsUnderWay(Arc<Mutex<HashSet<Uuid>>>);

/// A device's turn to export; the turn ends when this is dropped.
#[derive(Debug)]
pub struct ExportTurn {
    under_way: ExportsUnderWay,
    device: Uuid,
}

impl ExportsUnderWay {
    /// `device`'s turn, unless it has an export under way already.
    pub fn begin(&self, device: Uuid) -> Option<ExportTurn> {
        self.devices().insert(device).then(|| ExportTurn { under_way: self.clone(), device })
    }

    fn devices(&self) -> MutexGuard<'_, HashSet<Uuid>> {
        // The set stays right even if a holder panicked: each entry is removed by its turn.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A file being sent, holding its device's [`ExportTurn`] until the last byte is read or
/// the download is dropped: the turn covers the download too.
#[derive(Debug)]
pub struct SentWithTurn<R> {
    reader: R,
    _turn: ExportTurn,
}

impl<R> SentWithTurn<R> {
    pub fn new(reader: R, turn: ExportTurn) -> SentWithTurn<R> {
        SentWithTurn { reader, _turn: turn }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for SentWithTurn<R> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.reader).poll_read(cx, buf)
    }
}

impl Drop for ExportTurn {
    fn drop(&mut self) {
        self.under_way.devices().remove(&self.device);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_turn_per_device_at_a_time() {
        let under_way = ExportsUnderWay::default();
        let (mine, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let turn = under_way.begin(mine).expect("the first");
        assert!(under_way.begin(mine).is_none(), "a second waits");
        assert!(under_way.begin(other).is_some(), "another device has its own turn");
        drop(turn);
        assert!(under_way.begin(mine).is_some(), "after the first ends");
    }
}
