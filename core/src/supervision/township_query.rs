//! The filter as the supervisor sets it on her screen: a village, a colour, a month or a
//! range of dates, as typed; [`TownshipQuery::filter`] checks it and makes the
//! [`RecordFilter`] of the calls.

use chrono::{Datelike, NaiveDate};

use crate::form::parse_date;
use crate::record_filter::RecordFilter;
use crate::{FieldError, FieldErrors, RiskColour};

/// What the filter fields hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TownshipQuery {
    /// The village's name as typed; blank: every village of the township.
    pub village: String,
    /// The one colour shown (the server filters by one); `None`: every colour.
    pub colour: Option<RiskColour>,
    /// A month, `YYYY-MM` as a month input gives it; empty: no month.
    pub month: String,
    /// The first day, `YYYY-MM-DD`; empty: no bound.
    pub from: String,
    /// The last day (included), `YYYY-MM-DD`; empty: no bound.
    pub to: String,
}

impl TownshipQuery {
    /// Taps a colour's button: shows only that colour, or every colour again when it was
    /// the one shown.
    pub fn toggle_colour(&mut self, colour: RiskColour) {
        self.colour = if self.colour == Some(colour) { None } else { Some(colour) };
    }

    /// Picks a month, which replaces a range of dates.
    pub fn set_month(&mut self, month: &str) {
        self.month = month.trim().to_owned();
        if !self.month.is_empty() {
            self.from.clear();
            self.to.clear();
        }
    }

    /// Sets the first or last day (`last`), which replaces a month.
    pub fn set_day(&mut self, last: bool, day: &str) {
        let day = day.trim().to_owned();
        if !day.is_empty() {
            self.month.clear();
        }
        if last {
            self.to = day;
        } else {
            self.from = day;
        }
    }

    /// Whether anything narrows the lists.
    pub fn is_narrowed(&self) -> bool {
        self.filter().is_ok_and(|f| f.is_narrowed())
    }

    /// The filter of the calls (no page yet), or what is wrong, by field (`village`,
    /// `month`, `from`, `to`).
    pub fn filter(&self) -> Result<RecordFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let village = self.village.trim();
        let (mut from, mut to) = (None, None);
        if !self.month.trim().is_empty() {
            match month_bounds(self.month.trim()) {
                Some((first, last)) => (from, to) = (Some(first), Some(last)),
                None => errors.add("month", FieldError::NotADate),
            }
        } else {
            for (field, text, day) in [("from", &self.from, &mut from), ("to", &self.to, &mut to)] {
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                match parse_date(text) {
                    Some(date) => *day = Some(date),
                    None => errors.add(field, FieldError::NotADate),
                }
            }
        }
        let filter =
            RecordFilter { village: (!village.is_empty()).then(|| village.to_owned()), colour: self.colour, from, to };
        filter.check(&mut errors);
        errors.into_result(filter)
    }
}

/// The first and last day of a month given as `YYYY-MM`.
fn month_bounds(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = parse_date(&format!("{text}-01"))?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_empty_query_is_the_whole_township() {
        let query = TownshipQuery::default();
        assert_eq!(query.filter(), Ok(RecordFilter::default()));
        assert!(!query.is_narrowed());
        let blank = TownshipQuery { village: "  ".into(), ..TownshipQuery::default() };
        assert_eq!(blank.filter(), Ok(RecordFilter::default()));
        assert!(!blank.is_narrowed());
    }

    #[test]
    fn a_month_is_its_first_to_its_last_day() {
        let mut query = TownshipQuery { village: " 桃源村 ".into(), ..TownshipQuery::default() };
        query.set_month("2026-11");
        let filter = query.filter().unwrap();
        assert_eq!(filter.village.as_deref(), Some("桃源村"));
        assert_eq!((filter.from, filter.to), (Some(day(2026, 11, 1)), Some(day(2026, 11, 30))));
        query.set_month("2026-12");
        assert_eq!(query.filter().unwrap().to, Some(day(2026, 12, 31)));
        query.set_month("2028-02");
        assert_eq!(query.filter().unwrap().to, Some(day(2028, 2, 29)), "a leap year");
        assert!(query.is_narrowed());
    }

    #[test]
    fn a_month_and_a_range_replace_each_other() {
        let mut query = TownshipQuery::default();
        query.set_day(false, "2026-10-01");
        query.set_day(true, "2026-10-15");
        assert_eq!(query.filter().map(|f| (f.from, f.to)), Ok((Some(day(2026, 10, 1)), Some(day(2026, 10, 15)))));
        query.set_month("2026-11");
        assert_eq!((query.from.as_str(), query.to.as_str()), ("", ""));
        query.set_day(true, "2026-12-01");
        assert_eq!(query.month, "");
        assert_eq!(query.filter().map(|f| (f.from, f.to)), Ok((None, Some(day(2026, 12, 1)))));
        query.set_month("");
        assert_eq!(query.to, "2026-12-01", "clearing the month keeps the range");
    }

    #[test]
    fn one_colour_at_a_time() {
        let mut query = TownshipQuery::default();
        query.toggle_colour(RiskColour::Red);
        assert_eq!(query.filter().unwrap().colour, Some(RiskColour::Red));
        query.toggle_colour(RiskColour::Yellow);
        assert_eq!(query.colour, Some(RiskColour::Yellow));
        query.toggle_colour(RiskColour::Yellow);
        assert_eq!(query.colour, None);
    }

    #[test]
    fn what_cannot_be_read_is_said_by_field() {
        let bad = TownshipQuery { month: "2026-13".into(), ..TownshipQuery::default() };
        assert_eq!(bad.filter().unwrap_err().get("month"), Some(&FieldError::NotADate));
        let bad = TownshipQuery { from: "11/20/2026".into(), to: "2026-02-30".into(), ..TownshipQuery::default() };
        let errors = bad.filter().unwrap_err();
        assert_eq!((errors.get("from"), errors.get("to")), (Some(&FieldError::NotADate), Some(&FieldError::NotADate)));
        let backwards =
            TownshipQuery { from: "2026-11-20".into(), to: "2026-11-01".into(), ..TownshipQuery::default() };
        assert_eq!(backwards.filter().unwrap_err().get("to"), Some(&FieldError::TooOld));
        let long = TownshipQuery { village: "村".repeat(crate::child::VILLAGE_MAX + 1), ..TownshipQuery::default() };
        assert!(matches!(long.filter().unwrap_err().get("village"), Some(FieldError::TooLong { .. })));
        assert!(!long.is_narrowed());
    }
}
