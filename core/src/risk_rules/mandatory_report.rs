//! Mandatory reporting (强制报告): when a visit finds abuse, serious neglect or abandonment,
//! the worker must report to the police at once. This is national law, not a local rule, so
//! it is fixed here rather than in a [`super::RiskRules`] table.

use crate::form::field_ids::{ABANDONMENT, HARM_SIGNS, SERIOUS_NEGLECT};
use crate::form::Answers;

/// Whether the answers oblige the worker to report to the police (公安机关, 110): signs of
/// harm, serious neglect or abandonment answered yes.
pub fn needs_mandatory_report(answers: &Answers) -> bool {
    [HARM_SIGNS, SERIOUS_NEGLECT, ABANDONMENT].into_iter().any(|field| answers.yes_no(field) == Some(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::AnswerValue;

    fn with(pairs: &[(&str, bool)]) -> Answers {
        let mut answers = Answers::new();
        for (field, value) in pairs {
            answers.set(field, AnswerValue::Bool(*value));
        }
        answers
    }

    #[test]
    fn harm_neglect_or_abandonment_must_be_reported() {
        for field in ["harm_signs", "serious_neglect", "abandonment"] {
            assert!(needs_mandatory_report(&with(&[(field, true)])), "{field}");
        }
        assert!(needs_mandatory_report(&with(&[("harm_signs", false), ("abandonment", true)])));
    }

    #[test]
    fn other_findings_are_not_reported_to_the_police() {
        assert!(!needs_mandatory_report(&Answers::new()));
        assert!(!needs_mandatory_report(&with(&[
            ("harm_signs", false),
            ("serious_neglect", false),
            ("abandonment", false)
        ])));
        let mut red_but_not_reportable = with(&[("seriously_ill", true), ("dropout_risk", true)]);
        red_but_not_reportable.set("carer_relation", AnswerValue::Text("none".into()));
        assert!(!needs_mandatory_report(&red_but_not_reportable));
    }
}
