//! A visit being filled in: the answers as the worker gave them, valid or not, so that they
//! can be autosaved on every change and turned into a [`Visit`] only when saved.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::form::field_ids::{NEXT_VISIT_DATE, RISK_COLOUR, VISIT_DATE, VISIT_TYPE};
use crate::form::{parse_date, AnswerValue, Answers, FormCatalog, FormDefinition};
use crate::risk_rules::needs_mandatory_report;
use crate::schedule::Cadence;
use crate::visit::check_answers;
use crate::{FieldError, FieldErrors, RiskColour, Visit, VisitType};

/// The form's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitDraft {
    /// The visit's id, made when the draft is started and kept for every revision.
    pub id: Uuid,
    /// The revision that the last save produced; 0 while never saved.
    #[serde(default)]
    pub saved_revision: u32,
    /// The child visited; `None` until the worker picks or adds one.
    pub child_id: Option<Uuid>,
    /// The form being filled in; a draft keeps the version it was started with.
    pub form_id: String,
    pub form_version: u32,
    /// Every answer given, shown or not: hiding a field keeps its answer in the draft in
    /// case the worker changes her mind; only shown answers are saved.
    pub answers: Answers,
    /// Whether the worker set the next visit date herself. Until she does, it follows the
    /// colour's cadence from the visit date.
    #[serde(default)]
    pub next_visit_set_by_worker: bool,
    /// When the draft was last changed.
    pub edited_at: DateTime<FixedOffset>,
}

impl VisitDraft {
    /// A fresh draft of `form` for a new visit, dated today, as a home visit when the form
    /// asks how the visit was made.
    pub fn new(
        id: Uuid,
        child_id: Option<Uuid>,
        form: &FormDefinition,
        today: NaiveDate,
        now: DateTime<FixedOffset>,
    ) -> VisitDraft {
        let mut answers = Answers::new();
        if form.field(VISIT_DATE).is_some() {
            answers.set(VISIT_DATE, AnswerValue::Text(today.to_string()));
        }
        if form.field(VISIT_TYPE).and_then(|f| f.kind.choice(VisitType::Home.code())).is_some() {
            answers.set(VISIT_TYPE, AnswerValue::Text(VisitType::Home.code().to_owned()));
        }
        VisitDraft {
            id,
            saved_revision: 0,
            child_id,
            form_id: form.id.clone(),
            form_version: form.version,
            answers,
            next_visit_set_by_worker: false,
            edited_at: now,
        }
    }

    /// A draft to edit a saved visit again. A next visit date that differs from the
    /// cadence's was set by the worker and is kept as it is.
    pub fn from_visit(visit: &Visit, cadence: &Cadence) -> VisitDraft {
        let mut draft = VisitDraft {
            id: visit.id,
            saved_revision: visit.revision,
            child_id: Some(visit.child_id),
            form_id: visit.form_id.clone(),
            form_version: visit.form_version,
            answers: visit.answers.clone(),
            next_visit_set_by_worker: false,
            edited_at: visit.updated_at,
        };
        let given = draft.answers.text(NEXT_VISIT_DATE).and_then(parse_date);
        draft.next_visit_set_by_worker = given.is_some() && given != draft.default_next_visit(cadence);
        draft
    }

    /// Records an answer (a blank value clears it) at `now`. Changing the colour or the
    /// visit date moves the next visit date with the cadence, unless the worker set it.
    pub fn answer(&mut self, field: &str, value: AnswerValue, cadence: &Cadence, now: DateTime<FixedOffset>) {
        if field == NEXT_VISIT_DATE {
            self.next_visit_set_by_worker = !value.is_blank();
        }
        self.answers.set(field, value);
        if (field == RISK_COLOUR || field == VISIT_DATE || field == NEXT_VISIT_DATE) && !self.next_visit_set_by_worker {
            match self.default_next_visit(cadence) {
                Some(next) => self.answers.set(NEXT_VISIT_DATE, AnswerValue::Text(next.to_string())),
                None => self.answers.set(NEXT_VISIT_DATE, AnswerValue::Text(String::new())),
            }
        }
        self.edited_at = now;
    }

    /// The next visit date the cadence gives for the chosen colour and visit date.
    fn default_next_visit(&self, cadence: &Cadence) -> Option<NaiveDate> {
        let colour = self.answers.text(RISK_COLOUR).and_then(RiskColour::from_code)?;
        let visited = self.answers.text(VISIT_DATE).and_then(parse_date)?;
        Some(cadence.next_visit(colour, visited))
    }

    /// Whether the answers oblige the worker to report to the police now.
    pub fn needs_mandatory_report(&self) -> bool {
        needs_mandatory_report(&self.answers)
    }

    /// Checks the draft against its form version and, when it is complete, makes the next
    /// revision of the visit, saved at `now`, holding only the answers shown. Returns every
    /// field error at once otherwise.
    pub fn to_visit(
        &self,
        catalog: &FormCatalog,
        today: NaiveDate,
        now: DateTime<FixedOffset>,
    ) -> Result<Visit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let child_id = self.child_id.filter(|id| !id.is_nil());
        if child_id.is_none() {
            errors.add("child_id", FieldError::Required);
        }
        let Some(form) = catalog.get(&self.form_id, self.form_version) else {
            errors.add("form_version", FieldError::UnknownForm);
            return Err(errors);
        };
        check_answers(form, &self.answers, today, &mut errors);
        match child_id {
            Some(child_id) if errors.is_empty() => Ok(Visit {
                id: self.id,
                child_id,
                form_id: self.form_id.clone(),
                form_version: self.form_version,
                answers: form.visible_answers(&self.answers),
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
    use crate::fixtures::{ordinary_visit_answers, sample_child, today};
    use crate::form::{standard_home_visit, Text};
    use crate::risk_rules::standard_rules;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-23T09:00:00+08:00").unwrap()
    }

    fn id() -> Uuid {
        Uuid::parse_str("6f1c2b1e-8d3a-4a57-9a51-0b7d2f3c4e5a").unwrap()
    }

    fn form() -> &'static FormDefinition {
        FormCatalog::builtin().home_visit().unwrap()
    }

    fn text(s: &str) -> AnswerValue {
        AnswerValue::Text(s.into())
    }

    /// A draft for the sample child holding every answer of the ordinary visit.
    fn complete() -> VisitDraft {
        let mut draft = VisitDraft::new(id(), Some(sample_child().id), form(), today(), now());
        draft.answers = ordinary_visit_answers();
        draft
    }

    #[test]
    fn a_new_draft_is_dated_today_as_a_home_visit_and_incomplete() {
        let draft = VisitDraft::new(id(), None, form(), today(), now());
        assert_eq!(draft.answers.text("visit_date"), Some("2026-11-23"));
        assert_eq!(draft.answers.text("visit_type"), Some("home"));
        assert_eq!((draft.form_id.as_str(), draft.form_version), ("home_visit", 1));
        let errors = draft.to_visit(FormCatalog::builtin(), today(), now()).unwrap_err();
        assert_eq!(errors.get("child_id"), Some(&FieldError::Required));
        assert_eq!(errors.get("risk_colour"), Some(&FieldError::Required));
        assert_eq!(errors.get("visit_date"), None);
    }

    #[test]
    fn a_complete_draft_becomes_revision_one_then_two() {
        let first = complete().to_visit(FormCatalog::builtin(), today(), now()).unwrap();
        assert_eq!((first.id, first.revision, first.child_id), (id(), 1, sample_child().id));
        assert_eq!(first.validate(FormCatalog::builtin(), today()), Ok(()));

        let mut again = VisitDraft::from_visit(&first, &Cadence::standard());
        again.answer("actions_taken", text("已联系学校"), &Cadence::standard(), now());
        let second = again.to_visit(FormCatalog::builtin(), today(), now()).unwrap();
        assert_eq!((second.id, second.revision), (first.id, 2));
        assert_eq!(second.answers.text("actions_taken"), Some("已联系学校"));
    }

    #[test]
    fn hidden_answers_stay_in_the_draft_but_are_not_saved() {
        let mut draft = complete();
        draft.answer("in_school", AnswerValue::Bool(false), &Cadence::standard(), now());
        draft.answer("not_in_school_reason", text("below_school_age"), &Cadence::standard(), now());
        let visit = draft.to_visit(FormCatalog::builtin(), today(), now()).unwrap();
        assert_eq!(visit.answers.text("school_name"), None, "hidden when not in school");
        assert_eq!(draft.answers.text("school_name"), Some("城关镇中心小学"), "kept in the draft");
    }

    #[test]
    fn the_next_visit_follows_the_colour_until_the_worker_sets_it() {
        let cadence = Cadence::standard();
        let mut draft = VisitDraft::new(id(), None, form(), today(), now());
        draft.answer("risk_colour", text("red"), &cadence, now());
        assert_eq!(draft.answers.text("next_visit_date"), Some("2026-11-30"), "red: a week");
        draft.answer("risk_colour", text("green"), &cadence, now());
        assert_eq!(draft.answers.text("next_visit_date"), Some("2026-12-23"), "green: 30 days");
        draft.answer("visit_date", text("2026-11-21"), &cadence, now());
        assert_eq!(draft.answers.text("next_visit_date"), Some("2026-12-21"));

        draft.answer("next_visit_date", text("2026-12-10"), &cadence, now());
        draft.answer("risk_colour", text("red"), &cadence, now());
        assert_eq!(draft.answers.text("next_visit_date"), Some("2026-12-10"), "the worker's date stays");

        draft.answer("next_visit_date", text(""), &cadence, now());
        assert_eq!(draft.answers.text("next_visit_date"), Some("2026-11-28"), "cleared: the cadence's again");
    }

    #[test]
    fn reopening_a_visit_keeps_a_next_date_the_worker_set() {
        let cadence = Cadence::standard();
        let mut visit = complete().to_visit(FormCatalog::builtin(), today(), now()).unwrap();
        assert!(!VisitDraft::from_visit(&visit, &cadence).next_visit_set_by_worker, "the cadence's date");
        visit.answers.set("next_visit_date", text("2026-12-01"));
        assert!(VisitDraft::from_visit(&visit, &cadence).next_visit_set_by_worker);
    }

    #[test]
    fn suggests_a_colour_and_flags_a_mandatory_report() {
        let suggested = |d: &VisitDraft| standard_rules().suggest(&form().visible_answers(&d.answers)).colour;
        let mut draft = complete();
        assert_eq!(suggested(&draft), RiskColour::Yellow);
        assert!(!draft.needs_mandatory_report());
        draft.answer("harm_signs", AnswerValue::Bool(true), &Cadence::standard(), now());
        assert_eq!(suggested(&draft), RiskColour::Red);
        assert!(draft.needs_mandatory_report());
        let errors = draft.to_visit(FormCatalog::builtin(), today(), now()).unwrap_err();
        assert_eq!(errors.get("mandatory_report_made"), Some(&FieldError::Required), "not final until reported");
        assert_eq!(errors.get("risk_colour_reason"), Some(&FieldError::ReasonNeeded), "yellow is below red");
    }

    #[test]
    fn a_draft_started_under_an_older_version_saves_under_it() {
        let mut v2 = standard_home_visit();
        v2.version = 2;
        v2.title = Text::new("新版", "New edition");
        let catalog = FormCatalog::new(vec![standard_home_visit(), v2]);
        let visit = complete().to_visit(&catalog, today(), now()).unwrap();
        assert_eq!(visit.form_version, 1);
        let mut unknown = complete();
        unknown.form_version = 7;
        let errors = unknown.to_visit(&catalog, today(), now()).unwrap_err();
        assert_eq!(errors.get("form_version"), Some(&FieldError::UnknownForm));
    }
}
