//! A person who looks after the child (监护人 or carer), as listed in the child's file.

use serde::{Deserialize, Serialize};

/// One guardian or carer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    /// Their name.
    pub name: String,
    /// Their relation to the child, as a choice code of the home-visit form's
    /// `carer_relation` field (e.g. `grandparent`).
    pub relation: String,
    /// A phone number to reach them; may be empty.
    #[serde(default)]
    pub phone: String,
}
