//! The child's file (一童一档): who the child is, why they are looked after, and who cares
//! for them. Every visit belongs to one file; the file is stored on the phone and sent to the
//! server like a visit, with its own id and revisions.

mod child_category;
mod child_draft;
mod child_file_form;
mod guardian;
mod possible_duplicate;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use child_category::ChildCategory;
pub use child_draft::{ChildDraft, GuardianDraft};
pub use child_file_form::{child_error_message, child_file_fields};
pub use guardian::{relation_choices, relation_label, Guardian};
pub use possible_duplicate::{id_number_key, possibly_the_same, ChildIdentity, DuplicateReason};

use crate::form::{is_phone_number, IdNumber};
use crate::sex::Sex;
use crate::{FieldError, FieldErrors};

/// The longest child name accepted, in characters.
pub const CHILD_NAME_MAX: usize = 50;
/// The longest notes accepted, in characters.
pub const NOTES_MAX: usize = 4000;
/// The longest village name accepted, in characters.
pub const VILLAGE_MAX: usize = 50;
/// The longest school name accepted, in characters.
pub const SCHOOL_MAX: usize = 100;
/// The longest guardian name accepted, in characters.
pub const GUARDIAN_NAME_MAX: usize = CHILD_NAME_MAX;
/// The age at which a person is no longer a child (未成年人 are under 18).
pub const ADULT_AGE: u32 = 18;

/// One child's file. The `id` is made on the phone when the file is first created;
/// `revision` grows by one with each saved change, as for a [`crate::Visit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Child {
    /// Made on the phone (UUID v4).
    pub id: Uuid,
    /// The child's name.
    pub name: String,
    /// Male or female.
    pub sex: Sex,
    /// The day of birth.
    pub birth_date: NaiveDate,
    /// The resident identity number, when the child has one and the family gave it.
    #[serde(default)]
    pub id_number: Option<String>,
    /// The village or residents' committee (村/居委会) the child lives in.
    pub village: String,
    /// Why the child is looked after; at least one, several may apply.
    pub categories: Vec<ChildCategory>,
    /// Who cares for the child.
    #[serde(default)]
    pub guardians: Vec<Guardian>,
    /// The school attended; empty if none.
    #[serde(default)]
    pub school: String,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// 1 for the first save, one more for each later save.
    pub revision: u32,
    /// When this revision was saved, with the phone's UTC offset.
    pub updated_at: DateTime<FixedOffset>,
}

/// Whether someone born on `birth_date` is 18 or older on `date` (已满18周岁): no longer a
/// child. Her file stays, and stays editable; she leaves the due list.
pub fn aged_out(birth_date: NaiveDate, date: NaiveDate) -> bool {
    date.years_since(birth_date).unwrap_or(0) >= ADULT_AGE
}

impl Child {
    /// The child's age in whole years (周岁) on `date`; 0 before the birth date.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        date.years_since(self.birth_date).unwrap_or(0)
    }

    /// Checks every field and returns all problems at once, keyed by field name
    /// (`guardians[1].name` for a guardian's). `today` is the checker's date, as for
    /// [`crate::Visit::validate`].
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        check_text("name", &self.name, CHILD_NAME_MAX, true, &mut errors);
        // A new file is of a child (under 18 on the day it was first saved); a file kept
        // since stays editable when the child turns 18 (aged out, 已满18周岁).
        let first_saved = self.updated_at.date_naive().min(today);
        if self.birth_date > today {
            errors.add("birth_date", FieldError::InFuture);
        } else if self.revision <= 1 && aged_out(self.birth_date, first_saved) {
            errors.add("birth_date", FieldError::TooOld);
        }
        if let Some(id_number) = self.id_number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            if IdNumber::parse_as_of(id_number, today).is_err() {
                errors.add("id_number", FieldError::BadIdNumber);
            }
        }
        check_text("village", &self.village, VILLAGE_MAX, true, &mut errors);
        if self.categories.is_empty() {
            errors.add("categories", FieldError::TooFew { min: 1 });
        }
        for (i, guardian) in self.guardians.iter().enumerate() {
            check_text(&format!("guardians[{i}].name"), &guardian.name, GUARDIAN_NAME_MAX, true, &mut errors);
            let phone = guardian.phone.trim();
            if !phone.is_empty() && !is_phone_number(phone) {
                errors.add(&format!("guardians[{i}].phone"), FieldError::BadPhone);
            }
        }
        check_text("school", &self.school, SCHOOL_MAX, false, &mut errors);
        check_text("notes", &self.notes, NOTES_MAX, false, &mut errors);
        if self.revision == 0 {
            errors.add("revision", FieldError::OutOfRange);
        }
        errors.into_result(())
    }

    /// The same check as [`Child::validate`], plus that the id matches the one in the
    /// request's address.
    pub fn validate_for(&self, path_id: Uuid, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = self.validate(today).err().unwrap_or_default();
        if self.id != path_id {
            errors.add("id", FieldError::Mismatch);
        }
        errors.into_result(())
    }
}

/// Text of at most `max` characters (not bytes), which must not be blank when `required`.
fn check_text(field: &str, value: &str, max: usize, required: bool, errors: &mut FieldErrors) {
    let trimmed = value.trim();
    if required && trimmed.is_empty() {
        errors.add(field, FieldError::Required);
    } else if trimmed.chars().count() > max {
        errors.add(field, FieldError::TooLong { max });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Child {
        crate::fixtures::sample_child()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The only error of `child`, as (field, error).
    fn only_error(child: &Child) -> (String, FieldError) {
        let errors = child.validate(today()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors}");
        let (field, error) = errors.iter().next().unwrap();
        (field.to_owned(), error.clone())
    }

    #[test]
    fn a_complete_file_is_valid() {
        assert_eq!(sample().validate(today()), Ok(()));
    }

    #[test]
    fn a_guardian_phone_must_be_a_phone_number_when_given() {
        let mut c = sample();
        c.guardians[0].phone = "12345".into();
        assert_eq!(only_error(&c), ("guardians[0].phone".into(), FieldError::BadPhone));
        c.guardians[0].phone = String::new();
        assert_eq!(c.validate(today()), Ok(()));
    }

    #[test]
    fn a_minimal_file_is_valid() {
        let mut c = sample();
        c.id_number = None;
        c.guardians.clear();
        c.school.clear();
        c.notes.clear();
        c.categories = vec![ChildCategory::Migrant];
        assert_eq!(c.validate(today()), Ok(()));
    }

    #[test]
    fn the_name_is_required_and_bounded_in_characters() {
        let mut c = sample();
        c.name = "  ".into();
        assert_eq!(only_error(&c), ("name".into(), FieldError::Required));
        c.name = "王".repeat(CHILD_NAME_MAX);
        assert_eq!(c.validate(today()), Ok(()));
        c.name.push('王');
        assert_eq!(only_error(&c), ("name".into(), FieldError::TooLong { max: CHILD_NAME_MAX }));
    }

    #[test]
    fn the_birth_date_is_not_in_the_future() {
        let mut c = sample();
        c.birth_date = today();
        assert_eq!(c.validate(today()), Ok(()), "born today is fine");
        c.birth_date = date(2026, 11, 24);
        assert_eq!(only_error(&c), ("birth_date".into(), FieldError::InFuture));
    }

    #[test]
    fn a_new_file_is_of_a_child_under_18_on_the_day_it_was_saved() {
        let mut c = sample();
        c.updated_at = c.updated_at + chrono::Days::new(3);
        assert_eq!(c.updated_at.date_naive(), today());
        c.birth_date = date(2008, 11, 24);
        assert_eq!(c.validate(today()), Ok(()), "turns 18 tomorrow");
        c.birth_date = date(2008, 11, 23);
        assert_eq!(only_error(&c), ("birth_date".into(), FieldError::TooOld));
        // Saved offline while 17, it reaches the server after her birthday: still a child's file.
        c.updated_at = c.updated_at - chrono::Days::new(1);
        assert_eq!(c.validate(today()), Ok(()));
        assert!(aged_out(c.birth_date, today()));
    }

    #[test]
    fn a_file_kept_since_stays_editable_once_the_child_has_aged_out() {
        let mut c = sample();
        c.birth_date = date(2005, 1, 1);
        assert_eq!(only_error(&c), ("birth_date".into(), FieldError::TooOld), "not as a new file");
        c.revision = 7;
        assert_eq!(c.validate(today()), Ok(()), "a later revision of a file kept for years");
        assert!(aged_out(c.birth_date, today()));
        assert!(!aged_out(date(2008, 11, 24), today()));
    }

    #[test]
    fn the_id_number_is_checked_when_given() {
        let mut c = sample();
        for good in ["110105201603140015", "110105201603140023", "11010520160314004X", "11010520160314004x"] {
            c.id_number = Some(good.into());
            assert_eq!(c.validate(today()), Ok(()), "{good}");
        }
        for bad in [
            "110105201603140016",
            "11010520160314001",
            "1101052016031400150",
            "11010520160314001Y",
            "110105201602300013",
            "１１０１０５２０１６０３１４００１５",
        ] {
            c.id_number = Some(bad.into());
            assert_eq!(only_error(&c), ("id_number".into(), FieldError::BadIdNumber), "{bad}");
        }
        c.id_number = Some(" ".into());
        assert_eq!(c.validate(today()), Ok(()), "a blank number counts as not given");
    }

    #[test]
    fn at_least_one_category() {
        let mut c = sample();
        c.categories.clear();
        assert_eq!(only_error(&c), ("categories".into(), FieldError::TooFew { min: 1 }));
    }

    #[test]
    fn the_village_is_required_and_bounded() {
        let mut c = sample();
        c.village = String::new();
        assert_eq!(only_error(&c), ("village".into(), FieldError::Required));
        c.village = "村".repeat(VILLAGE_MAX + 1);
        assert_eq!(only_error(&c), ("village".into(), FieldError::TooLong { max: VILLAGE_MAX }));
    }

    #[test]
    fn the_revision_starts_at_one() {
        let mut c = sample();
        c.revision = 0;
        assert_eq!(only_error(&c), ("revision".into(), FieldError::OutOfRange));
    }

    #[test]
    fn each_guardian_has_a_name() {
        let mut c = sample();
        c.guardians.push(Guardian { name: " ".into(), relation: "uncle_aunt".into(), phone: String::new() });
        assert_eq!(only_error(&c), ("guardians[1].name".into(), FieldError::Required));
    }

    #[test]
    fn school_and_notes_are_bounded() {
        let mut c = sample();
        c.school = "学".repeat(SCHOOL_MAX + 1);
        c.notes = "字".repeat(NOTES_MAX + 1);
        let errors = c.validate(today()).unwrap_err();
        assert_eq!(errors.get("school"), Some(&FieldError::TooLong { max: SCHOOL_MAX }));
        assert_eq!(errors.get("notes"), Some(&FieldError::TooLong { max: NOTES_MAX }));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut c = sample();
        c.name.clear();
        c.village.clear();
        c.categories.clear();
        c.revision = 0;
        c.birth_date = date(2027, 1, 1);
        c.id_number = Some("123".into());
        let errors = c.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["birth_date", "categories", "id_number", "name", "revision", "village"]);
    }

    #[test]
    fn the_address_id_must_match() {
        let c = sample();
        assert_eq!(c.validate_for(c.id, today()), Ok(()));
        let other = Uuid::parse_str("00000000-0000-4000-8000-000000000001").unwrap();
        assert_eq!(c.validate_for(other, today()).unwrap_err().get("id"), Some(&FieldError::Mismatch));
    }

    #[test]
    fn age_counts_whole_years() {
        let c = sample(); // born 2016-03-14
        assert_eq!(c.age_on(date(2026, 3, 13)), 9);
        assert_eq!(c.age_on(date(2026, 3, 14)), 10);
        assert_eq!(c.age_on(date(2016, 3, 14)), 0);
        assert_eq!(c.age_on(date(2015, 1, 1)), 0, "before birth");
        let mut leap = sample();
        leap.birth_date = date(2012, 2, 29);
        assert_eq!(leap.age_on(date(2026, 2, 28)), 13);
        assert_eq!(leap.age_on(date(2026, 3, 1)), 14);
    }

    #[test]
    fn wire_form_is_stable() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a",
                "name": "王小明",
                "sex": "male",
                "birth_date": "2016-03-14",
                "id_number": "110105201603140015",
                "village": "石桥村",
                "categories": ["left_behind", "low_income_family"],
                "guardians": [{"name": "王秀英", "relation": "grandparent", "phone": "13800138000"}],
                "school": "石桥镇中心小学",
                "notes": "父母在广东打工",
                "revision": 1,
                "updated_at": "2026-11-20T10:15:00+08:00"
            })
        );
        let back: Child = serde_json::from_value(json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn optional_fields_may_be_left_out() {
        let json = serde_json::json!({
            "id": "0b7d2f3c-4e5a-4a57-9a51-6f1c2b1e8d3a",
            "name": "李小红",
            "sex": "female",
            "birth_date": "2019-07-01",
            "village": "石桥村",
            "categories": ["orphan_dispersed"],
            "revision": 1,
            "updated_at": "2026-11-20T10:15:00+08:00"
        });
        let child: Child = serde_json::from_value(json).unwrap();
        assert_eq!(child.id_number, None);
        assert!(child.guardians.is_empty() && child.school.is_empty() && child.notes.is_empty());
        assert_eq!(child.validate(today()), Ok(()));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = serde_json::to_value(sample()).unwrap();
        json["hukou"] = serde_json::json!("农业");
        assert!(serde_json::from_value::<Child>(json).is_err());
        let mut json = serde_json::to_value(sample()).unwrap();
        json["guardians"][0]["wechat"] = serde_json::json!("x");
        assert!(serde_json::from_value::<Child>(json).is_err(), "guardians refuse unknown fields too");
        let mut json = serde_json::to_value(sample()).unwrap();
        json["categories"] = serde_json::json!(["orphan"]);
        assert!(serde_json::from_value::<Child>(json).is_err(), "unknown category");
    }
}
