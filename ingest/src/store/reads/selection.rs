//! Which records a read takes.

use std::fmt;

use chrono::NaiveDate;
use tongxing_core::record_filter::RecordFilter;
use uuid::Uuid;

/// Which revisions of each record a read takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Revisions {
    /// The newest revision of each record.
    #[default]
    Current,
    /// Every revision ever received.
    All,
    /// What arrived with a revision already held but other content, kept aside.
    Conflicts,
}

impl Revisions {
    /// `current`, `history`, `conflicts`: as the audit log notes it.
    pub fn name(self) -> &'static str {
        match self {
            Revisions::Current => "current",
            Revisions::All => "history",
            Revisions::Conflicts => "conflicts",
        }
    }
}

/// Which records a list, an export or an archive reads. With [`Revisions::All`] or
/// [`Revisions::Conflicts`], the newest revision of a record decides whether its every
/// revision is taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The township or street office (乡镇/街道), exactly as enrolled; `None`: every one
    /// (the county's command line).
    pub township: Option<String>,
    /// The village, colour and visit dates.
    pub records: RecordFilter,
    pub revisions: Revisions,
    /// One child only (a child's archive).
    pub child: Option<Uuid>,
}

/// A selection that can take nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    #[error("the first visit date {from} is after the last {to}: swap --from and --to")]
    FromAfterTo { from: NaiveDate, to: NaiveDate },
    #[error("the {0} to filter by is blank: give a name or leave the filter out")]
    BlankPlace(&'static str),
}

impl Selection {
    /// The newest revision of every record.
    pub fn all() -> Selection {
        Selection::default()
    }

    /// A supervisor's `township`, narrowed by `records`.
    pub fn in_township(township: &str, records: RecordFilter) -> Selection {
        Selection { township: Some(township.to_owned()), records, ..Selection::default() }
    }

    /// Every record of one child, in the revisions asked for.
    pub fn of_child(child: Uuid, revisions: Revisions) -> Selection {
        Selection { child: Some(child), revisions, ..Selection::default() }
    }

    /// Whether it takes every record (newest revisions).
    pub fn is_all(&self) -> bool {
        *self == Selection::all()
    }

    /// Checks that it can take anything: dates in order, no blank names (a blank township
    /// would otherwise pick the records received before enrolment).
    pub fn check(&self) -> Result<(), SelectionError> {
        if let (Some(from), Some(to)) = (self.records.from, self.records.to) {
            if from > to {
                return Err(SelectionError::FromAfterTo { from, to });
            }
        }
        if self.township.as_deref().is_some_and(|name| name.trim().is_empty()) {
            return Err(SelectionError::BlankPlace("township"));
        }
        if self.records.village.as_deref().is_some_and(|name| name.trim().is_empty()) {
            return Err(SelectionError::BlankPlace("village"));
        }
        Ok(())
    }
}

/// `township=石桥镇, colour=red, from=2026-10-01`, or `everything`: what the audit log notes
/// as the subject of a read (with the revisions when not the newest, and the child).
impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(township) = &self.township {
            parts.push(format!("township={township}"));
        }
        if self.records.is_narrowed() {
            parts.push(self.records.to_string());
        }
        if let Some(child) = self.child {
            parts.push(format!("child={child}"));
        }
        if parts.is_empty() {
            f.write_str("everything")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use tongxing_core::RiskColour;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_must_be_in_order() {
        let mut selection = Selection::all();
        selection.records.from = date(2026, 11, 1);
        selection.records.to = date(2026, 11, 1);
        assert_eq!(selection.check(), Ok(()), "one day");
        selection.records.to = date(2026, 10, 31);
        let error = selection.check().unwrap_err();
        assert!(matches!(error, SelectionError::FromAfterTo { .. }));
        assert!(error.to_string().contains("2026-11-01"), "{error}");
    }

    #[test]
    fn a_blank_place_is_refused() {
        let selection = Selection { township: Some(" ".into()), ..Selection::all() };
        assert_eq!(selection.check(), Err(SelectionError::BlankPlace("township")));
        let selection =
            Selection::in_township("石桥镇", RecordFilter { village: Some(String::new()), ..RecordFilter::default() });
        assert_eq!(selection.check(), Err(SelectionError::BlankPlace("village")));
    }

    #[test]
    fn it_reads_as_the_audit_log_s_subject() {
        assert_eq!(Selection::all().to_string(), "everything");
        assert!(Selection::all().is_all());
        let records = RecordFilter {
            village: Some("石桥村".into()),
            colour: Some(RiskColour::Red),
            from: date(2026, 10, 1),
            to: date(2026, 11, 30),
        };
        let selection = Selection::in_township("石桥镇", records);
        assert_eq!(
            selection.to_string(),
            "township=石桥镇, village=石桥村, colour=red, from=2026-10-01, to=2026-11-30"
        );
        assert!(!selection.is_all());
        let child = Uuid::nil();
        assert_eq!(Selection::of_child(child, Revisions::All).to_string(), format!("child={child}"));
    }
}
