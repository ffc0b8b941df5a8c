//! The readable sheet of children's files (儿童信息), in the words of the national
//! child-welfare information system: a row per child, with its latest visit's colour.

use tongxing_core::child::Guardian;
use tongxing_core::form::field_ids::CARER_RELATION;
use tongxing_core::form::FormCatalog;
use tongxing_core::Lang;

use super::answer_cell::{choice_label, LIST_SEPARATOR};
use super::table::{china_time, Cell, Table};
use crate::store::reads::ChildRow;

/// The sheet's name.
pub const CHILDREN_SHEET: &str = "儿童信息";

/// The columns before the guardians.
pub const CHILD_LEADING_COLUMNS: [&str; 8] =
    ["儿童编号", "姓名", "性别", "出生日期", "身份证号码", "所属乡镇(街道)", "所属村(居)", "儿童类别"];
/// The first guardian's columns; a second guardian's are `监护人2姓名`, and so on.
pub const GUARDIAN_COLUMNS: [&str; 3] = ["监护人姓名", "监护人与儿童关系", "监护人联系电话"];
/// The columns after the guardians.
pub const CHILD_TRAILING_COLUMNS: [&str; 7] =
    ["就读学校", "备注", "风险等级", "最近走访日期", "版本", "更新时间", "接收时间"];

/// Every column name, for files with at most `guardians` guardians (at least one set).
pub fn child_headers(guardians: usize) -> Vec<String> {
    let mut headers: Vec<String> = CHILD_LEADING_COLUMNS.iter().map(|name| (*name).to_owned()).collect();
    for n in 1..=guardians.max(1) {
        headers.extend(GUARDIAN_COLUMNS.iter().map(|name| guardian_column(name, n)));
    }
    headers.extend(CHILD_TRAILING_COLUMNS.iter().map(|name| (*name).to_owned()));
    headers
}

/// `监护人姓名` for the first guardian, `监护人2姓名` for the second.
fn guardian_column(name: &str, n: usize) -> String {
    if n == 1 {
        name.to_owned()
    } else {
        name.replacen("监护人", &format!("监护人{n}"), 1)
    }
}

/// The sheet of `rows`.
pub fn child_table(rows: &[ChildRow]) -> Table {
    let guardians = rows.iter().map(|row| row.child.guardians.len()).max().unwrap_or(0).max(1);
    let cells = rows.iter().map(|row| child_cells(row, guardians)).collect();
    Table::list(CHILDREN_SHEET, child_headers(guardians), cells)
}

/// One child's file as a sheet of its own, an item per row (项目, 内容): the first sheet of
/// a child's archive.
pub fn child_record_table(row: &ChildRow) -> Table {
    let guardians = row.child.guardians.len().max(1);
    let rows = child_headers(guardians)
        .into_iter()
        .zip(child_cells(row, guardians))
        .map(|(item, value)| vec![Cell::Text(item), value])
        .collect();
    Table {
        title: "儿童档案".to_owned(), headers: vec!["项目".to_owned(), "内容".to_owned()], rows, autofilter: false
    }
}

/// One child's row, with room for `guardians` guardians.
pub fn child_cells(row: &ChildRow, guardians: usize) -> Vec<Cell> {
    let child = &row.child;
    let categories: Vec<&str> = child.categories.iter().map(|category| category.label(Lang::ZhCn)).collect();
    let mut cells = vec![
        Cell::Text(child.id.to_string()),
        Cell::text(&child.name),
        Cell::Text(child.sex.label(Lang::ZhCn).to_owned()),
        Cell::Date(child.birth_date),
        Cell::text(child.id_number.clone().unwrap_or_default()),
        Cell::text(&row.place.township),
        Cell::text(&row.place.village),
        Cell::text(categories.join(LIST_SEPARATOR)),
    ];
    for n in 0..guardians.max(1) {
        match child.guardians.get(n) {
            Some(guardian) => cells.extend(guardian_cells(guardian)),
            None => cells.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
        }
    }
    let latest = row.latest_visit;
    cells.extend([
        Cell::text(&child.school),
        Cell::text(&child.notes),
        Cell::text(latest.and_then(|visit| visit.colour).map(|colour| colour.label(Lang::ZhCn)).unwrap_or_default()),
        Cell::date(latest.and_then(|visit| visit.date)),
        Cell::Integer(i64::from(child.revision)),
        Cell::DateTime(china_time(&child.updated_at)),
        Cell::DateTime(china_time(&row.received_at)),
    ]);
    cells
}

fn guardian_cells(guardian: &Guardian) -> [Cell; 3] {
    [Cell::text(&guardian.name), Cell::text(relation_label(&guardian.relation)), Cell::text(&guardian.phone)]
}

/// The relation's label in the home-visit form (祖父母/外祖父母), else the code as it is.
fn relation_label(code: &str) -> String {
    let field = FormCatalog::builtin().home_visit().and_then(|form| form.field(CARER_RELATION));
    field.map_or(code, |field| choice_label(field.kind.choices(), code)).to_owned()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use tongxing_core::fixtures::sample_child;
    use tongxing_core::worker::Place;
    use tongxing_core::RiskColour;

    use tongxing_core::child::Child;

    use super::*;
    use crate::store::reads::LatestVisit;

    fn row(child: Child) -> ChildRow {
        ChildRow {
            child,
            received_at: Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap(),
            place: Place { township: "石桥镇".into(), village: "石桥村".into() },
            latest_visit: Some(LatestVisit {
                date: NaiveDate::from_ymd_opt(2026, 11, 20),
                colour: Some(RiskColour::Red),
            }),
        }
    }

    fn value<'a>(table: &'a Table, row: usize, header: &str) -> &'a Cell {
        let column = table.headers.iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header}"));
        &table.rows[row][column]
    }

    #[test]
    fn a_child_reads_in_the_national_system_s_words() {
        let table = child_table(&[row(sample_child())]);
        assert_eq!(table.headers, child_headers(1));
        assert_eq!(value(&table, 0, "姓名"), &Cell::Text("王小明".into()));
        assert_eq!(value(&table, 0, "性别"), &Cell::Text("男".into()));
        assert_eq!(value(&table, 0, "出生日期"), &Cell::Date(NaiveDate::from_ymd_opt(2016, 3, 14).unwrap()));
        assert_eq!(value(&table, 0, "身份证号码"), &Cell::Text("110105201603140015".into()));
        assert_eq!(value(&table, 0, "儿童类别"), &Cell::Text("农村留守儿童、低保/特困家庭儿童".into()));
        assert_eq!(value(&table, 0, "监护人姓名"), &Cell::Text("王秀英".into()));
        assert_eq!(value(&table, 0, "监护人与儿童关系"), &Cell::Text("祖父母/外祖父母".into()));
        assert_eq!(value(&table, 0, "监护人联系电话"), &Cell::Text("13800138000".into()));
        assert_eq!(value(&table, 0, "风险等级"), &Cell::Text("红色".into()));
        assert_eq!(value(&table, 0, "最近走访日期"), &Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
        assert_eq!(value(&table, 0, "更新时间").display(), "2026-11-20 10:15:00");
    }

    #[test]
    fn more_guardians_get_numbered_columns() {
        let mut two = sample_child();
        two.guardians.push(Guardian { name: "王大山".into(), relation: "father".into(), phone: String::new() });
        let table = child_table(&[row(sample_child()), row(two)]);
        assert!(table.headers.contains(&"监护人2姓名".to_owned()));
        assert!(table.headers.contains(&"监护人2与儿童关系".to_owned()));
        assert_eq!(value(&table, 1, "监护人2与儿童关系"), &Cell::Text("父亲".into()));
        assert_eq!(value(&table, 0, "监护人2姓名"), &Cell::Empty);
        assert!(table.rows.iter().all(|r| r.len() == table.headers.len()));
        let mut none = sample_child();
        none.guardians.clear();
        none.id_number = None;
        let table = child_table(&[row(none)]);
        assert_eq!(table.headers, child_headers(1), "one set even with no guardian");
        assert_eq!(value(&table, 0, "身份证号码"), &Cell::Empty);
    }

    #[test]
    fn one_child_s_sheet_lists_items() {
        let table = child_record_table(&row(sample_child()));
        assert_eq!(table.headers, ["项目", "内容"]);
        assert_eq!(table.rows[1], [Cell::Text("姓名".into()), Cell::Text("王小明".into())]);
        assert!(!table.autofilter);
    }
}
