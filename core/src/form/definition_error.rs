//! The self-check of a form definition: what makes one unusable, found before any worker
//! sees it.

use std::collections::{BTreeMap, BTreeSet};

use super::{Condition, ConditionValue, ConstraintRule, Field, FieldKind, FormDefinition, Text};

/// The first problem found in a form definition. Meant for whoever writes the definition,
/// so it names ids rather than labels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    /// An id or choice code that is empty or not lower-case ASCII letters, digits and `_`
    /// starting with a letter.
    #[error("`{id}` is not a usable id or code: use a-z, 0-9 and _, starting with a letter")]
    BadId {
        /// The offending id or code.
        id: String,
    },
    /// Two sections with one id.
    #[error("section `{section}` appears twice")]
    DuplicateSection {
        /// The repeated id.
        section: String,
    },
    /// A section without fields.
    #[error("section `{section}` has no fields")]
    EmptySection {
        /// The section.
        section: String,
    },
    /// Two fields with one id anywhere in the form.
    #[error("field `{field}` appears twice")]
    DuplicateField {
        /// The repeated id.
        field: String,
    },
    /// A choice field without choices.
    #[error("field `{field}` has no choices")]
    NoChoices {
        /// The field.
        field: String,
    },
    /// Two choices with one code in a field.
    #[error("field `{field}` has choice `{code}` twice")]
    DuplicateChoice {
        /// The field.
        field: String,
        /// The repeated code.
        code: String,
    },
    /// Limits no answer can meet or that make no sense: a zero maximum, a minimum above
    /// the maximum, more required choices than there are.
    #[error("field `{field}` has impossible limits")]
    BadLimits {
        /// The field.
        field: String,
    },
    /// A constraint that cannot apply to the field's kind, such as a character count on a
    /// date.
    #[error("field `{field}` has a constraint that does not fit its kind")]
    ConstraintDoesNotFit {
        /// The field.
        field: String,
    },
    /// Wording without its Chinese, which is what the workers read.
    #[error("{place} has no Chinese wording")]
    MissingChinese {
        /// Where, e.g. ``field `carer_capacity` choice `able` ``.
        place: String,
    },
    /// A show-if naming a field the form does not have.
    #[error("field `{field}` is shown depending on `{refers_to}`, which the form does not have")]
    UnknownField {
        /// The field with the show-if.
        field: String,
        /// The missing field.
        refers_to: String,
    },
    /// A show-if naming the field itself or one after it: the worker would answer in the
    /// wrong order.
    #[error("field `{field}` is shown depending on `{refers_to}`, which does not come before it")]
    LaterField {
        /// The field with the show-if.
        field: String,
        /// The field that is not earlier.
        refers_to: String,
    },
    /// A show-if naming a choice code the referred field does not offer.
    #[error("field `{field}` is shown depending on choice `{code}` of `{refers_to}`, which it does not offer")]
    UnknownChoice {
        /// The field with the show-if.
        field: String,
        /// The referred field.
        refers_to: String,
        /// The missing code.
        code: String,
    },
    /// A show-if comparing a field with something its kind cannot answer: yes/no on a
    /// choice, a code on a yes/no, `includes` on a single choice.
    #[error("field `{field}` is shown depending on `{refers_to}` in a way its kind cannot answer")]
    ConditionDoesNotFit {
        /// The field with the show-if.
        field: String,
        /// The referred field.
        refers_to: String,
    },
}

impl FormDefinition {
    /// Checks that the definition can be used: ids and codes well formed and unique, every
    /// label with its Chinese, limits possible, constraints fitting their field's kind, and
    /// every show-if reading an earlier field in a way that field can answer.
    pub fn check(&self) -> Result<(), DefinitionError> {
        check_id(&self.id)?;
        check_zh(&self.title, || "the form's title".to_owned())?;
        let mut sections = BTreeSet::new();
        let mut earlier: BTreeMap<&str, &Field> = BTreeMap::new();
        let all: BTreeSet<&str> = self.fields().map(|f| f.id.as_str()).collect();
        for section in &self.sections {
            check_id(&section.id)?;
            if !sections.insert(section.id.as_str()) {
                return Err(DefinitionError::DuplicateSection { section: section.id.clone() });
            }
            check_zh(&section.title, || format!("section `{}`", section.id))?;
            if section.fields.is_empty() {
                return Err(DefinitionError::EmptySection { section: section.id.clone() });
            }
            for field in &section.fields {
                check_field(field)?;
                if let Some(condition) = &field.show_if {
                    check_condition(field, condition, &earlier, &all)?;
                }
                if earlier.insert(field.id.as_str(), field).is_some() {
                    return Err(DefinitionError::DuplicateField { field: field.id.clone() });
                }
            }
        }
        Ok(())
    }
}

fn check_id(id: &str) -> Result<(), DefinitionError> {
    let well_formed = id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if well_formed {
        Ok(())
    } else {
        Err(DefinitionError::BadId { id: id.to_owned() })
    }
}

fn check_zh(text: &Text, place: impl FnOnce() -> String) -> Result<(), DefinitionError> {
    if text.zh.trim().is_empty() {
        Err(DefinitionError::MissingChinese { place: place() })
    } else {
        Ok(())
    }
}

fn check_field(field: &Field) -> Result<(), DefinitionError> {
    let id = &field.id;
    check_id(id)?;
    check_zh(&field.label, || format!("field `{id}`"))?;
    if let Some(hint) = &field.hint {
        check_zh(hint, || format!("field `{id}` hint"))?;
    }
    check_kind(field)?;
    for constraint in &field.constraints {
        if !constraint.fits(&field.kind) {
            return Err(DefinitionError::ConstraintDoesNotFit { field: id.clone() });
        }
        if let ConstraintRule::NumberRange { min, max } = constraint.rule {
            check_bounds(field, min, max)?;
        }
        if let Some(message) = &constraint.message {
            check_zh(message, || format!("field `{id}` constraint message"))?;
        }
    }
    Ok(())
}

fn check_kind(field: &Field) -> Result<(), DefinitionError> {
    let bad_limits = || DefinitionError::BadLimits { field: field.id.clone() };
    match &field.kind {
        FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } if *max_chars == 0 => {
            return Err(bad_limits())
        }
        FieldKind::PhotoSlot { max_photos: 0 } => return Err(bad_limits()),
        FieldKind::Number { min, max, .. } => check_bounds(field, *min, *max)?,
        FieldKind::MultipleChoice { choices, min, max } => {
            let max_ok = max.is_none_or(|m| m > 0 && min.is_none_or(|n| n <= m));
            if !max_ok || min.is_some_and(|n| n > choices.len()) {
                return Err(bad_limits());
            }
        }
        _ => {}
    }
    if matches!(field.kind, FieldKind::SingleChoice { .. } | FieldKind::MultipleChoice { .. })
        && field.kind.choices().is_empty()
    {
        return Err(DefinitionError::NoChoices { field: field.id.clone() });
    }
    let mut codes = BTreeSet::new();
    for choice in field.kind.choices() {
        check_id(&choice.code)?;
        if !codes.insert(choice.code.as_str()) {
            return Err(DefinitionError::DuplicateChoice { field: field.id.clone(), code: choice.code.clone() });
        }
        check_zh(&choice.label, || format!("field `{}` choice `{}`", field.id, choice.code))?;
    }
    Ok(())
}

fn check_bounds(field: &Field, min: Option<f64>, max: Option<f64>) -> Result<(), DefinitionError> {
    let finite = min.is_none_or(f64::is_finite) && max.is_none_or(f64::is_finite);
    let ordered = match (min, max) {
        (Some(lo), Some(hi)) => lo <= hi,
        _ => true,
    };
    if finite && ordered {
        Ok(())
    } else {
        Err(DefinitionError::BadLimits { field: field.id.clone() })
    }
}

fn check_condition(
    field: &Field,
    condition: &Condition,
    earlier: &BTreeMap<&str, &Field>,
    all: &BTreeSet<&str>,
) -> Result<(), DefinitionError> {
    for leaf in condition.leaves() {
        let refers_to = match leaf {
            Condition::Equals { field, .. } | Condition::Includes { field, .. } | Condition::Answered { field } => {
                field
            }
            Condition::Not(_) | Condition::All(_) | Condition::Any(_) => continue,
        };
        let Some(target) = earlier.get(refers_to.as_str()) else {
            return Err(if all.contains(refers_to.as_str()) {
                DefinitionError::LaterField { field: field.id.clone(), refers_to: refers_to.clone() }
            } else {
                DefinitionError::UnknownField { field: field.id.clone(), refers_to: refers_to.clone() }
            });
        };
        let code = match (leaf, &target.kind) {
            (Condition::Equals { value: ConditionValue::Bool(_), .. }, FieldKind::YesNo)
            | (Condition::Answered { .. }, _) => None,
            (Condition::Equals { value: ConditionValue::Code(code), .. }, FieldKind::SingleChoice { .. })
            | (Condition::Includes { code, .. }, FieldKind::MultipleChoice { .. }) => Some(code),
            _ => {
                return Err(DefinitionError::ConditionDoesNotFit {
                    field: field.id.clone(),
                    refers_to: refers_to.clone(),
                })
            }
        };
        if let Some(code) = code {
            if target.kind.choice(code).is_none() {
                return Err(DefinitionError::UnknownChoice {
                    field: field.id.clone(),
                    refers_to: refers_to.clone(),
                    code: code.clone(),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{Choice, Constraint, Section};

    /// A small valid form: a yes/no, a single and a multiple choice that depend on it.
    fn form() -> FormDefinition {
        FormDefinition {
            id: "small".into(),
            version: 1,
            title: Text::new("小表", "Small"),
            sections: vec![
                Section::new(
                    "one",
                    "一",
                    "One",
                    vec![
                        Field::new("signed", Text::new("已签", "Signed"), FieldKind::YesNo),
                        Field::new(
                            "relation",
                            Text::new("关系", "Relation"),
                            FieldKind::SingleChoice {
                                choices: vec![
                                    Choice::new("mother", "母亲", "Mother"),
                                    Choice::new("none", "无", "None"),
                                ],
                            },
                        ),
                    ],
                ),
                Section::new(
                    "two",
                    "二",
                    "Two",
                    vec![
                        Field::new(
                            "policies",
                            Text::new("政策", "Policies"),
                            FieldKind::MultipleChoice {
                                choices: vec![Choice::new("dibao", "低保", "")],
                                min: None,
                                max: Some(1),
                            },
                        )
                        .shown_if(Condition::All(vec![Condition::yes("signed"), !Condition::is("relation", "none")])),
                        Field::new("note", Text::new("备注", "Note"), FieldKind::Text { max_chars: 20 }).shown_if(
                            Condition::Any(vec![
                                Condition::includes("policies", "dibao"),
                                Condition::answered("relation"),
                            ]),
                        ),
                    ],
                ),
            ],
        }
    }

    fn with(change: impl FnOnce(&mut FormDefinition)) -> Result<(), DefinitionError> {
        let mut form = form();
        change(&mut form);
        form.check()
    }

    fn field_mut<'a>(form: &'a mut FormDefinition, id: &str) -> &'a mut Field {
        form.sections.iter_mut().flat_map(|s| s.fields.iter_mut()).find(|f| f.id == id).unwrap()
    }

    #[test]
    fn a_good_form_passes() {
        assert_eq!(form().check(), Ok(()));
    }

    #[test]
    fn ids_and_codes_must_be_snake_case() {
        assert_eq!(with(|f| f.id = "Home Visit".into()), Err(DefinitionError::BadId { id: "Home Visit".into() }));
        assert_eq!(with(|f| f.sections[0].id = String::new()), Err(DefinitionError::BadId { id: String::new() }));
        assert_eq!(
            with(|f| f.sections[0].fields[0].id = "1st".into()),
            Err(DefinitionError::BadId { id: "1st".into() })
        );
        let result = with(|f| {
            if let FieldKind::SingleChoice { choices } = &mut f.sections[0].fields[1].kind {
                choices[0].code = "Mother".into();
            }
        });
        assert_eq!(result, Err(DefinitionError::BadId { id: "Mother".into() }));
    }

    #[test]
    fn duplicates_are_found() {
        assert_eq!(
            with(|f| f.sections[1].id = "one".into()),
            Err(DefinitionError::DuplicateSection { section: "one".into() })
        );
        assert_eq!(
            with(|f| f.sections[1].fields[1].id = "signed".into()),
            Err(DefinitionError::DuplicateField { field: "signed".into() }),
            "field ids are unique across sections"
        );
        let result = with(|f| {
            if let FieldKind::SingleChoice { choices } = &mut field_mut(f, "relation").kind {
                choices.push(Choice::new("mother", "妈妈", "Mum"));
            }
        });
        assert_eq!(result, Err(DefinitionError::DuplicateChoice { field: "relation".into(), code: "mother".into() }));
    }

    #[test]
    fn empty_sections_and_choice_lists_are_found() {
        assert_eq!(
            with(|f| f.sections.push(Section::new("three", "三", "Three", vec![]))),
            Err(DefinitionError::EmptySection { section: "three".into() })
        );
        let result = with(|f| field_mut(f, "relation").kind = FieldKind::SingleChoice { choices: vec![] });
        assert_eq!(result, Err(DefinitionError::NoChoices { field: "relation".into() }));
    }

    #[test]
    fn chinese_wording_is_required_everywhere() {
        assert_eq!(
            with(|f| f.title.zh = " ".into()),
            Err(DefinitionError::MissingChinese { place: "the form's title".into() })
        );
        assert_eq!(
            with(|f| f.sections[1].title.zh.clear()),
            Err(DefinitionError::MissingChinese { place: "section `two`".into() })
        );
        assert_eq!(
            with(|f| field_mut(f, "note").label.zh.clear()),
            Err(DefinitionError::MissingChinese { place: "field `note`".into() })
        );
        assert_eq!(
            with(|f| field_mut(f, "note").hint = Some(Text::new("", "Hint"))),
            Err(DefinitionError::MissingChinese { place: "field `note` hint".into() })
        );
        let result = with(|f| {
            if let FieldKind::SingleChoice { choices } = &mut field_mut(f, "relation").kind {
                choices[1].label = Text::new("", "None");
            }
        });
        assert_eq!(result, Err(DefinitionError::MissingChinese { place: "field `relation` choice `none`".into() }));
        let result = with(|f| {
            field_mut(f, "note")
                .constraints
                .push(Constraint::new(ConstraintRule::MinChars { min: 2 }).with_message("", "Longer"))
        });
        assert_eq!(result, Err(DefinitionError::MissingChinese { place: "field `note` constraint message".into() }));
    }

    #[test]
    fn impossible_limits_are_found() {
        let bad = |kind: FieldKind| with(|f| field_mut(f, "note").kind = kind);
        let expected = Err(DefinitionError::BadLimits { field: "note".into() });
        assert_eq!(bad(FieldKind::Text { max_chars: 0 }), expected);
        assert_eq!(bad(FieldKind::PhotoSlot { max_photos: 0 }), expected);
        assert_eq!(bad(FieldKind::Number { min: Some(5.0), max: Some(1.0), integer: false }), expected);
        assert_eq!(bad(FieldKind::Number { min: Some(f64::NAN), max: None, integer: false }), expected);
        let choices = vec![Choice::new("a", "甲", "A"), Choice::new("b", "乙", "B")];
        assert_eq!(bad(FieldKind::MultipleChoice { choices: choices.clone(), min: Some(3), max: None }), expected);
        assert_eq!(bad(FieldKind::MultipleChoice { choices: choices.clone(), min: Some(2), max: Some(1) }), expected);
        assert_eq!(bad(FieldKind::MultipleChoice { choices: choices.clone(), min: None, max: Some(0) }), expected);
        assert_eq!(bad(FieldKind::MultipleChoice { choices, min: Some(1), max: Some(2) }), Ok(()));
        let result = with(|f| {
            let field = field_mut(f, "note");
            field.kind = FieldKind::Number { min: None, max: None, integer: true };
            field.constraints.push(Constraint::new(ConstraintRule::NumberRange { min: Some(2.0), max: Some(1.0) }));
        });
        assert_eq!(result, expected);
    }

    #[test]
    fn constraints_must_fit_the_kind() {
        let result =
            with(|f| field_mut(f, "signed").constraints.push(Constraint::new(ConstraintRule::MaxChars { max: 3 })));
        assert_eq!(result, Err(DefinitionError::ConstraintDoesNotFit { field: "signed".into() }));
        let result = with(|f| {
            field_mut(f, "note").constraints.push(Constraint::new(ConstraintRule::DateNotBefore { days_from_today: 0 }))
        });
        assert_eq!(result, Err(DefinitionError::ConstraintDoesNotFit { field: "note".into() }));
        assert_eq!(
            with(|f| field_mut(f, "note").constraints.push(Constraint::new(ConstraintRule::MaxChars { max: 3 }))),
            Ok(())
        );
    }

    #[test]
    fn show_if_must_read_an_existing_earlier_field() {
        let result = with(|f| field_mut(f, "note").show_if = Some(!Condition::yes("singed")));
        assert_eq!(result, Err(DefinitionError::UnknownField { field: "note".into(), refers_to: "singed".into() }));
        let result = with(|f| field_mut(f, "signed").show_if = Some(Condition::answered("note")));
        assert_eq!(result, Err(DefinitionError::LaterField { field: "signed".into(), refers_to: "note".into() }));
        let result = with(|f| field_mut(f, "note").show_if = Some(Condition::answered("note")));
        assert_eq!(
            result,
            Err(DefinitionError::LaterField { field: "note".into(), refers_to: "note".into() }),
            "not itself either"
        );
    }

    #[test]
    fn show_if_codes_must_exist_and_fit_the_kind() {
        let deep = |leaf: Condition| Condition::All(vec![Condition::Any(vec![!leaf])]);
        let result = with(|f| field_mut(f, "note").show_if = Some(deep(Condition::is("relation", "father"))));
        assert_eq!(
            result,
            Err(DefinitionError::UnknownChoice {
                field: "note".into(),
                refers_to: "relation".into(),
                code: "father".into()
            })
        );
        let result = with(|f| field_mut(f, "note").show_if = Some(Condition::includes("policies", "legal_aid")));
        assert_eq!(
            result,
            Err(DefinitionError::UnknownChoice {
                field: "note".into(),
                refers_to: "policies".into(),
                code: "legal_aid".into()
            })
        );
        let misfits = [
            Condition::yes("relation"),
            Condition::is("signed", "yes"),
            Condition::includes("relation", "mother"),
            Condition::is("policies", "dibao"),
        ];
        for leaf in misfits {
            let result = with(|f| field_mut(f, "note").show_if = Some(deep(leaf.clone())));
            assert!(matches!(result, Err(DefinitionError::ConditionDoesNotFit { .. })), "{leaf:?}: {result:?}");
        }
    }

    #[test]
    fn errors_read_as_sentences() {
        let e = DefinitionError::LaterField { field: "a".into(), refers_to: "b".into() };
        assert_eq!(e.to_string(), "field `a` is shown depending on `b`, which does not come before it");
    }
}
