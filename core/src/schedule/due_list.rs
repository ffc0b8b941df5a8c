//! The due list: every child, grouped by how urgently they need a visit.

use chrono::{Days, NaiveDate};
use uuid::Uuid;

use super::{Cadence, ChildStatus, DueGroup};
use crate::child::aged_out;
use crate::search_query::SearchQuery;
use crate::RiskColour;

/// Days after today (inclusive) that still count as "this week".
const WEEK_AHEAD: u64 = 6;

/// One child's line in the due list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueEntry {
    /// The group the child is in.
    pub group: DueGroup,
    /// The child's file id.
    pub child_id: Uuid,
    /// The child's name.
    pub name: String,
    /// The colour set at the latest visit; `None` if never visited.
    pub colour: Option<RiskColour>,
    /// The date of the latest visit; `None` if never visited.
    pub last_visit: Option<NaiveDate>,
    /// When the next visit is due ([`ChildStatus::due`]); `None`: never visited, due now.
    pub due: Option<NaiveDate>,
}

/// Every child once, in the groups of [`DueGroup`] in order; within a group by due date
/// (never visited first), then name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DueList {
    /// Sorted by (group, due, name, child id), so each group is one run.
    entries: Vec<DueEntry>,
}

impl DueList {
    /// Groups `children` as of `today`, with `cadence` for children whose latest visit set
    /// no next date; a child who has turned 18 (aged out) is not due. O(n log n).
    pub fn build(children: &[ChildStatus], today: NaiveDate, cadence: &Cadence) -> DueList {
        let week_end = today.checked_add_days(Days::new(WEEK_AHEAD)).unwrap_or(NaiveDate::MAX);
        let mut entries: Vec<DueEntry> = children
            .iter()
            .filter(|child| !aged_out(child.birth_date, today))
            .map(|child| {
                let due = child.due(cadence);
                let group = match due {
                    _ if child.colour == Some(RiskColour::Red) => DueGroup::Red,
                    None => DueGroup::Overdue,
                    Some(date) if date < today => DueGroup::Overdue,
                    Some(date) if date <= week_end => DueGroup::DueThisWeek,
                    Some(_) => DueGroup::Later,
                };
                DueEntry {
                    group,
                    child_id: child.child_id,
                    name: child.name.clone(),
                    colour: child.colour,
                    last_visit: child.last_visit,
                    due,
                }
            })
            .collect();
        entries
            .sort_unstable_by(|a, b| (a.group, a.due, &a.name, a.child_id).cmp(&(b.group, b.due, &b.name, b.child_id)));
        DueList { entries }
    }

    /// Every entry, group by group.
    pub fn entries(&self) -> &[DueEntry] {
        &self.entries
    }

    /// The entries of one group, in order.
    pub fn group(&self, group: DueGroup) -> &[DueEntry] {
        let start = self.entries.partition_point(|e| e.group < group);
        let end = self.entries.partition_point(|e| e.group <= group);
        &self.entries[start..end]
    }

    /// Every group in the order shown, each with its entries (possibly none).
    pub fn groups(&self) -> impl Iterator<Item = (DueGroup, &[DueEntry])> {
        DueGroup::ALL.into_iter().map(|group| (group, self.group(group)))
    }

    /// How many children are listed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no child is listed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The children whose name matches `query` (see [`SearchQuery`]), in the same groups and
    /// order. A blank query keeps everyone.
    pub fn search(&self, query: &str) -> DueList {
        let query = SearchQuery::new(query);
        let entries = self.entries.iter().filter(|e| query.matches(&e.name)).cloned().collect();
        DueList { entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A Monday.
    fn today() -> NaiveDate {
        date(2026, 11, 23)
    }

    fn days_from_today(n: i64) -> NaiveDate {
        today() + chrono::Duration::days(n)
    }

    fn child(
        n: u128,
        name: &str,
        colour: Option<RiskColour>,
        last: Option<NaiveDate>,
        next: Option<NaiveDate>,
    ) -> ChildStatus {
        let birth_date = NaiveDate::from_ymd_opt(2016, 3, 14).unwrap();
        ChildStatus {
            child_id: Uuid::from_u128(n),
            name: name.into(),
            colour,
            last_visit: last,
            next_visit: next,
            birth_date,
        }
    }

    #[test]
    fn a_child_who_has_turned_18_leaves_the_due_list() {
        let today = days_from_today(0);
        let mut grown = child(1, "周大明", None, None, None);
        grown.birth_date = today.checked_sub_months(chrono::Months::new(18 * 12)).unwrap();
        let mut nearly = child(2, "周小明", None, None, None);
        nearly.birth_date = grown.birth_date.succ_opt().unwrap();
        let list = DueList::build(&[grown, nearly], today, &Cadence::standard());
        let names: Vec<&str> = list.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["周小明"], "never visited, so overdue, until the day she turns 18");
    }

    /// A green child whose next visit is set `n` days from today.
    fn due_in(n: i64, name: &str) -> ChildStatus {
        child(
            n.unsigned_abs().into(),
            name,
            Some(RiskColour::Green),
            Some(days_from_today(-20)),
            Some(days_from_today(n)),
        )
    }

    fn names(entries: &[DueEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    fn build(children: &[ChildStatus]) -> DueList {
        DueList::build(children, today(), &Cadence::standard())
    }

    #[test]
    fn the_week_starts_today_and_ends_six_days_on() {
        let list = build(&[due_in(-1, "yesterday"), due_in(0, "today"), due_in(6, "sunday"), due_in(7, "next monday")]);
        assert_eq!(names(list.group(DueGroup::Overdue)), ["yesterday"]);
        assert_eq!(names(list.group(DueGroup::DueThisWeek)), ["today", "sunday"]);
        assert_eq!(names(list.group(DueGroup::Later)), ["next monday"]);
        assert!(list.group(DueGroup::Red).is_empty());
    }

    #[test]
    fn red_children_are_on_top_even_when_overdue() {
        let red_overdue = child(1, "red overdue", Some(RiskColour::Red), Some(days_from_today(-30)), None);
        let red_later = child(2, "red later", Some(RiskColour::Red), Some(today()), Some(days_from_today(20)));
        let list = build(&[due_in(-3, "green overdue"), red_later, red_overdue]);
        assert_eq!(names(list.group(DueGroup::Red)), ["red overdue", "red later"]);
        assert_eq!(names(list.group(DueGroup::Overdue)), ["green overdue"]);
        assert_eq!(names(list.entries()), ["red overdue", "red later", "green overdue"], "each child once");
    }

    #[test]
    fn never_visited_children_are_overdue_before_the_rest() {
        let never = child(9, "never", None, None, None);
        let list = build(&[due_in(-5, "late"), never]);
        assert_eq!(names(list.group(DueGroup::Overdue)), ["never", "late"]);
        assert_eq!(list.group(DueGroup::Overdue)[0].due, None);
    }

    #[test]
    fn without_a_set_date_the_cadence_decides() {
        let yellow = child(1, "yellow", Some(RiskColour::Yellow), Some(days_from_today(-10)), None); // due +4
        let blue = child(2, "blue", Some(RiskColour::Blue), Some(days_from_today(-10)), None); // due +20
        let green = child(3, "green", Some(RiskColour::Green), Some(days_from_today(-31)), None); // due -1
        let list = build(&[yellow, blue, green]);
        assert_eq!(names(list.group(DueGroup::DueThisWeek)), ["yellow"]);
        assert_eq!(list.group(DueGroup::DueThisWeek)[0].due, Some(days_from_today(4)));
        assert_eq!(names(list.group(DueGroup::Later)), ["blue"]);
        assert_eq!(names(list.group(DueGroup::Overdue)), ["green"]);
        let weekly = Cadence { red: 7, yellow: 7, blue: 7, green: 7 };
        let list = DueList::build(
            &[child(2, "blue", Some(RiskColour::Blue), Some(days_from_today(-10)), None)],
            today(),
            &weekly,
        );
        assert_eq!(names(list.group(DueGroup::Overdue)), ["blue"], "a county's cadence is used");
    }

    #[test]
    fn within_a_group_by_due_date_then_name() {
        let list = build(&[due_in(3, "王芳"), due_in(1, "张伟"), due_in(3, "李娜"), due_in(3, "Anna")]);
        assert_eq!(names(list.group(DueGroup::DueThisWeek)), ["张伟", "Anna", "李娜", "王芳"]);
    }

    #[test]
    fn groups_come_in_order_with_empty_ones() {
        let list = build(&[due_in(10, "later"), due_in(-2, "overdue")]);
        let groups: Vec<(DueGroup, Vec<&str>)> = list.groups().map(|(g, e)| (g, names(e))).collect();
        assert_eq!(
            groups,
            [
                (DueGroup::Red, vec![]),
                (DueGroup::Overdue, vec!["overdue"]),
                (DueGroup::DueThisWeek, vec![]),
                (DueGroup::Later, vec!["later"]),
            ]
        );
        assert!(build(&[]).is_empty());
    }

    #[test]
    fn search_by_name_substring() {
        let red = child(1, "王小明", Some(RiskColour::Red), Some(days_from_today(-2)), None);
        let list = build(&[red, due_in(-1, "小明 Zhang"), due_in(2, "王芳"), due_in(9, "Xiaoming Li")]);
        assert_eq!(names(list.search("小明").entries()), ["王小明", "小明 Zhang"]);
        assert_eq!(list.search("小明").group(DueGroup::Red).len(), 1, "groups survive a search");
        assert_eq!(names(list.search("王").entries()), ["王小明", "王芳"]);
        assert_eq!(names(list.search(" XIAOMING ").entries()), ["Xiaoming Li"]);
        assert_eq!(names(list.search("zhang").entries()), ["小明 Zhang"]);
        assert_eq!(list.search("").len(), 4);
        assert!(list.search("xm").is_empty(), "no pinyin initials");
        assert!(list.search("赵").is_empty());
    }

    #[test]
    fn five_hundred_children_each_land_in_their_group() {
        // Child i's expected group follows from i % 5, and its name says which.
        let children: Vec<ChildStatus> = (0..500u32)
            .map(|i| {
                let spread = i64::from(i % 7);
                let (label, colour, last, next) = match i % 5 {
                    0 => ("red", Some(RiskColour::Red), Some(days_from_today(-spread)), None),
                    1 => ("overdue", None, None, None),
                    2 => ("overdue", Some(RiskColour::Yellow), Some(days_from_today(-15 - spread)), None),
                    3 => ("week", Some(RiskColour::Blue), Some(days_from_today(-30 + spread)), None),
                    _ => {
                        ("later", Some(RiskColour::Green), Some(days_from_today(-3)), Some(days_from_today(7 + spread)))
                    }
                };
                child(u128::from(i), &format!("{label} {:03}", 499 - i), colour, last, next)
            })
            .collect();
        let list = build(&children);
        assert_eq!(list.len(), 500);
        for (group, expected_label, expected_len) in [
            (DueGroup::Red, "red", 100),
            (DueGroup::Overdue, "overdue", 200),
            (DueGroup::DueThisWeek, "week", 100),
            (DueGroup::Later, "later", 100),
        ] {
            let entries = list.group(group);
            assert_eq!(entries.len(), expected_len, "{group:?}");
            for e in entries {
                assert_eq!(e.group, group);
                assert!(e.name.starts_with(expected_label), "{} in {group:?}", e.name);
            }
            assert!(entries.windows(2).all(|w| (w[0].due, &w[0].name) <= (w[1].due, &w[1].name)), "{group:?} sorted");
        }
        let mut ids: Vec<Uuid> = list.entries().iter().map(|e| e.child_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 500, "each child exactly once");
        assert_eq!(
            list.search("red 4").len(),
            list.group(DueGroup::Red).iter().filter(|e| e.name.starts_with("red 4")).count()
        );
    }
}
