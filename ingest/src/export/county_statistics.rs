//! The county's statistics as a workbook (`GET /api/v1/county/statistics.xlsx`): one sheet
//! a table of [`CountyStatistics`], in Chinese, as the console shows them.

use tongxing_core::wire::{CountyStatistics, Tally};

use super::table::{Cell, Table};
use super::xlsx::workbook;
use super::ExportError;

/// The sheets' names, in order.
pub const STATISTICS_SHEETS: [&str; 7] =
    ["概况", "按儿童类别", "按风险等级", "按乡镇", "按年龄", "按月走访", "政策链接"];

fn number(n: u32) -> Cell {
    Cell::Integer(i64::from(n))
}

fn tallies(title: &str, what: &str, tallies: &[Tally]) -> Table {
    let rows = tallies.iter().map(|tally| vec![Cell::Text(tally.label_zh.clone()), number(tally.count)]).collect();
    Table { title: title.to_owned(), headers: vec![what.to_owned(), "人数".to_owned()], rows, autofilter: false }
}

/// The tables of the workbook, a sheet each.
pub fn statistics_tables(stats: &CountyStatistics) -> Vec<Table> {
    let [overview, category, colour, township, age, month, benefits] = STATISTICS_SHEETS;
    let summary = Table {
        title: overview.to_owned(),
        headers: vec!["项目".to_owned(), "数值".to_owned()],
        rows: vec![
            vec![Cell::Text("统计日期".to_owned()), Cell::Date(stats.today)],
            vec![Cell::Text("儿童人数".to_owned()), number(stats.children)],
            vec![Cell::Text("本月应走访".to_owned()), number(stats.coverage.due)],
            vec![Cell::Text("本月已走访".to_owned()), number(stats.coverage.visited)],
            vec![Cell::Text("工作人员".to_owned()), number(stats.workers.workers)],
            vec![Cell::Text("已通过培训考核".to_owned()), number(stats.workers.certified)],
        ],
        autofilter: false,
    };
    let townships = Table {
        title: township.to_owned(),
        headers: ["乡镇(街道)", "儿童人数", "本月应走访", "本月已走访", "工作人员", "已通过培训考核"]
            .map(str::to_owned)
            .to_vec(),
        rows: stats
            .by_township
            .iter()
            .map(|line| {
                let name =
                    if line.township.is_empty() { "（未登记乡镇）".to_owned() } else { line.township.clone() };
                vec![
                    Cell::Text(name),
                    number(line.children),
                    number(line.due),
                    number(line.visited),
                    number(line.workers),
                    number(line.certified),
                ]
            })
            .collect(),
        autofilter: false,
    };
    let months = Table {
        title: month.to_owned(),
        headers: ["月份", "走访次数", "强制报告"].map(str::to_owned).to_vec(),
        rows: stats
            .by_month
            .iter()
            .map(|line| vec![Cell::Text(line.month.clone()), number(line.visits), number(line.mandatory_reports)])
            .collect(),
        autofilter: false,
    };
    let mut linked = tallies(benefits, "政策", &stats.benefits);
    linked.headers[1] = "链接次数".to_owned();
    vec![
        summary,
        tallies(category, "儿童类别", &stats.by_category),
        tallies(colour, "风险等级", &stats.by_colour),
        townships,
        tallies(age, "年龄", &stats.by_age),
        months,
        linked,
    ]
}

/// The workbook's bytes.
pub fn statistics_workbook(stats: &CountyStatistics) -> Result<Vec<u8>, ExportError> {
    let tables = statistics_tables(stats);
    let refs: Vec<&Table> = tables.iter().collect();
    workbook(&refs)
}
