//! Where one child stands for scheduling: their colour and visit dates, from their latest visit.

use chrono::NaiveDate;
use uuid::Uuid;

use super::Cadence;
use crate::child::Child;
use crate::form::{parse_date, Answers};
use crate::visit::{NEXT_VISIT_DATE, RISK_COLOUR, VISIT_DATE};
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
}

impl ChildStatus {
    /// The status of `child` from the answers of their latest visit (`None`: never visited).
    /// Dates are read as `YYYY-MM-DD`; an unreadable date or colour counts as not given.
    pub fn from_latest_visit(child: &Child, latest_visit: Option<&Answers>) -> ChildStatus {
        let date = |field| latest_visit.and_then(|a| a.text(field)).and_then(parse_date);
        ChildStatus {
            child_id: child.id,
            name: child.name.clone(),
            colour: latest_visit.and_then(|a| a.text(RISK_COLOUR)).and_then(RiskColour::from_code),
            last_visit: date(VISIT_DATE),
            next_visit: date(NEXT_VISIT_DATE),
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
    use crate::child::{ChildCategory, Sex};
    use crate::form::AnswerValue;
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
            child_id: Uuid::from_u128(7), name: "李小红".into(), colour, last_visit: last, next_visit: next
        }
    }

    #[test]
    fn reads_the_latest_visit() {
        let mut visit = Answers::new();
        visit.set("visit_date", AnswerValue::Text("2026-11-20".into()));
        visit.set("risk_colour", AnswerValue::Text("yellow".into()));
        visit.set("next_visit_date", AnswerValue::Text("2026-11-30".into()));
        assert_eq!(
            ChildStatus::from_latest_visit(&child(), Some(&visit)),
            status(Some(RiskColour::Yellow), Some(date(2026, 11, 20)), Some(date(2026, 11, 30)))
        );
        visit.set("next_visit_date", AnswerValue::Text(String::new()));
        visit.set("risk_colour", AnswerValue::Text("purple".into()));
        assert_eq!(
            ChildStatus::from_latest_visit(&child(), Some(&visit)),
            status(None, Some(date(2026, 11, 20)), None)
        );
        assert_eq!(ChildStatus::from_latest_visit(&child(), None), status(None, None, None));
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
