//! A visit being filled in: every field as the worker typed it, valid or not, so that it
//! can be autosaved on every keystroke and turned into a [`Visit`] only when saved.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::visit::{check_child_name, check_visit_date, NOTES_MAX};
use crate::{FieldError, FieldErrors, RiskColour, Visit, VisitType};

/// The form's state. Fields are raw text or optional choices; [`VisitDraft::to_visit`]
/// checks them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDraft {
    /// The visit's id, made when the draft is started and kept for every revision.
    pub id: Uuid,
    /// The revision that the last save produced; 0 while never saved.
    #[serde(default)]
    pub saved_revision: u32,
    pub child_name: String,
    /// As typed, expected `YYYY-MM-DD` (what `<input type="date">` gives; `NaiveDate` displays and parses that form).
    pub visit_date: String,
    pub visit_type: Option<VisitType>,
    pub risk_colour: Option<RiskColour>,
    pub notes: String,
    /// When the draft was last changed.
    pub edited_at: DateTime<FixedOffset>,
}

impl VisitDraft {
    /// A fresh draft for a new visit, dated today, as a home visit.
    pub fn new(id: Uuid, today: NaiveDate, now: DateTime<FixedOffset>) -> VisitDraft {
        VisitDraft {
            id,
            saved_revision: 0,
            child_name: String::new(),
            visit_date: today.to_string(),
            visit_type: Some(VisitType::Home),
            risk_colour: None,
            notes: String::new(),
            edited_at: now,
        }
    }

    /// A draft to edit a saved visit again.
    pub fn from_visit(visit: &Visit) -> VisitDraft {
        VisitDraft {
            id: visit.id,
            saved_revision: visit.revision,
            child_name: visit.child_name.clone(),
            visit_date: visit.visit_date.to_string(),
            visit_type: Some(visit.visit_type),
            risk_colour: Some(visit.risk_colour),
            notes: visit.notes.clone(),
            edited_at: visit.updated_at,
        }
    }

    /// Checks the draft and, when it is complete, makes the next revision of the visit,
    /// saved at `now`. Returns every field error at once otherwise.
    pub fn to_visit(&self, today: NaiveDate, now: DateTime<FixedOffset>) -> Result<Visit, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_child_name(&self.child_name, &mut errors);
        let date = match self.visit_date.trim() {
            "" => {
                errors.add("visit_date", FieldError::Required);
                None
            }
            text => match text.parse::<NaiveDate>() {
                Ok(date) => {
                    check_visit_date(date, today, &mut errors);
                    Some(date)
                }
                Err(_) => {
                    errors.add("visit_date", FieldError::NotADate);
                    None
                }
            },
        };
        if self.visit_type.is_none() {
            errors.add("visit_type", FieldError::Required);
        }
        if self.risk_colour.is_none() {
            errors.add("risk_colour", FieldError::Required);
        }
        if self.notes.chars().count() > NOTES_MAX {
            errors.add("notes", FieldError::TooLong { max: NOTES_MAX });
        }
        match (date, self.visit_type, self.risk_colour) {
            (Some(visit_date), Some(visit_type), Some(risk_colour)) if errors.is_empty() => Ok(Visit {
                id: self.id,
                child_name: self.child_name.trim().to_owned(),
                visit_date,
                visit_type,
                risk_colour,
                notes: self.notes.trim_end().to_owned(),
                revision: self.saved_revision + 1,
                updated_at: now,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-23T09:00:00+08:00").unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn id() -> Uuid {
        Uuid::parse_str("6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a").unwrap()
    }

    #[test]
    fn a_new_draft_is_dated_today_and_incomplete() {
        let draft = VisitDraft::new(id(), today(), now());
        assert_eq!(draft.visit_date, "2026-11-23");
        let errors = draft.to_visit(today(), now()).unwrap_err();
        assert_eq!(errors.get("child_name"), Some(&FieldError::Required));
        assert_eq!(errors.get("risk_colour"), Some(&FieldError::Required));
        assert_eq!(errors.get("visit_date"), None);
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn a_complete_draft_becomes_revision_one_then_two() {
        let mut draft = VisitDraft::new(id(), today(), now());
        draft.child_name = "  李娜 ".into();
        draft.risk_colour = Some(RiskColour::Green);
        let first = draft.to_visit(today(), now()).unwrap();
        assert_eq!(first.revision, 1);
        assert_eq!(first.child_name, "李娜");
        assert_eq!(first.id, id());
        assert_eq!(first.validate(today()), Ok(()));

        let mut again = VisitDraft::from_visit(&first);
        again.notes = "补充：已联系学校".into();
        let second = again.to_visit(today(), now()).unwrap();
        assert_eq!(second.revision, 2);
        assert_eq!(second.id, first.id);
        assert_eq!(second.notes, "补充：已联系学校");
    }

    #[test]
    fn a_malformed_date_is_named() {
        let mut draft = VisitDraft::new(id(), today(), now());
        draft.visit_date = "2026-13-01".into();
        assert_eq!(draft.to_visit(today(), now()).unwrap_err().get("visit_date"), Some(&FieldError::NotADate));
        draft.visit_date = "".into();
        assert_eq!(draft.to_visit(today(), now()).unwrap_err().get("visit_date"), Some(&FieldError::Required));
    }
}
