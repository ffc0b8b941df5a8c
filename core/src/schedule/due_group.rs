//! The groups of the due list, in the order they are shown.

use serde::{Deserialize, Serialize};

use crate::Lang;

/// Where a child stands in the due list. Ordered as shown: red first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueGroup {
    /// The child's current colour is red: always on top, whatever the date.
    Red,
    /// The next visit was due before today, or the child has never been visited.
    Overdue,
    /// The next visit is due today or within the next six days.
    DueThisWeek,
    /// The next visit is due a week or more from today.
    Later,
}

impl DueGroup {
    /// Every group, in the order shown.
    pub const ALL: [DueGroup; 4] = [DueGroup::Red, DueGroup::Overdue, DueGroup::DueThisWeek, DueGroup::Later];

    /// Its code, as serialised (`due_this_week`).
    pub fn code(self) -> &'static str {
        match self {
            DueGroup::Red => "red",
            DueGroup::Overdue => "overdue",
            DueGroup::DueThisWeek => "due_this_week",
            DueGroup::Later => "later",
        }
    }

    /// The heading people see.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DueGroup::Red => lang.pick("红色预警", "Red"),
            DueGroup::Overdue => lang.pick("已逾期", "Overdue"),
            DueGroup::DueThisWeek => lang.pick("本周应访", "Due this week"),
            DueGroup::Later => lang.pick("以后", "Later"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_as_shown() {
        let mut groups = vec![DueGroup::Later, DueGroup::DueThisWeek, DueGroup::Red, DueGroup::Overdue];
        groups.sort();
        assert_eq!(groups, DueGroup::ALL.to_vec());
        for group in DueGroup::ALL {
            assert_eq!(serde_json::to_string(&group).unwrap(), format!("\"{}\"", group.code()));
        }
        assert_eq!(DueGroup::Overdue.label(Lang::ZhCn), "已逾期");
    }
}
