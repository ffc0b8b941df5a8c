//! The county's statistics (统计, `GET /api/v1/county/statistics`, and as a workbook
//! `GET /api/v1/county/statistics.xlsx`): the counts the county reports, built by
//! [`crate::supervision::county_statistics`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How many months of visits the statistics count, this one included.
pub const STATISTICS_MONTHS: u32 = 12;

/// The county's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountyStatistics {
    /// The day the figures are of (the server's, in China).
    pub today: NaiveDate,
    /// Children's files (not merged into another), of every township.
    pub children: u32,
    /// Children by category (儿童类别; a child of several categories counts in each), every
    /// category listed.
    pub by_category: Vec<Tally>,
    /// Children by the colour of their latest visit, then those never visited (`none`).
    pub by_colour: Vec<Tally>,
    /// Children by township, with this month's round.
    pub by_township: Vec<TownshipTally>,
    /// Children by age band on the day (`0-5`, `6-11`, `12-15`, `16-17`, `18+`).
    pub by_age: Vec<Tally>,
    /// This month's round of the whole county: children visited this calendar month of
    /// those under 18.
    pub coverage: Coverage,
    /// Visits and mandatory reports (强制报告) per month, the last
    /// [`STATISTICS_MONTHS`] months, the oldest first.
    pub by_month: Vec<MonthTally>,
    /// Policies linked (政策链接) by the visits of those months, by benefit, most first.
    pub benefits: Vec<Tally>,
    /// The field workers (directors, love mothers and volunteers whose phones are not
    /// revoked) and those of them certified (培训考核).
    pub workers: Certified,
}

/// One line of a table: a key (a code, a name or a band), its name in both languages, and
/// how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub key: String,
    pub label_zh: String,
    pub label_en: String,
    pub count: u32,
}

/// One township's children and this month's round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TownshipTally {
    /// The township; empty for files received before places were kept.
    pub township: String,
    pub children: u32,
    pub visited: u32,
    pub due: u32,
    /// Its field workers (phones not revoked), and those of them certified.
    pub workers: u32,
    pub certified: u32,
}

/// Children visited this month of those in the round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub visited: u32,
    pub due: u32,
}

/// Field workers, and those of them who passed a training's assessment (培训考核).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certified {
    pub workers: u32,
    pub certified: u32,
}

/// One month's visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthTally {
    /// `YYYY-MM`.
    pub month: String,
    pub visits: u32,
    /// Visits that found harm, serious neglect or abandonment (强制报告).
    pub mandatory_reports: u32,
}
