//! Extra rules on a field's answer beyond what its kind checks, each with an optional
//! message of its own.

use chrono::{NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::{FieldKind, Text};
use crate::{FieldError, Lang};

/// One extra rule and the message shown when it is broken. Serialised flat:
/// `{"type":"max_chars","max":200,"message":{"zh":"请简要填写","en":"Keep it short"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    /// The rule.
    #[serde(flatten)]
    pub rule: ConstraintRule,
    /// Shown instead of the error's own message when the rule is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
}

/// The rules a [`Constraint`] can make. Character counts are of the trimmed text; date
/// rules are relative to the checker's today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConstraintRule {
    /// Text or long text of at least `min` characters, reported as [`FieldError::TooShort`].
    MinChars {
        /// The fewest characters.
        min: usize,
    },
    /// Text or long text of at most `max` characters, reported as [`FieldError::TooLong`].
    MaxChars {
        /// The most characters.
        max: usize,
    },
    /// A number within the bounds, reported as [`FieldError::OutOfRange`].
    NumberRange {
        /// The smallest accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        /// The largest accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// A date no earlier than today plus `days_from_today` (negative for the past),
    /// reported as [`FieldError::TooOld`].
    DateNotBefore {
        /// Days from today; `-365` means "not more than a year ago".
        days_from_today: i32,
    },
    /// A date no later than today plus `days_from_today`, reported as
    /// [`FieldError::TooLate`].
    DateNotAfter {
        /// Days from today; `366` means "within a year from today".
        days_from_today: i32,
    },
}

impl Constraint {
    /// A rule with the error's own message.
    pub fn new(rule: ConstraintRule) -> Constraint {
        Constraint { rule, message: None }
    }

    /// The same rule with a message of its own.
    pub fn with_message(self, zh: &str, en: &str) -> Constraint {
        Constraint { message: Some(Text::new(zh, en)), ..self }
    }

    /// The error reported when the rule is broken.
    pub fn error(&self) -> FieldError {
        match self.rule {
            ConstraintRule::MinChars { min } => FieldError::TooShort { min },
            ConstraintRule::MaxChars { max } => FieldError::TooLong { max },
            ConstraintRule::NumberRange { .. } => FieldError::OutOfRange,
            ConstraintRule::DateNotBefore { .. } => FieldError::TooOld,
            ConstraintRule::DateNotAfter { .. } => FieldError::TooLate,
        }
    }

    /// The message for a broken rule: its own, or else the error's.
    pub fn message(&self, lang: Lang) -> String {
        match &self.message {
            Some(text) => text.get(lang).to_owned(),
            None => self.error().message(lang),
        }
    }

    /// Whether the rule can apply to a field of `kind`.
    pub fn fits(&self, kind: &FieldKind) -> bool {
        match self.rule {
            ConstraintRule::MinChars { .. } | ConstraintRule::MaxChars { .. } => {
                matches!(kind, FieldKind::Text { .. } | FieldKind::LongText { .. })
            }
            ConstraintRule::NumberRange { .. } => matches!(kind, FieldKind::Number { .. }),
            ConstraintRule::DateNotBefore { .. } | ConstraintRule::DateNotAfter { .. } => {
                matches!(kind, FieldKind::Date { .. })
            }
        }
    }

    /// Whether `text` (already trimmed) keeps the rule; rules not about text always pass.
    pub fn allows_text(&self, text: &str) -> bool {
        match self.rule {
            ConstraintRule::MinChars { min } => text.chars().count() >= min,
            ConstraintRule::MaxChars { max } => text.chars().count() <= max,
            _ => true,
        }
    }

    /// Whether `number` keeps the rule; rules not about numbers always pass.
    pub fn allows_number(&self, number: f64) -> bool {
        match self.rule {
            ConstraintRule::NumberRange { min, max } => {
                min.is_none_or(|m| number >= m) && max.is_none_or(|m| number <= m)
            }
            _ => true,
        }
    }

    /// Whether `date` keeps the rule when checked on `today`; rules not about dates always
    /// pass, and so does a bound beyond the calendar.
    pub fn allows_date(&self, date: NaiveDate, today: NaiveDate) -> bool {
        let bound = |days: i32| TimeDelta::try_days(i64::from(days)).and_then(|d| today.checked_add_signed(d));
        match self.rule {
            ConstraintRule::DateNotBefore { days_from_today } => {
                bound(days_from_today).is_none_or(|earliest| date >= earliest)
            }
            ConstraintRule::DateNotAfter { days_from_today } => {
                bound(days_from_today).is_none_or(|latest| date <= latest)
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn wire_form_is_flat_with_an_optional_message() {
        let c = Constraint::new(ConstraintRule::MaxChars { max: 200 }).with_message("请简要填写", "Keep it short");
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "max_chars", "max": 200, "message": {"zh": "请简要填写", "en": "Keep it short"}})
        );
        assert_eq!(serde_json::from_value::<Constraint>(json).unwrap(), c);
        let range: Constraint =
            serde_json::from_value(serde_json::json!({"type": "number_range", "min": 0, "max": 18})).unwrap();
        assert_eq!(range, Constraint::new(ConstraintRule::NumberRange { min: Some(0.0), max: Some(18.0) }));
        let typo = serde_json::json!({"type": "max_chars", "max": 3, "mesage": {"zh": "短", "en": "Short"}});
        assert!(serde_json::from_value::<Constraint>(typo).is_err(), "a misspelt key is refused");
    }

    #[test]
    fn each_rule_reports_its_error_and_message() {
        let c = Constraint::new(ConstraintRule::MinChars { min: 5 });
        assert_eq!(c.error(), FieldError::TooShort { min: 5 });
        assert_eq!(c.message(Lang::En), "At least 5 characters");
        let c = c.with_message("请写清楚", "Say more");
        assert_eq!(c.message(Lang::ZhCn), "请写清楚");
        assert_eq!(Constraint::new(ConstraintRule::DateNotAfter { days_from_today: 1 }).error(), FieldError::TooLate);
    }

    #[test]
    fn text_and_number_rules() {
        assert!(Constraint::new(ConstraintRule::MinChars { min: 2 }).allows_text("王五"));
        assert!(!Constraint::new(ConstraintRule::MinChars { min: 3 }).allows_text("王五"));
        assert!(!Constraint::new(ConstraintRule::MaxChars { max: 1 }).allows_text("王五"));
        let range = Constraint::new(ConstraintRule::NumberRange { min: Some(0.0), max: Some(18.0) });
        assert!(range.allows_number(0.0) && range.allows_number(18.0));
        assert!(!range.allows_number(-1.0) && !range.allows_number(18.5));
        assert!(range.allows_text("anything"), "a number rule says nothing about text");
    }

    #[test]
    fn date_rules_are_relative_to_today() {
        let today = day(2026, 11, 23);
        let not_before = Constraint::new(ConstraintRule::DateNotBefore { days_from_today: -30 });
        assert!(not_before.allows_date(day(2026, 10, 24), today));
        assert!(!not_before.allows_date(day(2026, 10, 23), today));
        let not_after = Constraint::new(ConstraintRule::DateNotAfter { days_from_today: 7 });
        assert!(not_after.allows_date(day(2026, 11, 30), today));
        assert!(!not_after.allows_date(day(2026, 12, 1), today));
    }
}
