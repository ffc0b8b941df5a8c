//! A home-visit record (走访记录) as it is stored on the phone and sent to the server.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{FieldError, FieldErrors, RiskColour, VisitType};

/// The longest child name accepted, in characters.
pub const CHILD_NAME_MAX: usize = 50;
/// The longest notes accepted, in characters.
pub const NOTES_MAX: usize = 4000;
/// The earliest visit date accepted: records before the app existed are typos.
pub const EARLIEST_VISIT_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};

/// One visit. The `id` is made on the phone when the visit is first started, so the same
/// visit sent twice is recognised; `revision` grows by one each time the worker saves a
/// change, and the server keeps every revision it receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Made on the phone (UUID v4).
    pub id: Uuid,
    /// The child visited.
    pub child_name: String,
    /// The day of the visit.
    pub visit_date: NaiveDate,
    /// How the visit was made.
    pub visit_type: VisitType,
    /// The risk colour set by the worker.
    pub risk_colour: RiskColour,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// 1 for the first save, one more for each later save.
    pub revision: u32,
    /// When this revision was saved, with the phone's UTC offset.
    pub updated_at: DateTime<FixedOffset>,
}

impl Visit {
    /// Checks every field and returns all problems at once. `today` is the checker's date;
    /// the server passes its own date plus a day so that phones in any time zone pass.
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_child_name(&self.child_name, &mut errors);
        check_visit_date(self.visit_date, today, &mut errors);
        if self.notes.chars().count() > NOTES_MAX {
            errors.add("notes", FieldError::TooLong { max: NOTES_MAX });
        }
        if self.revision == 0 {
            errors.add("revision", FieldError::OutOfRange);
        }
        errors.into_result(())
    }

    /// The same check as [`Visit::validate`], plus that the id matches the one in the
    /// request's address.
    pub fn validate_for(&self, path_id: Uuid, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = match self.validate(today) {
            Ok(()) => FieldErrors::new(),
            Err(errors) => errors,
        };
        if self.id != path_id {
            errors.add("id", FieldError::Mismatch);
        }
        errors.into_result(())
    }
}

pub(crate) fn check_child_name(name: &str, errors: &mut FieldErrors) {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        errors.add("child_name", FieldError::Required);
    } else if trimmed.chars().count() > CHILD_NAME_MAX {
        errors.add("child_name", FieldError::TooLong { max: CHILD_NAME_MAX });
    }
}

pub(crate) fn check_visit_date(date: NaiveDate, today: NaiveDate, errors: &mut FieldErrors) {
    if date > today {
        errors.add("visit_date", FieldError::InFuture);
    } else if date < EARLIEST_VISIT_DATE {
        errors.add("visit_date", FieldError::TooOld);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Visit {
        Visit {
            id: Uuid::parse_str("6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a").unwrap(),
            child_name: "王小明".into(),
            visit_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            visit_type: VisitType::Home,
            risk_colour: RiskColour::Yellow,
            notes: "奶奶腿脚不便".into(),
            revision: 1,
            updated_at: DateTime::parse_from_rfc3339("2026-11-20T10:15:00+08:00").unwrap(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_complete_visit_is_valid() {
        assert_eq!(sample().validate(today()), Ok(()));
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut v = sample();
        v.child_name = "   ".into();
        v.visit_date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        v.notes = "字".repeat(NOTES_MAX + 1);
        v.revision = 0;
        let errors = v.validate(today()).unwrap_err();
        assert_eq!(errors.get("child_name"), Some(&FieldError::Required));
        assert_eq!(errors.get("visit_date"), Some(&FieldError::InFuture));
        assert_eq!(errors.get("notes"), Some(&FieldError::TooLong { max: NOTES_MAX }));
        assert_eq!(errors.get("revision"), Some(&FieldError::OutOfRange));
        assert_eq!(errors.len(), 4);
    }

    #[test]
    fn names_are_counted_in_characters_not_bytes() {
        let mut v = sample();
        v.child_name = "王".repeat(CHILD_NAME_MAX);
        assert_eq!(v.validate(today()), Ok(()));
        v.child_name.push('王');
        assert_eq!(
            v.validate(today()).unwrap_err().get("child_name"),
            Some(&FieldError::TooLong { max: CHILD_NAME_MAX })
        );
    }

    #[test]
    fn rejects_dates_before_2000() {
        let mut v = sample();
        v.visit_date = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert_eq!(v.validate(today()).unwrap_err().get("visit_date"), Some(&FieldError::TooOld));
    }

    #[test]
    fn the_address_id_must_match() {
        let v = sample();
        assert_eq!(v.validate_for(v.id, today()), Ok(()));
        let other = Uuid::parse_str("00000000-0000-4000-8000-000000000001").unwrap();
        assert_eq!(v.validate_for(other, today()).unwrap_err().get("id"), Some(&FieldError::Mismatch));
    }

    #[test]
    fn wire_form_is_stable() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a",
                "child_name": "王小明",
                "visit_date": "2026-11-20",
                "visit_type": "home",
                "risk_colour": "yellow",
                "notes": "奶奶腿脚不便",
                "revision": 1,
                "updated_at": "2026-11-20T10:15:00+08:00"
            })
        );
        let back: Visit = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(sample()).unwrap();
        json["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Visit>(json).is_err());
    }
}
