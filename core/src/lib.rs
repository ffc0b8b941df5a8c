//! `tongxing-core`: every decision in Tongxing that needs no browser.
//!
//! The app (`src/`) and the ingestion server (`ingest/`) both depend on this crate, so the
//! record types, their validation and the wire contract cannot drift between them. The
//! outbox engine lives here too, as plain functions of (store, transport, clock), so that
//! native tests can drive it with a fake clock and a scripted transport.

pub mod arrival;
pub mod case_plan;
pub mod child;
pub mod enrolment;
pub mod export;
pub mod field_error;
pub mod field_merge;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod form;
pub mod http_reply;
pub mod in_app_browser;
pub mod lang;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod outbox;
pub mod pairing;
pub mod phone_app;
pub mod photo;
pub mod pull;
pub mod read_scope;
pub mod record_filter;
pub mod record_kind;
pub mod revision_step;
pub mod risk_colour;
pub mod risk_rules;
pub mod schedule;
pub mod search_query;
pub mod sex;
pub mod supervision;
pub mod training;
pub mod unsent_file;
#[cfg(test)]
mod untrusted_input_tests;
pub mod vault;
pub mod village_workers;
pub mod visit;
pub mod visit_draft;
pub mod visit_on_server;
pub mod visit_type;
pub mod wire;
pub mod worker;

pub use field_error::{FieldError, FieldErrors};
pub use lang::Lang;
pub use record_kind::RecordKind;
pub use risk_colour::RiskColour;
pub use visit::Visit;
pub use visit_draft::VisitDraft;
pub use visit_type::VisitType;
pub use worker::{Role, Worker};
