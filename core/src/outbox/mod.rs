//! The outbox: every record the phone must deliver, with its delivery state.
//!
//! The order of one delivery is: mark the entry *sending* and store that, send, then store
//! the outcome. A crash between the first and the last step leaves the entry *sending*;
//! the next run sends it again and the server, which dedupes by id and revision, keeps it
//! once. An entry is never removed because a send failed.

mod disposition;
mod engine;
mod entry;
mod entry_owner;
mod photo_delivery;
mod retry_policy;
mod summary;
mod sync_gate;

pub use disposition::{Disposition, HttpReply, ParkReason, TransportError};
pub use engine::{run_once, Clock, Jitter, OutboundRecord, OutboxStore, RunMode, RunReport, RunStop, Transport};
pub use entry::{EntryState, OutboxEntry, RecordKind, RecordRef};
pub use entry_owner::EntryOwner;
pub use photo_delivery::{ByteProgress, PhotoUpload, ProgressSink};
pub use retry_policy::RetryPolicy;
pub use summary::Summary;
pub use sync_gate::{Admission, SyncGate};
