//! The county's "today": each township's [`TownshipToday`] (the supervisor's figures, by the
//! very same rules) rolled up into one line of counts.

use crate::wire::{CountyToday, TownshipLine, TownshipToday};

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl TownshipLine {
    /// The township's line from its supervisor's "today".
    pub fn of(township: &str, today: &TownshipToday) -> TownshipLine {
        TownshipLine {
            township: township.to_owned(),
            visited: today.coverage.iter().map(|village| village.visited).fold(0, u32::saturating_add),
            due: today.coverage.iter().map(|village| village.total).fold(0, u32::saturating_add),
            overdue: count(today.overdue.len()),
            red: count(today.red.len()),
            reports: count(today.reports.iter().filter(|report| report.follow_up.is_open()).count()),
            actions_past_due: count(today.actions_past_due.len()),
            to_reconcile: today.to_reconcile,
            possible_duplicates: today.possible_duplicates,
            silent_phones: count(today.silent_phones.len()),
        }
    }
}

/// The county on `today` from each township's "today": the townships furthest behind this
/// month first (the smallest share visited), then by name.
pub fn county_today(today: chrono::NaiveDate, townships: &[(String, TownshipToday)]) -> CountyToday {
    let mut lines: Vec<TownshipLine> =
        townships.iter().map(|(township, figures)| TownshipLine::of(township, figures)).collect();
    lines.sort_by(|a, b| {
        (u64::from(a.visited) * u64::from(b.due.max(1)))
            .cmp(&(u64::from(b.visited) * u64::from(a.due.max(1))))
            .then_with(|| a.township.cmp(&b.township))
    });
    CountyToday { today, townships: lines }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::*;
    use crate::case_plan::ReportFollowUp;
    use crate::wire::{TodayAction, TodayChild, TodayReport, VillageCoverage};

    fn report(n: u128, outcome: Option<&str>) -> TodayReport {
        TodayReport {
            visit_id: Uuid::from_u128(n),
            child_id: Uuid::from_u128(3),
            name: None,
            village: "桃源村".into(),
            visit_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            follow_up: ReportFollowUp { outcome: outcome.map(str::to_owned), steps: 4, ..ReportFollowUp::default() },
        }
    }

    fn child(n: u128) -> TodayChild {
        TodayChild {
            child_id: Uuid::from_u128(n),
            name: format!("child {n}"),
            village: "桃源村".into(),
            colour: None,
            last_visit: None,
            due: None,
        }
    }

    #[test]
    fn each_township_is_one_line_of_its_supervisors_figures() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let shimen = TownshipToday {
            today,
            coverage: vec![
                VillageCoverage { village: "桃源村".into(), visited: 2, total: 4 },
                VillageCoverage { village: "杏花村".into(), visited: 1, total: 1 },
            ],
            overdue: vec![child(1), child(2)],
            red: vec![child(3)],
            reports: vec![report(20, None), report(21, Some("police_case"))],
            actions_past_due: vec![TodayAction {
                plan_id: Uuid::from_u128(30),
                child_id: Uuid::from_u128(3),
                name: None,
                village: "桃源村".into(),
                kind: "dibao".into(),
                by_whom: String::new(),
                due: chrono::DateTime::parse_from_rfc3339("2026-12-01T23:59:00+08:00").unwrap(),
            }],
            to_reconcile: 1,
            possible_duplicates: 2,
            ..TownshipToday::default()
        };
        let baisha = TownshipToday {
            today,
            coverage: vec![VillageCoverage { village: "东村".into(), visited: 0, total: 3 }],
            ..TownshipToday::default()
        };
        let county = county_today(today, &[("石门镇".into(), shimen), ("白沙镇".into(), baisha)]);
        assert_eq!(county.today, today);
        let names: Vec<&str> = county.townships.iter().map(|line| line.township.as_str()).collect();
        assert_eq!(names, ["白沙镇", "石门镇"], "the one furthest behind first");
        let shimen = &county.townships[1];
        assert_eq!((shimen.visited, shimen.due, shimen.overdue, shimen.red), (3, 5, 2, 1));
        assert_eq!(
            (shimen.to_reconcile, shimen.possible_duplicates, shimen.reports, shimen.silent_phones),
            (1, 2, 1, 0),
            "the report closed with an outcome is not counted"
        );
        assert_eq!(shimen.actions_past_due, 1);
    }
}
