//! Forms are data: a versioned definition (sections, fields, kinds, required, show-if,
//! constraints, choice lists, zh-CN and English labels) rendered by one generic renderer in
//! the app and checked by one validator here.
//!
//! - [`FormDefinition`] holds [`Section`]s of [`Field`]s; each field has a [`FieldKind`],
//!   an optional show-if [`Condition`] and [`Constraint`]s. [`FormDefinition::check`] finds
//!   a broken definition ([`DefinitionError`]) before anyone fills it in.
//! - [`Answers`] hold what was filled in, by field id; [`FormDefinition::validate`] checks
//!   them all at once into [`crate::FieldErrors`].
//! - [`standard_home_visit`] is the built-in home-visit form (走访记录); [`field_ids`] are
//!   the ids of its fields that code reads by name.

mod answer;
mod answer_value_de;
mod condition;
mod constraint;
mod date;
mod definition;
mod definition_error;
mod field;
pub mod field_ids;
mod field_kind;
mod form_catalog;
mod id_number;
mod phone;
mod standard_home_visit;
mod text;
mod validate;

pub use answer::{AnswerValue, Answers};
pub use condition::{Condition, ConditionValue};
pub use constraint::{Constraint, ConstraintRule};
pub use date::parse_date;
pub use definition::{FormDefinition, Section};
pub use definition_error::DefinitionError;
pub use field::Field;
pub use field_kind::{Choice, FieldKind};
pub use form_catalog::{FormCatalog, HOME_VISIT};
pub use id_number::{IdNumber, IdNumberError};
pub use phone::is_phone_number;
pub use standard_home_visit::standard_home_visit;
pub use text::Text;
