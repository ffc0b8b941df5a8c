//! One saved visit in a list: date, colour, a mark when it found harm (强制报告), its delivery
//! state; tapping opens it.

use leptos::prelude::*;
use tongxing_core::Lang;

use super::due_entry_row::colour_badge;
use super::SyncStateLabel;
use crate::storage::VisitRow;

/// A visit's line. With `child_name` it names the child (the list of every visit); without,
/// it is a line of one child's history.
pub fn visit_summary_row(row: VisitRow, child_name: Option<String>, testid: &'static str, lang: Lang) -> impl IntoView {
    let summary = row.summary;
    let date =
        summary.visit_date.map(|d| d.to_string()).unwrap_or_else(|| lang.pick("（无日期）", "(no date)").to_owned());
    let (title, meta) = match child_name {
        Some(name) => (name, Some(date)),
        None => (date, None),
    };
    view! {
        <li class="record visit-record" data-testid=testid data-id=summary.visit_id.to_string()>
            <a href=format!("/visits/{}", summary.visit_id)>
                <span class="name" data-testid="visit-child">{title}</span>
                {meta.map(|m| view! { <span class="meta" data-testid="visit-date">{m}</span> })}
                {summary.visitor.map(|name| view! {
                    <span class="meta" data-testid="visit-visitor">{format!("{}{name}", lang.pick("走访人：", "Visited by "))}</span>
                })}
                {colour_badge(summary.risk_colour, lang)}
                {summary.mandatory_report.then(|| view! {
                    <span class="mandatory-mark" data-testid="mandatory-report-mark">{lang.pick("强制报告", "Reported to police")}</span>
                })}
                <SyncStateLabel entry=row.entry />
            </a>
        </li>
    }
}
