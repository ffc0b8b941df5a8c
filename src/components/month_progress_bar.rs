//! "This month: 23 of 31 visited", with a bar.

use leptos::prelude::*;
use tongxing_core::schedule::MonthProgress;

use crate::context::use_lang;

/// This month's round at the top of the due list.
#[component]
pub fn MonthProgressBar(progress: MonthProgress) -> impl IntoView {
    let lang = use_lang();
    let percent = if progress.total == 0 { 0 } else { u64::from(progress.visited) * 100 / u64::from(progress.total) };
    view! {
        <div
            class="month-progress"
            data-testid="month-progress"
            data-visited=progress.visited.to_string()
            data-total=progress.total.to_string()
        >
            <p>{move || progress.message(lang.get())}</p>
            <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax=progress.total.to_string() aria-valuenow=progress.visited.to_string()>
                // Set through the style object, not a `style` attribute, which the app's
                // Content-Security-Policy (`style-src 'self'`) refuses.
                <span style:width=format!("{percent}%")></span>
            </div>
        </div>
    }
}
