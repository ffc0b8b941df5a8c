//! A whole form as data: versioned, in sections, with the lookups the renderer and the
//! validator share.

use serde::{Deserialize, Serialize};

use super::{Answers, Field, Text};
use crate::{FieldError, Lang};

/// A form: what the app renders and what [`FormDefinition::validate`] checks answers
/// against. The server may serve county-specific definitions as JSON; each is identified by
/// `id` and `version`, and a record names the definition it was filled in with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDefinition {
    /// Which form, e.g. `home_visit`.
    pub id: String,
    /// Grows by one with each published change.
    pub version: u32,
    /// The form's title.
    pub title: Text,
    /// The sections, in the order shown.
    pub sections: Vec<Section>,
}

/// A titled group of fields, shown together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Unique in the form.
    pub id: String,
    /// The heading.
    pub title: Text,
    /// The fields, in the order shown.
    pub fields: Vec<Field>,
}

impl Section {
    /// A section from its id, Chinese and English title, and fields.
    pub fn new(id: &str, zh: &str, en: &str, fields: Vec<Field>) -> Section {
        Section { id: id.to_owned(), title: Text::new(zh, en), fields }
    }
}

impl FormDefinition {
    /// Every field, in form order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    /// The field with `id`.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|f| f.id == id)
    }

    /// The answers that count: those to fields the definition has and that are shown.
    ///
    /// Fields are taken in form order and each `show_if` is read against the answers that
    /// count so far, so hiding a field also hides the fields that depend on it, whatever
    /// stale answer it still holds (answering "harm seen: no" hides the mandatory-report
    /// questions, and with them "why no report was made"). Rules that read answers, such as
    /// risk suggestions, should read these.
    pub fn visible_answers(&self, answers: &Answers) -> Answers {
        self.visibility(answers).1
    }

    /// The fields shown for `answers`, in form order.
    pub fn visible_fields<'a>(&'a self, answers: &Answers) -> impl Iterator<Item = &'a Field> {
        self.visibility(answers).0.into_iter()
    }

    /// Whether the field `id` is shown for `answers` (false for an unknown id).
    pub fn is_visible(&self, id: &str, answers: &Answers) -> bool {
        self.visibility(answers).0.iter().any(|f| f.id == id)
    }

    /// The message for `error` on the field `id`: that of the field's first constraint
    /// reporting the same error with a message of its own, else the error's own.
    pub fn error_message(&self, id: &str, error: &FieldError, lang: Lang) -> String {
        self.field(id)
            .into_iter()
            .flat_map(|f| f.constraints.iter())
            .find(|c| c.message.is_some() && c.error() == *error)
            .map_or_else(|| error.message(lang), |c| c.message(lang))
    }

    fn visibility<'a>(&'a self, answers: &Answers) -> (Vec<&'a Field>, Answers) {
        let mut shown = Vec::new();
        let mut counted = Answers::new();
        for field in self.fields() {
            if field.show_if.as_ref().is_none_or(|c| c.holds(&counted)) {
                if let Some(value) = answers.get(&field.id) {
                    counted.set(&field.id, value.clone());
                }
                shown.push(field);
            }
        }
        (shown, counted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{AnswerValue, Condition, Constraint, ConstraintRule, FieldKind};

    fn form() -> FormDefinition {
        FormDefinition {
            id: "t".into(),
            version: 1,
            title: Text::new("测试", "Test"),
            sections: vec![
                Section::new(
                    "a",
                    "甲",
                    "A",
                    vec![
                        Field::new("harm", Text::new("侵害", "Harm"), FieldKind::YesNo),
                        Field::new("reported", Text::new("已报告", "Reported"), FieldKind::YesNo)
                            .shown_if(Condition::yes("harm")),
                    ],
                ),
                Section::new(
                    "b",
                    "乙",
                    "B",
                    vec![Field::new("why_not", Text::new("原因", "Why not"), FieldKind::LongText { max_chars: 10 })
                        .shown_if(Condition::no("reported"))
                        .with_constraint(
                            Constraint::new(ConstraintRule::MinChars { min: 2 }).with_message("请说明原因", "Say why"),
                        )],
                ),
            ],
        }
    }

    fn ids<'a>(fields: impl Iterator<Item = &'a Field>) -> Vec<&'a str> {
        fields.map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn finds_fields_across_sections() {
        let form = form();
        assert_eq!(ids(form.fields()), ["harm", "reported", "why_not"]);
        assert_eq!(form.field("why_not").map(|f| f.label.zh.as_str()), Some("原因"));
        assert!(form.field("nope").is_none());
    }

    #[test]
    fn hiding_a_field_hides_what_depends_on_it() {
        let form = form();
        let mut answers = Answers::new();
        assert_eq!(ids(form.visible_fields(&answers)), ["harm"]);
        answers.set("harm", AnswerValue::Bool(true));
        answers.set("reported", AnswerValue::Bool(false));
        assert_eq!(ids(form.visible_fields(&answers)), ["harm", "reported", "why_not"]);
        assert!(form.is_visible("why_not", &answers));
        answers.set("harm", AnswerValue::Bool(false));
        assert_eq!(ids(form.visible_fields(&answers)), ["harm"], "the stale 'not reported' no longer shows why_not");
        assert!(!form.is_visible("why_not", &answers));
        assert!(!form.is_visible("nope", &answers));
        let counted = form.visible_answers(&answers);
        assert_eq!(counted.yes_no("harm"), Some(false));
        assert_eq!(counted.get("reported"), None);
    }

    #[test]
    fn unknown_answers_do_not_count() {
        let mut answers = Answers::new();
        answers.set("colour_of_door", AnswerValue::Text("红".into()));
        assert_eq!(form().visible_answers(&answers), Answers::new());
    }

    #[test]
    fn constraint_messages_replace_the_errors_own() {
        let form = form();
        assert_eq!(form.error_message("why_not", &FieldError::TooShort { min: 2 }, Lang::ZhCn), "请说明原因");
        assert_eq!(form.error_message("why_not", &FieldError::TooShort { min: 2 }, Lang::En), "Say why");
        assert_eq!(form.error_message("why_not", &FieldError::Required, Lang::ZhCn), "此项必填");
        assert_eq!(form.error_message("nope", &FieldError::Required, Lang::En), "This is required");
    }
}
