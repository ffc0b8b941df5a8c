//! How many days pass between visits, by risk colour.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{FieldError, FieldErrors, RiskColour};

/// Days between visits for each colour; a county can serve its own as
/// `{"red": 7, "yellow": 14, "blue": 30, "green": 30}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// Days between visits to a red child.
    pub red: u32,
    /// Days between visits to a yellow child.
    pub yellow: u32,
    /// Days between visits to a blue child.
    pub blue: u32,
    /// Days between visits to a green child.
    pub green: u32,
}

impl Cadence {
    /// The longest gap accepted: every child is visited at least once a month.
    pub const MAX_DAYS: u32 = 31;

    /// Red weekly, yellow every two weeks, blue and green monthly (30 days).
    pub fn standard() -> Cadence {
        Cadence { red: 7, yellow: 14, blue: 30, green: 30 }
    }

    /// The days between visits to a child of `colour`.
    pub fn days(&self, colour: RiskColour) -> u32 {
        match colour {
            RiskColour::Red => self.red,
            RiskColour::Yellow => self.yellow,
            RiskColour::Blue => self.blue,
            RiskColour::Green => self.green,
        }
    }

    /// When a child of `colour` visited on `visit_date` is next due.
    pub fn next_visit(&self, colour: RiskColour, visit_date: NaiveDate) -> NaiveDate {
        visit_date.checked_add_days(Days::new(u64::from(self.days(colour)))).unwrap_or(NaiveDate::MAX)
    }

    /// Checks a served cadence: every gap from 1 to [`Cadence::MAX_DAYS`] days, keyed by colour code.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for colour in RiskColour::ALL {
            if !(1..=Cadence::MAX_DAYS).contains(&self.days(colour)) {
                errors.add(colour.code(), FieldError::OutOfRange);
            }
        }
        errors.into_result(())
    }
}

impl Default for Cadence {
    fn default() -> Cadence {
        Cadence::standard()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn standard_cadence_for_each_colour() {
        let cadence = Cadence::standard();
        let visited = date(2026, 11, 20);
        assert_eq!(cadence.next_visit(RiskColour::Red, visited), date(2026, 11, 27));
        assert_eq!(cadence.next_visit(RiskColour::Yellow, visited), date(2026, 12, 4));
        assert_eq!(cadence.next_visit(RiskColour::Blue, visited), date(2026, 12, 20));
        assert_eq!(cadence.next_visit(RiskColour::Green, visited), date(2026, 12, 20));
        assert_eq!(cadence.next_visit(RiskColour::Green, date(2026, 12, 15)), date(2027, 1, 14), "across a year end");
        assert_eq!(cadence.validate(), Ok(()));
    }

    #[test]
    fn a_county_serves_its_own() {
        let json = serde_json::json!({"red": 3, "yellow": 7, "blue": 14, "green": 31});
        let cadence: Cadence = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(cadence.days(RiskColour::Red), 3);
        assert_eq!(cadence.next_visit(RiskColour::Blue, date(2026, 2, 20)), date(2026, 3, 6));
        assert_eq!(serde_json::to_value(cadence).unwrap(), json);
        assert_eq!(cadence.validate(), Ok(()));
        assert!(serde_json::from_value::<Cadence>(serde_json::json!({"red": 3, "yellow": 7, "blue": 14})).is_err());
        assert!(serde_json::from_value::<Cadence>(
            serde_json::json!({"red": 3, "yellow": 7, "blue": 14, "green": 30, "purple": 1})
        )
        .is_err());
    }

    #[test]
    fn gaps_are_at_least_a_day_and_at_most_a_month() {
        let cadence = Cadence { red: 0, yellow: 14, blue: 30, green: 32 };
        let errors = cadence.validate().unwrap_err();
        assert_eq!(errors.get("red"), Some(&FieldError::OutOfRange));
        assert_eq!(errors.get("green"), Some(&FieldError::OutOfRange));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn far_dates_do_not_overflow() {
        assert_eq!(Cadence::standard().next_visit(RiskColour::Green, NaiveDate::MAX), NaiveDate::MAX);
    }
}
