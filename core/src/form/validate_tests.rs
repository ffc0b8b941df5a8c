//! Tests of the validator: every kind's good and bad answers, show-if, all errors at once.

use chrono::NaiveDate;
use serde_json::json;

use crate::form::id_number::tests::valid as valid_id;
use crate::form::{
    AnswerValue, Answers, Choice, Condition, Constraint, ConstraintRule, Field, FieldKind, FormDefinition, Section,
    Text,
};
use crate::FieldError;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn choices(codes: &[&str]) -> Vec<Choice> {
    codes.iter().map(|c| Choice::new(c, "选项", "Option")).collect()
}

/// One field of each kind, none required, all shown.
fn every_kind() -> FormDefinition {
    let f = |id: &str, kind: FieldKind| Field::new(id, Text::new("题", "Question"), kind);
    FormDefinition {
        id: "kinds".into(),
        version: 1,
        title: Text::new("各类", "Kinds"),
        sections: vec![Section::new(
            "all",
            "全部",
            "All",
            vec![
                f("name", FieldKind::Text { max_chars: 4 }),
                f("notes", FieldKind::LongText { max_chars: 10 }),
                f("age", FieldKind::Number { min: Some(0.0), max: Some(18.0), integer: true }),
                f("weight", FieldKind::Number { min: None, max: None, integer: false }),
                f("born", FieldKind::Date { not_in_future: true }),
                f("next", FieldKind::Date { not_in_future: false }),
                f("relation", FieldKind::SingleChoice { choices: choices(&["mother", "none"]) }),
                f(
                    "policies",
                    FieldKind::MultipleChoice {
                        choices: choices(&["dibao", "legal_aid", "counselling"]),
                        min: Some(1),
                        max: Some(2),
                    },
                ),
                f("signed", FieldKind::YesNo),
                f("phone", FieldKind::Phone),
                f("id_number", FieldKind::IdNumber),
                f("photos", FieldKind::PhotoSlot { max_photos: 2 }),
            ],
        )],
    }
}

/// The error `value` gets as the answer to `field` of [`every_kind`], if any.
fn error_for(field: &str, value: serde_json::Value) -> Option<FieldError> {
    let answers: Answers = serde_json::from_value(json!({ field: value })).unwrap();
    match every_kind().validate(&answers, today()) {
        Ok(()) => None,
        Err(errors) => {
            assert_eq!(errors.len(), 1, "{errors}");
            errors.get(field).cloned()
        }
    }
}

/// A photo note whose hash is 64 times `c`.
fn note(c: char) -> serde_json::Value {
    json!({"sha256": c.to_string().repeat(64), "caption": "厨房", "taken_at": "2026-11-20T02:15:00Z"})
}

#[test]
fn the_kinds_form_is_a_valid_definition() {
    assert_eq!(every_kind().check(), Ok(()));
    assert_eq!(every_kind().validate(&Answers::new(), today()), Ok(()));
}

#[test]
fn text_and_long_text() {
    assert_eq!(error_for("name", json!("王小明")), None);
    assert_eq!(error_for("name", json!("  王小明同  ")), None, "counted after trimming, in characters");
    assert_eq!(error_for("name", json!("王小明同学")), Some(FieldError::TooLong { max: 4 }));
    assert_eq!(error_for("notes", json!("一二三四五六七八九十")), None);
    assert_eq!(error_for("notes", json!("一二三四五六七八九十一")), Some(FieldError::TooLong { max: 10 }));
    assert_eq!(error_for("name", json!(true)), Some(FieldError::WrongType));
    assert_eq!(error_for("notes", json!(["a"])), Some(FieldError::WrongType));
}

#[test]
fn numbers() {
    assert_eq!(error_for("age", json!(0)), None);
    assert_eq!(error_for("age", json!(18)), None);
    assert_eq!(error_for("age", json!(19)), Some(FieldError::OutOfRange));
    assert_eq!(error_for("age", json!(-1)), Some(FieldError::OutOfRange));
    assert_eq!(error_for("age", json!(9.5)), Some(FieldError::NotAWholeNumber));
    assert_eq!(error_for("weight", json!(31.5)), None);
    assert_eq!(error_for("age", json!("9")), Some(FieldError::WrongType));
}

#[test]
fn dates() {
    assert_eq!(error_for("born", json!("2026-11-23")), None, "today is not the future");
    assert_eq!(error_for("born", json!("2026-11-24")), Some(FieldError::InFuture));
    assert_eq!(error_for("next", json!("2026-12-24")), None);
    assert_eq!(error_for("born", json!("2026-02-30")), Some(FieldError::NotADate));
    assert_eq!(error_for("born", json!("23/11/2026")), Some(FieldError::NotADate));
    assert_eq!(error_for("born", json!(20261123)), Some(FieldError::WrongType));
}

#[test]
fn single_choice() {
    assert_eq!(error_for("relation", json!("mother")), None);
    assert_eq!(error_for("relation", json!("aunt")), Some(FieldError::NotAChoice));
    assert_eq!(error_for("relation", json!("Mother")), Some(FieldError::NotAChoice), "codes are exact");
    assert_eq!(error_for("relation", json!(["mother"])), Some(FieldError::WrongType));
}

#[test]
fn multiple_choice() {
    assert_eq!(error_for("policies", json!(["dibao"])), None);
    assert_eq!(error_for("policies", json!(["dibao", "legal_aid"])), None);
    assert_eq!(
        error_for("policies", json!(["dibao", "legal_aid", "counselling"])),
        Some(FieldError::TooMany { max: 2 })
    );
    assert_eq!(error_for("policies", json!(["dibao", "school_fees"])), Some(FieldError::NotAChoice));
    assert_eq!(error_for("policies", json!(["dibao", "dibao"])), Some(FieldError::WrongType));
    assert_eq!(error_for("policies", json!("dibao")), Some(FieldError::WrongType));
    assert_eq!(error_for("policies", json!([])), None, "an empty list is no answer, so min does not apply");
}

#[test]
fn too_few_choices() {
    let mut form = every_kind();
    form.sections[0].fields[7].kind =
        FieldKind::MultipleChoice { choices: choices(&["a", "b", "c"]), min: Some(2), max: None };
    let answers: Answers = serde_json::from_value(json!({"policies": ["a"]})).unwrap();
    assert_eq!(form.validate(&answers, today()).unwrap_err().get("policies"), Some(&FieldError::TooFew { min: 2 }));
}

#[test]
fn yes_no() {
    assert_eq!(error_for("signed", json!(false)), None);
    assert_eq!(error_for("signed", json!("yes")), Some(FieldError::WrongType));
    assert_eq!(error_for("signed", json!(1)), Some(FieldError::WrongType));
}

#[test]
fn phones() {
    assert_eq!(error_for("phone", json!("13812345678")), None);
    assert_eq!(error_for("phone", json!("0731-84567890")), None);
    assert_eq!(error_for("phone", json!("12345")), Some(FieldError::BadPhone));
    assert_eq!(error_for("phone", json!(13812345678u64)), Some(FieldError::WrongType));
}

#[test]
fn id_numbers() {
    assert_eq!(error_for("id_number", json!(valid_id("43052420150612003"))), None);
    assert_eq!(error_for("id_number", json!("11010519491231002x")), None);
    assert_eq!(error_for("id_number", json!("110105194912310021")), Some(FieldError::BadIdNumber));
    assert_eq!(
        error_for("id_number", json!(valid_id("43052420261124003"))),
        Some(FieldError::BadIdNumber),
        "born tomorrow"
    );
    assert_eq!(
        error_for("id_number", json!(valid_id("43052419990230003"))),
        Some(FieldError::BadIdNumber),
        "no 30 February"
    );
}

#[test]
fn photo_slots() {
    assert_eq!(error_for("photos", json!([note('a'), note('0')])), None);
    assert_eq!(error_for("photos", json!([])), None, "an empty slot is no answer");
    assert_eq!(
        error_for("photos", json!([note('a'), note('b'), note('c')])),
        Some(FieldError::TooManyPhotos { max: 2 })
    );
    assert_eq!(error_for("photos", json!([note('a'), note('a')])), Some(FieldError::WrongType), "a photo twice");
    let long = json!([{"sha256": "a".repeat(64), "caption": "字".repeat(101), "taken_at": "2026-11-20T02:15:00Z"}]);
    assert_eq!(error_for("photos", long), Some(FieldError::TooLong { max: 100 }));
    assert!(serde_json::from_value::<Answers>(json!({"photos": note('a')})).is_err(), "one note, not a list");
    for not_notes in [json!(["a".repeat(64)]), json!("a".repeat(64))] {
        assert_eq!(error_for("photos", not_notes.clone()), Some(FieldError::WrongType), "{not_notes}");
    }
    for bad_hash in ["A".repeat(64), "a".repeat(63), "g".repeat(64)] {
        let answers = json!({"photos": [{"sha256": bad_hash, "taken_at": "2026-11-20T02:15:00Z"}]});
        assert!(serde_json::from_value::<Answers>(answers).is_err(), "{bad_hash}: not a photo note");
    }
}

#[test]
fn answers_to_unknown_fields_are_unexpected() {
    assert_eq!(error_for("colour_of_door", json!("红")), Some(FieldError::Unexpected));
}

#[test]
fn every_error_at_once() {
    let answers: Answers = serde_json::from_value(json!({
        "name": "王小明同学", "age": 40, "born": "2030-01-01", "relation": "aunt", "policies": [],
        "signed": "yes", "phone": "123", "id_number": "123", "photos": [note('a'), note('b'), note('c')], "extra": 1
    }))
    .unwrap();
    let errors = every_kind().validate(&answers, today()).unwrap_err();
    let got: Vec<(&str, &FieldError)> = errors.iter().collect();
    assert_eq!(
        got,
        [
            ("age", &FieldError::OutOfRange),
            ("born", &FieldError::InFuture),
            ("extra", &FieldError::Unexpected),
            ("id_number", &FieldError::BadIdNumber),
            ("name", &FieldError::TooLong { max: 4 }),
            ("phone", &FieldError::BadPhone),
            ("photos", &FieldError::TooManyPhotos { max: 2 }),
            ("relation", &FieldError::NotAChoice),
            ("signed", &FieldError::WrongType),
        ]
    );
}

/// A form whose later fields depend on earlier ones through nested conditions.
fn conditional() -> FormDefinition {
    let yes_no = |id: &str| Field::new(id, Text::new("是否", "Yes or no"), FieldKind::YesNo);
    let text = |id: &str| Field::new(id, Text::new("说明", "Details"), FieldKind::Text { max_chars: 20 }).required();
    let harm = Condition::Any(vec![Condition::yes("harm"), Condition::yes("neglect")]);
    FormDefinition {
        id: "cond".into(),
        version: 1,
        title: Text::new("条件", "Conditions"),
        sections: vec![Section::new(
            "s",
            "节",
            "Section",
            vec![
                yes_no("harm"),
                yes_no("neglect"),
                Field::new(
                    "referrals",
                    Text::new("转介", "Referrals"),
                    FieldKind::MultipleChoice { choices: choices(&["police", "school"]), min: None, max: None },
                ),
                yes_no("reported").required().shown_if(harm.clone()),
                text("reported_to").shown_if(Condition::All(vec![harm.clone(), Condition::yes("reported")])),
                text("why_not").shown_if(Condition::All(vec![
                    harm,
                    !Condition::yes("reported"),
                    !Condition::includes("referrals", "police"),
                ])),
                text("anything").shown_if(Condition::answered("referrals")),
            ],
        )],
    }
}

fn errors_of(form: &FormDefinition, answers: serde_json::Value) -> Vec<(String, FieldError)> {
    let answers: Answers = serde_json::from_value(answers).unwrap();
    match form.validate(&answers, today()) {
        Ok(()) => vec![],
        Err(errors) => errors.iter().map(|(k, v)| (k.to_owned(), v.clone())).collect(),
    }
}

fn required(ids: &[&str]) -> Vec<(String, FieldError)> {
    ids.iter().map(|id| ((*id).to_owned(), FieldError::Required)).collect()
}

#[test]
fn hidden_fields_are_never_required() {
    let form = conditional();
    assert_eq!(form.check(), Ok(()));
    assert_eq!(errors_of(&form, json!({})), required(&[]));
    assert_eq!(errors_of(&form, json!({"harm": false, "neglect": false})), required(&[]));
    assert_eq!(
        errors_of(&form, json!({"neglect": true})),
        required(&["reported", "why_not"]),
        "unanswered 'reported' is not yes"
    );
    assert_eq!(errors_of(&form, json!({"harm": true, "reported": true})), required(&["reported_to"]));
    assert_eq!(errors_of(&form, json!({"harm": true, "reported": false})), required(&["why_not"]));
    assert_eq!(
        errors_of(&form, json!({"harm": true, "reported": false, "referrals": ["police"]})),
        required(&["anything"])
    );
    assert_eq!(
        errors_of(&form, json!({"harm": true, "reported": false, "referrals": ["school"]})),
        required(&["anything", "why_not"])
    );
}

#[test]
fn answers_to_hidden_fields_are_ignored_even_when_wrong() {
    let form = conditional();
    let stale = json!({"harm": false, "reported": "not a bool", "reported_to": "字".repeat(50), "why_not": 7});
    assert_eq!(errors_of(&form, stale), required(&[]));
    let shown = json!({"harm": true, "reported": "not a bool", "why_not": "忘了"});
    assert_eq!(errors_of(&form, shown), [("reported".to_owned(), FieldError::WrongType)]);
}

#[test]
fn constraints_apply_after_the_kind() {
    let mut form = every_kind();
    let name = &mut form.sections[0].fields[0];
    name.constraints.push(Constraint::new(ConstraintRule::MinChars { min: 2 }).with_message("请写全名", "Full name"));
    let next = &mut form.sections[0].fields[5];
    next.constraints.push(Constraint::new(ConstraintRule::DateNotBefore { days_from_today: 0 }));
    next.constraints.push(Constraint::new(ConstraintRule::DateNotAfter { days_from_today: 30 }));
    let age = &mut form.sections[0].fields[2];
    age.constraints.push(Constraint::new(ConstraintRule::NumberRange { min: Some(6.0), max: None }));
    let check = |field: &str, value: serde_json::Value| errors_of(&form, json!({ field: value }));
    assert_eq!(check("name", json!("王")), [("name".to_owned(), FieldError::TooShort { min: 2 })]);
    assert_eq!(
        check("name", json!("王小明同学")),
        [("name".to_owned(), FieldError::TooLong { max: 4 })],
        "the kind's limit first"
    );
    assert_eq!(check("next", json!("2026-11-22")), [("next".to_owned(), FieldError::TooOld)]);
    assert_eq!(check("next", json!("2026-12-24")), [("next".to_owned(), FieldError::TooLate)]);
    assert_eq!(check("next", json!("2026-12-23")), []);
    assert_eq!(check("age", json!(5)), [("age".to_owned(), FieldError::OutOfRange)]);
    assert_eq!(check("age", json!(6)), []);
}

#[test]
fn one_answer_can_be_checked_alone() {
    let form = every_kind();
    let phone = form.field("phone").unwrap();
    assert_eq!(phone.check_answer(&AnswerValue::Text("13812345678".into()), today()), Ok(()));
    assert_eq!(phone.check_answer(&AnswerValue::Bool(true), today()), Err(FieldError::WrongType));
}
