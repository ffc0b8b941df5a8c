//! The readable sheet of visits (走访记录): who, where and when first, then one column per
//! question of the form in form order (its Chinese label as the column name), then the
//! colour, the mandatory report, the next visit, the visitor and the revision.

use std::collections::HashSet;

use tongxing_core::form::field_ids::{NEXT_VISIT_DATE, RISK_COLOUR, VISIT_DATE, VISIT_TYPE};
use tongxing_core::form::{FormCatalog, FormDefinition};
use tongxing_core::{Lang, Visit, VisitType};

use super::answer_cell::{answer_cell, choice_label};
use super::table::{china_time, Cell, Table};
use crate::store::reads::VisitRow;

/// The sheet's name.
pub const VISITS_SHEET: &str = "走访记录";

/// The columns before the answers.
pub const VISIT_LEADING_COLUMNS: [&str; 7] =
    ["走访编号", "儿童编号", "儿童姓名", "所属乡镇(街道)", "所属村(居)", "走访日期", "走访方式"];
/// The columns after the answers.
pub const VISIT_TRAILING_COLUMNS: [&str; 6] =
    ["风险等级", "是否强制报告", "下次走访日期", "走访人", "版本", "接收时间"];

/// Fields shown in a column of their own rather than among the answers.
const OWN_COLUMNS: [&str; 4] = [VISIT_DATE, VISIT_TYPE, RISK_COLOUR, NEXT_VISIT_DATE];

/// A question with a column: its field id and its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerColumn {
    pub field: String,
    pub label: String,
}

/// The answer columns for visits that answered `forms` (id, version): the questions of the
/// newest home-visit form, then those of the other forms answered (newest version first)
/// that it does not have, each once. So the columns are the same for every export until a
/// form changes.
pub fn answer_columns(catalog: &FormCatalog, forms: &[(String, u32)]) -> Vec<AnswerColumn> {
    let mut answered: Vec<&FormDefinition> =
        forms.iter().filter_map(|(id, version)| catalog.get(id, *version)).collect();
    let mut forms: Vec<&FormDefinition> = catalog.home_visit().into_iter().collect();
    answered.sort_by(|a, b| a.id.cmp(&b.id).then(b.version.cmp(&a.version)));
    answered.dedup_by(|a, b| a.id == b.id && a.version == b.version);
    forms.extend(answered);

    let mut seen: HashSet<&str> = OWN_COLUMNS.into_iter().collect();
    let mut columns = Vec::new();
    for field in forms.into_iter().flat_map(FormDefinition::fields) {
        if seen.insert(field.id.as_str()) {
            columns.push(AnswerColumn { field: field.id.clone(), label: field.label.get(Lang::ZhCn).to_owned() });
        }
    }
    columns
}

/// Every column name, in order.
pub fn visit_headers(columns: &[AnswerColumn]) -> Vec<String> {
    VISIT_LEADING_COLUMNS
        .iter()
        .map(|name| (*name).to_owned())
        .chain(columns.iter().map(|column| column.label.clone()))
        .chain(VISIT_TRAILING_COLUMNS.iter().map(|name| (*name).to_owned()))
        .collect()
}

/// The sheet of `rows`.
pub fn visit_table(catalog: &FormCatalog, rows: &[VisitRow]) -> Table {
    let forms: Vec<(String, u32)> =
        rows.iter().map(|row| (row.visit.form_id.clone(), row.visit.form_version)).collect();
    let columns = answer_columns(catalog, &forms);
    let cells = rows.iter().map(|row| visit_cells(catalog, &columns, row)).collect();
    Table::list(VISITS_SHEET, visit_headers(&columns), cells)
}

/// One visit's row.
pub fn visit_cells(catalog: &FormCatalog, columns: &[AnswerColumn], row: &VisitRow) -> Vec<Cell> {
    let visit = &row.visit;
    let form = visit.form(catalog);
    // Only the answers that count: a stale answer to a hidden question is not shown.
    let answers = form.map_or_else(|| visit.answers.clone(), |form| form.visible_answers(&visit.answers));

    let mut cells = vec![
        Cell::Text(visit.id.to_string()),
        Cell::Text(visit.child_id.to_string()),
        Cell::text(row.child_name.clone().unwrap_or_default()),
        Cell::text(&row.place.township),
        Cell::text(&row.place.village),
        Cell::date(visit.visit_date()),
        Cell::text(visit_type_label(form, visit)),
    ];
    for column in columns {
        let cell = match form.and_then(|form| form.field(&column.field)) {
            Some(field) => answer_cell(field, answers.get(&column.field)),
            None => Cell::Empty,
        };
        cells.push(cell);
    }
    cells.extend([
        Cell::text(visit.risk_colour().map(|colour| colour.label(Lang::ZhCn)).unwrap_or_default()),
        Cell::yes_no(visit.needs_mandatory_report()),
        Cell::date(visit.next_visit_date()),
        Cell::text(row.visitor.clone().unwrap_or_default()),
        Cell::Integer(i64::from(visit.revision)),
        Cell::DateTime(china_time(&row.received_at)),
    ]);
    cells
}

/// 入户走访, 电话回访, …: the form's label for the answer, else core's.
fn visit_type_label(form: Option<&FormDefinition>, visit: &Visit) -> String {
    let Some(code) = visit.answers.text(VISIT_TYPE) else { return String::new() };
    match form.and_then(|form| form.field(VISIT_TYPE)) {
        Some(field) => choice_label(field.kind.choices(), code).to_owned(),
        None => VisitType::from_code(code).map_or_else(|| code.to_owned(), |kind| kind.label(Lang::ZhCn).to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use tongxing_core::fixtures::sample_visit;
    use tongxing_core::form::AnswerValue;
    use tongxing_core::worker::Place;

    use super::*;

    fn row(visit: Visit) -> VisitRow {
        VisitRow {
            visit,
            received_at: Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap(),
            place: Place { township: "石桥镇".into(), village: "石桥村".into() },
            child_name: Some("王小明".into()),
            visitor: Some("张丽".into()),
        }
    }

    fn value<'a>(table: &'a Table, row: usize, header: &str) -> &'a Cell {
        let column = table.headers.iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header}"));
        &table.rows[row][column]
    }

    #[test]
    fn one_column_per_question_in_form_order_without_the_ones_shown_apart() {
        let catalog = FormCatalog::builtin();
        let columns = answer_columns(catalog, &[]);
        let form = catalog.home_visit().unwrap();
        let expected: Vec<&str> = form.fields().map(|f| f.id.as_str()).filter(|id| !OWN_COLUMNS.contains(id)).collect();
        assert_eq!(columns.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(), expected);
        let headers = visit_headers(&columns);
        assert_eq!(headers.len(), 7 + expected.len() + 6);
        assert_eq!(headers[..7], VISIT_LEADING_COLUMNS);
        assert_eq!(headers[headers.len() - 6..], VISIT_TRAILING_COLUMNS);
        assert!(headers.contains(&"主要照料人与儿童关系".to_owned()));
        assert_eq!(headers.iter().filter(|h| *h == "走访日期").count(), 1, "not again among the answers");
    }

    #[test]
    fn a_row_reads_in_the_workers_words() {
        let mut visit = sample_visit();
        // A stale answer to a question hidden by another is not shown.
        visit.answers.set("illness", AnswerValue::Text("旧的答案".into()));
        let table = visit_table(FormCatalog::builtin(), &[row(visit.clone())]);
        assert_eq!(table.title, VISITS_SHEET);
        assert_eq!(value(&table, 0, "走访编号"), &Cell::Text(visit.id.to_string()));
        assert_eq!(value(&table, 0, "儿童姓名"), &Cell::Text("王小明".into()));
        assert_eq!(value(&table, 0, "所属乡镇(街道)"), &Cell::Text("石桥镇".into()));
        assert_eq!(value(&table, 0, "走访日期"), &Cell::Date(visit.visit_date().unwrap()));
        assert_eq!(value(&table, 0, "走访方式"), &Cell::Text("入户走访".into()));
        assert_eq!(value(&table, 0, "在场人员"), &Cell::Text("儿童本人、祖父母/外祖父母".into()));
        assert_eq!(value(&table, 0, "主要照料人与儿童关系"), &Cell::Text("祖父母/外祖父母".into()));
        assert_eq!(value(&table, 0, "监护能力"), &Cell::Text("监护能力弱".into()));
        assert_eq!(value(&table, 0, "是否有遭受侵害的迹象（虐待、暴力等）"), &Cell::Text("否".into()));
        assert_eq!(value(&table, 0, "所患疾病"), &Cell::Empty, "hidden: not seriously ill");
        assert_eq!(value(&table, 0, "风险等级"), &Cell::Text("黄色".into()));
        assert_eq!(value(&table, 0, "是否强制报告"), &Cell::Text("否".into()));
        assert_eq!(value(&table, 0, "下次走访日期"), &Cell::Date(visit.next_visit_date().unwrap()));
        assert_eq!(value(&table, 0, "走访人"), &Cell::Text("张丽".into()));
        assert_eq!(value(&table, 0, "版本"), &Cell::Integer(1));
        assert_eq!(value(&table, 0, "接收时间").display(), "2026-11-20 11:00:00");
        assert!(table.rows.iter().all(|r| r.len() == table.headers.len()));
    }

    #[test]
    fn a_visit_of_an_unknown_form_keeps_its_place_and_dates() {
        let mut visit = sample_visit();
        visit.form_version = 99;
        let table = visit_table(FormCatalog::builtin(), &[row(visit.clone())]);
        assert_eq!(value(&table, 0, "走访日期"), &Cell::Date(visit.visit_date().unwrap()));
        assert_eq!(value(&table, 0, "走访方式"), &Cell::Text("入户走访".into()), "core's label");
        assert_eq!(value(&table, 0, "监护能力"), &Cell::Empty);
    }
}
