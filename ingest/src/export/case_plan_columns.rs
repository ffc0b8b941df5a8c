//! The readable sheet of case plans (帮扶计划): one row per plan, who and where first, then
//! what kind of plan and where it stands, the needs, each action as a line of its own cell
//! (what, who, by when, where it stands), the review date, the approval and the closing.

use tongxing_core::case_plan::{action_kind, label_of, needs, CaseAction};
use tongxing_core::Lang;

use super::table::{china_time, Cell, Table};
use crate::store::reads::CasePlanRow;

/// The sheet's name.
pub const CASE_PLANS_SHEET: &str = "帮扶计划";

/// Every column, in order.
pub const CASE_PLAN_COLUMNS: [&str; 19] = [
    "计划编号",
    "儿童编号",
    "儿童姓名",
    "所属乡镇(街道)",
    "所属村(居)",
    "计划类型",
    "状态",
    "发现的需求",
    "需求说明",
    "帮扶措施",
    "未完成措施数",
    "复核日期",
    "审核时间",
    "结案原因",
    "结案说明",
    "结案时间",
    "版本",
    "更新时间",
    "接收时间",
];

/// Every column name, in order.
pub fn case_plan_headers() -> Vec<String> {
    CASE_PLAN_COLUMNS.iter().map(|name| (*name).to_owned()).collect()
}

/// The sheet of `rows`.
pub fn case_plan_table(rows: &[CasePlanRow]) -> Table {
    Table::list(CASE_PLANS_SHEET, case_plan_headers(), rows.iter().map(case_plan_cells).collect())
}

/// One plan's row.
pub fn case_plan_cells(row: &CasePlanRow) -> Vec<Cell> {
    let plan = &row.plan;
    let lang = Lang::ZhCn;
    let kind = if plan.is_report_follow_up() { "强制报告后续处置" } else { "帮扶计划" };
    let found: Vec<&str> = plan.needs.iter().map(|code| label_of(needs(), code, lang)).collect();
    let actions: Vec<String> = plan.actions.iter().map(action_line).collect();
    let pending = plan.actions.iter().filter(|action| action.status.is_pending()).count();
    let closed = plan.closed.as_ref();
    vec![
        Cell::Text(plan.id.to_string()),
        Cell::Text(plan.child_id.to_string()),
        Cell::text(row.child_name.clone().unwrap_or_default()),
        Cell::text(&row.place.township),
        Cell::text(&row.place.village),
        Cell::Text(kind.to_owned()),
        Cell::Text(plan.state().label(lang).to_owned()),
        Cell::text(found.join("；")),
        Cell::text(&plan.needs_note),
        Cell::text(actions.join("\n")),
        Cell::Integer(i64::try_from(pending).unwrap_or(i64::MAX)),
        Cell::date(plan.review_date),
        plan.approved_at.map_or(Cell::Empty, |at| Cell::DateTime(china_time(&at))),
        Cell::text(closed.map(|c| label_of(plan.closing_choices(), &c.reason, lang)).unwrap_or_default()),
        Cell::text(closed.map(|c| c.note.clone()).unwrap_or_default()),
        closed.map_or(Cell::Empty, |c| Cell::DateTime(china_time(&c.at))),
        Cell::Integer(i64::from(plan.revision)),
        Cell::DateTime(china_time(&plan.updated_at)),
        Cell::DateTime(china_time(&row.received_at)),
    ]
}

/// An action as a line: `申请低保（说明）｜村儿童主任｜2026-12-20 前｜已申请`.
fn action_line(action: &CaseAction) -> String {
    let lang = Lang::ZhCn;
    let what = action_kind(&action.kind).map_or(action.kind.as_str(), |kind| kind.label.get(lang));
    let what =
        if action.note.trim().is_empty() { what.to_owned() } else { format!("{what}（{}）", action.note.trim()) };
    let due = china_time(&action.due).format("%Y-%m-%d %H:%M");
    let by = if action.by_whom.trim().is_empty() { "—" } else { action.by_whom.trim() };
    format!("{what}｜{by}｜{due} 前｜{}", action.status.label(lang))
}
