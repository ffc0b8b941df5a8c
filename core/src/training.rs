//! Training and certification (培训考核): the county records each worker's courses and
//! whether she passed the assessment; a worker is certified once she has passed one. Her
//! supervisor sees who is not, her own phone says so, and the county counts them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{FieldError, FieldErrors, Lang};

/// Where a worker's phone asks whether she is certified (`GET`, her token).
pub const MY_CERTIFICATION_PATH: &str = "/api/v1/devices/me/certification";

/// The longest course name, in characters.
pub const COURSE_MAX: usize = 100;

/// One course a worker took, and whether she passed its assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// The course, e.g. `儿童主任业务培训（2026年第一期）`.
    pub course: String,
    /// The day of the assessment (or of the course, when it had none).
    pub date: NaiveDate,
    /// Whether she passed the assessment.
    pub passed: bool,
}

/// A training as the server keeps it: whose, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrainingRecord {
    pub id: Uuid,
    /// The worker's phone (her device id).
    pub worker_id: Uuid,
    #[serde(flatten)]
    pub training: Training,
    /// Who recorded it (her name as she joined).
    pub recorded_by: String,
}

impl Training {
    /// Checks the fields; `today` is the checker's date (no assessment in the future).
    pub fn validate(&self, today: NaiveDate) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        crate::worker::check_name(&mut errors, "course", &self.course, COURSE_MAX);
        if self.date > today {
            errors.add("date", FieldError::InFuture);
        }
        errors.into_result(())
    }
}

/// Whether a worker is certified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Certification {
    /// She passed an assessment, the latest on `since`.
    Certified { since: NaiveDate },
    /// She has no passed assessment yet.
    #[default]
    NotCertified,
}

impl Certification {
    /// A worker's certification from her `trainings`.
    pub fn of<'a>(trainings: impl IntoIterator<Item = &'a Training>) -> Certification {
        trainings
            .into_iter()
            .filter(|training| training.passed)
            .map(|training| training.date)
            .max()
            .map_or(Certification::NotCertified, |since| Certification::Certified { since })
    }

    pub fn is_certified(self) -> bool {
        matches!(self, Certification::Certified { .. })
    }

    /// For people: `已通过培训考核` / `未通过培训考核`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Certification::Certified { .. } => lang.pick("已通过培训考核", "certified"),
            Certification::NotCertified => lang.pick("未通过培训考核", "not certified"),
        }
    }

    /// For people, with the day: `已通过培训考核（2026-11-20）` / `未通过培训考核`.
    pub fn with_day(self, lang: Lang) -> String {
        match self {
            Certification::Certified { since } => format!("{}（{since}）", self.label(lang)),
            Certification::NotCertified => self.label(lang).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn training(course: &str, date: NaiveDate, passed: bool) -> Training {
        Training { course: course.into(), date, passed }
    }

    #[test]
    fn a_worker_is_certified_by_her_latest_passed_assessment_only() {
        assert_eq!(Certification::of(&[]), Certification::NotCertified);
        let failed = training("儿童主任业务培训", day(3, 1), false);
        assert_eq!(Certification::of([&failed]), Certification::NotCertified);
        let passed = training("儿童主任业务培训（补考）", day(4, 2), true);
        let later = training("强制报告专题", day(9, 9), true);
        let cert = Certification::of([&failed, &later, &passed]);
        assert_eq!(cert, Certification::Certified { since: day(9, 9) });
        assert!(cert.is_certified());
        assert_eq!(Certification::NotCertified.label(Lang::ZhCn), "未通过培训考核");
        assert_eq!(cert.with_day(Lang::ZhCn), "已通过培训考核（2026-09-09）");
        assert_eq!(Certification::NotCertified.with_day(Lang::ZhCn), "未通过培训考核");
        let json = serde_json::to_value(cert).unwrap();
        assert_eq!(json, serde_json::json!({"state": "certified", "since": "2026-09-09"}));
    }

    #[test]
    fn a_training_names_its_course_and_is_not_in_the_future() {
        assert_eq!(training("儿童主任业务培训", day(11, 1), true).validate(day(11, 1)), Ok(()));
        let errors = training("  ", day(11, 2), true).validate(day(11, 1)).unwrap_err();
        assert_eq!(errors.get("course"), Some(&FieldError::Required));
        assert_eq!(errors.get("date"), Some(&FieldError::InFuture));
        let long = training(&"课".repeat(COURSE_MAX + 1), day(1, 1), true);
        assert_eq!(
            long.validate(day(11, 1)).unwrap_err().get("course"),
            Some(&FieldError::TooLong { max: COURSE_MAX })
        );
        let extra = serde_json::json!({"course": "x", "date": "2026-01-01", "passed": true, "score": 90});
        assert!(serde_json::from_value::<Training>(extra).is_err());
    }
}
