//! Which records a supervisor's list or export takes: a village, a risk colour, a range of
//! visit dates. One filter for both, so that a list and an export with the same filter find
//! the same records; the server adds her township.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::child::VILLAGE_MAX;
use crate::{FieldError, FieldErrors, RiskColour};

/// `village=桃源村&colour=red&from=2026-11-01&to=2026-11-30`: what a list or an export is
/// narrowed to. For children, `colour` is the colour of the latest visit and the dates bound
/// its date, so a child never visited matches no colour and no date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct RecordFilter {
    /// Only this village of the township.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    /// Only this risk colour (of a visit; for children, of the latest visit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub colour: Option<RiskColour>,
    /// Visits on or after this day (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Visits on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
}

impl RecordFilter {
    /// Whether it narrows anything.
    pub fn is_narrowed(&self) -> bool {
        *self != RecordFilter::default()
    }

    /// The filter as it is sent: a blank village is no village.
    pub fn tidy(&self) -> RecordFilter {
        let village = self.village.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        RecordFilter { village, ..self.clone() }
    }

    /// Adds what is wrong to `errors`: `to` before `from` (`too_old`), a village too long.
    pub fn check(&self, errors: &mut FieldErrors) {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to < from {
                errors.add("to", FieldError::TooOld);
            }
        }
        if self.village.as_deref().is_some_and(|v| v.chars().count() > VILLAGE_MAX) {
            errors.add("village", FieldError::TooLong { max: VILLAGE_MAX });
        }
    }
}

/// `village=桃源村, colour=red, from=2026-11-01`, or `everything`: how the audit log notes
/// what a read or an export was narrowed to.
impl fmt::Display for RecordFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(village) = &self.village {
            parts.push(format!("village={village}"));
        }
        if let Some(colour) = self.colour {
            parts.push(format!("colour={}", colour.code()));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={to}"));
        }
        if parts.is_empty() {
            f.write_str("everything")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// Query parameters nobody reads: kept aside as they come (a filter flattened into a query
/// cannot refuse them itself) so that the server refuses the query.
pub type UnknownParameters = BTreeMap<String, String>;

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 11, d)
    }

    #[test]
    fn a_filter_says_what_is_wrong_by_field() {
        let mut errors = FieldErrors::new();
        let filter = RecordFilter {
            village: Some("村".repeat(VILLAGE_MAX + 1)),
            from: day(20),
            to: day(1),
            ..RecordFilter::default()
        };
        filter.check(&mut errors);
        assert!(errors.get("to").is_some() && errors.get("village").is_some());
        let mut none = FieldErrors::new();
        RecordFilter { from: day(1), to: day(1), ..RecordFilter::default() }.check(&mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn it_reads_as_the_audit_log_s_subject_and_tidies_a_blank_village() {
        assert_eq!(RecordFilter::default().to_string(), "everything");
        let filter =
            RecordFilter {
                village: Some("石桥村".into()), colour: Some(RiskColour::Red), from: day(1), to: day(30)
            };
        assert_eq!(filter.to_string(), "village=石桥村, colour=red, from=2026-11-01, to=2026-11-30");
        let blank = RecordFilter { village: Some("  ".into()), ..RecordFilter::default() };
        assert!(blank.is_narrowed() && !blank.tidy().is_narrowed());
        assert_eq!(
            RecordFilter { village: Some(" 东村 ".into()), ..RecordFilter::default() }.tidy().village.as_deref(),
            Some("东村")
        );
    }
}
