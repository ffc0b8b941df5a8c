//! The SQL every read is built from: one rule for a record's village, one for a child's
//! latest visit, one way to apply a [`Selection`].

use crate::store::statement::Statement;
use tongxing_core::form::field_ids::POLICIES_LINKED;
use tongxing_core::RiskColour;

use super::selection::{Revisions, Selection};
use crate::store::records::{RecordTable, CASE_PLANS, CHILDREN, VISITS};

/// A visit's village: its own place's, else (received before enrolment) the one written in
/// its child's file.
pub(super) const VISIT_VILLAGE: &str =
    "CASE WHEN v.scope_village <> '' THEN v.scope_village ELSE COALESCE(c.village, '') END";
/// The device that first sent the record `alias` (of the current table whose revisions are
/// `revisions`): the sender of its first revision held with a sender (who made the visit,
/// who registered the file), not whichever phone sent the newest; for records received
/// before revisions kept their sender, the sender of the current one.
pub(super) fn first_sender(revisions: &str, alias: &str) -> String {
    format!(
        "COALESCE((SELECT r.sent_by FROM {revisions} AS r WHERE r.id = {alias}.id AND r.sent_by IS NOT NULL \
         ORDER BY r.revision LIMIT 1), {alias}.sent_by)"
    )
}

/// A child's village: its own place's, else the one written in the file.
pub(super) const CHILD_VILLAGE: &str = "CASE WHEN ch.scope_village <> '' THEN ch.scope_village ELSE ch.village END";

/// The files of children read, lists and searches: those not merged into another file
/// (`ch`: the current table).
pub(super) const NOT_MERGED: &str = "ch.merged_into IS NULL";

/// What a read selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Select {
    /// Each record's row (see [`super::rows`]).
    Rows,
    /// How many records.
    Count,
    /// The forms the visits answered: `form_id`, `form_version`.
    Forms,
    /// The most guardians one child's file names.
    MostGuardians,
    /// Where each child's visits stand: `id`, `name`, `village`, `birth_date` and the latest
    /// visit's `risk_colour`, `visit_date` and `next_visit_date` (children only).
    Status,
    /// What the county's statistics count: of a child, `id`, `name`, `township`,
    /// `categories` (JSON), `birth_date` and the latest visit's `risk_colour`, `visit_date`
    /// and `next_visit_date`; of a visit, `visit_date`, `mandatory_report` and the
    /// `policies_linked` answer (JSON).
    Statistics,
}

impl Select {
    fn visit_columns(self) -> String {
        match self {
            Select::Rows => format!(
                "src.body, src.received_at, v.scope_township AS township, {VISIT_VILLAGE} AS village, \
                 c.name AS child_name, d.name AS visitor"
            ),
            Select::Count => "COUNT(*)".to_owned(),
            Select::Forms => "DISTINCT v.form_id, v.form_version".to_owned(),
            Select::MostGuardians | Select::Status => "0".to_owned(),
            Select::Statistics => {
                format!("v.visit_date, v.mandatory_report, json_extract(src.body, '$.answers.{POLICIES_LINKED}')")
            }
        }
    }

    fn child_columns(self) -> String {
        match self {
            Select::Rows => format!(
                "src.body, src.received_at, ch.scope_township AS township, {CHILD_VILLAGE} AS village, \
                 lv.visit_date AS latest_date, lv.risk_colour AS latest_colour"
            ),
            Select::Count => "COUNT(*)".to_owned(),
            Select::Forms => "NULL, NULL".to_owned(),
            Select::MostGuardians => "COALESCE(MAX(json_array_length(src.body, '$.guardians')), 0)".to_owned(),
            Select::Status => format!(
                "ch.id, ch.name, {CHILD_VILLAGE} AS village, ch.birth_date, \
                 lv.risk_colour, lv.visit_date, lv.next_visit_date"
            ),
            Select::Statistics => "ch.id, ch.name, ch.scope_township, json_extract(src.body, '$.categories'), \
                 ch.birth_date, lv.risk_colour, lv.visit_date, lv.next_visit_date"
                .to_owned(),
        }
    }
}

/// The order of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    /// By place, then visit date or child's name: a sheet's order.
    ByPlace,
    /// The latest visit date first: a list of visits.
    LatestFirst,
    /// None (counts and summaries).
    None,
}

/// The visits `selection` takes: `SELECT … FROM … WHERE …` in the order asked for.
pub(super) fn visits(selection: &Selection, select: Select, order: Order) -> Statement {
    let (source, then) = source(&VISITS, selection.revisions);
    let columns = select.visit_columns();
    let mut query = Statement::new(format!(
        "SELECT {columns} FROM {source} AS src JOIN visits AS v ON v.id = src.id \
         LEFT JOIN children AS c ON c.id = v.child_id \
         LEFT JOIN devices AS d ON d.id = {visitor} WHERE 1 = 1",
        visitor = first_sender(VISITS.revisions, "v"),
    ));
    push_filter(
        &mut query,
        selection,
        Table {
            township: "v.scope_township",
            village: VISIT_VILLAGE,
            colour: "v.risk_colour",
            date: "v.visit_date",
            child: "v.child_id",
        },
    );
    match order {
        Order::ByPlace => {
            query.push(format_args!(" ORDER BY v.scope_township, {VISIT_VILLAGE}, v.visit_date, v.id{then}"))
        }
        Order::LatestFirst => query.push(format_args!(" ORDER BY v.visit_date DESC, v.received_at DESC, v.id{then}")),
        Order::None => &mut query,
    };
    query
}

/// The children's files `selection` takes, each with its latest visit (`lv`).
pub(super) fn children(selection: &Selection, select: Select, order: Order) -> Statement {
    let (source, then) = source(&CHILDREN, selection.revisions);
    let columns = select.child_columns();
    let mut query = Statement::new(format!(
        "SELECT {columns} FROM {source} AS src JOIN children AS ch ON ch.id = src.id \
         LEFT JOIN visits AS lv ON lv.id = ( \
             SELECT id FROM visits WHERE child_id = ch.id \
             ORDER BY visit_date DESC, received_at DESC, id DESC LIMIT 1) \
         WHERE {NOT_MERGED}"
    ));
    push_filter(
        &mut query,
        selection,
        Table {
            township: "ch.scope_township",
            village: CHILD_VILLAGE,
            colour: "lv.risk_colour",
            date: "lv.visit_date",
            child: "ch.id",
        },
    );
    match order {
        Order::ByPlace | Order::LatestFirst => {
            query.push(format_args!(" ORDER BY ch.scope_township, {CHILD_VILLAGE}, ch.name, ch.id{then}"))
        }
        Order::None => &mut query,
    };
    query
}

/// The case plans `selection` takes (rows only), each with its child's name; a colour is
/// the child's latest visit's, the dates those of the plan's last change.
pub(super) fn case_plans(selection: &Selection, order: Order) -> Statement {
    let (source, then) = source(&CASE_PLANS, selection.revisions);
    let mut query = Statement::new(format!(
        "SELECT src.body, src.received_at, p.scope_township AS township, p.scope_village AS village, \
         ch.name AS child_name \
         FROM {source} AS src JOIN {plans} AS p ON p.id = src.id \
         LEFT JOIN children AS ch ON ch.id = p.child_id \
         LEFT JOIN visits AS lv ON lv.id = ( \
             SELECT id FROM visits WHERE child_id = p.child_id \
             ORDER BY visit_date DESC, received_at DESC, id DESC LIMIT 1) \
         WHERE 1 = 1",
        plans = CASE_PLANS.current,
    ));
    push_filter(
        &mut query,
        selection,
        Table {
            township: "p.scope_township",
            village: "p.scope_village",
            colour: "lv.risk_colour",
            date: "substr(p.updated_at, 1, 10)",
            child: "p.child_id",
        },
    );
    if order != Order::None {
        query.push(format_args!(" ORDER BY p.scope_township, p.scope_village, ch.name, p.id{then}"));
    }
    query
}

/// `LIMIT … OFFSET …` of a page.
pub(super) fn push_page(query: &mut Statement, per_page: u32, offset: u64) {
    query.push(" LIMIT ").push_bind(i64::from(per_page));
    query.push(" OFFSET ").push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
}

/// The columns a selection's parts are compared with, in one kind of record.
struct Table {
    township: &'static str,
    village: &'static str,
    colour: &'static str,
    date: &'static str,
    child: &'static str,
}

fn push_filter(query: &mut Statement, selection: &Selection, table: Table) {
    if let Some(township) = &selection.township {
        query.push(format_args!(" AND {} = ", table.township)).push_bind(township.clone());
    }
    let records = &selection.records;
    if let Some(village) = &records.village {
        query.push(format_args!(" AND {} = ", table.village)).push_bind(village.clone());
    }
    if let Some(colour) = records.colour {
        query.push(format_args!(" AND {} = ", table.colour)).push_bind(RiskColour::code(colour));
    }
    // Dates are kept as `YYYY-MM-DD`, which orders as text.
    if let Some(from) = records.from {
        query.push(format_args!(" AND {} >= ", table.date)).push_bind(from.format("%Y-%m-%d").to_string());
    }
    if let Some(to) = records.to {
        query.push(format_args!(" AND {} <= ", table.date)).push_bind(to.format("%Y-%m-%d").to_string());
    }
    if let Some(child) = selection.child {
        query.push(format_args!(" AND {} = ", table.child)).push_bind(child.to_string());
    }
}

/// The table the bodies come from, and the order of rows after the place and record.
fn source(table: &RecordTable, revisions: Revisions) -> (&'static str, &'static str) {
    match revisions {
        Revisions::Current => (table.current, ""),
        Revisions::All => (table.revisions, ", src.revision"),
        Revisions::Conflicts => (table.conflicts, ", src.revision, src.received_at"),
    }
}
