//! What kind of answer a field takes, and so how it is shown and checked.

use serde::{Deserialize, Serialize};

use super::Text;

/// One option of a choice field. The `code` is what the answers store and exports use; the
/// label is what people see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stored in the answers: lower-case ASCII letters, digits and `_`, unique in its field.
    pub code: String,
    /// What people see.
    pub label: Text,
}

impl Choice {
    /// A choice from its code and its Chinese and English labels.
    pub fn new(code: &str, zh: &str, en: &str) -> Choice {
        Choice { code: code.to_owned(), label: Text::new(zh, en) }
    }
}

/// The kind of a field. Serialised with a `type` tag:
/// `{"type":"single_choice","choices":[{"code":"able","label":{"zh":"有监护能力","en":"Able"}}]}`.
///
/// The answer each kind takes is described on [`super::Answers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FieldKind {
    /// One line of text, at most `max_chars` characters.
    Text {
        /// The most characters accepted (after trimming).
        max_chars: usize,
    },
    /// Several lines of text, at most `max_chars` characters.
    LongText {
        /// The most characters accepted (after trimming).
        max_chars: usize,
    },
    /// A number, optionally bounded and optionally whole.
    Number {
        /// The smallest accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// The largest accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whether only whole numbers are accepted.
        #[serde(default)]
        integer: bool,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date {
        /// Whether a date later than the checker's today is refused.
        not_in_future: bool,
    },
    /// Exactly one of the choices; the answer is its code.
    SingleChoice {
        /// The options, in the order shown.
        choices: Vec<Choice>,
    },
    /// Any number of the choices; the answer is the list of their codes.
    MultipleChoice {
        /// The options, in the order shown.
        choices: Vec<Choice>,
        /// The fewest that may be chosen when the field is answered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<usize>,
        /// The most that may be chosen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<usize>,
    },
    /// Yes or no; the answer is a boolean.
    YesNo,
    /// A Chinese mobile or landline number; see [`super::is_phone_number`].
    Phone,
    /// A Chinese resident identity number; see [`super::IdNumber`].
    IdNumber,
    /// Photos, as the SHA-256 hashes (64 lower-case hex digits) of files kept elsewhere.
    PhotoSlot {
        /// The most photos accepted.
        max_photos: usize,
    },
}

impl FieldKind {
    /// The options of a single or multiple choice field; empty for other kinds.
    pub fn choices(&self) -> &[Choice] {
        match self {
            FieldKind::SingleChoice { choices } | FieldKind::MultipleChoice { choices, .. } => choices,
            _ => &[],
        }
    }

    /// The option with `code`, if this is a choice field that has it.
    pub fn choice(&self, code: &str) -> Option<&Choice> {
        self.choices().iter().find(|c| c.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_with_a_snake_case_type_tag() {
        assert_eq!(serde_json::to_value(FieldKind::YesNo).unwrap(), serde_json::json!({"type": "yes_no"}));
        assert_eq!(
            serde_json::to_value(FieldKind::LongText { max_chars: 500 }).unwrap(),
            serde_json::json!({"type": "long_text", "max_chars": 500})
        );
        assert_eq!(
            serde_json::to_value(FieldKind::Number { min: Some(0.0), max: None, integer: true }).unwrap(),
            serde_json::json!({"type": "number", "min": 0.0, "integer": true})
        );
        let kind: FieldKind = serde_json::from_value(serde_json::json!({
            "type": "multiple_choice",
            "choices": [{"code": "dibao", "label": {"zh": "低保", "en": "Minimum living allowance"}}],
            "max": 1
        }))
        .unwrap();
        assert_eq!(
            kind,
            FieldKind::MultipleChoice {
                choices: vec![Choice::new("dibao", "低保", "Minimum living allowance")],
                min: None,
                max: Some(1)
            }
        );
        assert_eq!(kind.choice("dibao").map(|c| c.label.zh.as_str()), Some("低保"));
        assert_eq!(kind.choice("other"), None);
    }

    #[test]
    fn unknown_kinds_and_keys_are_refused() {
        assert!(serde_json::from_value::<FieldKind>(serde_json::json!({"type": "slider"})).is_err());
        assert!(serde_json::from_value::<FieldKind>(
            serde_json::json!({"type": "text", "max_chars": 5, "maxchars": 6})
        )
        .is_err());
    }
}
