//! Everything the app keeps on the phone, in IndexedDB.
//!
//! Every value passes through [`codec`] on its way in and out, sealed with the unlocked
//! data key for its store and key ([`crate::vault`]). Saving a visit or a child's file and queueing it are one transaction: a killed tab
//! leaves either both or neither.

pub mod background_file;
mod case_plans;
mod children;
mod codec;
mod database;
mod drafts;
pub mod enrolment;
mod leaving;
mod outbox_store;
mod pairings;
mod photos;
mod received;
mod sealing;
mod sent_visits;
pub mod settings;
pub mod space;
mod storage_error;
mod unsent_file;
mod vault_copy;
mod visits;

pub use children::ChildRow;
pub use database::Database;
pub use leaving::leave_phone;
pub use outbox_store::OutboxDb;
pub use received::ReceivedDb;
pub use settings::Settings;
pub use storage_error::StorageError;
pub use unsent_file::{UnsentFile, UnsentFileError};
pub use visits::VisitRow;
