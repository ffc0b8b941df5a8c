//! The suggested risk colour (红黄蓝绿四色管理): from a visit's answers, the colour the rules
//! suggest and why. The worker sets the child's colour; when it differs from the suggestion
//! the form asks for a reason ([`override_needs_reason`]).
//!
//! Localities define their own criteria, so the rules are data ([`RiskRules`]), and a county
//! can be served its own table as JSON. The suggestion is the highest-risk colour of every
//! rule that matches, green when none does. [`RiskRules::standard`] is this table, on the
//! field ids of the standard home-visit form:
//!
//! | when the answer is                                                  | colour | reason               |
//! |---------------------------------------------------------------------|--------|----------------------|
//! | `harm_signs` yes                                                    | red    | `HarmSuspected`      |
//! | `abandonment` yes                                                   | red    | `Abandoned`          |
//! | `serious_neglect` yes                                               | red    | `SeriousNeglect`     |
//! | `carer_capacity` = `none`                                           | red    | `NoCapableCarer`     |
//! | `carer_relation` = `none`                                           | red    | `NoCarer`            |
//! | `carer_capacity` = `weak`                                           | yellow | `WeakCarer`          |
//! | `housing_safety` = `dangerous`                                      | yellow | `DangerousHousing`   |
//! | `dropout_risk` yes                                                  | yellow | `DropoutRisk`        |
//! | `seriously_ill` yes                                                 | yellow | `SeriouslyIll`       |
//! | `housing_safety` = `some_hazards`                                   | blue   | `SomeHousingHazards` |
//! | `in_school` no, unless `not_in_school_reason` = `below_school_age`  | blue   | `OutOfSchool`        |
//!
//! An unanswered field matches no rule: a yes/no rule needs an explicit yes (or no). Rules
//! read the answers that count ([`crate::form::FormDefinition::visible_answers`]): a stale
//! answer to a hidden field, such as `dropout_risk` after `in_school` became no, says nothing.
//! Whether the police must be told is the law, not a local rule: [`needs_mandatory_report`].

mod mandatory_report;
mod risk_reason;
mod rule;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use mandatory_report::needs_mandatory_report;
pub use risk_reason::RiskReason;
pub use rule::{Rule, RuleCondition};

use crate::form::field_ids::{RISK_COLOUR, RISK_COLOUR_REASON};
use crate::form::{standard_home_visit, Answers, Condition, FormDefinition};
use crate::{FieldError, RiskColour};

/// The colour the rules suggest for a visit, and every reason, highest risk first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskSuggestion {
    /// The highest-risk colour among the matching rules; green when none matches.
    pub colour: RiskColour,
    /// The reasons of the matching rules, highest risk first, then in table order; each once.
    pub reasons: Vec<RiskReason>,
}

/// A risk-rule table: `{"rules": [{"when": …, "colour": "red", "reason": "harm_suspected"}, …]}`,
/// each `when` a [`RuleCondition`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRules {
    /// The rules, in the order their reasons are listed within one colour.
    pub rules: Vec<Rule>,
}

impl RiskRules {
    /// The standard table (see the module documentation).
    pub fn standard() -> RiskRules {
        use crate::form::field_ids::*;
        use RiskColour::{Blue, Red, Yellow};
        let rule = |when, colour, reason| Rule { when, colour, reason };
        RiskRules {
            rules: vec![
                rule(Condition::yes(HARM_SIGNS), Red, RiskReason::HarmSuspected),
                rule(Condition::yes(ABANDONMENT), Red, RiskReason::Abandoned),
                rule(Condition::yes(SERIOUS_NEGLECT), Red, RiskReason::SeriousNeglect),
                rule(Condition::is(CARER_CAPACITY, "none"), Red, RiskReason::NoCapableCarer),
                rule(Condition::is(CARER_RELATION, "none"), Red, RiskReason::NoCarer),
                rule(Condition::is(CARER_CAPACITY, "weak"), Yellow, RiskReason::WeakCarer),
                rule(Condition::is(HOUSING_SAFETY, "dangerous"), Yellow, RiskReason::DangerousHousing),
                rule(Condition::yes(DROPOUT_RISK), Yellow, RiskReason::DropoutRisk),
                rule(Condition::yes(SERIOUSLY_ILL), Yellow, RiskReason::SeriouslyIll),
                rule(Condition::is(HOUSING_SAFETY, "some_hazards"), Blue, RiskReason::SomeHousingHazards),
                rule(
                    Condition::All(vec![
                        Condition::no(IN_SCHOOL),
                        Condition::not(Condition::is(NOT_IN_SCHOOL_REASON, "below_school_age")),
                    ]),
                    Blue,
                    RiskReason::OutOfSchool,
                ),
            ],
        }
    }

    /// The colour these rules suggest for `answers`, with the reasons of every matching rule.
    /// Pass the answers that count ([`FormDefinition::visible_answers`]).
    pub fn suggest(&self, answers: &Answers) -> RiskSuggestion {
        let mut matching: Vec<&Rule> = self.rules.iter().filter(|rule| rule.when.holds(answers)).collect();
        // Stable: within one colour the table's order stays.
        matching.sort_by_key(|rule| rule.colour);
        let colour = matching.first().map_or(RiskColour::Green, |rule| rule.colour);
        let mut reasons = Vec::with_capacity(matching.len());
        for rule in matching {
            if !reasons.contains(&rule.reason) {
                reasons.push(rule.reason);
            }
        }
        RiskSuggestion { colour, reasons }
    }
}

/// The colour the standard rules suggest for answers to the standard home-visit form,
/// counting only the answers to fields that are shown.
pub fn suggest_colour(answers: &Answers) -> RiskSuggestion {
    static FORM: OnceLock<FormDefinition> = OnceLock::new();
    let form = FORM.get_or_init(standard_home_visit);
    standard_rules().suggest(&form.visible_answers(answers))
}

/// Whether the worker must give a reason for the colour: they chose one other than the
/// suggested one (higher or lower).
pub fn override_needs_reason(suggested: RiskColour, chosen: RiskColour) -> bool {
    suggested != chosen
}

/// [`FieldError::ReasonNeeded`] when a form that asks for a colour reason has a colour other
/// than the standard rules suggest for its shown answers, and no reason.
pub fn colour_reason_error(form: &FormDefinition, answers: &Answers) -> Option<FieldError> {
    form.field(RISK_COLOUR_REASON)?;
    let shown = form.visible_answers(answers);
    let chosen = shown.text(RISK_COLOUR).and_then(RiskColour::from_code)?;
    let suggested = standard_rules().suggest(&shown).colour;
    let reason_given = shown.text(RISK_COLOUR_REASON).is_some_and(|reason| !reason.trim().is_empty());
    (override_needs_reason(suggested, chosen) && !reason_given).then_some(FieldError::ReasonNeeded)
}

/// [`RiskRules::standard`], made once for the life of the program.
pub fn standard_rules() -> &'static RiskRules {
    static RULES: OnceLock<RiskRules> = OnceLock::new();
    RULES.get_or_init(RiskRules::standard)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::AnswerValue;
    use RiskColour::{Blue, Green, Red, Yellow};

    fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
        let mut answers = Answers::new();
        for (field, value) in pairs {
            answers.set(field, value.clone());
        }
        answers
    }

    fn yes(field: &str) -> (&str, AnswerValue) {
        (field, AnswerValue::Bool(true))
    }

    fn no(field: &str) -> (&str, AnswerValue) {
        (field, AnswerValue::Bool(false))
    }

    fn choice<'a>(field: &'a str, code: &str) -> (&'a str, AnswerValue) {
        (field, AnswerValue::Text(code.to_owned()))
    }

    fn suggestion(colour: RiskColour, reasons: &[RiskReason]) -> RiskSuggestion {
        RiskSuggestion { colour, reasons: reasons.to_vec() }
    }

    fn standard(pairs: &[(&str, AnswerValue)]) -> RiskSuggestion {
        RiskRules::standard().suggest(&answers(pairs))
    }

    #[test]
    fn every_standard_rule_fires_alone() {
        let cases = [
            (yes("harm_signs"), Red, RiskReason::HarmSuspected),
            (yes("abandonment"), Red, RiskReason::Abandoned),
            (yes("serious_neglect"), Red, RiskReason::SeriousNeglect),
            (choice("carer_capacity", "none"), Red, RiskReason::NoCapableCarer),
            (choice("carer_relation", "none"), Red, RiskReason::NoCarer),
            (choice("carer_capacity", "weak"), Yellow, RiskReason::WeakCarer),
            (choice("housing_safety", "dangerous"), Yellow, RiskReason::DangerousHousing),
            (yes("dropout_risk"), Yellow, RiskReason::DropoutRisk),
            (yes("seriously_ill"), Yellow, RiskReason::SeriouslyIll),
            (choice("housing_safety", "some_hazards"), Blue, RiskReason::SomeHousingHazards),
            (no("in_school"), Blue, RiskReason::OutOfSchool),
        ];
        assert_eq!(cases.len(), RiskRules::standard().rules.len(), "one case per standard rule");
        for (answer, colour, reason) in cases {
            let field = answer.0;
            assert_eq!(standard(&[answer]), suggestion(colour, &[reason]), "{field}");
        }
    }

    #[test]
    fn no_answers_suggest_green_without_reasons() {
        assert_eq!(standard(&[]), suggestion(Green, &[]));
        assert_eq!(suggest_colour(&Answers::new()), suggestion(Green, &[]));
    }

    #[test]
    fn reassuring_answers_suggest_green() {
        let pairs = [
            no("harm_signs"),
            no("abandonment"),
            no("serious_neglect"),
            choice("carer_capacity", "able"),
            choice("carer_relation", "grandparent"),
            choice("housing_safety", "safe"),
            yes("in_school"),
            no("dropout_risk"),
            no("seriously_ill"),
        ];
        assert_eq!(standard(&pairs), suggestion(Green, &[]));
        assert_eq!(suggest_colour(&answers(&pairs)), suggestion(Green, &[]));
    }

    #[test]
    fn a_child_below_school_age_is_not_out_of_school() {
        assert_eq!(
            standard(&[no("in_school"), choice("not_in_school_reason", "below_school_age")]),
            suggestion(Green, &[])
        );
        assert_eq!(
            standard(&[no("in_school"), choice("not_in_school_reason", "dropped_out")]),
            suggestion(Blue, &[RiskReason::OutOfSchool])
        );
    }

    #[test]
    fn the_highest_colour_wins_and_reasons_run_highest_first() {
        let found = standard(&[
            no("in_school"),
            yes("dropout_risk"),
            choice("carer_capacity", "weak"),
            yes("serious_neglect"),
            choice("housing_safety", "some_hazards"),
            yes("harm_signs"),
        ]);
        assert_eq!(
            found,
            suggestion(
                Red,
                &[
                    RiskReason::HarmSuspected,
                    RiskReason::SeriousNeglect,
                    RiskReason::WeakCarer,
                    RiskReason::DropoutRisk,
                    RiskReason::SomeHousingHazards,
                    RiskReason::OutOfSchool,
                ]
            )
        );
    }

    #[test]
    fn yellow_beats_blue() {
        let found = standard(&[no("in_school"), yes("seriously_ill"), choice("housing_safety", "dangerous")]);
        assert_eq!(
            found,
            suggestion(Yellow, &[RiskReason::DangerousHousing, RiskReason::SeriouslyIll, RiskReason::OutOfSchool])
        );
    }

    #[test]
    fn stale_answers_to_hidden_fields_count_for_nothing() {
        // The worker first said "in school, at risk of dropping out", then changed to "not in
        // school": the dropout question is hidden, its old answer stays in the draft.
        let pairs = [no("in_school"), choice("not_in_school_reason", "dropped_out"), yes("dropout_risk")];
        assert_eq!(standard(&pairs).colour, Yellow, "the raw answers would say yellow");
        assert_eq!(suggest_colour(&answers(&pairs)), suggestion(Blue, &[RiskReason::OutOfSchool]));
        // No carer at all hides the carer's capacity.
        let pairs = [choice("carer_relation", "none"), choice("carer_capacity", "weak")];
        assert_eq!(suggest_colour(&answers(&pairs)), suggestion(Red, &[RiskReason::NoCarer]));
        // Shown fields count as usual.
        let pairs = [yes("in_school"), yes("dropout_risk"), yes("harm_signs")];
        assert_eq!(
            suggest_colour(&answers(&pairs)),
            suggestion(Red, &[RiskReason::HarmSuspected, RiskReason::DropoutRisk])
        );
    }

    #[test]
    fn a_county_table_is_data() {
        // A county that treats being out of school as yellow, lists its rules lowest first,
        // and gives one reason twice.
        let json = serde_json::json!({"rules": [
            {"when": {"equals": {"field": "dropout_risk", "value": true}}, "colour": "blue", "reason": "dropout_risk"},
            {"when": {"equals": {"field": "in_school", "value": false}}, "colour": "yellow", "reason": "out_of_school"},
            {"when": {"includes": {"field": "behaviour_concerns", "code": "truancy"}}, "colour": "yellow", "reason": "out_of_school"}
        ]});
        let rules: RiskRules = serde_json::from_value(json).unwrap();
        let a = answers(&[
            no("in_school"),
            yes("dropout_risk"),
            ("behaviour_concerns", AnswerValue::List(vec!["truancy".into()])),
        ]);
        assert_eq!(rules.suggest(&a), suggestion(Yellow, &[RiskReason::OutOfSchool, RiskReason::DropoutRisk]));
        let empty = RiskRules { rules: vec![] };
        assert_eq!(empty.suggest(&a), suggestion(Green, &[]));
    }

    #[test]
    fn the_standard_table_round_trips_as_json() {
        let json = serde_json::to_value(RiskRules::standard()).unwrap();
        assert_eq!(
            json["rules"][0],
            serde_json::json!({"when": {"equals": {"field": "harm_signs", "value": true}}, "colour": "red", "reason": "harm_suspected"})
        );
        assert_eq!(serde_json::from_value::<RiskRules>(json).unwrap(), RiskRules::standard());
    }

    #[test]
    fn the_standard_rules_read_fields_of_the_standard_form() {
        let form = standard_home_visit();
        for rule in RiskRules::standard().rules {
            for leaf in rule.when.leaves() {
                let (Condition::Equals { field, .. }
                | Condition::Includes { field, .. }
                | Condition::Answered { field }) = leaf
                else {
                    continue;
                };
                assert!(form.field(field).is_some(), "{field} is not on the standard form");
            }
        }
    }

    #[test]
    fn a_different_colour_needs_a_reason() {
        for suggested in RiskColour::ALL {
            for chosen in RiskColour::ALL {
                assert_eq!(
                    override_needs_reason(suggested, chosen),
                    suggested != chosen,
                    "{suggested:?} -> {chosen:?}"
                );
            }
        }
        assert!(override_needs_reason(Red, Green), "lowering needs a reason");
        assert!(override_needs_reason(Green, Yellow), "raising needs a reason too");
        assert!(!override_needs_reason(Blue, Blue));
    }
}
