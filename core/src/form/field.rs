//! One question of a form.

use serde::{Deserialize, Serialize};

use super::{Condition, Constraint, FieldKind, Text};

/// One question: its id in the answers, its wording, its kind and its rules.
///
/// ```
/// use tongxing_core::form::{Condition, Field, FieldKind, Text};
///
/// let field = Field::new("illness", Text::new("所患疾病", "Illness"), FieldKind::Text { max_chars: 200 })
///     .required()
///     .shown_if(Condition::yes("seriously_ill"));
/// assert!(field.required);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The key of its answer: lower-case ASCII letters, digits and `_`, unique in the form.
    pub id: String,
    /// The question.
    pub label: Text,
    /// A line of help under the question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Text>,
    /// What kind of answer it takes.
    pub kind: FieldKind,
    /// Whether it must be answered when it is shown. A hidden field is never required.
    #[serde(default)]
    pub required: bool,
    /// When it is shown; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Rules beyond those of its kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
}

impl Field {
    /// An optional, always-shown field without hint or constraints.
    pub fn new(id: &str, label: Text, kind: FieldKind) -> Field {
        Field { id: id.to_owned(), label, hint: None, kind, required: false, show_if: None, constraints: Vec::new() }
    }

    /// The same field, required when shown.
    pub fn required(self) -> Field {
        Field { required: true, ..self }
    }

    /// The same field with a hint.
    pub fn with_hint(self, zh: &str, en: &str) -> Field {
        Field { hint: Some(Text::new(zh, en)), ..self }
    }

    /// The same field, shown only when `condition` holds.
    pub fn shown_if(self, condition: Condition) -> Field {
        Field { show_if: Some(condition), ..self }
    }

    /// The same field with one more constraint.
    pub fn with_constraint(mut self, constraint: Constraint) -> Field {
        self.constraints.push(constraint);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_parts_are_left_out_of_the_wire_form() {
        let field = Field::new("in_school", Text::new("是否在校", "In school"), FieldKind::YesNo);
        let json = serde_json::to_value(&field).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "in_school", "label": {"zh": "是否在校", "en": "In school"}, "kind": {"type": "yes_no"}, "required": false})
        );
        let minimal = serde_json::json!({"id": "in_school", "label": {"zh": "是否在校", "en": "In school"}, "kind": {"type": "yes_no"}});
        assert_eq!(serde_json::from_value::<Field>(minimal).unwrap(), field);
    }

    #[test]
    fn misspelt_keys_are_refused() {
        let json = serde_json::json!({"id": "x", "label": {"zh": "甲", "en": "A"}, "kind": {"type": "yes_no"}, "requierd": true});
        assert!(serde_json::from_value::<Field>(json).is_err());
    }
}
