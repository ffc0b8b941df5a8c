//! When a field is shown ("show-if"), as a small logic over earlier answers.

use serde::{Deserialize, Serialize};

use super::Answers;

/// The value an [`Condition::Equals`] compares with: a yes/no answer or a single choice's
/// code. Written in JSON as it is: `true` or `"grandparent"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionValue {
    /// A yes/no answer.
    Bool(bool),
    /// A single choice's code.
    Code(String),
}

/// A condition on the answers, used to show a field only when it applies.
///
/// Serialised with the variant name as the key, so that `Not`, `All` and `Any` can hold
/// conditions directly (a `type` tag cannot: it would clash with the inner condition's own):
///
/// ```json
/// {"all": [{"equals": {"field": "in_school", "value": true}},
///          {"not": {"includes": {"field": "policies_linked", "code": "dibao"}}}]}
/// ```
///
/// Conditions read only the answers of fields that are themselves shown: the answer to a
/// hidden field counts as absent (see [`super::FormDefinition::visible_answers`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The yes/no field is answered with `value`, or the single choice field with the
    /// choice whose code is `value`.
    Equals {
        /// The field read.
        field: String,
        /// The answer it must have.
        value: ConditionValue,
    },
    /// The multiple choice field includes `code`.
    Includes {
        /// The field read.
        field: String,
        /// The code it must include.
        code: String,
    },
    /// The field has a non-blank answer.
    Answered {
        /// The field read.
        field: String,
    },
    /// The inner condition does not hold (an unanswered field makes `Equals` false, so its
    /// `Not` true).
    Not(Box<Condition>),
    /// Every inner condition holds (true when there are none).
    All(Vec<Condition>),
    /// At least one inner condition holds (false when there are none).
    Any(Vec<Condition>),
}

impl Condition {
    /// The yes/no `field` is answered yes.
    pub fn yes(field: &str) -> Condition {
        Condition::Equals { field: field.to_owned(), value: ConditionValue::Bool(true) }
    }

    /// The yes/no `field` is answered no.
    pub fn no(field: &str) -> Condition {
        Condition::Equals { field: field.to_owned(), value: ConditionValue::Bool(false) }
    }

    /// The single choice `field` is answered with `code`.
    pub fn is(field: &str, code: &str) -> Condition {
        Condition::Equals { field: field.to_owned(), value: ConditionValue::Code(code.to_owned()) }
    }

    /// The multiple choice `field` includes `code`.
    pub fn includes(field: &str, code: &str) -> Condition {
        Condition::Includes { field: field.to_owned(), code: code.to_owned() }
    }

    /// `field` is answered.
    pub fn answered(field: &str) -> Condition {
        Condition::Answered { field: field.to_owned() }
    }

    /// The opposite of `condition`; the same as `!condition`.
    #[allow(clippy::should_implement_trait)] // `Not` is implemented too; this reads well in lists.
    pub fn not(condition: Condition) -> Condition {
        Condition::Not(Box::new(condition))
    }

    /// Whether the condition holds for `answers`.
    pub fn holds(&self, answers: &Answers) -> bool {
        match self {
            Condition::Equals { field, value: ConditionValue::Bool(b) } => answers.yes_no(field) == Some(*b),
            Condition::Equals { field, value: ConditionValue::Code(code) } => {
                answers.text(field) == Some(code.as_str())
            }
            Condition::Includes { field, code } => {
                answers.get(field).and_then(|v| v.as_list()).is_some_and(|items| items.iter().any(|i| i == code))
            }
            Condition::Answered { field } => answers.get(field).is_some(),
            Condition::Not(inner) => !inner.holds(answers),
            Condition::All(inner) => inner.iter().all(|c| c.holds(answers)),
            Condition::Any(inner) => inner.iter().any(|c| c.holds(answers)),
        }
    }

    /// The leaf conditions (`Equals`, `Includes`, `Answered`) inside this one, in the order
    /// written: the answers it reads.
    pub fn leaves(&self) -> Vec<&Condition> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a Condition>) {
        match self {
            Condition::Not(inner) => inner.collect_leaves(out),
            Condition::All(inner) | Condition::Any(inner) => inner.iter().for_each(|c| c.collect_leaves(out)),
            leaf => out.push(leaf),
        }
    }
}

/// `!condition` is [`Condition::Not`] of it.
impl std::ops::Not for Condition {
    type Output = Condition;

    fn not(self) -> Condition {
        Condition::Not(Box::new(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::AnswerValue;

    fn answers(json: serde_json::Value) -> Answers {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn leaves_read_one_answer() {
        let a =
            answers(serde_json::json!({"signed": true, "relation": "grandparent", "policies": ["dibao"], "note": "x"}));
        assert!(Condition::yes("signed").holds(&a));
        assert!(!Condition::no("signed").holds(&a));
        assert!(Condition::is("relation", "grandparent").holds(&a));
        assert!(!Condition::is("relation", "mother").holds(&a));
        assert!(Condition::includes("policies", "dibao").holds(&a));
        assert!(!Condition::includes("policies", "legal_aid").holds(&a));
        assert!(!Condition::includes("relation", "grandparent").holds(&a), "includes reads lists only");
        assert!(Condition::answered("note").holds(&a));
        assert!(!Condition::answered("missing").holds(&a));
    }

    #[test]
    fn unanswered_fields_are_neither_yes_nor_no() {
        let a = Answers::new();
        assert!(!Condition::yes("signed").holds(&a));
        assert!(!Condition::no("signed").holds(&a));
        assert!((!Condition::yes("signed")).holds(&a));
        assert_eq!(Condition::not(Condition::yes("signed")), !Condition::yes("signed"));
    }

    #[test]
    fn nested_all_any_not() {
        let c = Condition::All(vec![
            Condition::Any(vec![Condition::yes("harm"), Condition::yes("neglect")]),
            !Condition::yes("reported"),
        ]);
        let mut a = Answers::new();
        assert!(!c.holds(&a));
        a.set("neglect", AnswerValue::Bool(true));
        assert!(c.holds(&a));
        a.set("reported", AnswerValue::Bool(true));
        assert!(!c.holds(&a));
        a.set("reported", AnswerValue::Bool(false));
        assert!(c.holds(&a));
        assert!(Condition::All(vec![]).holds(&a));
        assert!(!Condition::Any(vec![]).holds(&a));
        assert_eq!(c.leaves().len(), 3);
    }

    #[test]
    fn wire_form_names_the_variant() {
        let c = Condition::All(vec![Condition::yes("in_school"), !Condition::includes("policies", "dibao")]);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"all": [
                {"equals": {"field": "in_school", "value": true}},
                {"not": {"includes": {"field": "policies", "code": "dibao"}}}
            ]})
        );
        assert_eq!(serde_json::from_value::<Condition>(json).unwrap(), c);
        let code: Condition =
            serde_json::from_value(serde_json::json!({"equals": {"field": "r", "value": "none"}})).unwrap();
        assert_eq!(code, Condition::is("r", "none"));
    }
}
