//! The county's statistics from every child's file and the visits of the last months: the
//! counts by category, colour, township and age, this month's round (the one rule of
//! [`MonthProgress`]), visits and mandatory reports per month, the policies linked, and the
//! field workers certified (培训考核).

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};

use crate::child::ChildCategory;
use crate::schedule::{ChildStatus, MonthProgress};
use crate::wire::{Certified, CountyStatistics, Coverage, MonthTally, Tally, TownshipTally, STATISTICS_MONTHS};
use crate::{Lang, RiskColour};

/// A child's file of the county, where its visits stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsChild {
    /// Empty for a file received before places were kept.
    pub township: String,
    pub categories: Vec<ChildCategory>,
    pub status: ChildStatus,
}

/// A visit (its current revision) of the months counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsVisit {
    pub visit_date: NaiveDate,
    /// Whether it found harm, serious neglect or abandonment (core's
    /// `risk_rules::needs_mandatory_report`, kept with the visit when stored).
    pub mandatory_report: bool,
    /// The codes of the policies it linked (`policies_linked`).
    pub policies: Vec<String>,
}

/// A field worker of the county (a director, love mother or volunteer whose phone is not
/// revoked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticsWorker {
    /// Her township, as she joined.
    pub township: String,
    /// Whether she passed a training's assessment (core's `Certification`).
    pub certified: bool,
}

/// What the server read for the statistics.
#[derive(Debug, Clone, Default)]
pub struct StatisticsSources {
    pub children: Vec<StatisticsChild>,
    /// The visits dated from [`first_month`] to the day.
    pub visits: Vec<StatisticsVisit>,
    /// The policies' codes and their names (zh, en), in the form's order.
    pub policies: Vec<(String, String, String)>,
    pub workers: Vec<StatisticsWorker>,
}

/// The first day of the oldest month counted: [`STATISTICS_MONTHS`] months with this one.
pub fn first_month(today: NaiveDate) -> NaiveDate {
    let this_month = today.with_day(1).unwrap_or(today);
    this_month.checked_sub_months(Months::new(STATISTICS_MONTHS - 1)).unwrap_or(this_month)
}

/// An age band of the statistics: its key and its names.
const AGE_BANDS: [(u32, &str, &str, &str); 5] = [
    (0, "0-5", "0–5岁", "0–5 years"),
    (6, "6-11", "6–11岁", "6–11 years"),
    (12, "12-15", "12–15岁", "12–15 years"),
    (16, "16-17", "16–17岁", "16–17 years"),
    (18, "18+", "已满18岁", "18 and over"),
];

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn tally(key: &str, zh: &str, en: &str, count: u32) -> Tally {
    Tally { key: key.to_owned(), label_zh: zh.to_owned(), label_en: en.to_owned(), count }
}

/// The county's statistics on `today`.
pub fn county_statistics(sources: StatisticsSources, today: NaiveDate) -> CountyStatistics {
    let StatisticsSources { children, visits, policies, workers } = sources;
    let statuses: Vec<ChildStatus> = children.iter().map(|child| child.status.clone()).collect();

    let by_category = ChildCategory::ALL
        .into_iter()
        .map(|category| {
            let n = children.iter().filter(|child| child.categories.contains(&category)).count();
            tally(category.code(), category.label(Lang::ZhCn), category.label(Lang::En), count(n))
        })
        .collect();

    let mut by_colour: Vec<Tally> = RiskColour::ALL
        .into_iter()
        .map(|colour| {
            let n = statuses.iter().filter(|status| status.colour == Some(colour)).count();
            tally(colour.code(), colour.label(Lang::ZhCn), colour.label(Lang::En), count(n))
        })
        .collect();
    let never = statuses.iter().filter(|status| status.colour.is_none()).count();
    by_colour.push(tally("none", "未走访", "Never visited", count(never)));

    let mut townships: BTreeMap<&str, (Vec<ChildStatus>, Vec<&StatisticsWorker>)> = BTreeMap::new();
    for child in &children {
        townships.entry(child.township.as_str()).or_default().0.push(child.status.clone());
    }
    for worker in &workers {
        townships.entry(worker.township.as_str()).or_default().1.push(worker);
    }
    let by_township = townships
        .into_iter()
        .map(|(township, (statuses, workers))| {
            let MonthProgress { visited, total } = MonthProgress::of(&statuses, today);
            let Certified { workers, certified } = certified(workers.into_iter());
            TownshipTally {
                township: township.to_owned(),
                children: count(statuses.len()),
                visited,
                due: total,
                workers,
                certified,
            }
        })
        .collect();

    let by_age = AGE_BANDS
        .iter()
        .enumerate()
        .map(|(i, (from, key, zh, en))| {
            let until = AGE_BANDS.get(i + 1).map(|band| band.0);
            let n = statuses
                .iter()
                .filter(|status| {
                    let age = today.years_since(status.birth_date).unwrap_or(0);
                    age >= *from && until.is_none_or(|until| age < until)
                })
                .count();
            tally(key, zh, en, count(n))
        })
        .collect();

    let MonthProgress { visited, total } = MonthProgress::of(&statuses, today);

    let first = first_month(today);
    let by_month = (0..STATISTICS_MONTHS)
        .filter_map(|i| first.checked_add_months(Months::new(i)))
        .map(|month| {
            let of_month: Vec<&StatisticsVisit> = visits
                .iter()
                .filter(|visit| visit.visit_date.year() == month.year() && visit.visit_date.month() == month.month())
                .filter(|visit| visit.visit_date <= today)
                .collect();
            MonthTally {
                month: month.format("%Y-%m").to_string(),
                visits: count(of_month.len()),
                mandatory_reports: count(of_month.iter().filter(|visit| visit.mandatory_report).count()),
            }
        })
        .collect();

    let counted = visits.iter().filter(|visit| visit.visit_date >= first && visit.visit_date <= today);
    let mut linked: BTreeMap<&str, u32> = BTreeMap::new();
    for visit in counted {
        for code in &visit.policies {
            *linked.entry(code.as_str()).or_default() += 1;
        }
    }
    let mut benefits: Vec<Tally> = policies
        .iter()
        .filter_map(|(code, zh, en)| linked.remove(code.as_str()).map(|n| tally(code, zh, en, n)))
        .collect();
    benefits.extend(linked.into_iter().map(|(code, n)| tally(code, code, code, n)));
    benefits.sort_by_key(|tally| std::cmp::Reverse(tally.count));

    CountyStatistics {
        today,
        children: count(children.len()),
        by_category,
        by_colour,
        by_township,
        by_age,
        coverage: Coverage { visited, due: total },
        by_month,
        benefits,
        workers: certified(workers.iter()),
    }
}

/// How many of `workers` there are and how many are certified.
fn certified<'a>(workers: impl Iterator<Item = &'a StatisticsWorker>) -> Certified {
    workers.fold(Certified::default(), |tally, worker| Certified {
        workers: tally.workers + 1,
        certified: tally.certified + u32::from(worker.certified),
    })
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn child(
        n: u128,
        township: &str,
        categories: &[ChildCategory],
        born: NaiveDate,
        colour: Option<RiskColour>,
        last: Option<NaiveDate>,
    ) -> StatisticsChild {
        StatisticsChild {
            township: township.into(),
            categories: categories.to_vec(),
            status: ChildStatus {
                child_id: Uuid::from_u128(n),
                name: format!("child {n}"),
                colour,
                last_visit: last,
                next_visit: None,
                birth_date: born,
            },
        }
    }

    fn visit(date: NaiveDate, report: bool, policies: &[&str]) -> StatisticsVisit {
        StatisticsVisit {
            visit_date: date,
            mandatory_report: report,
            policies: policies.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    fn worker(township: &str, certified: bool) -> StatisticsWorker {
        StatisticsWorker { township: township.into(), certified }
    }

    fn count_of(tallies: &[Tally], key: &str) -> u32 {
        tallies.iter().find(|t| t.key == key).map_or(0, |t| t.count)
    }

    #[test]
    fn the_counts_by_hand() {
        use ChildCategory::*;
        let today = date(2026, 12, 10);
        let sources = StatisticsSources {
            children: vec![
                child(1, "石门镇", &[LeftBehind], date(2016, 3, 1), Some(RiskColour::Red), Some(date(2026, 12, 2))),
                child(
                    2,
                    "石门镇",
                    &[LeftBehind, Disabled],
                    date(2010, 12, 11),
                    Some(RiskColour::Green),
                    Some(date(2026, 11, 2)),
                ),
                child(3, "白沙镇", &[OrphanDispersed], date(2008, 12, 10), None, None),
                child(4, "白沙镇", &[Migrant], date(2023, 1, 1), Some(RiskColour::Yellow), Some(date(2026, 12, 9))),
            ],
            visits: vec![
                visit(date(2026, 12, 2), true, &["dibao", "legal_aid"]),
                visit(date(2026, 12, 9), false, &["dibao"]),
                visit(date(2026, 11, 2), false, &["unknown_code"]),
                visit(date(2026, 1, 5), false, &["dibao"]),
                visit(date(2025, 12, 31), true, &["dibao"]),
            ],
            policies: vec![
                ("dibao".into(), "低保".into(), "Minimum living allowance".into()),
                ("legal_aid".into(), "法律援助".into(), "Legal aid".into()),
            ],
            workers: vec![
                worker("石门镇", true),
                worker("石门镇", false),
                worker("白沙镇", true),
                worker("柳林镇", false),
            ],
        };
        let stats = county_statistics(sources, today);
        assert_eq!(stats.children, 4);
        assert_eq!(count_of(&stats.by_category, "left_behind"), 2);
        assert_eq!(count_of(&stats.by_category, "disabled"), 1);
        assert_eq!(count_of(&stats.by_category, "street"), 0);
        assert_eq!(stats.by_category.len(), ChildCategory::ALL.len());
        assert_eq!(
            stats.by_colour.iter().map(|t| (t.key.as_str(), t.count)).collect::<Vec<_>>(),
            [("red", 1), ("yellow", 1), ("blue", 0), ("green", 1), ("none", 1)]
        );
        // Ages on 2026-12-10: 10, 15 (16 tomorrow), 18 today, 3.
        assert_eq!(
            stats.by_age.iter().map(|t| (t.key.as_str(), t.count)).collect::<Vec<_>>(),
            [("0-5", 1), ("6-11", 1), ("12-15", 1), ("16-17", 0), ("18+", 1)]
        );
        // The 18-year-old leaves the round: 2 of 3 visited in December.
        assert_eq!(stats.coverage, Coverage { visited: 2, due: 3 });
        assert_eq!(
            stats.by_township,
            [
                TownshipTally {
                    township: "柳林镇".into(), children: 0, visited: 0, due: 0, workers: 1, certified: 0
                },
                TownshipTally {
                    township: "白沙镇".into(), children: 2, visited: 1, due: 1, workers: 1, certified: 1
                },
                TownshipTally {
                    township: "石门镇".into(), children: 2, visited: 1, due: 2, workers: 2, certified: 1
                },
            ],
            "a township of workers and no children has a line"
        );
        assert_eq!(stats.workers, Certified { workers: 4, certified: 2 });
        assert_eq!(stats.by_month.len(), 12);
        assert_eq!(stats.by_month[0], MonthTally { month: "2026-01".into(), visits: 1, mandatory_reports: 0 });
        assert_eq!(stats.by_month[10], MonthTally { month: "2026-11".into(), visits: 1, mandatory_reports: 0 });
        assert_eq!(stats.by_month[11], MonthTally { month: "2026-12".into(), visits: 2, mandatory_reports: 1 });
        assert_eq!(
            stats.benefits.iter().map(|t| (t.key.as_str(), t.label_zh.as_str(), t.count)).collect::<Vec<_>>(),
            [("dibao", "低保", 3), ("legal_aid", "法律援助", 1), ("unknown_code", "unknown_code", 1)],
            "2025-12 is outside the twelve months"
        );
    }

    #[test]
    fn twelve_months_with_this_one() {
        assert_eq!(first_month(date(2026, 12, 10)), date(2026, 1, 1));
        assert_eq!(first_month(date(2026, 3, 31)), date(2025, 4, 1));
    }
}
