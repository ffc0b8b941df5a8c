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
mod leaving;
mod outbound_record;
mod outbox_store;
mod photo_delivery;
mod photo_upload;
mod retry_policy;
mod sent_visit_keeping;
mod summary;
mod sync_gate;
mod transport;

pub use disposition::{Disposition, ParkReason};
pub use engine::{run_once, Clock, Jitter, RunMode, RunReport, RunStop};
pub use entry::{EntryState, OutboxEntry, RecordRef};
pub use entry_owner::EntryOwner;
pub use leaving::LeavingRefused;
pub use outbound_record::OutboundRecord;
pub use outbox_store::OutboxStore;
pub use photo_delivery::{ByteProgress, ProgressSink};
pub use photo_upload::PhotoUpload;
pub use retry_policy::RetryPolicy;
pub use sent_visit_keeping::SavedVisit;
pub use summary::{waiting_too_long_message, Summary, UNSENT_WARN_DAYS};
pub use sync_gate::{Admission, SyncGate};
pub use transport::Transport;
