//! The one validator: answers checked against a form definition, every problem at once.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{date::parse_date, is_phone_number, AnswerValue, Answers, Field, FieldKind, FormDefinition, IdNumber};
use crate::photo::CAPTION_MAX_CHARS;
use crate::{FieldError, FieldErrors};

impl FormDefinition {
    /// Checks `answers` and returns every problem at once, by field id. `today` is the
    /// checker's date (the server passes its own plus a day, so phones in any time zone
    /// pass).
    ///
    /// - An answer to a field the definition does not have is [`FieldError::Unexpected`].
    /// - A hidden field (see [`FormDefinition::visible_fields`]) is never required and its
    ///   answer is ignored, whatever it is.
    /// - A shown, required field without an answer is [`FieldError::Required`].
    /// - A shown field's answer is checked by [`Field::check_answer`].
    pub fn validate(&self, answers: &Answers, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (id, _) in answers.iter() {
            if self.field(id).is_none() {
                errors.add(id, FieldError::Unexpected);
            }
        }
        for field in self.visible_fields(answers) {
            match answers.get(&field.id) {
                None if field.required => errors.add(&field.id, FieldError::Required),
                None => {}
                Some(value) => {
                    if let Err(error) = field.check_answer(value, today) {
                        errors.add(&field.id, error);
                    }
                }
            }
        }
        errors.into_result(())
    }
}

/// An answer as its kind reads it, for the constraints to check.
enum Read<'a> {
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
    Other,
}

impl Field {
    /// Checks one non-blank answer against the field's kind and then its constraints, and
    /// returns the first problem: [`FieldError::WrongType`] for a value of the wrong shape
    /// (a boolean for a text, a number for a date), then the kind's own errors, then the
    /// first broken constraint's.
    pub fn check_answer(&self, value: &AnswerValue, today: NaiveDate) -> Result<(), FieldError> {
        let read = self.read(value, today)?;
        let broken = self.constraints.iter().find(|c| match read {
            Read::Text(text) => !c.allows_text(text),
            Read::Number(number) => !c.allows_number(number),
            Read::Date(date) => !c.allows_date(date, today),
            Read::Other => false,
        });
        match broken {
            Some(constraint) => Err(constraint.error()),
            None => Ok(()),
        }
    }

    fn read<'a>(&self, value: &'a AnswerValue, today: NaiveDate) -> Result<Read<'a>, FieldError> {
        let text = || value.as_text().map(str::trim).ok_or(FieldError::WrongType);
        let list = || value.as_list().ok_or(FieldError::WrongType);
        match &self.kind {
            FieldKind::Text { max_chars } | FieldKind::LongText { max_chars } => {
                let text = text()?;
                if text.chars().count() > *max_chars {
                    return Err(FieldError::TooLong { max: *max_chars });
                }
                Ok(Read::Text(text))
            }
            FieldKind::Number { min, max, integer } => {
                let number = value.as_number().filter(|n| n.is_finite()).ok_or(FieldError::WrongType)?;
                if *integer && number.fract() != 0.0 {
                    return Err(FieldError::NotAWholeNumber);
                }
                if min.is_some_and(|m| number < m) || max.is_some_and(|m| number > m) {
                    return Err(FieldError::OutOfRange);
                }
                Ok(Read::Number(number))
            }
            FieldKind::Date { not_in_future } => {
                let date = parse_date(text()?).ok_or(FieldError::NotADate)?;
                if *not_in_future && date > today {
                    return Err(FieldError::InFuture);
                }
                Ok(Read::Date(date))
            }
            FieldKind::SingleChoice { .. } => match self.kind.choice(text()?) {
                Some(_) => Ok(Read::Other),
                None => Err(FieldError::NotAChoice),
            },
            FieldKind::MultipleChoice { min, max, .. } => {
                let codes = distinct(list()?)?;
                if codes.iter().any(|code| self.kind.choice(code).is_none()) {
                    return Err(FieldError::NotAChoice);
                }
                if let Some(min) = min.filter(|m| codes.len() < *m) {
                    return Err(FieldError::TooFew { min });
                }
                if let Some(max) = max.filter(|m| codes.len() > *m) {
                    return Err(FieldError::TooMany { max });
                }
                Ok(Read::Other)
            }
            FieldKind::YesNo => value.as_bool().map(|_| Read::Other).ok_or(FieldError::WrongType),
            FieldKind::Phone => match is_phone_number(text()?) {
                true => Ok(Read::Other),
                false => Err(FieldError::BadPhone),
            },
            FieldKind::IdNumber => match IdNumber::parse_as_of(text()?, today) {
                Ok(_) => Ok(Read::Other),
                Err(_) => Err(FieldError::BadIdNumber),
            },
            FieldKind::PhotoSlot { max_photos } => {
                let notes = value.as_photos().ok_or(FieldError::WrongType)?;
                let hashes: BTreeSet<&str> = notes.iter().map(|n| n.sha256.as_str()).collect();
                if hashes.len() != notes.len() {
                    return Err(FieldError::WrongType);
                }
                if notes.len() > *max_photos {
                    return Err(FieldError::TooManyPhotos { max: *max_photos });
                }
                if notes.iter().any(|n| n.caption.trim().chars().count() > CAPTION_MAX_CHARS) {
                    return Err(FieldError::TooLong { max: CAPTION_MAX_CHARS });
                }
                Ok(Read::Other)
            }
        }
    }
}

/// The items of a list answer, refusing one that names an item twice as malformed.
fn distinct(items: &[String]) -> Result<BTreeSet<&str>, FieldError> {
    let set: BTreeSet<&str> = items.iter().map(String::as_str).collect();
    if set.len() == items.len() {
        Ok(set)
    } else {
        Err(FieldError::WrongType)
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
