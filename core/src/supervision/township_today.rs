//! The supervisor's "today" from what the server holds of her township: each village's
//! round this month ([`MonthProgress`]), the children overdue and red as a director's due
//! list groups them ([`DueList`]), the mandatory reports, and the phones gone silent. The
//! same rules as the phones' due list, so her figures and theirs never disagree.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::schedule::{Cadence, ChildStatus, DueEntry, DueGroup, DueList, MonthProgress};
use crate::wire::{PhoneListing, SilentPhone, TodayChild, TodayReport, TownshipToday, VillageCoverage};

/// A child's file of the township, where the visits stand, and its village.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageChild {
    pub village: String,
    pub status: ChildStatus,
}

/// What the server read for her "today".
#[derive(Debug, Clone, Default)]
pub struct TodaySources {
    /// Every child's file of the township (not merged into another).
    pub children: Vec<VillageChild>,
    /// The mandatory reports of the last days, the newest first.
    pub reports: Vec<TodayReport>,
    /// The township's phones.
    pub phones: Vec<PhoneListing>,
    pub to_reconcile: u32,
    pub possible_duplicates: u32,
}

/// Her township on `today` (`now`: the server's clock, for the phones).
pub fn township_today(sources: TodaySources, today: NaiveDate, now: DateTime<Utc>, cadence: &Cadence) -> TownshipToday {
    let TodaySources { children, reports, phones, to_reconcile, possible_duplicates } = sources;
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
}
