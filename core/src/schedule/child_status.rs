//! Where one child stands for scheduling: their colour and visit dates, from their latest visit.

use chrono::NaiveDate;
use uuid::Uuid;

use super::Cadence;
use super::VisitSummary;
use crate::child::Child;
use crate::RiskColour;

/// One child as the due list sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildStatus {
    /// The child's file id.
    pub child_id: Uuid,
    /// The child's name.
    pub name: String,
    /// The colour set at the latest visit; `None` if never visited.
    pub colour: Option<RiskColour>,
    /// The date of the latest visit; `None` if never visited.
    pub last_visit: Option<NaiveDate>,
    /// The next visit date set at the latest visit, if the worker set one.
    pub next_visit: Option<NaiveDate>,
    /// The child's day of birth: a child who has turned 18 leaves the due list.
    pub birth_date: NaiveDate,
}

impl ChildStatus {
    /// The status of `child` from their visits (in any order): the latest by
    /// [`VisitSummary::recency`] sets colour and dates; none means never visited.
    pub fn of<'a>(child: &Child, visits: impl IntoIterator<Item = &'a VisitSummary>) -> ChildStatus {
        let latest = visits.into_iter().max_by_key(|v| v.recency());
        ChildStatus {
            child_id: child.id,
            name: child.name.clone(),
            colour: latest.and_then(|v| v.risk_colour),
            last_visit: latest.and_then(|v| v.visit_date),
            next_visit: latest.and_then(|v| v.next_visit),
            birth_date: child.birth_date,
        }
    }

    /// When the next visit is due: the date the worker set, else the latest visit plus the
    /// cadence of its colour (green's when no colour was recorded); `None` when the child has
    /// never been visited and so is due now.
    pub fn due(&self, cadence: &Cadence) -> Option<NaiveDate> {
        self.next_visit.or_else(|| {
            self.last_visit.map(|visited| cadence.next_visit(self.colour.unwrap_or(RiskColour::Green), visited))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::ChildCategory;
    use crate::form::AnswerValue;
    use crate::sex::Sex;
    use chrono::DateTime;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn child() -> Child {
        Child {
            id: Uuid::from_u128(7),
            name: "李小红".into(),
            sex: Sex::Female,
            birth_date: date(2018, 5, 1),
            id_number: None,
            village: "石桥村".into(),
            categories: vec![ChildCategory::OrphanDispersed],
            guardians: vec![],
            school: String::new(),
            notes: String::new(),
            revision: 1,
            updated_at: DateTime::parse_from_rfc3339("2026-11-20T10:15:00+08:00").unwrap(),
        }
    }

    fn status(colour: Option<RiskColour>, last: Option<NaiveDate>, next: Option<NaiveDate>) -> ChildStatus {
        ChildStatus {
            child_id: Uuid::from_u128(7),
            name: "李小红".into(),
            colour,
            last_visit: last,
            next_visit: next,
            birth_date: date(2018, 5, 1),
        }
    }

    #[test]
    fn reads_the_latest_visit() {
        let visit = |id: u128, date: &str, colour: &str, next: &str| {
            let mut v =
                crate::Visit { id: Uuid::from_u128(id), child_id: child().id, ..crate::fixtures::sample_visit() };
            v.answers.set("visit_date", AnswerValue::Text(date.into()));
            v.answers.set("risk_colour", AnswerValue::Text(colour.into()));
            v.answers.set("next_visit_date", AnswerValue::Text(next.into()));
            VisitSummary::of(&v)
        };
        let visits = [visit(1, "2026-11-20", "yellow", "2026-11-30"), visit(2, "2026-10-20", "red", "2026-10-27")];
        assert_eq!(
            ChildStatus::of(&child(), &visits),
            status(Some(RiskColour::Yellow), Some(date(2026, 11, 20)), Some(date(2026, 11, 30)))
        );
        let odd = [visit(3, "2026-11-20", "purple", "")];
        assert_eq!(ChildStatus::of(&child(), &odd), status(None, Some(date(2026, 11, 20)), None));
        assert_eq!(ChildStatus::of(&child(), &[]), status(None, None, None));
    }

    #[test]
    fn due_is_the_set_date_else_the_cadence() {
        let cadence = Cadence::standard();
        let visited = Some(date(2026, 11, 20));
        assert_eq!(
            status(Some(RiskColour::Red), visited, Some(date(2026, 11, 22))).due(&cadence),
            Some(date(2026, 11, 22))
        );
        assert_eq!(status(Some(RiskColour::Red), visited, None).due(&cadence), Some(date(2026, 11, 27)));
        assert_eq!(status(Some(RiskColour::Yellow), visited, None).due(&cadence), Some(date(2026, 12, 4)));
        let distinct = Cadence { red: 7, yellow: 14, blue: 21, green: 28 };
        assert_eq!(status(None, visited, None).due(&distinct), Some(date(2026, 12, 18)), "no colour: green's cadence");
        assert_eq!(status(None, None, None).due(&cadence), None, "never visited: due now");
    }
}
