//! What a worker's phone receives (`GET /api/v1/changes?after=<cursor>`): every record in
//! her scope ([`crate::read_scope::ReadScope`]) changed since the cursor, oldest change
//! first, a page at a time. Each record appears once, at its latest change; a page's
//! `next` is the cursor to ask from, so a cut connection resumes where the last page
//! written on the phone ended, and sending a cursor again is harmless.

use serde::{Deserialize, Serialize};

use crate::child::Child;
use crate::pairing::Pairing;
use crate::record_filter::UnknownParameters;
use crate::schedule::VisitSummary;
use crate::wire::ChildMerge;
use crate::{FieldError, FieldErrors};

/// The most changes on one page.
pub const CHANGES_PER_PAGE_MAX: u32 = 500;
/// Changes on a page unless asked otherwise.
pub const CHANGES_PER_PAGE_DEFAULT: u32 = 200;

/// `?after=1234&limit=200`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ChangesQuery {
    /// The cursor: the `next` of the last page received; 0 (or absent) from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<u64>,
    /// Changes on a page, 1 to 500 (200 unless given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Parameters nobody reads, refused by the server.
    #[serde(flatten, skip_serializing)]
    #[cfg_attr(feature = "openapi", param(ignore))]
    pub unknown: UnknownParameters,
}

impl ChangesQuery {
    /// The query of the page after `cursor`.
    pub fn after(cursor: u64) -> ChangesQuery {
        ChangesQuery { after: Some(cursor), ..ChangesQuery::default() }
    }

    /// The cursor asked from.
    pub fn cursor(&self) -> u64 {
        self.after.unwrap_or(0)
    }

    /// The page size asked for.
    pub fn limit(&self) -> u32 {
        self.limit.unwrap_or(CHANGES_PER_PAGE_DEFAULT)
    }

    /// Checks the page size.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if !(1..=CHANGES_PER_PAGE_MAX).contains(&self.limit()) {
            errors.add("limit", FieldError::OutOfRange);
        }
        errors.into_result(())
    }
}

/// Who registered a child's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Registrant {
    pub child_id: uuid::Uuid,
    /// Her name as she joined.
    pub name: String,
}

/// One page of changes: the records changed after the cursor, each as it now stands and
/// once, by kind. A phone writes a page whole (with its cursor), so the order within a page
/// does not matter; pages come oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesPage {
    /// Children's files, whole.
    #[serde(default)]
    pub children: Vec<Child>,
    /// Visits as the due list and a child's history show them (their answers come on demand).
    #[serde(default)]
    pub visits: Vec<VisitSummary>,
    /// Pairings of the village (a director's phone) or of this worker (hers, ended ones too).
    #[serde(default)]
    pub pairings: Vec<Pairing>,
    /// Case plans (帮扶计划) of the page's children, whole.
    #[serde(default)]
    pub case_plans: Vec<crate::case_plan::CasePlan>,
    /// Who registered each of this page's children's files (the worker whose phone first
    /// sent it, by her name as she joined), where known.
    #[serde(default)]
    pub registrants: Vec<Registrant>,
    /// Files merged into another by the supervisor: the phone drops each `from` (what of it
    /// waits to be sent stays) after writing the page's visits, which come under `into`.
    #[serde(default)]
    pub merges: Vec<ChildMerge>,
    /// The love mothers and volunteers this page's pairings name (her name as she joined,
    /// and her role), where known, so that a phone shows whom a child is paired with.
    #[serde(default)]
    pub paired_workers: Vec<crate::wire::VillageWorker>,
    /// The cursor to ask from next (`?after=`): this page's last change, or the one sent
    /// when nothing changed.
    pub next: u64,
    /// Whether more changes wait after `next`.
    pub more: bool,
}

impl ChangesPage {
    /// How many records the page carries.
    pub fn len(&self) -> usize {
        self.children.len() + self.visits.len() + self.pairings.len() + self.case_plans.len() + self.merges.len()
    }

    /// Whether the page carries no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{sample_child, sample_visit};

    #[test]
    fn the_query_reads_its_cursor_and_checks_its_size() {
        let query: ChangesQuery = serde_urlencoded::from_str("after=42&limit=10").unwrap();
        assert_eq!((query.cursor(), query.limit()), (42, 10));
        assert_eq!(query.validate(), Ok(()));
        assert_eq!(ChangesQuery::default().cursor(), 0);
        assert_eq!(ChangesQuery::default().limit(), CHANGES_PER_PAGE_DEFAULT);
        for bad in ["limit=0", "limit=501"] {
            let query: ChangesQuery = serde_urlencoded::from_str(bad).unwrap();
            assert_eq!(query.validate().unwrap_err().get("limit"), Some(&FieldError::OutOfRange), "{bad}");
        }
        let odd: ChangesQuery = serde_urlencoded::from_str("after=1&since=2").unwrap();
        assert!(odd.unknown.contains_key("since"), "kept for the server to refuse");
        assert_eq!(serde_urlencoded::to_string(ChangesQuery::after(7)).unwrap(), "after=7");
    }

    #[test]
    fn a_page_travels_by_kind_and_counts_its_records() {
        let page = ChangesPage {
            children: vec![sample_child()],
            visits: vec![crate::schedule::VisitSummary::of(&sample_visit())],
            next: 7,
            ..ChangesPage::default()
        };
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["children"][0]["name"], sample_child().name);
        assert_eq!(json["next"], 7);
        assert_eq!(serde_json::from_value::<ChangesPage>(json).unwrap(), page);
        assert_eq!(page.len(), 2);
        let empty: ChangesPage = serde_json::from_str(r#"{"next":7,"more":false}"#).unwrap();
        assert!(empty.is_empty());
    }
}
