//! A form's answers, by field id, as plain JSON values whose meaning the field's kind gives:
//! text, long text, phone, ID number, date (`YYYY-MM-DD`) and single choice (the choice's
//! code) are strings; numbers are numbers; yes/no is a boolean; multiple choice is a list
//! of codes; a photo slot is a list of [`PhotoNote`]s.
//!
//! `{"carer_relation": "grandparent", "guardianship_letter": true, "policies": ["dibao"]}`

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::photo::PhotoNote;

/// One answer. Written as the JSON value itself; read by the JSON's type
/// (`answer_value_de.rs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    /// Yes/no.
    Bool(bool),
    /// A number.
    Number(f64),
    /// Text, a date, a phone or ID number, or a single choice's code.
    Text(String),
    /// Multiple choices' codes (and, empty, a photo slot without photos).
    List(Vec<String>),
    /// A photo slot's photos.
    Photos(Vec<PhotoNote>),
}

impl AnswerValue {
    /// The text, if it is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            AnswerValue::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The boolean, if it is yes/no.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AnswerValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if it is a number.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            AnswerValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The photos, if it is a photo slot's answer (an empty list is one without photos).
    pub fn as_photos(&self) -> Option<&[PhotoNote]> {
        match self {
            AnswerValue::Photos(notes) => Some(notes),
            AnswerValue::List(items) if items.is_empty() => Some(&[]),
            _ => None,
        }
    }

    /// The list, if it is a list.
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            AnswerValue::List(items) => Some(items),
            _ => None,
        }
    }

    /// Whether it says nothing: blank text or an empty list.
    pub fn is_blank(&self) -> bool {
        match self {
            AnswerValue::Text(text) => text.trim().is_empty(),
            AnswerValue::List(items) => items.is_empty(),
            AnswerValue::Photos(notes) => notes.is_empty(),
            AnswerValue::Bool(_) | AnswerValue::Number(_) => false,
        }
    }
}

/// Every answer of one filled-in form, by field id. Blank answers count as absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Answers(BTreeMap<String, AnswerValue>);

impl Answers {
    /// No answers.
    pub fn new() -> Answers {
        Answers::default()
    }

    /// Sets (or, with a blank value, clears) the answer to `field`.
    pub fn set(&mut self, field: &str, value: AnswerValue) {
        if value.is_blank() {
            self.0.remove(field);
        } else {
            self.0.insert(field.to_owned(), value);
        }
    }

    /// The answer to `field`, if it is given and not blank.
    pub fn get(&self, field: &str) -> Option<&AnswerValue> {
        self.0.get(field).filter(|v| !v.is_blank())
    }

    /// The text answer to `field`.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.get(field).and_then(AnswerValue::as_text)
    }

    /// The yes/no answer to `field`.
    pub fn yes_no(&self, field: &str) -> Option<bool> {
        self.get(field).and_then(AnswerValue::as_bool)
    }

    /// Whether `field` is a choice answered with `code` (single: equal; multiple: contains).
    pub fn has_choice(&self, field: &str, code: &str) -> bool {
        match self.get(field) {
            Some(AnswerValue::Text(text)) => text == code,
            Some(AnswerValue::List(items)) => items.iter().any(|i| i == code),
            _ => false,
        }
    }

    /// Every photo note in the answers, whatever field holds it.
    pub fn photos(&self) -> impl Iterator<Item = &PhotoNote> {
        self.iter().filter_map(|(_, v)| v.as_photos()).flatten()
    }

    /// Every answer, by field id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AnswerValue)> {
        self.0.iter().filter(|(_, v)| !v.is_blank()).map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_plain_json() {
        let json = serde_json::json!({"relation": "grandparent", "letter": true, "age": 9.0, "policies": ["dibao", "medical"]});
        let answers: Answers = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(answers.text("relation"), Some("grandparent"));
        assert_eq!(answers.yes_no("letter"), Some(true));
        assert_eq!(answers.get("age").and_then(AnswerValue::as_number), Some(9.0));
        assert!(answers.has_choice("policies", "medical"));
        assert!(answers.has_choice("relation", "grandparent"));
        assert!(!answers.has_choice("policies", "legal_aid"));
        assert_eq!(serde_json::to_value(&answers).unwrap(), json);
    }

    #[test]
    fn blank_answers_count_as_absent() {
        let mut answers = Answers::new();
        answers.set("notes", AnswerValue::Text("  ".into()));
        answers.set("policies", AnswerValue::List(vec![]));
        assert_eq!(answers.get("notes"), None);
        assert_eq!(answers.iter().count(), 0);
        answers.set("notes", AnswerValue::Text("有".into()));
        answers.set("notes", AnswerValue::Text(String::new()));
        assert_eq!(answers.get("notes"), None, "clearing a field removes its answer");
    }
}
