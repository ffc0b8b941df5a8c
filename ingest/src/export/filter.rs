//! Which records an export takes: a place, a risk colour, a range of visit dates. The
//! command line builds one from its flags; the endpoints build one from the query and the
//! worker's own place (a supervisor's township is always set).

use std::fmt;

use chrono::NaiveDate;
use tongxing_core::wire::ListFilter;
use tongxing_core::RiskColour;

/// Which records an export takes; every part left `None` takes all.
///
/// A record's place is the township and village of the phone that first sent it
/// (`scope_township`, `scope_village`). Records received before enrolment have none: their
/// township is empty, so they match no township, and their village is the one written in
/// the child's file. The colour and dates of a visit are its own; those of a child are its
/// latest visit's, so a child never visited matches no colour and no date range. With
/// `--history` or `--conflicts`, the newest revision of a record decides whether its every
/// revision is taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// The township or street office (乡镇/街道), exactly as enrolled.
    pub township: Option<String>,
    /// The village or residents' committee (村/居).
    pub village: Option<String>,
    /// The risk colour set at the visit (for children: at their latest visit).
    pub colour: Option<RiskColour>,
    /// Visits on or after this day.
    pub from: Option<NaiveDate>,
    /// Visits on or before this day.
    pub to: Option<NaiveDate>,
}

/// A filter that can take nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("the first visit date {from} is after the last {to}: swap --from and --to")]
    FromAfterTo { from: NaiveDate, to: NaiveDate },
    #[error("the {0} to filter by is blank: give a name or leave the filter out")]
    BlankPlace(&'static str),
}

impl ExportFilter {
    /// A filter that takes every record.
    pub fn all() -> ExportFilter {
        ExportFilter::default()
    }

    /// A supervisor's export of her `township`, narrowed as the query of a list is (its page
    /// does not apply: an export takes every record the filter takes).
    pub fn in_township(township: &str, list: &ListFilter) -> ExportFilter {
        ExportFilter {
            township: Some(township.to_owned()),
            village: list.village.clone(),
            colour: list.colour,
            from: list.from,
            to: list.to,
        }
    }

    /// Whether it takes every record.
    pub fn is_all(&self) -> bool {
        *self == ExportFilter::default()
    }

    /// Checks that the filter can take anything: dates in order, no blank names (a blank
    /// township would otherwise pick the records received before enrolment).
    pub fn check(&self) -> Result<(), FilterError> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(FilterError::FromAfterTo { from, to });
            }
        }
        if self.township.as_deref().is_some_and(|name| name.trim().is_empty()) {
            return Err(FilterError::BlankPlace("township"));
        }
        if self.village.as_deref().is_some_and(|name| name.trim().is_empty()) {
            return Err(FilterError::BlankPlace("village"));
        }
        Ok(())
    }

    /// The colour's code, as the `visits` table keeps it.
    pub(crate) fn colour_code(&self) -> Option<&'static str> {
        self.colour.map(RiskColour::code)
    }

    /// A date as the `visits` table keeps it (`YYYY-MM-DD`, which orders as text).
    pub(crate) fn date_text(date: Option<NaiveDate>) -> Option<String> {
        date.map(|date| date.format("%Y-%m-%d").to_string())
    }
}

/// `township=石桥镇, colour=red, from=2026-10-01`, or `everything`: what the audit log
/// notes as the subject of an export.
impl fmt::Display for ExportFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(township) = &self.township {
            parts.push(format!("township={township}"));
        }
        if let Some(village) = &self.village {
            parts.push(format!("village={village}"));
        }
        if let Some(colour) = self.colour {
            parts.push(format!("colour={}", colour.code()));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={to}"));
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
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_must_be_in_order() {
        let mut filter = ExportFilter { from: date(2026, 11, 1), to: date(2026, 11, 1), ..ExportFilter::all() };
        assert_eq!(filter.check(), Ok(()), "one day");
        filter.to = date(2026, 10, 31);
        let error = filter.check().unwrap_err();
        assert!(matches!(error, FilterError::FromAfterTo { .. }));
        assert!(error.to_string().contains("2026-11-01"), "{error}");
    }

    #[test]
    fn a_blank_place_is_refused() {
        let filter = ExportFilter { township: Some(" ".into()), ..ExportFilter::all() };
        assert_eq!(filter.check(), Err(FilterError::BlankPlace("township")));
        let filter = ExportFilter { village: Some(String::new()), ..ExportFilter::all() };
        assert_eq!(filter.check(), Err(FilterError::BlankPlace("village")));
    }

    #[test]
    fn a_supervisor_s_list_query_becomes_an_export_of_her_township() {
        let list = ListFilter {
            village: Some("桃源村".into()),
            colour: Some(RiskColour::Yellow),
            from: date(2026, 11, 1),
            to: None,
            page: Some(3),
            per_page: Some(10),
        };
        let filter = ExportFilter::in_township("石桥镇", &list);
        assert_eq!(filter.to_string(), "township=石桥镇, village=桃源村, colour=yellow, from=2026-11-01");
    }

    #[test]
    fn it_reads_as_the_audit_log_s_subject() {
        assert_eq!(ExportFilter::all().to_string(), "everything");
        assert!(ExportFilter::all().is_all());
        let filter = ExportFilter {
            township: Some("石桥镇".into()),
            village: Some("石桥村".into()),
            colour: Some(RiskColour::Red),
            from: date(2026, 10, 1),
            to: date(2026, 11, 30),
        };
        assert_eq!(filter.to_string(), "township=石桥镇, village=石桥村, colour=red, from=2026-10-01, to=2026-11-30");
        assert!(!filter.is_all());
        assert_eq!(ExportFilter::date_text(filter.from).as_deref(), Some("2026-10-01"));
    }
}
