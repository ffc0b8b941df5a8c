//! What a township supervisor reads (`GET /api/v1/children`, `/children/{id}`,
//! `/visits`): her township's children and visits, a page at a time, filtered by village,
//! risk colour and visit date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use uuid::Uuid;

use crate::child::{Child, DuplicateReason};
use crate::record_filter::{RecordFilter, UnknownParameters};
use crate::{FieldError, FieldErrors, RiskColour, Visit, VisitType};

/// The most items on one page.
pub const PER_PAGE_MAX: u32 = 200;
/// Items on a page unless asked otherwise.
pub const PER_PAGE_DEFAULT: u32 = 50;

/// The query of a list: its [`RecordFilter`] and the page,
/// `?village=桃源村&colour=red&from=2026-11-01&to=2026-11-30&page=2&per_page=50`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ListFilter {
    /// Which records (its parameters are documented apart: `RecordFilter`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub records: RecordFilter,
    /// From 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Items on a page, 1 to 200 (50 unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
    /// Parameters nobody reads, refused by the server.
    #[serde(flatten, skip_serializing)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub unknown: UnknownParameters,
}

impl ListFilter {
    /// The first page of `records`.
    pub fn of(records: RecordFilter) -> ListFilter {
        ListFilter { records, ..ListFilter::default() }
    }

    /// The page asked for, from 1.
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1)
    }

    /// The page size asked for.
    pub fn per_page(&self) -> u32 {
        self.per_page.unwrap_or(PER_PAGE_DEFAULT)
    }

    /// Items to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page().saturating_sub(1)) * u64::from(self.per_page())
    }

    /// Checks the page, its size and the filter.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.page() == 0 {
            errors.add("page", FieldError::OutOfRange);
        }
        if !(1..=PER_PAGE_MAX).contains(&self.per_page()) {
            errors.add("per_page", FieldError::OutOfRange);
        }
        self.records.check(&mut errors);
        errors.into_result(())
    }

    /// `village=桃源村, colour=red, page=1, per_page=50`: what the audit log notes of a list.
    pub fn audit_subject(&self) -> String {
        let pages = format!("page={}, per_page={}", self.page(), self.per_page());
        if self.records.is_narrowed() {
            format!("{}, {pages}", self.records)
        } else {
            pages
        }
    }
}

/// A child of the township as a list shows it: only what the line shows (the name, the
/// village, the colour and date of the latest visit). The whole file, with ID numbers,
/// guardians and notes, comes only from `GET /api/v1/children/{id}`, which is audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildListing {
    pub id: Uuid,
    pub name: String,
    /// The village the file belongs to (of the phone that sent it).
    pub village: String,
    /// The colour of the latest visit, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub risk_colour: Option<RiskColour>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub last_visit_date: Option<NaiveDate>,
}

/// Two files of the township that may be of one child (一童一档), for the supervisor to
/// look at: who each child is and who registered each file, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PossibleDuplicate {
    pub reason: DuplicateReason,
    pub first: DuplicateFile,
    pub second: DuplicateFile,
}

/// One of two files that may be of one child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateFile {
    pub id: Uuid,
    pub name: String,
    pub village: String,
    pub birth_date: NaiveDate,
    /// The name (as she joined) of the worker whose phone first sent the file.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub registered_by: Option<String>,
}

/// A visit of the township as a list shows it: its date, how it was made, the colour set,
/// the next visit's date and whether it found harm (强制报告); never its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitListing {
    pub id: Uuid,
    pub child_id: Uuid,
    /// The child's name, when the child's file is on the server (a visit can arrive first).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub child_name: Option<String>,
    /// The village the visit belongs to (its child's).
    pub village: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub visit_date: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub visit_type: Option<VisitType>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub risk_colour: Option<RiskColour>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_visit_date: Option<NaiveDate>,
    /// Whether the visit found harm, serious neglect or abandonment (强制报告).
    pub mandatory_report: bool,
}

impl VisitListing {
    /// The line of `visit` to the child `child_name` in `village`.
    pub fn of(visit: &Visit, child_name: Option<String>, village: impl Into<String>) -> VisitListing {
        VisitListing {
            id: visit.id,
            child_id: visit.child_id,
            child_name,
            village: village.into(),
            visit_date: visit.visit_date(),
            visit_type: visit.visit_type(),
            risk_colour: visit.risk_colour(),
            next_visit_date: visit.next_visit_date(),
            mandatory_report: visit.needs_mandatory_report(),
        }
    }
}

/// One child's whole file (一童一档): the details and every visit, the latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildFile {
    pub child: Child,
    pub village: String,
    pub township: String,
    pub visits: Vec<Visit>,
    /// The child's pairings (结对) that hold.
    #[serde(default)]
    pub pairings: Vec<crate::pairing::Pairing>,
    /// Whom they name (her name as she joined, and her role).
    #[serde(default)]
    pub paired_workers: Vec<crate::wire::VillageWorker>,
    /// The child's case plans, open and closed, the newest first.
    #[serde(default)]
    pub case_plans: Vec<crate::case_plan::CasePlan>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_from_a_query_and_pages_from_one() {
        let filter: ListFilter = serde_json::from_value(
            serde_json::json!({"village": "桃源村", "colour": "red", "page": 3, "per_page": 20}),
        )
        .unwrap();
        assert_eq!(filter.records.village.as_deref(), Some("桃源村"));
        assert!(filter.unknown.is_empty());
        assert_eq!(filter.offset(), 40);
        assert!(filter.validate().is_ok());
        assert_eq!(ListFilter::default().offset(), 0);
        assert_eq!(ListFilter::default().per_page(), PER_PAGE_DEFAULT);
    }

    #[test]
    fn a_visit_listing_holds_no_answer_text() {
        let visit = crate::fixtures::sample_visit();
        let listing = VisitListing::of(&visit, Some("王小明".into()), "桃源村");
        assert_eq!((listing.id, listing.child_id, listing.visit_date), (visit.id, visit.child_id, visit.visit_date()));
        let json = serde_json::to_string(&listing).unwrap();
        assert!(!json.contains("answers"), "{json}");
    }

    #[test]
    fn bad_pages_and_dates_are_refused() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let records = RecordFilter { from: Some(day(20)), to: Some(day(1)), ..RecordFilter::default() };
        let bad = ListFilter { page: Some(0), per_page: Some(PER_PAGE_MAX + 1), ..ListFilter::of(records) };
        let errors = bad.validate().unwrap_err();
        assert!(errors.get("page").is_some() && errors.get("per_page").is_some() && errors.get("to").is_some());
    }
}
