//! The child's file as a form: its questions defined as the visit form defines its own
//! ([`Field`]), so that the app draws both with the same field components, and the answer a
//! [`ChildDraft`] gives to each.
//!
//! Only the drawing is shared: the file is still checked as a whole by
//! [`ChildDraft::to_child`], and guardians are rows of their own.

use chrono::NaiveDate;

use super::{ChildCategory, ChildDraft, Sex, CHILD_NAME_MAX, NOTES_MAX, SCHOOL_MAX, VILLAGE_MAX};
use crate::form::{AnswerValue, Choice, Field, FieldKind, Text};
use crate::{FieldError, Lang};

/// The questions of a child's file, in the order the form shows them: name, ID number, sex,
/// date of birth, village, categories, school, notes. Each field's id is the key its errors
/// have in [`ChildDraft::errors`].
pub fn child_file_fields() -> [Field; 8] {
    let text = |max_chars| FieldKind::Text { max_chars };
    let choice =
        |code: &str, label: &dyn Fn(Lang) -> &'static str| Choice::new(code, label(Lang::ZhCn), label(Lang::En));
    [
        Field::new("name", Text::new("姓名", "Name"), text(CHILD_NAME_MAX)).required(),
        Field::new("id_number", Text::new("身份证号（选填）", "ID number (optional)"), FieldKind::IdNumber)
            .with_hint("填写后自动带出出生日期和性别", "Fills in the date of birth and sex"),
        Field::new(
            "sex",
            Text::new("性别", "Sex"),
            FieldKind::SingleChoice {
                choices: Sex::ALL.iter().map(|s| choice(s.code(), &|lang| s.label(lang))).collect(),
            },
        )
        .required(),
        Field::new("birth_date", Text::new("出生日期", "Date of birth"), FieldKind::Date { not_in_future: true })
            .required(),
        Field::new("village", Text::new("村/居委会", "Village or residents' committee"), text(VILLAGE_MAX)).required(),
        Field::new(
            "categories",
            Text::new("儿童类别（可多选）", "Categories (any that apply)"),
            FieldKind::MultipleChoice {
                choices: ChildCategory::ALL.iter().map(|c| choice(c.code(), &|lang| c.label(lang))).collect(),
                min: Some(1),
                max: None,
            },
        )
        .required(),
        Field::new("school", Text::new("学校（选填）", "School (optional)"), text(SCHOOL_MAX)),
        Field::new(
            "notes",
            Text::new("备注（选填）", "Notes (optional)"),
            FieldKind::LongText { max_chars: NOTES_MAX },
        ),
    ]
}

/// An error of the question `field` in the worker's words; a few read better said for a
/// child's file than as any form says them.
pub fn child_error_message(field: &str, error: &FieldError, lang: Lang) -> String {
    match (field, error) {
        ("birth_date", FieldError::TooOld) => {
            lang.pick("已满 18 周岁，不再属于儿童", "18 or older: no longer a child").to_owned()
        }
        ("birth_date", FieldError::InFuture) => {
            lang.pick("出生日期不能晚于今天", "The date of birth cannot be after today").to_owned()
        }
        ("sex", FieldError::Required) => lang.pick("请选择性别", "Choose the sex").to_owned(),
        ("categories", FieldError::TooFew { .. }) => {
            lang.pick("请至少选择一个类别", "Choose at least one category").to_owned()
        }
        _ => error.message(lang),
    }
}

impl ChildDraft {
    /// The answer to the question `field` of [`child_file_fields`] (`None`: blank).
    pub fn answer(&self, field: &str) -> Option<AnswerValue> {
        let text = |t: &String| (!t.is_empty()).then(|| AnswerValue::Text(t.clone()));
        match field {
            "name" => text(&self.name),
            "id_number" => text(&self.id_number),
            "sex" => self.sex.map(|sex| AnswerValue::Text(sex.code().to_owned())),
            "birth_date" => text(&self.birth_date),
            "village" => text(&self.village),
            "categories" => Some(AnswerValue::List(self.categories.iter().map(|c| c.code().to_owned()).collect())),
            "school" => text(&self.school),
            "notes" => text(&self.notes),
            _ => None,
        }
    }

    /// Takes `value` as the answer to the question `field`. A valid ID number fills in the
    /// birth date and sex it records where they are still blank (as of `today`).
    pub fn set_answer(&mut self, field: &str, value: AnswerValue, today: NaiveDate) {
        let text = value.as_text().unwrap_or_default().to_owned();
        match field {
            "name" => self.name = text,
            "id_number" => {
                self.id_number = text;
                self.fill_from_id_number(today);
            }
            "sex" => self.sex = Sex::from_code(&text),
            "birth_date" => self.birth_date = text,
            "village" => self.village = text,
            "categories" => {
                let codes = value.as_list().unwrap_or_default();
                self.categories =
                    ChildCategory::ALL.into_iter().filter(|c| codes.iter().any(|code| code == c.code())).collect();
            }
            "school" => self.school = text,
            "notes" => self.notes = text,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn every_question_reads_back_the_answer_it_took() {
        let mut draft = ChildDraft::default();
        let answers = [
            ("name", AnswerValue::Text("王小红".into())),
            ("sex", AnswerValue::Text("female".into())),
            ("birth_date", AnswerValue::Text("2016-03-14".into())),
            ("village", AnswerValue::Text("石桥村".into())),
            (
                "categories",
                AnswerValue::List(vec![ChildCategory::ALL[1].code().into(), ChildCategory::ALL[0].code().into()]),
            ),
            ("school", AnswerValue::Text("石桥小学".into())),
            ("notes", AnswerValue::Text("爷爷奶奶照顾".into())),
        ];
        for (field, value) in answers {
            draft.set_answer(field, value, today());
        }
        assert_eq!(draft.sex, Some(Sex::Female));
        assert_eq!(draft.categories, vec![ChildCategory::ALL[0], ChildCategory::ALL[1]], "in the offered order");
        for field in child_file_fields().into_iter().filter(|f| f.id != "id_number") {
            let answer = draft.answer(&field.id);
            assert!(answer.is_some(), "{}", field.id);
            let mut again = draft.clone();
            again.set_answer(&field.id, answer.unwrap_or(AnswerValue::Text(String::new())), today());
            assert_eq!(again, draft, "{}", field.id);
        }
        assert_eq!(draft.answer("id_number"), None, "blank");
        assert_eq!(draft.answer("guardians"), None, "not a question of its own");
    }

    #[test]
    fn a_few_errors_read_better_said_for_a_child() {
        assert_eq!(child_error_message("sex", &FieldError::Required, Lang::ZhCn), "请选择性别");
        assert_eq!(
            child_error_message("name", &FieldError::Required, Lang::ZhCn),
            FieldError::Required.message(Lang::ZhCn)
        );
        assert_eq!(child_error_message("birth_date", &FieldError::TooOld, Lang::En), "18 or older: no longer a child");
    }

    #[test]
    fn a_valid_id_number_fills_in_what_is_blank() {
        let mut draft = ChildDraft::default();
        draft.set_answer("id_number", AnswerValue::Text("11010520160314004X".into()), today());
        assert_eq!(draft.birth_date, "2016-03-14");
        assert_eq!(draft.sex, Some(Sex::Female));
    }

    #[test]
    fn the_questions_are_keyed_as_the_file_s_errors() {
        let ids: Vec<String> = child_file_fields().into_iter().map(|f| f.id).collect();
        let errors = ChildDraft::default().errors(today());
        for (key, _) in errors.iter() {
            assert!(ids.iter().any(|id| id == key), "{key} has a question");
        }
        assert!(errors.iter().count() >= 4, "name, sex, birth date, village and categories are required");
    }
}
