//! One line of a risk-rule table: when the answers say this, the child is at least that colour.

use serde::{Deserialize, Serialize};

use super::RiskReason;
use crate::form::Condition;
use crate::RiskColour;

/// What a visit's answers must say for a rule to match: the same conditions as a form's
/// show-if, so a county can combine them (`all`, `any`, `not`).
pub use crate::form::Condition as RuleCondition;

/// When `when` holds, the child is at least `colour`, because of `reason`:
/// `{"when": {"equals": {"field": "harm_signs", "value": true}}, "colour": "red", "reason": "harm_suspected"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What the answers must say.
    pub when: Condition,
    /// The colour it suggests.
    pub colour: RiskColour,
    /// Why, in the worker's words.
    pub reason: RiskReason,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_is_the_forms_condition() {
        let rule = Rule {
            when: Condition::is("housing_safety", "dangerous"),
            colour: RiskColour::Yellow,
            reason: RiskReason::DangerousHousing,
        };
        let json = serde_json::json!({
            "when": {"equals": {"field": "housing_safety", "value": "dangerous"}},
            "colour": "yellow",
            "reason": "dangerous_housing"
        });
        assert_eq!(serde_json::to_value(&rule).unwrap(), json);
        assert_eq!(serde_json::from_value::<Rule>(json).unwrap(), rule);
        let extra = serde_json::json!({"when": {"answered": {"field": "illness"}}, "colour": "blue", "reason": "seriously_ill", "weight": 2});
        assert!(serde_json::from_value::<Rule>(extra).is_err());
    }
}
