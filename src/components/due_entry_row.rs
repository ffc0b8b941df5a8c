//! One child's line in the due list: name, colour, last visit, when the next one is due, and
//! a button to start a visit.
//!
//! The list can hold hundreds of lines and is drawn again as a whole when the search or the
//! language changes, so a line is plain markup: no signals, no handlers of its own. Tapping
//! the line is a link (the router takes it); the visit button is handled once, by the list
//! (see [`START_VISIT`]).

use chrono::NaiveDate;
use leptos::prelude::*;
use tongxing_core::schedule::DueEntry;
use tongxing_core::{Lang, RiskColour};

/// The `data-testid` of the "visit" button, which the list's one click handler looks for.
pub const START_VISIT: &str = "start-visit";

/// One line of the due list.
pub fn due_entry_row(entry: &DueEntry, today: NaiveDate, lang: Lang) -> impl IntoView {
    let id = entry.child_id.to_string();
    let href = format!("/children/{id}");
    let button_id = id.clone();
    let last = match entry.last_visit {
        Some(date) => format!("{}{date}", lang.pick("上次走访 ", "Last visit ")),
        None => lang.pick("从未走访", "Never visited").to_owned(),
    };
    view! {
        <li class="due-entry" data-testid="due-entry" data-child-id=id>
            <a class="due-main" href=href>
                <span class="name">{entry.name.clone()}</span>
                {colour_badge(entry.colour, lang)}
                <span class="meta last-visit">{last}</span>
                <span class="meta due-date">{due_text(entry.due, today, lang)}</span>
            </a>
            <button type="button" class="start-visit" data-testid=START_VISIT data-child-id=button_id>
                {lang.pick("走访", "Visit")}
            </button>
        </li>
    }
}

/// A colour badge as plain markup; a child never visited has none yet.
pub fn colour_badge(colour: Option<RiskColour>, lang: Lang) -> impl IntoView {
    match colour {
        Some(colour) => view! {
            <span class=format!("risk-badge risk-{}", colour.code()) data-risk=colour.code()>{colour.label(lang)}</span>
        }
        .into_any(),
        None => view! { <span class="risk-badge risk-none" data-risk="none">{lang.pick("未评估", "Not rated")}</span> }
            .into_any(),
    }
}

/// "Due 2026-11-30", "Due today", "5 days overdue (due 2026-11-18)", or "Visit soon" for a
/// child never visited.
pub fn due_text(due: Option<NaiveDate>, today: NaiveDate, lang: Lang) -> String {
    match due {
        None => lang.pick("请尽快走访", "Visit soon").to_owned(),
        Some(date) if date < today => {
            let days = (today - date).num_days();
            match lang {
                Lang::ZhCn => format!("逾期 {days} 天（应访 {date}）"),
                Lang::En => format!("{days} days overdue (due {date})"),
            }
        }
        Some(date) if date == today => lang.pick("今天应访", "Due today").to_owned(),
        Some(date) => match lang {
            Lang::ZhCn => format!("应访 {date}"),
            Lang::En => format!("Due {date}"),
        },
    }
}
