//! One visit read from the server: its date, the child, the village, the colour set, how
//! it was made and whether it found harm (强制报告). In the township's list it opens the
//! child's file; in a child's file it is one line of the history. Plain markup.

use leptos::prelude::*;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::wire::VisitListing;
use tongxing_core::Lang;

use super::colour_badge;

/// The line of one visit; in the township's list (`in_list`) it names the child (when the
/// server has the child's file) and the village and links to the child's file, in a child's
/// own file it does neither.
pub fn visit_listing_row(visit: &VisitListing, in_list: bool, lang: Lang) -> impl IntoView {
    let date =
        visit.visit_date.map(|d| d.to_string()).unwrap_or_else(|| lang.pick("（无日期）", "(no date)").to_owned());
    let mut meta = Vec::new();
    if in_list {
        meta.push(visit.village.clone());
    }
    if let Some(kind) = visit.visit_type {
        meta.push(kind.label(lang).to_owned());
    }
    if let Some(next) = visit.next_visit_date {
        meta.push(format!("{}{next}", lang.pick("下次 ", "next ")));
    }
    let title = match visit.child_name.as_deref().filter(|_| in_list) {
        Some(name) => format!("{date} {name}"),
        None => date,
    };
    let line = view! {
        <span class="name" data-testid="visit-title">{title}</span>
        {colour_badge(visit.risk_colour, lang)}
        <span class="meta">{meta.join(" · ")}</span>
        {visit.mandatory_report.then(|| view! {
            <span class="mandatory-mark" data-testid="mandatory-report-mark">{lang.pick("强制报告", "Reported to police")}</span>
        })}
    };
    let id = visit.id.to_string();
    if in_list {
        view! {
            <li class="record" data-testid="township-visit" data-id=id>
                <a href=PhoneApp::township_child_path(&visit.child_id.to_string())>{line}</a>
            </li>
        }
        .into_any()
    } else {
        view! { <li class="record" data-testid="file-visit" data-id=id><div class="record-line">{line}</div></li> }
            .into_any()
    }
}
