//! What every exported row gives the writers: its record as sent, when it was received,
//! and its readable cells under the sheet's headers.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tongxing_core::case_plan::CasePlan;
use tongxing_core::child::Child;
use tongxing_core::form::FormCatalog;
use tongxing_core::Visit;

use super::case_plan_columns::{case_plan_cells, case_plan_headers, CASE_PLANS_SHEET};
use super::child_columns::{child_cells, child_headers, CHILDREN_SHEET};
use super::code_csv::CodeRow;
use super::table::Cell;
use super::visit_columns::{visit_cells, visit_headers, AnswerColumn, VISITS_SHEET};
use crate::store::reads::{CasePlanRow, ChildRow, VisitRow};

/// A row of an export.
pub(crate) trait ExportRow: Send + 'static {
    /// The record as the app sends it.
    type Record: Serialize + CodeRow;
    /// What a readable sheet's columns depend on, known before its first row.
    type Shape: Send + 'static;
    /// The readable sheet's name.
    const SHEET: &'static str;

    /// The readable sheet's column names.
    fn headers(shape: &Self::Shape) -> Vec<String>;
    /// The row as readable cells, one per header.
    fn cells(&self, shape: &Self::Shape) -> Vec<Cell>;
    /// The record and when the server received it.
    fn into_record(self) -> (Self::Record, DateTime<Utc>);
}

impl ExportRow for VisitRow {
    type Record = Visit;
    /// The answers' columns.
    type Shape = Vec<AnswerColumn>;
    const SHEET: &'static str = VISITS_SHEET;

    fn headers(columns: &Vec<AnswerColumn>) -> Vec<String> {
        visit_headers(columns)
    }

    fn cells(&self, columns: &Vec<AnswerColumn>) -> Vec<Cell> {
        visit_cells(FormCatalog::builtin(), columns, self)
    }

    fn into_record(self) -> (Visit, DateTime<Utc>) {
        (self.visit, self.received_at)
    }
}

impl ExportRow for ChildRow {
    type Record = Child;
    /// How many guardians' columns.
    type Shape = usize;
    const SHEET: &'static str = CHILDREN_SHEET;

    fn headers(guardians: &usize) -> Vec<String> {
        child_headers(*guardians)
    }

    fn cells(&self, guardians: &usize) -> Vec<Cell> {
        child_cells(self, *guardians)
    }

    fn into_record(self) -> (Child, DateTime<Utc>) {
        (self.child, self.received_at)
    }
}

impl ExportRow for CasePlanRow {
    type Record = CasePlan;
    /// The columns are fixed.
    type Shape = ();
    const SHEET: &'static str = CASE_PLANS_SHEET;

    fn headers(_: &()) -> Vec<String> {
        case_plan_headers()
    }

    fn cells(&self, _: &()) -> Vec<Cell> {
        case_plan_cells(self)
    }

    fn into_record(self) -> (CasePlan, DateTime<Utc>) {
        (self.plan, self.received_at)
    }
}
