//! The supervisor's "today" from what the server holds of her township: each village's
//! round this month ([`MonthProgress`]), the children overdue and red as a director's due
//! list groups them ([`DueList`]), the mandatory reports and where their follow-up stands,
//! the case plans' actions past due and the plans waiting for her, and the phones gone
//! silent. The same rules as the phones' due list, so her figures and theirs never disagree.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use uuid::Uuid;

use crate::case_plan::{actions_due, report_follow_up, CasePlan, PlanState};
use crate::schedule::{Cadence, ChildStatus, DueEntry, DueGroup, DueList, MonthProgress};
use crate::wire::{
    PhoneListing, SilentPhone, TodayAction, TodayChild, TodayPlan, TodayReport, TownshipToday, VillageCoverage,
    REPORTS_WITHIN_DAYS,
};

/// A child's file of the township, where the visits stand, and its village.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageChild {
    pub village: String,
    pub status: ChildStatus,
}

/// A case plan of the township, and the village it is kept for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillagePlan {
    pub village: String,
    pub plan: CasePlan,
}

/// What the server read for her "today".
#[derive(Debug, Clone, Default)]
pub struct TodaySources {
    /// Every child's file of the township (not merged into another).
    pub children: Vec<VillageChild>,
    /// Every visit of the township that found harm the police must be told of, the newest
    /// first (their follow-up not yet filled in).
    pub reports: Vec<TodayReport>,
    /// The township's case plans, open and closed.
    pub plans: Vec<VillagePlan>,
    /// The township's phones.
    pub phones: Vec<PhoneListing>,
    pub to_reconcile: u32,
    pub possible_duplicates: u32,
}

/// Her township on `today` (`now`: the server's clock, for the phones).
pub fn township_today(sources: TodaySources, today: NaiveDate, now: DateTime<Utc>, cadence: &Cadence) -> TownshipToday {
    let TodaySources { children, reports, plans, phones, to_reconcile, possible_duplicates } = sources;
    let mut by_village: BTreeMap<&str, Vec<ChildStatus>> = BTreeMap::new();
    for child in &children {
        by_village.entry(child.village.as_str()).or_default().push(child.status.clone());
    }
    let mut coverage: Vec<VillageCoverage> = by_village
        .iter()
        .map(|(village, statuses)| {
            let MonthProgress { visited, total } = MonthProgress::of(statuses, today);
            VillageCoverage { village: (*village).to_owned(), visited, total }
        })
        .filter(|village| village.total > 0)
        .collect();
    // Furthest behind first: the smallest share visited (compared without division).
    coverage.sort_by(|a, b| {
        (u64::from(a.visited) * u64::from(b.total))
            .cmp(&(u64::from(b.visited) * u64::from(a.total)))
            .then_with(|| a.village.cmp(&b.village))
    });

    let statuses: Vec<ChildStatus> = children.iter().map(|child| child.status.clone()).collect();
    let due = DueList::build(&statuses, today, cadence);
    let villages: HashMap<Uuid, &str> = children.iter().map(|c| (c.status.child_id, c.village.as_str())).collect();
    let village_of = |entry: &DueEntry| villages.get(&entry.child_id).copied().unwrap_or_default().to_owned();
    let lines = |group: DueGroup| {
        due.group(group)
            .iter()
            .map(|entry| TodayChild {
                child_id: entry.child_id,
                name: entry.name.clone(),
                village: village_of(entry),
                colour: entry.colour,
                last_visit: entry.last_visit,
                due: entry.due,
            })
            .collect::<Vec<_>>()
    };

    let names: HashMap<Uuid, &str> = children.iter().map(|c| (c.status.child_id, c.status.name.as_str())).collect();
    let name_of = |child: Uuid| names.get(&child).map(|name| (*name).to_owned());
    let since = today.checked_sub_days(Days::new(REPORTS_WITHIN_DAYS)).unwrap_or(NaiveDate::MIN);
    let at = now.fixed_offset();
    let reports: Vec<TodayReport> = reports
        .into_iter()
        .map(|report| {
            let plan = plans.iter().map(|p| &p.plan).find(|plan| plan.report_visit_id == Some(report.visit_id));
            TodayReport { follow_up: report_follow_up(plan, at), ..report }
        })
        .filter(|report| report.follow_up.is_open() || report.visit_date >= since)
        .collect();
    let plan_village: HashMap<Uuid, &str> = plans.iter().map(|p| (p.plan.id, p.village.as_str())).collect();
    let bare: Vec<CasePlan> = plans.iter().map(|p| p.plan.clone()).collect();
    let actions_past_due = actions_due(&bare, at, Duration::zero())
        .into_iter()
        .filter(|due| due.overdue)
        .map(|due| TodayAction {
            plan_id: due.plan_id,
            child_id: due.child_id,
            name: name_of(due.child_id),
            village: plan_village.get(&due.plan_id).copied().unwrap_or_default().to_owned(),
            kind: due.action.kind,
            by_whom: due.action.by_whom,
            due: due.action.due,
        })
        .collect();
    let mut waiting: Vec<&VillagePlan> = plans.iter().filter(|p| p.plan.state() == PlanState::Waiting).collect();
    waiting.sort_by_key(|p| (p.plan.updated_at, p.plan.id));
    let plans_waiting = waiting
        .into_iter()
        .map(|p| TodayPlan {
            plan_id: p.plan.id,
            child_id: p.plan.child_id,
            name: name_of(p.plan.child_id),
            village: p.village.clone(),
            report: p.plan.is_report_follow_up(),
        })
        .collect();

    let mut silent_phones: Vec<SilentPhone> = phones
        .into_iter()
        .filter_map(|phone| {
            let last_seen_at = phone.silent_since(now)?;
            Some(SilentPhone { last_seen_at, id: phone.id, name: phone.name, role: phone.role, village: phone.village })
        })
        .collect();
    silent_phones.sort_by(|a, b| (a.last_seen_at, &a.name).cmp(&(b.last_seen_at, &b.name)));

    TownshipToday {
        today,
        coverage,
        overdue: lines(DueGroup::Overdue),
        red: lines(DueGroup::Red),
        reports,
        actions_past_due,
        plans_waiting,
        to_reconcile,
        possible_duplicates,
        silent_phones,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::worker::Role;
    use crate::RiskColour;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn child(n: u128, village: &str, colour: Option<RiskColour>, last: Option<NaiveDate>) -> VillageChild {
        VillageChild {
            village: village.into(),
            status: ChildStatus {
                child_id: Uuid::from_u128(n),
                name: format!("child {n}"),
                colour,
                last_visit: last,
                next_visit: None,
                birth_date: NaiveDate::from_ymd_opt(2016, 3, 14).unwrap(),
            },
        }
    }

    fn phone(n: u128, role: Role, last_seen: Option<DateTime<Utc>>, revoked: bool) -> PhoneListing {
        PhoneListing {
            id: Uuid::from_u128(n),
            name: format!("worker {n}"),
            role,
            township: "石门镇".into(),
            village: "桃源村".into(),
            enrolled_at: Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap(),
            last_seen_at: last_seen,
            revoked,
            revoked_at: None,
            revoked_as: None,
            recoverable: false,
            certification: Default::default(),
        }
    }

    #[test]
    fn her_township_at_a_glance() {
        let today = date(12, 10);
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 2, 0, 0).unwrap();
        let sources = TodaySources {
            children: vec![
                // 桃源村: 1 of 3 visited this month; 杏花村: 1 of 1.
                child(1, "桃源村", Some(RiskColour::Green), Some(date(12, 2))),
                child(2, "桃源村", Some(RiskColour::Yellow), Some(date(10, 1))),
                child(3, "桃源村", None, None),
                child(4, "杏花村", Some(RiskColour::Red), Some(date(12, 9))),
            ],
            reports: vec![],
            plans: vec![],
            phones: vec![
                phone(10, Role::Director, Some(now - Duration::days(20)), false),
                phone(11, Role::LoveMother, Some(now - Duration::days(2)), false),
                phone(12, Role::Volunteer, None, false),
                phone(13, Role::Director, None, true),
                phone(14, Role::Supervisor, None, false),
            ],
            to_reconcile: 2,
            possible_duplicates: 1,
        };
        let got = township_today(sources, today, now, &Cadence::standard());
        assert_eq!(
            got.coverage,
            [
                VillageCoverage { village: "桃源村".into(), visited: 1, total: 3 },
                VillageCoverage { village: "杏花村".into(), visited: 1, total: 1 },
            ],
            "the village furthest behind first"
        );
        let ids = |lines: &[TodayChild]| lines.iter().map(|l| l.child_id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(&got.overdue), [3, 2], "never visited first, then the oldest due");
        assert_eq!(got.overdue[0].village, "桃源村");
        assert_eq!(ids(&got.red), [4]);
        assert_eq!((got.to_reconcile, got.possible_duplicates), (2, 1));
        let silent: Vec<u128> = got.silent_phones.iter().map(|p| p.id.as_u128()).collect();
        assert_eq!(silent, [12, 10], "never seen since joining in September first; not the revoked one nor hers");
    }

    fn report(n: u128, child: u128, day: NaiveDate) -> TodayReport {
        TodayReport {
            visit_id: Uuid::from_u128(n),
            child_id: Uuid::from_u128(child),
            name: Some(format!("child {child}")),
            village: "桃源村".into(),
            visit_date: day,
            follow_up: Default::default(),
        }
    }

    #[test]
    fn open_reports_stay_until_closed_and_plans_show_what_waits_for_her() {
        let today = date(12, 10);
        let now = Utc.with_ymd_and_hms(2026, 12, 10, 2, 0, 0).unwrap();
        let at = now.fixed_offset();
        let mut ids = (1000..).map(Uuid::from_u128);
        let mut next = move || ids.next().unwrap_or_default();
        // Report 20 (a year ago) has no follow-up: open. Report 21 (a year ago) is closed:
        // gone. Report 22 (last week) is closed: shown as closed. Report 23: 1 of 4 steps done,
        // the rest 30 hours past.
        let closed_old =
            CasePlan::for_report(Uuid::from_u128(31), Uuid::from_u128(1), Uuid::from_u128(21), at, &mut next)
                .closed("no_case", "", at);
        let closed_new =
            CasePlan::for_report(Uuid::from_u128(32), Uuid::from_u128(1), Uuid::from_u128(22), at, &mut next).closed(
                "police_case",
                "",
                at,
            );
        let mut open = CasePlan::for_report(
            Uuid::from_u128(33),
            Uuid::from_u128(2),
            Uuid::from_u128(23),
            at - Duration::hours(54),
            &mut next,
        );
        open.actions[0].status = crate::case_plan::ActionStatus::Done;
        let mut case = CasePlan::new(Uuid::from_u128(34), Uuid::from_u128(4), at);
        case.needs.push("living".into());
        case = case.approved(case.clone(), at);
        let mut draft = CasePlan::new(Uuid::from_u128(35), Uuid::from_u128(3), at - Duration::days(1));
        draft.needs.push("health".into());
        let village = |plan: CasePlan| VillagePlan { village: "桃源村".into(), plan };
        let sources = TodaySources {
            children: vec![
                child(1, "桃源村", Some(RiskColour::Green), Some(date(12, 2))),
                child(2, "桃源村", Some(RiskColour::Red), Some(date(12, 1))),
                child(4, "杏花村", Some(RiskColour::Red), Some(date(12, 9))),
            ],
            reports: vec![
                report(23, 2, date(12, 1)),
                report(22, 1, date(12, 1)),
                report(21, 1, date(1, 5)),
                report(20, 1, date(1, 2)),
            ],
            plans: vec![village(closed_old), village(closed_new), village(open.clone()), village(case), village(draft)],
            ..TodaySources::default()
        };
        let got = township_today(sources, today, now, &Cadence::standard());
        let reports: Vec<(u128, u32, u32, Option<&str>)> = got
            .reports
            .iter()
            .map(|r| {
                (
                    r.visit_id.as_u128(),
                    r.follow_up.steps_done,
                    r.follow_up.steps_overdue,
                    r.follow_up.outcome.as_deref(),
                )
            })
            .collect();
        assert_eq!(reports, [(23, 1, 3, None), (22, 0, 0, Some("police_case")), (20, 0, 0, None)]);
        assert_eq!(got.reports[2].follow_up.plan_id, None, "never followed up");
        let past_due: Vec<(u128, &str)> =
            got.actions_past_due.iter().map(|a| (a.plan_id.as_u128(), a.kind.as_str())).collect();
        assert_eq!(past_due, [(33, "police_receipt"), (33, "guardian_contacted"), (33, "county_notified")]);
        assert_eq!(got.actions_past_due[0].name.as_deref(), Some("child 2"));
        let waiting: Vec<(u128, bool)> = got.plans_waiting.iter().map(|p| (p.plan_id.as_u128(), p.report)).collect();
        assert_eq!(waiting, [(33, true), (35, false)], "the oldest first; the approved case and closed ones are not");
        assert_eq!(got.plans_waiting[1].name, None, "a child the server holds no file of");
    }
}
