//! A child's file as the form holds it while it is filled in: text as typed, so that a
//! half-typed date or ID number is kept and checked, and turned into a [`Child`] only on save.
//! Every rule is the file's own ([`Child::validate`], [`IdNumber`]); this adds only what a
//! form needs before there is a `Child` at all (a sex chosen, a readable date).

use super::{Child, ChildCategory, ChildIdentity, DuplicateReason, Guardian, Sex};
use crate::form::{parse_date, IdNumber, IdNumberError};
use crate::{FieldError, FieldErrors, Worker};
use chrono::{DateTime, FixedOffset, NaiveDate};
use uuid::Uuid;

/// One guardian's row of the form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuardianDraft {
    pub name: String,
    /// A `carer_relation` choice code of the home-visit form, or empty.
    pub relation: String,
    pub phone: String,
}

/// The child form's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChildDraft {
    pub name: String,
    pub sex: Option<Sex>,
    /// As typed (`<input type="date">` gives `YYYY-MM-DD`).
    pub birth_date: String,
    pub id_number: String,
    pub village: String,
    /// In the order of [`ChildCategory::ALL`].
    pub categories: Vec<ChildCategory>,
    pub guardians: Vec<GuardianDraft>,
    pub school: String,
    pub notes: String,
}

impl ChildDraft {
    /// An empty form for a new child in `village` (the last one the worker used).
    pub fn new(village: String) -> ChildDraft {
        ChildDraft { village, ..ChildDraft::default() }
    }

    /// An empty form for a new child of `worker`'s village when the phone has joined for
    /// one (a supervisor's is the whole township: none), else of `last_village`.
    pub fn for_worker(worker: Option<&Worker>, last_village: String) -> ChildDraft {
        match worker.map(|w| w.place.village.trim()).filter(|village| !village.is_empty()) {
            Some(village) => ChildDraft::new(village.to_owned()),
            None => ChildDraft::new(last_village),
        }
    }

    /// The form for editing a saved file.
    pub fn from_child(child: &Child) -> ChildDraft {
        ChildDraft {
            name: child.name.clone(),
            sex: Some(child.sex),
            birth_date: child.birth_date.to_string(),
            id_number: child.id_number.clone().unwrap_or_default(),
            village: child.village.clone(),
            categories: child.categories.clone(),
            guardians: child
                .guardians
                .iter()
                .map(|g| GuardianDraft { name: g.name.clone(), relation: g.relation.clone(), phone: g.phone.clone() })
                .collect(),
            school: child.school.clone(),
            notes: child.notes.clone(),
        }
    }

    /// Ticks or unticks a category, keeping the offered order.
    pub fn toggle_category(&mut self, category: ChildCategory) {
        if self.categories.contains(&category) {
            self.categories.retain(|c| *c != category);
        } else {
            self.categories.push(category);
            self.categories.sort_by_key(|c| ChildCategory::ALL.iter().position(|a| a == c));
        }
    }

    /// The ID number, checked as of `today`: `None` when blank, else what
    /// [`IdNumber::parse_as_of`] says.
    pub fn id_number_checked(&self, today: NaiveDate) -> Option<Result<IdNumber, IdNumberError>> {
        let text = self.id_number.trim();
        (!text.is_empty()).then(|| IdNumber::parse_as_of(text, today))
    }

    /// When the ID number is valid, fills in the birth date and sex it records if they are
    /// still empty (what the worker entered herself is never overwritten).
    pub fn fill_from_id_number(&mut self, today: NaiveDate) {
        if let Some(Ok(id)) = self.id_number_checked(today) {
            if self.birth_date.trim().is_empty() {
                self.birth_date = id.birth_date().to_string();
            }
            if self.sex.is_none() {
                self.sex = Some(id.sex());
            }
        }
    }

    /// Whether a valid ID number records another birth date or sex than the ones entered.
    pub fn disagrees_with_id_number(&self, today: NaiveDate) -> bool {
        let Some(Ok(id)) = self.id_number_checked(today) else { return false };
        let birth_differs = parse_date(self.birth_date.trim()).is_some_and(|d| d != id.birth_date());
        let sex_differs = self.sex.is_some_and(|s| s != id.sex());
        birth_differs || sex_differs
    }

    /// Every problem of the form at once, keyed as [`Child::validate`] keys them (plus `sex`).
    pub fn errors(&self, today: NaiveDate) -> FieldErrors {
        let now = today.and_hms_opt(12, 0, 0).map(|t| t.and_utc().fixed_offset()).unwrap_or_default();
        self.to_child(Uuid::nil(), 1, today, now).err().unwrap_or_default()
    }

    /// The first of `others` that this form, as typed so far for child `own_id`, may be the
    /// same child as (core's [`ChildIdentity::may_be`]: the same ID number, or the same
    /// name, birth date and village), so that the worker is told before she registers a
    /// child twice. Nothing until an ID number, or a name with a readable birth date, is typed.
    pub fn possible_duplicate<'a>(&self, own_id: Uuid, others: &'a [Child]) -> Option<(&'a Child, DuplicateReason)> {
        let typed = ChildIdentity {
            id: own_id,
            id_number: Some(self.id_number.as_str()),
            name: &self.name,
            birth_date: parse_date(self.birth_date.trim()),
            village: &self.village,
        };
        // Saved files all have names, so a blank one matches none of them.
        others.iter().find_map(|other| typed.may_be(&ChildIdentity::of(other)).map(|reason| (other, reason)))
    }

    /// The file this form describes, as revision `revision` of child `id` saved at `now`,
    /// or every problem at once.
    pub fn to_child(
        &self,
        id: Uuid,
        revision: u32,
        today: NaiveDate,
        now: DateTime<FixedOffset>,
    ) -> Result<Child, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.sex.is_none() {
            errors.add("sex", FieldError::Required);
        }
        let birth_text = self.birth_date.trim();
        let birth_date = if birth_text.is_empty() {
            errors.add("birth_date", FieldError::Required);
            None
        } else {
            let parsed = parse_date(birth_text);
            if parsed.is_none() {
                errors.add("birth_date", FieldError::NotADate);
            }
            parsed
        };
        let id_number = match self.id_number_checked(today) {
            None => None,
            Some(Ok(id)) => Some(id.as_str().to_owned()),
            Some(Err(_)) => Some(self.id_number.trim().to_owned()),
        };
        let child = Child {
            id,
            name: self.name.trim().to_owned(),
            // Stand-ins while missing (their absence is reported above); neither draws an
            // error of its own from the check below.
            sex: self.sex.unwrap_or(Sex::Female),
            birth_date: birth_date.unwrap_or(today),
            id_number,
            village: self.village.trim().to_owned(),
            categories: self.categories.clone(),
            guardians: self
                .guardians
                .iter()
                .map(|g| Guardian {
                    name: g.name.trim().to_owned(),
                    relation: g.relation.clone(),
                    phone: g.phone.trim().to_owned(),
                })
                .collect(),
            school: self.school.trim().to_owned(),
            notes: self.notes.trim().to_owned(),
            revision,
            updated_at: now,
        };
        if let Err(found) = child.validate(today) {
            errors.extend(found);
        }
        errors.into_result(child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn a_new_child_is_of_the_worker_s_village_once_the_phone_has_joined() {
        use crate::worker::{Place, Role};
        let worker = |village: &str| Worker {
            id: Uuid::nil(),
            name: "李芳".into(),
            role: if village.is_empty() { Role::Supervisor } else { Role::Director },
            place: Place { township: "石门镇".into(), village: village.into() },
        };
        assert_eq!(ChildDraft::for_worker(Some(&worker("桃源村")), "石桥村".into()).village, "桃源村");
        assert_eq!(
            ChildDraft::for_worker(Some(&worker("")), "石桥村".into()).village,
            "石桥村",
            "a supervisor has no village"
        );
        assert_eq!(ChildDraft::for_worker(None, "石桥村".into()).village, "石桥村");
        assert_eq!(ChildDraft::for_worker(None, String::new()), ChildDraft::default());
    }

    #[test]
    fn a_child_typed_again_is_flagged_as_soon_as_the_form_says_who_it_is() {
        let saved = crate::fixtures::sample_child();
        let others = [saved.clone()];
        let own = Uuid::from_u128(9);
        let mut typing = ChildDraft::new("石桥村".into());
        typing.name = "王小明".into();
        assert_eq!(typing.possible_duplicate(own, &others), None, "a name alone could be anyone");
        typing.birth_date = "2016-03-14".into();
        assert_eq!(
            typing.possible_duplicate(own, &others).map(|(c, r)| (c.id, r)),
            Some((saved.id, DuplicateReason::SameNameBirthDateVillage))
        );
        typing.birth_date = "2016-03-15".into();
        assert_eq!(typing.possible_duplicate(own, &others), None);
        let by_number = ChildDraft { id_number: " 110105201603140015 ".into(), ..ChildDraft::default() };
        assert_eq!(
            by_number.possible_duplicate(own, &others).map(|(_, r)| r),
            Some(DuplicateReason::SameIdNumber),
            "an ID number is enough, whatever else is typed"
        );
        assert_eq!(by_number.possible_duplicate(saved.id, &others), None, "a file edited is not its own duplicate");
    }

    fn filled() -> ChildDraft {
        ChildDraft {
            name: " 王小红 ".into(),
            sex: Some(Sex::Female),
            birth_date: "2016-03-14".into(),
            id_number: "11010520160314004x".into(),
            village: "石桥村".into(),
            categories: vec![ChildCategory::LeftBehind],
            guardians: vec![GuardianDraft {
                name: "王秀英".into(),
                relation: "grandparent".into(),
                phone: "13800138000".into(),
            }],
            school: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_filled_form_makes_a_valid_child_with_trimmed_text_and_a_normalised_id() {
        let now = today().and_hms_opt(9, 0, 0).unwrap_or_default().and_utc().fixed_offset();
        let child = filled().to_child(Uuid::from_u128(7), 2, today(), now).expect("valid");
        assert_eq!(child.name, "王小红");
        assert_eq!(child.id_number.as_deref(), Some("11010520160314004X"));
        assert_eq!(child.revision, 2);
        assert_eq!(ChildDraft::from_child(&child).to_child(child.id, 2, today(), now), Ok(child));
    }

    #[test]
    fn reports_missing_sex_and_date_with_the_core_checks_at_once() {
        let draft = ChildDraft { sex: None, birth_date: String::new(), name: String::new(), ..filled() };
        let errors = draft.errors(today());
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["birth_date", "name", "sex"]);
        let draft = ChildDraft { birth_date: "2016-02-30".into(), ..filled() };
        assert_eq!(draft.errors(today()).get("birth_date"), Some(&FieldError::NotADate));
    }

    #[test]
    fn a_valid_id_number_fills_only_what_is_empty() {
        let mut draft =
            ChildDraft { sex: None, birth_date: String::new(), id_number: "110105201603140023".into(), ..filled() };
        draft.fill_from_id_number(today());
        assert_eq!((draft.sex, draft.birth_date.as_str()), (Some(Sex::Female), "2016-03-14"));
        assert!(!draft.disagrees_with_id_number(today()));
        draft.birth_date = "2016-03-15".into();
        draft.fill_from_id_number(today());
        assert_eq!(draft.birth_date, "2016-03-15", "kept");
        assert!(draft.disagrees_with_id_number(today()));
    }

    #[test]
    fn categories_keep_the_offered_order() {
        let mut draft = ChildDraft::default();
        draft.toggle_category(ChildCategory::Migrant);
        draft.toggle_category(ChildCategory::LeftBehind);
        assert_eq!(draft.categories, [ChildCategory::LeftBehind, ChildCategory::Migrant]);
        draft.toggle_category(ChildCategory::Migrant);
        assert_eq!(draft.categories, [ChildCategory::LeftBehind]);
    }
}
