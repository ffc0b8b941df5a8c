//! The supervisor's "to reconcile" list as she reads it: for each child's file with an edit
//! kept aside (`wire::ToReconcile`), a line per field in which the two versions differ, each
//! in words (a label, the value as the file stands and as the other phone sent it).

use crate::child::{child_file_fields, relation_label, Child};
use crate::wire::ToReconcile;
use crate::Lang;

/// One field in which the two versions differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDifference {
    /// The file's field (`school`, `guardians`, …).
    pub field: String,
    pub label: String,
    /// As the file stands now.
    pub held: String,
    /// As the edit kept aside has it.
    pub kept_aside: String,
}

/// The differing fields of `item`, in the order the server lists them.
pub fn differences(item: &ToReconcile, lang: Lang) -> Vec<FieldDifference> {
    item.fields
        .iter()
        .map(|field| FieldDifference {
            field: field.clone(),
            label: field_label(field, lang),
            held: shown(&item.held, field, lang),
            kept_aside: shown(&item.kept_aside, field, lang),
        })
        .collect()
}

/// The question's words on the child's form, without "(optional)"; guardians have none.
fn field_label(field: &str, lang: Lang) -> String {
    if field == "guardians" {
        return lang.pick("监护人 / 照料人", "Guardians and carers").to_owned();
    }
    child_file_fields()
        .iter()
        .find(|question| question.id == field)
        .map(|question| {
            question.label.get(lang).trim_end_matches("（选填）").trim_end_matches(" (optional)").to_owned()
        })
        .unwrap_or_else(|| field.to_owned())
}

/// The value of `field` in `child`, in words.
fn shown(child: &Child, field: &str, lang: Lang) -> String {
    let or_none =
        |text: &str| if text.trim().is_empty() { lang.pick("（无）", "(none)").to_owned() } else { text.to_owned() };
    match field {
        "name" => child.name.clone(),
        "id_number" => or_none(child.id_number.as_deref().unwrap_or_default()),
        "sex" => child.sex.label(lang).to_owned(),
        "birth_date" => child.birth_date.to_string(),
        "village" => child.village.clone(),
        "categories" => {
            let labels: Vec<&str> = child.categories.iter().map(|category| category.label(lang)).collect();
            labels.join(lang.pick("、", ", "))
        }
        "guardians" => or_none(
            &child
                .guardians
                .iter()
                .map(|guardian| {
                    let mut words = guardian.name.clone();
                    if !guardian.relation.is_empty() {
                        words += &format!("（{}）", relation_label(&guardian.relation, lang));
                    }
                    if !guardian.phone.is_empty() {
                        words += &format!(" {}", guardian.phone);
                    }
                    words
                })
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
        ),
        "school" => or_none(&child.school),
        "notes" => or_none(&child.notes),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::child::Guardian;
    use crate::fixtures::sample_child;

    fn item(held: Child, kept_aside: Child, fields: &[&str]) -> ToReconcile {
        ToReconcile {
            id: 7,
            held,
            held_by: Some("李芳".into()),
            kept_aside,
            kept_aside_by: Some("王梅".into()),
            kept_aside_at: DateTime::UNIX_EPOCH,
            fields: fields.iter().map(|field| (*field).to_owned()).collect(),
        }
    }

    #[test]
    fn each_differing_field_is_a_line_in_words() {
        let held = sample_child();
        let mut other = held.clone();
        other.school = String::new();
        other.guardians =
            vec![Guardian { name: "张桂兰".into(), relation: "grandparent".into(), phone: String::new() }];
        let lines = differences(&item(held.clone(), other, &["school", "guardians"]), Lang::ZhCn);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (lines[0].label.as_str(), lines[0].held.as_str(), lines[0].kept_aside.as_str()),
            ("学校", held.school.as_str(), "（无）")
        );
        assert_eq!(lines[1].label, "监护人 / 照料人");
        assert!(
            lines[1].kept_aside.starts_with("张桂兰（") && !lines[1].kept_aside.contains("grandparent"),
            "{}",
            lines[1].kept_aside
        );
        let english = differences(&item(held.clone(), held.clone(), &["id_number", "sex"]), Lang::En);
        assert_eq!(english[0].label, "ID number");
        assert_eq!(english[1].label, "Sex");
    }
}
