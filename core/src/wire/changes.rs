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

/// One record as it now stands on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A child's file, whole.
    Child { seq: u64, child: Child },
    /// A visit, as the due list and the child's history show it (its answers come on demand).
    Visit { seq: u64, visit: VisitSummary },
    /// A pairing of the village (a director's phone) or of this worker (hers).
    Pairing { seq: u64, pairing: Pairing },
}

impl Change {
    /// Where this change stands in the feed.
    pub fn seq(&self) -> u64 {
        match self {
            Change::Child { seq, .. } | Change::Visit { seq, .. } | Change::Pairing { seq, .. } => *seq,
        }
    }
}

/// One page of changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesPage {
    pub changes: Vec<Change>,
    /// The cursor to ask from next (`?after=`): the last change's, or the one sent when
    /// nothing changed.
    pub next: u64,
    /// Whether more changes wait after `next`.
    pub more: bool,
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
    fn changes_travel_tagged_by_kind() {
        let child = Change::Child { seq: 3, child: sample_child() };
        let json = serde_json::to_value(&child).unwrap();
        assert_eq!(json["kind"], "child");
        assert_eq!(json["seq"], 3);
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), child);
        let visit = Change::Visit { seq: 4, visit: crate::schedule::VisitSummary::of(&sample_visit()) };
        assert_eq!(serde_json::to_value(&visit).unwrap()["kind"], "visit");
        assert_eq!(visit.seq(), 4);
    }
}
