//! One answer of a visit as a readable cell, by the kind of its field: a choice's Chinese
//! label instead of its code, 是/否, dates as dates, photos as how many and their captions.

use tongxing_core::form::{parse_date, AnswerValue, Choice, Field, FieldKind};
use tongxing_core::Lang;

use super::table::Cell;

/// What joins the labels of several choices (the Chinese enumeration comma).
pub const LIST_SEPARATOR: &str = "、";
/// What joins photo captions.
const CAPTION_SEPARATOR: &str = "；";

/// The answer `value` to `field` as a cell; an answer of an unexpected shape (the form
/// changed under it) is shown as it is rather than lost.
pub fn answer_cell(field: &Field, value: Option<&AnswerValue>) -> Cell {
    let Some(value) = value else { return Cell::Empty };
    match (&field.kind, value) {
        (FieldKind::SingleChoice { choices }, AnswerValue::Text(code)) => Cell::text(choice_label(choices, code)),
        (FieldKind::MultipleChoice { choices, .. }, AnswerValue::List(codes)) => {
            let labels: Vec<&str> = codes.iter().map(|code| choice_label(choices, code)).collect();
            Cell::text(labels.join(LIST_SEPARATOR))
        }
        (FieldKind::Date { .. }, AnswerValue::Text(text)) => {
            parse_date(text).map_or_else(|| Cell::text(text), Cell::Date)
        }
        (FieldKind::Number { integer: true, .. }, AnswerValue::Number(number))
            if number.fract() == 0.0 && number.abs() < 1e15 =>
        {
            // Whole and well inside i64, so the cast is exact.
            Cell::Integer(*number as i64)
        }
        (FieldKind::PhotoSlot { .. }, value) => photos_cell(value),
        (_, value) => plain_cell(value),
    }
}

/// The label of the choice `code`, or the code itself when the form has no such choice.
pub fn choice_label<'a>(choices: &'a [Choice], code: &'a str) -> &'a str {
    choices.iter().find(|choice| choice.code == code).map_or(code, |choice| choice.label.get(Lang::ZhCn))
}

/// `2张：厨房；门口` (captions left blank are not listed), or `2张`.
fn photos_cell(value: &AnswerValue) -> Cell {
    let Some(notes) = value.as_photos() else { return plain_cell(value) };
    if notes.is_empty() {
        return Cell::Empty;
    }
    let captions: Vec<&str> =
        notes.iter().map(|note| note.caption.trim()).filter(|caption| !caption.is_empty()).collect();
    if captions.is_empty() {
        Cell::Text(format!("{}张", notes.len()))
    } else {
        Cell::Text(format!("{}张：{}", notes.len(), captions.join(CAPTION_SEPARATOR)))
    }
}

/// An answer read without its field's kind.
fn plain_cell(value: &AnswerValue) -> Cell {
    match value {
        AnswerValue::Bool(yes) => Cell::yes_no(*yes),
        AnswerValue::Number(number) => Cell::Number(*number),
        AnswerValue::Text(text) => Cell::text(text),
        AnswerValue::List(items) => Cell::text(items.join(LIST_SEPARATOR)),
        AnswerValue::Photos(_) => photos_cell(value),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use tongxing_core::form::{standard_home_visit, FormDefinition, Text};
    use tongxing_core::photo::{PhotoHash, PhotoNote};

    use super::*;

    fn form() -> FormDefinition {
        standard_home_visit()
    }

    fn cell(id: &str, value: AnswerValue) -> Cell {
        let form = form();
        let field = form.field(id).unwrap_or_else(|| panic!("no field {id}"));
        answer_cell(field, Some(&value))
    }

    fn text(value: &str) -> AnswerValue {
        AnswerValue::Text(value.to_owned())
    }

    #[test]
    fn choices_show_their_chinese_labels() {
        assert_eq!(cell("carer_relation", text("grandparent")), Cell::Text("祖父母/外祖父母".into()));
        assert_eq!(
            cell("present", AnswerValue::List(vec!["child".into(), "grandparent".into()])),
            Cell::Text("儿童本人、祖父母/外祖父母".into())
        );
        assert_eq!(cell("carer_relation", text("martian")), Cell::Text("martian".into()), "an unknown code as it is");
    }

    #[test]
    fn yes_no_dates_and_text() {
        assert_eq!(cell("harm_signs", AnswerValue::Bool(false)), Cell::Text("否".into()));
        assert_eq!(cell("in_school", AnswerValue::Bool(true)), Cell::Text("是".into()));
        assert_eq!(
            cell("mandatory_report_date", text("2026-11-20")),
            Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
        );
        assert_eq!(cell("mandatory_report_date", text("20/11/2026")), Cell::Text("20/11/2026".into()));
        assert_eq!(cell("needs_found", text("需要校服")), Cell::Text("需要校服".into()));
        let field = Field::new("x", Text::new("甲", "A"), FieldKind::YesNo);
        assert_eq!(answer_cell(&field, None), Cell::Empty);
    }

    #[test]
    fn whole_numbers_stay_whole() {
        let field =
            Field::new("n", Text::new("人数", "People"), FieldKind::Number { min: None, max: None, integer: true });
        assert_eq!(answer_cell(&field, Some(&AnswerValue::Number(3.0))), Cell::Integer(3));
        let field =
            Field::new("n", Text::new("收入", "Income"), FieldKind::Number { min: None, max: None, integer: false });
        assert_eq!(answer_cell(&field, Some(&AnswerValue::Number(2.5))), Cell::Number(2.5));
    }

    #[test]
    fn photos_are_counted_with_their_captions() {
        let taken = Utc.with_ymd_and_hms(2026, 11, 20, 2, 15, 0).unwrap();
        let note = |caption: &str| PhotoNote {
            caption: caption.into(),
            ..PhotoNote::new(PhotoHash::of_bytes(caption.as_bytes()), taken)
        };
        assert_eq!(
            cell("photos", AnswerValue::Photos(vec![note("厨房"), note(""), note("门口")])),
            Cell::Text("3张：厨房；门口".into())
        );
        assert_eq!(cell("photos", AnswerValue::Photos(vec![note(" ")])), Cell::Text("1张".into()));
    }
}
