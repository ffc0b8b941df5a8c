//! What lists and the schedule need of one visit, small enough to load thousands at once:
//! the phone keeps one beside each saved visit.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{RiskColour, Visit};

/// One visit, summarised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitSummary {
    pub visit_id: Uuid,
    pub child_id: Uuid,
    /// The day of the visit; `None` if the answers give none readable.
    pub visit_date: Option<NaiveDate>,
    /// The colour set at the visit.
    pub risk_colour: Option<RiskColour>,
    /// The next visit date set at the visit.
    pub next_visit: Option<NaiveDate>,
    /// Whether the visit found harm that must be reported to the police.
    pub mandatory_report: bool,
    pub revision: u32,
    pub updated_at: DateTime<FixedOffset>,
    /// Who made the visit (her name as she joined), for a visit received from the server;
    /// `None` for one saved on this phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
}

impl VisitSummary {
    /// The summary of a saved visit.
    pub fn of(visit: &Visit) -> VisitSummary {
        VisitSummary {
            visit_id: visit.id,
            child_id: visit.child_id,
            visit_date: visit.visit_date(),
            risk_colour: visit.risk_colour(),
            next_visit: visit.next_visit_date(),
            mandatory_report: visit.needs_mandatory_report(),
            revision: visit.revision,
            updated_at: visit.updated_at,
            visitor: None,
        }
    }

    /// The order of a child's history: by visit date, then by when it was saved, then by id
    /// so that the order is total. Later sorts greater.
    pub fn recency(&self) -> (Option<NaiveDate>, DateTime<FixedOffset>, Uuid) {
        (self.visit_date, self.updated_at, self.visit_id)
    }

    /// Sorts a child's visits newest first.
    pub fn sort_newest_first(visits: &mut [VisitSummary]) {
        visits.sort_by_key(|v| std::cmp::Reverse(v.recency()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::sample_visit;
    use crate::form::AnswerValue;

    #[test]
    fn summarises_a_visit() {
        let summary = VisitSummary::of(&sample_visit());
        assert_eq!(summary.visit_date, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(summary.risk_colour, Some(RiskColour::Yellow));
        assert_eq!(summary.next_visit, NaiveDate::from_ymd_opt(2026, 12, 4));
        assert!(!summary.mandatory_report);
        assert_eq!((summary.visit_id, summary.child_id), (sample_visit().id, sample_visit().child_id));
    }

    #[test]
    fn newest_first_by_visit_date_then_save_time() {
        let at = |date: &str, id: u128, saved: &str| {
            let mut visit = Visit { id: Uuid::from_u128(id), ..sample_visit() };
            visit.answers.set("visit_date", AnswerValue::Text(date.into()));
            visit.updated_at = DateTime::parse_from_rfc3339(saved).unwrap();
            VisitSummary::of(&visit)
        };
        let mut list = vec![
            at("2026-10-01", 1, "2026-10-01T09:00:00+08:00"),
            at("2026-11-01", 2, "2026-11-01T09:00:00+08:00"),
            at("2026-11-01", 3, "2026-11-01T08:00:00+08:00"),
            at("2026-09-15", 4, "2026-11-02T08:00:00+08:00"),
        ];
        VisitSummary::sort_newest_first(&mut list);
        let ids: Vec<u128> = list.iter().map(|v| v.visit_id.as_u128()).collect();
        assert_eq!(ids, [2, 3, 1, 4], "a late entry of an old visit does not count as the latest");
    }
}
