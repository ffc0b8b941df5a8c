//! `--format csv-codes`: CSV for scripts, one row per record with the wire names as column
//! names and the wire codes as values (`left_behind`, `yellow`), the visit's answers as
//! compact JSON. People read the Chinese CSV and XLSX instead (see `readable_csv`).

use std::io::Write;

use chrono::{DateTime, Utc};
use tongxing_core::case_plan::CasePlan;
use tongxing_core::child::Child;
use tongxing_core::Visit;

use super::{formula_safe, ExportError, CSV_BOM};
use crate::store::records::{ColumnValue, StoredRecord};

/// The CSV columns of visits, in order: the visit's wire names, with the columns the server
/// keeps for querying (`visit_date`, `risk_colour`, `next_visit_date`, `mandatory_report`,
/// as in the `visits` table) before the answers as compact JSON, then when the server
/// received it.
pub const CSV_COLUMNS: [&str; 12] = [
    "id",
    "child_id",
    "form_id",
    "form_version",
    "visit_date",
    "risk_colour",
    "next_visit_date",
    "mandatory_report",
    "answers",
    "revision",
    "updated_at",
    "received_at",
];

/// The CSV columns of children's files, in order: the file's wire names (`categories`
/// joined with `;`), then when the server received it.
pub const CHILD_CSV_COLUMNS: [&str; 10] =
    ["id", "name", "sex", "birth_date", "village", "categories", "school", "revision", "updated_at", "received_at"];

/// The CSV columns of case plans, in order: the plan's wire names (`needs` joined with `;`,
/// `actions` as compact JSON, `closed` as its three parts), the `state` the server keeps for
/// querying, then when the server received it.
pub const CASE_PLAN_CSV_COLUMNS: [&str; 15] = [
    "id",
    "child_id",
    "report_visit_id",
    "state",
    "needs",
    "needs_note",
    "actions",
    "review_date",
    "approved_at",
    "closed_reason",
    "closed_note",
    "closed_at",
    "revision",
    "updated_at",
    "received_at",
];

/// A record that can be written as a row of codes.
pub(crate) trait CodeRow: StoredRecord {
    const COLUMNS: &'static [&'static str];
    /// The row, without `received_at`.
    fn row(&self) -> Result<Vec<String>, ExportError>;
}

impl CodeRow for Visit {
    const COLUMNS: &'static [&'static str] = &CSV_COLUMNS;
    fn row(&self) -> Result<Vec<String>, ExportError> {
        let mut row = vec![self.id.to_string()];
        // The same values as the `visits` table's columns (NULL as ''), so the two agree.
        row.extend(self.column_values().into_iter().map(|value| match value {
            ColumnValue::Text(text) => text,
            ColumnValue::Integer(number) => number.to_string(),
            ColumnValue::Null => String::new(),
        }));
        row.push(serde_json::to_string(&self.answers)?);
        row.push(self.revision.to_string());
        row.push(self.updated_at.to_rfc3339());
        Ok(row)
    }
}

impl CodeRow for Child {
    const COLUMNS: &'static [&'static str] = &CHILD_CSV_COLUMNS;
    fn row(&self) -> Result<Vec<String>, ExportError> {
        let categories: Vec<&str> = self.categories.iter().map(|c| c.code()).collect();
        Ok(vec![
            self.id.to_string(),
            self.name.clone(),
            self.sex.code().to_owned(),
            self.birth_date.to_string(),
            self.village.clone(),
            categories.join(";"),
            self.school.clone(),
            self.revision.to_string(),
            self.updated_at.to_rfc3339(),
        ])
    }
}

impl CodeRow for CasePlan {
    const COLUMNS: &'static [&'static str] = &CASE_PLAN_CSV_COLUMNS;
    fn row(&self) -> Result<Vec<String>, ExportError> {
        let closed = self.closed.as_ref();
        Ok(vec![
            self.id.to_string(),
            self.child_id.to_string(),
            self.report_visit_id.map(|id| id.to_string()).unwrap_or_default(),
            self.state().code().to_owned(),
            self.needs.join(";"),
            self.needs_note.clone(),
            serde_json::to_string(&self.actions)?,
            self.review_date.map(|date| date.to_string()).unwrap_or_default(),
            self.approved_at.map(|at| at.to_rfc3339()).unwrap_or_default(),
            closed.map(|c| c.reason.clone()).unwrap_or_default(),
            closed.map(|c| c.note.clone()).unwrap_or_default(),
            closed.map(|c| c.at.to_rfc3339()).unwrap_or_default(),
            self.revision.to_string(),
            self.updated_at.to_rfc3339(),
        ])
    }
}

/// Writes the byte order mark, the header and a row per record (with when it was received).
pub(crate) fn write<R: CodeRow>(
    records: impl IntoIterator<Item = (R, DateTime<Utc>)>,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    out.write_all(CSV_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(R::COLUMNS)?;
    let mut written = 0;
    for (record, received_at) in records {
        let mut row = record.row()?;
        row.push(received_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        writer.write_record(row.iter().map(|value| formula_safe(value).into_owned()))?;
        written += 1;
    }
    writer.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use tongxing_core::fixtures::sample_visit;

    use super::*;
    use crate::store::records::VISITS;

    #[test]
    fn the_visit_columns_kept_for_querying_are_the_table_s() {
        assert_eq!(&CSV_COLUMNS[1..=VISITS.columns.len()], VISITS.columns);
        assert_eq!(Visit::COLUMNS.len(), sample_visit().row().unwrap().len() + 1, "received_at is added last");
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_then_the_header() {
        let visit = sample_visit();
        let mut out = Vec::new();
        write([(visit.clone(), Utc.timestamp_opt(0, 0).unwrap())], &mut out).unwrap();
        assert!(out.starts_with(b"\xef\xbb\xbfid,child_id,form_id,form_version,"));
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(row.len(), CSV_COLUMNS.len());
        let answers: tongxing_core::form::Answers = serde_json::from_str(&row[8]).unwrap();
        assert_eq!(answers, sample_visit().answers);
        assert!(!row[8].contains(": ") && !row[8].contains('\n'), "compact JSON");

        let mut empty = Vec::new();
        write::<Visit>([], &mut empty).unwrap();
        assert!(empty.starts_with(CSV_BOM), "even with no rows");
    }
}
