//! The visit schedule: how often each child is visited ([`Cadence`]), who is due
//! ([`DueList`]) and how far this month's round has got ([`MonthProgress`]).
//!
//! Every child in difficulty is visited at least once a month (每月至少走访一次), red children
//! more often. The due list puts red children on top, then the overdue, then those due within
//! the week, then the rest. Nothing here reads a clock: callers pass `today`.

mod cadence;
mod child_status;
mod due_group;
mod due_list;
mod month_progress;
mod visit_summary;

pub use cadence::Cadence;
pub use child_status::ChildStatus;
pub use due_group::DueGroup;
pub use due_list::{DueEntry, DueList};
pub use month_progress::MonthProgress;
pub use visit_summary::VisitSummary;
