//! What is wrong with one field of a record, fit to show a person in their language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// One problem with one field. Serialised with a `code` tag so the server's `422` body and
/// the app's form speak the same words: `{"code":"too_long","max":50}`. Read back through
/// [`CodedFieldError`], a plain struct: serde's reader of a tagged enum buffers the whole
/// value first and costs the phone's app about three times the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case", try_from = "CodedFieldError")]
pub enum FieldError {
    /// Nothing was given where something is needed.
    #[error("required")]
    Required,
    /// Longer than `max` characters.
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    /// Not a date of the form YYYY-MM-DD.
    #[error("not a date")]
    NotADate,
    /// A date later than today.
    #[error("in the future")]
    InFuture,
    /// A date before the earliest accepted one.
    #[error("too long ago")]
    TooOld,
    /// Not one of the allowed choices.
    #[error("not one of the choices")]
    NotAChoice,
    /// Does not match the record's id in the address.
    #[error("does not match the address")]
    Mismatch,
    /// A number out of range.
    #[error("out of range")]
    OutOfRange,
    /// The value has the wrong type or shape (as the server's JSON reader saw it).
    #[error("wrong type")]
    WrongType,
    /// A field the receiver does not know (as the server's JSON reader saw it), as when the
    /// app is newer than the server.
    #[error("not expected")]
    Unexpected,
    /// Shorter than `min` characters.
    #[error("shorter than {min} characters")]
    TooShort { min: usize },
    /// Fewer than `min` choices chosen.
    #[error("fewer than {min} chosen")]
    TooFew { min: usize },
    /// More than `max` choices chosen.
    #[error("more than {max} chosen")]
    TooMany { max: usize },
    /// More than `max` photos.
    #[error("more than {max} photos")]
    TooManyPhotos { max: usize },
    /// A number with a fractional part where a whole number is needed.
    #[error("not a whole number")]
    NotAWholeNumber,
    /// A date after the latest accepted one.
    #[error("too late")]
    TooLate,
    /// Not a valid Chinese resident identity number (居民身份证号码).
    #[error("not a valid ID number")]
    BadIdNumber,
    /// Not a valid Chinese mobile or landline number.
    #[error("not a valid phone number")]
    BadPhone,
    /// The record names a form (id and version) this side does not know.
    #[error("unknown form")]
    UnknownForm,
    /// The worker chose a risk colour other than the suggested one without saying why.
    #[error("a reason is needed")]
    ReasonNeeded,
}

/// A field error as it arrives: its code and the bound it names, if any.
#[derive(Deserialize)]
pub struct CodedFieldError {
    code: String,
    #[serde(default)]
    max: Option<usize>,
    #[serde(default)]
    min: Option<usize>,
}

/// A field error whose code this side does not know, or without the bound its code needs.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a field error this side knows")]
pub struct UnknownFieldError(String);

impl TryFrom<CodedFieldError> for FieldError {
    type Error = UnknownFieldError;

    fn try_from(coded: CodedFieldError) -> Result<FieldError, UnknownFieldError> {
        Ok(match (coded.code.as_str(), coded.max, coded.min) {
            ("required", ..) => FieldError::Required,
            ("too_long", Some(max), _) => FieldError::TooLong { max },
            ("not_a_date", ..) => FieldError::NotADate,
            ("in_future", ..) => FieldError::InFuture,
            ("too_old", ..) => FieldError::TooOld,
            ("not_a_choice", ..) => FieldError::NotAChoice,
            ("mismatch", ..) => FieldError::Mismatch,
            ("out_of_range", ..) => FieldError::OutOfRange,
            ("wrong_type", ..) => FieldError::WrongType,
            ("unexpected", ..) => FieldError::Unexpected,
            ("too_short", _, Some(min)) => FieldError::TooShort { min },
            ("too_few", _, Some(min)) => FieldError::TooFew { min },
            ("too_many", Some(max), _) => FieldError::TooMany { max },
            ("too_many_photos", Some(max), _) => FieldError::TooManyPhotos { max },
            ("not_a_whole_number", ..) => FieldError::NotAWholeNumber,
            ("too_late", ..) => FieldError::TooLate,
            ("bad_id_number", ..) => FieldError::BadIdNumber,
            ("bad_phone", ..) => FieldError::BadPhone,
            ("unknown_form", ..) => FieldError::UnknownForm,
            ("reason_needed", ..) => FieldError::ReasonNeeded,
            _ => return Err(UnknownFieldError(coded.code)),
        })
    }
}

impl FieldError {
    /// A sentence for the person who filled in the form.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FieldError::Required => lang.pick("此项必填", "This is required").to_owned(),
            FieldError::TooLong { max } => match lang {
                Lang::ZhCn => format!("不能超过 {max} 个字"),
                Lang::En => format!("At most {max} characters"),
            },
            FieldError::NotADate => {
                lang.pick("请填写有效日期（年-月-日）", "Enter a valid date (YYYY-MM-DD)").to_owned()
            }
            FieldError::InFuture => lang.pick("日期不能晚于今天", "The date cannot be later than today").to_owned(),
            FieldError::TooOld => lang.pick("日期太早，请检查", "The date is too long ago; please check it").to_owned(),
            FieldError::NotAChoice => lang.pick("请从选项中选择", "Choose one of the options").to_owned(),
            FieldError::Mismatch => lang.pick("与记录编号不一致", "Does not match the record's id").to_owned(),
            FieldError::OutOfRange => lang.pick("数值超出范围", "The number is out of range").to_owned(),
            FieldError::WrongType => lang.pick("格式不正确", "This value has the wrong format").to_owned(),
            FieldError::Unexpected => lang.pick("服务器不接受此项", "The server does not accept this field").to_owned(),
            FieldError::TooShort { min } => match lang {
                Lang::ZhCn => format!("至少填写 {min} 个字"),
                Lang::En => format!("At least {min} characters"),
            },
            FieldError::TooFew { min } => match lang {
                Lang::ZhCn => format!("至少选择 {min} 项"),
                Lang::En => format!("Choose at least {min}"),
            },
            FieldError::TooMany { max } => match lang {
                Lang::ZhCn => format!("最多选择 {max} 项"),
                Lang::En => format!("Choose at most {max}"),
            },
            FieldError::TooManyPhotos { max } => match lang {
                Lang::ZhCn => format!("最多 {max} 张照片"),
                Lang::En => format!("At most {max} photos"),
            },
            FieldError::NotAWholeNumber => lang.pick("请填写整数", "Enter a whole number").to_owned(),
            FieldError::TooLate => lang.pick("日期太晚，请检查", "The date is too late; please check it").to_owned(),
            FieldError::BadIdNumber => lang.pick("身份证号码不正确", "This ID number is not valid").to_owned(),
            FieldError::BadPhone => lang.pick("电话号码不正确", "This phone number is not valid").to_owned(),
            FieldError::UnknownForm => lang
                .pick("表单版本无法识别，请更新应用", "This form version is not known; please update the app")
                .to_owned(),
            FieldError::ReasonNeeded => lang
                .pick("所选等级与系统建议不同，请填写理由", "The colour differs from the suggestion; give a reason")
                .to_owned(),
        }
    }
}

/// Every field error of a record at once, by field name, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, FieldError>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// The checks every record sent to its own address shares: its `id` is the one in the
    /// address (`path_id`), and its `revision` is 1 or more.
    pub fn check_record(&mut self, id: uuid::Uuid, path_id: uuid::Uuid, revision: u32) {
        if id != path_id {
            self.add("id", FieldError::Mismatch);
        }
        if revision == 0 {
            self.add("revision", FieldError::OutOfRange);
        }
    }

    /// Records an error for `field`; the first error for a field is kept.
    pub fn add(&mut self, field: &str, error: FieldError) {
        self.0.entry(field.to_owned()).or_insert(error);
    }

    /// The error for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields have an error.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The errors, by field name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldError)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Adds every error of `other`; for a field in both, the error already here is kept.
    pub fn extend(&mut self, other: FieldErrors) {
        for (field, error) in other.0 {
            self.0.entry(field).or_insert(error);
        }
    }

    /// `Ok(value)` when there are no errors, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_a_code_tag() {
        let json = serde_json::to_value(FieldError::TooLong { max: 50 }).unwrap();
        assert_eq!(json, serde_json::json!({"code": "too_long", "max": 50}));
        let back: FieldError = serde_json::from_value(json).unwrap();
        assert_eq!(back, FieldError::TooLong { max: 50 });
    }

    #[test]
    fn keeps_the_first_error_per_field() {
        let mut errors = FieldErrors::new();
        errors.add("child_name", FieldError::Required);
        errors.add("child_name", FieldError::TooLong { max: 3 });
        assert_eq!(errors.get("child_name"), Some(&FieldError::Required));
        assert_eq!(errors.len(), 1);
        assert!(errors.into_result(()).is_err());
    }

    #[test]
    fn unexpected_serialises_with_its_own_code() {
        let json = serde_json::to_value(FieldError::Unexpected).unwrap();
        assert_eq!(json, serde_json::json!({"code": "unexpected"}));
        assert_eq!(FieldError::Unexpected.message(Lang::En), "The server does not accept this field");
        assert_eq!(FieldError::Unexpected.message(Lang::ZhCn), "服务器不接受此项");
    }

    #[test]
    fn form_errors_have_codes_and_messages_in_both_languages() {
        let cases = [
            (
                FieldError::TooShort { min: 5 },
                serde_json::json!({"code": "too_short", "min": 5}),
                "至少填写 5 个字",
                "At least 5 characters",
            ),
            (
                FieldError::TooFew { min: 1 },
                serde_json::json!({"code": "too_few", "min": 1}),
                "至少选择 1 项",
                "Choose at least 1",
            ),
            (
                FieldError::TooMany { max: 3 },
                serde_json::json!({"code": "too_many", "max": 3}),
                "最多选择 3 项",
                "Choose at most 3",
            ),
            (
                FieldError::TooManyPhotos { max: 6 },
                serde_json::json!({"code": "too_many_photos", "max": 6}),
                "最多 6 张照片",
                "At most 6 photos",
            ),
            (
                FieldError::NotAWholeNumber,
                serde_json::json!({"code": "not_a_whole_number"}),
                "请填写整数",
                "Enter a whole number",
            ),
            (
                FieldError::TooLate,
                serde_json::json!({"code": "too_late"}),
                "日期太晚，请检查",
                "The date is too late; please check it",
            ),
            (
                FieldError::BadIdNumber,
                serde_json::json!({"code": "bad_id_number"}),
                "身份证号码不正确",
                "This ID number is not valid",
            ),
            (
                FieldError::BadPhone,
                serde_json::json!({"code": "bad_phone"}),
                "电话号码不正确",
                "This phone number is not valid",
            ),
        ];
        for (error, json, zh, en) in cases {
            assert_eq!(serde_json::to_value(&error).unwrap(), json);
            assert_eq!(serde_json::from_value::<FieldError>(json).unwrap(), error);
            assert_eq!(error.message(Lang::ZhCn), zh);
            assert_eq!(error.message(Lang::En), en);
        }
    }

    #[test]
    fn every_error_reads_back_as_it_was_written() {
        let every = [
            FieldError::Required,
            FieldError::TooLong { max: 50 },
            FieldError::NotADate,
            FieldError::InFuture,
            FieldError::TooOld,
            FieldError::NotAChoice,
            FieldError::Mismatch,
            FieldError::OutOfRange,
            FieldError::WrongType,
            FieldError::Unexpected,
            FieldError::TooShort { min: 2 },
            FieldError::TooFew { min: 1 },
            FieldError::TooMany { max: 3 },
            FieldError::TooManyPhotos { max: 6 },
            FieldError::NotAWholeNumber,
            FieldError::TooLate,
            FieldError::BadIdNumber,
            FieldError::BadPhone,
            FieldError::UnknownForm,
            FieldError::ReasonNeeded,
        ];
        // A new variant must be added above (and to `TryFrom<CodedFieldError>`): this match
        // stops compiling until it is.
        let listed = |error: &FieldError| match error {
            FieldError::Required
            | FieldError::TooLong { .. }
            | FieldError::NotADate
            | FieldError::InFuture
            | FieldError::TooOld
            | FieldError::NotAChoice
            | FieldError::Mismatch
            | FieldError::OutOfRange
            | FieldError::WrongType
            | FieldError::Unexpected
            | FieldError::TooShort { .. }
            | FieldError::TooFew { .. }
            | FieldError::TooMany { .. }
            | FieldError::TooManyPhotos { .. }
            | FieldError::NotAWholeNumber
            | FieldError::TooLate
            | FieldError::BadIdNumber
            | FieldError::BadPhone
            | FieldError::UnknownForm
            | FieldError::ReasonNeeded => true,
        };
        for error in every {
            assert!(listed(&error));
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), error, "{json}");
        }
        assert!(serde_json::from_str::<FieldError>(r#"{"code":"too_long"}"#).is_err(), "a bound is needed");
        assert!(serde_json::from_str::<FieldError>(r#"{"code":"from_a_newer_server"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<FieldError>(r#"{"code":"required","extra":1}"#).unwrap(),
            FieldError::Required
        );
    }

    #[test]
    fn messages_are_localised() {
        let e = FieldError::TooLong { max: 50 };
        assert_eq!(e.message(Lang::ZhCn), "不能超过 50 个字");
        assert_eq!(e.message(Lang::En), "At most 50 characters");
    }
}
