//! This month's round: how many children have been visited in the current calendar month.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ChildStatus;
use crate::child::aged_out;
use crate::Lang;

/// "This month: 23 of 31 visited".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthProgress {
    /// Children whose latest visit is dated in the calendar month of `today`.
    pub visited: u32,
    /// All children.
    pub total: u32,
}

impl MonthProgress {
    /// Counts `children` visited in the calendar month (and year) of `today`, of those still
    /// children (a child who has turned 18 is not in the round).
    pub fn of(children: &[ChildStatus], today: NaiveDate) -> MonthProgress {
        let this_month = |d: &NaiveDate| d.year() == today.year() && d.month() == today.month();
        let in_round = || children.iter().filter(|c| !aged_out(c.birth_date, today));
        let visited = in_round().filter(|c| c.last_visit.as_ref().is_some_and(this_month)).count();
        MonthProgress { visited: saturating_u32(visited), total: saturating_u32(in_round().count()) }
    }

    /// The line people see.
    pub fn message(&self, lang: Lang) -> String {
        let MonthProgress { visited, total } = self;
        match lang {
            Lang::ZhCn => format!("本月已走访 {visited}/{total} 名儿童"),
            Lang::En => format!("This month: {visited} of {total} visited"),
        }
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn visited_on(dates: &[Option<NaiveDate>]) -> Vec<ChildStatus> {
        dates
            .iter()
            .enumerate()
            .map(|(i, last)| ChildStatus {
                child_id: Uuid::from_u128(i as u128),
                name: format!("child {i}"),
                colour: None,
                last_visit: *last,
                next_visit: None,
                birth_date: date(2016, 3, 14),
            })
            .collect()
    }

    #[test]
    fn counts_visits_in_todays_calendar_month() {
        let children = visited_on(&[
            Some(date(2026, 11, 1)),
            Some(date(2026, 11, 30)),
            Some(date(2026, 10, 31)),
            Some(date(2025, 11, 15)),
            None,
        ]);
        assert_eq!(MonthProgress::of(&children, date(2026, 11, 30)), MonthProgress { visited: 2, total: 5 });
        assert_eq!(
            MonthProgress::of(&children, date(2026, 12, 1)),
            MonthProgress { visited: 0, total: 5 },
            "a new month starts at zero"
        );
        assert_eq!(MonthProgress::of(&children, date(2026, 10, 31)), MonthProgress { visited: 1, total: 5 });
        assert_eq!(
            MonthProgress::of(&children, date(2025, 11, 1)),
            MonthProgress { visited: 1, total: 5 },
            "same month, other year"
        );
    }

    #[test]
    fn across_a_year_end() {
        let children = visited_on(&[Some(date(2025, 12, 31)), Some(date(2026, 1, 1))]);
        assert_eq!(MonthProgress::of(&children, date(2026, 1, 1)), MonthProgress { visited: 1, total: 2 });
        assert_eq!(MonthProgress::of(&children, date(2025, 12, 31)), MonthProgress { visited: 1, total: 2 });
        assert_eq!(MonthProgress::of(&[], date(2026, 1, 1)), MonthProgress { visited: 0, total: 0 });
    }

    #[test]
    fn a_child_who_has_turned_18_is_not_in_the_round() {
        let mut children = visited_on(&[Some(date(2026, 11, 2)), Some(date(2026, 11, 3)), None]);
        children[1].birth_date = date(2008, 11, 10);
        assert_eq!(MonthProgress::of(&children, date(2026, 11, 9)), MonthProgress { visited: 2, total: 3 });
        assert_eq!(MonthProgress::of(&children, date(2026, 11, 10)), MonthProgress { visited: 1, total: 2 });
    }

    #[test]
    fn says_it_in_both_languages() {
        let progress = MonthProgress { visited: 23, total: 31 };
        assert_eq!(progress.message(Lang::ZhCn), "本月已走访 23/31 名儿童");
        assert_eq!(progress.message(Lang::En), "This month: 23 of 31 visited");
    }
}
