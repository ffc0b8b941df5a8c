//! A home-visit record (走访记录) as it is stored on the phone and sent to the server: which
//! child, which form (id and version) it answered, and the answers by field id.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::form::field_ids::{NEXT_VISIT_DATE, RISK_COLOUR, RISK_COLOUR_REASON, VISIT_DATE, VISIT_TYPE};
use crate::form::{parse_date, Answers, FormCatalog, FormDefinition};
use crate::photo::PhotoHash;
use crate::risk_rules::{colour_reason_error, needs_mandatory_report};
use crate::{FieldError, FieldErrors, RiskColour, VisitType};

/// One visit. The `id` is made on the phone when the visit is first started, so the same
/// visit sent twice is recognised; `revision` grows by one each time the worker saves a
/// change, and the server keeps every revision it receives.
///
/// ```json
/// {"id": "…", "child_id": "…", "form_id": "home_visit", "form_version": 1,
///  "answers": {"visit_date": "2026-11-20", "risk_colour": "yellow", …},
///  "revision": 1, "updated_at": "2026-11-20T10:15:00+08:00"}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Made on the phone (UUID v4).
    pub id: Uuid,
    /// The child's file the visit belongs to.
    pub child_id: Uuid,
    /// The form the answers were given to, e.g. `home_visit`.
    pub form_id: String,
    /// Its version: an old visit keeps the version it was filled in with.
    pub form_version: u32,
    /// The answers to the fields shown, by field id.
    pub answers: Answers,
    /// 1 for the first save, one more for each later save.
    pub revision: u32,
    /// When this revision was saved, with the phone's UTC offset.
    pub updated_at: DateTime<FixedOffset>,
}

impl Visit {
    /// The day of the visit, when the answers give a readable one.
    pub fn visit_date(&self) -> Option<NaiveDate> {
        self.answers.text(VISIT_DATE).and_then(parse_date)
    }

    /// How the visit was made (入户, 电话, 到校…), when its answers say.
    pub fn visit_type(&self) -> Option<VisitType> {
        self.answers.text(VISIT_TYPE).and_then(VisitType::from_code)
    }

    /// The colour set at the visit, when the answers give one.
    pub fn risk_colour(&self) -> Option<RiskColour> {
        self.answers.text(RISK_COLOUR).and_then(RiskColour::from_code)
    }

    /// The photos the visit names, each once: they must reach the server before it.
    pub fn photo_hashes(&self) -> Vec<PhotoHash> {
        let mut hashes: Vec<PhotoHash> = self.answers.photos().map(|note| note.sha256.clone()).collect();
        hashes.sort();
        hashes.dedup();
        hashes
    }

    /// The next visit date set at the visit, when the answers give a readable one.
    pub fn next_visit_date(&self) -> Option<NaiveDate> {
        self.answers.text(NEXT_VISIT_DATE).and_then(parse_date)
    }

    /// Whether the visit found harm, serious neglect or abandonment: it must reach the
    /// police and, as a record, the server before anything else.
    pub fn needs_mandatory_report(&self) -> bool {
        needs_mandatory_report(&self.answers)
    }

    /// The definition the visit was filled in with.
    pub fn form<'a>(&self, catalog: &'a FormCatalog) -> Option<&'a FormDefinition> {
        catalog.get(&self.form_id, self.form_version)
    }

    /// Checks the visit against its own form version and returns all problems at once,
    /// keyed by field id (or `child_id`, `form_version`, `revision`). `today` is the
    /// checker's date; the server passes its own date plus a day so that phones in any time
    /// zone pass.
    pub fn validate(&self, catalog: &FormCatalog, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.child_id.is_nil() {
            errors.add("child_id", FieldError::Required);
        }
        if self.revision == 0 {
            errors.add("revision", FieldError::OutOfRange);
        }
        match self.form(catalog) {
            None => errors.add("form_version", FieldError::UnknownForm),
            Some(form) => check_answers(form, &self.answers, today, &mut errors),
        }
        errors.into_result(())
    }

    /// The same check as [`Visit::validate`], plus that the id matches the one in the
    /// request's address.
    pub fn validate_for(&self, path_id: Uuid, catalog: &FormCatalog, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = self.validate(catalog, today).err().unwrap_or_default();
        if self.id != path_id {
            errors.add("id", FieldError::Mismatch);
        }
        errors.into_result(())
    }
}

/// Every check a visit's answers must pass: the form's own, then the rule that a colour
/// other than the suggested one needs a reason.
pub(crate) fn check_answers(form: &FormDefinition, answers: &Answers, today: NaiveDate, errors: &mut FieldErrors) {
    if let Err(form_errors) = form.validate(answers, today) {
        errors.extend(form_errors);
    }
    if let Some(error) = colour_reason_error(form, answers) {
        errors.add(RISK_COLOUR_REASON, error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{sample_visit, today};
    use crate::form::{standard_home_visit, AnswerValue, Text, HOME_VISIT};

    #[test]
    fn a_complete_visit_is_valid_and_reads_its_date_and_colour() {
        let visit = sample_visit();
        assert_eq!(visit.validate(FormCatalog::builtin(), today()), Ok(()));
        assert_eq!(visit.visit_date(), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(visit.risk_colour(), Some(RiskColour::Yellow));
        assert_eq!(visit.next_visit_date(), NaiveDate::from_ymd_opt(2026, 12, 4));
        assert!(!visit.needs_mandatory_report());
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut v = sample_visit();
        v.child_id = Uuid::nil();
        v.revision = 0;
        v.answers.set("visit_date", AnswerValue::Text("2026-12-01".into()));
        v.answers.set("main_carer", AnswerValue::Text(String::new()));
        let errors = v.validate(FormCatalog::builtin(), today()).unwrap_err();
        assert_eq!(errors.get("child_id"), Some(&FieldError::Required));
        assert_eq!(errors.get("revision"), Some(&FieldError::OutOfRange));
        assert_eq!(errors.get("visit_date"), Some(&FieldError::InFuture));
        assert_eq!(errors.get("main_carer"), Some(&FieldError::Required));
        assert_eq!(errors.len(), 4, "{errors}");
    }

    #[test]
    fn an_unknown_form_version_is_refused() {
        let mut v = sample_visit();
        v.form_version = 99;
        let errors = v.validate(FormCatalog::builtin(), today()).unwrap_err();
        assert_eq!(errors.get("form_version"), Some(&FieldError::UnknownForm));
    }

    #[test]
    fn a_colour_below_the_suggestion_needs_a_reason() {
        // The grandmother is a weak carer: the rules suggest yellow.
        let mut v = sample_visit();
        v.answers.set("risk_colour", AnswerValue::Text("green".into()));
        let errors = v.validate(FormCatalog::builtin(), today()).unwrap_err();
        assert_eq!(errors.get("risk_colour_reason"), Some(&FieldError::ReasonNeeded));
        v.answers.set("risk_colour_reason", AnswerValue::Text("父亲已返乡照顾".into()));
        assert_eq!(v.validate(FormCatalog::builtin(), today()), Ok(()));
    }

    #[test]
    fn a_visit_of_an_older_form_version_still_validates_after_a_new_version() {
        let mut v2 = standard_home_visit();
        v2.version = 2;
        v2.title = Text::new("新版", "New edition");
        v2.sections.retain(|s| s.id != "photos");
        let catalog = FormCatalog::new(vec![standard_home_visit(), v2]);
        assert_eq!(catalog.latest(HOME_VISIT).map(|f| f.version), Some(2));
        let mut old = sample_visit();
        old.answers.set("photo_consent", AnswerValue::Bool(false));
        assert_eq!(old.validate(&catalog, today()), Ok(()), "answered under version 1");
        old.form_version = 2;
        let errors = old.validate(&catalog, today()).unwrap_err();
        assert_eq!(errors.get("photo_consent"), Some(&FieldError::Unexpected), "version 2 has no such field");
    }

    #[test]
    fn the_address_id_must_match() {
        let v = sample_visit();
        let errors = v.validate_for(Uuid::from_u128(1), FormCatalog::builtin(), today()).unwrap_err();
        assert_eq!(errors.get("id"), Some(&FieldError::Mismatch));
        assert_eq!(v.validate_for(v.id, FormCatalog::builtin(), today()), Ok(()));
    }

    #[test]
    fn wire_form_is_stable() {
        let json = serde_json::to_value(sample_visit()).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["answers", "child_id", "form_id", "form_version", "id", "revision", "updated_at"]);
        assert_eq!(json["form_id"], "home_visit");
        assert_eq!(json["answers"]["visit_date"], "2026-11-20");
        assert_eq!(json["updated_at"], "2026-11-20T10:15:00+08:00");
        let back: Visit = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample_visit());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(sample_visit()).unwrap();
        json["child_name"] = "王小明".into();
        assert!(serde_json::from_value::<Visit>(json).is_err());
    }
}
