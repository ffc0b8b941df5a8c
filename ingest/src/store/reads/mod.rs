//! Reading records: one [`Selection`] (a township, a [`RecordFilter`], the revisions, one
//! child), one rule for a record's place and for a child's latest visit, one way to read a
//! stored body, for the supervisor's lists, the exports, a child's archive, a child's
//! file and the changes a worker's phone receives alike. A list is the export's selection with a page, so the two find the same
//! records.
//!
//! A record's place is the township and village of the phone that first sent it
//! (`scope_township`, `scope_village`). Records received before enrolment have none: their
//! township is empty, so they match no township, and their village is the one written in
//! the child's file. The colour and dates of a visit are its own; those of a child are its
//! latest visit's (the latest date, then the one received last, whoever sent it), so a child
//! never visited matches no colour and no date range.
//!
//! [`RecordFilter`]: tongxing_core::record_filter::RecordFilter

mod case_plans;
mod changes;
mod child_file;
mod county;
mod each;
mod pages;
mod possible_duplicates;
mod rows;
mod selection;
mod sql;
mod to_reconcile;
mod today;
mod visit_for_phone;

pub use case_plans::{case_plans_in_township, case_plans_of_child, held_case_plan};
pub use changes::changes_page;
pub use child_file::{child_file, child_place, FileReadError};
pub use county::{statistics_sources, townships};
pub use each::{
    case_plans_of_one_child, each_case_plan, each_child, each_visit, files_of_one_child, most_guardians, visit_forms,
    visits_of_one_child,
};
pub use pages::{child_page, visit_page};
pub use possible_duplicates::possible_duplicates;
pub use rows::{parse_body, CasePlanRow, ChildRow, LatestVisit, VisitRow};
pub use selection::{Revisions, Selection, SelectionError};
pub use to_reconcile::{to_reconcile, TO_RECONCILE_MAX};
pub use today::{child_statuses, report_visits, today_sources, waiting_files};
pub use visit_for_phone::visit_for_phone;
