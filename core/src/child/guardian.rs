//! A person who looks after the child (监护人 or carer), as listed in the child's file.

use serde::{Deserialize, Serialize};

use crate::form::{Choice, FormCatalog};
use crate::Lang;

/// The form field whose choices name a guardian's relation to the child.
const RELATION_FIELD: &str = "carer_relation";
/// The choice of that field that means "no carer": not a relation a guardian can have.
const NO_CARER: &str = "none";

/// The relations a guardian can have: the home-visit form's `carer_relation` choices, so the
/// file and the visit speak the same words.
pub fn relation_choices() -> Vec<&'static Choice> {
    FormCatalog::builtin()
        .home_visit()
        .and_then(|form| form.field(RELATION_FIELD))
        .map(|field| field.kind.choices().iter().filter(|c| c.code != NO_CARER).collect())
        .unwrap_or_default()
}

/// The words for a relation code (the code itself if the form does not know it).
pub fn relation_label(code: &str, lang: Lang) -> String {
    relation_choices()
        .into_iter()
        .find(|c| c.code == code)
        .map(|c| c.label.get(lang).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

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
