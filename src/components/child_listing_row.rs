//! One child of the township in the supervisor's list: name, village, the colour of the
//! latest visit and its date; tapping opens the child's whole file. Plain markup, like the
//! due list's lines: the list is drawn again as a whole when a page arrives.

use leptos::prelude::*;
use tongxing_core::phone_app::PhoneApp;
use tongxing_core::wire::ChildListing;
use tongxing_core::Lang;

use super::colour_badge;

/// The line of one child.
pub fn child_listing_row(listing: &ChildListing, lang: Lang) -> impl IntoView {
    let id = listing.id.to_string();
    let last = match listing.last_visit_date {
        Some(date) => format!("{}{date}", lang.pick("上次走访 ", "Last visit ")),
        None => lang.pick("从未走访", "Never visited").to_owned(),
    };
    view! {
        <li class="record" data-testid="township-child" data-child-id=id.clone()>
            <a href=PhoneApp::township_child_path(&id)>
                <span class="name">{listing.name.clone()}</span>
                {colour_badge(listing.risk_colour, lang)}
                <span class="meta">{format!("{} · {last}", listing.village)}</span>
            </a>
        </li>
    }
}
